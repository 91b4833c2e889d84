//! Blur and image quality: Gaussian, motion, box, median and defocus blur, JPEG compression.
//! Photometric: masks are untouched.

use serde::{Deserialize, Serialize};

use super::spec::{Family, Fields, Kind, ParamSpec, Scalar, TransformInfo};
use super::{DynTransform, Transform};
use crate::error::Result;
use crate::image::Sample;
use crate::kernels::{self, filter};
use crate::rng::Rng;

/// An odd kernel size from a range, as albumentations' `sample_odd_from_range`.
fn odd_from(rng: &mut Rng, range: [i64; 2]) -> i64 {
    let low = (range[0] + (range[0] % 2 == 0) as i64).max(3);
    let high = (range[1] + (range[1] % 2 == 0) as i64).max(3).max(low);
    if low == high {
        return low;
    }
    low + 2 * rng.int_inclusive(0, (high - low) / 2)
}

// ---------------------------------------------------------------- GaussianBlur

pub const GAUSSIAN_BLUR: TransformInfo = TransformInfo {
    name: "GaussianBlur",
    family: Family::BlurQuality,
    description: "Blurs with a Gaussian of random sigma; the kernel size follows sigma unless blur_limit sets it.",
    caution: Some("Strong blur erases fine detail the model may need (small text, thin structures)."),
    default_p: 0.5,
    params: &[
        ParamSpec { name: "blur_limit", kind: Kind::IntRange { default: [0, 0], min: 0, max: 255, scalar: Scalar::Fixed }, description: "Range of the kernel size (odd); 0: int(sigma × 3.5) × 2 + 1." },
        ParamSpec { name: "sigma_limit", kind: Kind::FloatRange { default: [0.5, 3.0], min: 0.01, max: 100.0, scalar: Scalar::Fixed }, description: "Range the standard deviation is drawn from, in pixels." },
    ],
};

pub struct GaussianBlur {
    blur: [i64; 2],
    sigma: [f64; 2],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GaussianBlurParams {
    pub sigma: f64,
    pub ksize: u32,
}

pub fn build_gaussian_blur(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(GaussianBlur { blur: f.int_range("blur_limit")?, sigma: f.float_range("sigma_limit")? }))
}

impl Transform for GaussianBlur {
    type Params = GaussianBlurParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> GaussianBlurParams {
        let sigma = rng.uniform(self.sigma[0], self.sigma[1]);
        let k = rng.int_inclusive(self.blur[0], self.blur[1]);
        let k = if k == 0 { (sigma * 3.5) as i64 * 2 + 1 } else { k };
        GaussianBlurParams { sigma, ksize: (k + (k % 2 == 0) as i64) as u32 }
    }
    fn apply(&self, p: &GaussianBlurParams, sample: &mut Sample) -> Result<()> {
        let k = filter::gaussian_kernel(p.sigma.max(1e-3), p.ksize.clamp(1, 1023) as usize | 1);
        filter::separable(&mut sample.image, &k);
        Ok(())
    }
}

// ---------------------------------------------------------------- MotionBlur

pub const MOTION_BLUR: TransformInfo = TransformInfo {
    name: "MotionBlur",
    family: Family::BlurQuality,
    description: "Smears along a random line, as a moving camera or object does.",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "blur_limit", kind: Kind::IntRange { default: [3, 7], min: 3, max: 99, scalar: Scalar::Fixed }, description: "Range of the kernel size (odd): the length of the smear." },
        ParamSpec { name: "allow_shifted", kind: Kind::Bool { default: true }, description: "Allow the line to be off the kernel's centre (the image shifts slightly)." },
        ParamSpec { name: "angle_range", kind: Kind::FloatRange { default: [0.0, 360.0], min: 0.0, max: 360.0, scalar: Scalar::Fixed }, description: "Range of the line's angle in degrees (counter-clockwise)." },
        ParamSpec { name: "direction_range", kind: Kind::FloatRange { default: [-1.0, 1.0], min: -1.0, max: 1.0, scalar: Scalar::Fixed }, description: "Range of the bias: −1 backward only, 0 symmetric, 1 forward only." },
    ],
};

pub struct MotionBlur {
    blur: [i64; 2],
    shifted: bool,
    angle: [f64; 2],
    direction: [f64; 2],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MotionBlurParams {
    pub ksize: u32,
    pub angle: f64,
    pub direction: f64,
    pub shift: [f64; 2],
}

pub fn build_motion_blur(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(MotionBlur {
        blur: f.int_range("blur_limit")?,
        shifted: f.bool("allow_shifted")?,
        angle: f.float_range("angle_range")?,
        direction: f.float_range("direction_range")?,
    }))
}

/// albumentations' `create_motion_kernel`: points along a (biased, shifted) line, normalised.
pub fn motion_kernel(p: &MotionBlurParams) -> Vec<f32> {
    let k = (p.ksize.clamp(3, 99) | 1) as usize;
    let center = (k / 2) as f64;
    let line = (k / 2) as f64;
    let (dx, dy) = (libm::cos(p.angle.to_radians()), libm::sin(p.angle.to_radians()));
    let d = p.direction.clamp(-1.0, 1.0);
    let (t0, t1) = if d < 0.0 { (-line, line * (1.0 + d)) } else if d > 0.0 { (-line * (1.0 - d), line) } else { (-line, line) };
    let mut kernel = vec![0f32; k * k];
    for i in 0..k {
        let t = if k == 1 { t0 } else { t0 + (t1 - t0) * i as f64 / (k - 1) as f64 };
        let x = libm::rint(center + dx * t + p.shift[0]).clamp(0.0, (k - 1) as f64) as usize;
        let y = libm::rint(center + dy * t + p.shift[1]).clamp(0.0, (k - 1) as f64) as usize;
        kernel[y * k + x] = 1.0;
    }
    let n = kernel.iter().filter(|&&v| v > 0.0).count().max(1) as f32;
    kernel.iter_mut().for_each(|v| *v /= n);
    kernel
}

impl Transform for MotionBlur {
    type Params = MotionBlurParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> MotionBlurParams {
        let ksize = odd_from(rng, self.blur) as u32;
        let angle = rng.uniform(self.angle[0], self.angle[1]);
        let direction = rng.uniform(self.direction[0], self.direction[1]);
        let half = (ksize / 2) as f64 / 2.0;
        let shift = if self.shifted { [rng.uniform(-1.0, 1.0) * half, rng.uniform(-1.0, 1.0) * half] } else { [0.0, 0.0] };
        MotionBlurParams { ksize, angle, direction, shift }
    }
    fn apply(&self, p: &MotionBlurParams, sample: &mut Sample) -> Result<()> {
        let k = (p.ksize.clamp(3, 99) | 1) as usize;
        let kernel = motion_kernel(p);
        // Equal weights over the line's pixels: a mean of those taps, in integers.
        let taps: Vec<(usize, usize)> = (0..k * k).filter(|&i| kernel[i] != 0.0).map(|i| (i / k, i % k)).collect();
        if !filter::mean_taps(&mut sample.image, &taps, k / 2) {
            filter::filter2d(&mut sample.image, &kernel, k);
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- Blur

pub const BLUR: TransformInfo = TransformInfo {
    name: "Blur",
    family: Family::BlurQuality,
    description: "Replaces each value by the mean of its square window (a box blur, cv2.blur), window size drawn odd from blur_limit.",
    caution: Some("Strong blur erases fine detail the model may need (small text, thin structures)."),
    default_p: 0.5,
    params: &[ParamSpec { name: "blur_limit", kind: Kind::IntRange { default: [3, 7], min: 3, max: 255, scalar: Scalar::Fixed }, description: "Range of the window size (odd)." }],
};

pub struct Blur {
    blur: [i64; 2],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BlurParams {
    pub ksize: u32,
}

pub fn build_blur(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(Blur { blur: f.int_range("blur_limit")? }))
}

impl Transform for Blur {
    type Params = BlurParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> BlurParams {
        BlurParams { ksize: odd_from(rng, self.blur) as u32 }
    }
    fn apply(&self, p: &BlurParams, sample: &mut Sample) -> Result<()> {
        filter::box_blur(&mut sample.image, (p.ksize as usize).clamp(3, filter::BOX_MAX) | 1);
        Ok(())
    }
}

// ---------------------------------------------------------------- MedianBlur

pub const MEDIAN_BLUR: TransformInfo = TransformInfo {
    name: "MedianBlur",
    family: Family::BlurQuality,
    description: "Replaces each value by the median of its square neighbourhood: removes specks, keeps edges.",
    caution: None,
    default_p: 0.5,
    params: &[ParamSpec { name: "blur_limit", kind: Kind::IntRange { default: [3, 7], min: 3, max: 99, scalar: Scalar::Fixed }, description: "Range of the window size (odd)." }],
};

pub struct MedianBlur {
    blur: [i64; 2],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MedianBlurParams {
    pub ksize: u32,
}

pub fn build_median_blur(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(MedianBlur { blur: f.int_range("blur_limit")? }))
}

impl Transform for MedianBlur {
    type Params = MedianBlurParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> MedianBlurParams {
        MedianBlurParams { ksize: odd_from(rng, self.blur) as u32 }
    }
    fn apply(&self, p: &MedianBlurParams, sample: &mut Sample) -> Result<()> {
        filter::median(&mut sample.image, (p.ksize.clamp(3, 99) | 1) as usize);
        Ok(())
    }
}

// ---------------------------------------------------------------- Defocus

pub const DEFOCUS: TransformInfo = TransformInfo {
    name: "Defocus",
    family: Family::BlurQuality,
    description: "Out-of-focus blur: a disk of the given radius, its edge softened by alias_blur.",
    caution: Some("Large radii erase detail; keep them below the size of what must stay recognisable."),
    default_p: 0.5,
    params: &[
        ParamSpec { name: "radius", kind: Kind::IntRange { default: [3, 10], min: 1, max: 50, scalar: Scalar::Fixed }, description: "Range of the disk radius in pixels." },
        ParamSpec { name: "alias_blur", kind: Kind::FloatRange { default: [0.1, 0.5], min: 0.0, max: 10.0, scalar: Scalar::Fixed }, description: "Range of the Gaussian sigma that softens the disk's edge." },
    ],
};

pub struct Defocus {
    radius: [i64; 2],
    alias: [f64; 2],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DefocusParams {
    pub radius: u32,
    pub alias_blur: f64,
}

pub fn build_defocus(f: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(Defocus { radius: f.int_range("radius")?, alias: f.float_range("alias_blur")? }))
}

/// albumentations' defocus kernel: a normalised disk blurred by a 3×3 (5×5 above radius 8)
/// Gaussian with OpenCV's reflect-101 border.
pub fn defocus_kernel(radius: u32, alias: f64) -> (Vec<f32>, usize) {
    let r = radius.clamp(1, 50) as i64;
    let half = r.max(8);
    let size = (2 * half + 1) as usize;
    let mut disk = vec![0f32; size * size];
    for y in -half..=half {
        for x in -half..=half {
            if x * x + y * y <= r * r {
                disk[((y + half) as usize) * size + (x + half) as usize] = 1.0;
            }
        }
    }
    let total: f32 = disk.iter().sum();
    disk.iter_mut().for_each(|v| *v /= total);
    let g = filter::gaussian_kernel(alias.max(1e-3), if r <= 8 { 3 } else { 5 });
    let gr = (g.len() / 2) as isize;
    let blur = |src: &[f32], horizontal: bool| -> Vec<f32> {
        let mut out = vec![0f32; size * size];
        for y in 0..size {
            for x in 0..size {
                let mut acc = 0f32;
                for (t, &kv) in g.iter().enumerate() {
                    let o = t as isize - gr;
                    let (sx, sy) = if horizontal { (filter::reflect101(x as isize + o, size), y) } else { (x, filter::reflect101(y as isize + o, size)) };
                    acc += kv * src[sy * size + sx];
                }
                out[y * size + x] = acc;
            }
        }
        out
    };
    (blur(&blur(&disk, true), false), size)
}

/// Sparse kernel taps: (dy, dx, weight) from the centre.
pub type EdgeTaps = Vec<(isize, isize, f32)>;

/// [`defocus_kernel`] as [`filter::disk_blur`] takes it: the disk radius, the 1-D Gaussian,
/// and the sparse difference between the kernel and the Gaussian applied to the disk without a
/// border. (The kernel's blur reflects at the kernel's edge, which the disk reaches from radius
/// 8 up; the difference puts back the weight the reflection moves, so the result is the kernel's.)
/// The smallest differences, together at most 1e-4 of the weight, are left out. `None` where
/// more than a quarter of the kernel's taps would remain (an alias blur far wider than
/// albumentations' default range): the kernel itself is cheaper there.
pub fn defocus_parts(radius: u32, alias: f64) -> Option<(usize, Vec<f32>, EdgeTaps)> {
    let (kernel, size) = defocus_kernel(radius, alias);
    let r = radius.clamp(1, 50) as isize;
    let g = filter::gaussian_kernel(alias.max(1e-3), if r <= 8 { 3 } else { 5 });
    let (half, gr) = ((size / 2) as isize, (g.len() / 2) as isize);
    let count = (-r..=r).flat_map(|y| (-r..=r).map(move |x| (x, y))).filter(|&(x, y)| x * x + y * y <= r * r).count() as f64;
    let reach = half + gr;
    let mut extra = Vec::new();
    for dy in -reach..=reach {
        for dx in -reach..=reach {
            // The Gaussian applied to the disk, at (dy, dx).
            let mut blurred = 0.0f64;
            for (i, &gy) in g.iter().enumerate() {
                for (j, &gx) in g.iter().enumerate() {
                    let (y, x) = (dy - (i as isize - gr), dx - (j as isize - gr));
                    if x * x + y * y <= r * r {
                        blurred += gy as f64 * gx as f64 / count;
                    }
                }
            }
            let inside = dy.abs() <= half && dx.abs() <= half;
            let k = if inside { kernel[((dy + half) as usize) * size + (dx + half) as usize] as f64 } else { 0.0 };
            if k != blurred {
                extra.push((dy, dx, k - blurred));
            }
        }
    }
    // The smallest differences left out while together they weigh at most 1e-4 (no value moves
    // by more than 0.026 of a grey level): the largest cut-off that drops no more, by bisection.
    let dropped = |cut: f64| extra.iter().map(|e| e.2.abs()).filter(|&k| k < cut).sum::<f64>();
    let (mut keep_all, mut too_far) = (0.0f64, 1.0f64);
    for _ in 0..60 {
        let mid = 0.5 * (keep_all + too_far);
        if dropped(mid) <= 1e-4 {
            keep_all = mid;
        } else {
            too_far = mid;
        }
    }
    extra.retain(|e| e.2.abs() >= keep_all);
    if extra.len() * 4 > size * size {
        return None;
    }
    // Row by row (the loops' order), as the kernel reads the image.
    Some((r as usize, g, extra.into_iter().map(|(dy, dx, k)| (dy, dx, k as f32)).collect()))
}

impl Transform for Defocus {
    type Params = DefocusParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> DefocusParams {
        let radius = rng.int_inclusive(self.radius[0], self.radius[1]) as u32;
        DefocusParams { radius, alias_blur: rng.uniform(self.alias[0], self.alias[1]) }
    }
    fn apply(&self, p: &DefocusParams, sample: &mut Sample) -> Result<()> {
        match defocus_parts(p.radius, p.alias_blur) {
            Some((r, g, extra)) => filter::disk_blur(&mut sample.image, r, &g, &extra),
            None => {
                let (k, size) = defocus_kernel(p.radius, p.alias_blur);
                filter::filter2d(&mut sample.image, &k, size);
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- ImageCompression

pub const IMAGE_COMPRESSION: TransformInfo = TransformInfo {
    name: "ImageCompression",
    family: Family::BlurQuality,
    description: "Encodes and decodes as JPEG at a random quality: blocking and ringing artefacts (a pure-Rust codec: same quality scale as libjpeg, not the same bytes).",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "compression_type", kind: Kind::Choice { default: "jpeg", options: &["jpeg"] }, description: "Codec (JPEG)." },
        ParamSpec { name: "quality_range", kind: Kind::IntRange { default: [99, 100], min: 1, max: 100, scalar: Scalar::Fixed }, description: "Range of the JPEG quality (1 worst, 100 best)." },
    ],
};

pub struct ImageCompression {
    quality: [i64; 2],
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CompressionParams {
    pub quality: u8,
}

pub fn build_image_compression(f: &Fields) -> Result<Box<dyn DynTransform>> {
    f.choice("compression_type")?;
    Ok(Box::new(ImageCompression { quality: f.int_range("quality_range")? }))
}

impl Transform for ImageCompression {
    type Params = CompressionParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> CompressionParams {
        CompressionParams { quality: rng.int_inclusive(self.quality[0], self.quality[1]) as u8 }
    }
    fn apply(&self, p: &CompressionParams, sample: &mut Sample) -> Result<()> {
        // The `image` crate's JPEG encoder and decoder, byte for byte, without the bit stream
        // (see `kernels::jpeg`). JPEG has no alpha: alpha stays as it is.
        let img = &mut sample.image;
        let (w, h, c) = (img.width() as usize, img.height() as usize, img.channels() as usize);
        kernels::jpeg::round_trip(img.data_mut(), w, h, c, p.quality.clamp(1, 100));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::Image;
    // These run natively and, through wasm-pack test, in node and Chromium.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// The disk-sum form of Defocus against the direct convolution with albumentations' kernel:
    /// the same sums in another order (and the kernel's tiniest edge corrections left out), so a
    /// value may round the other way near a tie, no more.
    #[test]
    fn defocus_by_disk_sums_is_the_kernel_convolution() {
        let shapes = [(37u32, 23u32, 4u8), (5, 3, 3), (1, 1, 1), (2, 40, 1), (64, 48, 3)];
        for (w, h, c) in shapes {
            let data = (0..w * h * c as u32).map(|i| ((i * 7919 + (i / 17) * 31) % 256) as u8 ^ if i % 97 < 40 { 0xa0 } else { 0 }).collect();
            let img = Image::new(w, h, c, data).unwrap();
            for radius in [1u32, 3, 7, 8, 9, 12, 20] {
                for alias in [0.1, 0.3, 0.5, 1.5] {
                    let (kernel, size) = defocus_kernel(radius, alias);
                    let mut direct = img.clone();
                    filter::filter2d(&mut direct, &kernel, size);
                    let parts = defocus_parts(radius, alias);
                    // albumentations' default ranges (radius 3–10, alias 0.1–0.5) take disk sums.
                    assert!(parts.is_some() || alias > 0.5, "radius {radius} alias {alias}: no disk sums");
                    let Some((r, g, extra)) = parts else { continue };
                    let mut fast = img.clone();
                    filter::disk_blur(&mut fast, r, &g, &extra);
                    let mut differ = 0;
                    for (a, b) in fast.data().iter().zip(direct.data()) {
                        assert!(a.abs_diff(*b) <= 1, "{w}x{h}x{c} radius {radius} alias {alias}: {a} vs {b}");
                        differ += (a != b) as usize;
                    }
                    assert!(differ <= 2 + fast.data().len() / 50, "{w}x{h}x{c} radius {radius} alias {alias}: {differ} values differ");
                }
            }
        }
    }
}
