//! The fused colour pass of [`super::jitter`] in 16-bit fixed point: eight pixels per step in
//! i16 lanes, twice the pixels per instruction of the f32 form.
//!
//! Between operations values are whole levels (0..=255), as torchvision truncates to uint8
//! after each one. Inside an operation products are computed in 1/64 levels: factors are Q14
//! (so this form takes multiply factors in `0..2` and offsets within ±255, which covers every
//! factor ColorJitter draws with parameters up to 1), applied as two exact 16-bit products of
//! their high and low bytes and rounded to 1/64. The hue rotation runs in 1/16 level units,
//! where six times the largest range still fits in 16 bits, with one rounded Q15 product.
//!
//! The quantised factors and the rounded products are the only difference from the f32
//! formulas: a value lands one level away from torchvision's where its exact result lies
//! within about 1/128 of a level of a whole number (the tests measure how often, over every
//! 24-bit colour). Every operation is an exact integer operation on both targets, so wasm and
//! native give the same bytes.

use super::jitter::ColorOp;
use crate::image::Image;

/// torchvision's gray factors.
const GRAY: [f32; 3] = [0.2989, 0.587, 0.114];

/// Whether [`apply`] can run `op` (its factors fit the fixed-point ranges).
pub fn fits(op: &ColorOp) -> bool {
    match *op {
        ColorOp::MulAdd { alpha, beta } => (0.0..1.999).contains(&alpha) && (-255.0..=255.0).contains(&beta),
        ColorOp::Saturation(f) => (0.0..1.999).contains(&f),
        ColorOp::Hue(shift) => (-0.5..=0.5).contains(&shift),
    }
}

/// Eight i16 lanes: the integer operations of the pass.
trait I16x8: Copy {
    fn splat(x: i16) -> Self;
    /// Wrapping add / subtract / multiply (low 16 bits).
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn add_sat(self, o: Self) -> Self;
    /// `(a × b + 2^14) >> 15`, saturated: a rounded Q15 product.
    fn q15(self, o: Self) -> Self;
    fn min(self, o: Self) -> Self;
    fn max(self, o: Self) -> Self;
    /// The smaller as unsigned 16-bit values.
    fn min_u(self, o: Self) -> Self;
    fn abs(self) -> Self;
    fn shl(self, n: u32) -> Self;
    /// Arithmetic shift right.
    fn shr(self, n: u32) -> Self;
    /// Logical shift right.
    fn shr_u(self, n: u32) -> Self;
    /// `if a == b { then } else { other }` per lane.
    fn select_eq(a: Self, b: Self, then: Self, other: Self) -> Self;
    /// An exact running sum of torchvision's f32 gray, floored, over pixels (see `add_gray`).
    type GraySum: Copy;
    fn gray_sum() -> Self::GraySum;
    /// Adds the floored gray of eight pixels (R, G, B whole levels 0..=255) computed as
    /// torchvision does, `0.2989 r + 0.587 g + 0.114 b` in f32: the contrast mean is exact.
    fn add_gray(sum: &mut Self::GraySum, c: [Self; 3]);
    /// The total, exact while each lane has taken at most 2^16 values.
    fn total(sum: Self::GraySum) -> u64;
    /// R, G and B (0..=255) of eight RGBA pixels, and their alpha values in a form `store`
    /// takes back.
    fn load(px: &[u8; 32]) -> ([Self; 3], Self);
    /// Writes R, G and B (each in 0..=255) and the alpha from `load`.
    fn store(px: &mut [u8; 32], c: [Self; 3], alpha: Self);
}

#[cfg(target_arch = "wasm32")]
mod simd {
    use core::arch::wasm32::*;

    #[derive(Clone, Copy)]
    pub struct V(pub v128);

    impl super::I16x8 for V {
        #[inline(always)]
        fn splat(x: i16) -> Self {
            V(i16x8_splat(x))
        }
        #[inline(always)]
        fn add(self, o: Self) -> Self {
            V(i16x8_add(self.0, o.0))
        }
        #[inline(always)]
        fn sub(self, o: Self) -> Self {
            V(i16x8_sub(self.0, o.0))
        }
        #[inline(always)]
        fn mul(self, o: Self) -> Self {
            V(i16x8_mul(self.0, o.0))
        }
        #[inline(always)]
        fn add_sat(self, o: Self) -> Self {
            V(i16x8_add_sat(self.0, o.0))
        }
        #[inline(always)]
        fn q15(self, o: Self) -> Self {
            V(i16x8_q15mulr_sat(self.0, o.0))
        }
        #[inline(always)]
        fn min(self, o: Self) -> Self {
            V(i16x8_min(self.0, o.0))
        }
        #[inline(always)]
        fn max(self, o: Self) -> Self {
            V(i16x8_max(self.0, o.0))
        }
        #[inline(always)]
        fn min_u(self, o: Self) -> Self {
            V(u16x8_min(self.0, o.0))
        }
        #[inline(always)]
        fn abs(self) -> Self {
            V(i16x8_abs(self.0))
        }
        #[inline(always)]
        fn shl(self, n: u32) -> Self {
            V(i16x8_shl(self.0, n))
        }
        #[inline(always)]
        fn shr(self, n: u32) -> Self {
            V(i16x8_shr(self.0, n))
        }
        #[inline(always)]
        fn shr_u(self, n: u32) -> Self {
            V(u16x8_shr(self.0, n))
        }
        #[inline(always)]
        fn select_eq(a: Self, b: Self, then: Self, other: Self) -> Self {
            V(v128_bitselect(then.0, other.0, i16x8_eq(a.0, b.0)))
        }
        type GraySum = [v128; 4];
        #[inline(always)]
        fn gray_sum() -> [v128; 4] {
            let s = |x: f32| f32x4_splat(std::hint::black_box(x));
            [s(0.0), s(0.2989), s(0.587), s(0.114)]
        }
        #[inline(always)]
        fn add_gray(sum: &mut [v128; 4], [r, g, b]: [Self; 3]) {
            let [acc, kr, kg, kb] = *sum;
            let lo = |v: Self| f32x4_convert_i32x4(i32x4_extend_low_i16x8(v.0));
            let hi = |v: Self| f32x4_convert_i32x4(i32x4_extend_high_i16x8(v.0));
            let gray = |r: v128, g: v128, b: v128| f32x4_floor(f32x4_add(f32x4_add(f32x4_mul(r, kr), f32x4_mul(g, kg)), f32x4_mul(b, kb)));
            let both = f32x4_add(gray(lo(r), lo(g), lo(b)), gray(hi(r), hi(g), hi(b)));
            sum[0] = f32x4_add(acc, both);
        }
        #[inline(always)]
        fn total(sum: [v128; 4]) -> u64 {
            let s = sum[0];
            let lanes = [f32x4_extract_lane::<0>(s), f32x4_extract_lane::<1>(s), f32x4_extract_lane::<2>(s), f32x4_extract_lane::<3>(s)];
            lanes.iter().map(|&v| v as u64).sum()
        }
        #[inline(always)]
        fn load(px: &[u8; 32]) -> ([Self; 3], Self) {
            // SAFETY: `px` is 32 readable bytes; v128 loads need no alignment.
            let (w0, w1) = unsafe { (v128_load(px.as_ptr() as *const v128), v128_load(px.as_ptr().add(16) as *const v128)) };
            // Read as u16 lanes a pixel is two lanes, r | g << 8 and b | a << 8: packing the low
            // bytes gives r b r b …, the high bytes g a g a … (plain shifts, masks and packs:
            // byte shuffles cost far more in the engines).
            let low = u16x8_splat(0xff);
            let rb = u8x16_narrow_i16x8(v128_and(w0, low), v128_and(w1, low));
            let ga = u8x16_narrow_i16x8(u16x8_shr(w0, 8), u16x8_shr(w1, 8));
            ([V(v128_and(rb, low)), V(v128_and(ga, low)), V(u16x8_shr(rb, 8))], V(v128_andnot(ga, low)))
        }
        #[inline(always)]
        fn store(px: &mut [u8; 32], [r, g, b]: [Self; 3], alpha: Self) {
            let rb = v128_or(r.0, i16x8_shl(b.0, 8));
            let ga = v128_or(g.0, alpha.0);
            // SAFETY: as in `load`; the stores write exactly the 32 bytes of `px`.
            unsafe {
                let p = px.as_mut_ptr() as *mut v128;
                v128_store(p, i8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(rb, ga));
                v128_store(p.add(1), i8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(rb, ga));
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
type Lanes = simd::V;

#[cfg(not(target_arch = "wasm32"))]
type Lanes = Array;

/// The portable lanes: eight-element arrays, element by element.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
#[derive(Clone, Copy)]
struct Array([i16; 8]);

impl Array {
    #[inline(always)]
    fn zip(self, o: Self, f: impl Fn(i16, i16) -> i16) -> Self {
        Array(std::array::from_fn(|i| f(self.0[i], o.0[i])))
    }
}

impl I16x8 for Array {
    #[inline(always)]
    fn splat(x: i16) -> Self {
        Array([x; 8])
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        self.zip(o, i16::wrapping_add)
    }
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        self.zip(o, i16::wrapping_sub)
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        self.zip(o, i16::wrapping_mul)
    }
    #[inline(always)]
    fn add_sat(self, o: Self) -> Self {
        self.zip(o, i16::saturating_add)
    }
    #[inline(always)]
    fn q15(self, o: Self) -> Self {
        self.zip(o, |a, b| ((a as i32 * b as i32 + (1 << 14)) >> 15).clamp(i16::MIN as i32, i16::MAX as i32) as i16)
    }
    #[inline(always)]
    fn min(self, o: Self) -> Self {
        self.zip(o, i16::min)
    }
    #[inline(always)]
    fn max(self, o: Self) -> Self {
        self.zip(o, i16::max)
    }
    #[inline(always)]
    fn min_u(self, o: Self) -> Self {
        self.zip(o, |a, b| (a as u16).min(b as u16) as i16)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        Array(self.0.map(i16::wrapping_abs))
    }
    #[inline(always)]
    fn shl(self, n: u32) -> Self {
        Array(self.0.map(|a| a << n))
    }
    #[inline(always)]
    fn shr(self, n: u32) -> Self {
        Array(self.0.map(|a| a >> n))
    }
    #[inline(always)]
    fn shr_u(self, n: u32) -> Self {
        Array(self.0.map(|a| ((a as u16) >> n) as i16))
    }
    #[inline(always)]
    fn select_eq(a: Self, b: Self, then: Self, other: Self) -> Self {
        Array(std::array::from_fn(|i| if a.0[i] == b.0[i] { then.0[i] } else { other.0[i] }))
    }
    type GraySum = [f32; 4];
    fn gray_sum() -> [f32; 4] {
        [0.0; 4]
    }
    #[inline(always)]
    fn add_gray(sum: &mut [f32; 4], [r, g, b]: [Self; 3]) {
        // Lane i % 4 takes pixels i and i + 4, as the SIMD form's two halves do.
        let gray = |i: usize| (r.0[i] as f32 * 0.2989 + g.0[i] as f32 * 0.587 + b.0[i] as f32 * 0.114).floor();
        for (l, s) in sum.iter_mut().enumerate() {
            *s += gray(l) + gray(l + 4);
        }
    }
    fn total(sum: [f32; 4]) -> u64 {
        sum.iter().map(|&v| v as u64).sum()
    }
    #[inline(always)]
    fn load(px: &[u8; 32]) -> ([Self; 3], Self) {
        (std::array::from_fn(|c| Array(std::array::from_fn(|i| px[4 * i + c] as i16))), Array(std::array::from_fn(|i| px[4 * i + 3] as i16)))
    }
    #[inline(always)]
    fn store(px: &mut [u8; 32], c: [Self; 3], alpha: Self) {
        for (ch, v) in c.iter().chain([&alpha]).enumerate() {
            for i in 0..8 {
                px[4 * i + ch] = v.0[i] as u8;
            }
        }
    }
}

/// Every constant the pass uses, splatted once per pass (held in locals, wasm SIMD constants
/// stay in registers instead of being rebuilt per step).
#[derive(Clone, Copy)]
struct Consts<V> {
    zero: V,
    top: V,
    gray: [Factor<V>; 3],
}

impl<V: I16x8> Consts<V> {
    fn new() -> Self {
        let s = |x: i16| V::splat(std::hint::black_box(x));
        Consts { zero: s(0), top: s(255), gray: GRAY.map(Factor::new) }
    }
}

/// A factor in 0..2 as Q14, split into its high and low bytes: `v × f` in 1/64 levels is then
/// `v·hi + ((v·lo + 128) >> 8)`, two exact 16-bit products (at most 255 × 127 and 255 × 255),
/// rounded to the nearest 1/64.
/// (A rounded Q15 product would do it in one operation, but the engines add three more to
/// saturate its single overflow case.)
#[derive(Clone, Copy)]
struct Factor<V> {
    hi: V,
    lo: V,
    half: V,
}

impl<V: I16x8> Factor<V> {
    /// The factor in Q14.
    fn quantised(f: f32) -> i32 {
        (f * 16384.0).round().clamp(0.0, 32767.0) as i32
    }

    /// What [`Factor::times`] gives for `v`, in scalar.
    fn times_scalar(f: f32, v: i32) -> i32 {
        let q = Self::quantised(f);
        v * (q >> 8) + ((v * (q & 255) + 128) >> 8)
    }

    fn new(f: f32) -> Self {
        let q = Self::quantised(f);
        let s = |x: i32| V::splat(std::hint::black_box(x as i16));
        Factor { hi: s(q >> 8), lo: s(q & 255), half: s(128) }
    }

    /// `v × f × 64`, rounded, for whole levels `v` (0..=255): at most 32640.
    #[inline(always)]
    fn times(&self, v: V) -> V {
        v.mul(self.hi).add(v.mul(self.lo).add(self.half).shr_u(8))
    }
}

/// A [`ColorOp`] with its parameters in fixed point and splatted.
#[derive(Clone, Copy)]
enum LaneOp<V> {
    /// The factor, and the offset in 1/64 levels.
    MulAdd(Factor<V>, V),
    /// A factor without offset (brightness): its products are never negative, so the clamp
    /// below 0 and the add go.
    Scale(Factor<V>),
    /// A multiply-add whose every result lies in 0..=255 (a factor of at most 1 with an offset
    /// that keeps 255 within range, as contrast toward a mean with factors up to 1): no clamps.
    Inside(Factor<V>, V),
    /// Brightness with a factor of at most 1: no clamps.
    ScaleInside(Factor<V>),
    Saturation(Factor<V>),
    /// Saturation with a factor of at most 1: the result lies between the value and its gray
    /// (each rounded product within half a 1/64 level), so no clamps.
    SaturationInside(Factor<V>),
    /// The shift in sixths of a turn, split into a whole part and a Q15 fraction.
    Hue(V, V),
}

impl<V: I16x8> LaneOp<V> {
    fn new(op: ColorOp) -> Self {
        let s = |x: i16| V::splat(std::hint::black_box(x));
        match op {
            ColorOp::MulAdd { alpha, beta } => {
                let beta = (beta * 64.0).round() as i32;
                // `times` is monotone: its largest result is at 255.
                match (beta, beta >= 0 && Factor::<V>::times_scalar(alpha, 255) + beta < 256 * 64) {
                    (0, true) => LaneOp::ScaleInside(Factor::new(alpha)),
                    (0, false) => LaneOp::Scale(Factor::new(alpha)),
                    (_, true) => LaneOp::Inside(Factor::new(alpha), s(beta as i16)),
                    (_, false) => LaneOp::MulAdd(Factor::new(alpha), s(beta as i16)),
                }
            }
            ColorOp::Saturation(f) if Factor::<V>::quantised(f) <= 1 << 14 => LaneOp::SaturationInside(Factor::new(f)),
            ColorOp::Saturation(f) => LaneOp::Saturation(Factor::new(f)),
            ColorOp::Hue(shift) => {
                // In −3..=3 sixths: whole part −3..=2, fraction 0..1 (at most 32767/32768).
                let sixths = shift * 6.0;
                let whole = sixths.floor();
                let frac = ((sixths - whole) * 32768.0).round().min(32767.0);
                LaneOp::Hue(s(whole as i16), s(frac as i16))
            }
        }
    }
}

/// A value in 1/64 levels truncated to a whole level and clamped to 0..=255.
#[inline(always)]
fn settle<V: I16x8>(x: V, k: &Consts<V>) -> V {
    x.shr(6).max(k.zero).min(k.top)
}

/// torchvision's uint8 gray (`0.2989 r + 0.587 g + 0.114 b`, floored), in whole levels.
#[inline(always)]
fn gray<V: I16x8>([r, g, b]: [V; 3], k: &Consts<V>) -> V {
    k.gray[0].times(r).add(k.gray[1].times(g)).add(k.gray[2].times(b)).shr(6)
}

/// The hue rotation of [`super::jitter`], in 1/16 level units.
#[inline(always)]
fn hue<V: I16x8>(c: [V; 3], whole: V, frac: V, k: &Consts<V>) -> [V; 3] {
    let [r, g, b] = c.map(|v| v.shl(4));
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let range = max.sub(min);
    let r2 = range.add(range);
    let (r3, r4) = (r2.add(range), r2.add(r2));
    let r6 = r4.add(r2);
    let p = V::select_eq(max, r, g.sub(b), V::select_eq(max, g, r2.add(b.sub(r)), r4.add(r.sub(g))));
    let p = p.add(range.mul(whole)).add(range.q15(frac));
    // Back into 0..6·range: p lies in −4·range..=8·range (range at most 4080), so of p and
    // p ± 6·range as u16 the one inside is the smallest (the others lie above it or wrap to
    // 2^16 − 10·range and up).
    let p = p.min_u(p.add(r6).min_u(p.sub(r6)));
    let clamp = |x: V| x.max(k.zero).min(range);
    let rise = [clamp(p.sub(r3).abs().sub(range)), clamp(r2.sub(p.sub(r2).abs())), clamp(r2.sub(p.sub(r4).abs()))];
    // torchvision scales its 0..1 result by 255.999 before truncating: × (1 + 1/255.26…),
    // here `x + ⌊x/256⌋` (exact but for one unit at 28 of the 4081 values), then truncated.
    rise.map(|d| {
        let x = min.add(d);
        x.add(x.shr(8)).shr(4)
    })
}

/// Steps per partial gray sum: each f32 lane then adds at most 256 whole values of at most
/// 255, exactly.
const SUM_STEPS: usize = 128;

/// Applies `ops` (each [`fits`]) in order to every RGB(A) pixel; returns the sum of the
/// floored gray values of the result when `sum_gray` is set (0 otherwise). Images with fewer
/// than three colour channels are left alone.
pub fn pass(img: &mut Image, ops: &[ColorOp], sum_gray: bool) -> u64 {
    if img.color_channels() < 3 || (ops.is_empty() && !sum_gray) {
        return 0;
    }
    debug_assert!(ops.iter().all(fits));
    let k = Consts::<Lanes>::new();
    let mut lane_ops = [LaneOp::Hue(k.zero, k.zero); 8];
    if ops.len() > lane_ops.len() {
        let (first, rest) = ops.split_at(lane_ops.len());
        return pass(img, first, false) + pass(img, rest, sum_gray);
    }
    for (l, op) in lane_ops.iter_mut().zip(ops) {
        *l = LaneOp::new(*op);
    }
    let lane_ops = &lane_ops[..ops.len()];
    let mut total = 0u64;
    // Each run of steps goes through every operation in its own loop (its constants stay in
    // registers; one loop over the operations per step kept reloading and spilling them): the
    // first operation reads the pixels, the last writes them (and sums the grays), the lanes in
    // between are held in `lanes`.
    let mut lanes = [([k.zero; 3], k.zero); SUM_STEPS];
    super::jitter::for_rgba_runs::<32>(img, SUM_STEPS, |steps| {
        let lanes = &mut lanes[..steps.len()];
        let mut acc = Lanes::gray_sum();
        let sum = sum_gray.then_some(&mut acc);
        match lane_ops {
            // Without operations the pass only sums (it returned early otherwise).
            [] => {
                if let Some(acc) = sum {
                    steps.iter().for_each(|px| Lanes::add_gray(acc, Lanes::load(px).0));
                }
            }
            [op] => apply_op(steps, lanes, op, &k, Reach::Pixels, sum),
            [first, middle @ .., last] => {
                apply_op(steps, lanes, first, &k, Reach::Into, None);
                for op in middle {
                    apply_op(steps, lanes, op, &k, Reach::Lanes, None);
                }
                apply_op(steps, lanes, last, &k, Reach::Out, sum);
            }
        }
        if sum_gray {
            total += Lanes::total(acc);
        }
    });
    total
}

/// What an operation's loop reads and writes.
#[derive(Clone, Copy)]
enum Reach {
    /// The pixels, in place (the only operation).
    Pixels,
    /// From the pixels into the lanes (the first of several).
    Into,
    /// The lanes, in place.
    Lanes,
    /// From the lanes into the pixels (the last of several).
    Out,
}

/// One operation over every step of a run; the last one (`Pixels` or `Out`) adds the grays of
/// its results to `sum` when given.
#[inline(always)]
fn apply_op<V: I16x8>(steps: &mut [[u8; 32]], lanes: &mut [([V; 3], V)], op: &LaneOp<V>, k: &Consts<V>, reach: Reach, sum: Option<&mut V::GraySum>) {
    match *op {
        LaneOp::MulAdd(f, beta) => each_step(steps, lanes, reach, sum, |c| c.map(|v| settle(f.times(v).add_sat(beta), k))),
        // `settle` without the lower clamp: `times` is at least 0 for factors of at least 0.
        LaneOp::Scale(f) => each_step(steps, lanes, reach, sum, |c| c.map(|v| f.times(v).shr(6).min(k.top))),
        LaneOp::Inside(f, beta) => each_step(steps, lanes, reach, sum, |c| c.map(|v| f.times(v).add(beta).shr(6))),
        LaneOp::ScaleInside(f) => each_step(steps, lanes, reach, sum, |c| c.map(|v| f.times(v).shr(6))),
        LaneOp::Saturation(f) => each_step(steps, lanes, reach, sum, |c| {
            // v·f + g·(1 − f) as v·f − g·f + g, each product rounded in 1/64 levels.
            let g = gray(c, k);
            let (gf, g64) = (f.times(g), g.shl(6));
            c.map(|v| settle(f.times(v).sub(gf).add_sat(g64), k))
        }),
        LaneOp::SaturationInside(f) => each_step(steps, lanes, reach, sum, |c| {
            // As above; here 64·g + (v·f) − (g·f) lies in 0..=255·64 + 1 (0 when g = 0 since
            // v·f ≥ 0, else 64·g·(1 − f) − ½ ≥ −½ below; at most 64·(g·(1 − f) + v·f) + 1 above).
            let g = gray(c, k);
            let (gf, g64) = (f.times(g), g.shl(6));
            c.map(|v| f.times(v).sub(gf).add(g64).shr(6))
        }),
        LaneOp::Hue(whole, frac) => each_step(steps, lanes, reach, sum, |c| hue(c, whole, frac, k)),
    }
}

/// Runs `f` on the colour lanes of every step, from and to where `reach` says, each way its
/// own loop.
#[inline(always)]
fn each_step<V: I16x8>(steps: &mut [[u8; 32]], lanes: &mut [([V; 3], V)], reach: Reach, sum: Option<&mut V::GraySum>, f: impl Fn([V; 3]) -> [V; 3]) {
    match (reach, sum) {
        (Reach::Pixels, None) => steps.iter_mut().for_each(|px| {
            let (c, alpha) = V::load(px);
            V::store(px, f(c), alpha);
        }),
        (Reach::Pixels, Some(acc)) => steps.iter_mut().for_each(|px| {
            let (c, alpha) = V::load(px);
            let c = f(c);
            V::add_gray(acc, c);
            V::store(px, c, alpha);
        }),
        (Reach::Into, _) => lanes.iter_mut().zip(steps.iter()).for_each(|(l, px)| {
            let (c, alpha) = V::load(px);
            *l = (f(c), alpha);
        }),
        (Reach::Lanes, _) => lanes.iter_mut().for_each(|(c, _)| *c = f(*c)),
        (Reach::Out, None) => lanes.iter().zip(steps.iter_mut()).for_each(|((c, alpha), px)| V::store(px, f(*c), *alpha)),
        (Reach::Out, Some(acc)) => lanes.iter().zip(steps.iter_mut()).for_each(|((c, alpha), px)| {
            let c = f(*c);
            V::add_gray(acc, c);
            V::store(px, c, *alpha);
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::color;

    /// Every 24-bit colour once, as an RGBA image (alpha = the blue value's complement).
    fn all_colours() -> Image {
        let data = (0..1u32 << 24).flat_map(|c| {
            let [r, g, b, _] = c.to_le_bytes();
            [r, g, b, !b]
        });
        Image::new(4096, 4096, 4, data.collect()).unwrap()
    }

    /// Asserts every value within one level of `exact` (alpha equal) and returns the share of
    /// colour values that differ.
    fn compare(fixed: &Image, exact: &Image, what: &str) -> f64 {
        let mut differ = 0usize;
        for (a, b) in fixed.data().as_chunks::<4>().0.iter().zip(exact.data().as_chunks::<4>().0) {
            assert_eq!(a[3], b[3], "{what}: alpha changed");
            for c in 0..3 {
                let d = (a[c] as i32 - b[c] as i32).abs();
                assert!(d <= 1, "{what}: {a:?} vs {b:?}");
                differ += (d != 0) as usize;
            }
        }
        let rate = differ as f64 / (3 << 24) as f64;
        eprintln!("{what}: {rate:.2e} of the values differ by one");
        rate
    }

    #[test]
    fn every_operation_is_torchvision_within_one_level_on_every_colour() {
        let img = all_colours();
        for f in [0.0f32, 0.37, 0.8, 1.0, 1.23, 1.9] {
            let (mut fixed, mut exact) = (img.clone(), img.clone());
            pass(&mut fixed, &[ColorOp::MulAdd { alpha: f, beta: 0.0 }], false);
            color::brightness(&mut exact, f);
            assert!(compare(&fixed, &exact, &format!("brightness {f}")) < 0.02);
            let (mut fixed, mut exact) = (img.clone(), img.clone());
            pass(&mut fixed, &[ColorOp::Saturation(f)], false);
            color::saturation(&mut exact, f);
            assert!(compare(&fixed, &exact, &format!("saturation {f}")) < 0.03);
            let (mut fixed, mut exact) = (img.clone(), img.clone());
            super::super::jitter::apply_around_contrast(&mut fixed, &[], f, &[]);
            color::contrast(&mut exact, f);
            assert!(compare(&fixed, &exact, &format!("contrast {f}")) < 0.02);
        }
        for shift in [-0.5f32, -0.31, -0.1, 0.01, 0.25, 1.0 / 3.0, 0.49, 0.5] {
            let (mut fixed, mut exact) = (img.clone(), img.clone());
            pass(&mut fixed, &[ColorOp::Hue(shift)], false);
            color::hue(&mut exact, shift);
            assert!(compare(&fixed, &exact, &format!("hue {shift}")) < 0.01);
        }
    }

    #[test]
    fn identity_factors_change_nothing() {
        let img = all_colours();
        let mut out = img.clone();
        pass(&mut out, &[ColorOp::MulAdd { alpha: 1.0, beta: 0.0 }, ColorOp::Saturation(1.0), ColorOp::Hue(0.0)], false);
        assert!(out == img);
    }

    #[test]
    fn the_gray_sum_is_torchvisions() {
        let img = all_colours();
        let mut copy = img.clone();
        let sum = pass(&mut copy, &[], true) as i64;
        let exact: i64 = img.data().as_chunks::<4>().0.iter().map(|p| (p[0] as f32 * 0.2989 + p[1] as f32 * 0.587 + p[2] as f32 * 0.114).floor() as i64).sum();
        assert_eq!(sum, exact);
        assert!(copy == img, "summing alone wrote pixels");
    }

    #[test]
    fn ranges_outside_fixed_point_are_refused() {
        assert!(fits(&ColorOp::MulAdd { alpha: 1.5, beta: -100.0 }));
        assert!(!fits(&ColorOp::MulAdd { alpha: 2.5, beta: 0.0 }));
        assert!(!fits(&ColorOp::MulAdd { alpha: 1.0, beta: 300.0 }));
        assert!(!fits(&ColorOp::Saturation(-0.1)));
        assert!(!fits(&ColorOp::MulAdd { alpha: f32::NAN, beta: 0.0 }));
    }
}
