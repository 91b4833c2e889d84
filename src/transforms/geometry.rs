//! Geometric transforms that are projective maps: 90° turns and transposes, crops, resizes,
//! rotations, affine maps and perspective. Each reports its map through
//! [`Transform::projection`], so the pipeline composes consecutive ones and resamples the image
//! and every mask once (see `pipeline/fuse.rs`). Matrices follow albumentations / OpenCV: pixel
//! centres at whole numbers, rotation about ((w − 1) / 2, (h − 1) / 2), positive angles turn
//! counter-clockwise.

use serde::{Deserialize, Serialize};

use super::spec::{Family, Fields, Fill, Kind, ParamSpec, Scalar, TransformInfo};
use super::{DynTransform, Projection, Resample, Transform};
use crate::error::{Error, Result};
use crate::image::Sample;
use crate::kernels::warp::{self, Border, Interpolation, Matrix};
use crate::rng::Rng;

// ---------------------------------------------------------------- shared parameters

pub(super) const INTERPOLATION: ParamSpec = ParamSpec {
    name: "interpolation",
    kind: Kind::Choice { default: "linear", options: &["nearest", "linear", "cubic", "area"] },
    description: "Resampling: nearest (centre-aligned), linear, cubic, or area (shrinking: the mean of what each pixel covers, no aliasing; else linear).",
};
pub(super) const MASK_INTERPOLATION: ParamSpec = ParamSpec {
    name: "mask_interpolation",
    kind: Kind::Choice { default: "nearest", options: &["nearest", "linear", "cubic", "area"] },
    description: "How masks are resampled (back to binary; nearest is centre-aligned, so masks stay on their image).",
};
pub(super) const BORDER_MODE: ParamSpec = ParamSpec {
    name: "border_mode",
    kind: Kind::Choice { default: "constant", options: &["constant", "reflect", "replicate", "wrap"] },
    description: "What fills the area outside the source: the fill value (black without one), a mirror (reflect-101), the edge pixel, or tiles.",
};
const FILL: ParamSpec = ParamSpec { name: "fill", kind: Kind::Fill { default: 0, random: false }, description: "Grey level or [r, g, b] for a constant border." };

pub(super) fn interpolation(name: &str) -> Interpolation {
    match name {
        "nearest" => Interpolation::Nearest,
        "cubic" => Interpolation::Cubic,
        "area" => Interpolation::Area,
        _ => Interpolation::Linear,
    }
}

/// The border a `border_mode` parameter names.
pub(super) fn border(f: &Fields) -> Result<Border> {
    Ok(match f.choice("border_mode")? {
        "reflect" => Border::Reflect,
        "replicate" => Border::Replicate,
        "wrap" => Border::Wrap,
        _ => Border::Constant,
    })
}

/// The `fill` of a geometric transform: grey levels only (no random fills).
fn constant_fill(f: &Fields) -> Result<Vec<u8>> {
    match f.fill("fill")? {
        Fill::Values(v) => Ok(v),
        _ => Err(Error::Recipe(format!("{}: 'fill' of a geometric transform must be a grey level or [r, g, b]", f.info().name))),
    }
}

fn resample(f: &Fields) -> Result<Resample> {
    let border = border(f)?;
    let fill = constant_fill(f)?;
    Ok(Resample {
        interpolation: interpolation(f.choice("interpolation")?),
        mask_interpolation: interpolation(f.choice("mask_interpolation")?),
        border,
        fill,
    })
}

/// Applies a projection on its own (when the pipeline hands a single step over).
fn apply_projection(p: Option<Projection>, sample: &mut Sample) -> Result<()> {
    let Some(p) = p else { return Ok(()) };
    crate::image::check_size(p.width, p.height)?;
    let inverse = warp::invert(&p.matrix).ok_or_else(|| Error::Argument("singular geometric map".into()))?;
    let r = p.resample.unwrap_or(Resample { interpolation: Interpolation::Nearest, mask_interpolation: Interpolation::Nearest, border: Border::Constant, fill: vec![0] });
    super::resample_sample(sample, &inverse, p.width, p.height, &r)
}

/// Rotation (degrees, counter-clockwise), shear, scale and translation about `center`, as
/// albumentations' `create_affine_transformation_matrix`.
pub fn affine_matrix(translate: [f64; 2], shear: [f64; 2], scale: [f64; 2], rotate: f64, center: [f64; 2]) -> Matrix {
    let r = (rotate % 360.0).to_radians();
    let (c, s) = (libm::cos(r), libm::sin(r));
    let rot = [c, s, 0.0, -s, c, 0.0, 0.0, 0.0, 1.0];
    let sh = [1.0, libm::tan(shear[0].to_radians()), 0.0, libm::tan(shear[1].to_radians()), 1.0, 0.0, 0.0, 0.0, 1.0];
    let m = warp::mul(&warp::translation(center[0], center[1]), &warp::translation(translate[0], translate[1]));
    let m = warp::mul(&m, &sh);
    let m = warp::mul(&m, &rot);
    let m = warp::mul(&m, &warp::scaling(scale[0], scale[1]));
    warp::mul(&m, &warp::translation(-center[0], -center[1]))
}

fn center(w: u32, h: u32) -> [f64; 2] {
    [w as f64 / 2.0 - 0.5, h as f64 / 2.0 - 0.5]
}

/// Source size → destination size with pixel centres kept (what `cv2.resize` does).
fn resize_matrix(from: (f64, f64), to: (u32, u32)) -> Matrix {
    let (sx, sy) = (to.0 as f64 / from.0, to.1 as f64 / from.1);
    [sx, 0.0, 0.5 * sx - 0.5, 0.0, sy, 0.5 * sy - 0.5, 0.0, 0.0, 1.0]
}

macro_rules! no_draw_projective {
    ($t:ty, $params:ty) => {
        impl Transform for $t {
            type Params = $params;
            fn sample_params(&self, rng: &mut Rng, sample: &Sample) -> $params {
                self.draw(rng, sample.size())
            }
            fn apply(&self, p: &$params, sample: &mut Sample) -> Result<()> {
                let (w, h) = sample.size();
                apply_projection(self.projection(p, w, h), sample)
            }
            fn projection(&self, p: &$params, w: u32, h: u32) -> Option<Projection> {
                Some(self.map(p, w, h))
            }
        }
    };
}

// ---------------------------------------------------------------- Transpose, RandomRotate90

pub const TRANSPOSE: TransformInfo = TransformInfo {
    name: "Transpose",
    family: Family::Rotation,
    description: "Swaps rows and columns (mirror along the main diagonal); an exact copy.",
    caution: Some("Like a flip plus a 90° turn: wrong where up and left mean something."),
    default_p: 0.5,
    params: &[],
};

pub struct Transpose;

pub fn build_transpose(_: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(Transpose))
}

impl Transpose {
    fn draw(&self, _: &mut Rng, _: (u32, u32)) -> super::NoParams {
        super::NoParams {}
    }
    fn map(&self, _: &super::NoParams, w: u32, h: u32) -> Projection {
        GroupElement::T.projection(w, h)
    }
}
no_draw_projective!(Transpose, super::NoParams);

pub const RANDOM_ROTATE_90: TransformInfo = TransformInfo {
    name: "RandomRotate90",
    family: Family::Rotation,
    description: "Turns by 0, 90, 180 or 270 degrees counter-clockwise (numpy's rot90); an exact copy.",
    caution: Some("Only where orientation carries no meaning (aerial, microscope, texture images)."),
    default_p: 0.5,
    params: &[],
};

pub struct RandomRotate90;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Rot90Params {
    /// Quarter turns counter-clockwise.
    pub factor: u8,
}

pub fn build_random_rotate_90(_: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(RandomRotate90))
}

impl RandomRotate90 {
    fn draw(&self, rng: &mut Rng, _: (u32, u32)) -> Rot90Params {
        Rot90Params { factor: rng.int_inclusive(0, 3) as u8 }
    }
    fn map(&self, p: &Rot90Params, w: u32, h: u32) -> Projection {
        use GroupElement::*;
        [Identity, R90, R180, R270][p.factor as usize % 4].projection(w, h)
    }
}
no_draw_projective!(RandomRotate90, Rot90Params);

pub const SQUARE_SYMMETRY: TransformInfo = TransformInfo {
    name: "SquareSymmetry",
    family: Family::Rotation,
    description: "One of the 8 symmetries of a square, equally likely: the 4 quarter turns, the 2 flips and the 2 diagonal mirrors; an exact copy (non-square images swap sides for 4 of them).",
    caution: Some("Only where neither orientation nor handedness carries meaning (aerial, microscope, texture images)."),
    default_p: 1.0,
    params: &[],
};

pub const D4: TransformInfo = TransformInfo {
    name: "D4",
    family: Family::Rotation,
    description: "SquareSymmetry by its group-theory name (the dihedral group D4): one of the 8 symmetries of a square, equally likely; an exact copy.",
    caution: Some("Only where neither orientation nor handedness carries meaning (aerial, microscope, texture images)."),
    default_p: 1.0,
    params: &[],
};

pub struct SquareSymmetry;

/// A symmetry of the square, by albumentations' names: identity, quarter turns counter-clockwise,
/// flips (v: top to bottom, h: left to right), the transpose and the anti-diagonal mirror.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupElement {
    #[serde(rename = "e")]
    Identity,
    #[serde(rename = "r90")]
    R90,
    #[serde(rename = "r180")]
    R180,
    #[serde(rename = "r270")]
    R270,
    #[serde(rename = "v")]
    V,
    #[serde(rename = "hvt")]
    Hvt,
    #[serde(rename = "h")]
    H,
    #[serde(rename = "t")]
    T,
}

impl GroupElement {
    /// The exact copy this symmetry makes of a `w` × `h` image (the flips, Transpose and
    /// RandomRotate90 take theirs from here too).
    pub(super) fn projection(self, w: u32, h: u32) -> Projection {
        let (wf, hf) = (w as f64 - 1.0, h as f64 - 1.0);
        // Source (x, y) to output position; turns as numpy's rot90, hvt = transpose(rot180).
        let (matrix, width, height) = match self {
            GroupElement::Identity => (warp::IDENTITY, w, h),
            GroupElement::R90 => ([0.0, 1.0, 0.0, -1.0, 0.0, wf, 0.0, 0.0, 1.0], h, w),
            GroupElement::R180 => ([-1.0, 0.0, wf, 0.0, -1.0, hf, 0.0, 0.0, 1.0], w, h),
            GroupElement::R270 => ([0.0, -1.0, hf, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0], h, w),
            GroupElement::V => ([1.0, 0.0, 0.0, 0.0, -1.0, hf, 0.0, 0.0, 1.0], w, h),
            GroupElement::H => ([-1.0, 0.0, wf, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0], w, h),
            GroupElement::T => ([0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0], h, w),
            GroupElement::Hvt => ([0.0, -1.0, hf, -1.0, 0.0, wf, 0.0, 0.0, 1.0], h, w),
        };
        Projection { matrix, width, height, resample: None }
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SymmetryParams {
    pub group_element: GroupElement,
}

pub fn build_square_symmetry(_: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(SquareSymmetry))
}

impl SquareSymmetry {
    fn draw(&self, rng: &mut Rng, _: (u32, u32)) -> SymmetryParams {
        use GroupElement::*;
        // albumentations' order of the elements.
        let all = [Identity, R90, R180, R270, V, Hvt, H, T];
        SymmetryParams { group_element: all[rng.int_inclusive(0, 7) as usize] }
    }
    fn map(&self, p: &SymmetryParams, w: u32, h: u32) -> Projection {
        p.group_element.projection(w, h)
    }
}
no_draw_projective!(SquareSymmetry, SymmetryParams);

// ---------------------------------------------------------------- crops

pub const CENTER_CROP: TransformInfo = TransformInfo {
    name: "CenterCrop",
    family: Family::CropZoom,
    description: "Cuts the central height × width window; an exact copy.",
    caution: None,
    default_p: 1.0,
    params: &[
        ParamSpec { name: "height", kind: Kind::Int { default: 256, min: 1, max: 16384 }, description: "Height of the window in pixels." },
        ParamSpec { name: "width", kind: Kind::Int { default: 256, min: 1, max: 16384 }, description: "Width of the window in pixels." },
        ParamSpec { name: "pad_if_needed", kind: Kind::Bool { default: false }, description: "Pad with fill when the image is smaller than the window; off: an error." },
        FILL,
    ],
};

pub const RANDOM_CROP: TransformInfo = TransformInfo {
    name: "RandomCrop",
    family: Family::CropZoom,
    description: "Cuts a height × width window at a random place; an exact copy.",
    caution: Some("May cut away the object that gives the label; prefer RandomResizedCrop with a large minimum scale."),
    default_p: 1.0,
    params: &[
        ParamSpec { name: "height", kind: Kind::Int { default: 256, min: 1, max: 16384 }, description: "Height of the window in pixels." },
        ParamSpec { name: "width", kind: Kind::Int { default: 256, min: 1, max: 16384 }, description: "Width of the window in pixels." },
        ParamSpec { name: "pad_if_needed", kind: Kind::Bool { default: false }, description: "Pad with fill when the image is smaller than the window; off: an error." },
        FILL,
    ],
};

pub struct Crop {
    random: bool,
    height: u32,
    width: u32,
    pad: bool,
    fill: Vec<u8>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CropParams {
    /// Top-left corner of the window in the source (negative: padding).
    pub x: i64,
    pub y: i64,
}

fn build_crop(f: &Fields, random: bool) -> Result<Box<dyn DynTransform>> {
    let fill = constant_fill(f)?;
    Ok(Box::new(Crop { random, height: f.int("height")? as u32, width: f.int("width")? as u32, pad: f.bool("pad_if_needed")?, fill }))
}

pub fn build_center_crop(f: &Fields) -> Result<Box<dyn DynTransform>> {
    build_crop(f, false)
}

pub fn build_random_crop(f: &Fields) -> Result<Box<dyn DynTransform>> {
    build_crop(f, true)
}

impl Transform for Crop {
    type Params = CropParams;
    fn sample_params(&self, rng: &mut Rng, sample: &Sample) -> CropParams {
        let (w, h) = sample.size();
        let (sx, sy) = (w as i64 - self.width as i64, h as i64 - self.height as i64);
        if self.random {
            CropParams { x: if sx >= 0 { rng.int_inclusive(0, sx) } else { sx / 2 }, y: if sy >= 0 { rng.int_inclusive(0, sy) } else { sy / 2 } }
        } else {
            CropParams { x: sx.div_euclid(2), y: sy.div_euclid(2) }
        }
    }
    fn apply(&self, p: &CropParams, sample: &mut Sample) -> Result<()> {
        let (w, h) = sample.size();
        if !self.pad && (self.width > w || self.height > h) {
            return Err(Error::Argument(format!(
                "{}: the {}×{} window is larger than the {w}×{h} image; set pad_if_needed or a smaller window",
                if self.random { "RandomCrop" } else { "CenterCrop" },
                self.width,
                self.height
            )));
        }
        apply_projection(self.projection(p, w, h), sample)
    }

    fn projection(&self, p: &CropParams, w: u32, h: u32) -> Option<Projection> {
        if !self.pad && (self.width > w || self.height > h) {
            return None; // not a map: `apply` reports the error
        }
        // A whole-pixel shift is exact; padding needs the fill, so then it carries its settings.
        let resample = (self.width > w || self.height > h).then(|| Resample {
            interpolation: Interpolation::Nearest,
            mask_interpolation: Interpolation::Nearest,
            border: Border::Constant,
            fill: self.fill.clone(),
        });
        Some(Projection { matrix: warp::translation(-p.x as f64, -p.y as f64), width: self.width, height: self.height, resample })
    }
}

// ---------------------------------------------------------------- Resize, RandomScale, RandomResizedCrop

pub const RESIZE: TransformInfo = TransformInfo {
    name: "Resize",
    family: Family::CropZoom,
    description: "Scales to height × width (the aspect ratio may change).",
    caution: None,
    default_p: 1.0,
    params: &[
        ParamSpec { name: "height", kind: Kind::Int { default: 256, min: 1, max: 16384 }, description: "Output height in pixels." },
        ParamSpec { name: "width", kind: Kind::Int { default: 256, min: 1, max: 16384 }, description: "Output width in pixels." },
        INTERPOLATION,
        MASK_INTERPOLATION,
    ],
};

pub struct Resize {
    height: u32,
    width: u32,
    resample: Resample,
}

fn plain_resample(f: &Fields) -> Result<Resample> {
    Ok(Resample {
        interpolation: interpolation(f.choice("interpolation")?),
        mask_interpolation: interpolation(f.choice("mask_interpolation")?),
        border: Border::Replicate,
        fill: vec![0],
    })
}

pub fn build_resize(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(Resize { height: f.int("height")? as u32, width: f.int("width")? as u32, resample: plain_resample(f)? }))
}

impl Resize {
    fn draw(&self, _: &mut Rng, _: (u32, u32)) -> super::NoParams {
        super::NoParams {}
    }
    fn map(&self, _: &super::NoParams, w: u32, h: u32) -> Projection {
        Projection { matrix: resize_matrix((w as f64, h as f64), (self.width, self.height)), width: self.width, height: self.height, resample: Some(self.resample.clone()) }
    }
}
no_draw_projective!(Resize, super::NoParams);

pub const LONGEST_MAX_SIZE: TransformInfo = TransformInfo {
    name: "LongestMaxSize",
    family: Family::CropZoom,
    description: "Scales the image, aspect ratio kept, so that its longer side is max_size pixels (up or down). With interpolation area: area when shrinking, bilinear when enlarging (albumentations' area_for_downscale).",
    caution: None,
    default_p: 1.0,
    params: &[
        ParamSpec { name: "max_size", kind: Kind::Int { default: 1024, min: 1, max: 16384 }, description: "Length of the longer side after scaling, in pixels." },
        INTERPOLATION,
        MASK_INTERPOLATION,
    ],
};

pub const SMALLEST_MAX_SIZE: TransformInfo = TransformInfo {
    name: "SmallestMaxSize",
    family: Family::CropZoom,
    description: "Scales the image, aspect ratio kept, so that its shorter side is max_size pixels (up or down). With interpolation area: area when shrinking, bilinear when enlarging (albumentations' area_for_downscale).",
    caution: Some("The longer side follows the aspect ratio: a thin strip can exceed the size limit (16384 pixels a side) and is then refused."),
    default_p: 1.0,
    params: &[
        ParamSpec { name: "max_size", kind: Kind::Int { default: 1024, min: 1, max: 16384 }, description: "Length of the shorter side after scaling, in pixels." },
        INTERPOLATION,
        MASK_INTERPOLATION,
    ],
};

/// `LongestMaxSize` or `SmallestMaxSize`: one scale for both axes, from the longer or the
/// shorter side.
pub struct MaxSize {
    longest: bool,
    max_size: u32,
    resample: Resample,
}

pub fn build_longest_max_size(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(MaxSize { longest: true, max_size: f.int("max_size")? as u32, resample: plain_resample(f)? }))
}

pub fn build_smallest_max_size(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(MaxSize { longest: false, max_size: f.int("max_size")? as u32, resample: plain_resample(f)? }))
}

impl MaxSize {
    fn draw(&self, _: &mut Rng, _: (u32, u32)) -> super::NoParams {
        super::NoParams {}
    }
    /// albumentations' sizes: scale = max_size / side, each side max(1, round(side · scale)) with
    /// Python's rounding (half to even), in the same f64 operations.
    fn map(&self, _: &super::NoParams, w: u32, h: u32) -> Projection {
        let side = if self.longest { w.max(h) } else { w.min(h) };
        let scale = self.max_size as f64 / side as f64;
        let size = |n: u32| (n as f64 * scale).round_ties_even().clamp(1.0, u32::MAX as f64) as u32;
        let to = (size(w), size(h));
        Projection { matrix: resize_matrix((w as f64, h as f64), to), width: to.0, height: to.1, resample: Some(self.resample.clone()) }
    }
}
no_draw_projective!(MaxSize, super::NoParams);

pub const RANDOM_SCALE: TransformInfo = TransformInfo {
    name: "RandomScale",
    family: Family::CropZoom,
    description: "Scales the image by 1 + a random amount; the output size changes.",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "scale_limit", kind: Kind::FloatRange { default: [-0.1, 0.1], min: -0.99, max: 10.0, scalar: Scalar::Symmetric }, description: "Range of the scale change (the factor is 1 + this)." },
        INTERPOLATION,
        MASK_INTERPOLATION,
    ],
};

pub struct RandomScale {
    limit: [f64; 2],
    resample: Resample,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScaleParams {
    pub scale: f64,
}

pub fn build_random_scale(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(RandomScale { limit: f.float_range("scale_limit")?, resample: plain_resample(f)? }))
}

impl RandomScale {
    fn draw(&self, rng: &mut Rng, _: (u32, u32)) -> ScaleParams {
        ScaleParams { scale: 1.0 + rng.uniform(self.limit[0], self.limit[1]) }
    }
    fn map(&self, p: &ScaleParams, w: u32, h: u32) -> Projection {
        let s = p.scale.max(1e-3);
        let to = (((w as f64 * s) as u32).clamp(1, crate::image::MAX_SIDE), ((h as f64 * s) as u32).clamp(1, crate::image::MAX_SIDE));
        Projection { matrix: resize_matrix((w as f64, h as f64), to), width: to.0, height: to.1, resample: Some(self.resample.clone()) }
    }
}
no_draw_projective!(RandomScale, ScaleParams);

pub const RANDOM_RESIZED_CROP: TransformInfo = TransformInfo {
    name: "RandomResizedCrop",
    family: Family::CropZoom,
    description: "Crops a random area and aspect ratio, then resizes it to size (torchvision's algorithm: zoom in).",
    caution: Some("Small scales can crop the object away: raise the lower scale for object-centred labels."),
    default_p: 1.0,
    params: &[
        ParamSpec { name: "size", kind: Kind::IntPair { default: [256, 256], min: 1, max: 16384 }, description: "Output [height, width] in pixels." },
        ParamSpec { name: "scale", kind: Kind::FloatRange { default: [0.08, 1.0], min: 0.0, max: 1.0, scalar: Scalar::Fixed }, description: "Range of the cropped area as a fraction of the image." },
        ParamSpec { name: "ratio", kind: Kind::FloatRange { default: [0.75, 1.3333333333333333], min: 0.01, max: 100.0, scalar: Scalar::Fixed }, description: "Range of the crop's aspect ratio (width / height), drawn log-uniformly." },
        INTERPOLATION,
        MASK_INTERPOLATION,
    ],
};

pub struct RandomResizedCrop {
    size: [i64; 2],
    scale: [f64; 2],
    ratio: [f64; 2],
    resample: Resample,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ResizedCropParams {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

pub fn build_random_resized_crop(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(RandomResizedCrop { size: f.int_pair("size")?, scale: f.float_range("scale")?, ratio: f.float_range("ratio")?, resample: plain_resample(f)? }))
}

impl RandomResizedCrop {
    fn draw(&self, rng: &mut Rng, (w, h): (u32, u32)) -> ResizedCropParams {
        let area = w as f64 * h as f64;
        let (l0, l1) = (libm::log(self.ratio[0]), libm::log(self.ratio[1]));
        for _ in 0..10 {
            let target = area * rng.uniform(self.scale[0], self.scale[1]);
            let aspect = libm::exp(rng.uniform(l0, l1));
            let cw = libm::round(libm::sqrt(target * aspect)) as i64;
            let ch = libm::round(libm::sqrt(target / aspect)) as i64;
            if cw > 0 && ch > 0 && cw <= w as i64 && ch <= h as i64 {
                let y = rng.int_inclusive(0, h as i64 - ch) as u32;
                let x = rng.int_inclusive(0, w as i64 - cw) as u32;
                return ResizedCropParams { x, y, width: cw as u32, height: ch as u32 };
            }
        }
        // Fallback: the largest centred crop within the ratio range.
        let in_ratio = w as f64 / h as f64;
        let (cw, ch) = if in_ratio < self.ratio[0] {
            (w, (libm::round(w as f64 / self.ratio[0]) as u32).clamp(1, h))
        } else if in_ratio > self.ratio[1] {
            ((libm::round(h as f64 * self.ratio[1]) as u32).clamp(1, w), h)
        } else {
            (w, h)
        };
        ResizedCropParams { x: (w - cw) / 2, y: (h - ch) / 2, width: cw, height: ch }
    }
    fn map(&self, p: &ResizedCropParams, _: u32, _: u32) -> Projection {
        resized_crop(p, self.size, &self.resample)
    }
}
no_draw_projective!(RandomResizedCrop, ResizedCropParams);

/// The crop window `p` resized to `size` ([height, width]).
fn resized_crop(p: &ResizedCropParams, size: [i64; 2], resample: &Resample) -> Projection {
    let out = (size[1] as u32, size[0] as u32);
    let m = warp::mul(&resize_matrix((p.width.max(1) as f64, p.height.max(1) as f64), out), &warp::translation(-(p.x as f64), -(p.y as f64)));
    Projection { matrix: m, width: out.0, height: out.1, resample: Some(resample.clone()) }
}

pub const RANDOM_SIZED_CROP: TransformInfo = TransformInfo {
    name: "RandomSizedCrop",
    family: Family::CropZoom,
    description: "Crops a window of random height (min_max_height) and width = height × w2h_ratio at a random place, then resizes it to size.",
    caution: Some("Small windows can crop the object away: raise the lower height for object-centred labels."),
    default_p: 1.0,
    params: &[
        ParamSpec { name: "min_max_height", kind: Kind::IntRange { default: [128, 256], min: 1, max: 16384, scalar: Scalar::Fixed }, description: "Range of the window height in pixels (cut to the image)." },
        ParamSpec { name: "size", kind: Kind::IntPair { default: [256, 256], min: 1, max: 16384 }, description: "Output [height, width] in pixels." },
        ParamSpec { name: "w2h_ratio", kind: Kind::Float { default: 1.0, min: 0.01, max: 100.0 }, description: "Window width ÷ height." },
        INTERPOLATION,
        MASK_INTERPOLATION,
    ],
};

pub struct RandomSizedCrop {
    heights: [i64; 2],
    size: [i64; 2],
    w2h: f64,
    resample: Resample,
}

pub fn build_random_sized_crop(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(RandomSizedCrop { heights: f.int_range("min_max_height")?, size: f.int_pair("size")?, w2h: f.float("w2h_ratio")?, resample: plain_resample(f)? }))
}

impl RandomSizedCrop {
    /// albumentations' window: height drawn whole, width int(height × w2h_ratio), both cut to
    /// the image; the corner at int((free + 1) × u) for u uniform in [0, 1) on each axis.
    fn draw(&self, rng: &mut Rng, (w, h): (u32, u32)) -> ResizedCropParams {
        let ch = rng.int_inclusive(self.heights[0], self.heights[1]);
        let cw = (ch as f64 * self.w2h) as i64;
        let (ch, cw) = (ch.clamp(1, h as i64) as u32, cw.clamp(1, w as i64) as u32);
        let y = ((h - ch + 1) as f64 * rng.unit()) as u32;
        let x = ((w - cw + 1) as f64 * rng.unit()) as u32;
        ResizedCropParams { x: x.min(w - cw), y: y.min(h - ch), width: cw, height: ch }
    }
    fn map(&self, p: &ResizedCropParams, _: u32, _: u32) -> Projection {
        resized_crop(p, self.size, &self.resample)
    }
}
no_draw_projective!(RandomSizedCrop, ResizedCropParams);

// ---------------------------------------------------------------- Rotate, SafeRotate, Affine

pub const ROTATE: TransformInfo = TransformInfo {
    name: "Rotate",
    family: Family::Rotation,
    description: "Rotates about the centre by a random angle; corners are filled by border_mode.",
    caution: Some("Large angles are implausible for upright scenes (horizons, text, faces)."),
    default_p: 0.5,
    params: &[
        ParamSpec { name: "limit", kind: Kind::FloatRange { default: [-90.0, 90.0], min: -360.0, max: 360.0, scalar: Scalar::Symmetric }, description: "Range of the angle in degrees (positive: counter-clockwise)." },
        INTERPOLATION,
        BORDER_MODE,
        FILL,
        MASK_INTERPOLATION,
    ],
};

pub const SAFE_ROTATE: TransformInfo = TransformInfo {
    name: "SafeRotate",
    family: Family::Rotation,
    description: "Rotates and scales down so the whole rotated image stays in the frame (no corner is cut).",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "limit", kind: Kind::FloatRange { default: [-90.0, 90.0], min: -360.0, max: 360.0, scalar: Scalar::Symmetric }, description: "Range of the angle in degrees (positive: counter-clockwise)." },
        INTERPOLATION,
        BORDER_MODE,
        FILL,
        MASK_INTERPOLATION,
    ],
};

pub struct Rotate {
    limit: [f64; 2],
    safe: bool,
    resample: Resample,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RotateParams {
    pub angle: f64,
}

pub fn build_rotate(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(Rotate { limit: f.float_range("limit")?, safe: false, resample: resample(f)? }))
}

pub fn build_safe_rotate(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(Rotate { limit: f.float_range("limit")?, safe: true, resample: resample(f)? }))
}

impl Rotate {
    fn draw(&self, rng: &mut Rng, _: (u32, u32)) -> RotateParams {
        RotateParams { angle: rng.uniform(self.limit[0], self.limit[1]) }
    }
    fn map(&self, p: &RotateParams, w: u32, h: u32) -> Projection {
        let c = center(w, h);
        let matrix = if self.safe {
            // albumentations' SafeRotate: rotate into the bounding box of the turned image, then
            // scale that box back to the original size.
            let r = p.angle.to_radians();
            let (cos, sin) = (libm::cos(r), libm::sin(r));
            let (wf, hf) = (w as f64, h as f64);
            let new_w = (hf * sin.abs() + wf * cos.abs()).trunc().max(1.0);
            let new_h = (hf * cos.abs() + wf * sin.abs()).trunc().max(1.0);
            let rot = [cos, sin, (1.0 - cos) * c[0] - sin * c[1] + new_w / 2.0 - c[0], -sin, cos, sin * c[0] + (1.0 - cos) * c[1] + new_h / 2.0 - c[1], 0.0, 0.0, 1.0];
            warp::mul(&warp::scaling(wf / new_w, hf / new_h), &rot)
        } else {
            affine_matrix([0.0, 0.0], [0.0, 0.0], [1.0, 1.0], p.angle, c)
        };
        Projection { matrix, width: w, height: h, resample: Some(self.resample.clone()) }
    }
}
no_draw_projective!(Rotate, RotateParams);

pub const AFFINE: TransformInfo = TransformInfo {
    name: "Affine",
    family: Family::Rotation,
    description: "Scale (zoom in above 1, out below), translation, rotation and shear about the centre, in one map.",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "scale", kind: Kind::FloatRange { default: [1.0, 1.0], min: 0.01, max: 100.0, scalar: Scalar::Fixed }, description: "Range of the zoom factor (1 = unchanged)." },
        ParamSpec { name: "keep_ratio", kind: Kind::Bool { default: true }, description: "One factor for both axes; off: independent factors." },
        ParamSpec { name: "translate_percent", kind: Kind::FloatRange { default: [0.0, 0.0], min: -1.0, max: 1.0, scalar: Scalar::Symmetric }, description: "Range of the shift as a fraction of the width (x) and height (y), truncated to whole pixels." },
        ParamSpec { name: "translate_px", kind: Kind::IntRange { default: [0, 0], min: -16384, max: 16384, scalar: Scalar::Symmetric }, description: "Range of the shift in pixels; when not [0, 0] it replaces translate_percent." },
        ParamSpec { name: "rotate", kind: Kind::FloatRange { default: [0.0, 0.0], min: -360.0, max: 360.0, scalar: Scalar::Symmetric }, description: "Range of the rotation in degrees (positive: counter-clockwise)." },
        ParamSpec { name: "shear", kind: Kind::FloatRange { default: [0.0, 0.0], min: -89.0, max: 89.0, scalar: Scalar::Symmetric }, description: "Range of the shear angle in degrees (x and y drawn separately)." },
        ParamSpec { name: "fit_output", kind: Kind::Bool { default: false }, description: "Grow or shrink the output so the whole transformed image fits." },
        INTERPOLATION,
        BORDER_MODE,
        FILL,
        MASK_INTERPOLATION,
    ],
};

pub struct Affine {
    scale: [f64; 2],
    keep_ratio: bool,
    percent: [f64; 2],
    px: [i64; 2],
    rotate: [f64; 2],
    shear: [f64; 2],
    fit: bool,
    resample: Resample,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AffineParams {
    pub scale: [f64; 2],
    pub translate: [f64; 2],
    pub rotate: f64,
    pub shear: [f64; 2],
}

pub const SHIFT_SCALE_ROTATE: TransformInfo = TransformInfo {
    name: "ShiftScaleRotate",
    family: Family::Rotation,
    description: "Shift, scale (1 + scale_limit, per axis) and rotation in one map: the Affine albumentations 2 makes of its older transform.",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "shift_limit", kind: Kind::FloatRange { default: [-0.0625, 0.0625], min: -1.0, max: 1.0, scalar: Scalar::Symmetric }, description: "Range of the shift as a fraction of the width (x) and height (y), drawn per axis, truncated to whole pixels." },
        ParamSpec { name: "scale_limit", kind: Kind::FloatRange { default: [-0.1, 0.1], min: -0.99, max: 99.0, scalar: Scalar::Symmetric }, description: "Range of the scale change (the factor is 1 + this), drawn per axis." },
        ParamSpec { name: "rotate_limit", kind: Kind::FloatRange { default: [-45.0, 45.0], min: -360.0, max: 360.0, scalar: Scalar::Symmetric }, description: "Range of the rotation in degrees (positive: counter-clockwise)." },
        INTERPOLATION,
        BORDER_MODE,
        FILL,
        MASK_INTERPOLATION,
    ],
};

/// `ShiftScaleRotate` is the `Affine` albumentations 2 makes of it: independent scales, no shear.
pub fn build_shift_scale_rotate(f: &Fields) -> Result<Box<dyn DynTransform>> {
    let scale = f.float_range("scale_limit")?.map(|v| 1.0 + v);
    let a = Affine {
        scale,
        keep_ratio: false,
        percent: f.float_range("shift_limit")?,
        px: [0, 0],
        rotate: f.float_range("rotate_limit")?,
        shear: [0.0, 0.0],
        fit: false,
        resample: resample(f)?,
    };
    Ok(Box::new(a))
}

pub fn build_affine(f: &Fields) -> Result<Box<dyn DynTransform>> {
    let a = Affine {
        scale: f.float_range("scale")?,
        keep_ratio: f.bool("keep_ratio")?,
        percent: f.float_range("translate_percent")?,
        px: f.int_range("translate_px")?,
        rotate: f.float_range("rotate")?,
        shear: f.float_range("shear")?,
        fit: f.bool("fit_output")?,
        resample: resample(f)?,
    };
    Ok(Box::new(a))
}

impl Affine {
    fn draw(&self, rng: &mut Rng, (w, h): (u32, u32)) -> AffineParams {
        let sx = rng.uniform(self.scale[0], self.scale[1]);
        let sy = if self.keep_ratio { sx } else { rng.uniform(self.scale[0], self.scale[1]) };
        let translate = if self.px != [0, 0] {
            [rng.int_inclusive(self.px[0], self.px[1]) as f64, rng.int_inclusive(self.px[0], self.px[1]) as f64]
        } else {
            // Whole pixels, truncated toward zero, as albumentations (int(fraction × size)).
            [(rng.uniform(self.percent[0], self.percent[1]) * w as f64).trunc(), (rng.uniform(self.percent[0], self.percent[1]) * h as f64).trunc()]
        };
        let rotate = rng.uniform(self.rotate[0], self.rotate[1]);
        let shear = [rng.uniform(self.shear[0], self.shear[1]), rng.uniform(self.shear[0], self.shear[1])];
        AffineParams { scale: [sx, sy], translate, rotate, shear }
    }
    fn map(&self, p: &AffineParams, w: u32, h: u32) -> Projection {
        // albumentations negates the drawn shear angles; so does augplay, to slant the same way.
        let mut m = affine_matrix(p.translate, [-p.shear[0], -p.shear[1]], p.scale, p.rotate, center(w, h));
        let (mut ow, mut oh) = (w, h);
        if self.fit {
            // albumentations' bounds: the image's outer corners (0, 0) and (w, h) mapped, floored
            // and ceiled to whole pixels; the output spans them plus one pixel and is shifted by
            // the whole-pixel minimum.
            let corners = [(0.0, 0.0), (w as f64, 0.0), (0.0, h as f64), (w as f64, h as f64)];
            let pts: Vec<(f64, f64)> = corners.iter().map(|&(x, y)| (m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5])).collect();
            let (minx, maxx) = pts.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
            let (miny, maxy) = pts.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
            let (minx, maxx, miny, maxy) = (minx.floor(), maxx.ceil(), miny.floor(), maxy.ceil());
            m = warp::mul(&warp::translation(-minx, -miny), &m);
            ow = ((maxx - minx) as u32 + 1).clamp(1, crate::image::MAX_SIDE);
            oh = ((maxy - miny) as u32 + 1).clamp(1, crate::image::MAX_SIDE);
        }
        Projection { matrix: m, width: ow, height: oh, resample: Some(self.resample.clone()) }
    }
}
no_draw_projective!(Affine, AffineParams);

// ---------------------------------------------------------------- Perspective

pub const PERSPECTIVE: TransformInfo = TransformInfo {
    name: "Perspective",
    family: Family::Rotation,
    description: "Moves the four corners by random amounts (normal, scale × side) and warps the image to match: a change of viewpoint.",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "scale", kind: Kind::FloatRange { default: [0.05, 0.1], min: 0.0, max: 0.5, scalar: Scalar::Fixed }, description: "Range of the standard deviation of the corner moves, as a fraction of the sides." },
        ParamSpec { name: "keep_size", kind: Kind::Bool { default: true }, description: "Scale the result back to the input size; off: the size follows the moved corners." },
        INTERPOLATION,
        BORDER_MODE,
        FILL,
        MASK_INTERPOLATION,
    ],
};

pub struct Perspective {
    scale: [f64; 2],
    keep_size: bool,
    resample: Resample,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PerspectiveParams {
    /// Where the source corners top-left, top-right, bottom-right, bottom-left move from, in
    /// fractions of the width and height.
    pub corners: [[f64; 2]; 4],
}

pub fn build_perspective(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(Perspective { scale: f.float_range("scale")?, keep_size: f.bool("keep_size")?, resample: resample(f)? }))
}

/// A standard normal draw (Box–Muller through `libm`, the same on every target).
fn normal(rng: &mut Rng) -> f64 {
    let u1 = rng.unit().max(f64::MIN_POSITIVE);
    let u2 = rng.unit();
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
}

/// The projective map sending `from[i]` to `to[i]` (OpenCV's `getPerspectiveTransform`).
pub fn perspective_from_points(from: &[[f64; 2]; 4], to: &[[f64; 2]; 4]) -> Option<Matrix> {
    let mut a = [[0.0f64; 9]; 8];
    for i in 0..4 {
        let ([x, y], [u, v]) = (from[i], to[i]);
        a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        for row in 0..8 {
            if row != col {
                let f = a[row][col] / a[col][col];
                for k in col..9 {
                    a[row][k] -= f * a[col][k];
                }
            }
        }
    }
    let h: Vec<f64> = (0..8).map(|i| a[i][8] / a[i][i]).collect();
    Some([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0])
}

impl Perspective {
    fn draw(&self, rng: &mut Rng, _: (u32, u32)) -> PerspectiveParams {
        let s = rng.uniform(self.scale[0], self.scale[1]);
        let mut d = [[0.0; 2]; 4];
        for p in &mut d {
            *p = [(normal(rng) * s).abs(), (normal(rng) * s).abs()];
        }
        PerspectiveParams { corners: [[d[0][0], d[0][1]], [1.0 - d[1][0], d[1][1]], [1.0 - d[2][0], 1.0 - d[2][1]], [d[3][0], 1.0 - d[3][1]]] }
    }
    fn map(&self, p: &PerspectiveParams, w: u32, h: u32) -> Projection {
        let (wf, hf) = (w as f64 - 1.0, h as f64 - 1.0);
        let src = p.corners.map(|[x, y]| [x * wf, y * hf]);
        let dist = |a: [f64; 2], b: [f64; 2]| libm::hypot(a[0] - b[0], a[1] - b[1]);
        let out_w = dist(src[0], src[1]).max(dist(src[3], src[2])).max(1.0);
        let out_h = dist(src[0], src[3]).max(dist(src[1], src[2])).max(1.0);
        let dst = [[0.0, 0.0], [out_w, 0.0], [out_w, out_h], [0.0, out_h]];
        let m = perspective_from_points(&src, &dst).unwrap_or(warp::IDENTITY);
        let (ow, oh) = ((out_w as u32 + 1).clamp(1, crate::image::MAX_SIDE), (out_h as u32 + 1).clamp(1, crate::image::MAX_SIDE));
        let (matrix, width, height) = if self.keep_size { (warp::mul(&resize_matrix((ow as f64, oh as f64), (w, h)), &m), w, h) } else { (m, ow, oh) };
        Projection { matrix, width, height, resample: Some(self.resample.clone()) }
    }
}
no_draw_projective!(Perspective, PerspectiveParams);

// ---------------------------------------------------------------- PadIfNeeded

pub const PAD_IF_NEEDED: TransformInfo = TransformInfo {
    name: "PadIfNeeded",
    family: Family::CropZoom,
    description: "Pads to at least min_height × min_width (mirror by default); larger images pass unchanged. Exact: no resampling.",
    caution: None,
    default_p: 1.0,
    params: &[
        ParamSpec { name: "min_height", kind: Kind::Int { default: 1024, min: 1, max: 16384 }, description: "Smallest output height in pixels." },
        ParamSpec { name: "min_width", kind: Kind::Int { default: 1024, min: 1, max: 16384 }, description: "Smallest output width in pixels." },
        ParamSpec {
            name: "position",
            kind: Kind::Choice { default: "center", options: &["center", "top_left", "top_right", "bottom_left", "bottom_right", "random"] },
            description: "Where the image sits in the padded frame.",
        },
        ParamSpec {
            name: "border_mode",
            kind: Kind::Choice { default: "reflect", options: &["constant", "reflect", "replicate", "wrap"] },
            description: "What fills the padding: the fill value, a mirror (reflect-101), the edge pixel, or tiles.",
        },
        FILL,
    ],
};

pub struct PadIfNeeded {
    min: (u32, u32),
    position: &'static str,
    resample: Resample,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PadParams {
    /// Padding added on the left and at the top.
    pub left: u32,
    pub top: u32,
}

pub fn build_pad_if_needed(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(PadIfNeeded {
        min: (f.int("min_width")? as u32, f.int("min_height")? as u32),
        position: f.choice("position")?,
        resample: Resample { interpolation: Interpolation::Nearest, mask_interpolation: Interpolation::Nearest, border: border(f)?, fill: constant_fill(f)? },
    }))
}

impl PadIfNeeded {
    fn out_size(&self, w: u32, h: u32) -> (u32, u32) {
        (w.max(self.min.0), h.max(self.min.1))
    }
    fn draw(&self, rng: &mut Rng, (w, h): (u32, u32)) -> PadParams {
        let (ow, oh) = self.out_size(w, h);
        let (pw, ph) = (ow - w, oh - h);
        let (left, top) = match self.position {
            "top_left" => (0, 0),
            "top_right" => (pw, 0),
            "bottom_left" => (0, ph),
            "bottom_right" => (pw, ph),
            "random" => (rng.int_inclusive(0, pw as i64) as u32, rng.int_inclusive(0, ph as i64) as u32),
            _ => (pw / 2, ph / 2),
        };
        PadParams { left, top }
    }
    fn map(&self, p: &PadParams, w: u32, h: u32) -> Projection {
        let (ow, oh) = self.out_size(w, h);
        let resample = (ow != w || oh != h).then(|| self.resample.clone());
        Projection { matrix: warp::translation(p.left as f64, p.top as f64), width: ow, height: oh, resample }
    }
}
no_draw_projective!(PadIfNeeded, PadParams);

// ---------------------------------------------------------------- CropAndPad

pub const CROP_AND_PAD: TransformInfo = TransformInfo {
    name: "CropAndPad",
    family: Family::CropZoom,
    description: "Crops (negative amounts) or pads (positive amounts) each side by a random number of pixels or a fraction of the side, then by default scales back to the input size. Crop and pad are exact copies; never crops below 1 pixel. Ranges include both ends.",
    caution: None,
    default_p: 1.0,
    params: &[
        ParamSpec {
            name: "percent",
            kind: Kind::FloatRange { default: [-0.1, 0.1], min: -0.99, max: 4.0, scalar: Scalar::Fixed },
            description: "Amount per side as a fraction of that side (negative crops, positive pads); 0 when px is given.",
        },
        ParamSpec {
            name: "px",
            kind: Kind::IntRange { default: [0, 0], min: -16384, max: 16384, scalar: Scalar::Fixed },
            description: "Amount per side in pixels (negative crops, positive pads); set percent to 0 to use it.",
        },
        ParamSpec { name: "sample_independently", kind: Kind::Bool { default: true }, description: "Draw each side on its own; off: one amount for all four sides." },
        ParamSpec { name: "keep_size", kind: Kind::Bool { default: true }, description: "Scale the result back to the input size." },
        BORDER_MODE,
        FILL,
        INTERPOLATION,
        MASK_INTERPOLATION,
    ],
};

enum Amount {
    Pixels([i64; 2]),
    Fraction([f64; 2]),
}

pub struct CropAndPad {
    amount: Amount,
    independent: bool,
    keep_size: bool,
    resample: Resample,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CropAndPadParams {
    /// Pixels per side, top, right, bottom, left: negative crops, positive pads (after the
    /// 1-pixel minimum is enforced).
    pub sides: [i64; 4],
}

pub fn build_crop_and_pad(f: &Fields) -> Result<Box<dyn DynTransform>> {
    let px = f.int_range("px")?;
    let percent = f.float_range("percent")?;
    let amount = match (f.given("px"), f.given("percent")) {
        (true, true) if px != [0, 0] && percent != [0.0, 0.0] => {
            return Err(Error::Recipe("CropAndPad: only one of 'px' and 'percent' may be set (give the other as 0)".into()));
        }
        (true, _) if px != [0, 0] => Amount::Pixels(px),
        (true, false) => Amount::Pixels(px),
        _ => Amount::Fraction(percent),
    };
    Ok(Box::new(CropAndPad { amount, independent: f.bool("sample_independently")?, keep_size: f.bool("keep_size")?, resample: resample(f)? }))
}

/// Gives back cropped pixels so that exactly one remains when the crops meet or pass each
/// other: the regained pixels are split between the two sides, the first taking the odd one.
fn keep_one(a: i64, b: i64, size: i64) -> (i64, i64) {
    let remaining = size - a - b;
    if remaining >= 1 {
        return (a, b);
    }
    let regain = -remaining + 1;
    let (mut r1, mut r2) = (regain / 2 + regain % 2, regain / 2);
    if r1 > a {
        r2 += r1 - a;
        r1 = a;
    } else if r2 > b {
        r1 += r2 - b;
        r2 = b;
    }
    ((a - r1).max(0), (b - r2).max(0))
}

impl CropAndPad {
    fn draw(&self, rng: &mut Rng, (w, h): (u32, u32)) -> CropAndPadParams {
        let lengths = [h, w, h, w].map(|v| v as f64);
        let draws = if self.independent { 4 } else { 1 };
        let sides: [i64; 4] = match self.amount {
            Amount::Pixels([lo, hi]) => {
                let v: Vec<i64> = (0..draws).map(|_| rng.int_inclusive(lo, hi)).collect();
                std::array::from_fn(|i| v[i.min(draws - 1)])
            }
            // A fraction of each side's own length, truncated like Python's int().
            Amount::Fraction([lo, hi]) => {
                let v: Vec<f64> = (0..draws).map(|_| rng.uniform(lo, hi)).collect();
                std::array::from_fn(|i| (v[i.min(draws - 1)] * lengths[i]) as i64)
            }
        };
        let crop = sides.map(|s| (-s).max(0));
        let (top, bottom) = keep_one(crop[0], crop[2], h as i64);
        let (right, left) = keep_one(crop[1], crop[3], w as i64);
        let cropped = [top, right, bottom, left];
        CropAndPadParams { sides: std::array::from_fn(|i| if sides[i] < 0 { -cropped[i] } else { sides[i] }) }
    }
}

impl CropAndPad {
    /// Crop, pad and resize as one map when the padding reads the same pixels from the original
    /// as from the cropped image (constant and edge borders always; mirrors while the padding is
    /// thinner than what is left; tiles only without cropping). Otherwise `None`: three steps.
    fn fused(&self, p: &CropAndPadParams, w: u32, h: u32) -> Option<Projection> {
        let [t, r, b, l] = p.sides;
        let crop = [t, r, b, l].map(|s| (-s).max(0));
        let pad = [t, r, b, l].map(|s| s.max(0));
        let (cw, ch) = (w as i64 - crop[1] - crop[3], h as i64 - crop[0] - crop[2]);
        let fusable = match self.resample.border {
            Border::Constant | Border::Replicate => true,
            Border::Reflect => pad[1].max(pad[3]) < cw - 1 && pad[0].max(pad[2]) < ch - 1,
            Border::Wrap => crop.iter().all(|&c| c == 0),
        };
        if !fusable || cw < 1 || ch < 1 {
            return None;
        }
        let (pw, ph) = (cw + pad[1] + pad[3], ch + pad[0] + pad[2]);
        let shift = warp::translation((pad[3] - crop[3]) as f64, (pad[0] - crop[0]) as f64);
        let resized = self.keep_size && (pw != w as i64 || ph != h as i64);
        let padded = pad.iter().any(|&v| v > 0);
        let (matrix, width, height) = if resized { (warp::mul(&resize_matrix((pw as f64, ph as f64), (w, h)), &shift), w, h) } else { (shift, pw as u32, ph as u32) };
        Some(Projection { matrix, width, height, resample: (resized || padded).then(|| self.resample.clone()) })
    }
}

impl Transform for CropAndPad {
    type Params = CropAndPadParams;

    fn sample_params(&self, rng: &mut Rng, sample: &Sample) -> CropAndPadParams {
        self.draw(rng, sample.size())
    }

    fn projection(&self, p: &CropAndPadParams, w: u32, h: u32) -> Option<Projection> {
        self.fused(p, w, h)
    }

    fn apply(&self, p: &CropAndPadParams, sample: &mut Sample) -> Result<()> {
        let (w, h) = sample.size();
        if let Some(one) = self.fused(p, w, h) {
            return apply_projection(Some(one), sample);
        }
        self.three_steps(p, sample)
    }
}

impl CropAndPad {
    /// Crop, then pad the cropped image, then resize: albumentations' order, step by step.
    fn three_steps(&self, p: &CropAndPadParams, sample: &mut Sample) -> Result<()> {
        let (w, h) = sample.size();
        let [t, r, b, l] = p.sides;
        let crop = [t, r, b, l].map(|s| (-s).max(0));
        let pad = [t, r, b, l].map(|s| s.max(0));
        let exact = Resample { interpolation: Interpolation::Nearest, mask_interpolation: Interpolation::Nearest, ..self.resample.clone() };
        let (cw, ch) = (w as i64 - crop[1] - crop[3], h as i64 - crop[0] - crop[2]);
        if cw < 1 || ch < 1 {
            return Err(Error::Argument(format!("CropAndPad: cropping {crop:?} (top, right, bottom, left) leaves nothing of a {w}×{h} image")));
        }
        if crop.iter().any(|&c| c > 0) {
            super::resample_sample(sample, &warp::translation(crop[3] as f64, crop[0] as f64), cw as u32, ch as u32, &exact)?;
        }
        let (pw, ph) = (cw + pad[1] + pad[3], ch + pad[0] + pad[2]);
        if pw > crate::image::MAX_SIDE as i64 || ph > crate::image::MAX_SIDE as i64 {
            return Err(Error::Argument(format!("CropAndPad: padding gives a {pw}×{ph} image, too large: the largest side allowed is {}", crate::image::MAX_SIDE)));
        }
        if pad.iter().any(|&v| v > 0) {
            super::resample_sample(sample, &warp::translation(-(pad[3] as f64), -(pad[0] as f64)), pw as u32, ph as u32, &exact)?;
        }
        if self.keep_size && (pw != w as i64 || ph != h as i64) {
            let inverse = warp::invert(&resize_matrix((pw as f64, ph as f64), (w, h))).ok_or_else(|| Error::Argument("CropAndPad: singular resize".into()))?;
            // cv2.resize repeats the canvas edge; so does this step.
            super::resample_sample(sample, &inverse, w, h, &Resample { border: Border::Replicate, ..self.resample.clone() })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Image;

    fn photo_like(w: u32, h: u32) -> Image {
        Image::new(w, h, 3, (0..w * h * 3).map(|i| ((i * 7 + (i / (w * 3)) * 13) % 256) as u8).collect()).unwrap()
    }

    #[test]
    fn crop_and_pad_as_one_map_equals_the_three_steps() {
        let img = photo_like(23, 17);
        for border in [Border::Constant, Border::Replicate, Border::Reflect, Border::Wrap] {
            for keep_size in [false, true] {
                let t = CropAndPad {
                    amount: Amount::Pixels([-6, 6]),
                    independent: true,
                    keep_size,
                    resample: Resample { interpolation: Interpolation::Linear, mask_interpolation: Interpolation::Nearest, border, fill: vec![9, 8, 7] },
                };
                let mut rng = Rng::new(11);
                let mut fused_count = 0;
                for _ in 0..40 {
                    let p = t.draw(&mut rng, (23, 17));
                    if t.fused(&p, 23, 17).is_none() {
                        continue;
                    }
                    fused_count += 1;
                    let (mut a, mut b) = (Sample::new(img.clone()), Sample::new(img.clone()));
                    t.apply(&p, &mut a).unwrap();
                    t.three_steps(&p, &mut b).unwrap();
                    if keep_size {
                        // The one map reads real pixels where the three steps repeat the canvas
                        // edge: they may differ in the outermost pixels only.
                        for y in 1..16 {
                            for x in 1..22 {
                                let (pa, pb) = (a.image.pixel(x, y), b.image.pixel(x, y));
                                assert!(pa.iter().zip(pb).all(|(u, v)| u.abs_diff(*v) <= 1), "{border:?} {p:?} at ({x}, {y}): {pa:?} vs {pb:?}");
                            }
                        }
                    } else {
                        assert_eq!(a.image, b.image, "{border:?} {p:?}");
                    }
                }
                assert!(fused_count > 0, "{border:?}: never fused");
            }
        }
    }
}
