//! Contrast-limited adaptive histogram equalisation, as OpenCV's `CLAHE` computes it: per-tile
//! clipped histograms (clipped counts spread evenly, the remainder stepped across bins), one
//! table per tile, bilinear interpolation between the four nearest tiles. Colour images are
//! equalised on the L* channel of CIELAB, as albumentations does.

use super::filter::reflect101;
use crate::image::Image;

/// Equalises one 8-bit plane in place.
pub fn clahe_plane(plane: &mut [u8], width: usize, height: usize, clip_limit: f64, tiles_x: usize, tiles_y: usize) {
    let (tx, ty) = (tiles_x.clamp(1, width.max(1)), tiles_y.clamp(1, height.max(1)));
    // Pad (reflect-101) to a multiple of the tile grid for the histograms.
    let ew = if width % tx == 0 { width } else { width + tx - width % tx };
    let eh = if height % ty == 0 { height } else { height + ty - height % ty };
    let (tw, th) = (ew / tx, eh / ty);
    let area = (tw * th) as f64;
    let lut_scale = 255.0f32 / area as f32;
    let clip = if clip_limit > 0.0 { ((clip_limit * area / 256.0) as i64).max(1) } else { 0 };
    let mut luts = vec![[0u8; 256]; tx * ty];
    for tyi in 0..ty {
        for txi in 0..tx {
            let mut hist = [0i64; 256];
            for y in tyi * th..(tyi + 1) * th {
                let sy = reflect101(y as isize, height);
                for x in txi * tw..(txi + 1) * tw {
                    hist[plane[sy * width + reflect101(x as isize, width)] as usize] += 1;
                }
            }
            if clip > 0 {
                let mut clipped = 0;
                for h in hist.iter_mut() {
                    if *h > clip {
                        clipped += *h - clip;
                        *h = clip;
                    }
                }
                let batch = clipped / 256;
                let mut residual = clipped - batch * 256;
                hist.iter_mut().for_each(|h| *h += batch);
                if residual != 0 {
                    let step = (256 / residual).max(1) as usize;
                    let mut i = 0;
                    while i < 256 && residual > 0 {
                        hist[i] += 1;
                        i += step;
                        residual -= 1;
                    }
                }
            }
            let lut = &mut luts[tyi * tx + txi];
            let mut sum = 0i64;
            for i in 0..256 {
                sum += hist[i];
                lut[i] = (sum as f32 * lut_scale).round_ties_even().clamp(0.0, 255.0) as u8;
            }
        }
    }
    let (inv_tw, inv_th) = (1.0f32 / tw as f32, 1.0f32 / th as f32);
    let xs: Vec<(usize, usize, f32)> = (0..width)
        .map(|x| {
            let f = x as f32 * inv_tw - 0.5;
            let x1 = f.floor() as isize;
            let a = f - x1 as f32;
            (x1.max(0) as usize, ((x1 + 1) as usize).min(tx - 1), a)
        })
        .collect();
    for y in 0..height {
        let f = y as f32 * inv_th - 0.5;
        let y1 = f.floor() as isize;
        let ya = f - y1 as f32;
        let (r1, r2) = (y1.max(0) as usize * tx, ((y1 + 1) as usize).min(ty - 1) * tx);
        for (x, &(x1, x2, xa)) in xs.iter().enumerate() {
            let v = plane[y * width + x] as usize;
            let top = luts[r1 + x1][v] as f32 * (1.0 - xa) + luts[r1 + x2][v] as f32 * xa;
            let bottom = luts[r2 + x1][v] as f32 * (1.0 - xa) + luts[r2 + x2][v] as f32 * xa;
            plane[y * width + x] = (top * (1.0 - ya) + bottom * ya).round_ties_even().clamp(0.0, 255.0) as u8;
        }
    }
}

/// `srgb_to_linear(v / 255)` for every byte (computed once).
fn linear_of_byte() -> &'static [f64; 256] {
    static TABLE: std::sync::OnceLock<[f64; 256]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|v| srgb_to_linear(v as f64 / 255.0)))
}

/// The byte a linear value encodes to, `rint(linear_to_srgb(c) × 255)`, found from the 255
/// linear values where that byte steps up (computed once by bisection on the same function),
/// so no `pow` per value. `coarse[i]` is the byte at i / 1024, where the search starts.
struct Encoder {
    steps: [f64; 257],
    coarse: [u8; 1025],
}

fn encoder() -> &'static Encoder {
    static TABLE: std::sync::OnceLock<Encoder> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let byte = |c: f64| libm::rint(linear_to_srgb(c) * 255.0).clamp(0.0, 255.0) as u8;
        let mut steps = [0f64; 257];
        steps[0] = f64::NEG_INFINITY;
        steps[256] = f64::INFINITY;
        for k in 1..256u16 {
            // Smallest c in [0, 1] with byte(c) ≥ k: bisection over the ordered bit patterns.
            let (mut lo, mut hi) = (0u64, 1f64.to_bits());
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if byte(f64::from_bits(mid)) as u16 >= k { hi = mid } else { lo = mid + 1 }
            }
            steps[k as usize] = f64::from_bits(lo);
        }
        let coarse = std::array::from_fn(|i| byte(i as f64 / 1024.0));
        Encoder { steps, coarse }
    })
}

impl Encoder {
    #[inline]
    fn encode(&self, c: f64) -> u8 {
        let c = c.clamp(0.0, 1.0);
        let mut k = self.coarse[(c * 1024.0) as usize] as usize;
        while c >= self.steps[k + 1] {
            k += 1;
        }
        while c < self.steps[k] {
            k -= 1;
        }
        k as u8
    }
}

fn srgb_to_linear(v: f64) -> f64 {
    if v <= 0.04045 { v / 12.92 } else { libm::pow((v + 0.055) / 1.055, 2.4) }
}

fn linear_to_srgb(v: f64) -> f64 {
    if v <= 0.0031308 { 12.92 * v } else { 1.055 * libm::pow(v, 1.0 / 2.4) - 0.055 }
}

const WHITE: [f64; 3] = [0.950456, 1.0, 1.088754];

fn f_lab(t: f64) -> f64 {
    if t > 0.008856 { libm::cbrt(t) } else { 7.787 * t + 16.0 / 116.0 }
}

/// 8-bit RGB → 8-bit L*a*b* as OpenCV scales it (L × 255/100, a and b + 128).
fn rgb_to_lab(p: &[u8]) -> [f64; 3] {
    let linear = linear_of_byte();
    let [r, g, b] = [p[0], p[1], p[2]].map(|v| linear[v as usize]);
    let x = (0.412453 * r + 0.357580 * g + 0.180423 * b) / WHITE[0];
    let y = 0.212671 * r + 0.715160 * g + 0.072169 * b;
    let z = (0.019334 * r + 0.119193 * g + 0.950227 * b) / WHITE[2];
    let (fx, fy, fz) = (f_lab(x), f_lab(y), f_lab(z));
    let l = if y > 0.008856 { 116.0 * fy - 16.0 } else { 903.3 * y };
    [l * 255.0 / 100.0, 500.0 * (fx - fy) + 128.0, 200.0 * (fy - fz) + 128.0]
}

fn lab_to_rgb(l8: f64, a8: f64, b8: f64) -> [u8; 3] {
    let l = l8 * 100.0 / 255.0;
    let (a, b) = (a8 - 128.0, b8 - 128.0);
    let y = if l <= 8.0 { l / 903.3 } else { ((l + 16.0) / 116.0).powi(3) };
    let fy = if y > 0.008856 { (l + 16.0) / 116.0 } else { 7.787 * y + 16.0 / 116.0 };
    let inv = |f: f64| if f > 0.206893 { f * f * f } else { (f - 16.0 / 116.0) / 7.787 };
    let x = inv(fy + a / 500.0) * WHITE[0];
    let z = inv(fy - b / 200.0) * WHITE[2];
    let r = 3.240479 * x - 1.53715 * y - 0.498535 * z;
    let g = -0.969256 * x + 1.875991 * y + 0.041556 * z;
    let bb = 0.055648 * x - 0.204043 * y + 1.057311 * z;
    let enc = encoder();
    [r, g, bb].map(|c| enc.encode(c))
}

/// CLAHE on a gray image, or on the lightness of a colour image (alpha kept).
pub fn clahe(img: &mut Image, clip_limit: f64, tiles_x: usize, tiles_y: usize) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let c = img.channels() as usize;
    if c == 1 {
        clahe_plane(img.data_mut(), w, h, clip_limit, tiles_x, tiles_y);
        return;
    }
    let lab: Vec<[f64; 3]> = img.data().chunks_exact(c).map(rgb_to_lab).collect();
    let mut l: Vec<u8> = lab.iter().map(|p| libm::rint(p[0]).clamp(0.0, 255.0) as u8).collect();
    clahe_plane(&mut l, w, h, clip_limit, tiles_x, tiles_y);
    for ((px, p), &lv) in img.data_mut().chunks_exact_mut(c).zip(&lab).zip(&l) {
        let rgb = lab_to_rgb(lv as f64, libm::rint(p[1]).clamp(0.0, 255.0), libm::rint(p[2]).clamp(0.0, 255.0));
        px[..3].copy_from_slice(&rgb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoder_table_equals_the_formula() {
        let enc = encoder();
        let byte = |c: f64| libm::rint(linear_to_srgb(c.clamp(0.0, 1.0)) * 255.0).clamp(0.0, 255.0) as u8;
        for i in 0..=200_000 {
            let c = i as f64 / 200_000.0;
            assert_eq!(enc.encode(c), byte(c), "{c}");
        }
        for &step in &enc.steps[1..256] {
            for c in [step, f64::from_bits(step.to_bits() - 1), -0.5, 1.5] {
                assert_eq!(enc.encode(c), byte(c), "{c}");
            }
        }
    }
}
