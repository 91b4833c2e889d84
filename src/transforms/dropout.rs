//! Input dropout: pixels, channels, rectangles, grid cells or blocks replaced by a fill. Every
//! dropout marks what it dropped in the sample's `dropout` mask (a pixel counts when any of its
//! channels was dropped); the inpainting tasks and the page use it. With `compensate`, kept
//! values are multiplied by 1 / (1 − f), f the fraction dropped in this sample (the probability
//! itself for PixelDropout), as `torch.nn.Dropout` keeps the expected intensity.

use serde::{Deserialize, Serialize};

use super::spec::{Family, Fields, Fill, Kind, ParamSpec, Scalar, TransformInfo};
use super::{DynTransform, Transform};
use crate::error::Result;
use crate::image::{copied, Image, Sample, MASK_ON};
use crate::kernels::dropout::{self, FillValues};
use crate::rng::Rng;

/// Dropout mask name in a [`Sample`].
pub const DROPOUT_MASK: &str = "dropout";

const FILL: ParamSpec = ParamSpec {
    name: "fill",
    kind: Kind::Fill { default: 0, random: true },
    description: "What dropped pixels become: a grey level, [r, g, b], \"random\" values or one \"random_uniform\" colour per region.",
};
const COMPENSATE: ParamSpec = ParamSpec {
    name: "compensate",
    kind: Kind::Bool { default: false },
    description: "Scale kept values by 1/(1 − dropped fraction), as torch.nn.Dropout does, to keep the mean intensity.",
};

/// A fill as the replay log records it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum FillParams {
    /// Grey level(s), one per channel or one for all.
    Constant(Vec<u8>),
    /// Independent uniform values expanded from this seed.
    Random(u64),
}

impl FillParams {
    fn sample(fill: &Fill, rng: &mut Rng) -> FillParams {
        match fill {
            Fill::Values(v) => FillParams::Constant(v.clone()),
            Fill::Random => FillParams::Random(rng.next_seed()),
            Fill::RandomUniform => FillParams::Constant((0..3).map(|_| rng.int_inclusive(0, 255) as u8).collect()),
        }
    }
    fn kernel(&self) -> FillValues {
        match self {
            FillParams::Constant(v) => FillValues::Constant(v.clone()),
            FillParams::Random(seed) => FillValues::Random(*seed),
        }
    }
}

/// Records dropped pixels in the sample's dropout mask (union with earlier dropouts).
fn mark(sample: &mut Sample, mask: &[u8], per_value: bool) -> Result<()> {
    let color = sample.image.color_channels();
    let (w, h) = (sample.image.width(), sample.image.height());
    let mut merged = sample.mask(DROPOUT_MASK).map(|m| copied(m.data())).unwrap_or_else(|| vec![0; (w * h) as usize]);
    if per_value {
        for (m, values) in merged.iter_mut().zip(mask.chunks_exact(color)) {
            if values.iter().any(|&v| v != 0) {
                *m = MASK_ON;
            }
        }
    } else {
        // Branch-free, so it vectorises.
        for (m, &v) in merged.iter_mut().zip(mask) {
            *m = if v != 0 { MASK_ON } else { *m };
        }
    }
    sample.set_mask(DROPOUT_MASK, Image::new(w, h, 1, merged)?)
}

/// Applies a pixel mask with one fill, compensation and the dropout mask.
fn drop_pixels(sample: &mut Sample, mask: &[u8], per_value: bool, fill: &FillParams, compensate: Option<f64>) -> Result<()> {
    dropout::apply(&mut sample.image, mask, per_value, &fill.kernel());
    if let Some(fraction) = compensate {
        if fraction < 1.0 {
            dropout::scale_kept(&mut sample.image, mask, per_value, 1.0 / (1.0 - fraction));
        }
    }
    mark(sample, mask, per_value)
}

fn dropped_fraction(mask: &[u8]) -> f64 {
    mask.iter().filter(|&&m| m != 0).count() as f64 / mask.len().max(1) as f64
}

// ---------------------------------------------------------------- PixelDropout

pub const PIXEL_DROPOUT: TransformInfo = TransformInfo {
    name: "PixelDropout",
    family: Family::Dropout,
    description: "Drops each pixel (or each value) with probability dropout_prob, replacing it by drop_value.",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "dropout_prob", kind: Kind::Float { default: 0.01, min: 0.0, max: 1.0 }, description: "Probability that a pixel (or value, with per_channel) is dropped." },
        ParamSpec { name: "per_channel", kind: Kind::Bool { default: false }, description: "Drop each channel's value independently; off: whole pixels." },
        ParamSpec { name: "drop_value", kind: Kind::Fill { default: 0, random: true }, description: "What dropped values become: a grey level, [r, g, b], or \"random\" values." },
        COMPENSATE,
    ],
};

pub struct PixelDropout {
    prob: f64,
    per_channel: bool,
    fill: Fill,
    compensate: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PixelDropoutParams {
    pub mask_seed: u64,
    pub fill: FillParams,
}

pub fn build_pixel_dropout(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(PixelDropout { prob: f.float("dropout_prob")?, per_channel: f.bool("per_channel")?, fill: f.fill("drop_value")?, compensate: f.bool("compensate")? }))
}

impl Transform for PixelDropout {
    type Params = PixelDropoutParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> PixelDropoutParams {
        PixelDropoutParams { mask_seed: rng.next_seed(), fill: FillParams::sample(&self.fill, rng) }
    }
    fn apply(&self, p: &PixelDropoutParams, sample: &mut Sample) -> Result<()> {
        let pixels = (sample.image.width() * sample.image.height()) as usize;
        let len = if self.per_channel { pixels * sample.image.color_channels() } else { pixels };
        let mask = dropout::bernoulli_mask(len, self.prob, p.mask_seed);
        drop_pixels(sample, &mask, self.per_channel, &p.fill, self.compensate.then_some(self.prob))
    }
}

// ---------------------------------------------------------------- ChannelDropout

pub const CHANNEL_DROPOUT: TransformInfo = TransformInfo {
    name: "ChannelDropout",
    family: Family::Dropout,
    description: "Replaces whole colour channels by fill; at least one channel always stays; gray images are left as they are.",
    caution: Some("Hides colour cues entirely (a red light loses its red): only where colour is incidental."),
    default_p: 0.5,
    params: &[
        ParamSpec { name: "channel_drop_range", kind: Kind::IntRange { default: [1, 1], min: 1, max: 2, scalar: Scalar::Fixed }, description: "Range the number of dropped channels is drawn from." },
        ParamSpec { name: "fill", kind: Kind::Fill { default: 0, random: true }, description: "What dropped channels become: a grey level (or \"random\" values)." },
    ],
};

pub struct ChannelDropout {
    range: [i64; 2],
    fill: Fill,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ChannelDropoutParams {
    pub channels: Vec<u8>,
    pub fill: FillParams,
}

pub fn build_channel_dropout(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(ChannelDropout { range: f.int_range("channel_drop_range")?, fill: f.fill("fill")? }))
}

impl Transform for ChannelDropout {
    type Params = ChannelDropoutParams;
    fn sample_params(&self, rng: &mut Rng, sample: &Sample) -> ChannelDropoutParams {
        let color = sample.image.color_channels() as i64;
        let n = rng.int_inclusive(self.range[0], self.range[1]).min(color - 1).max(0) as usize;
        let mut order: Vec<u8> = (0..color as u8).collect();
        for i in 0..n {
            let j = rng.int_inclusive(i as i64, color - 1) as usize;
            order.swap(i, j);
        }
        let mut channels = order[..n].to_vec();
        channels.sort_unstable();
        ChannelDropoutParams { channels, fill: FillParams::sample(&self.fill, rng) }
    }
    fn apply(&self, p: &ChannelDropoutParams, sample: &mut Sample) -> Result<()> {
        if p.channels.is_empty() {
            return Ok(());
        }
        let color = sample.image.color_channels();
        let pixels = (sample.image.width() * sample.image.height()) as usize;
        let channels: Vec<usize> = p.channels.iter().map(|&ch| ch as usize).collect();
        if let FillParams::Constant(values) = &p.fill {
            if !channels.iter().any(|&ch| ch < color) {
                return Ok(());
            }
            // The common case in one pass; every pixel lost a value.
            dropout::fill_channels(&mut sample.image, &channels, values);
            let (w, h) = (sample.image.width(), sample.image.height());
            return sample.set_mask(DROPOUT_MASK, Image::filled(w, h, 1, MASK_ON)?);
        }
        let mask = dropout::channel_mask(pixels, color, &channels);
        drop_pixels(sample, &mask, true, &p.fill, None)
    }
}

// ---------------------------------------------------------------- rectangles: CoarseDropout, Erasing, GridDropout

/// Parameters of the rectangle dropouts: the holes `[x0, y0, x1, y1)` and their fills (one for
/// all holes, or one per hole with "random_uniform").
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HolesParams {
    pub holes: Vec<[u32; 4]>,
    pub fills: Vec<FillParams>,
}

fn sample_fills(fill: &Fill, holes: usize, rng: &mut Rng) -> Vec<FillParams> {
    match fill {
        Fill::RandomUniform => (0..holes).map(|_| FillParams::sample(fill, rng)).collect(),
        _ => vec![FillParams::sample(fill, rng)],
    }
}

fn drop_holes(p: &HolesParams, sample: &mut Sample, compensate: bool) -> Result<()> {
    let (w, h) = (sample.image.width(), sample.image.height());
    let all = dropout::rect_mask(w, h, &p.holes);
    let fraction = compensate.then(|| dropped_fraction(&all));
    if let ([FillParams::Constant(values)], None) = (p.fills.as_slice(), fraction) {
        // One constant for every hole: fill the rectangles themselves, not a scan of the image.
        dropout::fill_rects(&mut sample.image, &p.holes, values);
        if sample.mask(DROPOUT_MASK).is_none() {
            // The first dropout of the sample: its rectangle mask becomes the dropout mask.
            let mut all = all;
            all.iter_mut().for_each(|v| *v = if *v != 0 { MASK_ON } else { 0 });
            return sample.set_mask(DROPOUT_MASK, Image::new(w, h, 1, all)?);
        }
        return mark(sample, &all, false);
    }
    if p.fills.len() == 1 || p.holes.is_empty() {
        if let Some(fill) = p.fills.first() {
            return drop_pixels(sample, &all, false, fill, fraction);
        }
        return Ok(());
    }
    for (hole, fill) in p.holes.iter().zip(&p.fills) {
        let one = dropout::rect_mask(w, h, std::slice::from_ref(hole));
        dropout::apply(&mut sample.image, &one, false, &fill.kernel());
    }
    if let Some(f) = fraction.filter(|f| *f < 1.0) {
        dropout::scale_kept(&mut sample.image, &all, false, 1.0 / (1.0 - f));
    }
    mark(sample, &all, false)
}

/// A side length from a range that is a fraction of `side` (values up to 1) or pixels (above 1).
fn side_from(range: [f64; 2], side: u32, rng: &mut Rng) -> u32 {
    let v = if range[1] <= 1.0 {
        (rng.uniform(range[0], range[1]) * side as f64) as i64
    } else {
        rng.int_inclusive(range[0].round() as i64, range[1].round() as i64)
    };
    v.clamp(1, side as i64) as u32
}

pub const COARSE_DROPOUT: TransformInfo = TransformInfo {
    name: "CoarseDropout",
    family: Family::Dropout,
    description: "Cuts out a few rectangles; hole sides are fractions of the image side (values up to 1) or pixels (above 1).",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "num_holes_range", kind: Kind::IntRange { default: [1, 2], min: 0, max: 256, scalar: Scalar::Fixed }, description: "Range the number of holes is drawn from." },
        ParamSpec { name: "hole_height_range", kind: Kind::FloatRange { default: [0.1, 0.2], min: 0.0, max: 16384.0, scalar: Scalar::Fixed }, description: "Hole height: fraction of the image height (up to 1) or pixels (above 1)." },
        ParamSpec { name: "hole_width_range", kind: Kind::FloatRange { default: [0.1, 0.2], min: 0.0, max: 16384.0, scalar: Scalar::Fixed }, description: "Hole width: fraction of the image width (up to 1) or pixels (above 1)." },
        FILL,
        COMPENSATE,
    ],
};

pub struct CoarseDropout {
    holes: [i64; 2],
    height: [f64; 2],
    width: [f64; 2],
    fill: Fill,
    compensate: bool,
}

pub fn build_coarse_dropout(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(CoarseDropout {
        holes: f.int_range("num_holes_range")?,
        height: f.float_range("hole_height_range")?,
        width: f.float_range("hole_width_range")?,
        fill: f.fill("fill")?,
        compensate: f.bool("compensate")?,
    }))
}

impl Transform for CoarseDropout {
    type Params = HolesParams;
    fn sample_params(&self, rng: &mut Rng, sample: &Sample) -> HolesParams {
        let (w, h) = (sample.image.width(), sample.image.height());
        let n = rng.int_inclusive(self.holes[0], self.holes[1]) as usize;
        let holes = (0..n)
            .map(|_| {
                let hh = side_from(self.height, h, rng);
                let hw = side_from(self.width, w, rng);
                let y0 = rng.int_inclusive(0, (h - hh) as i64) as u32;
                let x0 = rng.int_inclusive(0, (w - hw) as i64) as u32;
                [x0, y0, x0 + hw, y0 + hh]
            })
            .collect();
        HolesParams { holes, fills: sample_fills(&self.fill, n, rng) }
    }
    fn apply(&self, p: &HolesParams, sample: &mut Sample) -> Result<()> {
        drop_holes(p, sample, self.compensate)
    }
}

pub const ERASING: TransformInfo = TransformInfo {
    name: "Erasing",
    family: Family::Dropout,
    description: "Erases one rectangle of random area and aspect ratio (torchvision RandomErasing: up to 10 tries to fit).",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "scale", kind: Kind::FloatRange { default: [0.02, 0.33], min: 0.0, max: 1.0, scalar: Scalar::Fixed }, description: "Range of the erased area as a fraction of the image area." },
        ParamSpec { name: "ratio", kind: Kind::FloatRange { default: [0.3, 3.3], min: 0.01, max: 100.0, scalar: Scalar::Fixed }, description: "Range of the aspect ratio (height / width), drawn log-uniformly." },
        FILL,
        COMPENSATE,
    ],
};

pub struct Erasing {
    scale: [f64; 2],
    ratio: [f64; 2],
    fill: Fill,
    compensate: bool,
}

pub fn build_erasing(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(Erasing { scale: f.float_range("scale")?, ratio: f.float_range("ratio")?, fill: f.fill("fill")?, compensate: f.bool("compensate")? }))
}

impl Transform for Erasing {
    type Params = HolesParams;
    fn sample_params(&self, rng: &mut Rng, sample: &Sample) -> HolesParams {
        let (w, h) = (sample.image.width() as i64, sample.image.height() as i64);
        let area = (w * h) as f64;
        let (lr0, lr1) = (libm::log(self.ratio[0]), libm::log(self.ratio[1]));
        let mut holes = Vec::new();
        for _ in 0..10 {
            let erase = area * rng.uniform(self.scale[0], self.scale[1]);
            let aspect = libm::exp(rng.uniform(lr0, lr1));
            let eh = libm::round(libm::sqrt(erase * aspect)) as i64;
            let ew = libm::round(libm::sqrt(erase / aspect)) as i64;
            if eh < h && ew < w && eh > 0 && ew > 0 {
                let y0 = rng.int_inclusive(0, h - eh) as u32;
                let x0 = rng.int_inclusive(0, w - ew) as u32;
                holes.push([x0, y0, x0 + ew as u32, y0 + eh as u32]);
                break;
            }
        }
        let fills = sample_fills(&self.fill, holes.len(), rng);
        HolesParams { holes, fills }
    }
    fn apply(&self, p: &HolesParams, sample: &mut Sample) -> Result<()> {
        drop_holes(p, sample, self.compensate)
    }
}

pub const GRID_DROPOUT: TransformInfo = TransformInfo {
    name: "GridDropout",
    family: Family::Dropout,
    description: "Drops a regular grid of square-ish holes, ratio of each grid cell, like a chequerboard of cut-outs.",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "ratio", kind: Kind::Float { default: 0.5, min: 0.0, max: 1.0 }, description: "Hole side as a fraction of its grid cell." },
        ParamSpec { name: "unit_size_range", kind: Kind::IntRange { default: [0, 0], min: 0, max: 16384, scalar: Scalar::Fixed }, description: "Range of the cell side in pixels; [0, 0]: from holes_number_xy, or a tenth of each side." },
        ParamSpec { name: "holes_number_xy", kind: Kind::IntPair { default: [0, 0], min: 0, max: 4096 }, description: "Cells across and down; [0, 0]: not used." },
        ParamSpec { name: "random_offset", kind: Kind::Bool { default: true }, description: "Place each hole at a random spot in its cell; off: shifted by shift_xy." },
        ParamSpec { name: "shift_xy", kind: Kind::IntPair { default: [0, 0], min: 0, max: 16384 }, description: "Offset of the holes within their cells when random_offset is off." },
        FILL,
        COMPENSATE,
    ],
};

pub struct GridDropout {
    ratio: f64,
    unit: [i64; 2],
    holes_xy: [i64; 2],
    random_offset: bool,
    shift: [i64; 2],
    fill: Fill,
    compensate: bool,
}

pub fn build_grid_dropout(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(GridDropout {
        ratio: f.float("ratio")?,
        unit: f.int_range("unit_size_range")?,
        holes_xy: f.int_pair("holes_number_xy")?,
        random_offset: f.bool("random_offset")?,
        shift: f.int_pair("shift_xy")?,
        fill: f.fill("fill")?,
        compensate: f.bool("compensate")?,
    }))
}

/// `n` cut points splitting `len` into near-equal parts, their order shuffled.
fn splits(len: u32, n: u32, rng: &mut Rng) -> Vec<u32> {
    let n = n.clamp(1, len.max(1));
    let mut sizes: Vec<u32> = (0..n).map(|i| len / n + (i < len % n) as u32).collect();
    for i in (1..sizes.len()).rev() {
        let j = rng.int_inclusive(0, i as i64) as usize;
        sizes.swap(i, j);
    }
    let mut cuts = vec![0];
    for s in sizes {
        cuts.push(cuts.last().unwrap() + s);
    }
    cuts
}

impl Transform for GridDropout {
    type Params = HolesParams;
    fn sample_params(&self, rng: &mut Rng, sample: &Sample) -> HolesParams {
        let (w, h) = (sample.image.width(), sample.image.height());
        let (cells_y, cells_x) = if self.unit[1] > 0 {
            let unit = rng.int_inclusive(self.unit[0].max(1), self.unit[1]).min(w.min(h) as i64).max(1) as u32;
            (h / unit, w / unit)
        } else if self.holes_xy[0] > 0 && self.holes_xy[1] > 0 {
            (self.holes_xy[1] as u32, self.holes_xy[0] as u32)
        } else {
            (h / (h / 10).max(2), w / (w / 10).max(2))
        };
        let ys = splits(h, cells_y.max(1), rng);
        let xs = splits(w, cells_x.max(1), rng);
        let mut holes = Vec::new();
        for r in 0..ys.len() - 1 {
            for c in 0..xs.len() - 1 {
                let (ch, cw) = (ys[r + 1] - ys[r], xs[c + 1] - xs[c]);
                if ch < 2 || cw < 2 {
                    continue;
                }
                let hh = ((ch as f64 * self.ratio) as u32).clamp(1, ch - 1);
                let hw = ((cw as f64 * self.ratio) as u32).clamp(1, cw - 1);
                let (oy, ox) = if self.random_offset {
                    (rng.int_inclusive(0, (ch - hh) as i64) as u32, rng.int_inclusive(0, (cw - hw) as i64) as u32)
                } else {
                    (self.shift[1] as u32, self.shift[0] as u32)
                };
                let x0 = (xs[c] + ox).min(w - hw);
                let y0 = (ys[r] + oy).min(h - hh);
                holes.push([x0, y0, x0 + hw, y0 + hh]);
            }
        }
        let fills = sample_fills(&self.fill, holes.len(), rng);
        HolesParams { holes, fills }
    }
    fn apply(&self, p: &HolesParams, sample: &mut Sample) -> Result<()> {
        drop_holes(p, sample, self.compensate)
    }
}

// ---------------------------------------------------------------- DropBlock

pub const DROP_BLOCK: TransformInfo = TransformInfo {
    name: "DropBlock",
    family: Family::Dropout,
    description: "Drops square blocks of block_size, the same in every channel (Ghiasi et al. 2018), about drop_prob of the pixels.",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "block_size", kind: Kind::Int { default: 7, min: 1, max: 1024 }, description: "Side of each dropped square in pixels (at most the shorter image side)." },
        ParamSpec { name: "drop_prob", kind: Kind::Float { default: 0.1, min: 0.0, max: 1.0 }, description: "Target fraction of dropped pixels (before blocks overlap)." },
        FILL,
        COMPENSATE,
    ],
};

pub struct DropBlock {
    block: i64,
    prob: f64,
    fill: Fill,
    compensate: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DropBlockParams {
    pub block_size: u32,
    pub gamma: f64,
    pub mask_seed: u64,
    pub fill: FillParams,
}

pub fn build_drop_block(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(DropBlock { block: f.int("block_size")?, prob: f.float("drop_prob")?, fill: f.fill("fill")?, compensate: f.bool("compensate")? }))
}

impl Transform for DropBlock {
    type Params = DropBlockParams;
    fn sample_params(&self, rng: &mut Rng, sample: &Sample) -> DropBlockParams {
        let (w, h) = (sample.image.width() as f64, sample.image.height() as f64);
        let b = (self.block as u32).min(sample.image.width()).min(sample.image.height()).max(1);
        let bf = b as f64;
        // Ghiasi et al., eq. 1: γ = drop_prob / block² · area / valid area.
        let gamma = (self.prob / (bf * bf) * (w * h) / ((w - bf + 1.0) * (h - bf + 1.0))).min(1.0);
        DropBlockParams { block_size: b, gamma, mask_seed: rng.next_seed(), fill: FillParams::sample(&self.fill, rng) }
    }
    fn apply(&self, p: &DropBlockParams, sample: &mut Sample) -> Result<()> {
        let (w, h) = (sample.image.width(), sample.image.height());
        let b = p.block_size.clamp(1, w.min(h));
        let mask = dropout::block_mask(w, h, b, p.gamma, p.mask_seed);
        let fraction = self.compensate.then(|| dropped_fraction(&mask));
        drop_pixels(sample, &mask, false, &p.fill, fraction)
    }
}
