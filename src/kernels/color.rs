//! Colour adjustments on RGB(A) or gray images: torchvision's ColorJitter operations,
//! OpenCV-style HSV shifts, grayscale conversions, channel permutations, and 3×3 filters.
//! Alpha is never touched.

use crate::image::Image;
use crate::kernels::lut::{apply_to_color, Lut};

fn trunc_u8(x: f32) -> u8 {
    // `as u8` saturates and maps NaN to 0: clamp-then-truncate, as `tensor.to(uint8)` after clamp.
    x.clamp(0.0, 255.0) as u8
}

// torchvision's uint8 gray, used by contrast and saturation: 0.2989 r + 0.587 g + 0.114 b in
// f32, floored.

/// `adjust_brightness`: v × f, truncated (through a table: the same f32 maths per value).
pub fn brightness(img: &mut Image, factor: f32) {
    let lut: Lut = std::array::from_fn(|v| trunc_u8(v as f32 * factor));
    apply_to_color(img, &lut);
}

/// Sum of torchvision's floored gray values over the image (exact: whole numbers).
fn gray_sum(img: &Image) -> u64 {
    let c = img.channels() as usize;
    if img.color_channels() == 1 {
        return img.data().iter().step_by(c).map(|&v| v as u64).sum();
    }
    match c {
        4 => gray_sum_blocks::<4>(img.data()),
        _ => gray_sum_blocks::<3>(img.data()),
    }
}

fn gray_sum_blocks<const C: usize>(data: &[u8]) -> u64 {
    let mut sum = 0u64;
    for block in data.chunks(64 * C) {
        // Per block the sum of at most 64 values of 255 fits an i32 lane.
        let mut part = 0i32;
        for px in block.as_chunks::<C>().0 {
            part += (px[0] as f32 * 0.2989 + px[1] as f32 * 0.587 + px[2] as f32 * 0.114).floor() as i32;
        }
        sum += part as u64;
    }
    sum
}

/// `adjust_contrast`: blend with the mean of the (floored) gray image.
pub fn contrast(img: &mut Image, factor: f32) {
    let n = (img.width() * img.height()) as f64;
    let mean = (gray_sum(img) as f64 / n) as f32;
    let offset = mean * (1.0 - factor);
    let lut: Lut = std::array::from_fn(|v| trunc_u8(v as f32 * factor + offset));
    apply_to_color(img, &lut);
}

/// Values per lane block: enough for LLVM to vectorise, small enough to stay in registers/L1.
const LANES: usize = 64;
/// R, G and B of up to [`LANES`] pixels as separate f32 lanes.
type Lanes = [[f32; LANES]; 3];
/// Results per lane (0..=255 when written back).
type LaneOut = [[i32; LANES]; 3];

/// Runs `f` over the R, G, B values of an RGB or RGBA image, [`LANES`] pixels at a time split
/// into separate lanes (so per-pixel maths written over the lanes vectorises), and writes `f`'s
/// results back as bytes; alpha is untouched. Lanes past the last pixel of the image hold stale
/// values that are computed but never written.
fn over_rgb_lanes(img: &mut Image, mut f: impl FnMut(&mut Lanes, &mut LaneOut)) {
    match img.channels() {
        4 => lane_blocks::<4>(img.data_mut(), &mut f),
        _ => lane_blocks::<3>(img.data_mut(), &mut f),
    }
}

fn lane_blocks<const C: usize>(data: &mut [u8], f: &mut impl FnMut(&mut Lanes, &mut LaneOut)) {
    let mut lanes = [[0f32; LANES]; 3];
    let mut out = [[0i32; LANES]; 3];
    for block in data.chunks_mut(LANES * C) {
        let pixels = block.as_chunks_mut::<C>().0;
        for (i, px) in pixels.iter().enumerate() {
            for ch in 0..3 {
                lanes[ch][i] = px[ch] as f32;
            }
        }
        f(&mut lanes, &mut out);
        for (i, px) in pixels.iter_mut().enumerate() {
            for ch in 0..3 {
                px[ch] = out[ch][i] as u8;
            }
        }
    }
}

/// `adjust_saturation`: blend with the pixel's own (floored) gray value. Gray images stay.
pub fn saturation(img: &mut Image, factor: f32) {
    if img.color_channels() < 3 {
        return;
    }
    over_rgb_lanes(img, |lanes, out| {
        for i in 0..LANES {
            let (r, g, b) = (lanes[0][i], lanes[1][i], lanes[2][i]);
            let gray = (r * 0.2989 + g * 0.587 + b * 0.114).floor() * (1.0 - factor);
            for ch in 0..3 {
                let v = lanes[ch][i] * factor + gray;
                // trunc_u8, written as comparisons so it vectorises.
                out[ch][i] = if v > 0.0 { if v < 255.0 { v as i32 } else { 255 } } else { 0 };
            }
        }
    });
}

/// `adjust_hue`: rotate the hue by `shift` turns (−0.5..0.5) in torchvision's float HSV.
///
/// Pixels go through as separate R, G and B lanes with every branch of torchvision's formula
/// computed and selected, so LLVM vectorises the block (SIMD in wasm); the float operations are
/// torchvision's, in its order (`x % 1` becomes `x - floor(x)`, which is exact for the
/// non-negative values it sees).
pub fn hue(img: &mut Image, shift: f32) {
    if img.color_channels() < 3 {
        return;
    }
    over_rgb_lanes(img, |lanes, out| hue_lanes(lanes, out, shift));
}

#[inline(never)]
fn hue_lanes(lanes: &Lanes, out: &mut LaneOut, shift: f32) {
    const SCALE: f32 = 255.0 + 1.0 - 1e-3;
    for i in 0..LANES {
        let (r, g, b) = (lanes[0][i] / 255.0, lanes[1][i] / 255.0, lanes[2][i] / 255.0);
        // Comparisons rather than f32::max/min: no NaN here, and they vectorise (the std
        // functions become library calls in wasm).
        let max2 = if r > g { r } else { g };
        let maxc = if max2 > b { max2 } else { b };
        let min2 = if r < g { r } else { g };
        let minc = if min2 < b { min2 } else { b };
        let eqc = maxc == minc;
        let range = maxc - minc;
        let s = range / if eqc { 1.0 } else { maxc };
        let div = if eqc { 1.0 } else { range };
        let (rc, gc, bc) = ((maxc - r) / div, (maxc - g) / div, (maxc - b) / div);
        let from_r = bc - gc;
        let from_g = 2.0 + rc - bc;
        let from_b = 4.0 + gc - rc;
        let h = if maxc == r { from_r } else if maxc == g { from_g } else { from_b };
        let x = h / 6.0 + 1.0;
        let y = (x - x.floor()) + shift;
        let h = y - y.floor();
        let h6 = h * 6.0;
        let i6 = h6.floor();
        let f = h6 - i6;
        let sxf = s * f;
        let unit = |x: f32| if x < 0.0 { 0.0 } else if x > 1.0 { 1.0 } else { x };
        let q = unit((1.0 - sxf) * maxc);
        let t = unit((sxf + (1.0 - s)) * maxc);
        let p = unit((1.0 - s) * maxc);
        let v = maxc;
        let sector = i6 as i32;
        let sector = if sector >= 6 { sector - 6 } else { sector };
        let red = if sector == 0 || sector == 5 { v } else if sector == 1 { q } else if sector == 4 { t } else { p };
        let green = if sector == 1 || sector == 2 { v } else if sector == 0 { t } else if sector == 3 { q } else { p };
        let blue = if sector == 3 || sector == 4 { v } else if sector == 2 { t } else if sector == 5 { q } else { p };
        // In 0..=255.999 already: truncation is the conversion (to i32, which vectorises).
        out[0][i] = (red * SCALE) as i32;
        out[1][i] = (green * SCALE) as i32;
        out[2][i] = (blue * SCALE) as i32;
    }
}

/// OpenCV's 8-bit RGB → HSV (H in 0..180, S and V in 0..256) as its integer code computes it:
/// saturation and hue through tables of rounded reciprocals in 1/4096. The plain reference the
/// lane version is tested against, value for value.
#[cfg(test)]
fn rgb_to_hsv(r: u8, g: u8, b: u8) -> (i32, i32, i32) {
    let (r, g, b) = (r as i32, g as i32, b as i32);
    let v = r.max(g).max(b);
    let diff = v - r.min(g).min(b);
    let sdiv = if v == 0 { 0 } else { ((255 << 12) as f64 / v as f64).round_ties_even() as i32 };
    let hdiv = if diff == 0 { 0 } else { ((180 << 12) as f64 / (6.0 * diff as f64)).round_ties_even() as i32 };
    let s = (diff * sdiv + (1 << 11)) >> 12;
    let h = if v == r { g - b } else if v == g { b - r + 2 * diff } else { r - g + 4 * diff };
    let h = (h * hdiv + (1 << 11)) >> 12;
    (if h < 0 { h + 180 } else { h }, s, v)
}

/// `c − a·b` rounded once, as a fused multiply-add computes it (the product of two f32 is exact
/// in f64, and so is the difference here).
#[inline(always)]
fn fused_sub(c: f32, a: f32, b: f32) -> f32 {
    (c as f64 - a as f64 * b as f64) as f32
}

/// OpenCV's 8-bit HSV → RGB as its vector code computes it (every pixel but the last few of an
/// image): s and v scaled by the f32 1/255, the sector by truncation, the two sloped values
/// through fused multiply-adds, results ×255 truncated. The reference of [`hsv_to_rgb_f32`].
#[cfg(test)]
fn hsv_to_rgb(h: i32, s: i32, v: i32) -> [u8; 3] {
    let (s, v) = (s as f32 * (1.0f32 / 255.0), v as f32 * (1.0f32 / 255.0));
    let hh = h as f32 * (6.0f32 / 180.0);
    let sector = hh.trunc();
    let f = hh - sector;
    let tab = [v, v * (1.0 - s), v * fused_sub(1.0, s, f), v * fused_sub(1.0, s, 1.0 - f)];
    let [r, g, b] = match sector as i32 % 6 {
        0 => [tab[0], tab[3], tab[1]],
        1 => [tab[2], tab[0], tab[1]],
        2 => [tab[1], tab[0], tab[3]],
        3 => [tab[1], tab[2], tab[0]],
        4 => [tab[3], tab[1], tab[0]],
        _ => [tab[0], tab[1], tab[2]],
    };
    [r, g, b].map(|x| ((x * 255.0) as i32).clamp(0, 255) as u8)
}

/// albumentations' HueSaturationValue: in OpenCV's 8-bit HSV, hue + `dh` (mod 180), saturation
/// + `ds` and value + `dv` (saturated). Gray images get the value shift only.
pub fn hsv_shift(img: &mut Image, dh: f32, ds: f32, dv: f32) {
    // The reference shifts through tables: float sums, truncated back to 8 bits.
    let mut hue = [0i32; 256];
    let mut sat = [0i32; 256];
    let mut val = [0i32; 256];
    for (i, h) in hue.iter_mut().enumerate() {
        *h = ((i as f32 + dh).rem_euclid(180.0) as i32).min(179);
    }
    for i in 0..256 {
        sat[i] = (i as f32 + ds).clamp(0.0, 255.0) as i32;
        val[i] = (i as f32 + dv).clamp(0.0, 255.0) as i32;
    }
    if img.color_channels() < 3 {
        for v in img.data_mut() {
            *v = val[*v as usize] as u8;
        }
        return;
    }
    // RGBA in wasm: four pixels per SIMD step, the conversions in i32 and f32 lanes, the hue
    // table by scalar loads, saturation and value by their f32 sums in the lanes.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if img.channels() == 4 {
        use core::arch::wasm32::*;
        // Runs of 256 pixels, in two loops: the conversions to shifted HSV, then back to RGB.
        // One loop doing both made each step a single long dependency chain (divisions, table
        // reads, f64 products) that the processor could barely overlap with the next (still
        // 16 % slower with the swizzled selection of `rgb4`).
        const RUN: usize = 64;
        let mut hsv = [[f32x4_splat(0.0); 3]; RUN];
        super::jitter::for_rgba_runs::<16>(img, RUN, |steps| {
            // SAFETY (both loops): each step is 16 readable and writable bytes.
            for (t, px) in hsv.iter_mut().zip(steps.iter()) {
                *t = hsv_simd::shifted_hsv4(unsafe { v128_load(px.as_ptr() as *const v128) }, &hue, ds, dv);
            }
            for (t, px) in hsv.iter().zip(steps.iter_mut()) {
                let p = px.as_mut_ptr() as *mut v128;
                unsafe { v128_store(p, hsv_simd::rgb4(*t, v128_load(p))) };
            }
        });
        return;
    }
    // The conversions vectorise over the lanes (their branches become selects); the table
    // shifts stay scalar in between.
    over_rgb_lanes(img, |lanes, out| {
        for i in 0..LANES {
            let (h, s, v) = rgb_to_hsv_f32(lanes[0][i], lanes[1][i], lanes[2][i]);
            out[0][i] = h;
            out[1][i] = s;
            out[2][i] = v;
        }
        for i in 0..LANES {
            lanes[0][i] = hue[out[0][i] as usize] as f32;
            lanes[1][i] = sat[out[1][i] as usize] as f32;
            lanes[2][i] = val[out[2][i] as usize] as f32;
        }
        for i in 0..LANES {
            let rgb = hsv_to_rgb_f32(lanes[0][i], lanes[1][i], lanes[2][i]);
            for ch in 0..3 {
                out[ch][i] = rgb[ch];
            }
        }
    });
}

/// [`hsv_shift`] on four RGBA pixels in wasm SIMD: every operation of [`rgb_to_hsv_f32`], the
/// table shifts and [`hsv_to_rgb_f32`] in the same order on lanes, so the same bytes.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod hsv_simd {
    use core::arch::wasm32::*;

    /// `(x as f64 - a as f64 · b as f64) as f32` per lane ([`super::fused_sub`] with x = 1).
    #[inline(always)]
    fn one_minus_product(a: v128, b: v128) -> v128 {
        let one = f64x2_splat(1.0);
        let half = |a: v128, b: v128| f32x4_demote_f64x2_zero(f64x2_sub(one, f64x2_mul(f64x2_promote_low_f32x4(a), f64x2_promote_low_f32x4(b))));
        let high = |v: v128| i32x4_shuffle::<2, 3, 2, 3>(v, v);
        // The barrier keeps LLVM from merging the two demotions into one of four lanes, which
        // it lowers lane by lane.
        i64x2_shuffle::<0, 2>(std::hint::black_box(half(a, b)), std::hint::black_box(half(high(a), high(b))))
    }

    /// 2^23: added to a float in 0..2^23 it leaves the value rounded to a whole number (half to
    /// even) in the low bits of the sum; cheaper than the engines' saturating conversions.
    const MAGIC: f32 = 8388608.0;

    /// `min(max(x, lo), hi)` for lanes that are never NaN (the pseudo-min/max are single
    /// instructions; the NaN-exact ones are not).
    #[inline(always)]
    fn clamp(x: v128, lo: f32, hi: f32) -> v128 {
        f32x4_pmin(f32x4_pmax(x, f32x4_splat(lo)), f32x4_splat(hi))
    }

    /// The shifted H, S and V (f32 lanes) of four RGBA pixels.
    #[inline(always)]
    pub fn shifted_hsv4(px: v128, hue: &[i32; 256], ds: f32, dv: f32) -> [v128; 3] {
        let byte = u32x4_splat(0xff);
        let (r, g, b) = (v128_and(px, byte), v128_and(u32x4_shr(px, 8), byte), v128_and(u32x4_shr(px, 16), byte));
        // RGB → HSV (rgb_to_hsv_f32).
        let v = i32x4_max(i32x4_max(r, g), b);
        let diff = i32x4_sub(v, i32x4_min(i32x4_min(r, g), b));
        let zero = i32x4_splat(0);
        // round_ties_even(num / d) as i32 (below 2^23), 0 where d = 0.
        let reciprocal = |num: f32, d: v128| {
            let q = f32x4_add(f32x4_div(f32x4_splat(num), f32x4_convert_i32x4(d)), f32x4_splat(MAGIC));
            v128_andnot(i32x4_sub(q, f32x4_splat(MAGIC)), i32x4_eq(d, zero))
        };
        let (sdiv, hdiv) = (reciprocal(1044480.0, v), reciprocal(122880.0, diff));
        let round = i32x4_splat(1 << 11);
        let s = i32x4_shr(i32x4_add(i32x4_mul(diff, sdiv), round), 12);
        let h_r = i32x4_sub(g, b);
        let h_g = i32x4_add(i32x4_sub(b, r), i32x4_shl(diff, 1));
        let h_b = i32x4_add(i32x4_sub(r, g), i32x4_shl(diff, 2));
        let h = v128_bitselect(h_r, v128_bitselect(h_g, h_b, i32x4_eq(v, g)), i32x4_eq(v, r));
        let h = i32x4_shr(i32x4_add(i32x4_mul(h, hdiv), round), 12);
        let h = i32x4_add(h, v128_and(i32x4_lt(h, zero), i32x4_splat(180)));
        // The shifts: hue through its table (indices 0..=180), saturation and value as the
        // tables compute them, (x + d) clamped to 0..=255 and truncated, in f32.
        let hs = [0, 1, 2, 3].map(|i| {
            // A hue is in 0..=180; the mask keeps the index in the table without a check.
            let at = |lane: i32| hue[(lane & 255) as usize];
            at(match i {
                0 => i32x4_extract_lane::<0>(h),
                1 => i32x4_extract_lane::<1>(h),
                2 => i32x4_extract_lane::<2>(h),
                _ => i32x4_extract_lane::<3>(h),
            })
        });
        let h = f32x4_convert_i32x4(i32x4(hs[0], hs[1], hs[2], hs[3]));
        let shift = |x: v128, d: f32| f32x4_trunc(clamp(f32x4_add(f32x4_convert_i32x4(x), f32x4_splat(d)), 0.0, 255.0));
        [h, shift(s, ds), shift(v, dv)]
    }

    /// HSV → RGB (hsv_to_rgb_f32) of four pixels with hues in 0..180, alpha from `px`.
    ///
    /// Each channel takes one of four values: v, v(1 − s), v(1 − s·f) or v(1 − s(1 − f)).
    /// All four become bytes, packed into one word per pixel, and one byte swizzle picks R, G
    /// and B by the sector, through a 16-entry table, instead of nine lane selects. No clamp
    /// is needed: every value lies in −1..256 before truncation (v ≤ 255 · f32(1/255) and each
    /// factor within a rounding of 0..1), so truncation leaves 0..=255 (−0 for the slightly
    /// negative ones).
    #[inline(always)]
    pub fn rgb4([h, s, v]: [v128; 3], px: v128) -> v128 {
        let (s, v) = (f32x4_mul(s, f32x4_splat(1.0 / 255.0)), f32x4_mul(v, f32x4_splat(1.0 / 255.0)));
        let hh = f32x4_mul(h, f32x4_splat(6.0 / 180.0));
        // The sector: for hues below 180 it is in 0..=5, so OpenCV's `% 6` changes nothing.
        let sector = f32x4_trunc(hh);
        let f = f32x4_sub(hh, sector);
        let one = f32x4_splat(1.0);
        let t1 = f32x4_mul(v, f32x4_sub(one, s));
        let t2 = f32x4_mul(v, one_minus_product(s, f));
        let t3 = f32x4_mul(v, one_minus_product(s, f32x4_sub(one, f)));
        // Each value as the low byte of its lane (the rest is 0x4b0000), then the four bytes of
        // a pixel in one word: byte j holds tⱼ (the shifts drop the high bits).
        let byte = |t: v128| f32x4_add(f32x4_trunc(f32x4_mul(t, f32x4_splat(255.0))), f32x4_splat(MAGIC));
        let (b0, b1, b2, b3) = (byte(v), byte(t1), byte(t2), byte(t3));
        let words = v128_or(v128_or(v128_and(b0, u32x4_splat(0xff)), i32x4_shl(b1, 8)), v128_or(i32x4_shl(b2, 16), i32x4_shl(b3, 24)));
        // Channel c reads value m((sector + 6 − 2c) mod 6), m = [t0, t2, t1, t1, t3, t0]: the
        // sector in every colour byte of its lane plus (0, 4, 2) picks from the table m repeated
        // (sector + 4 ≤ 9); the alpha byte's index 0x80 gives 0.
        let m = u8x16(0, 2, 1, 1, 3, 0, 0, 2, 1, 1, 3, 0, 0, 2, 1, 1);
        let spread = i8x16_swizzle(f32x4_add(sector, f32x4_splat(MAGIC)), u8x16(0, 0, 0, 0x80, 4, 4, 4, 0x80, 8, 8, 8, 0x80, 12, 12, 12, 0x80));
        let picks = i8x16_swizzle(m, u8x16_add(spread, u32x4_splat(0x8002_0400)));
        let rgb = i8x16_swizzle(words, u8x16_add(picks, u8x16(0, 0, 0, 0x80, 4, 4, 4, 0x80, 8, 8, 8, 0x80, 12, 12, 12, 0x80)));
        v128_or(rgb, v128_and(px, u32x4_splat(0xff00_0000)))
    }
}

/// OpenCV's 8-bit RGB → HSV on whole numbers held in f32, branch-free (see [`rgb_to_hsv`]): the
/// reciprocal tables are computed per value (an f32 division rounded to nearest gives every
/// entry exactly), the rest in i32 lanes.
#[inline(always)]
fn rgb_to_hsv_f32(r: f32, g: f32, b: f32) -> (i32, i32, i32) {
    let max2 = if r > g { r } else { g };
    let v = if max2 > b { max2 } else { b };
    let min2 = if r < g { r } else { g };
    let mn = if min2 < b { min2 } else { b };
    let diff = v - mn;
    let sdiv = if v == 0.0 { 0 } else { (1044480.0 / v).round_ties_even() as i32 };
    let hdiv = if diff == 0.0 { 0 } else { (122880.0 / diff).round_ties_even() as i32 };
    let (ri, gi, bi, di) = (r as i32, g as i32, b as i32, diff as i32);
    let s = (di * sdiv + (1 << 11)) >> 12;
    let h = if v == r { gi - bi } else if v == g { bi - ri + 2 * di } else { ri - gi + 4 * di };
    let h = (h * hdiv + (1 << 11)) >> 12;
    (if h < 0 { h + 180 } else { h }, s, v as i32)
}

/// OpenCV's 8-bit HSV → RGB on f32 lanes, branch-free (see [`hsv_to_rgb`]).
#[inline(always)]
fn hsv_to_rgb_f32(h: f32, s: f32, v: f32) -> [i32; 3] {
    let (s, v) = (s * (1.0f32 / 255.0), v * (1.0f32 / 255.0));
    let hh = h * (6.0f32 / 180.0);
    let pre = hh.trunc();
    let f = hh - pre;
    let (t0, t1, t2, t3) = (v, v * (1.0 - s), v * fused_sub(1.0, s, f), v * fused_sub(1.0, s, 1.0 - f));
    let sector = pre - (pre * (1.0f32 / 6.0)).trunc() * 6.0;
    let red = if !(1.0..=4.0).contains(&sector) { t0 } else if sector == 1.0 { t2 } else if sector == 4.0 { t3 } else { t1 };
    let green = if sector < 1.0 { t3 } else if sector < 3.0 { t0 } else if sector == 3.0 { t2 } else { t1 };
    let blue = if sector < 2.0 { t1 } else if sector == 2.0 { t3 } else if sector < 5.0 { t0 } else { t2 };
    [red, green, blue].map(|x| {
        let y = (x * 255.0).trunc();
        (if y < 0.0 { 0.0 } else if y > 255.0 { 255.0 } else { y }) as i32
    })
}

/// How colour becomes gray.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrayMethod {
    /// OpenCV's BT.601 luma (0.299, 0.587, 0.114), fixed point.
    WeightedAverage,
    /// L* of CIELAB, scaled to 0..255, in OpenCV's 8-bit conversion.
    FromLab,
    /// (max + min) / 2.
    Desaturation,
    /// (r + g + b) / 3.
    Average,
    /// max(r, g, b).
    Max,
}

/// Replaces every colour channel by the gray value (the image keeps its channel count).
pub fn to_gray(img: &mut Image, method: GrayMethod) {
    if img.color_channels() < 3 {
        return;
    }
    let c = img.channels() as usize;
    if c == 4 && method == GrayMethod::WeightedAverage {
        // Whole RGBA pixels as little-endian words: the same integer maths in u32 lanes, which
        // vectorises (the bytes are read and written in order, so any byte order gives the same).
        crate::kernels::lut::map_rgba(img, gray_block, gray_word);
        return;
    }
    let lab = (method == GrayMethod::FromLab).then(super::lab::Lab::default);
    for px in img.data_mut().chunks_exact_mut(c) {
        let (r, g, b) = (px[0], px[1], px[2]);
        let y = match method {
            GrayMethod::WeightedAverage => ((r as u32 * 4899 + g as u32 * 9617 + b as u32 * 1868 + (1 << 13)) >> 14) as u8,
            GrayMethod::FromLab => lab.as_ref().map_or(0, |lab| lab.lightness(r, g, b)),
            GrayMethod::Desaturation => ((r.max(g).max(b) as u16 + r.min(g).min(b) as u16) / 2) as u8,
            GrayMethod::Average => ((r as u16 + g as u16 + b as u16) / 3) as u8,
            GrayMethod::Max => r.max(g).max(b),
        };
        px[..3].fill(y);
    }
}

/// [`to_gray`]'s weighted average on four RGBA pixels: the same integer sums through i16 dot
/// products (wasm), alpha kept.
#[inline(always)]
fn gray_block(v: crate::kernels::lut::V128) -> crate::kernels::lut::V128 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        let w = i16x8(4899, 9617, 1868, 0, 4899, 9617, 1868, 0);
        // Per pixel [r·4899 + g·9617, b·1868] in two lanes; adding the neighbour lane sums them.
        let sums = |half: v128| {
            let d = i32x4_dot_i16x8(half, w);
            i32x4_add(d, i32x4_shuffle::<1, 0, 3, 2>(d, d))
        };
        let (lo, hi) = (sums(u16x8_extend_low_u8x16(v)), sums(u16x8_extend_high_u8x16(v)));
        let y = u32x4_shr(i32x4_add(i32x4_shuffle::<0, 2, 4, 6>(lo, hi), u32x4_splat(1 << 13)), 14);
        return v128_or(i32x4_mul(y, u32x4_splat(0x0001_0101)), v128_and(v, u32x4_splat(0xff00_0000)));
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    v.map(gray_word)
}

/// [`to_gray`]'s weighted average on one RGBA pixel word.
#[inline(always)]
fn gray_word(w: u32) -> u32 {
    let (r, g, b) = (w & 255, (w >> 8) & 255, (w >> 16) & 255);
    let y = (r * 4899 + g * 9617 + b * 1868 + (1 << 13)) >> 14;
    y | y << 8 | y << 16 | (w & 0xff00_0000)
}

/// Reorders the colour channels: output channel `i` takes input channel `order[i]`.
pub fn permute_channels(img: &mut Image, order: &[usize; 3]) {
    if img.color_channels() < 3 {
        return;
    }
    let c = img.channels() as usize;
    if c == 4 && order.iter().all(|&o| o < 3) {
        // Word-wide, with shifts that are the same for every pixel (so it vectorises).
        let [s0, s1, s2] = order.map(|o| 8 * o as u32);
        for px in img.data_mut().as_chunks_mut::<4>().0 {
            let w = u32::from_le_bytes(*px);
            *px = ((w >> s0) & 255 | ((w >> s1) & 255) << 8 | ((w >> s2) & 255) << 16 | (w & 0xff00_0000)).to_le_bytes();
        }
        return;
    }
    for px in img.data_mut().chunks_exact_mut(c) {
        let old = [px[0], px[1], px[2]];
        for i in 0..3 {
            px[i] = old[order[i]];
        }
    }
}

/// Per-channel 256-bin histograms of the colour channels.
pub fn histograms(img: &Image) -> Vec<[u32; 256]> {
    let c = img.channels() as usize;
    let color = img.color_channels();
    let data = img.data();
    if c == 4 && color == 3 {
        // Two banks per channel, for even and odd pixels: runs of equal values (common in
        // photos) then add to two counters in turn instead of waiting on one.
        let mut banks = [[0u32; 256]; 6];
        let (pairs, rest) = data.as_chunks::<8>();
        for p in pairs {
            banks[0][p[0] as usize] += 1;
            banks[1][p[1] as usize] += 1;
            banks[2][p[2] as usize] += 1;
            banks[3][p[4] as usize] += 1;
            banks[4][p[5] as usize] += 1;
            banks[5][p[6] as usize] += 1;
        }
        for p in rest.chunks_exact(4) {
            for ch in 0..3 {
                banks[ch][p[ch] as usize] += 1;
            }
        }
        return (0..3).map(|ch| std::array::from_fn(|v| banks[ch][v] + banks[ch + 3][v])).collect();
    }
    let mut hists = vec![[0u32; 256]; color];
    for px in data.chunks_exact(c) {
        for ch in 0..color {
            hists[ch][px[ch] as usize] += 1;
        }
    }
    hists
}

/// OpenCV's `equalizeHist` table.
pub fn equalize_cv(hist: &[u32; 256]) -> [u8; 256] {
    let mut lut = [0u8; 256];
    let total: u32 = hist.iter().sum();
    let Some(first) = hist.iter().position(|&h| h > 0) else { return lut };
    if hist[first] == total {
        return [first as u8; 256];
    }
    let scale = 255.0f32 / (total - hist[first]) as f32;
    let mut sum = 0u32;
    for i in first + 1..256 {
        sum += hist[i];
        lut[i] = (sum as f32 * scale).round_ties_even().clamp(0.0, 255.0) as u8;
    }
    lut
}

/// PIL's `ImageOps.equalize` table as albumentations computes it (inclusive cumulative counts).
pub fn equalize_pil(hist: &[u32; 256]) -> [u8; 256] {
    let mut lut = [0u8; 256];
    for (i, v) in lut.iter_mut().enumerate() {
        *v = i as u8;
    }
    let nonzero: Vec<u32> = hist.iter().copied().filter(|&h| h > 0).collect();
    if nonzero.len() <= 1 {
        return lut;
    }
    let total: u32 = hist.iter().sum();
    let step = (total - nonzero[nonzero.len() - 1]) / 255;
    if step == 0 {
        return lut;
    }
    let mut n = 0u32;
    for i in 0..256 {
        n += hist[i];
        lut[i] = ((n + step / 2) / step).min(255) as u8;
    }
    lut
}

/// albumentations' `auto_contrast` table for one channel (cutoff in percent of pixels).
pub fn autocontrast(hist: &[u32; 256], cutoff: f64, cdf: bool) -> Option<[u8; 256]> {
    let total: f64 = hist.iter().map(|&h| h as f64).sum();
    let (lo, hi) = if cutoff == 0.0 {
        let first = hist.iter().position(|&h| h > 0)?;
        let last = hist.iter().rposition(|&h| h > 0)?;
        (first, last)
    } else if hist.iter().all(|&h| h == hist[0]) {
        let lo = (256.0 * cutoff / 100.0) as usize;
        (lo, 255usize.saturating_sub(lo))
    } else {
        let cut = total * cutoff / 100.0;
        let mut acc = 0.0;
        let mut lo = 0;
        for (i, &h) in hist.iter().enumerate() {
            acc += h as f64;
            if acc >= cut {
                lo = (i + 1).min(255);
                break;
            }
        }
        acc = 0.0;
        let mut hi = 255;
        for i in (0..256).rev() {
            acc += hist[i] as f64;
            if acc >= cut {
                hi = i;
                break;
            }
        }
        if lo > hi {
            (127, 127)
        } else {
            (lo, hi)
        }
    };
    if hi <= lo {
        return None;
    }
    let mut lut = [0u8; 256];
    if cdf {
        let mut acc = 0f64;
        let cdf: Vec<f64> = hist[lo..=hi].iter().map(|&h| {
            acc += h as f64;
            acc
        }).collect();
        let (first, last) = (cdf[0], cdf[cdf.len() - 1]);
        if last == 0.0 {
            return None;
        }
        for (i, &v) in cdf.iter().enumerate() {
            lut[lo + i] = libm::rint((v - first) * 255.0 / (last - first)).clamp(0.0, 255.0) as u8;
        }
    } else {
        let scale = 255.0 / (hi - lo) as f64;
        for i in lo..=hi {
            lut[i] = libm::rint((i - lo) as f64 * scale).clamp(0.0, 255.0) as u8;
        }
    }
    lut[hi + 1..].fill(255);
    Some(lut)
}

/// Runs natively and, through wasm-pack test, in node and Chromium (the SIMD blocks).
#[cfg(test)]
mod lane_tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// The lane HSV → RGB against the scalar one for every 8-bit HSV triple with a hue below
    /// 180 (all that `hsv_shift` produces), alpha kept.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[test]
    fn lane_hsv_to_rgb_equals_the_scalar_form_for_every_triple() {
        use core::arch::wasm32::*;
        for h in 0..180 {
            for s in 0..256 {
                for v in (0..256).step_by(4) {
                    let values = f32x4(v as f32, (v + 1) as f32, (v + 2) as f32, (v + 3) as f32);
                    let alpha = [0x11u8, 0x22, 0xee, 0xff];
                    let px = u32x4(0x1100_0000, 0x2200_0000, 0xee00_0000, 0xff00_0000);
                    // SAFETY: a v128 is 16 plain bytes, as is [u32; 4].
                    let got: [u32; 4] = unsafe { std::mem::transmute(hsv_simd::rgb4([f32x4_splat(h as f32), f32x4_splat(s as f32), values], px)) };
                    for (i, (&lane, a)) in got.iter().zip(alpha).enumerate() {
                        let [r, g, b] = hsv_to_rgb_f32(h as f32, s as f32, (v + i) as f32).map(|x| x as u8);
                        assert_eq!(lane, u32::from_le_bytes([r, g, b, a]), "h {h} s {s} v {}", v + i);
                    }
                }
            }
        }
    }

    /// The RGBA path of `hsv_shift` (in wasm four pixels per SIMD block, a last partial block
    /// padded) gives what the RGB path gives, on colours with every kind of tie between channels and
    /// shifts that wrap the hue and saturate saturation and value.
    #[test]
    fn rgba_hsv_shift_equals_the_rgb_path() {
        let mut rgb = Vec::new();
        for r in 0..=255u8 {
            for g in (0..=255u8).step_by(5) {
                for b in [0u8, 1, 64, 127, 128, 200, 254, 255, r, g] {
                    rgb.extend([r, g, b]);
                }
            }
        }
        rgb.extend([9, 9, 9, 7, 7, 7]); // a last partial block of pixels
        let pixels = rgb.len() / 3;
        assert_eq!((pixels % 22, pixels % 4), (0, 2));
        let rgba: Vec<u8> = rgb.chunks(3).enumerate().flat_map(|(i, p)| [p[0], p[1], p[2], i as u8]).collect();
        for (dh, ds, dv) in [(0.0, 0.0, 0.0), (15.0, -25.0, 10.0), (-20.0, 30.0, -30.0), (179.5, -255.0, 255.0), (-0.3, 0.7, -0.2), (90.0, 200.0, -200.0)] {
            let (w, h) = (pixels as u32 / 22, 22);
            let mut a = Image::new(w, h, 3, rgb.clone()).unwrap();
            let mut b = Image::new(w, h, 4, rgba.clone()).unwrap();
            hsv_shift(&mut a, dh, ds, dv);
            hsv_shift(&mut b, dh, ds, dv);
            for (i, (pa, pb)) in a.data().chunks(3).zip(b.data().chunks(4)).enumerate() {
                assert_eq!(pa, &pb[..3], "shift ({dh}, {ds}, {dv}), pixel {i}: {:?}", &rgb[3 * i..3 * i + 3]);
                assert_eq!(pb[3], i as u8, "alpha of pixel {i}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_count_every_colour_value_once() {
        // RGBA with an odd number of pixels (the banked pairs and the last pixel), RGB and gray.
        for (w, h, c) in [(7u32, 5u32, 4u8), (1, 1, 4), (6, 3, 3), (9, 2, 1)] {
            let data: Vec<u8> = (0..w * h * c as u32).map(|i| (i * 37 % 256) as u8 / if i % 3 == 0 { 1 } else { 4 }).collect();
            let img = Image::new(w, h, c, data.clone()).unwrap();
            let hists = histograms(&img);
            assert_eq!(hists.len(), img.color_channels());
            for (ch, hist) in hists.iter().enumerate() {
                let mut want = [0u32; 256];
                for px in data.chunks(c as usize) {
                    want[px[ch] as usize] += 1;
                }
                assert_eq!(hist, &want, "{w}x{h}x{c} channel {ch}");
            }
        }
    }

    #[test]
    fn lane_hsv_equals_the_reference_for_every_colour() {
        for rgb in 0..1u32 << 24 {
            let [r, g, b, _] = rgb.to_le_bytes();
            assert_eq!(rgb_to_hsv_f32(r as f32, g as f32, b as f32), rgb_to_hsv(r, g, b), "{r} {g} {b}");
        }
        for h in 0..180 {
            for s in 0..256 {
                for v in 0..256 {
                    let lane = hsv_to_rgb_f32(h as f32, s as f32, v as f32).map(|x| x as u8);
                    assert_eq!(lane, hsv_to_rgb(h, s, v), "{h} {s} {v}");
                }
            }
        }
    }

    /// Known answers from OpenCV 4 (`cv2.cvtColor` on 8-bit RGB; HSV → RGB on images large enough
    /// for its vector code, which truncates where its per-pixel tail rounds).
    #[test]
    fn hsv_matches_known_conversions() {
        let forward = [
            ([255, 0, 0], (0, 255, 255)),
            ([10, 200, 30], (63, 242, 200)),
            ([128, 128, 128], (0, 0, 128)),
            ([0, 0, 0], (0, 0, 0)),
            ([250, 240, 5], (29, 250, 250)),
            ([3, 2, 1], (15, 170, 3)),
            ([200, 100, 199], (150, 127, 200)),
            ([17, 255, 254], (90, 238, 255)),
            ([90, 91, 92], (105, 6, 92)),
            ([1, 0, 255], (120, 255, 255)),
            ([3, 3, 90], (120, 246, 90)),
            ([3, 3, 219], (120, 251, 219)),
        ];
        for ([r, g, b], want) in forward {
            assert_eq!(rgb_to_hsv(r, g, b), want, "{r} {g} {b}");
        }
        let inverse = [
            ((1, 90, 85), [85, 56, 55]),
            ((1, 102, 75), [75, 45, 44]),
            ((1, 170, 90), [90, 32, 29]),
            ((0, 0, 77), [77, 77, 77]),
            ((179, 255, 255), [255, 0, 8]),
            ((60, 128, 200), [99, 200, 99]),
            ((120, 255, 1), [0, 0, 1]),
            ((30, 1, 255), [255, 255, 254]),
            ((90, 200, 100), [21, 99, 100]),
            ((150, 37, 240), [240, 205, 240]),
            ((0, 1, 1), [1, 0, 0]),
            ((1, 150, 153), [153, 66, 63]),
        ];
        for ((h, s, v), want) in inverse {
            assert_eq!(hsv_to_rgb(h, s, v), want, "{h} {s} {v}");
        }
    }

    #[test]
    fn hsv_round_trip_is_close() {
        for (r, g, b) in [(255, 0, 0), (10, 200, 30), (128, 128, 128), (0, 0, 0), (250, 240, 5)] {
            let (h, s, v) = rgb_to_hsv(r, g, b);
            let back = hsv_to_rgb(h, s, v);
            for (a, b) in back.iter().zip([r, g, b]) {
                assert!((*a as i32 - b as i32).abs() <= 3, "{:?} -> {back:?}", (r, g, b));
            }
        }
    }

    #[test]
    fn hue_zero_and_full_turn_keep_colours() {
        let img = Image::new(3, 1, 3, vec![200, 30, 40, 10, 250, 90, 0, 0, 255]).unwrap();
        for shift in [0.0, 1.0] {
            let mut out = img.clone();
            hue(&mut out, shift);
            for (a, b) in out.data().iter().zip(img.data()) {
                assert!((*a as i32 - *b as i32).abs() <= 1, "{:?}", out.data());
            }
        }
    }

    #[test]
    fn equalize_cv_known_answer() {
        let mut hist = [0u32; 256];
        hist[10] = 2;
        hist[20] = 1;
        hist[30] = 1;
        let lut = equalize_cv(&hist);
        assert_eq!((lut[10], lut[20], lut[30]), (0, 128, 255));
    }
}
