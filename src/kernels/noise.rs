//! Additive noise from a seed.
//!
//! The noise field is expanded from an explicit `seed` by four interleaved xoshiro128++ streams
//! (pixel `i` takes stream `i % 4`). Each pixel draws one u32 and splits it into three 10-bit
//! indices, one per colour channel, into a 1024-entry table of noise values in grey levels.
//! For Gaussian noise the table holds the normal distribution's quantiles at the centres of 1024
//! equal-probability bins, rescaled to an exact standard deviation of 1, so the noise has the
//! requested mean and std with tails cut at ±3.3σ; no transcendental maths runs per pixel. The
//! same u32 feeds the same pixel whether the image is gray, RGB or RGBA, so colour channels of an
//! RGB and an RGBA image come out identical.

use std::sync::OnceLock;

use super::stream::Streams;
use crate::image::Image;

/// Number of entries in a noise table (10 bits of index).
pub const TABLE_SIZE: usize = 1024;
/// Noise values in grey levels, indexed by 10 random bits.
pub type NoiseTable = [i16; TABLE_SIZE];

/// Standard normal quantiles at (i + 0.5) / 1024, rescaled to unit variance.
pub fn normal_quantiles() -> &'static [f64; TABLE_SIZE] {
    static TABLE: OnceLock<[f64; TABLE_SIZE]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut q = [0.0; TABLE_SIZE];
        for (i, v) in q.iter_mut().enumerate() {
            *v = inverse_normal_cdf((i as f64 + 0.5) / TABLE_SIZE as f64);
        }
        let var = q.iter().map(|v| v * v).sum::<f64>() / TABLE_SIZE as f64;
        let scale = 1.0 / libm::sqrt(var);
        for v in &mut q {
            *v *= scale;
        }
        q
    })
}

/// Acklam's rational approximation refined by one Halley step (|error| < 1e-15), all through
/// `libm` so every target computes the same bits.
pub(crate) fn inverse_normal_cdf(p: f64) -> f64 {
    const A: [f64; 6] = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.383577518672690e2, -3.066479806614716e1, 2.506628277459239];
    const B: [f64; 5] = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
    const C: [f64; 6] = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
    const D: [f64; 4] = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
    const LOW: f64 = 0.02425;
    let x = if p < LOW {
        let q = libm::sqrt(-2.0 * libm::log(p));
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = libm::sqrt(-2.0 * libm::log(1.0 - p));
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let e = 0.5 * libm::erfc(-x / std::f64::consts::SQRT_2) - p;
    let u = e * libm::sqrt(2.0 * std::f64::consts::PI) * libm::exp(x * x / 2.0);
    x - u / (1.0 + x * u / 2.0)
}

/// The shapes of noise a table can hold, each with mean 0 and standard deviation 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    Gaussian,
    Uniform,
    Laplace,
}

/// Quantiles at the 1024 bin centres of a distribution, rescaled to unit variance.
pub fn quantiles(dist: Distribution) -> &'static [f64; TABLE_SIZE] {
    fn build(f: impl Fn(f64) -> f64) -> [f64; TABLE_SIZE] {
        let mut q = [0.0; TABLE_SIZE];
        for (i, v) in q.iter_mut().enumerate() {
            *v = f((i as f64 + 0.5) / TABLE_SIZE as f64);
        }
        let var = q.iter().map(|v| v * v).sum::<f64>() / TABLE_SIZE as f64;
        let scale = 1.0 / libm::sqrt(var);
        q.iter_mut().for_each(|v| *v *= scale);
        q
    }
    static UNIFORM: OnceLock<[f64; TABLE_SIZE]> = OnceLock::new();
    static LAPLACE: OnceLock<[f64; TABLE_SIZE]> = OnceLock::new();
    match dist {
        Distribution::Gaussian => normal_quantiles(),
        Distribution::Uniform => UNIFORM.get_or_init(|| build(|u| 2.0 * u - 1.0)),
        Distribution::Laplace => LAPLACE.get_or_init(|| build(|u| {
            let d = u - 0.5;
            -d.signum() * libm::log(1.0 - 2.0 * d.abs())
        })),
    }
}

/// The table for noise of a distribution with `mean` and `std` in grey levels (floored, see
/// [`gaussian_table`]).
pub fn table(dist: Distribution, mean: f64, std: f64) -> NoiseTable {
    let q = quantiles(dist);
    let mut table = [0i16; TABLE_SIZE];
    for (t, &z) in table.iter_mut().zip(q.iter()) {
        *t = (mean + std * z).floor().clamp(-512.0, 512.0) as i16;
    }
    table
}

/// One value of a distribution (mean 0, std 1) picked by 10 random bits.
pub fn quantile_at(dist: Distribution, bits: u32) -> f64 {
    quantiles(dist)[(bits as usize) & (TABLE_SIZE - 1)]
}

/// The table for Gaussian noise with `mean` and `std` in grey levels. Values are floored, which
/// is what adding float noise to a uint8 image and truncating back does in the reference.
pub fn gaussian_table(mean: f64, std: f64) -> NoiseTable {
    table(Distribution::Gaussian, mean, std)
}

#[inline(always)]
fn add(v: u8, n: i16) -> u8 {
    (v as i16 + n).clamp(0, 255) as u8
}

/// Adds noise from `table` to the colour channels: independent draws per channel when
/// `per_channel`, else one draw shared by the channels of a pixel. Alpha is kept.
pub fn add_table_noise(img: &mut Image, table: &NoiseTable, per_channel: bool, seed: u64) {
    let channels = img.channels() as usize;
    let color = img.color_channels();
    let mut streams = Streams::new(seed);
    const MASK: u32 = (TABLE_SIZE - 1) as u32;
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if channels == 4 && per_channel {
        // Straight from a shared source into the new buffer, without copying it first.
        // SAFETY: simd128 is enabled for this build (the cfg above); the map writes every
        // byte (alpha copied) and reads each block before writing it.
        unsafe { img.map_bytes_raw(|src, dst, len| simd::add_rgba_per_channel(src, dst, len, table, &mut streams)) };
        return;
    }
    let mut pixels = img.data_mut().chunks_exact_mut(channels);
    loop {
        let r = streams.next();
        for word in r {
            let Some(px) = pixels.next() else { return };
            let i0 = (word & MASK) as usize;
            if per_channel {
                let idx = [i0, ((word >> 10) & MASK) as usize, ((word >> 20) & MASK) as usize];
                for c in 0..color {
                    px[c] = add(px[c], table[idx[c]]);
                }
            } else {
                for v in &mut px[..color] {
                    *v = add(*v, table[i0]);
                }
            }
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use super::{add, NoiseTable, Streams, TABLE_SIZE};
    use core::arch::wasm32::*;

    /// The per-channel RGBA case of `add_table_noise` from the `len` bytes at `src` into those
    /// at `dst` (the same buffer or another), four pixels per step: one u32 per pixel gives
    /// three 10-bit table indices (R, G, B), the noise is added in i16 lanes and saturated
    /// back to u8. Same values, same order as the scalar loop.
    ///
    /// # Safety
    /// `src` readable and `dst` writable for `len` bytes, a multiple of 4.
    #[target_feature(enable = "simd128")]
    pub unsafe fn add_rgba_per_channel(src: *const u8, dst: *mut u8, len: usize, table: &NoiseTable, streams: &mut Streams) {
        const MASK: u32 = (TABLE_SIZE - 1) as u32;
        let mut simd_streams = streams.simd();
        // The noise less 128, so the sums are the results less 128: the signed narrow
        // saturates them to −128..=127 and the top bit flips them back to 0..=255. (Before the
        // unsigned narrow the compiler puts a clamp to 0..=255 of its own, four more
        // instructions per block.)
        let biased: NoiseTable = std::array::from_fn(|i| table[i] - 128);
        let flip = i8x16_splat(-128);
        // The noise of four pixels gathered by scalar loads and stores into i16 lanes (R, G,
        // B, 0 per pixel) and read back as two vectors: the engines build vectors lane by lane
        // through one busy shuffle port, which held this loop back.
        let mut lanes = [-128i16; 16];
        let mut words = [0u32; 4];
        let mut at = 0;
        while at + 16 <= len {
            // SAFETY: at + 16 ≤ len; `words` and `lanes` are 16 and 32 bytes.
            unsafe {
                v128_store(words.as_mut_ptr() as *mut v128, simd_streams.next());
                for (i, &w) in words.iter().enumerate() {
                    lanes[4 * i] = biased[(w & MASK) as usize];
                    lanes[4 * i + 1] = biased[((w >> 10) & MASK) as usize];
                    lanes[4 * i + 2] = biased[((w >> 20) & MASK) as usize];
                }
                let lo = v128_load(lanes.as_ptr() as *const v128);
                let hi = v128_load(lanes.as_ptr().add(8) as *const v128);
                let px = v128_load(src.add(at) as *const v128);
                let lo = i16x8_add(u16x8_extend_low_u8x16(px), lo);
                let hi = i16x8_add(u16x8_extend_high_u8x16(px), hi);
                v128_store(dst.add(at) as *mut v128, v128_xor(i8x16_narrow_i16x8(lo, hi), flip));
            }
            at += 16;
        }
        // Up to three pixels left: the scalar rule with the next draws.
        *streams = simd_streams.into_streams();
        if at < len {
            let words = streams.next();
            for (k, word) in words.into_iter().enumerate().take((len - at) / 4) {
                let idx = [word & MASK, (word >> 10) & MASK, (word >> 20) & MASK];
                // SAFETY: pixel k of the rest is within len; it is read before it is written.
                unsafe {
                    let (s, d) = (src.add(at + 4 * k), dst.add(at + 4 * k));
                    for c in 0..3 {
                        *d.add(c) = add(*s.add(c), table[idx[c] as usize]);
                    }
                    *d.add(3) = *s.add(3);
                }
            }
        }
    }
}

/// Multiplies colour values by factors in [lo, hi]: one per value (`per_channel`) or one per
/// pixel, spread uniformly over 1024 levels; results are truncated as the reference does.
pub fn multiply_field(img: &mut Image, lo: f64, hi: f64, per_channel: bool, seed: u64) {
    let mut factors = [0u32; TABLE_SIZE];
    for (i, f) in factors.iter_mut().enumerate() {
        let m = lo + (hi - lo) * (i as f64 + 0.5) / TABLE_SIZE as f64;
        *f = (m * 65536.0) as u32;
    }
    let channels = img.channels() as usize;
    let color = img.color_channels();
    let mut streams = Streams::new(seed);
    let mut pixels = img.data_mut().chunks_exact_mut(channels);
    loop {
        for word in streams.next() {
            let Some(px) = pixels.next() else { return };
            for (c, v) in px[..color].iter_mut().enumerate() {
                let idx = if per_channel { (word >> (10 * c)) as usize & (TABLE_SIZE - 1) } else { word as usize & (TABLE_SIZE - 1) };
                *v = ((*v as u32 * factors[idx]) >> 16).min(255) as u8;
            }
        }
    }
}

/// Sets a fraction `amount` of pixels to white (`salt` of them) or black, all channels alike.
pub fn salt_and_pepper(img: &mut Image, amount: f64, salt: f64, seed: u64) {
    let noisy = (amount.clamp(0.0, 1.0) * 65536.0) as u32;
    let white = (salt.clamp(0.0, 1.0) * 65536.0) as u32;
    let channels = img.channels() as usize;
    let color = img.color_channels();
    let mut streams = Streams::new(seed);
    let mut pixels = img.data_mut().chunks_exact_mut(channels);
    loop {
        for word in streams.next() {
            let Some(px) = pixels.next() else { return };
            if word >> 16 < noisy {
                px[..color].fill(if word & 0xffff < white { 255 } else { 0 });
            }
        }
    }
}

/// Inverts whole pixels (255 − v) with probability `prob`: bit-flip noise for binary images.
pub fn flip_pixels(img: &mut Image, prob: f64, seed: u64) {
    let t = super::stream::threshold(prob);
    let channels = img.channels() as usize;
    let color = img.color_channels();
    let mut streams = Streams::new(seed);
    let mut pixels = img.data_mut().chunks_exact_mut(channels);
    loop {
        for word in streams.next() {
            let Some(px) = pixels.next() else { return };
            if (word as u64) < t {
                px[..color].iter_mut().for_each(|v| *v = 255 - *v);
            }
        }
    }
}

/// Shot (Poisson) noise as albumentations models it: in linear light (value^2.2) each value
/// becomes Poisson(linear / scale) × scale, back through ^(1/2.2). Every grey level has its own
/// cumulative table, so no transcendental maths runs per pixel.
pub fn shot(img: &mut Image, scale: f64, seed: u64) {
    let scale = scale.max(1e-3);
    // Outcome k maps to this output level.
    let max_k = (1.0 / scale).ceil() as usize + 1;
    let level: Vec<u8> = (0..=max_k).map(|k| libm::rint(libm::pow((k as f64 * scale).min(1.0), 1.0 / 2.2) * 255.0) as u8).collect();
    // Per input level: cumulative probabilities as u32 thresholds for k = 0, 1, ...
    let tables: Vec<Vec<u32>> = (0..256)
        .map(|v| {
            let lin = libm::pow(v as f64 / 255.0, 2.2);
            let lambda = (lin + scale * 1e-6) / scale;
            let mut pmf = libm::exp(-lambda);
            let mut cdf = 0.0;
            let mut out = Vec::new();
            for k in 0..=max_k {
                cdf += pmf;
                out.push((cdf.min(1.0) * 4_294_967_295.0) as u32);
                pmf *= lambda / (k + 1) as f64;
                if cdf >= 1.0 - 1e-12 {
                    break;
                }
            }
            out
        })
        .collect();
    let channels = img.channels() as usize;
    let color = img.color_channels();
    let data = img.data_mut();
    let pixels = data.len() / channels;
    super::stream::for_each_u32(seed, pixels * color, |i, r| {
        let (p, c) = (i / color, i % color);
        let v = &mut data[p * channels + c];
        let table = &tables[*v as usize];
        let k = table.partition_point(|&t| t < r).min(max_k);
        *v = level[k];
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    // These run natively and, through wasm-pack test, in node and Chromium (the SIMD paths).
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn quantile_table_is_a_standard_normal() {
        let q = normal_quantiles();
        let mean = q.iter().sum::<f64>() / TABLE_SIZE as f64;
        let var = q.iter().map(|v| v * v).sum::<f64>() / TABLE_SIZE as f64;
        assert!(mean.abs() < 1e-12, "{mean}");
        assert!((var - 1.0).abs() < 1e-12, "{var}");
        assert!((q[TABLE_SIZE / 2] - 0.001224).abs() < 1e-4); // Φ⁻¹(0.50049) before rescaling ≈ 0.0012
        assert!(q.windows(2).all(|w| w[0] < w[1]));
        assert!((-3.4..-3.2).contains(&q[0]));
    }

    #[test]
    fn inverse_cdf_known_values() {
        assert!((inverse_normal_cdf(0.975) - 1.959963984540054).abs() < 1e-12);
        assert!((inverse_normal_cdf(0.001) + 3.090232306167813).abs() < 1e-12);
    }

    #[test]
    fn zero_table_is_identity_and_alpha_kept() {
        let mut img = Image::new(5, 3, 4, (0..60).map(|v| v as u8 * 4).collect()).unwrap();
        let orig = img.clone();
        add_table_noise(&mut img, &[0; TABLE_SIZE], true, 3);
        assert_eq!(img, orig);
        add_table_noise(&mut img, &[300; TABLE_SIZE], true, 3);
        assert!(img.data().chunks(4).all(|p| p[..3] == [255, 255, 255]));
        assert_eq!(img.data().iter().skip(3).step_by(4).copied().collect::<Vec<_>>(), orig.data().iter().skip(3).step_by(4).copied().collect::<Vec<_>>());
    }

    #[test]
    fn rgb_and_rgba_get_the_same_noise() {
        let rgb = Image::new(7, 5, 3, (0..105).map(|v| (v * 2) as u8).collect()).unwrap();
        let mut rgba = rgb.to_channels(4).unwrap();
        let mut rgb = rgb;
        let table = gaussian_table(0.0, 30.0);
        add_table_noise(&mut rgb, &table, true, 11);
        add_table_noise(&mut rgba, &table, true, 11);
        assert_eq!(rgba.to_channels(3).unwrap(), rgb);
    }

    #[test]
    fn shared_noise_is_the_same_in_every_channel() {
        let mut img = Image::filled(16, 16, 3, 128).unwrap();
        add_table_noise(&mut img, &gaussian_table(0.0, 40.0), false, 5);
        assert!(img.data().chunks(3).all(|p| p[0] == p[1] && p[1] == p[2]));
        assert!(img.data().chunks(3).any(|p| p[0] != 128));
    }

    #[test]
    fn a_shared_source_is_read_and_left_as_it_was() {
        // 9 × 7 RGBA: seven whole blocks of four pixels in wasm, three pixels after them;
        // values at both ends so the noise saturates, alpha of every value.
        let data: Vec<u8> = (0..9 * 7 * 4).map(|i| if i % 5 == 0 { 0 } else if i % 7 == 0 { 255 } else { (i * 37 % 256) as u8 }).collect();
        let source = Image::new(9, 7, 4, data.clone()).unwrap();
        let table = gaussian_table(3.0, 90.0);
        let mut shared = source.clone();
        assert!(shared.is_shared());
        let mut own = Image::new(9, 7, 4, data.clone()).unwrap();
        add_table_noise(&mut shared, &table, true, 21);
        add_table_noise(&mut own, &table, true, 21);
        assert_eq!(shared, own);
        assert_eq!(source.data(), &data[..]);
        assert!(own.data().chunks(4).zip(data.chunks(4)).all(|(o, d)| o[3] == d[3]));
        // The scalar rule, pixel by pixel, from the same draws.
        let mut streams = Streams::new(21);
        let mut want = data.clone();
        for px in want.chunks_mut(16) {
            for (p, w) in px.chunks_mut(4).zip(streams.next()) {
                for c in 0..3 {
                    p[c] = add(p[c], table[((w >> (10 * c)) & 1023) as usize]);
                }
            }
        }
        assert_eq!(own.data(), &want[..]);
    }
}
