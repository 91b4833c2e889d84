//! Per-value maps through 256-entry lookup tables.

use crate::image::Image;

/// A table mapping every u8 value to another.
pub type Lut = [u8; 256];

/// Maps every colour value of the image through `lut`; alpha stays as it is.
pub fn apply_to_color(img: &mut Image, lut: &Lut) {
    apply_per_channel(img, &[*lut; 3]);
}

/// 255 − v for every colour value (an exclusive or, which vectorises); alpha stays.
pub fn invert(img: &mut Image) {
    if img.channels() == 4 {
        // Whole pixels as words: the mask has 255 in the R, G and B bytes.
        let mask = u32::from_le_bytes([255, 255, 255, 0]);
        map_rgba(img, |v| xor_block(v, mask), |w| w ^ mask);
    } else {
        let lut: Lut = std::array::from_fn(|v| 255 - v as u8);
        apply_to_color(img, &lut);
    }
}

/// Maps every pixel of an RGBA image: `word` on each little-endian pixel word, or, in wasm,
/// `block` on 16 bytes (four pixels) at a time with `word` for the last pixels. `block` must
/// give what `word` gives, pixel for pixel. Reads a shared source without copying it first.
pub fn map_rgba(img: &mut Image, #[allow(unused_variables)] block: impl Fn(V128) -> V128, word: impl Fn(u32) -> u32) {
    debug_assert_eq!(img.channels(), 4);
    let run = |src: *const u8, dst: *mut u8, len: usize| {
        #[allow(unused_mut)]
        let mut done = 0;
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        {
            use core::arch::wasm32::*;
            // Four blocks per turn: the loop's own instructions (counter, bound, the engines'
            // interrupt check) are as many as a block's.
            while done + 64 <= len {
                // SAFETY: done + 64 ≤ len; each block is read before it is written.
                unsafe {
                    let v = [0, 16, 32, 48].map(|k| v128_load(src.add(done + k) as *const v128));
                    for (k, v) in [0, 16, 32, 48].into_iter().zip(v) {
                        v128_store(dst.add(done + k) as *mut v128, block(v));
                    }
                }
                done += 64;
            }
            while done + 16 <= len {
                // SAFETY: done + 16 ≤ len; each block is read before it is written.
                unsafe { v128_store(dst.add(done) as *mut v128, block(v128_load(src.add(done) as *const v128))) };
                done += 16;
            }
        }
        while done + 4 <= len {
            // SAFETY: done + 4 ≤ len; each word is read before it is written.
            unsafe {
                let w = (src.add(done) as *const u32).read_unaligned();
                (dst.add(done) as *mut u32).write_unaligned(word(u32::from_le(w)).to_le());
            }
            done += 4;
        }
    };
    // SAFETY: `run` writes every byte (RGBA lengths are multiples of 4) within len.
    unsafe { img.map_bytes_raw(run) };
}

/// `v ^ mask` on each of the four words of a block.
#[inline(always)]
pub fn xor_block(v: V128, mask: u32) -> V128 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    return core::arch::wasm32::v128_xor(v, core::arch::wasm32::u32x4_splat(mask));
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    v.map(|w| w ^ mask)
}

/// `(v & and) | or` on each of the four words of a block.
#[inline(always)]
pub fn and_or_block(v: V128, and: u32, or: u32) -> V128 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        return v128_or(v128_and(v, u32x4_splat(and)), u32x4_splat(or));
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    v.map(|w| (w & and) | or)
}

/// Solarize on a block: colour bytes at or above `t` become 255 − v (alpha kept).
#[inline(always)]
pub fn solarize_block(v: V128, t: u8) -> V128 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        let flip = v128_and(u8x16_ge(v, u8x16_splat(t)), u32x4_splat(0x00ff_ffff));
        return v128_xor(v, flip);
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    v.map(|w| solarize_word(w, t))
}

/// Solarize on one pixel word.
#[inline(always)]
fn solarize_word(w: u32, t: u8) -> u32 {
    let [r, g, b, a] = w.to_le_bytes();
    let f = |x: u8| if x >= t { 255 - x } else { x };
    u32::from_le_bytes([f(r), f(g), f(b), a])
}

/// Sixteen i32 lanes as bytes in order, each clamped to 0..=255 (two saturating narrows).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
pub(crate) fn saturated_bytes(words: [V128; 4]) -> V128 {
    use core::arch::wasm32::*;
    u8x16_narrow_i16x8(i16x8_narrow_i32x4(words[0], words[1]), i16x8_narrow_i32x4(words[2], words[3]))
}

/// A v128 where wasm has SIMD; elsewhere a placeholder the block functions are never called on.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub type V128 = core::arch::wasm32::v128;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub type V128 = [u32; 4];

/// Inverts every colour value at or above `threshold` (255 − v); alpha stays.
pub fn solarize(img: &mut Image, threshold: f64) {
    if img.channels() == 4 {
        // v ≥ threshold ⟺ v ≥ ceil(threshold) for whole v: compared in bytes.
        let t = threshold.ceil().clamp(0.0, 256.0) as u16;
        if t <= 255 {
            map_rgba(img, |v| solarize_block(v, t as u8), |w| solarize_word(w, t as u8));
        }
        return;
    }
    let lut: Lut = std::array::from_fn(|v| if v as f64 >= threshold { 255 - v as u8 } else { v as u8 });
    apply_to_color(img, &lut);
}

/// Keeps the top `bits` (1..=8) of every colour value; alpha stays.
pub fn posterize(img: &mut Image, bits: u32) {
    let keep = !((1u16 << (8 - bits.clamp(1, 8))) - 1) as u8;
    if img.channels() == 4 {
        // The low bits of R, G and B cleared in whole words.
        let mask = u32::from_le_bytes([keep, keep, keep, 255]);
        map_rgba(img, |v| and_or_block(v, mask, 0), |w| w & mask);
        return;
    }
    let lut: Lut = std::array::from_fn(|v| v as u8 & keep);
    apply_to_color(img, &lut);
}

thread_local! {
    /// Where the maps read their tables. In wasm (one thread) this is one fixed address, which
    /// the compiler folds into every lookup: a load per value instead of an add and a load.
    static TABLES: std::cell::RefCell<[Lut; 3]> = const { std::cell::RefCell::new([[0; 256]; 3]) };
}

/// Maps each colour channel through its own table (gray uses the first); alpha stays.
pub fn apply_per_channel(img: &mut Image, luts: &[Lut; 3]) {
    let channels = img.channels() as usize;
    let color = img.color_channels();
    TABLES.with_borrow_mut(|tables| {
        *tables = *luts;
        let [r, g, b] = &*tables;
        if channels == 4 && color == 3 {
            for px in img.data_mut().as_chunks_mut::<4>().0 {
                px[0] = r[px[0] as usize];
                px[1] = g[px[1] as usize];
                px[2] = b[px[2] as usize];
            }
            return;
        }
        for px in img.data_mut().chunks_exact_mut(channels) {
            for c in 0..color {
                px[c] = tables[c][px[c] as usize];
            }
        }
    })
}

/// A table adding `offset` with saturation.
pub fn add(offset: i32) -> Lut {
    let mut lut = [0u8; 256];
    for (v, out) in lut.iter_mut().enumerate() {
        *out = (v as i32 + offset).clamp(0, 255) as u8;
    }
    lut
}

/// `v * alpha + beta`, saturated to 0..=255 and truncated, in f32 as albumentations (albucore
/// `multiply_add`) computes it for uint8 images, so results match it exactly.
///
/// ```
/// let lut = augplay::kernels::lut::multiply_add(2.0, -10.0);
/// assert_eq!((lut[0], lut[10], lut[200]), (0, 10, 255));
/// ```
pub fn multiply_add(alpha: f32, beta: f32) -> Lut {
    let mut lut = [0u8; 256];
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        // Sixteen values per step, the same f32 operations (wasm rounds every one exactly, as
        // the scalar code does); truncation saturates and maps NaN to 0 as `as` does, and the
        // integer clamp then equals the float one.
        use core::arch::wasm32::*;
        let (a, b) = (f32x4_splat(alpha), f32x4_splat(beta));
        let step = |v0: f32| i32x4_trunc_sat_f32x4(f32x4_add(f32x4_mul(f32x4(v0, v0 + 1.0, v0 + 2.0, v0 + 3.0), a), b));
        for (i, out) in lut.as_chunks_mut::<16>().0.iter_mut().enumerate() {
            let v0 = (16 * i) as f32;
            // SAFETY: `out` is 16 bytes.
            unsafe { v128_store(out.as_mut_ptr() as *mut v128, saturated_bytes([step(v0), step(v0 + 4.0), step(v0 + 8.0), step(v0 + 12.0)])) };
        }
        return lut;
    }
    #[allow(unreachable_code)]
    for (v, out) in lut.iter_mut().enumerate() {
        let x = v as f32 * alpha + beta;
        // `as u8` saturates (and maps NaN to 0), which is the clip-then-truncate of the reference.
        *out = x.clamp(0.0, 255.0) as u8;
    }
    lut
}

/// The gamma table `t[v] = trunc(255 · (v / 255)^γ)` for γ > 0, through `exp(γ · ln(v / 255))`
/// with the 255 logarithms computed once: a power is a logarithm and an exponential, and the
/// logarithms do not depend on γ (256 `pow` calls cost more than mapping a 256² image). The
/// same table as `pow` (checked over 4000 values of γ in the test below).
pub fn gamma(gamma: f64) -> Lut {
    static LN: std::sync::OnceLock<[f64; 256]> = std::sync::OnceLock::new();
    let ln = LN.get_or_init(|| std::array::from_fn(|v| libm::log(v as f64 / 255.0)));
    // γ = 1 is the one γ whose powers land on whole values (pow gives v / 255 exactly, and
    // v / 255 · 255 truncates to v − 1 for some v), so it keeps its exact form.
    let power = |v: usize| if gamma == 1.0 { v as f64 / 255.0 } else { libm::exp(gamma * ln[v]) };
    std::array::from_fn(|v| (power(v) * 255.0).clamp(0.0, 255.0) as u8)
}

/// The mean of the colour values (alpha excluded).
pub fn mean_color(img: &Image) -> f64 {
    let channels = img.channels() as usize;
    let color = img.color_channels();
    let mut sum: u64 = 0;
    for px in img.data().chunks_exact(channels) {
        sum += px[..color].iter().map(|&v| v as u64).sum::<u64>();
    }
    let count = (img.data().len() / channels * color) as f64;
    sum as f64 / count
}

/// A clamped linear table `t[v] = trunc(clamp(v × alpha + beta, 0, 255))` in the fixed-point
/// form SIMD lanes compute sixteen values at a time:
/// `clamp(((round(v × a / 256) + b) >> s), −128, 127) + 128` with 16-bit `a`, `b` (a rounded
/// Q15 product of `v × 128` and `a`, a saturating add, an arithmetic shift, a signed saturating
/// narrow and a flip of the top bit; `b` carries the −128 · 2^s), then at most two single values
/// corrected (`v == value` adds `delta`: a compare and an add). The signed narrow because the
/// compiler emits the unsigned one with a clamp to 0..255 in front (two more instructions per
/// eight values), while the signed one it emits alone.
///
/// [`LinearForm::fit`] tries the factors `a` next to `alpha × 2^(8+s)`, for each the offsets
/// `b` the 256 table values allow, and keeps a form only if it reproduces the table on every
/// value: the fast path gives the table's bytes (and so the same bytes on every target). About
/// one table in eight (RandomBrightnessContrast's default range) has no offset that every value
/// allows (a value whose exact result lies within the rounding of the 16-bit product from a
/// whole number, on the side no offset reaches); setting aside the one or two values that hold
/// the tightest bounds, their results become corrections. Left for the table: about one table
/// in 3000 (as few for factors up to 3 and offsets up to ±255).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinearForm {
    a: i16,
    b: i16,
    s: u32,
    /// Values whose result the form misses by `delta` (`delta` 0: an unused slot).
    fixes: [(u8, i8); 2],
}

impl LinearForm {
    /// The form's value for `v` before corrections.
    fn raw(&self, v: u8) -> u8 {
        let y = ((v as i32) << 7) * self.a as i32;
        let y = (y + (1 << 14)) >> 15;
        let y = (y + self.b as i32).clamp(i16::MIN as i32, i16::MAX as i32);
        ((y >> self.s).clamp(-128, 127) + 128) as u8
    }

    /// The form's value for `v`.
    pub fn eval(&self, v: u8) -> u8 {
        let fix = self.fixes.iter().find(|f| f.0 == v && f.1 != 0).map_or(0, |f| f.1);
        self.raw(v).wrapping_add(fix as u8)
    }

    /// How many single values the form corrects (0, 1 or 2).
    pub fn corrections(&self) -> usize {
        self.fixes.iter().filter(|f| f.1 != 0).count()
    }

    /// A form equal to `lut` on every value, searched near `alpha`, `beta`; `None` if there is
    /// none there with at most two corrections (or the factors are out of the 16-bit ranges).
    pub fn fit(lut: &Lut, alpha: f32, beta: f32) -> Option<Self> {
        if !(alpha.is_finite() && beta.is_finite()) {
            return None;
        }
        // The finest scale whose factor and offset fit 16 bits.
        let s = (0..=7u32).rev().find(|&s| (alpha.abs() as f64) * (1u32 << (8 + s)) as f64 <= 32000.0 && (beta.abs() as f64 + 128.0) * (1u32 << s) as f64 <= 32000.0)?;
        let (a0, b0) = ((alpha as f64 * (1u32 << (8 + s)) as f64).round() as i32, (beta as f64 * (1u32 << s) as f64).round() as i32);
        // Exact forms first (every factor), then forms with one or two corrections.
        let factors = [0, -1, 1, -2, 2].map(|da| a0 + da).into_iter().filter(|a| (-32767..=32767).contains(a));
        factors.clone().find_map(|a| Self::fit_exact(lut, a, b0, s)).or_else(|| factors.clone().find_map(|a| Self::fit_factor(lut, a, b0, s)))
    }

    /// The form with factor `a` and scale `s` and the offset nearest `b0` that every value's
    /// interval of offsets allows (see [`Self::fit_factor`]): only the highest lower end and the
    /// lowest upper end matter. The check that follows, needed only where the 16-bit add can
    /// saturate (the intervals ignore that), may still correct one or two values.
    fn fit_exact(lut: &Lut, a: i32, b0: i32, s: u32) -> Option<Self> {
        let unit = 1i32 << s;
        // Without branches or an early exit, which lets LLVM run it four values per step.
        let (mut lo, mut hi) = (i16::MIN as i32, i16::MAX as i32);
        for (v, &t) in lut.iter().enumerate() {
            let r = ((((v as i32) << 7) * a) + (1 << 14)) >> 15;
            let t = t as i32;
            lo = lo.max(if t > 0 { t * unit - r } else { i16::MIN as i32 });
            hi = hi.min(if t < 255 { (t + 1) * unit - 1 - r } else { i16::MAX as i32 });
        }
        if lo > hi {
            return None;
        }
        let b = b0.clamp(lo, hi);
        // The product is monotone in v: when neither end saturates the 16-bit add, no value
        // does, and an offset in every interval makes the form exact (the intervals model the
        // rest, the narrow's clamp included), so the check can be skipped.
        let saturates = |v: i32| i16::try_from((((v << 7) * a + (1 << 14)) >> 15) + b - (128 << s)).is_err();
        if saturates(0) || saturates(255) {
            return Self::checked(lut, a, b, s);
        }
        let form = LinearForm { a: a as i16, b: (b - (128 << s)) as i16, s, fixes: [(0, 0); 2] };
        debug_assert!((0..=255u8).all(|v| form.raw(v) == lut[v as usize]));
        Some(form)
    }

    /// The form with offset `b` (before the −128 · 2^s it carries), its misses against `lut`
    /// made corrections; `None` past two misses or outside 16 bits.
    fn checked(lut: &Lut, a: i32, b: i32, s: u32) -> Option<Self> {
        let b = i16::try_from(b - (128 << s)).ok()?;
        let mut form = LinearForm { a: a as i16, b, s, fixes: [(0, 0); 2] };
        let mut misses = 0;
        for v in 0..=255u8 {
            let raw = form.raw(v);
            if raw != lut[v as usize] {
                *form.fixes.get_mut(misses)? = (v, lut[v as usize].wrapping_sub(raw) as i8);
                misses += 1;
            }
        }
        // Each miss is corrected by exactly its difference (wrapping both ways), and no other
        // value matches a correction: the form gives the table.
        debug_assert!((0..=255u8).all(|v| form.eval(v) == lut[v as usize]));
        Some(form)
    }

    /// The form with factor `a` and scale `s` and the offset nearest `b0` that reproduces `lut`
    /// but for one or two values.
    fn fit_factor(lut: &Lut, a: i32, b0: i32, s: u32) -> Option<Self> {
        let unit = 1i32 << s;
        // Each value allows the offsets `b` with `(round(v·a/256) + b) >> s` on the table's
        // value (below one unit for 0, from 255 units up for 255): an interval. Kept: the three
        // highest lower ends and the three lowest upper ends, with their values.
        let (mut lows, mut highs) = ([(i16::MIN as i32, 256usize); 3], [(i16::MAX as i32, 256usize); 3]);
        for (v, &t) in lut.iter().enumerate() {
            let r = ((((v as i32) << 7) * a) + (1 << 14)) >> 15;
            let t = t as i32;
            let lo = if t > 0 { t * unit - r } else { i16::MIN as i32 };
            let hi = if t < 255 { (t + 1) * unit - 1 - r } else { i16::MAX as i32 };
            if lo > lows[2].0 {
                lows[2] = (lo, v);
                lows.sort_unstable_by(|x, y| y.0.cmp(&x.0));
            }
            if hi < highs[2].0 {
                highs[2] = (hi, v);
                highs.sort_unstable_by(|x, y| x.0.cmp(&y.0));
            }
        }
        // The offset in all but the one or two intervals holding the extreme ends (their values
        // become corrections), fewest set aside first. (In every interval: `fit_exact`.)
        let set_aside: [&[usize]; 5] = [&[lows[0].1], &[highs[0].1], &[lows[0].1, highs[0].1], &[lows[0].1, lows[1].1], &[highs[0].1, highs[1].1]];
        set_aside.iter().find_map(|skip| {
            let lo = lows.iter().find(|l| !skip.contains(&l.1))?.0;
            let hi = highs.iter().find(|h| !skip.contains(&h.1))?.0;
            // The intervals ignore saturation at ±32768: `checked` covers it.
            if lo > hi { None } else { Self::checked(lut, a, b0.clamp(lo, hi), s) }
        })
    }
}

/// Maps the colour values of the image through `lut`, which must be [`multiply_add`]`(alpha,
/// beta)`: in [`LinearForm`] SIMD steps where one matches the table (same bytes), otherwise
/// through the table. Alpha stays.
pub fn apply_linear(img: &mut Image, lut: &Lut, alpha: f32, beta: f32) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if let Some(form) = LinearForm::fit(lut, alpha, beta) {
        let channels = img.channels() as usize;
        use core::arch::wasm32::*;
        // RGBA's alpha bytes (16 bytes are four whole pixels, so the pattern holds for every
        // block) go through the same arithmetic with factors that give them back unchanged:
        // v·2^s − 128·2^s, shifted by s, is v − 128, which the narrow and the flip below turn
        // into v. No select per block.
        let rgba = channels == 4;
        let lanes = |colour: i16, alpha: i16| std::hint::black_box(if rgba { i16x8(colour, colour, colour, alpha, colour, colour, colour, alpha) } else { i16x8_splat(colour) });
        // The factor in two bytes, a = 256·hi + lo (see `blocks`).
        let a = (lanes(form.a >> 8, 1 << form.s), lanes(form.a & 255, 0));
        let b = lanes(form.b, -(128 << form.s));
        // Corrections never touch alpha: their deltas are 0 there.
        let fix = form.fixes.map(|(v, d)| {
            let delta = std::hint::black_box(if rgba { i8x16(d, d, d, 0, d, d, d, 0, d, d, d, 0, d, d, d, 0) } else { i8x16_splat(d) });
            (u8x16_splat(std::hint::black_box(v)), delta)
        });
        // The shift as a constant (a variable one costs the engines several instructions);
        // `F`: whether the two corrections run.
        #[inline(always)]
        fn blocks<const S: u32, const F: bool>(src: *const u8, dst: *mut u8, len: usize, a: (v128, v128), b: v128, fix: [(v128, v128); 2]) -> usize {
            // The form's rounded product ((v << 7)·a + 2^14) >> 15 = ⌊(v·a + 128) / 256⌋ as
            // v·hi + ⌊(v·lo + 128) / 256⌋: two exact 16-bit products (v·lo + 128 ≤ 65153 as
            // u16, |v·hi| ≤ 32640), five instructions where the Q15 product and the shift
            // before it took six for the engines.
            let (hi, lo) = a;
            let half = u16x8_splat(128);
            let y = |x: v128| i16x8_shr(i16x8_add_sat(i16x8_add(i16x8_mul(x, hi), u16x8_shr(i16x8_add(i16x8_mul(x, lo), half), 8)), b), S);
            let flip = i8x16_splat(-128);
            // One block at `at`.
            // SAFETY (for callers): at + 16 ≤ len; the block is read before it is written.
            let block = |at: usize| unsafe {
                let w = v128_load(src.add(at) as *const v128);
                let mut out = v128_xor(i8x16_narrow_i16x8(y(u16x8_extend_low_u8x16(w)), y(u16x8_extend_high_u8x16(w))), flip);
                if F {
                    for (v, d) in fix {
                        out = i8x16_add(out, v128_and(i8x16_eq(w, v), d));
                    }
                }
                v128_store(dst.add(at) as *mut v128, out);
            };
            let mut done = 0;
            // Two blocks per turn: the loop's own instructions (counter, bound, the engines'
            // interrupt check) are a fifth of a block's.
            while done + 32 <= len {
                block(done);
                block(done + 16);
                done += 32;
            }
            if done + 16 <= len {
                block(done);
                done += 16;
            }
            done
        }
        #[inline(always)]
        fn by_shift<const F: bool>(s: u32, src: *const u8, dst: *mut u8, len: usize, a: (v128, v128), b: v128, fix: [(v128, v128); 2]) -> usize {
            match s {
                7 => blocks::<7, F>(src, dst, len, a, b, fix),
                6 => blocks::<6, F>(src, dst, len, a, b, fix),
                5 => blocks::<5, F>(src, dst, len, a, b, fix),
                4 => blocks::<4, F>(src, dst, len, a, b, fix),
                3 => blocks::<3, F>(src, dst, len, a, b, fix),
                2 => blocks::<2, F>(src, dst, len, a, b, fix),
                1 => blocks::<1, F>(src, dst, len, a, b, fix),
                _ => blocks::<0, F>(src, dst, len, a, b, fix),
            }
        }
        let run = |src: *const u8, dst: *mut u8, len: usize| {
            let done = if form.corrections() == 0 { by_shift::<false>(form.s, src, dst, len, a, b, fix) } else { by_shift::<true>(form.s, src, dst, len, a, b, fix) };
            for i in done..len {
                // SAFETY: i < len.
                unsafe {
                    let v = *src.add(i);
                    *dst.add(i) = if rgba && i % 4 == 3 { v } else { lut[v as usize] };
                }
            }
        };
        // SAFETY: `run` writes every byte within len.
        unsafe { img.map_bytes_raw(run) };
        return;
    }
    // Without wasm SIMD: the table, which gives the same bytes.
    let _ = (alpha, beta);
    apply_to_color(img, lut);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gamma_table_is_the_power_table() {
        for i in 0..4000 {
            let g = 0.01 * 1.0017f64.powi(i);
            let want: Lut = std::array::from_fn(|v| (libm::pow(v as f64 / 255.0, g) * 255.0).clamp(0.0, 255.0) as u8);
            assert_eq!(gamma(g), want, "gamma {g}");
        }
        for g in [0.5, 0.7, 0.8, 1.0, 1.2, 1.4, 2.0, 3.0, 10.0] {
            let want: Lut = std::array::from_fn(|v| (libm::pow(v as f64 / 255.0, g) * 255.0).clamp(0.0, 255.0) as u8);
            assert_eq!(gamma(g), want, "gamma {g}");
        }
    }

    #[test]
    fn identity_table_changes_nothing_and_alpha_is_kept() {
        let mut lut = [0u8; 256];
        for (i, v) in lut.iter_mut().enumerate() {
            *v = i as u8;
        }
        let mut img = Image::new(2, 1, 4, vec![1, 2, 3, 4, 5, 6, 7, 8]).unwrap();
        apply_to_color(&mut img, &lut);
        assert_eq!(img.data(), &[1, 2, 3, 4, 5, 6, 7, 8]);
        apply_to_color(&mut img, &[9u8; 256]);
        assert_eq!(img.data(), &[9, 9, 9, 4, 9, 9, 9, 8]);
    }

    #[test]
    fn multiply_add_truncates_like_the_reference() {
        let lut = multiply_add(1.1, 0.0);
        assert_eq!(lut[10], 11); // 11.000001 -> 11
        assert_eq!(lut[9], 9); // 9.900001 -> 9 (truncated, not rounded)
        assert_eq!(multiply_add(f32::NAN, 0.0)[5], 0);
    }

    #[test]
    fn mean_ignores_alpha() {
        let img = Image::new(1, 1, 4, vec![10, 20, 30, 255]).unwrap();
        assert_eq!(mean_color(&img), 20.0);
    }
}
