//! One resampling for every projective map (affine or perspective), as OpenCV's `warpAffine` /
//! `warpPerspective` compute it: each output pixel centre is mapped back into the source, the
//! position quantised to 1/32 pixel, and the value interpolated with 15-bit fixed-point weights.
//! Integer maths keeps native and wasm bytes identical.

use super::filter::reflect101;
use crate::image::Image;

/// How values between pixel centres are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interpolation {
    Nearest,
    Linear,
    Cubic,
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

const BITS: i64 = 5; // 1/32 pixel positions
const TAB: i64 = 1 << BITS;
const COEF_BITS: i32 = 15;

fn linear_weights(f: i64) -> [i32; 2] {
    let w1 = ((f as f64 / TAB as f64) * (1 << COEF_BITS) as f64).round() as i32;
    [(1 << COEF_BITS) - w1, w1]
}

fn cubic_weights(f: i64) -> [i32; 4] {
    const A: f64 = -0.75;
    let x = f as f64 / TAB as f64;
    let c0 = ((A * (x + 1.0) - 5.0 * A) * (x + 1.0) + 8.0 * A) * (x + 1.0) - 4.0 * A;
    let c1 = ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0;
    let c2 = ((A + 2.0) * (1.0 - x) - (A + 3.0)) * (1.0 - x) * (1.0 - x) + 1.0;
    let c3 = 1.0 - c0 - c1 - c2;
    let mut w = [c0, c1, c2, c3].map(|c| (c * (1 << COEF_BITS) as f64).round() as i32);
    // Make the weights sum exactly to one, as OpenCV does, by adjusting the largest.
    let sum: i32 = w.iter().sum();
    let big = (0..4).max_by_key(|&i| w[i]).unwrap_or(1);
    w[big] += (1 << COEF_BITS) - sum;
    w
}

/// Reads a source image at fractional positions with an interpolation and a border.
struct Sampler<'a> {
    data: &'a [u8],
    sw: usize,
    sh: usize,
    c: usize,
    interp: Interpolation,
    border: Border,
    fills: Vec<i32>,
    linear: Vec<[i32; 2]>,
    cubic: Vec<[i32; 4]>,
}

impl<'a> Sampler<'a> {
    fn new(src: &'a Image, interp: Interpolation, border: Border, fill: &[u8]) -> Self {
        let c = src.channels() as usize;
        let fill_of = |ch: usize| -> i32 { fill.get(ch).or(if ch < 3 { fill.last() } else { None }).copied().unwrap_or(if ch == 3 { 255 } else { 0 }) as i32 };
        Sampler {
            data: src.data(),
            sw: src.width() as usize,
            sh: src.height() as usize,
            c,
            interp,
            border,
            fills: (0..c).map(fill_of).collect(),
            linear: (0..TAB).map(linear_weights).collect(),
            cubic: if interp == Interpolation::Cubic { (0..TAB).map(cubic_weights).collect() } else { Vec::new() },
        }
    }

    #[inline]
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

    /// Writes the value at source position (`sx`, `sy`) into `px`.
    fn sample(&self, sx: f64, sy: f64, px: &mut [u8]) {
        let (data, sw, sh, c) = (self.data, self.sw, self.sh, self.c);
        if !sx.is_finite() || !sy.is_finite() || sx.abs() > 1e9 || sy.abs() > 1e9 {
            for (ch, v) in px.iter_mut().enumerate() {
                *v = self.fills[ch] as u8;
            }
            return;
        }
        match self.interp {
            Interpolation::Nearest => {
                let (ix, iy) = ((sx + 0.5).floor() as i64, (sy + 0.5).floor() as i64);
                match (self.index(ix, sw), self.index(iy, sh)) {
                    (Some(ix), Some(iy)) => px.copy_from_slice(&data[(iy * sw + ix) * c..(iy * sw + ix + 1) * c]),
                    _ => px.iter_mut().enumerate().for_each(|(ch, v)| *v = self.fills[ch] as u8),
                }
            }
            Interpolation::Linear | Interpolation::Cubic => {
                let qx = (sx * TAB as f64).round() as i64;
                let qy = (sy * TAB as f64).round() as i64;
                let (ix, fx) = (qx >> BITS, qx & (TAB - 1));
                let (iy, fy) = (qy >> BITS, qy & (TAB - 1));
                let (taps, wx, wy) = if self.interp == Interpolation::Linear {
                    let (a, b) = (self.linear[fx as usize], self.linear[fy as usize]);
                    (2usize, [a[0], a[1], 0, 0], [b[0], b[1], 0, 0])
                } else {
                    (4usize, self.cubic[fx as usize], self.cubic[fy as usize])
                };
                let off = if taps == 2 { 0 } else { 1 };
                let mut cols = [None; 4];
                let mut rows = [None; 4];
                for t in 0..taps {
                    cols[t] = self.index(ix - off + t as i64, sw);
                    rows[t] = self.index(iy - off + t as i64, sh);
                }
                for ch in 0..c {
                    let mut acc: i64 = 0;
                    for (ty, row) in rows[..taps].iter().enumerate() {
                        let mut line: i64 = 0;
                        for (tx, col) in cols[..taps].iter().enumerate() {
                            let v = match (row, col) {
                                (Some(r), Some(cc)) => data[(r * sw + cc) * c + ch] as i64,
                                _ => self.fills[ch] as i64,
                            };
                            line += v * wx[tx] as i64;
                        }
                        acc += line * wy[ty] as i64;
                    }
                    let v = (acc + (1i64 << (2 * COEF_BITS - 1))) >> (2 * COEF_BITS);
                    px[ch] = v.clamp(0, 255) as u8;
                }
            }
        }
    }
}

/// Resamples `src` to `width` × `height`: output pixel (x, y) reads the source at
/// `inverse · (x, y, 1)`. Alpha is resampled like colour (outside a constant border it is 0
/// unless `fill` gives it).
pub fn warp(src: &Image, inverse: &Matrix, width: u32, height: u32, interp: Interpolation, border: Border, fill: &[u8]) -> Image {
    let m = inverse;
    let perspective = m[6] != 0.0 || m[7] != 0.0 || m[8] != 1.0;
    remap(src, width, height, interp, border, fill, |x, y| {
        let (xf, yf) = (x as f64, y as f64);
        let (sx, sy) = (m[0] * xf + m[1] * yf + m[2], m[3] * xf + m[4] * yf + m[5]);
        if perspective {
            let wz = m[6] * xf + m[7] * yf + m[8];
            let wz = if wz != 0.0 { 1.0 / wz } else { 0.0 };
            (sx * wz, sy * wz)
        } else {
            (sx, sy)
        }
    })
}

/// Resamples `src` to `width` × `height`: output pixel (x, y) reads the source at `map(x, y)`
/// (OpenCV's `remap`), for distortions that are not projective.
pub fn remap(src: &Image, width: u32, height: u32, interp: Interpolation, border: Border, fill: &[u8], map: impl Fn(usize, usize) -> (f64, f64)) -> Image {
    let sampler = Sampler::new(src, interp, border, fill);
    let c = src.channels() as usize;
    let (w, h) = (width as usize, height as usize);
    let mut out = vec![0u8; w * h * c];
    for y in 0..h {
        for x in 0..w {
            let (sx, sy) = map(x, y);
            sampler.sample(sx, sy, &mut out[(y * w + x) * c..(y * w + x + 1) * c]);
        }
    }
    Image::new(width, height, src.channels(), out).expect("size follows from the arguments")
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
