//! One resampling for every projective map (affine or perspective), as OpenCV's `warpAffine` /
//! `warpPerspective` compute it: each output pixel centre is mapped back into the source, the
//! position quantised to 1/32 pixel, and the value interpolated with 15-bit fixed-point weights.
//! Integer maths keeps native and wasm bytes identical.

use super::filter::reflect101;
use crate::image::{copy_bytes, Image};

/// How values between pixel centres are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interpolation {
    Nearest,
    Linear,
    Cubic,
    /// The average over each output pixel's area where an axis-aligned map shrinks the image
    /// (see [`super::area`]); bilinear elsewhere, as OpenCV's `INTER_AREA`.
    Area,
}

impl Interpolation {
    /// The interpolation of the point-sampling paths: area reads as bilinear there.
    fn sampled(self) -> Self {
        if self == Interpolation::Area { Interpolation::Linear } else { self }
    }
}

/// What lies outside the source image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Border {
    /// The fill value.
    Constant,
    /// Mirror without repeating the edge (OpenCV's default, `BORDER_REFLECT_101`).
    Reflect,
    /// Repeat the edge pixel.
    Replicate,
    /// Tile the image.
    Wrap,
}

/// A 3×3 row-major matrix mapping source to destination coordinates.
pub type Matrix = [f64; 9];

pub const IDENTITY: Matrix = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0];

/// `a × b` (apply `b` first, then `a`).
pub fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    let mut m = [0.0; 9];
    for r in 0..3 {
        for c in 0..3 {
            m[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
        }
    }
    m
}

/// The inverse, or `None` when the matrix is singular.
pub fn invert(m: &Matrix) -> Option<Matrix> {
    let [a, b, c, d, e, f, g, h, i] = *m;
    let det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    if det.abs() < 1e-12 || !det.is_finite() {
        return None;
    }
    let inv = [e * i - f * h, c * h - b * i, b * f - c * e, f * g - d * i, a * i - c * g, c * d - a * f, d * h - e * g, b * g - a * h, a * e - b * d];
    Some(inv.map(|v| v / det))
}

pub fn translation(tx: f64, ty: f64) -> Matrix {
    [1.0, 0.0, tx, 0.0, 1.0, ty, 0.0, 0.0, 1.0]
}

pub fn scaling(sx: f64, sy: f64) -> Matrix {
    [sx, 0.0, 0.0, 0.0, sy, 0.0, 0.0, 0.0, 1.0]
}

const BITS: i32 = 5; // positions are quantised to 1/32 pixel, as OpenCV's INTER_BITS
const TAB: i32 = 1 << BITS;
/// Added to every row-blended value of the separable path: the column weights sum to 32, so
/// each output sum carries 32 · 16 = 512, the rounding half of its ÷ 1024.
const HALF_TAP: u16 = 16;
/// Affine positions are stepped along a row in 1/1024 pixel (OpenCV's AB_BITS).
const AB_BITS: i32 = 10;
/// A position that is not finite or absurdly far: read as the fill value.
const FAR: i32 = i32::MIN;
/// Bilinear weights are exact 7-bit numbers per axis (1/32 positions), 14 bits as products.
const LINEAR_BITS: i32 = 14;
const CUBIC_BITS: i32 = 15;

/// Bilinear weights of the two taps per axis: exact, since positions are multiples of 1/32.
#[inline]
fn linear_weights(f: i32) -> [i32; 2] {
    [128 - 4 * f, 4 * f]
}

fn cubic_weights(f: i32) -> [i32; 4] {
    const A: f64 = -0.75;
    let x = f as f64 / TAB as f64;
    let c0 = ((A * (x + 1.0) - 5.0 * A) * (x + 1.0) + 8.0 * A) * (x + 1.0) - 4.0 * A;
    let c1 = ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0;
    let c2 = ((A + 2.0) * (1.0 - x) - (A + 3.0)) * (1.0 - x) * (1.0 - x) + 1.0;
    let c3 = 1.0 - c0 - c1 - c2;
    let mut w = [c0, c1, c2, c3].map(|c| (c * (1 << CUBIC_BITS) as f64).round() as i32);
    // Make the weights sum exactly to one, as OpenCV does, by adjusting the largest.
    let sum: i32 = w.iter().sum();
    let big = (0..4).max_by_key(|&i| w[i]).unwrap_or(1);
    w[big] += (1 << CUBIC_BITS) - sum;
    w
}

/// A source image with its border rule: reads pixels at integer positions, inside or out.
struct Source<'a> {
    data: &'a [u8],
    sw: usize,
    sh: usize,
    c: usize,
    border: Border,
    fills: [u8; 4],
}

impl<'a> Source<'a> {
    fn new(src: &'a Image, border: Border, fill: &[u8]) -> Self {
        let c = src.channels() as usize;
        let fill_of = |ch: usize| -> u8 { fill.get(ch).or(if ch < 3 { fill.last() } else { None }).copied().unwrap_or(if ch == 3 { 255 } else { 0 }) };
        Source { data: src.data(), sw: src.width() as usize, sh: src.height() as usize, c, border, fills: [fill_of(0), fill_of(1), fill_of(2), fill_of(3)] }
    }

    #[inline(always)]
    fn index(&self, i: i64, n: usize) -> Option<usize> {
        if (0..n as i64).contains(&i) {
            return Some(i as usize);
        }
        match self.border {
            Border::Constant => None,
            Border::Reflect => Some(reflect101(i as isize, n)),
            Border::Replicate => Some(i.clamp(0, n as i64 - 1) as usize),
            Border::Wrap => Some(i.rem_euclid(n as i64) as usize),
        }
    }

    /// Channel `ch` at integer position (`x`, `y`), following the border rule.
    #[inline]
    fn at(&self, x: i64, y: i64, ch: usize) -> i32 {
        match (self.index(x, self.sw), self.index(y, self.sh)) {
            (Some(x), Some(y)) => self.data[(y * self.sw + x) * self.c + ch] as i32,
            _ => self.fills[ch] as i32,
        }
    }

    fn fill_pixel(&self, px: &mut [u8]) {
        // Fixed lengths, so these are plain stores (a copy of a length known only at run time
        // becomes a call into the engine in wasm).
        match px {
            [v] => *v = self.fills[0],
            [r, g, b] => [*r, *g, *b] = [self.fills[0], self.fills[1], self.fills[2]],
            [_, _, _, _] => px.copy_from_slice(&self.fills),
            _ => px.copy_from_slice(&self.fills[..self.c]),
        }
    }
}

/// Per output row, where each pixel reads the source: `xs[x]`, `ys[x]` in 1/32 pixel
/// (or `FAR`). For nearest they are whole pixels times 32.
struct Positions {
    xs: Vec<i32>,
    ys: Vec<i32>,
}

impl Positions {
    fn listed(&self) -> Listed<'_> {
        Listed { xs: &self.xs, ys: &self.ys }
    }
}

/// The source positions of a row's output pixels (1/32 pixel), as the bilinear row reads them:
/// listed, or for an affine map computed as needed from the row's start and the per-column
/// deltas (the same values, without a pass that writes them out first).
trait Places: Copy {
    fn len(&self) -> usize;
    fn at(&self, x: usize) -> (i32, i32);
    /// The positions of pixels `x .. x + 4`.
    ///
    /// # Safety
    /// `x + 4 ≤ self.len()`.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    unsafe fn at4(&self, x: usize) -> (core::arch::wasm32::v128, core::arch::wasm32::v128);
}

/// Positions from [`Positions`].
#[derive(Clone, Copy)]
struct Listed<'a> {
    xs: &'a [i32],
    ys: &'a [i32],
}

impl Places for Listed<'_> {
    fn len(&self) -> usize {
        self.xs.len().min(self.ys.len())
    }
    #[inline(always)]
    fn at(&self, x: usize) -> (i32, i32) {
        (self.xs[x], self.ys[x])
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[inline(always)]
    unsafe fn at4(&self, x: usize) -> (core::arch::wasm32::v128, core::arch::wasm32::v128) {
        use core::arch::wasm32::v128_load;
        // SAFETY: x + 4 ≤ len (the caller's promise), within both slices.
        unsafe { (v128_load(self.xs.as_ptr().add(x) as *const _), v128_load(self.ys.as_ptr().add(x) as *const _)) }
    }
}

/// An affine row's bilinear positions: `(x0 + adelta[x]) >> (AB_BITS − BITS)`, the same for y,
/// with `x0`, `y0` the row's start plus the rounding delta (all sums below 2^29 in magnitude).
#[derive(Clone, Copy)]
struct AffineRow<'a> {
    adelta: &'a [i32],
    bdelta: &'a [i32],
    x0: i32,
    y0: i32,
}

impl Places for AffineRow<'_> {
    fn len(&self) -> usize {
        self.adelta.len().min(self.bdelta.len())
    }
    #[inline(always)]
    fn at(&self, x: usize) -> (i32, i32) {
        ((self.x0 + self.adelta[x]) >> (AB_BITS - BITS), (self.y0 + self.bdelta[x]) >> (AB_BITS - BITS))
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[inline(always)]
    unsafe fn at4(&self, x: usize) -> (core::arch::wasm32::v128, core::arch::wasm32::v128) {
        use core::arch::wasm32::*;
        // SAFETY: x + 4 ≤ len (the caller's promise), within both slices.
        let (a, b) = unsafe { (v128_load(self.adelta.as_ptr().add(x) as *const v128), v128_load(self.bdelta.as_ptr().add(x) as *const v128)) };
        let shift = (AB_BITS - BITS) as u32;
        (i32x4_shr(i32x4_add(a, i32x4_splat(self.x0)), shift), i32x4_shr(i32x4_add(b, i32x4_splat(self.y0)), shift))
    }
}

/// How a border brings a position outside the source in, along one axis, for the SIMD runs:
/// the same taps and fraction as the border rule gives each tap, for positions up to one source
/// size outside; farther ones (and FAR) stay outside, so a run of taps inside stops at them.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
trait Fold: Copy {
    /// The constant the fold needs for an axis of `n` pixels (at most 2^24).
    fn constant(n: usize) -> i32;
    fn one(q: i32, k: i32) -> i32;
    fn four(q: core::arch::wasm32::v128, k: i32) -> core::arch::wasm32::v128;
}

/// Reflect-101 ([`reflect_position`]): min(|q|, 2m − |q|) with m = 32 · (n − 1), for |q| ≤ 2m;
/// beyond, negative (|i32::MIN| wraps negative too).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[derive(Clone, Copy)]
struct MirrorIn;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
impl Fold for MirrorIn {
    fn constant(n: usize) -> i32 {
        TAB * (n as i32 - 1)
    }
    #[inline(always)]
    fn one(q: i32, m: i32) -> i32 {
        q.wrapping_abs().min(2 * m - q.wrapping_abs())
    }
    #[inline(always)]
    fn four(q: core::arch::wasm32::v128, m: i32) -> core::arch::wasm32::v128 {
        use core::arch::wasm32::*;
        let a = i32x4_abs(q);
        i32x4_min(a, i32x4_sub(i32x4_splat(2 * m), a))
    }
}

/// Wrap ([`Source::index`] moves each tap by whole sizes): q moved by s = 32 · n into 0..s,
/// for q in −s..2s.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[derive(Clone, Copy)]
struct WrapIn;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
impl Fold for WrapIn {
    fn constant(n: usize) -> i32 {
        TAB * n as i32
    }
    #[inline(always)]
    fn one(q: i32, s: i32) -> i32 {
        q.wrapping_add(if q < 0 { s } else { 0 }).wrapping_sub(if q >= s { s } else { 0 })
    }
    #[inline(always)]
    fn four(q: core::arch::wasm32::v128, s: i32) -> core::arch::wasm32::v128 {
        use core::arch::wasm32::*;
        let s = i32x4_splat(s);
        let up = v128_and(i32x4_lt(q, i32x4_splat(0)), s);
        let down = v128_and(i32x4_ge(q, s), s);
        i32x4_sub(i32x4_add(q, up), down)
    }
}

/// The positions of `inner` brought in by the fold `F`.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[derive(Clone, Copy)]
struct Folded<P, F> {
    inner: P,
    kx: i32,
    ky: i32,
    fold: std::marker::PhantomData<F>,
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
impl<P: Places, F: Fold> Folded<P, F> {
    /// For a source of `sw` × `sh` pixels, each at least 2 and at most 2^24.
    fn new(inner: P, sw: usize, sh: usize) -> Self {
        Folded { inner, kx: F::constant(sw), ky: F::constant(sh), fold: std::marker::PhantomData }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
impl<P: Places, F: Fold> Places for Folded<P, F> {
    fn len(&self) -> usize {
        self.inner.len()
    }
    #[inline(always)]
    fn at(&self, x: usize) -> (i32, i32) {
        let (qx, qy) = self.inner.at(x);
        (F::one(qx, self.kx), F::one(qy, self.ky))
    }
    #[inline(always)]
    unsafe fn at4(&self, x: usize) -> (core::arch::wasm32::v128, core::arch::wasm32::v128) {
        // SAFETY: as the caller promises for `self`.
        let (qx, qy) = unsafe { self.inner.at4(x) };
        (F::four(qx, self.kx), F::four(qy, self.ky))
    }
}

/// Rounds half to even like `f64::round_ties_even`, by the 1.5 × 2^52 trick: IEEE addition does
/// the rounding, so it is the same everywhere and needs no library call in wasm. |v| < 2^51.
#[inline]
fn round_even(v: f64) -> f64 {
    (v + ROUND_MAGIC) - ROUND_MAGIC
}

/// 1.5 × 2^52: adding it leaves no fraction bits, so IEEE addition rounds to a whole number.
const ROUND_MAGIC: f64 = 6755399441055744.0;

/// The whole number nearest `v` (ties to even), for |v| < 2^31: after `v + 1.5 × 2^52` the low
/// 32 bits of the sum's bit pattern are that number in two's complement (the same addition as
/// [`round_even`], without converting back: a float-to-integer conversion costs the engines a
/// range check and a compare).
#[inline]
fn round_even_i32(v: f64) -> i32 {
    (v + ROUND_MAGIC).to_bits() as i32
}

/// `v` × 32 as a rounded integer, or `FAR` when not finite or out of any sensible range.
#[inline]
fn fixed(v: f64, nearest: bool) -> i32 {
    if !(v.abs() < (1 << 24) as f64) {
        return FAR;
    }
    // |v| < 2^24, so the rounded value and v × 32 fit an i32.
    if nearest {
        round_even_i32(v) << BITS
    } else {
        round_even_i32(v * TAB as f64)
    }
}

/// Rounds like OpenCV's `saturate_cast<int>(double)`.
#[inline]
fn saturate_round(v: f64) -> i32 {
    if !(v.abs() < (1u64 << 40) as f64) {
        return if v.is_nan() { FAR } else if v > 0.0 { i32::MAX } else { i32::MIN + 1 };
    }
    round_even(v).clamp(i32::MIN as f64 + 1.0, i32::MAX as f64) as i32
}

/// Resamples one output row from its positions.
fn resample_row(src: &Source, interp: Interpolation, pos: &Positions, out: &mut [u8], cubic: &[[i32; 4]]) {
    let c = src.c;
    match interp {
        Interpolation::Nearest => {
            let (sw, sh) = (src.sw, src.sh);
            let inside = |qx: i32, qy: i32| ((qx >> BITS) as u32 as usize) < sw && ((qy >> BITS) as u32 as usize) < sh;
            let at = |qx: i32, qy: i32| (qy >> BITS) as usize * sw + (qx >> BITS) as usize;
            let pairs = pos.xs.iter().zip(&pos.ys).map(|(&qx, &qy)| (qx, qy));
            match c {
                #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
                4 => {
                    let pixels = out.as_chunks_mut::<4>().0;
                    let n = pixels.len().min(pos.xs.len());
                    let mut x = 0;
                    while x < n {
                        // Groups of four inside the source; then one group pixel by pixel.
                        x += simd::nearest_rgba_run(src.data, sw, sh, &pos.xs[x..n], &pos.ys[x..n], &mut pixels[x..n]);
                        let end = (x + 4).min(n);
                        for (px, (&qx, &qy)) in pixels[x..end].iter_mut().zip(pos.xs[x..end].iter().zip(&pos.ys[x..end])) {
                            if inside(qx, qy) {
                                let i = at(qx, qy) * 4;
                                *px = src.data[i..i + 4].try_into().expect("four bytes");
                            } else {
                                nearest_border(src, qx, qy, px);
                            }
                        }
                        x = end;
                    }
                }
                #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
                4 => {
                    for (px, (qx, qy)) in out.as_chunks_mut::<4>().0.iter_mut().zip(pairs) {
                        if inside(qx, qy) {
                            let i = at(qx, qy) * 4;
                            *px = src.data[i..i + 4].try_into().expect("four bytes");
                        } else {
                            nearest_border(src, qx, qy, px);
                        }
                    }
                }
                1 => {
                    for (v, (qx, qy)) in out.iter_mut().zip(pairs) {
                        if inside(qx, qy) {
                            *v = src.data[at(qx, qy)];
                        } else {
                            nearest_border(src, qx, qy, std::slice::from_mut(v));
                        }
                    }
                }
                _ => {
                    for (px, (qx, qy)) in out.chunks_exact_mut(c).zip(pairs) {
                        if inside(qx, qy) {
                            let i = at(qx, qy) * c;
                            px.copy_from_slice(&src.data[i..i + c]);
                        } else {
                            nearest_border(src, qx, qy, px);
                        }
                    }
                }
            }
        }
        Interpolation::Linear | Interpolation::Area => linear_row(src, pos.listed(), out),
        Interpolation::Cubic => {
            for (x, px) in out.chunks_exact_mut(c).enumerate() {
                let (qx, qy) = (pos.xs[x], pos.ys[x]);
                if qx == FAR || qy == FAR {
                    src.fill_pixel(px);
                    continue;
                }
                let (ix, iy) = ((qx >> BITS) as i64, (qy >> BITS) as i64);
                let (wx, wy) = (cubic[(qx & (TAB - 1)) as usize], cubic[(qy & (TAB - 1)) as usize]);
                let inside = ix >= 1 && iy >= 1 && ix + 2 < src.sw as i64 && iy + 2 < src.sh as i64;
                for (ch, v) in px.iter_mut().enumerate() {
                    let mut acc: i64 = 0;
                    for (ty, wy) in wy.iter().enumerate() {
                        let mut line: i64 = 0;
                        for (tx, wx) in wx.iter().enumerate() {
                            let (sx, sy) = (ix - 1 + tx as i64, iy - 1 + ty as i64);
                            let p = if inside { src.data[(sy as usize * src.sw + sx as usize) * c + ch] as i32 } else { src.at(sx, sy, ch) };
                            line += (p * wx) as i64;
                        }
                        acc += line * *wy as i64;
                    }
                    *v = ((acc + (1i64 << (2 * CUBIC_BITS - 1))) >> (2 * CUBIC_BITS)).clamp(0, 255) as u8;
                }
            }
        }
    }
}

/// Bilinear row: the four neighbours weighted by exact 14-bit products. Pixels whose four
/// neighbours lie inside take the fast path (SIMD for RGBA); the rest follow the border rule.
fn linear_row(src: &Source, pos: impl Places, out: &mut [u8]) {
    let (c, sw, sh) = (src.c, src.sw, src.sh);
    let stride = sw * c;
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if c == 4 {
        let n = (out.len() / 4).min(pos.len());
        let pixels = &mut out.as_chunks_mut::<4>().0[..n];
        let inside = |qx: i32, qy: i32| taps_inside(qx, sw) && taps_inside(qy, sh);
        let offset = |qx: i32, qy: i32| (qy >> BITS) as usize * stride + (qx >> BITS) as usize * 4;
        let weight = |qx: i32, qy: i32| (((qy & (TAB - 1)) << BITS) | (qx & (TAB - 1))) as usize;
        let table = simd::weights();
        // With a constant border, pixels whose whole neighbourhood lies outside (FAR ones too)
        // take the fill word here rather than through the per-tap border path.
        let fill = (src.border == Border::Constant).then(|| u32::from_le_bytes(src.fills));
        let far_out = |qx: i32, qy: i32| ((qx >> BITS) + 1) as u32 as usize > sw || ((qy >> BITS) + 1) as u32 as usize > sh;
        let reflect = src.border == Border::Reflect;
        let mut x = 0;
        while x < n {
            // Groups of four wholly outside (constant border: the fill), groups of four whose
            // neighbourhoods all lie inside; then one group pixel by pixel.
            if let Some(word) = fill.filter(|_| {
                let (qx, qy) = pos.at(x);
                far_out(qx, qy)
            }) {
                x = simd::fill_far_run(sw, sh, pos, x, pixels, word);
            }
            // With a reflect-101 border, positions outside mirrored in: the run goes on through
            // them (the per-pixel step below mirrors them the same way).
            // With a wrapped border, positions within one source size outside moved in.
            x = if reflect && sw >= 2 && sh >= 2 {
                simd::bilinear_rgba_run(src.data, sw, sh, Folded::<_, MirrorIn>::new(pos, sw, sh), x, pixels)
            } else if src.border == Border::Wrap {
                simd::bilinear_rgba_run(src.data, sw, sh, Folded::<_, WrapIn>::new(pos, sw, sh), x, pixels)
            } else {
                simd::bilinear_rgba_run(src.data, sw, sh, pos, x, pixels)
            };
            let end = (x + 4).min(n);
            while x < end {
                let (mut qx, mut qy) = pos.at(x);
                if reflect && !inside(qx, qy) && qx != FAR && qy != FAR {
                    // Reflect-101 maps the taps as a mirror maps the position itself (the
                    // mirrors sit on pixel centres): read from inside where that lands.
                    let (rx, ry) = (reflect_position(qx, sw), reflect_position(qy, sh));
                    if inside(rx, ry) {
                        (qx, qy) = (rx, ry);
                    }
                }
                let taps = if inside(qx, qy) {
                    let a = offset(qx, qy);
                    let word = |at: usize| u64::from_le_bytes(src.data[at..at + 8].try_into().expect("eight bytes"));
                    Some((word(a), word(a + stride)))
                } else {
                    match fill {
                        Some(_) if far_out(qx, qy) => None,
                        _ => border_taps_rgba(src, qx, qy),
                    }
                };
                pixels[x] = match taps {
                    Some((top, bottom)) => simd::bilinear_rgba_taps(top, bottom, &table[weight(qx, qy)]),
                    None => src.fills,
                };
                x += 1;
            }
        }
        return;
    }
    for (x, px) in out.chunks_exact_mut(c).enumerate().take(pos.len()) {
        let (qx, qy) = pos.at(x);
        let (ix, iy) = (qx >> BITS, qy >> BITS);
        let (wx, wy) = (linear_weights(qx & (TAB - 1)), linear_weights(qy & (TAB - 1)));
        if (ix as u32 as usize) < sw.wrapping_sub(1) && (iy as u32 as usize) < sh.wrapping_sub(1) && qx != FAR && qy != FAR {
            let at = iy as usize * stride + ix as usize * c;
            let (w00, w01, w10, w11) = (wy[0] * wx[0], wy[0] * wx[1], wy[1] * wx[0], wy[1] * wx[1]);
            let d = src.data;
            for (ch, v) in px.iter_mut().enumerate() {
                let a = at + ch;
                let acc = d[a] as i32 * w00 + d[a + c] as i32 * w01 + d[a + stride] as i32 * w10 + d[a + stride + c] as i32 * w11;
                *v = ((acc + (1 << (LINEAR_BITS - 1))) >> LINEAR_BITS) as u8;
            }
            continue;
        }
        linear_border(src, qx, qy, px);
    }
}

/// A nearest pixel outside the source: the border rule decides.
#[cold]
fn nearest_border(src: &Source, qx: i32, qy: i32, px: &mut [u8]) {
    if qx == FAR || qy == FAR {
        src.fill_pixel(px);
        return;
    }
    let c = src.c;
    match (src.index((qx >> BITS) as i64, src.sw), src.index((qy >> BITS) as i64, src.sh)) {
        (Some(ix), Some(iy)) => px.copy_from_slice(&src.data[(iy * src.sw + ix) * c..(iy * src.sw + ix + 1) * c]),
        _ => src.fill_pixel(px),
    }
}

/// A bilinear pixel with a neighbour outside the source: each tap follows the border rule.
#[cold]
fn linear_border(src: &Source, qx: i32, qy: i32, px: &mut [u8]) {
    if qx == FAR || qy == FAR {
        src.fill_pixel(px);
        return;
    }
    let (wx, wy) = (linear_weights(qx & (TAB - 1)), linear_weights(qy & (TAB - 1)));
    let (ix, iy) = ((qx >> BITS) as i64, (qy >> BITS) as i64);
    let outside = ix < -1 || iy < -1 || ix >= src.sw as i64 || iy >= src.sh as i64;
    if outside && src.border == Border::Constant {
        src.fill_pixel(px);
        return;
    }
    let cols = [src.index(ix, src.sw), src.index(ix + 1, src.sw)];
    let rows = [src.index(iy, src.sh), src.index(iy + 1, src.sh)];
    if cols.iter().all(Option::is_none) || rows.iter().all(Option::is_none) {
        src.fill_pixel(px);
        return;
    }
    let c = src.c;
    let tap = |r: Option<usize>, col: Option<usize>, ch: usize| -> i32 {
        match (r, col) {
            (Some(r), Some(col)) => src.data[(r * src.sw + col) * c + ch] as i32,
            _ => src.fills[ch] as i32,
        }
    };
    for (ch, v) in px.iter_mut().enumerate() {
        let top = tap(rows[0], cols[0], ch) * wx[0] + tap(rows[0], cols[1], ch) * wx[1];
        let bottom = tap(rows[1], cols[0], ch) * wx[0] + tap(rows[1], cols[1], ch) * wx[1];
        *v = ((top * wy[0] + bottom * wy[1] + (1 << (LINEAR_BITS - 1))) >> LINEAR_BITS) as u8;
    }
}

/// A position (1/32 pixel, not `FAR`) mirrored into `0..=32·(n − 1)` by reflect-101: the
/// mirrors sit on the first and last pixel centres, so the bilinear taps of the mirrored position
/// are the border rule's taps of the original, with the same weights (a fraction f becomes
/// 32 − f with the taps swapped).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn reflect_position(q: i32, n: usize) -> i32 {
    if n < 2 {
        return 0;
    }
    let m = (TAB as i64) * (n as i64 - 1);
    let r = (q as i64).rem_euclid(2 * m);
    (if r > m { 2 * m - r } else { r }) as i32
}

/// The four taps of an RGBA pixel with a neighbour outside the source, as two little-endian
/// pairs of pixel words (top left | top right << 32, bottom left | bottom right << 32), each tap
/// following the border rule as in [`linear_border`]; `None` when the pixel is the fill.
/// Inlined with the border rule's index function: these pixels line every rotated edge, and with
/// a replicated border they are every pixel outside the source.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn border_taps_rgba(src: &Source, qx: i32, qy: i32) -> Option<(u64, u64)> {
    if qx == FAR || qy == FAR {
        return None;
    }
    let (ix, iy) = ((qx >> BITS) as i64, (qy >> BITS) as i64);
    let cols = [src.index(ix, src.sw), src.index(ix + 1, src.sw)];
    let rows = [src.index(iy, src.sh), src.index(iy + 1, src.sh)];
    if cols.iter().all(Option::is_none) || rows.iter().all(Option::is_none) {
        return None;
    }
    let fill = u32::from_le_bytes(src.fills) as u64;
    let tap = |r: Option<usize>, col: Option<usize>| match (r, col) {
        (Some(r), Some(col)) => {
            let at = (r * src.sw + col) * 4;
            u32::from_le_bytes(src.data[at..at + 4].try_into().expect("four bytes")) as u64
        }
        _ => fill,
    };
    Some((tap(rows[0], cols[0]) | tap(rows[0], cols[1]) << 32, tap(rows[1], cols[0]) | tap(rows[1], cols[1]) << 32))
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use core::arch::wasm32::*;

    /// Per fractional position (`fy * 32 + fx`), the bilinear weights of the left and the right
    /// column, each as (top, bottom) pairs.
    pub type Weights = [[[i16; 8]; 2]; 1024];

    /// The weights as i16 lanes `[top, bottom, top, bottom, …]` ready for `i32x4_dot_i16x8`,
    /// built on first use (a static table would add 32 KB to the download).
    pub fn weights() -> &'static Weights {
        static TABLE: std::sync::OnceLock<Box<Weights>> = std::sync::OnceLock::new();
        TABLE.get_or_init(|| {
            let mut t = Box::new([[[0i16; 8]; 2]; 1024]);
            for (i, entry) in t.iter_mut().enumerate() {
                let (fx, fy) = ((i & 31) as i32, (i >> 5) as i32);
                let (wx, wy) = ([128 - 4 * fx, 4 * fx], [128 - 4 * fy, 4 * fy]);
                for (col, lanes) in entry.iter_mut().enumerate() {
                    for (k, w) in lanes.iter_mut().enumerate() {
                        *w = (wx[col] * wy[k & 1]) as i16;
                    }
                }
            }
            t
        })
    }

    #[inline(always)]
    fn blend(paired: v128, w: &[[i16; 8]; 2]) -> v128 {
        // SAFETY: `w` is 2 × 16 readable bytes.
        let (top, bottom) = unsafe { (v128_load(w[0].as_ptr() as *const v128), v128_load(w[1].as_ptr() as *const v128)) };
        let acc = i32x4_add(i32x4_dot_i16x8(u16x8_extend_low_u8x16(paired), top), i32x4_dot_i16x8(u16x8_extend_high_u8x16(paired), bottom));
        i32x4_shr(i32x4_add(acc, i32x4_splat(1 << (super::LINEAR_BITS - 1))), super::LINEAR_BITS as u32)
    }

    /// One RGBA pixel from its four taps, `top` = top left | top right << 32 and `bottom` the
    /// same below (little-endian pixel words), with weights `w` from [`weights`].
    #[inline]
    pub fn bilinear_rgba_taps(top: u64, bottom: u64, w: &[[i16; 8]; 2]) -> [u8; 4] {
        // R00 R10 G00 G10 B00 B10 A00 A10 | the same for the right column.
        let paired = i8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(u64x2_splat(top), u64x2_splat(bottom));
        let v = blend(paired, w);
        // Each value is at most 255: its low byte is the channel.
        let px = i8x16_swizzle(v, u8x16(0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        u32x4_extract_lane::<0>(px).to_le_bytes()
    }

    /// Whether `0 ≤ ix ≤ last_x` and `0 ≤ iy ≤ last_y` in all four lanes: no sign bit among the
    /// four values and their distances to the limits.
    #[inline(always)]
    fn all_within(ix: v128, iy: v128, last_x: v128, last_y: v128) -> bool {
        i32x4_bitmask(v128_or(v128_or(ix, iy), v128_or(i32x4_sub(last_x, ix), i32x4_sub(last_y, iy)))) == 0
    }

    /// The fill word for groups of four positions (1/32 pixel) whose 2×2 neighbourhoods all lie
    /// wholly outside an `sw` × `sh` source (`far_out` of [`super::linear_row`] for each), from
    /// pixel `start` for as long as they do; returns where it stopped (`start` plus a multiple
    /// of four).
    #[inline(never)]
    pub(super) fn fill_far_run(sw: usize, sh: usize, pos: impl super::Places, start: usize, out: &mut [[u8; 4]], fill: u32) -> usize {
        let n = pos.len().min(out.len());
        let k = |v: u32| u32x4_splat(std::hint::black_box(v));
        // Wholly outside: the left tap's column + 1 (or row + 1), as u32, above the width (or
        // height): the left tap at or past the last column, or the right tap before the first.
        let (w, h, one, word) = (k(sw as u32), k(sh as u32), k(1), k(fill));
        let mut x = start;
        while x + 4 <= n {
            // SAFETY: x + 4 ≤ n ≤ pos.len().
            let (qx, qy) = unsafe { pos.at4(x) };
            let (cx, cy) = (i32x4_add(i32x4_shr(qx, super::BITS as u32), one), i32x4_add(i32x4_shr(qy, super::BITS as u32), one));
            if !i32x4_all_true(v128_or(u32x4_gt(cx, w), u32x4_gt(cy, h))) {
                break;
            }
            // SAFETY: x + 4 ≤ n ≤ out.len(): 16 bytes of `out`.
            unsafe { v128_store(out.as_mut_ptr().add(x) as *mut v128, word) };
            x += 4;
        }
        x
    }

    /// Nearest RGBA pixels four at a time from positions `xs`, `ys` (whole pixels × 32) over an
    /// `sw` × `sh` source, for as long as all four of a group lie inside; returns how many
    /// pixels it wrote (a multiple of four).
    pub fn nearest_rgba_run(data: &[u8], sw: usize, sh: usize, xs: &[i32], ys: &[i32], out: &mut [[u8; 4]]) -> usize {
        let n = xs.len().min(ys.len()).min(out.len());
        if sw == 0 || sh == 0 || data.len() < sw * sh * 4 || sw > i32::MAX as usize / 8 || sh > i32::MAX as usize / 8 || sw * sh > i32::MAX as usize / 4 {
            return 0;
        }
        let k = |v: i32| i32x4_splat(std::hint::black_box(v));
        let (last_x, last_y, width) = (k(sw as i32 - 1), k(sh as i32 - 1), k(sw as i32));
        let base = data.as_ptr() as *const u32;
        let mut x = 0;
        while x + 4 <= n {
            // SAFETY: x + 4 ≤ n, within xs, ys and out.
            let (qx, qy) = unsafe { (v128_load(xs.as_ptr().add(x) as *const v128), v128_load(ys.as_ptr().add(x) as *const v128)) };
            let (ix, iy) = (i32x4_shr(qx, 5), i32x4_shr(qy, 5));
            if !all_within(ix, iy, last_x, last_y) {
                break;
            }
            let at = i32x4_add(i32x4_mul(iy, width), ix);
            // SAFETY: each index is iy·sw + ix < sw·sh (checked above), a whole pixel of `data`.
            let v = unsafe {
                let p = |k: usize| base.add(k).read_unaligned();
                u32x4(p(i32x4_extract_lane::<0>(at) as usize), p(i32x4_extract_lane::<1>(at) as usize), p(i32x4_extract_lane::<2>(at) as usize), p(i32x4_extract_lane::<3>(at) as usize))
            };
            // SAFETY: x + 4 ≤ n ≤ out.len(): 16 bytes of `out`.
            unsafe { v128_store(out.as_mut_ptr().add(x) as *mut v128, v) };
            x += 4;
        }
        x
    }

    /// Bilinear RGBA pixels four at a time from positions `pos` (1/32 pixel) over an `sw` × `sh`
    /// source, from pixel `start` for as long as every 2×2 neighbourhood of a group of four lies
    /// inside; returns where it stopped (`start` plus a multiple of four). The same exact sums as
    /// [`bilinear_rgba_taps`], with the weights computed in the lanes rather than read from
    /// [`weights`]: per pixel, `(32 − fx)·(32 − fy)`, `(32 − fx)·fy`, `fx·(32 − fy)`, `fx·fy` over
    /// 1024 (the table's weights over 16 384, sixteen times larger: the same rounded quotient).
    pub(super) fn bilinear_rgba_run(data: &[u8], sw: usize, sh: usize, pos: impl super::Places, start: usize, out: &mut [[u8; 4]]) -> usize {
        let n = pos.len().min(out.len());
        let stride = sw * 4;
        if sw < 2 || sh < 2 || data.len() < stride * sh || stride > i32::MAX as usize / 2 || sh > i32::MAX as usize / 2 {
            return start;
        }
        // Held in locals, not rebuilt on every iteration.
        let k = |v: i32| i32x4_splat(std::hint::black_box(v));
        let (last_x, last_y, rows) = (k(sw as i32 - 2), k(sh as i32 - 2), k(stride as i32));
        let (frac, pairs32, half, thirty_two, low_up) = (k(31), k(32 << 16 | 32), k(512), k(32), k(0xffff));
        let (byte1, byte2, byte3) = (k(0xff00), k(0xff_0000), k(0xff00_0000u32 as i32));
        // Gathers byte j of each i32 lane (the pixels) into pixel order: a 4 × 4 byte transpose.
        let transpose = std::hint::black_box(u8x16(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15));
        let base = data.as_ptr();
        let mut x = start;
        while x + 4 <= n {
            // SAFETY: x + 4 ≤ n ≤ pos.len().
            let (qx, qy) = unsafe { pos.at4(x) };
            let (ix, iy) = (i32x4_shr(qx, 5), i32x4_shr(qy, 5));
            // Both taps inside: 0 ≤ ix ≤ sw − 2 and 0 ≤ iy ≤ sh − 2.
            if !all_within(ix, iy, last_x, last_y) {
                break;
            }
            let at = i32x4_add(i32x4_mul(iy, rows), i32x4_shl(ix, 2));
            // Per pixel the i16 pairs (left column: top, bottom) and (right column: top, bottom).
            let fx = v128_and(qx, frac);
            let fy = v128_and(qy, frac);
            let fx2 = v128_or(fx, i32x4_shl(fx, 16));
            let gx2 = i32x4_sub(pairs32, fx2);
            // (32 − fy) | fy << 16, as fy · 0xffff + 32.
            let gy_fy = i32x4_add(i32x4_mul(fy, low_up), thirty_two);
            let (left, right) = (i16x8_mul(gx2, gy_fy), i16x8_mul(fx2, gy_fy));
            let px = |a: usize, l: v128, r: v128| {
                // SAFETY: 0 ≤ ix ≤ sw − 2 and 0 ≤ iy ≤ sh − 2 (checked above), so both rows'
                // 8 bytes at `a` end within stride × sh ≤ data.len().
                let (top, bottom) = unsafe { (u16x8_load_extend_u8x8(base.add(a)), u16x8_load_extend_u8x8(base.add(a + stride))) };
                // (top, bottom) pairs per channel: the left pixel's, then the right one's.
                let left = i16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(top, bottom);
                let right = i16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(top, bottom);
                i32x4_add(i32x4_add(i32x4_dot_i16x8(left, l), i32x4_dot_i16x8(right, r)), half)
            };
            let p0 = px(i32x4_extract_lane::<0>(at) as usize, i32x4_shuffle::<0, 0, 0, 0>(left, left), i32x4_shuffle::<0, 0, 0, 0>(right, right));
            let p1 = px(i32x4_extract_lane::<1>(at) as usize, i32x4_shuffle::<1, 1, 1, 1>(left, left), i32x4_shuffle::<1, 1, 1, 1>(right, right));
            let p2 = px(i32x4_extract_lane::<2>(at) as usize, i32x4_shuffle::<2, 2, 2, 2>(left, left), i32x4_shuffle::<2, 2, 2, 2>(right, right));
            let p3 = px(i32x4_extract_lane::<3>(at) as usize, i32x4_shuffle::<3, 3, 3, 3>(left, left), i32x4_shuffle::<3, 3, 3, 3>(right, right));
            // The four pixels packed into the bytes of each lane, then put in pixel order
            // (saturating narrows would come out as clamps and blends). Each sum is below 2^18
            // with its value in bits 10..17: shifted into byte k of the lane and masked (masks
            // held in locals; written as two shifts, the compiler would make these masks itself
            // and the engine rebuild them every step).
            let packed = v128_or(
                v128_or(u32x4_shr(p0, 10), v128_and(u32x4_shr(p1, 2), byte1)),
                v128_or(v128_and(i32x4_shl(p2, 6), byte2), v128_and(i32x4_shl(p3, 14), byte3)),
            );
            // SAFETY: x + 4 ≤ n ≤ out.len(): 16 bytes of `out`.
            unsafe { v128_store(out.as_mut_ptr().add(x) as *mut v128, i8x16_swizzle(packed, transpose)) };
            x += 4;
        }
        x
    }

    /// Per column, its tap weights as an i16 pair `64 · (32 − fx, fx)` for `i32x4_dot_i16x8`: the
    /// factor 64 puts each sum's byte (÷ 1024) in the high half of its lane.
    pub fn column_weights(fracs: &[u16]) -> Vec<u32> {
        fracs.iter().map(|&f| (f as u32) << 22 | (32 - f as u32) << 6).collect()
    }

    /// [`super::blend_rows`], sixteen values per step; returns how many it wrote.
    pub fn blend_rows(top: &[u8], bottom: &[u8], fy: u16, out: &mut [u16]) -> usize {
        let n = out.len().min(top.len()).min(bottom.len());
        // Held in locals, not rebuilt on every iteration.
        let (w0, w1) = (i16x8_splat(std::hint::black_box(32 - fy as i16)), i16x8_splat(std::hint::black_box(fy as i16)));
        let half = i16x8_splat(std::hint::black_box(super::HALF_TAP as i16));
        let mut i = 0;
        while i + 16 <= n {
            // SAFETY: i + 16 ≤ n, within all three slices.
            unsafe {
                // Eight values widened as they are loaded (one instruction each; widening the
                // high half of a loaded vector takes the engines two).
                let dst = out.as_mut_ptr();
                let mix = |at: usize| {
                    let (t, b) = (u16x8_load_extend_u8x8(top.as_ptr().add(at)), u16x8_load_extend_u8x8(bottom.as_ptr().add(at)));
                    v128_store(dst.add(at) as *mut v128, i16x8_add(i16x8_add(i16x8_mul(t, w0), i16x8_mul(b, w1)), half));
                };
                mix(i);
                mix(i + 8);
            }
            i += 16;
        }
        i
    }

    /// [`super::blend_columns`] for RGBA, four output pixels per step: each pixel's two blended
    /// taps (eight u16 values, read at once) paired channel by channel and weighted by one dot
    /// product. Returns how many pixels it wrote.
    pub fn blend_columns_rgba(blended: &[u16], cols: &super::Columns, out: &mut [u8]) -> usize {
        let n = cols.offsets.len().min(cols.weights.len()).min(out.len() / 4);
        // Every pixel's eight values lie in the row (`Columns::new` checked its offsets).
        assert!(blended.len() >= cols.span);
        let byte_mask = u16x8_splat(0xff);
        let mut k = 0;
        while k + 4 <= n {
            // SAFETY: k + 4 ≤ n: four offsets and weights, and 16 bytes of `out` at 4k; each
            // offset + 8 ≤ span ≤ blended.len().
            unsafe {
                // Four pixels' offsets and weights read at once (one load each, lanes taken out).
                let offsets = v128_load(cols.offsets.as_ptr().add(k) as *const v128);
                let weights = v128_load(cols.weights.as_ptr().add(k) as *const v128);
                let px = |at: i32, w: v128| {
                    let v = v128_load(blended.as_ptr().add(at as usize) as *const v128);
                    // (R0, R1, G0, G1, …) by two unpacks, which need no shuffle mask.
                    let paired = i16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(v, i64x2_shuffle::<1, 1>(v, v));
                    // The taps carry the rounding half (the weights sum to 64 · 32); each sum is
                    // at most 2048 · 8176 < 2^24, so the high half of its lane is the byte.
                    i32x4_dot_i16x8(paired, w)
                };
                let p0 = px(i32x4_extract_lane::<0>(offsets), i32x4_shuffle::<0, 0, 0, 0>(weights, weights));
                let p1 = px(i32x4_extract_lane::<1>(offsets), i32x4_shuffle::<1, 1, 1, 1>(weights, weights));
                let p2 = px(i32x4_extract_lane::<2>(offsets), i32x4_shuffle::<2, 2, 2, 2>(weights, weights));
                let p3 = px(i32x4_extract_lane::<3>(offsets), i32x4_shuffle::<3, 3, 3, 3>(weights, weights));
                // The high halves of two pixels' lanes, then their bytes: the four pixels in
                // order. The compiler turns a narrow from 32 bits into clamps and shuffles, while
                // this odd-lane shuffle the engine does in three steps; the mask (a no-op, each
                // value is at most 255) tells the compiler that the byte narrow needs no clamps.
                let high = |a: v128, b: v128| v128_and(i16x8_shuffle::<1, 3, 5, 7, 9, 11, 13, 15>(a, b), byte_mask);
                v128_store(out.as_mut_ptr().add(4 * k) as *mut v128, u8x16_narrow_i16x8(high(p0, p1), high(p2, p3)));
            }
            k += 4;
        }
        k
    }

    /// [`super::mix_columns`] for RGBA, four output pixels per step. A pixel's two taps (eight
    /// bytes, widened as they are loaded) times the lanes `(32 − fx) ×4, fx ×4` fit 16 bits
    /// (at most 8160), so the two products of a channel are added in 16 bits: no pairing shuffle
    /// and no narrow. Returns how many pixels it wrote.
    pub fn mix_columns_rgba(row: &[u8], cols: &super::Columns, out: &mut [u16]) -> usize {
        let n = cols.offsets.len().min(cols.lanes.len()).min(out.len() / 4);
        // Every pixel's eight bytes lie in the row (`Columns::new` checked its offsets).
        assert!(row.len() >= cols.span);
        let half = u16x8_splat(std::hint::black_box(super::HALF_TAP));
        let mut k = 0;
        // Four pixels per turn: the engine's loop costs about ten instructions a turn.
        while k + 4 <= n {
            // SAFETY: k + 4 ≤ n: four offsets and weight vectors, and 16 values of `out` at 4k;
            // each offset + 8 ≤ span ≤ row.len().
            unsafe {
                let px = |j: usize| {
                    let taps = u16x8_load_extend_u8x8(row.as_ptr().add(*cols.offsets.get_unchecked(j) as usize));
                    i16x8_mul(taps, v128_load(cols.lanes.as_ptr().add(j) as *const v128))
                };
                let two = |j: usize| {
                    let (a, b) = (px(j), px(j + 1));
                    // Left taps of both pixels plus their right taps.
                    i16x8_add(i16x8_add(i64x2_shuffle::<0, 2>(a, b), i64x2_shuffle::<1, 3>(a, b)), half)
                };
                let dst = out.as_mut_ptr().add(4 * k);
                v128_store(dst as *mut v128, two(k));
                v128_store(dst.add(8) as *mut v128, two(k + 2));
            }
            k += 4;
        }
        k
    }

    /// [`super::mix_rows`], thirty-two values per step: each pair of values (at most 8176) weighted
    /// by one dot product, with weights 64 times larger so that the byte (÷ 1024) is the high
    /// half of each lane (every sum is below 2^24). Returns how many values it wrote.
    pub fn mix_rows(top: &[u16], bottom: &[u16], fy: u16, out: &mut [u8]) -> usize {
        let n = out.len().min(top.len()).min(bottom.len());
        // Held in a local, not rebuilt on every iteration.
        let w = i32x4_splat(std::hint::black_box((fy as i32) << 22 | (32 - fy as i32) << 6));
        let byte_mask = u16x8_splat(0xff);
        let mut i = 0;
        // Thirty-two values per turn: the engine's loop costs about ten instructions a turn.
        while i + 32 <= n {
            // SAFETY: i + 32 ≤ n, within all three slices.
            unsafe {
                let eight = |at: usize| {
                    let (t, b) = (v128_load(top.as_ptr().add(at) as *const v128), v128_load(bottom.as_ptr().add(at) as *const v128));
                    let lo = i32x4_dot_i16x8(i16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(t, b), w);
                    let hi = i32x4_dot_i16x8(i16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(t, b), w);
                    // The high halves (an odd-lane shuffle, three steps for the engine; the
                    // compiler turns a narrow from 32 bits into clamps and shuffles), masked so
                    // the compiler knows the byte narrow needs no clamps (each is at most 255).
                    v128_and(i16x8_shuffle::<1, 3, 5, 7, 9, 11, 13, 15>(lo, hi), byte_mask)
                };
                v128_store(out.as_mut_ptr().add(i) as *mut v128, u8x16_narrow_i16x8(eight(i), eight(i + 8)));
                v128_store(out.as_mut_ptr().add(i + 16) as *mut v128, u8x16_narrow_i16x8(eight(i + 16), eight(i + 24)));
            }
            i += 32;
        }
        i
    }
}

/// Bilinear resampling of an axis-aligned affine map (scales and shifts, flips included: Resize,
/// RandomResizedCrop, CropAndPad, zooms). The source column of an output pixel then depends on
/// its column only and the source row on its row, so one axis is mixed first, in 16 bits
/// (`(32 − f)·a + f·b + 16` per value, at most 8176), then the other (see [`separable_rows`] for
/// the two orders). The sum is the same exact product of 1/32 weights as the general path's,
/// its rounding half included (the second axis' weights sum to 32, so the 16s add up to 512), so
/// are the bytes; positions are the general path's too. Edge columns whose taps the border rule
/// maps into the span of mixed columns are done from the two mixed source rows; other pixels
/// with a neighbour outside the source, and rows whose positions are unusable, take the general
/// path. Returns false (nothing written) when the map does not qualify.
fn separable_linear(src: &Source, m: &Matrix, w: usize, out: &mut [u8], order: Option<Order>) -> bool {
    if m[1] != 0.0 || m[3] != 0.0 || m[6] != 0.0 || m[7] != 0.0 || m[8] != 1.0 || w == 0 {
        return false;
    }
    let ab = (1 << AB_BITS) as f64;
    let round_delta = 1 << (AB_BITS - BITS - 1);
    let far = |v: i32| !(-(1 << 28)..(1 << 28)).contains(&v);
    // The general path's positions: its row start is m[2] exactly (m[1] is zero) and its bdelta 0.
    let x0 = saturate_round(m[2] * ab);
    let qx: Vec<i32> = (0..w).map(|x| saturate_round(m[0] * x as f64 * ab)).collect();
    if far(x0) || qx.iter().any(|&a| far(a)) {
        return false;
    }
    let qx: Vec<i32> = qx.iter().map(|&a| (x0 + round_delta + a) >> (AB_BITS - BITS)).collect();
    separable_rows(src, &qx, w, out, |y| {
        let y0 = saturate_round((m[4] * y as f64 + m[5]) * ab);
        if far(y0) {
            FAR
        } else {
            (y0 + round_delta) >> (AB_BITS - BITS)
        }
    }, order)
}

/// The body of [`separable_linear`] for any column positions `qx` (1/32 pixel, monotone) and
/// row positions `qy(y)`. Two orders give the same exact sums, so the same bytes as
/// [`linear_row`] on those positions:
/// - rows first: each output row mixes its two source rows over the columns it reads, then each
///   output pixel mixes its two columns of that row (a gather per pixel);
/// - columns first: each source row that output rows read is mixed once over the output columns
///   (kept while consecutive output rows read it), then each output row mixes its two mixed rows
///   value by value, with no gather.
///
/// Enlarging reads fewer source rows than it writes, so columns first gathers less; shrinking
/// reads more. The order is chosen by an estimate of the work (`order` forces one in tests).
/// Returns false (nothing written) when the columns whose taps lie inside are not one run.
fn separable_rows(src: &Source, qx: &[i32], w: usize, out: &mut [u8], qy_at: impl Fn(usize) -> i32, order: Option<Order>) -> bool {
    let (c, sw, sh) = (src.c, src.sw, src.sh);
    if w == 0 || qx.len() != w || qx.contains(&FAR) {
        return false;
    }
    // Columns whose two taps lie inside: contiguous, since the positions are monotone.
    let inside = |q: i32| taps_inside(q, sw);
    let Some(xa) = qx.iter().position(|&q| inside(q)) else { return false };
    let xb = qx.iter().rposition(|&q| inside(q)).map_or(xa, |i| i + 1);
    if !qx[xa..xb].iter().all(|&q| inside(q)) {
        return false;
    }
    // Source columns the inner outputs read (each its taps ix and ix + 1), as one span.
    let (lo, hi) = qx[xa..xb].iter().fold((usize::MAX, 0), |(lo, hi), &q| {
        let i = (q >> BITS) as usize;
        (lo.min(i), hi.max(i + 1))
    });
    let span = (hi + 1 - lo) * c;
    let cols = Columns::new(&qx[xa..xb], lo, c, span);
    let qys: Vec<i32> = (0..out.len() / (w * c)).map(qy_at).collect();
    let order = order.unwrap_or_else(|| Order::cheaper(&qys, sh, span, xb - xa, c));
    let mut pos = Positions { xs: qx.to_vec(), ys: vec![0; w] };
    let fill_columns = src.border == Border::Constant;
    // Columns outside [xa, xb) whose two taps the border rule maps into the span or onto the
    // fill value (`None`): their left and right taps and fraction.
    let edge_taps: Vec<Option<[Option<usize>; 2]>> = (0..xa)
        .chain(xb..w)
        .map(|x| {
            let ix = (qx[x] >> BITS) as i64;
            let tap = |i: i64| match src.index(i, sw) {
                Some(i) => (lo..=hi).contains(&i).then(|| Some((i - lo) * c)),
                None => Some(None),
            };
            Some([tap(ix)?, tap(ix + 1)?])
        })
        .collect();
    // Rows first: the output row's two source rows mixed over the span.
    let mut blended = vec![0u16; if order == Order::RowsFirst { span } else { 0 }];
    // Columns first: two source rows mixed over the inner columns, and which rows they are.
    let mixed_len = if order == Order::ColumnsFirst { (xb - xa) * c } else { 0 };
    let mut mixed = [(usize::MAX, vec![0u16; mixed_len]), (usize::MAX, vec![0u16; mixed_len])];
    for (row, &qy) in out.chunks_exact_mut(w * c).zip(&qys) {
        let iy = (qy >> BITS) as usize;
        if qy == FAR || !taps_inside(qy, sh) {
            // With a constant border, a row whose taps both lie above or below the source (or
            // nowhere) is the fill value throughout.
            if fill_columns && (qy == FAR || ((qy >> BITS) + 1) as u32 as usize > sh) {
                match c {
                    4 => row.as_chunks_mut::<4>().0.fill(src.fills),
                    1 => row.fill(src.fills[0]),
                    _ => row.chunks_exact_mut(c).for_each(|px| src.fill_pixel(px)),
                }
                continue;
            }
            if qy == FAR {
                pos.xs.fill(FAR);
            } else {
                pos.xs.copy_from_slice(qx);
            }
            pos.ys.fill(qy);
            linear_row(src, pos.listed(), row);
            continue;
        }
        let fy = (qy & (TAB - 1)) as u16;
        let top = &src.data[(iy * sw + lo) * c..][..span];
        let bottom = &src.data[((iy + 1) * sw + lo) * c..][..span];
        match order {
            Order::RowsFirst => {
                blend_rows(top, bottom, fy, &mut blended);
                blend_columns(&blended, &cols, c, &mut row[xa * c..xb * c]);
            }
            Order::ColumnsFirst => {
                // Rows alternate between the two slots by parity, so rows iy and iy + 1 never
                // share one.
                for r in [iy, iy + 1] {
                    let slot = &mut mixed[r & 1];
                    if slot.0 != r {
                        mix_columns(&src.data[(r * sw + lo) * c..][..span], &cols, c, &mut slot.1);
                        slot.0 = r;
                    }
                }
                let (t, b) = (&mixed[iy & 1].1, &mixed[(iy + 1) & 1].1);
                mix_rows(t, b, fy, &mut row[xa * c..xb * c]);
            }
        }
        // The blended value at `at` in the span, as the rows-first pass stored it.
        let blended_at = |at: usize| match order {
            Order::RowsFirst => blended[at] as u32,
            Order::ColumnsFirst => (32 - fy as u32) * top[at] as u32 + fy as u32 * bottom[at] as u32 + HALF_TAP as u32,
        };
        for (x, taps) in (0..xa).chain(xb..w).zip(&edge_taps) {
            let px = &mut row[x * c..(x + 1) * c];
            match taps {
                // Both taps left or right of the source: the fill value.
                _ if fill_columns && ((qx[x] >> BITS) + 1) as u32 as usize > sw => src.fill_pixel(px),
                // Taps the border rule maps into the blended span (edges replicated, mirrored or
                // wrapped) or onto the fill value (32 × fill, both rows, plus the rounding share
                // every blended value carries): the general path's sum.
                Some([left, right]) => {
                    let f = (qx[x] & (TAB - 1)) as u32;
                    for (ch, v) in px.iter_mut().enumerate() {
                        let tap = |t: &Option<usize>| t.map_or(32 * src.fills[ch] as u32 + HALF_TAP as u32, |at| blended_at(at + ch));
                        *v = (((32 - f) * tap(left) + f * tap(right)) >> 10) as u8;
                    }
                }
                None => linear_border(src, qx[x], qy, px),
            }
        }
    }
    true
}

/// Which axis the separable path mixes first (see [`separable_rows`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Order {
    RowsFirst,
    ColumnsFirst,
}

impl Order {
    /// The order with less estimated work for output rows at `qys` over a source of `sh` rows,
    /// `span` values read per source row and `inner` output pixels of `c` values per row mixed
    /// inside. The weights are the wasm RGBA loops' machine instructions per value, times ten
    /// (counted on V8's code): 1.7 to mix two source rows, 3.5 to gather and mix two columns,
    /// 2.6 to mix the columns of one source row, 2.1 to mix two mixed rows.
    fn cheaper(qys: &[i32], sh: usize, span: usize, inner: usize, c: usize) -> Order {
        let rows: Vec<usize> = qys.iter().filter(|&&q| q != FAR && taps_inside(q, sh)).map(|&q| (q >> BITS) as usize).collect();
        // Source rows the columns-first pass mixes: each output row needs iy and iy + 1, mixed
        // again unless its slot still holds it.
        let mut slots = [usize::MAX; 2];
        let mut mixes = 0;
        for &iy in &rows {
            for r in [iy, iy + 1] {
                if slots[r & 1] != r {
                    slots[r & 1] = r;
                    mixes += 1;
                }
            }
        }
        let values = inner * c;
        let rows_first = rows.len() * (17 * span + 35 * values);
        let columns_first = mixes * 26 * values + rows.len() * 21 * values;
        if columns_first < rows_first {
            Order::ColumnsFirst
        } else {
            Order::RowsFirst
        }
    }
}

/// Whether both bilinear taps at `q` (1/32 pixel) lie inside `n` pixels along an axis.
#[inline]
fn taps_inside(q: i32, n: usize) -> bool {
    ((q >> BITS) as u32 as usize) < n.wrapping_sub(1)
}

/// The output columns of a separable pass: where each reads its left tap (in values from the
/// start of the blended span) and its fraction `fx` in 1/32.
struct Columns {
    offsets: Vec<u32>,
    fracs: Vec<u16>,
    /// Values in the blended row; both taps of every column lie within it.
    span: usize,
    /// Per column its two weights, packed for the RGBA lanes (empty for other layouts).
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    weights: Vec<u32>,
    /// Per column the lanes `(32 − fx) ×4, fx ×4` for its two RGBA taps (RGBA only).
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    lanes: Vec<[u16; 8]>,
}

impl Columns {
    fn new(qx: &[i32], first: usize, c: usize, span: usize) -> Self {
        let fracs: Vec<u16> = qx.iter().map(|&q| (q & (TAB - 1)) as u16).collect();
        let offsets: Vec<u32> = qx.iter().map(|&q| (((q >> BITS) as usize - first) * c) as u32).collect();
        assert!(offsets.iter().all(|&at| at as usize + 2 * c <= span), "separable taps outside the blended row");
        Columns {
            offsets,
            span,
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            weights: if c == 4 { simd::column_weights(&fracs) } else { Vec::new() },
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            lanes: if c == 4 { fracs.iter().map(|&f| [32 - f, 32 - f, 32 - f, 32 - f, f, f, f, f]).collect() } else { Vec::new() },
            fracs,
        }
    }
}

/// Two source rows mixed value by value: `(32 − fy)·top + fy·bottom + HALF_TAP` (at most 8176).
fn blend_rows(top: &[u8], bottom: &[u8], fy: u16, out: &mut [u16]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let done = simd::blend_rows(top, bottom, fy, out);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    let done = 0;
    let (w0, w1) = (32 - fy, fy);
    for ((v, &t), &b) in out[done..].iter_mut().zip(&top[done..]).zip(&bottom[done..]) {
        *v = w0 * t as u16 + w1 * b as u16 + HALF_TAP;
    }
}

/// Each output column mixed from its two blended taps, `(32 − fx)·v0 + fx·v1`, back to bytes
/// (÷ 1024; the taps carry the rounding half).
fn blend_columns(blended: &[u16], cols: &Columns, c: usize, out: &mut [u8]) {
    // Every tap lies within the span (`Columns::new` checked the offsets).
    let blended = &blended[..cols.span];
    #[allow(unused_mut)]
    let mut done = 0;
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if c == 4 {
        done = simd::blend_columns_rgba(blended, cols, out);
    }
    for ((&at, &f), px) in cols.offsets.iter().zip(&cols.fracs).zip(out.chunks_exact_mut(c)).skip(done) {
        let (at, w0, w1) = (at as usize, 32 - f as u32, f as u32);
        for (ch, v) in px.iter_mut().enumerate() {
            *v = ((w0 * blended[at + ch] as u32 + w1 * blended[at + c + ch] as u32) >> 10) as u8;
        }
    }
}

/// One source row (from the span's first column) mixed over the output columns:
/// `(32 − fx)·v0 + fx·v1 + HALF_TAP` per value (at most 8176), `c` values per column.
fn mix_columns(row: &[u8], cols: &Columns, c: usize, out: &mut [u16]) {
    // Every tap lies within the span (`Columns::new` checked the offsets).
    let row = &row[..cols.span];
    #[allow(unused_mut)]
    let mut done = 0;
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if c == 4 {
        done = simd::mix_columns_rgba(row, cols, out);
    }
    for ((&at, &f), vs) in cols.offsets.iter().zip(&cols.fracs).zip(out.chunks_exact_mut(c)).skip(done) {
        let (at, w0, w1) = (at as usize, 32 - f, f);
        for (ch, v) in vs.iter_mut().enumerate() {
            *v = w0 * row[at + ch] as u16 + w1 * row[at + c + ch] as u16 + HALF_TAP;
        }
    }
}

/// Two column-mixed rows mixed value by value, `(32 − fy)·top + fy·bottom`, back to bytes
/// (÷ 1024; the values carry the rounding half).
fn mix_rows(top: &[u16], bottom: &[u16], fy: u16, out: &mut [u8]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let done = simd::mix_rows(top, bottom, fy, out);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    let done = 0;
    let (w0, w1) = (32 - fy as u32, fy as u32);
    for ((v, &t), &b) in out[done..].iter_mut().zip(&top[done..]).zip(&bottom[done..]) {
        *v = ((w0 * t as u32 + w1 * b as u32) >> 10) as u8;
    }
}

/// [`copy_integer`] for RGBA maps that swap the axes (quarter turns, transposes, the
/// anti-diagonal mirror) with every output pixel inside the source: output rows read source
/// columns, so instead of walking a column per row (a cache line per pixel) it moves 4 × 4 pixel
/// tiles, four source rows of four pixels in and their transpose out. Returns false (nothing
/// written) for other maps.
fn turn_rgba(src: &Source, m: [i64; 6], w: usize, out: &mut [u8]) -> bool {
    // Output (x, y) reads source column m1·y + m2 of row m3·x + m5.
    let [m0, m1, m2, m3, m4, m5] = m;
    if src.c != 4 || m0 != 0 || m4 != 0 || m1.abs() != 1 || m3.abs() != 1 || w == 0 {
        return false;
    }
    let h = out.len() / (4 * w);
    let (sw, sh) = (src.sw as i64, src.sh as i64);
    let inside = |x: i64, y: i64| (0..sw).contains(&(m1 * y + m2)) && (0..sh).contains(&(m3 * x + m5));
    let (wl, hl) = (w as i64 - 1, h as i64 - 1);
    if h == 0 || ![(0, 0), (wl, 0), (0, hl), (wl, hl)].iter().all(|&(x, y)| inside(x, y)) {
        return false;
    }
    let pixel = |x: usize, y: usize| -> usize { (((m3 * x as i64 + m5) * sw + m1 * y as i64 + m2) * 4) as usize };
    let (w4, h4) = (w / 4 * 4, h / 4 * 4);
    for y in (0..h4).step_by(4) {
        // The four source columns the tile's rows read, leftmost first; output row y + j takes
        // lane j of them (columns rising with y) or lane 3 − j (falling).
        let first = if m1 > 0 { m1 * y as i64 + m2 } else { m1 * (y as i64 + 3) + m2 };
        for x in (0..w4).step_by(4) {
            let rows: [usize; 4] = std::array::from_fn(|i| (((m3 * (x + i) as i64 + m5) * sw + first) * 4) as usize);
            let tile = transpose_tile(src.data, rows);
            for j in 0..4 {
                let lane = if m1 > 0 { j } else { 3 - j };
                let at = ((y + j) * w + x) * 4;
                // SAFETY: x + 4 ≤ w4 ≤ w and y + j < h4 ≤ h: inside the w × h RGBA output.
                unsafe { std::ptr::copy_nonoverlapping(tile[lane].as_ptr(), out.as_mut_ptr().add(at), 16) };
            }
        }
    }
    // The rows and columns the tiles leave, pixel by pixel.
    for y in 0..h {
        let from = if y < h4 { w4 } else { 0 };
        for x in from..w {
            let (at, sat) = ((y * w + x) * 4, pixel(x, y));
            out[at..at + 4].copy_from_slice(&src.data[sat..sat + 4]);
        }
    }
    true
}

/// Four pixels from each of four places in `data` (byte offsets `rows`), transposed: entry `l`
/// holds pixel `l` of every place, in order.
#[inline(always)]
fn transpose_tile(data: &[u8], rows: [usize; 4]) -> [[u8; 16]; 4] {
    assert!(rows.iter().all(|&at| at + 16 <= data.len()));
    // SAFETY: each place has sixteen bytes (asserted).
    let quads: [[u8; 16]; 4] = rows.map(|at| unsafe { data.as_ptr().add(at).cast::<[u8; 16]>().read_unaligned() });
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        // SAFETY: every pointer is to a 16-byte array.
        unsafe {
            let [r0, r1, r2, r3] = quads.map(|q| v128_load(q.as_ptr() as *const v128));
            let (t0, t1) = (i32x4_shuffle::<0, 4, 1, 5>(r0, r1), i32x4_shuffle::<2, 6, 3, 7>(r0, r1));
            let (t2, t3) = (i32x4_shuffle::<0, 4, 1, 5>(r2, r3), i32x4_shuffle::<2, 6, 3, 7>(r2, r3));
            let lanes = [i64x2_shuffle::<0, 2>(t0, t2), i64x2_shuffle::<1, 3>(t0, t2), i64x2_shuffle::<0, 2>(t1, t3), i64x2_shuffle::<1, 3>(t1, t3)];
            let mut tile = [[0u8; 16]; 4];
            for (t, v) in tile.iter_mut().zip(lanes) {
                v128_store(t.as_mut_ptr() as *mut v128, v);
            }
            return tile;
        }
    }
    #[allow(unreachable_code)]
    std::array::from_fn(|l| {
        let mut t = [0u8; 16];
        for (i, q) in quads.iter().enumerate() {
            t[4 * i..4 * i + 4].copy_from_slice(&q[4 * l..4 * l + 4]);
        }
        t
    })
}

/// When `m` maps whole pixels to whole pixels with unit steps (flips, turns, transposes,
/// whole-pixel shifts and crops): the row start and per-pixel step, in source pixels.
fn integer_map(m: &Matrix) -> Option<[i64; 6]> {
    let whole = |v: f64| (v - v.round()).abs() < 1e-9 && v.abs() < 1e9;
    if m[6] != 0.0 || m[7] != 0.0 || m[8] != 1.0 || !m.iter().take(6).all(|&v| whole(v)) {
        return None;
    }
    let r: Vec<i64> = m.iter().take(6).map(|v| v.round() as i64).collect();
    let units = [r[0], r[1], r[3], r[4]].iter().all(|v| v.abs() <= 1);
    units.then(|| [r[0], r[1], r[2], r[3], r[4], r[5]])
}

/// Exact copies for an integer map: every interpolation reads pixel centres exactly.
fn copy_integer(src: &Source, m: [i64; 6], w: usize, out: &mut [u8]) {
    if turn_rgba(src, m, w, out) {
        return;
    }
    let c = src.c;
    let (sw, sh) = (src.sw as i64, src.sh as i64);
    for (y, row) in out.chunks_exact_mut(w * c).enumerate() {
        let (x0, y0) = (m[1] * y as i64 + m[2], m[4] * y as i64 + m[5]);
        let (dx, dy) = (m[0], m[3]);
        // The span of x whose source lies inside: intersect the ranges of both axes.
        let span = |start: i64, step: i64, n: i64| -> (i64, i64) {
            match step {
                0 if (0..n).contains(&start) => (0, w as i64),
                0 => (0, 0),
                1 => ((-start).max(0), (n - start).min(w as i64)),
                _ => ((start - n + 1).max(0), (start + 1).min(w as i64)),
            }
        };
        let (ax, bx) = span(x0, dx, sw);
        let (ay, by) = span(y0, dy, sh);
        // Inside where both axes are: [lo, hi) within the row (empty when the row misses).
        let lo = ax.max(ay).min(w as i64);
        let hi = bx.min(by).max(lo);
        for x in (0..lo).chain(hi..w as i64) {
            let px = &mut row[x as usize * c..(x as usize + 1) * c];
            match (src.index(x0 + dx * x, src.sw), src.index(y0 + dy * x, src.sh)) {
                (Some(ix), Some(iy)) => px.copy_from_slice(&src.data[(iy * src.sw + ix) * c..(iy * src.sw + ix + 1) * c]),
                _ => src.fill_pixel(px),
            }
        }
        if lo >= hi {
            continue;
        }
        let first = ((y0 + dy * lo) * sw + x0 + dx * lo) as usize * c;
        let dst = &mut row[lo as usize * c..hi as usize * c];
        if dx == 1 && dy == 0 {
            // SAFETY: `dst` and the source row are distinct buffers of the same length.
            unsafe { copy_bytes(&src.data[first..first + dst.len()], dst.as_mut_ptr()) };
            continue;
        }
        if c == 4 && dx == -1 && dy == 0 {
            // A mirrored run of the source row: the flip's SIMD reversal.
            let start = first + 4 - dst.len();
            super::flip::reversed_rgba(&src.data[start..first + 4], dst.as_mut_ptr());
            continue;
        }
        let step = (dy * sw + dx) as isize * c as isize;
        let mut at = first as isize;
        if c == 4 {
            for px in dst.as_chunks_mut::<4>().0 {
                *px = src.data[at as usize..at as usize + 4].try_into().expect("four bytes");
                at += step;
            }
            continue;
        }
        for px in dst.chunks_exact_mut(c) {
            px.copy_from_slice(&src.data[at as usize..at as usize + c]);
            at += step;
        }
    }
}

/// Perspective positions are computed exactly every `SPAN` pixels and stepped linearly in
/// between (1/1024 pixel), the way texture mappers do: the curvature over 16 pixels is far below
/// the 1/32-pixel quantisation for any view a photo survives, and it saves a division per pixel.
const SPAN_BITS: i32 = 4;
const SPAN: usize = 1 << SPAN_BITS;

/// The exact positions of a perspective row at every span boundary (x = 0, 16, 32, …), all in
/// one branch-free loop ahead of the stepping (about 7 % faster than one boundary per span):
/// each in 1/1024 pixel, or unusable (`ok` false) where the homogeneous weight is 0 or the
/// position absurdly far.
#[derive(Default)]
struct Boundaries {
    xs: Vec<i32>,
    ys: Vec<i32>,
    ok: Vec<bool>,
    /// Which side of the horizon (weight > 0).
    front: Vec<bool>,
}

impl Boundaries {
    fn compute(&mut self, m: &Matrix, bx: f64, by: f64, bw: f64, count: usize) {
        let ab = (1 << AB_BITS) as f64;
        let limit = (1 << 20) as f64;
        self.xs.resize(count, 0);
        self.ys.resize(count, 0);
        self.ok.resize(count, false);
        self.front.resize(count, false);
        let lanes = self.xs.iter_mut().zip(self.ys.iter_mut()).zip(self.ok.iter_mut().zip(self.front.iter_mut()));
        for (k, ((qx, qy), (ok, front))) in lanes.enumerate() {
            let xf = (k * SPAN) as f64;
            let wz = m[6] * xf + bw;
            let inv = 1.0 / wz;
            let (sx, sy) = ((m[0] * xf + bx) * inv, (m[3] * xf + by) * inv);
            let fits = wz != 0.0 && sx.abs() < limit && sy.abs() < limit;
            // Below 2^20 × 1024 the rounded value fits an i32; unusable ones read 0.
            *qx = round_even(if fits { sx * ab } else { 0.0 }) as i32;
            *qy = round_even(if fits { sy * ab } else { 0.0 }) as i32;
            *ok = fits;
            *front = wz > 0.0;
        }
    }
}

/// Source positions of output row `y` under the perspective map `m`.
fn perspective_row(m: &Matrix, y: f64, nearest: bool, pos: &mut Positions, ends: &mut Boundaries) {
    let (bx, by, bw) = (m[1] * y + m[2], m[4] * y + m[5], m[7] * y + m[8]);
    let w = pos.xs.len();
    ends.compute(m, bx, by, bw, w.div_ceil(SPAN) + 1);
    let exact = |k: usize| -> Option<(i64, i64, bool)> { ends.ok[k].then(|| (ends.xs[k] as i64, ends.ys[k] as i64, ends.front[k])) };
    let round_delta = if nearest { 1 << (AB_BITS - 1) } else { 1 << (AB_BITS - BITS - 1) };
    let keep = if nearest { !(TAB - 1) } else { !0 };
    let mut x0 = 0;
    let mut left = exact(0);
    while x0 < w {
        let n = SPAN.min(w - x0);
        let right = exact(x0 / SPAN + 1);
        match (left, right) {
            (Some((ax, ay, a_front)), Some((bx, by, b_front))) if a_front == b_front => {
                // Positions times SPAN, stepped by the difference: exact integer steps.
                let (dx, dy) = (bx - ax, by - ay);
                let (vx, vy) = ((ax + round_delta) << SPAN_BITS, (ay + round_delta) << SPAN_BITS);
                let (xs, ys) = (&mut pos.xs[x0..x0 + n], &mut pos.ys[x0..x0 + n]);
                if [ax, ay, bx, by].iter().all(|v| v.abs() < 1 << 26) {
                    // The same steps in i32, which the compiler runs four lanes at a time (in
                    // i64 lanes wasm has no arithmetic shift). Every value is a mix of the two
                    // ends, so stays below 2^26 × SPAN = 2^30.
                    let (mut vx, mut vy, dx, dy) = (vx as i32, vy as i32, dx as i32, dy as i32);
                    for (qx, qy) in xs.iter_mut().zip(ys.iter_mut()) {
                        *qx = (vx >> (SPAN_BITS + AB_BITS - BITS)) & keep;
                        *qy = (vy >> (SPAN_BITS + AB_BITS - BITS)) & keep;
                        vx += dx;
                        vy += dy;
                    }
                } else {
                    let (mut vx, mut vy) = (vx, vy);
                    for (qx, qy) in xs.iter_mut().zip(ys.iter_mut()) {
                        *qx = (vx >> (SPAN_BITS + AB_BITS - BITS)) as i32 & keep;
                        *qy = (vy >> (SPAN_BITS + AB_BITS - BITS)) as i32 & keep;
                        vx += dx;
                        vy += dy;
                    }
                }
            }
            // Near the horizon (or absurd positions): every pixel on its own.
            _ => {
                for x in x0..x0 + n {
                    let xf = x as f64;
                    let wz = m[6] * xf + bw;
                    let wz = if wz != 0.0 { 1.0 / wz } else { 0.0 };
                    pos.xs[x] = fixed((m[0] * xf + bx) * wz, nearest);
                    pos.ys[x] = fixed((m[3] * xf + by) * wz, nearest);
                }
            }
        }
        x0 += n;
        left = right;
    }
}

/// Resamples `src` to `width` × `height`: output pixel (x, y) reads the source at
/// `inverse · (x, y, 1)`. Alpha is resampled like colour (outside a constant border it is 0
/// unless `fill` gives it). Affine positions follow OpenCV's `warpAffine` fixed-point steps,
/// perspective ones its `warpPerspective` rounding; maps of whole pixels are exact copies.
pub fn warp(src: &Image, inverse: &Matrix, width: u32, height: u32, interp: Interpolation, border: Border, fill: &[u8]) -> Image {
    warp_with(src, inverse, width, height, interp, border, fill, Shortcuts::Auto)
}

/// Which faster paths a resampling may take, so tests can check that each gives the general
/// path's bytes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
// Only the tests turn the shortcuts off or force an order.
#[cfg_attr(not(test), allow(dead_code))]
enum Shortcuts {
    /// The general path only.
    Off,
    /// Exact copies and the separable path, its order chosen by the estimated work.
    Auto,
    /// As `Auto`, the separable path in this order.
    Separable(Order),
}

impl Shortcuts {
    fn order(self) -> Option<Order> {
        match self {
            Shortcuts::Separable(order) => Some(order),
            _ => None,
        }
    }
}

/// [`warp`] with the given shortcuts.
#[allow(clippy::too_many_arguments)]
fn warp_with(src: &Image, inverse: &Matrix, width: u32, height: u32, interp: Interpolation, border: Border, fill: &[u8], shortcuts: Shortcuts) -> Image {
    if interp == Interpolation::Area {
        if let Some(shrunk) = super::area::resample(src, inverse, width, height) {
            return shrunk;
        }
    }
    let interp = interp.sampled();
    let on = shortcuts != Shortcuts::Off;
    let m = inverse;
    let source = Source::new(src, border, fill);
    let c = source.c;
    let (w, h) = (width as usize, height as usize);
    let mut out = vec![0u8; w * h * c];
    if let Some(im) = integer_map(m).filter(|_| on) {
        copy_integer(&source, im, w, &mut out);
        return Image::new(width, height, src.channels(), out).expect("size follows from the arguments");
    }
    if on && interp == Interpolation::Linear && separable_linear(&source, m, w, &mut out, shortcuts.order()) {
        return Image::new(width, height, src.channels(), out).expect("size follows from the arguments");
    }
    let nearest = interp == Interpolation::Nearest;
    let perspective = m[6] != 0.0 || m[7] != 0.0 || m[8] != 1.0;
    let ab = (1 << AB_BITS) as f64;
    let adelta: Vec<i32> = if perspective { Vec::new() } else { (0..w).map(|x| saturate_round(m[0] * x as f64 * ab)).collect() };
    let bdelta: Vec<i32> = if perspective { Vec::new() } else { (0..w).map(|x| saturate_round(m[3] * x as f64 * ab)).collect() };
    let round_delta = if nearest { 1 << (AB_BITS - 1) } else { 1 << (AB_BITS - BITS - 1) };
    let far = |v: i32| !(-(1 << 28)..(1 << 28)).contains(&v);
    let deltas_far = adelta.iter().chain(&bdelta).any(|&v| far(v));
    let mut pos = Positions { xs: vec![0; w], ys: vec![0; w] };
    let mut ends = Boundaries::default();
    let cubic: Vec<[i32; 4]> = if interp == Interpolation::Cubic { (0..TAB).map(cubic_weights).collect() } else { Vec::new() };
    for (y, row) in out.chunks_exact_mut(w * c).enumerate() {
        let yf = y as f64;
        if perspective {
            perspective_row(m, yf, nearest, &mut pos, &mut ends);
        } else {
            let (x0, y0) = (saturate_round((m[1] * yf + m[2]) * ab), saturate_round((m[4] * yf + m[5]) * ab));
            if far(x0) || far(y0) || deltas_far {
                pos.xs.fill(FAR);
                pos.ys.fill(FAR);
            } else {
                // |x0 + delta| < 2^29: no overflow in i32.
                let (x0, y0) = (x0 + round_delta, y0 + round_delta);
                if interp == Interpolation::Linear {
                    // The bilinear row computes the positions as it reads them.
                    linear_row(&source, AffineRow { adelta: &adelta, bdelta: &bdelta, x0, y0 }, row);
                    continue;
                }
                let keep = if nearest { !(TAB - 1) } else { !0 };
                for (((qx, qy), &a), &b) in pos.xs.iter_mut().zip(pos.ys.iter_mut()).zip(&adelta).zip(&bdelta) {
                    *qx = ((x0 + a) >> (AB_BITS - BITS)) & keep;
                    *qy = ((y0 + b) >> (AB_BITS - BITS)) & keep;
                }
            }
        }
        resample_row(&source, interp, &pos, row, &cubic);
    }
    Image::new(width, height, src.channels(), out).expect("size follows from the arguments")
}

/// Resamples `src` to `width` × `height`: output pixel (x, y) reads the source at `map(x, y)`
/// (OpenCV's `remap`), for distortions that are not projective.
pub fn remap(src: &Image, width: u32, height: u32, interp: Interpolation, border: Border, fill: &[u8], map: impl Fn(usize, usize) -> (f64, f64)) -> Image {
    remap_rows(src, width, height, interp, border, fill, |y, xs, ys| {
        for (x, (sx, sy)) in xs.iter_mut().zip(ys.iter_mut()).enumerate() {
            (*sx, *sy) = map(x, y);
        }
    })
}

/// [`remap`] for a separable map: output pixel (x, y) reads the source at (`xs[x]`, `ys[y]`).
/// Bilinear maps whose column positions are monotone take the separable path (rows mixed once
/// per output row, then columns; the same bytes as the general path).
pub fn remap_separable(src: &Image, interp: Interpolation, border: Border, fill: &[u8], xs: &[f64], ys: &[f64]) -> Image {
    remap_separable_with(src, interp, border, fill, xs, ys, Shortcuts::Auto)
}

/// [`remap_separable`] with the given shortcuts.
fn remap_separable_with(src: &Image, interp: Interpolation, border: Border, fill: &[u8], xs: &[f64], ys: &[f64], shortcuts: Shortcuts) -> Image {
    let interp = interp.sampled();
    let (w, h) = (xs.len(), ys.len());
    if shortcuts != Shortcuts::Off && interp == Interpolation::Linear && w > 0 && h > 0 {
        let source = Source::new(src, border, fill);
        let qx: Vec<i32> = xs.iter().map(|&v| fixed(v, false)).collect();
        let mut out = vec![0u8; w * h * source.c];
        if separable_rows(&source, &qx, w, &mut out, |y| fixed(ys[y], false), shortcuts.order()) {
            return Image::new(w as u32, h as u32, src.channels(), out).expect("size follows from the arguments");
        }
    }
    remap_rows(src, w as u32, h as u32, interp, border, fill, |y, sx, sy| {
        sx.copy_from_slice(xs);
        sy.fill(ys[y]);
    })
}

/// [`remap`] with the positions given a row at a time: `map_row(y, xs, ys)` fills the source
/// positions of output row `y` (for maps whose row terms are worth computing once per row).
pub fn remap_rows(src: &Image, width: u32, height: u32, interp: Interpolation, border: Border, fill: &[u8], mut map_row: impl FnMut(usize, &mut [f64], &mut [f64])) -> Image {
    let interp = interp.sampled();
    let source = Source::new(src, border, fill);
    let c = source.c;
    let (w, h) = (width as usize, height as usize);
    let mut out = vec![0u8; w * h * c];
    let nearest = interp == Interpolation::Nearest;
    let mut pos = Positions { xs: vec![0; w], ys: vec![0; w] };
    let (mut sx, mut sy) = (vec![0.0; w], vec![0.0; w]);
    let cubic: Vec<[i32; 4]> = if interp == Interpolation::Cubic { (0..TAB).map(cubic_weights).collect() } else { Vec::new() };
    for (y, row) in out.chunks_exact_mut(w * c).enumerate() {
        map_row(y, &mut sx, &mut sy);
        // One loop per rounding, so neither tests it per value.
        for (qs, vs) in [(&mut pos.xs, &sx), (&mut pos.ys, &sy)] {
            if nearest {
                qs.iter_mut().zip(vs).for_each(|(q, &v)| *q = fixed(v, true));
            } else {
                qs.iter_mut().zip(vs).for_each(|(q, &v)| *q = fixed(v, false));
            }
        }
        resample_row(&source, interp, &pos, row, &cubic);
    }
    Image::new(width, height, src.channels(), out).expect("size follows from the arguments")
}

#[cfg(test)]
mod tests {
    use super::*;
    // These run natively and, through wasm-pack test, in node and Chromium (the SIMD kernels).
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn ramp() -> Image {
        Image::new(7, 5, 3, (0..105).map(|v| (v * 2) as u8).collect()).unwrap()
    }

    #[test]
    fn identity_is_exact_for_every_interpolation() {
        for interp in [Interpolation::Nearest, Interpolation::Linear, Interpolation::Cubic] {
            assert_eq!(warp(&ramp(), &IDENTITY, 7, 5, interp, Border::Constant, &[0]), ramp(), "{interp:?}");
        }
    }

    #[test]
    fn integer_translation_shifts_and_fills() {
        let out = warp(&ramp(), &translation(1.0, 0.0), 7, 5, Interpolation::Linear, Border::Constant, &[9]);
        assert_eq!(out.pixel(0, 0), ramp().pixel(1, 0));
        assert_eq!(out.pixel(6, 2), &[9, 9, 9]);
        let wrapped = warp(&ramp(), &translation(1.0, 0.0), 7, 5, Interpolation::Nearest, Border::Wrap, &[0]);
        assert_eq!(wrapped.pixel(6, 2), ramp().pixel(0, 2));
    }

    /// A photo-like pattern: smooth gradients plus a hard edge.
    fn pattern(w: u32, h: u32, c: u8) -> Image {
        let data = (0..h).flat_map(|y| (0..w).flat_map(move |x| (0..c).map(move |ch| ((x * 7 + y * 3 + ch as u32 * 50) % 256) as u8 ^ if x > w / 2 { 0x80 } else { 0 }))).collect();
        Image::new(w, h, c, data).unwrap()
    }

    #[test]
    fn shortcuts_give_the_general_paths_bytes() {
        let borders = [Border::Constant, Border::Reflect, Border::Replicate, Border::Wrap];
        let maps: [(Matrix, u32, u32); 14] = [
            (scaling(0.37, 0.61), 40, 30),                                       // enlarge
            (mul(&translation(-3.2, 5.7), &scaling(2.3, 1.7)), 9, 13),            // shrink, shifted
            (mul(&translation(0.5, -0.25), &scaling(1.0, 1.0)), 17, 11),          // sub-pixel shift
            ([-1.0, 0.0, 16.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0], 17, 11),          // mirror
            ([0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0], 11, 17),            // transpose
            ([0.0, -1.0, 12.0, 1.0, 0.0, -2.0, 0.0, 0.0, 1.0], 15, 19),         // turn, shifted out
            (translation(-4.0, 3.0), 17, 11),                                    // whole-pixel shift
            (translation(-40.0, 0.0), 17, 11),                                   // every row misses
            ([-1.0, 0.0, 60.0, 0.0, 1.0, -30.0, 0.0, 0.0, 1.0], 9, 5),          // mirror, all outside
            ([-0.61, 0.0, 15.3, 0.0, 0.83, -0.4, 0.0, 0.0, 1.0], 29, 14),       // mirror, scaled
            ([0.7, 0.0, 1.3, 0.0, -0.45, 10.4, 0.0, 0.0, 1.0], 23, 25),         // upside down, scaled
            ([0.11, 0.0, 3.0, 0.0, 0.05, 4.0, 0.0, 0.0, 1.0], 70, 37),          // strong zoom
            ([-1.0, 0.0, 10.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0], 17, 11),          // mirror, partly outside
            ([-1.0, 0.0, 16.0, 0.0, -1.0, 10.0, 0.0, 0.0, 1.0], 17, 11),        // half turn
        ];
        for (c, sw, sh) in [(1, 17, 11), (3, 17, 11), (4, 17, 11), (4, 67, 41), (4, 1, 1), (4, 2, 9)] {
            let src = pattern(sw, sh, c);
            for (m, w, h) in &maps {
                for border in borders {
                    for interp in [Interpolation::Nearest, Interpolation::Linear, Interpolation::Cubic] {
                        let general = warp_with(&src, m, *w, *h, interp, border, &[9, 99, 199], Shortcuts::Off);
                        for shortcuts in [Shortcuts::Auto, Shortcuts::Separable(Order::RowsFirst), Shortcuts::Separable(Order::ColumnsFirst)] {
                            let fast = warp_with(&src, m, *w, *h, interp, border, &[9, 99, 199], shortcuts);
                            assert_eq!(fast, general, "{m:?} {border:?} {interp:?} c={c} {shortcuts:?}");
                        }
                    }
                }
            }
        }
    }

    /// Pseudo-random numbers in `0..n` (xorshift64) for the row tests.
    fn numbers(mut state: u64) -> impl FnMut(i32) -> i32 {
        move |n: i32| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as i32
        }
    }

    /// Every bilinear pixel of `linear_row` (the SIMD runs and single pixels in wasm, the scalar
    /// loop natively) against the formula: the four taps weighted by exact 1/32 products, or the
    /// border rule where a tap lies outside.
    #[test]
    fn bilinear_rows_follow_the_formula_inside_and_at_the_borders() {
        let mut next = numbers(0x2545_f491_4f6c_dd1d);
        for (sw, sh, c) in [(19u32, 13u32, 4u8), (2, 2, 4), (31, 7, 3), (64, 9, 4)] {
            let src = pattern(sw, sh, c);
            for border in [Border::Constant, Border::Reflect] {
                let source = Source::new(&src, border, &[9, 99, 199]);
                for w in [1usize, 3, 4, 17, 64] {
                    // Runs inside, runs straddling the edges, far positions and FAR itself.
                    let mut pos = Positions { xs: vec![0; w], ys: vec![0; w] };
                    for x in 0..w {
                        let (qx, qy) = match next(8) {
                            0 => (next(32 * (sw as i32 + 4)) - 64, next(32 * (sh as i32 + 4)) - 64),
                            1 => (FAR, next(32 * sh as i32)),
                            2 => (next(1 << 20) - (1 << 19), next(1 << 20) - (1 << 19)),
                            _ => (next(32 * (sw as i32 - 1).max(1)), next(32 * (sh as i32 - 1).max(1))),
                        };
                        pos.xs[x] = qx;
                        pos.ys[x] = qy;
                    }
                    let mut out = vec![0u8; w * c as usize];
                    linear_row(&source, pos.listed(), &mut out);
                    for (x, px) in out.chunks(c as usize).enumerate() {
                        let (qx, qy) = (pos.xs[x], pos.ys[x]);
                        let mut want = vec![0u8; c as usize];
                        if qx != FAR && taps_inside(qx, sw as usize) && taps_inside(qy, sh as usize) {
                            let (ix, iy, fx, fy) = ((qx >> BITS) as usize, (qy >> BITS) as usize, qx & 31, qy & 31);
                            for (ch, v) in want.iter_mut().enumerate() {
                                let tap = |dx: usize, dy: usize| src.data()[((iy + dy) * sw as usize + ix + dx) * c as usize + ch] as i32;
                                let sum = (32 - fx) * (32 - fy) * tap(0, 0) + fx * (32 - fy) * tap(1, 0) + (32 - fx) * fy * tap(0, 1) + fx * fy * tap(1, 1);
                                *v = ((sum + 512) >> 10) as u8;
                            }
                        } else {
                            linear_border(&source, qx, qy, &mut want);
                        }
                        assert_eq!(px, &want[..], "{sw}x{sh}x{c} {border:?} w={w} x={x} q=({qx}, {qy})");
                    }
                }
            }
        }
    }

    /// Every pixel of a nearest row (groups of four in wasm, one by one natively) against the
    /// source pixel at the position, or the border rule outside.
    #[test]
    fn nearest_rows_read_the_pixel_or_the_border_rule() {
        let mut next = numbers(0x9e37_79b9_7f4a_7c15);
        for (sw, sh, c) in [(19u32, 13u32, 4u8), (1, 1, 4), (23, 5, 1), (8, 8, 3)] {
            let src = pattern(sw, sh, c);
            for border in [Border::Constant, Border::Reflect] {
                let source = Source::new(&src, border, &[9, 99, 199]);
                for w in [1usize, 3, 4, 9, 64] {
                    let mut pos = Positions { xs: vec![0; w], ys: vec![0; w] };
                    for x in 0..w {
                        let (qx, qy) = match next(6) {
                            0 => (next(sw as i32 + 6) - 3, next(sh as i32 + 6) - 3),
                            1 => (FAR >> BITS, next(sh as i32)),
                            _ => (next(sw as i32), next(sh as i32)),
                        };
                        pos.xs[x] = if qx == FAR >> BITS { FAR } else { qx << BITS };
                        pos.ys[x] = qy << BITS;
                    }
                    let mut out = vec![0u8; w * c as usize];
                    resample_row(&source, Interpolation::Nearest, &pos, &mut out, &[]);
                    for (x, px) in out.chunks(c as usize).enumerate() {
                        let (qx, qy) = (pos.xs[x], pos.ys[x]);
                        let (ix, iy) = (qx >> BITS, qy >> BITS);
                        let mut want = vec![0u8; c as usize];
                        if qx != FAR && (0..sw as i32).contains(&ix) && (0..sh as i32).contains(&iy) {
                            want.copy_from_slice(src.pixel(ix as u32, iy as u32));
                        } else {
                            nearest_border(&source, qx, qy, &mut want);
                        }
                        assert_eq!(px, &want[..], "{sw}x{sh}x{c} {border:?} w={w} x={x} q=({qx}, {qy})");
                    }
                }
            }
        }
    }

    #[test]
    fn matrices_compose_and_invert() {
        let a = mul(&translation(3.0, -2.0), &scaling(2.0, 0.5));
        let inv = invert(&a).unwrap();
        let id = mul(&a, &inv);
        for (x, y) in id.iter().zip(IDENTITY.iter()) {
            assert!((x - y).abs() < 1e-12);
        }
        assert!(invert(&scaling(0.0, 1.0)).is_none());
    }

    #[test]
    fn bit_pattern_rounding_is_round_half_to_even() {
        // Random values at three magnitudes (some on halves), and the edge cases.
        let mut next = numbers(7);
        for i in 0..200_000 {
            let scale = [1e3, 4e9, 10.0][i % 3];
            let v = next(1 << 30) as f64 / (1 << 30) as f64 * scale - scale / 2.0;
            let v = if i % 7 == 0 { (v * 2.0).round() / 2.0 } else { v };
            if v.abs() < i32::MAX as f64 {
                assert_eq!(round_even_i32(v), v.round_ties_even() as i32, "{v}");
            }
        }
        for v in [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.0, -0.0, 1e-300, -1e-300, 2147483646.5, -2147483647.5] {
            assert_eq!(round_even_i32(v), v.round_ties_even() as i32, "{v}");
        }
    }

    #[test]
    fn separable_remaps_give_the_general_paths_bytes() {
        // Increasing positions from below the source to past it (and one decreasing map, which
        // the separable path takes too), every border rule, gray, RGB and RGBA, odd sizes.
        let mut next = numbers(11);
        for (sw, sh, w, h) in [(23, 17, 31, 13), (40, 9, 40, 9), (5, 6, 64, 3), (64, 64, 19, 40)] {
            for c in [1, 3, 4] {
                let src = pattern(sw, sh, c);
                for border in [Border::Constant, Border::Reflect, Border::Replicate, Border::Wrap] {
                    for trial in 0..4 {
                        let mut walk = |n: usize, size: u32| {
                            let mut v = next(200) as f64 / 50.0 - 3.0;
                            (0..n).map(|_| {
                                v += next(100) as f64 / 100.0 * size as f64 / n as f64 * 1.6;
                                v
                            }).collect::<Vec<f64>>()
                        };
                        let mut xs = walk(w as usize, sw);
                        let ys = walk(h as usize, sh);
                        if trial == 3 {
                            xs.reverse();
                        }
                        for interp in [Interpolation::Linear, Interpolation::Nearest] {
                            let general = remap(&src, w, h, interp, border, &[9, 99, 199, 255], |x, y| (xs[x], ys[y]));
                            for order in [Order::RowsFirst, Order::ColumnsFirst] {
                                let fast = remap_separable_with(&src, interp, border, &[9, 99, 199, 255], &xs, &ys, Shortcuts::Separable(order));
                                assert!(fast == general, "{sw}×{sh}×{c} to {w}×{h}, {border:?}, {interp:?}, trial {trial}, {order:?}");
                            }
                            assert!(remap_separable(&src, interp, border, &[9, 99, 199, 255], &xs, &ys) == general);
                        }
                    }
                }
            }
        }
    }
}
