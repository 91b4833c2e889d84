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
        let (alpha, beta) = (p.alpha as f32, p.beta as f32);
        lut::apply_linear(&mut sample.image, &lut::multiply_add(alpha, beta), alpha, beta);
        Ok(())
    }
}

use crate::kernels::color::{self, GrayMethod};
use crate::kernels::jitter::{self, ColorOp};

/// Parameters of transforms that draw nothing but apply a fixed recipe (logged as `{}`).
type Fixed = super::NoParams;

// ---------------------------------------------------------------- ColorJitter

pub const COLOR_JITTER: TransformInfo = TransformInfo {
    name: "ColorJitter",
    family: Family::Colour,
    description: "Brightness, contrast, saturation and hue factors drawn uniformly, applied in random order (torchvision semantics, uint8 steps). Computed in 16-bit fixed point, every value is within one level of torchvision's float result: brightness exact, contrast, saturation and hue differing by one in under 2 % of values. Factors of 2 or more fall back to f32: brightness, contrast and saturation exact, hue under 0.01 % differing.",
    caution: Some("Hue shifts recolour objects (a red light turns green): narrow or drop hue where colour carries meaning."),
    default_p: 0.5,
    params: &[
        ParamSpec { name: "brightness", kind: Kind::FloatRange { default: [0.8, 1.2], min: 0.0, max: 10.0, scalar: Scalar::AroundOne }, description: "Range of the brightness factor (1 = unchanged)." },
        ParamSpec { name: "contrast", kind: Kind::FloatRange { default: [0.8, 1.2], min: 0.0, max: 10.0, scalar: Scalar::AroundOne }, description: "Range of the contrast factor (1 = unchanged)." },
        ParamSpec { name: "saturation", kind: Kind::FloatRange { default: [0.8, 1.2], min: 0.0, max: 10.0, scalar: Scalar::AroundOne }, description: "Range of the saturation factor (0 = gray, 1 = unchanged)." },
        ParamSpec { name: "hue", kind: Kind::FloatRange { default: [-0.5, 0.5], min: -0.5, max: 0.5, scalar: Scalar::Symmetric }, description: "Range of the hue shift in turns of the colour wheel (0 = unchanged)." },
    ],
};

pub struct ColorJitter {
    ranges: [[f64; 2]; 4],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ColorJitterParams {
    pub brightness: f64,
    pub contrast: f64,
    pub saturation: f64,
    pub hue: f64,
    /// The order the four adjustments ran in: 0 brightness, 1 contrast, 2 saturation, 3 hue.
    pub order: [u8; 4],
}

pub fn build_color_jitter(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(ColorJitter { ranges: [f.float_range("brightness")?, f.float_range("contrast")?, f.float_range("saturation")?, f.float_range("hue")?] }))
}

impl Transform for ColorJitter {
    type Params = ColorJitterParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> ColorJitterParams {
        let mut order = [0u8, 1, 2, 3];
        for i in (1..4).rev() {
            let j = rng.int_inclusive(0, i as i64) as usize;
            order.swap(i, j);
        }
        let [b, c, s, h] = self.ranges.map(|r| rng.uniform(r[0], r[1]));
        ColorJitterParams { brightness: b, contrast: c, saturation: s, hue: h, order }
    }
    fn apply(&self, p: &ColorJitterParams, sample: &mut Sample) -> Result<()> {
        let img = &mut sample.image;
        if img.color_channels() >= 3 {
            // One fused pass (two when contrast, which needs the mean gray at its turn, is on).
            let mut before = [ColorOp::Hue(0.0); 4];
            let mut after = [ColorOp::Hue(0.0); 4];
            let (mut nb, mut na, mut contrast) = (0, 0, None);
            for op in p.order {
                let op = match op {
                    0 if p.brightness != 1.0 => ColorOp::MulAdd { alpha: p.brightness as f32, beta: 0.0 },
                    1 if p.contrast != 1.0 => {
                        contrast = Some(p.contrast as f32);
                        continue;
                    }
                    2 if p.saturation != 1.0 => ColorOp::Saturation(p.saturation as f32),
                    3 if p.hue != 0.0 => ColorOp::Hue(p.hue as f32),
                    _ => continue,
                };
                if contrast.is_none() {
                    before[nb] = op;
                    nb += 1;
                } else {
                    after[na] = op;
                    na += 1;
                }
            }
            match contrast {
                Some(f) => jitter::apply_around_contrast(img, &before[..nb], f, &after[..na]),
                None => jitter::apply(img, &before[..nb]),
            }
            return Ok(());
        }
        for op in p.order {
            match op {
                0 if p.brightness != 1.0 => color::brightness(img, p.brightness as f32),
                1 if p.contrast != 1.0 => color::contrast(img, p.contrast as f32),
                2 if p.saturation != 1.0 => color::saturation(img, p.saturation as f32),
                3 if p.hue != 0.0 => color::hue(img, p.hue as f32),
                _ => {}
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- HueSaturationValue, RGBShift

pub const HUE_SATURATION_VALUE: TransformInfo = TransformInfo {
    name: "HueSaturationValue",
    family: Family::Colour,
    description: "Shifts hue (OpenCV units, 180 = full turn), saturation and value by random amounts.",
    caution: Some("Hue shifts recolour objects: keep hue_shift_limit small where colour carries meaning."),
    default_p: 0.5,
    params: &[
        ParamSpec { name: "hue_shift_limit", kind: Kind::FloatRange { default: [-20.0, 20.0], min: -180.0, max: 180.0, scalar: Scalar::Symmetric }, description: "Range of the hue shift (180 = a full turn)." },
        ParamSpec { name: "sat_shift_limit", kind: Kind::FloatRange { default: [-30.0, 30.0], min: -255.0, max: 255.0, scalar: Scalar::Symmetric }, description: "Range of the saturation shift (0–255 scale)." },
        ParamSpec { name: "val_shift_limit", kind: Kind::FloatRange { default: [-20.0, 20.0], min: -255.0, max: 255.0, scalar: Scalar::Symmetric }, description: "Range of the value (brightness) shift (0–255 scale)." },
    ],
};

pub struct HueSaturationValue {
    ranges: [[f64; 2]; 3],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HsvParams {
    pub hue_shift: f64,
    pub sat_shift: f64,
    pub val_shift: f64,
}

pub fn build_hue_saturation_value(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(HueSaturationValue { ranges: [f.float_range("hue_shift_limit")?, f.float_range("sat_shift_limit")?, f.float_range("val_shift_limit")?] }))
}

impl Transform for HueSaturationValue {
    type Params = HsvParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> HsvParams {
        let [h, s, v] = self.ranges.map(|r| rng.uniform(r[0], r[1]));
        HsvParams { hue_shift: h, sat_shift: s, val_shift: v }
    }
    fn apply(&self, p: &HsvParams, sample: &mut Sample) -> Result<()> {
        color::hsv_shift(&mut sample.image, p.hue_shift as f32, p.sat_shift as f32, p.val_shift as f32);
        Ok(())
    }
}

pub const RGB_SHIFT: TransformInfo = TransformInfo {
    name: "RGBShift",
    family: Family::Colour,
    description: "Adds a random constant to each of the red, green and blue channels (grey levels).",
    caution: Some("Changes the colour balance: unsuitable where exact colour identifies the class."),
    default_p: 0.5,
    params: &[
        ParamSpec { name: "r_shift_limit", kind: Kind::FloatRange { default: [-20.0, 20.0], min: -255.0, max: 255.0, scalar: Scalar::Symmetric }, description: "Range of the red shift in grey levels." },
        ParamSpec { name: "g_shift_limit", kind: Kind::FloatRange { default: [-20.0, 20.0], min: -255.0, max: 255.0, scalar: Scalar::Symmetric }, description: "Range of the green shift in grey levels." },
        ParamSpec { name: "b_shift_limit", kind: Kind::FloatRange { default: [-20.0, 20.0], min: -255.0, max: 255.0, scalar: Scalar::Symmetric }, description: "Range of the blue shift in grey levels." },
    ],
};

pub struct RgbShift {
    ranges: [[f64; 2]; 3],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RgbShiftParams {
    pub shifts: [f64; 3],
}

pub fn build_rgb_shift(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(RgbShift { ranges: [f.float_range("r_shift_limit")?, f.float_range("g_shift_limit")?, f.float_range("b_shift_limit")?] }))
}

impl Transform for RgbShift {
    type Params = RgbShiftParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> RgbShiftParams {
        RgbShiftParams { shifts: self.ranges.map(|r| rng.uniform(r[0], r[1])) }
    }
    fn apply(&self, p: &RgbShiftParams, sample: &mut Sample) -> Result<()> {
        // Shifts are truncated to whole grey levels, as adding to a uint8 image does.
        lut::apply_per_channel(&mut sample.image, &p.shifts.map(|s| lut::add(s as i32)));
        Ok(())
    }
}

// ---------------------------------------------------------------- RandomGamma, Solarize, Posterize, InvertImg

pub const RANDOM_GAMMA: TransformInfo = TransformInfo {
    name: "RandomGamma",
    family: Family::Colour,
    description: "Applies v' = 255 (v / 255)^γ with γ = gamma_limit / 100: below 100 brightens, above darkens.",
    caution: None,
    default_p: 0.5,
    params: &[ParamSpec { name: "gamma_limit", kind: Kind::FloatRange { default: [80.0, 120.0], min: 1.0, max: 1000.0, scalar: Scalar::Fixed }, description: "Range of γ × 100." }],
};

pub struct RandomGamma {
    range: [f64; 2],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GammaParams {
    pub gamma: f64,
}

pub fn build_random_gamma(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(RandomGamma { range: f.float_range("gamma_limit")? }))
}

impl Transform for RandomGamma {
    type Params = GammaParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> GammaParams {
        GammaParams { gamma: rng.uniform(self.range[0], self.range[1]) / 100.0 }
    }
    fn apply(&self, p: &GammaParams, sample: &mut Sample) -> Result<()> {
        lut::apply_to_color(&mut sample.image, &lut::gamma(p.gamma));
        Ok(())
    }
}

pub const SOLARIZE: TransformInfo = TransformInfo {
    name: "Solarize",
    family: Family::Colour,
    description: "Inverts every value at or above a threshold (a fraction of 255).",
    caution: None,
    default_p: 0.5,
    params: &[ParamSpec { name: "threshold_range", kind: Kind::FloatRange { default: [0.5, 0.5], min: 0.0, max: 1.0, scalar: Scalar::Fixed }, description: "Range the threshold is drawn from, as a fraction of 255." }],
};

pub struct Solarize {
    range: [f64; 2],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SolarizeParams {
    pub threshold: f64,
}

pub fn build_solarize(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(Solarize { range: f.float_range("threshold_range")? }))
}

impl Transform for Solarize {
    type Params = SolarizeParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> SolarizeParams {
        SolarizeParams { threshold: rng.uniform(self.range[0], self.range[1]) * 255.0 }
    }
    fn apply(&self, p: &SolarizeParams, sample: &mut Sample) -> Result<()> {
        lut::solarize(&mut sample.image, p.threshold);
        Ok(())
    }
}

pub const POSTERIZE: TransformInfo = TransformInfo {
    name: "Posterize",
    family: Family::Colour,
    description: "Keeps only the top num_bits bits of each value (fewer colour levels).",
    caution: None,
    default_p: 0.5,
    params: &[ParamSpec { name: "num_bits", kind: Kind::IntRange { default: [4, 4], min: 1, max: 8, scalar: Scalar::Fixed }, description: "Range the number of kept bits is drawn from (8 = unchanged)." }],
};

pub struct Posterize {
    range: [i64; 2],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PosterizeParams {
    pub num_bits: u8,
}

pub fn build_posterize(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(Posterize { range: f.int_range("num_bits")? }))
}

impl Transform for Posterize {
    type Params = PosterizeParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> PosterizeParams {
        PosterizeParams { num_bits: rng.int_inclusive(self.range[0], self.range[1]) as u8 }
    }
    fn apply(&self, p: &PosterizeParams, sample: &mut Sample) -> Result<()> {
        lut::posterize(&mut sample.image, p.num_bits.clamp(1, 8) as u32);
        Ok(())
    }
}

/// A transform that applies one fixed operation (no parameters to draw).
pub struct FixedOp(fn(&mut Sample));

impl Transform for FixedOp {
    type Params = Fixed;
    fn sample_params(&self, _: &mut Rng, _: &Sample) -> Fixed {
        Fixed {}
    }
    fn apply(&self, _: &Fixed, sample: &mut Sample) -> Result<()> {
        (self.0)(sample);
        Ok(())
    }
}

pub const INVERT_IMG: TransformInfo = TransformInfo {
    name: "InvertImg",
    family: Family::Colour,
    description: "Inverts every value: 255 − v.",
    caution: None,
    default_p: 0.5,
    params: &[],
};

pub fn build_invert(_: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(FixedOp(|s| lut::invert(&mut s.image))))
}

// ---------------------------------------------------------------- ToGray, ChannelShuffle

pub const TO_GRAY: TransformInfo = TransformInfo {
    name: "ToGray",
    family: Family::Colour,
    description: "Makes the image gray, keeping its channels (R = G = B).",
    caution: None,
    default_p: 0.5,
    params: &[ParamSpec {
        name: "method",
        kind: Kind::Choice { default: "weighted_average", options: &["weighted_average", "from_lab", "desaturation", "average", "max"] },
        description: "weighted_average: BT.601 luma; from_lab: CIELAB lightness; desaturation: (max+min)/2; average; max.",
    }],
};

pub struct ToGray(GrayMethod);

pub fn build_to_gray(f: &Fields) -> Result<Box<dyn DynTransform>> {
    let method = match f.choice("method")? {
        "from_lab" => GrayMethod::FromLab,
        "desaturation" => GrayMethod::Desaturation,
        "average" => GrayMethod::Average,
        "max" => GrayMethod::Max,
        _ => GrayMethod::WeightedAverage,
    };
    Ok(Box::new(ToGray(method)))
}

impl Transform for ToGray {
    type Params = Fixed;
    fn sample_params(&self, _: &mut Rng, _: &Sample) -> Fixed {
        Fixed {}
    }
    fn apply(&self, _: &Fixed, sample: &mut Sample) -> Result<()> {
        color::to_gray(&mut sample.image, self.0);
        Ok(())
    }
}

pub const CHANNEL_SHUFFLE: TransformInfo = TransformInfo {
    name: "ChannelShuffle",
    family: Family::Colour,
    description: "Permutes the red, green and blue channels randomly.",
    caution: Some("Swaps colours outright (sky turns red): only where colour is incidental."),
    default_p: 0.5,
    params: &[],
};

pub struct ChannelShuffle;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ShuffleParams {
    pub order: [usize; 3],
}

pub fn build_channel_shuffle(_: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(ChannelShuffle))
}

impl Transform for ChannelShuffle {
    type Params = ShuffleParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> ShuffleParams {
        let mut order = [0, 1, 2];
        for i in (1..3).rev() {
            let j = rng.int_inclusive(0, i as i64) as usize;
            order.swap(i, j);
        }
        ShuffleParams { order }
    }
    fn apply(&self, p: &ShuffleParams, sample: &mut Sample) -> Result<()> {
        if p.order.iter().any(|&c| c > 2) {
            return Err(crate::Error::Recipe(format!("ChannelShuffle order {:?} is not a permutation of 0, 1, 2", p.order)));
        }
        color::permute_channels(&mut sample.image, &p.order);
        Ok(())
    }
}

// ---------------------------------------------------------------- Equalize, AutoContrast

pub const EQUALIZE: TransformInfo = TransformInfo {
    name: "Equalize",
    family: Family::Colour,
    description: "Spreads each channel's histogram evenly over 0–255 (OpenCV's or PIL's formula).",
    caution: None,
    default_p: 0.5,
    params: &[ParamSpec { name: "mode", kind: Kind::Choice { default: "cv", options: &["cv", "pil"] }, description: "cv: OpenCV's equalizeHist; pil: PIL's ImageOps.equalize." }],
};

pub struct Equalize {
    pil: bool,
}

pub fn build_equalize(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(Equalize { pil: f.choice("mode")? == "pil" }))
}

impl Transform for Equalize {
    type Params = Fixed;
    fn sample_params(&self, _: &mut Rng, _: &Sample) -> Fixed {
        Fixed {}
    }
    fn apply(&self, _: &Fixed, sample: &mut Sample) -> Result<()> {
        let hists = color::histograms(&sample.image);
        let mut luts = [[0u8; 256]; 3];
        for (c, h) in hists.iter().enumerate() {
            luts[c] = if self.pil { color::equalize_pil(h) } else { color::equalize_cv(h) };
        }
        lut::apply_per_channel(&mut sample.image, &luts);
        Ok(())
    }
}

pub const AUTO_CONTRAST: TransformInfo = TransformInfo {
    name: "AutoContrast",
    family: Family::Colour,
    description: "Stretches each channel so its darkest value becomes 0 and its brightest 255 (optionally ignoring a cutoff percentage).",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "cutoff", kind: Kind::Float { default: 0.0, min: 0.0, max: 49.0 }, description: "Percent of the darkest and of the brightest pixels to ignore." },
        ParamSpec { name: "method", kind: Kind::Choice { default: "cdf", options: &["cdf", "pil"] }, description: "cdf: map through the cumulative histogram; pil: linear stretch." },
    ],
};

pub struct AutoContrast {
    cutoff: f64,
    cdf: bool,
}

pub fn build_auto_contrast(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(AutoContrast { cutoff: f.float("cutoff")?, cdf: f.choice("method")? == "cdf" }))
}

impl Transform for AutoContrast {
    type Params = Fixed;
    fn sample_params(&self, _: &mut Rng, _: &Sample) -> Fixed {
        Fixed {}
    }
    fn apply(&self, _: &Fixed, sample: &mut Sample) -> Result<()> {
        let hists = color::histograms(&sample.image);
        let mut luts = [[0u8; 256]; 3];
        for (c, l) in luts.iter_mut().enumerate() {
            *l = std::array::from_fn(|i| i as u8);
            if let Some(h) = hists.get(c) {
                if let Some(table) = color::autocontrast(h, self.cutoff, self.cdf) {
                    *l = table;
                }
            }
        }
        lut::apply_per_channel(&mut sample.image, &luts);
        Ok(())
    }
}

// ---------------------------------------------------------------- Sharpen

pub const SHARPEN: TransformInfo = TransformInfo {
    name: "Sharpen",
    family: Family::Colour,
    description: "Sharpens with a 3×3 kernel blended in by alpha; lightness sets the centre weight.",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "alpha", kind: Kind::FloatRange { default: [0.2, 0.5], min: 0.0, max: 1.0, scalar: Scalar::Fixed }, description: "Range of the blend between original (0) and fully sharpened (1)." },
        ParamSpec { name: "lightness", kind: Kind::FloatRange { default: [0.5, 1.0], min: 0.0, max: 10.0, scalar: Scalar::Fixed }, description: "Range of the lightness of the sharpened image." },
    ],
};

pub struct Sharpen {
    alpha: [f64; 2],
    lightness: [f64; 2],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SharpenParams {
    pub alpha: f64,
    pub lightness: f64,
}

pub fn build_sharpen(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(Sharpen { alpha: f.float_range("alpha")?, lightness: f.float_range("lightness")? }))
}

impl Transform for Sharpen {
    type Params = SharpenParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> SharpenParams {
        let alpha = rng.uniform(self.alpha[0], self.alpha[1]);
        let lightness = rng.uniform(self.lightness[0], self.lightness[1]);
        SharpenParams { alpha, lightness }
    }
    fn apply(&self, p: &SharpenParams, sample: &mut Sample) -> Result<()> {
        // (1 − α)·identity + α·[[-1,-1,-1],[-1,8+lightness,-1],[-1,-1,-1]], as albumentations builds it.
        crate::kernels::filter::sharpen3(&mut sample.image, p.alpha as f32, p.lightness as f32);
        Ok(())
    }
}

// ---------------------------------------------------------------- CLAHE

pub const CLAHE: TransformInfo = TransformInfo {
    name: "CLAHE",
    family: Family::Colour,
    description: "Contrast-limited adaptive histogram equalisation per tile (OpenCV's, bit-exact on gray; colour images use the lightness of OpenCV's 8-bit CIELAB, as albumentations does).",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "clip_limit", kind: Kind::FloatRange { default: [1.0, 4.0], min: 0.0, max: 100.0, scalar: Scalar::Fixed }, description: "Range of the contrast limit (higher: stronger equalisation)." },
        ParamSpec { name: "tile_grid_size", kind: Kind::IntPair { default: [8, 8], min: 1, max: 256 }, description: "Tiles across and down." },
    ],
};

pub struct Clahe {
    clip: [f64; 2],
    tiles: [i64; 2],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ClaheParams {
    pub clip_limit: f64,
}

pub fn build_clahe(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(Clahe { clip: f.float_range("clip_limit")?, tiles: f.int_pair("tile_grid_size")? }))
}

impl Transform for Clahe {
    type Params = ClaheParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> ClaheParams {
        ClaheParams { clip_limit: rng.uniform(self.clip[0], self.clip[1]) }
    }
    fn apply(&self, p: &ClaheParams, sample: &mut Sample) -> Result<()> {
        crate::kernels::clahe::clahe(&mut sample.image, p.clip_limit, self.tiles[0] as usize, self.tiles[1] as usize);
        Ok(())
    }
}
