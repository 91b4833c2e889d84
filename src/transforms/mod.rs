//! Randomised transforms. Each one (1) samples its parameters from the sample's [`Rng`] and
//! (2) applies them with a kernel. The sampled parameters are a plain serde struct: serialised,
//! they are the replay log, and fed back through [`DynTransform::replay`] they reproduce the
//! result without any randomness. Transforms never loop over pixels themselves.
//!
//! One file per family; [`registry`] lists every transform with its catalog entry.

pub mod spec;

mod blur;
mod color;
pub mod dropout;
mod flip;
mod noise;

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::image::Sample;
use crate::rng::Rng;
use spec::{Fields, TransformInfo};

/// The contract every transform fulfils.
pub trait Transform: Send + Sync + 'static {
    /// Everything the kernel needs, fully determined: what the replay log records.
    type Params: Serialize + DeserializeOwned;

    /// Draws this application's parameters. May look at the sample (size, mean) but not change it.
    fn sample_params(&self, rng: &mut Rng, sample: &Sample) -> Self::Params;

    /// Applies fixed parameters. Geometric transforms move the image and every mask alike;
    /// photometric ones change the image only.
    fn apply(&self, params: &Self::Params, sample: &mut Sample) -> Result<()>;
}

/// A transform behind a pointer, with its parameters as JSON.
pub trait DynTransform: Send + Sync {
    /// Samples, applies, and returns the parameters used.
    fn run(&self, rng: &mut Rng, sample: &mut Sample) -> Result<Value>;
    /// Applies parameters from a replay log.
    fn replay(&self, params: &Value, sample: &mut Sample) -> Result<()>;
}

impl<T: Transform> DynTransform for T {
    fn run(&self, rng: &mut Rng, sample: &mut Sample) -> Result<Value> {
        let params = self.sample_params(rng, sample);
        self.apply(&params, sample)?;
        serde_json::to_value(&params).map_err(|e| Error::Recipe(format!("internal: cannot record parameters: {e}")))
    }

    fn replay(&self, params: &Value, sample: &mut Sample) -> Result<()> {
        let params: T::Params = serde_json::from_value(params.clone())
            .map_err(|e| Error::Recipe(format!("replay log entry does not fit this transform: {e}")))?;
        self.apply(&params, sample)
    }
}

/// How to build a transform from its validated fields.
pub type Builder = fn(&Fields) -> Result<Box<dyn DynTransform>>;

/// A catalog entry and its builder.
pub struct Entry {
    pub info: &'static TransformInfo,
    pub build: Builder,
}

/// Every transform augplay knows, in catalog order.
pub fn registry() -> &'static [Entry] {
    static ENTRIES: &[Entry] = &[
        Entry { info: &flip::HORIZONTAL_FLIP, build: flip::build_horizontal },
        Entry { info: &flip::VERTICAL_FLIP, build: flip::build_vertical },
        Entry { info: &noise::GAUSS_NOISE, build: noise::build_gauss_noise },
        Entry { info: &noise::ADDITIVE_NOISE, build: noise::build_additive_noise },
        Entry { info: &noise::MULTIPLICATIVE_NOISE, build: noise::build_multiplicative_noise },
        Entry { info: &noise::SALT_AND_PEPPER, build: noise::build_salt_and_pepper },
        Entry { info: &noise::SHOT_NOISE, build: noise::build_shot_noise },
        Entry { info: &noise::BINARY_NOISE, build: noise::build_binary_noise },
        Entry { info: &color::RANDOM_BRIGHTNESS_CONTRAST, build: color::build_brightness_contrast },
        Entry { info: &color::COLOR_JITTER, build: color::build_color_jitter },
        Entry { info: &color::HUE_SATURATION_VALUE, build: color::build_hue_saturation_value },
        Entry { info: &color::RGB_SHIFT, build: color::build_rgb_shift },
        Entry { info: &color::RANDOM_GAMMA, build: color::build_random_gamma },
        Entry { info: &color::TO_GRAY, build: color::build_to_gray },
        Entry { info: &color::CHANNEL_SHUFFLE, build: color::build_channel_shuffle },
        Entry { info: &color::INVERT_IMG, build: color::build_invert },
        Entry { info: &color::SOLARIZE, build: color::build_solarize },
        Entry { info: &color::POSTERIZE, build: color::build_posterize },
        Entry { info: &color::EQUALIZE, build: color::build_equalize },
        Entry { info: &color::AUTO_CONTRAST, build: color::build_auto_contrast },
        Entry { info: &color::SHARPEN, build: color::build_sharpen },
        Entry { info: &color::CLAHE, build: color::build_clahe },
        Entry { info: &blur::GAUSSIAN_BLUR, build: blur::build_gaussian_blur },
        Entry { info: &blur::MOTION_BLUR, build: blur::build_motion_blur },
        Entry { info: &blur::MEDIAN_BLUR, build: blur::build_median_blur },
        Entry { info: &blur::DEFOCUS, build: blur::build_defocus },
        Entry { info: &blur::IMAGE_COMPRESSION, build: blur::build_image_compression },
        Entry { info: &dropout::PIXEL_DROPOUT, build: dropout::build_pixel_dropout },
        Entry { info: &dropout::CHANNEL_DROPOUT, build: dropout::build_channel_dropout },
        Entry { info: &dropout::COARSE_DROPOUT, build: dropout::build_coarse_dropout },
        Entry { info: &dropout::ERASING, build: dropout::build_erasing },
        Entry { info: &dropout::GRID_DROPOUT, build: dropout::build_grid_dropout },
        Entry { info: &dropout::DROP_BLOCK, build: dropout::build_drop_block },
    ];
    ENTRIES
}

/// Looks a transform up by its exact name.
pub fn find(name: &str) -> Option<&'static Entry> {
    registry().iter().find(|e| e.info.name == name)
}

/// The catalog as JSON: every transform with its family, description and parameters.
pub fn catalog() -> Value {
    Value::Array(registry().iter().map(|e| e.info.catalog_entry()).collect())
}

/// Parameters of transforms that sample nothing.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}
