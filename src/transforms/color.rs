//! Colour and brightness changes. Photometric: masks are untouched.

use serde::{Deserialize, Serialize};

use super::spec::{Family, Fields, Kind, ParamSpec, Scalar, TransformInfo};
use super::{DynTransform, Transform};
use crate::error::Result;
use crate::image::Sample;
use crate::kernels::lut;
use crate::rng::Rng;

pub const RANDOM_BRIGHTNESS_CONTRAST: TransformInfo = TransformInfo {
    name: "RandomBrightnessContrast",
    family: Family::Colour,
    description: "Scales values by 1 + contrast and shifts them by brightness × 255 (or × the image mean).",
    caution: Some("Strong changes can hide what a model must see (e.g. a dim brake light); keep limits small where lighting carries meaning."),
    default_p: 0.5,
    params: &[
        ParamSpec {
            name: "brightness_limit",
            kind: Kind::FloatRange { default: [-0.2, 0.2], min: -1.0, max: 1.0, scalar: Scalar::Symmetric },
            description: "Range the brightness shift is drawn from, as a fraction of 255 (or of the mean).",
        },
        ParamSpec {
            name: "contrast_limit",
            kind: Kind::FloatRange { default: [-0.2, 0.2], min: -1.0, max: 1.0, scalar: Scalar::Symmetric },
            description: "Range the contrast change is drawn from; values are multiplied by 1 + this.",
        },
        ParamSpec {
            name: "brightness_by_max",
            kind: Kind::Bool { default: true },
            description: "Brightness is a fraction of 255; off: a fraction of the image's mean value.",
        },
    ],
};

pub struct RandomBrightnessContrast {
    brightness_limit: [f64; 2],
    contrast_limit: [f64; 2],
    brightness_by_max: bool,
}

/// `v' = v × alpha + beta` with `beta` in grey levels, as albumentations records them.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BrightnessContrastParams {
    pub alpha: f64,
    pub beta: f64,
}

pub fn build_brightness_contrast(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(RandomBrightnessContrast {
        brightness_limit: f.float_range("brightness_limit")?,
        contrast_limit: f.float_range("contrast_limit")?,
        brightness_by_max: f.bool("brightness_by_max")?,
    }))
}

impl Transform for RandomBrightnessContrast {
    type Params = BrightnessContrastParams;

    fn sample_params(&self, rng: &mut Rng, sample: &Sample) -> BrightnessContrastParams {
        // Same draw order as albumentations: contrast, then brightness.
        let alpha = 1.0 + rng.uniform(self.contrast_limit[0], self.contrast_limit[1]);
        let beta = rng.uniform(self.brightness_limit[0], self.brightness_limit[1]);
        let scale = if self.brightness_by_max { 255.0 } else { lut::mean_color(&sample.image) };
        BrightnessContrastParams { alpha, beta: beta * scale }
    }

    fn apply(&self, p: &BrightnessContrastParams, sample: &mut Sample) -> Result<()> {
        let table = lut::multiply_add(p.alpha as f32, p.beta as f32);
        lut::apply_to_color(&mut sample.image, &table);
        Ok(())
    }
}
