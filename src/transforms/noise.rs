//! Noise added to pixel values. Photometric: masks are untouched.

use serde::{Deserialize, Serialize};

use super::spec::{Family, Fields, Kind, ParamSpec, Scalar, TransformInfo};
use super::{DynTransform, Transform};
use crate::error::Result;
use crate::image::Sample;
use crate::kernels::noise;
use crate::rng::Rng;

pub const GAUSS_NOISE: TransformInfo = TransformInfo {
    name: "GaussNoise",
    family: Family::Noise,
    description: "Adds normally distributed noise; std and mean are fractions of 255.",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec {
            name: "std_range",
            kind: Kind::FloatRange { default: [0.2, 0.44], min: 0.0, max: 1.0, scalar: Scalar::Fixed },
            description: "Range the noise standard deviation is drawn from, as a fraction of 255.",
        },
        ParamSpec {
            name: "mean_range",
            kind: Kind::FloatRange { default: [0.0, 0.0], min: -1.0, max: 1.0, scalar: Scalar::Fixed },
            description: "Range the noise mean is drawn from, as a fraction of 255.",
        },
        ParamSpec {
            name: "per_channel",
            kind: Kind::Bool { default: true },
            description: "Independent noise in each colour channel; off: one value per pixel, added to all channels.",
        },
    ],
};

pub struct GaussNoise {
    std_range: [f64; 2],
    mean_range: [f64; 2],
    per_channel: bool,
}

/// What one application used: std and mean as fractions of 255, and the noise field's seed.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GaussNoiseParams {
    pub std: f64,
    pub mean: f64,
    pub noise_seed: u64,
}

pub fn build_gauss_noise(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(GaussNoise {
        std_range: f.float_range("std_range")?,
        mean_range: f.float_range("mean_range")?,
        per_channel: f.bool("per_channel")?,
    }))
}

impl Transform for GaussNoise {
    type Params = GaussNoiseParams;

    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> GaussNoiseParams {
        let std = rng.uniform(self.std_range[0], self.std_range[1]);
        let mean = rng.uniform(self.mean_range[0], self.mean_range[1]);
        GaussNoiseParams { std, mean, noise_seed: rng.next_seed() }
    }

    fn apply(&self, p: &GaussNoiseParams, sample: &mut Sample) -> Result<()> {
        let table = noise::gaussian_table(p.mean * 255.0, p.std * 255.0);
        noise::add_table_noise(&mut sample.image, &table, self.per_channel, p.noise_seed);
        Ok(())
    }
}
