//! Randomised transforms. Each one (1) samples its parameters from the sample's [`Rng`] and
//! (2) applies them with a kernel. The sampled parameters are a plain serde struct: serialised,
//! they are the replay log, and fed back through [`DynTransform::replay`] they reproduce the
//! result without any randomness. Transforms never loop over pixels themselves.
//!
//! One file per family; [`registry`] lists every transform with its catalog entry.

pub mod spec;

mod blur;
mod color;
mod distortion;
pub mod dropout;
mod flip;
mod geometry;
mod noise;

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::image::Sample;
use crate::kernels::warp::{Border, Interpolation, Matrix};
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

    /// For geometric transforms that are projective maps: the map for these parameters on an
    /// image of `width` × `height`, so the pipeline can compose consecutive ones and resample
    /// once. `None` (the default) for everything else.
    fn projection(&self, _params: &Self::Params, _width: u32, _height: u32) -> Option<Projection> {
        None
    }
}

/// A geometric step as a projective map.
#[derive(Clone, Debug, PartialEq)]
pub struct Projection {
    /// Source → destination coordinates (pixel centres at whole numbers).
    pub matrix: Matrix,
    pub width: u32,
    pub height: u32,
    /// How to resample; `None` for exact pixel moves (flips, 90° turns, whole-pixel crops),
    /// which need no interpolation on their own.
    pub resample: Option<Resample>,
}

/// Resamples the image and every mask through `inverse` (destination → source) to `width` ×
/// `height`. Masks use the mask interpolation, fill 0, and are thresholded back to binary. The one
/// place a geometric map is carried out: by the pipeline's fusion and by single steps alike.
pub fn resample_sample(sample: &mut Sample, inverse: &Matrix, width: u32, height: u32, r: &Resample) -> Result<()> {
    crate::image::check_size(width, height)?;
    sample.image = crate::kernels::warp::warp(&sample.image, inverse, width, height, r.interpolation, r.border, &r.fill);
    for mask in sample.masks_mut() {
        let moved = crate::kernels::warp::warp(mask, inverse, width, height, r.mask_interpolation, r.border, &[0]);
        let data = moved.data().iter().map(|&v| if v >= 128 { crate::image::MASK_ON } else { 0 }).collect();
        *mask = crate::Image::new(width, height, 1, data)?;
    }
    Ok(())
}

/// Resampling settings of a geometric step.
#[derive(Clone, Debug, PartialEq)]
pub struct Resample {
    pub interpolation: Interpolation,
    pub mask_interpolation: Interpolation,
    pub border: Border,
    pub fill: Vec<u8>,
}

/// A transform behind a pointer, with its parameters as JSON (the replay log's form).
pub trait DynTransform: Send + Sync {
    /// Draws parameters for this sample.
    fn sample_json(&self, rng: &mut Rng, sample: &Sample) -> Result<Value>;
    /// Applies logged parameters.
    fn apply_json(&self, params: &Value, sample: &mut Sample) -> Result<()>;
    /// The projective map of logged parameters, if the transform is one.
    fn projection_json(&self, params: &Value, width: u32, height: u32) -> Result<Option<Projection>>;
}

fn parse_params<T: Transform>(params: &Value) -> Result<T::Params> {
    serde_json::from_value(params.clone()).map_err(|e| Error::Recipe(format!("replay log entry does not fit this transform: {e}")))
}

impl<T: Transform> DynTransform for T {
    fn sample_json(&self, rng: &mut Rng, sample: &Sample) -> Result<Value> {
        let params = self.sample_params(rng, sample);
        serde_json::to_value(&params).map_err(|e| Error::Recipe(format!("internal: cannot record parameters: {e}")))
    }

    fn apply_json(&self, params: &Value, sample: &mut Sample) -> Result<()> {
        self.apply(&parse_params::<T>(params)?, sample)
    }

    fn projection_json(&self, params: &Value, width: u32, height: u32) -> Result<Option<Projection>> {
        Ok(self.projection(&parse_params::<T>(params)?, width, height))
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
        Entry { info: &geometry::TRANSPOSE, build: geometry::build_transpose },
        Entry { info: &geometry::RANDOM_ROTATE_90, build: geometry::build_random_rotate_90 },
        Entry { info: &geometry::SQUARE_SYMMETRY, build: geometry::build_square_symmetry },
        Entry { info: &geometry::D4, build: geometry::build_square_symmetry },
        Entry { info: &geometry::ROTATE, build: geometry::build_rotate },
        Entry { info: &geometry::SAFE_ROTATE, build: geometry::build_safe_rotate },
        Entry { info: &geometry::AFFINE, build: geometry::build_affine },
        Entry { info: &geometry::SHIFT_SCALE_ROTATE, build: geometry::build_shift_scale_rotate },
        Entry { info: &geometry::PERSPECTIVE, build: geometry::build_perspective },
        Entry { info: &geometry::CENTER_CROP, build: geometry::build_center_crop },
        Entry { info: &geometry::RANDOM_CROP, build: geometry::build_random_crop },
        Entry { info: &geometry::PAD_IF_NEEDED, build: geometry::build_pad_if_needed },
        Entry { info: &geometry::CROP_AND_PAD, build: geometry::build_crop_and_pad },
        Entry { info: &geometry::RESIZE, build: geometry::build_resize },
        Entry { info: &geometry::LONGEST_MAX_SIZE, build: geometry::build_longest_max_size },
        Entry { info: &geometry::SMALLEST_MAX_SIZE, build: geometry::build_smallest_max_size },
        Entry { info: &geometry::RANDOM_SCALE, build: geometry::build_random_scale },
        Entry { info: &geometry::RANDOM_RESIZED_CROP, build: geometry::build_random_resized_crop },
        Entry { info: &geometry::RANDOM_SIZED_CROP, build: geometry::build_random_sized_crop },
        Entry { info: &distortion::OPTICAL_DISTORTION, build: distortion::build_optical_distortion },
        Entry { info: &distortion::GRID_DISTORTION, build: distortion::build_grid_distortion },
        Entry { info: &distortion::ELASTIC_TRANSFORM, build: distortion::build_elastic_transform },
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
        Entry { info: &blur::BLUR, build: blur::build_blur },
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
