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

// ---------------------------------------------------------------- AdditiveNoise

pub const ADDITIVE_NOISE: TransformInfo = TransformInfo {
    name: "AdditiveNoise",
    family: Family::Noise,
    description: "Adds uniform, Gaussian or Laplace noise per value, per pixel (shared by channels) or as one offset per channel.",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec {
            name: "noise_type",
            kind: Kind::Choice { default: "uniform", options: &["uniform", "gaussian", "laplace"] },
            description: "Distribution of the noise.",
        },
        ParamSpec {
            name: "spatial_mode",
            kind: Kind::Choice { default: "constant", options: &["constant", "per_pixel", "shared"] },
            description: "constant: one value per channel for the whole image; per_pixel: every value; shared: one per pixel for all channels.",
        },
        ParamSpec {
            name: "mean_range",
            kind: Kind::FloatRange { default: [0.0, 0.0], min: -1.0, max: 1.0, scalar: Scalar::Fixed },
            description: "Range the noise mean is drawn from, as a fraction of 255.",
        },
        ParamSpec {
            name: "std_range",
            kind: Kind::FloatRange { default: [0.05, 0.05], min: 0.0, max: 1.0, scalar: Scalar::Fixed },
            description: "Range the noise standard deviation is drawn from, as a fraction of 255 (uniform ±0.1 has std 0.058).",
        },
    ],
};

pub struct AdditiveNoise {
    dist: noise::Distribution,
    mode: &'static str,
    mean_range: [f64; 2],
    std_range: [f64; 2],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AdditiveNoiseParams {
    pub std: f64,
    pub mean: f64,
    pub noise_seed: u64,
}

pub fn build_additive_noise(f: &Fields) -> Result<Box<dyn DynTransform>> {
    let dist = match f.choice("noise_type")? {
        "gaussian" => noise::Distribution::Gaussian,
        "laplace" => noise::Distribution::Laplace,
        _ => noise::Distribution::Uniform,
    };
    Ok(Box::new(AdditiveNoise { dist, mode: f.choice("spatial_mode")?, mean_range: f.float_range("mean_range")?, std_range: f.float_range("std_range")? }))
}

impl Transform for AdditiveNoise {
    type Params = AdditiveNoiseParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> AdditiveNoiseParams {
        let std = rng.uniform(self.std_range[0], self.std_range[1]);
        let mean = rng.uniform(self.mean_range[0], self.mean_range[1]);
        AdditiveNoiseParams { std, mean, noise_seed: rng.next_seed() }
    }
    fn apply(&self, p: &AdditiveNoiseParams, sample: &mut Sample) -> Result<()> {
        let table = noise::table(self.dist, p.mean * 255.0, p.std * 255.0);
        match self.mode {
            "constant" => {
                let mut draw = Rng::new(p.noise_seed);
                let luts = [0; 3].map(|_| crate::kernels::lut::add(table[(draw.next_u64() >> 54) as usize] as i32));
                crate::kernels::lut::apply_per_channel(&mut sample.image, &luts);
            }
            mode => noise::add_table_noise(&mut sample.image, &table, mode == "per_pixel", p.noise_seed),
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- MultiplicativeNoise

pub const MULTIPLICATIVE_NOISE: TransformInfo = TransformInfo {
    name: "MultiplicativeNoise",
    family: Family::Noise,
    description: "Multiplies values by random factors: one for the image, one per channel, or per pixel (elementwise).",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec {
            name: "multiplier",
            kind: Kind::FloatRange { default: [0.9, 1.1], min: 0.0, max: 10.0, scalar: Scalar::Fixed },
            description: "Range the factors are drawn from.",
        },
        ParamSpec { name: "per_channel", kind: Kind::Bool { default: false }, description: "A separate factor for each channel." },
        ParamSpec { name: "elementwise", kind: Kind::Bool { default: false }, description: "A separate factor for each pixel; off: one for the whole image." },
    ],
};

pub struct MultiplicativeNoise {
    range: [f64; 2],
    per_channel: bool,
    elementwise: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MultiplicativeNoiseParams {
    /// Factors for the whole image (one, or one per channel); empty when elementwise.
    pub multipliers: Vec<f64>,
    pub noise_seed: u64,
}

pub fn build_multiplicative_noise(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(MultiplicativeNoise { range: f.float_range("multiplier")?, per_channel: f.bool("per_channel")?, elementwise: f.bool("elementwise")? }))
}

impl Transform for MultiplicativeNoise {
    type Params = MultiplicativeNoiseParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> MultiplicativeNoiseParams {
        let multipliers = if self.elementwise {
            Vec::new()
        } else {
            let n = if self.per_channel { 3 } else { 1 };
            (0..n).map(|_| rng.uniform(self.range[0], self.range[1])).collect()
        };
        MultiplicativeNoiseParams { multipliers, noise_seed: rng.next_seed() }
    }
    fn apply(&self, p: &MultiplicativeNoiseParams, sample: &mut Sample) -> Result<()> {
        if p.multipliers.is_empty() {
            noise::multiply_field(&mut sample.image, self.range[0], self.range[1], self.per_channel, p.noise_seed);
            return Ok(());
        }
        let lut_for = |m: f64| {
            let mut lut = [0u8; 256];
            for (v, out) in lut.iter_mut().enumerate() {
                *out = (v as f32 * m as f32).clamp(0.0, 255.0) as u8;
            }
            lut
        };
        let m = |c: usize| p.multipliers.get(c).or(p.multipliers.first()).copied().unwrap_or(1.0);
        crate::kernels::lut::apply_per_channel(&mut sample.image, &[lut_for(m(0)), lut_for(m(1)), lut_for(m(2))]);
        Ok(())
    }
}

// ---------------------------------------------------------------- SaltAndPepper, ShotNoise, BinaryNoise

pub const SALT_AND_PEPPER: TransformInfo = TransformInfo {
    name: "SaltAndPepper",
    family: Family::Noise,
    description: "Sets a fraction of pixels to white (salt) or black (pepper), like dead and hot sensor pixels.",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "amount", kind: Kind::FloatRange { default: [0.01, 0.06], min: 0.0, max: 1.0, scalar: Scalar::Fixed }, description: "Range the fraction of noisy pixels is drawn from." },
        ParamSpec { name: "salt_vs_pepper", kind: Kind::FloatRange { default: [0.4, 0.6], min: 0.0, max: 1.0, scalar: Scalar::Fixed }, description: "Range the white share of the noisy pixels is drawn from." },
    ],
};

pub struct SaltAndPepper {
    amount: [f64; 2],
    salt: [f64; 2],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SaltAndPepperParams {
    pub amount: f64,
    pub salt_vs_pepper: f64,
    pub noise_seed: u64,
}

pub fn build_salt_and_pepper(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(SaltAndPepper { amount: f.float_range("amount")?, salt: f.float_range("salt_vs_pepper")? }))
}

impl Transform for SaltAndPepper {
    type Params = SaltAndPepperParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> SaltAndPepperParams {
        let amount = rng.uniform(self.amount[0], self.amount[1]);
        let salt_vs_pepper = rng.uniform(self.salt[0], self.salt[1]);
        SaltAndPepperParams { amount, salt_vs_pepper, noise_seed: rng.next_seed() }
    }
    fn apply(&self, p: &SaltAndPepperParams, sample: &mut Sample) -> Result<()> {
        noise::salt_and_pepper(&mut sample.image, p.amount, p.salt_vs_pepper, p.noise_seed);
        Ok(())
    }
}

pub const SHOT_NOISE: TransformInfo = TransformInfo {
    name: "ShotNoise",
    family: Family::Noise,
    description: "Photon (Poisson) noise in linear light: stronger in bright areas, like a camera at high ISO.",
    caution: None,
    default_p: 0.5,
    params: &[ParamSpec {
        name: "scale_range",
        kind: Kind::FloatRange { default: [0.1, 0.3], min: 0.001, max: 1.0, scalar: Scalar::Fixed },
        description: "Range of the scale, the reciprocal of photons per unit of intensity: larger is noisier.",
    }],
};

pub struct ShotNoise {
    range: [f64; 2],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ShotNoiseParams {
    pub scale: f64,
    pub noise_seed: u64,
}

pub fn build_shot_noise(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(ShotNoise { range: f.float_range("scale_range")? }))
}

impl Transform for ShotNoise {
    type Params = ShotNoiseParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> ShotNoiseParams {
        ShotNoiseParams { scale: rng.uniform(self.range[0], self.range[1]), noise_seed: rng.next_seed() }
    }
    fn apply(&self, p: &ShotNoiseParams, sample: &mut Sample) -> Result<()> {
        noise::shot(&mut sample.image, p.scale, p.noise_seed);
        Ok(())
    }
}

pub const BINARY_NOISE: TransformInfo = TransformInfo {
    name: "BinaryNoise",
    family: Family::Noise,
    description: "Flips pixels of binary images (black ↔ white; other values are inverted) with probability flip_prob.",
    caution: Some("Meant for binary inputs (masks, silhouettes, scanned text); on photos it speckles inverted pixels."),
    default_p: 0.5,
    params: &[ParamSpec { name: "flip_prob", kind: Kind::Float { default: 0.05, min: 0.0, max: 1.0 }, description: "Probability that a pixel is flipped." }],
};

pub struct BinaryNoise {
    prob: f64,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BinaryNoiseParams {
    pub noise_seed: u64,
}

pub fn build_binary_noise(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(BinaryNoise { prob: f.float("flip_prob")? }))
}

impl Transform for BinaryNoise {
    type Params = BinaryNoiseParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> BinaryNoiseParams {
        BinaryNoiseParams { noise_seed: rng.next_seed() }
    }
    fn apply(&self, p: &BinaryNoiseParams, sample: &mut Sample) -> Result<()> {
        noise::flip_pixels(&mut sample.image, self.prob, p.noise_seed);
        Ok(())
    }
}
