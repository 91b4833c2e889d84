//! Fused colour adjustments: a sequence of per-pixel colour operations (brightness, contrast or
//! any multiply-add, saturation, hue rotation) applied in one pass over the pixels, four at a
//! time in f32 lanes, with the value truncated to a whole number after every operation as
//! torchvision does for uint8 images.
//!
//! The maths is written once over [`F32x4`]: SIMD128 vectors in wasm, four-element arrays
//! natively (which LLVM turns into SSE). Every operation used (add, sub, mul, floor, trunc,
//! abs, comparisons) is exactly rounded IEEE arithmetic, so both give the same bytes.
//!
//! Brightness, multiply-add and saturation are torchvision's f32 formulas, value for value.
//! The hue rotation walks the HSV hexagon's perimeter in units of the pixel's range (max − min),
//! so it needs no division at all: it equals torchvision's
//! `adjust_hue` for almost every value and differs by at most 1 where torchvision's longer
//! float chain rounds the other way (the tests measure both).

use super::jitter_fixed;
use crate::image::Image;

/// One colour operation of a fused pass. Alpha is never touched.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ColorOp {
    /// `trunc(clamp(v × alpha + beta, 0, 255))` per colour value: brightness (beta = 0),
    /// contrast (beta = mean × (1 − factor)), albumentations' brightness/contrast.
    MulAdd { alpha: f32, beta: f32 },
    /// Blend with the pixel's floored torchvision gray: `trunc(clamp(v × f + gray × (1 − f)))`.
    Saturation(f32),
    /// Rotate the hue by this many turns (−0.5..=0.5).
    Hue(f32),
}

/// Four f32 lanes: the operations the fused pass needs, each exactly rounded.
trait F32x4: Copy {
    fn splat(x: f32) -> Self;
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    /// `if o < self { o } else { self }` per lane.
    fn min(self, o: Self) -> Self;
    /// `if self < o { o } else { self }` per lane.
    fn max(self, o: Self) -> Self;
    fn floor(self) -> Self;
    fn trunc(self) -> Self;
    fn abs(self) -> Self;
    /// `if a < b { v } else { 0 }` per lane.
    fn lt_or_zero(a: Self, b: Self, v: Self) -> Self;
    /// `if a >= b { v } else { 0 }` per lane.
    fn ge_or_zero(a: Self, b: Self, v: Self) -> Self;
    /// `if a == b { then } else { other }` per lane.
    fn select_eq(a: Self, b: Self, then: Self, other: Self) -> Self;
    /// Sum of the four lanes (exact for the whole numbers it is used on).
    fn sum(self) -> f32;
    /// R, G and B of four RGBA pixels.
    fn load(px: &[u8; 16]) -> [Self; 3];
    /// Writes R, G and B (whole numbers in 0..=255) back; alpha stays.
    fn store(px: &mut [u8; 16], c: [Self; 3]);
}

#[cfg(target_arch = "wasm32")]
mod simd {
    use core::arch::wasm32::*;

    #[derive(Clone, Copy)]
    pub struct V(pub v128);

    impl super::F32x4 for V {
        #[inline(always)]
        fn splat(x: f32) -> Self {
            V(f32x4_splat(x))
        }
        #[inline(always)]
        fn add(self, o: Self) -> Self {
            V(f32x4_add(self.0, o.0))
        }
        #[inline(always)]
        fn sub(self, o: Self) -> Self {
            V(f32x4_sub(self.0, o.0))
        }
        #[inline(always)]
        fn mul(self, o: Self) -> Self {
            V(f32x4_mul(self.0, o.0))
        }
        #[inline(always)]
        fn min(self, o: Self) -> Self {
            V(f32x4_pmin(self.0, o.0))
        }
        #[inline(always)]
        fn max(self, o: Self) -> Self {
            V(f32x4_pmax(self.0, o.0))
        }
        #[inline(always)]
        fn floor(self) -> Self {
            V(f32x4_floor(self.0))
        }
        #[inline(always)]
        fn trunc(self) -> Self {
            V(f32x4_trunc(self.0))
        }
        #[inline(always)]
        fn abs(self) -> Self {
            V(f32x4_abs(self.0))
        }
        #[inline(always)]
        fn lt_or_zero(a: Self, b: Self, v: Self) -> Self {
            V(v128_and(f32x4_lt(a.0, b.0), v.0))
        }
        #[inline(always)]
        fn ge_or_zero(a: Self, b: Self, v: Self) -> Self {
            V(v128_and(f32x4_ge(a.0, b.0), v.0))
        }
        #[inline(always)]
        fn select_eq(a: Self, b: Self, then: Self, other: Self) -> Self {
            V(v128_bitselect(then.0, other.0, f32x4_eq(a.0, b.0)))
        }
        #[inline(always)]
        fn sum(self) -> f32 {
            let v = self.0;
            (f32x4_extract_lane::<0>(v) + f32x4_extract_lane::<1>(v)) + (f32x4_extract_lane::<2>(v) + f32x4_extract_lane::<3>(v))
        }
        #[inline(always)]
        fn load(px: &[u8; 16]) -> [Self; 3] {
            // SAFETY: `px` is 16 readable bytes; v128 loads need no alignment.
            let w = unsafe { v128_load(px.as_ptr() as *const v128) };
            let byte = u32x4_splat(255);
            let f = |x: v128| V(f32x4_convert_i32x4(v128_and(x, byte)));
            [f(w), f(u32x4_shr(w, 8)), f(u32x4_shr(w, 16))]
        }
        #[inline(always)]
        fn store(px: &mut [u8; 16], c: [Self; 3]) {
            // SAFETY: as in `load`; the store writes exactly the 16 bytes of `px`.
            // The values are whole numbers in 0..=255, so v + 2^23 is an f32 whose bits are
            // 0x4b0000vv: the shifts drop the 0x4b and only red needs a mask (far fewer
            // instructions than a saturating float-to-int conversion).
            let magic = f32x4_splat(8_388_608.0);
            let [r, g, b] = c.map(|v| f32x4_add(v.0, magic));
            unsafe {
                let alpha = v128_and(v128_load(px.as_ptr() as *const v128), u32x4_splat(0xff00_0000));
                let r = v128_and(r, u32x4_splat(0xff));
                let w = v128_or(v128_or(r, i32x4_shl(g, 8)), v128_or(i32x4_shl(b, 16), alpha));
                v128_store(px.as_mut_ptr() as *mut v128, w);
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
type Lanes = simd::V;

#[cfg(not(target_arch = "wasm32"))]
type Lanes = Array;

/// The portable lanes: four-element arrays, element by element.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
#[derive(Clone, Copy)]
struct Array([f32; 4]);

impl Array {
    #[inline(always)]
    fn zip(self, o: Self, f: impl Fn(f32, f32) -> f32) -> Self {
        Array(std::array::from_fn(|i| f(self.0[i], o.0[i])))
    }
    #[inline(always)]
    fn map(self, f: impl Fn(f32) -> f32) -> Self {
        Array(self.0.map(f))
    }
}

impl F32x4 for Array {
    #[inline(always)]
    fn splat(x: f32) -> Self {
        Array([x; 4])
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        self.zip(o, |a, b| a + b)
    }
    #[inline(always)]
    fn sub(self, o: Self) -> Self {
        self.zip(o, |a, b| a - b)
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        self.zip(o, |a, b| a * b)
    }
    #[inline(always)]
    fn min(self, o: Self) -> Self {
        self.zip(o, |a, b| if b < a { b } else { a })
    }
    #[inline(always)]
    fn max(self, o: Self) -> Self {
        self.zip(o, |a, b| if a < b { b } else { a })
    }
    #[inline(always)]
    fn floor(self) -> Self {
        self.map(f32::floor)
    }
    #[inline(always)]
    fn trunc(self) -> Self {
        self.map(f32::trunc)
    }
    #[inline(always)]
    fn abs(self) -> Self {
        self.map(f32::abs)
    }
    #[inline(always)]
    fn lt_or_zero(a: Self, b: Self, v: Self) -> Self {
        Array(std::array::from_fn(|i| if a.0[i] < b.0[i] { v.0[i] } else { 0.0 }))
    }
    #[inline(always)]
    fn ge_or_zero(a: Self, b: Self, v: Self) -> Self {
        Array(std::array::from_fn(|i| if a.0[i] >= b.0[i] { v.0[i] } else { 0.0 }))
    }
    #[inline(always)]
    fn select_eq(a: Self, b: Self, then: Self, other: Self) -> Self {
        Array(std::array::from_fn(|i| if a.0[i] == b.0[i] { then.0[i] } else { other.0[i] }))
    }
    #[inline(always)]
    fn sum(self) -> f32 {
        (self.0[0] + self.0[1]) + (self.0[2] + self.0[3])
    }
    #[inline(always)]
    fn load(px: &[u8; 16]) -> [Self; 3] {
        std::array::from_fn(|c| Array(std::array::from_fn(|i| px[4 * i + c] as f32)))
    }
    #[inline(always)]
    fn store(px: &mut [u8; 16], c: [Self; 3]) {
        for (ch, v) in c.iter().enumerate() {
            for i in 0..4 {
                px[4 * i + ch] = v.0[i] as u8;
            }
        }
    }
}

/// Every constant the pass uses, splatted once per pass. (Written inline, wasm SIMD constants
/// are rebuilt in every loop iteration by the engine; held in locals they stay in registers.)
#[derive(Clone, Copy)]
struct Consts<V> {
    zero: V,
    max: V,
    hue_out: V,
    gray: [V; 3],
}

impl<V: F32x4> Consts<V> {
    fn new() -> Self {
        // `black_box` keeps the values opaque, so the compiler leaves them in locals.
        let s = |x: f32| V::splat(std::hint::black_box(x));
        Consts {
            zero: s(0.0),
            max: s(255.0),
            hue_out: s(HUE_OUT),
            gray: [s(0.2989), s(0.587), s(0.114)],
        }
    }
}

/// A [`ColorOp`] with its parameters splatted.
#[derive(Clone, Copy)]
enum LaneOp<V> {
    MulAdd(V, V),
    Saturation(V, V),
    Hue(V),
}

impl<V: F32x4> LaneOp<V> {
    fn new(op: ColorOp) -> Self {
        let s = |x: f32| V::splat(std::hint::black_box(x));
        match op {
            ColorOp::MulAdd { alpha, beta } => LaneOp::MulAdd(s(alpha), s(beta)),
            ColorOp::Saturation(f) => LaneOp::Saturation(s(f), s(1.0 - f)),
            ColorOp::Hue(shift) => LaneOp::Hue(s(shift * 6.0)),
        }
    }
}

/// `trunc(clamp(x, 0, 255))`: torchvision's clamp followed by the conversion to uint8.
#[inline(always)]
fn to_byte<V: F32x4>(x: V, k: &Consts<V>) -> V {
    x.max(k.zero).min(k.max).trunc()
}

/// torchvision's uint8 gray, floored: `0.2989 r + 0.587 g + 0.114 b` in f32.
#[inline(always)]
fn gray<V: F32x4>([r, g, b]: [V; 3], k: &Consts<V>) -> V {
    r.mul(k.gray[0]).add(g.mul(k.gray[1])).add(b.mul(k.gray[2])).floor()
}

/// Output of the hue rotation: torchvision converts its 0..1 result with `× (255 + 1 − 1e-3)`
/// and truncation; in 0..255 units that is this factor.
const HUE_OUT: f32 = (255.0 + 1.0 - 1e-3) / 255.0;

#[inline(always)]
fn hue<V: F32x4>([r, g, b]: [V; 3], shift6: V, k: &Consts<V>) -> [V; 3] {
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let range = max.sub(min);
    // Position on the hexagon's perimeter in units of the range (six sides of length range;
    // no division): the max channel decides the side in torchvision's priority (red, then
    // green, then blue). Gray pixels (range 0) stay gray.
    let r2 = range.add(range);
    let (r3, r4) = (r2.add(range), r2.add(r2));
    let r6 = r4.add(r2);
    let p = V::select_eq(max, r, g.sub(b), V::select_eq(max, g, r2.add(b.sub(r)), r4.add(r.sub(g))));
    let p = p.add(shift6.mul(range));
    // In −4·range..8·range: wrapped into 0..6·range.
    let p = p.add(V::lt_or_zero(p, k.zero, r6));
    let p = p.sub(V::ge_or_zero(p, r6, r6));
    // Per channel the distance from min in 0..range: red |p − 3r| − r, green 2r − |p − 2r|,
    // blue 2r − |p − 4r|, each clamped to 0..range.
    let clamp = |x: V| x.max(k.zero).min(range);
    let rise = [clamp(p.sub(r3).abs().sub(range)), clamp(r2.sub(p.sub(r2).abs())), clamp(r2.sub(p.sub(r4).abs()))];
    rise.map(|d| min.add(d).mul(k.hue_out).trunc())
}

#[inline(always)]
fn apply_ops<V: F32x4>(mut c: [V; 3], ops: &[LaneOp<V>], k: &Consts<V>) -> [V; 3] {
    for op in ops {
        c = match *op {
            LaneOp::MulAdd(alpha, beta) => c.map(|v| to_byte(v.mul(alpha).add(beta), k)),
            LaneOp::Saturation(f, rest) => {
                let g = gray(c, k).mul(rest);
                c.map(|v| to_byte(v.mul(f).add(g), k))
            }
            LaneOp::Hue(shift6) => hue(c, shift6, k),
        };
    }
    c
}

/// Pixels per exact f32 partial sum of grays: 1024 per lane × 255 < 2^24.
const SUM_BLOCK: usize = 4096;

/// Applies `ops` in order to every RGB(A) pixel; returns the sum of the floored torchvision gray
/// values of the result when `sum_gray` is set (0 otherwise). Images with fewer than three
/// colour channels are left alone (the callers handle gray images).
fn pass(img: &mut Image, ops: &[ColorOp], sum_gray: bool) -> u64 {
    if img.color_channels() < 3 || (ops.is_empty() && !sum_gray) {
        return 0;
    }
    let write = !ops.is_empty();
    let k = Consts::<Lanes>::new();
    let mut lane_ops = [LaneOp::Hue(k.zero); 8];
    if ops.len() > lane_ops.len() {
        let (first, rest) = ops.split_at(lane_ops.len());
        return pass(img, first, false) + pass(img, rest, sum_gray);
    }
    for (l, op) in lane_ops.iter_mut().zip(ops) {
        *l = LaneOp::new(*op);
    }
    let lane_ops = &lane_ops[..ops.len()];
    let mut total = 0u64;
    for_rgba_steps::<16, Lanes>(
        img,
        SUM_BLOCK / 4,
        || Lanes::splat(0.0),
        |px, acc| {
            let c = apply_ops(Lanes::load(px), lane_ops, &k);
            if sum_gray {
                *acc = acc.add(gray(c, &k));
            }
            if write {
                Lanes::store(px, c);
            }
        },
        |acc| total += acc.sum() as u64,
    );
    total
}

/// Walks the RGB(A) pixels of `img` in steps of `B / 4` pixels, each handed to `step` as an
/// RGBA block of `B` bytes (RGB pixels through a temporary block; the last partial step padded
/// with black, gray 0). Steps group into runs of at most `run` steps with an accumulator each,
/// from `start()` and handed to `end`, so callers keep partial sums exact.
pub(super) fn for_rgba_steps<const B: usize, A>(img: &mut Image, run: usize, start: impl Fn() -> A, mut step: impl FnMut(&mut [u8; B], &mut A), mut end: impl FnMut(A)) {
    for_rgba_runs::<B>(img, run, |steps| {
        let mut acc = start();
        for px in steps {
            step(px, &mut acc);
        }
        end(acc);
    });
}

/// Hands the RGB(A) pixels of `img` to `f` in runs of at most `run` steps of `B / 4` pixels,
/// each step an RGBA block of `B` bytes: RGBA images in place, RGB ones widened into
/// temporary blocks (alpha 0) and narrowed back after `f`; a last partial step is padded with
/// black (gray 0) and handed over alone.
pub(super) fn for_rgba_runs<const B: usize>(img: &mut Image, run: usize, mut f: impl FnMut(&mut [[u8; B]])) {
    let channels = img.channels() as usize;
    let data = img.data_mut();
    if channels == 4 {
        for block in data.chunks_mut(run * B) {
            let (steps, rest) = block.as_chunks_mut::<B>();
            if !steps.is_empty() {
                f(steps);
            }
            if !rest.is_empty() {
                let mut tmp = [[0u8; B]];
                tmp[0][..rest.len()].copy_from_slice(rest);
                f(&mut tmp);
                rest.copy_from_slice(&tmp[0][..rest.len()]);
            }
        }
    } else {
        let rgb_step = B / 4 * 3;
        let mut tmp = vec![[0u8; B]; run];
        for block in data.chunks_mut(run * rgb_step) {
            let steps = block.len().div_ceil(rgb_step);
            for (t, rgb) in tmp.iter_mut().zip(block.chunks(rgb_step)) {
                *t = [0; B];
                // Whole three-byte pixels (fixed-length copies, not calls into a copy routine).
                for (i, px) in rgb.as_chunks::<3>().0.iter().enumerate() {
                    t[4 * i..4 * i + 3].copy_from_slice(px);
                }
            }
            f(&mut tmp[..steps]);
            for (t, rgb) in tmp.iter().zip(block.chunks_mut(rgb_step)) {
                for (i, px) in rgb.as_chunks_mut::<3>().0.iter_mut().enumerate() {
                    px.copy_from_slice(&t[4 * i..4 * i + 3]);
                }
            }
        }
    }
}

/// Applies the operations in order in one pass over RGB(A) pixels (gray images: untouched).
/// Lists whose factors all fit 16-bit fixed point take [`jitter_fixed`]'s eight-pixel steps.
pub fn apply(img: &mut Image, ops: &[ColorOp]) {
    if ops.iter().all(jitter_fixed::fits) {
        jitter_fixed::pass(img, ops, false);
    } else {
        pass(img, ops, false);
    }
}

/// Applies `before`, then torchvision's `adjust_contrast` with `factor` (blend with the mean of
/// the floored gray image as it is at that point), then `after`: two passes over the pixels,
/// the first of which also sums the grays.
pub fn apply_around_contrast(img: &mut Image, before: &[ColorOp], factor: f32, after: &[ColorOp]) {
    // Contrast's offset is mean × (1 − factor), within ±255 for factors in 0..2.
    let fixed = before.iter().chain(after).all(jitter_fixed::fits) && jitter_fixed::fits(&ColorOp::MulAdd { alpha: factor, beta: 0.0 });
    around_contrast(img, before, factor, after, fixed);
}

fn around_contrast(img: &mut Image, before: &[ColorOp], factor: f32, after: &[ColorOp], fixed: bool) {
    let n = (img.width() * img.height()) as f64;
    let run = |img: &mut Image, ops: &[ColorOp], sum: bool| if fixed { jitter_fixed::pass(img, ops, sum) } else { pass(img, ops, sum) };
    let mean = (run(img, before, true) as f64 / n) as f32;
    let contrast = ColorOp::MulAdd { alpha: factor, beta: mean * (1.0 - factor) };
    // No allocation per call for the short lists ColorJitter makes.
    let mut buf = [contrast; 8];
    if after.len() < buf.len() {
        buf[1..=after.len()].copy_from_slice(after);
        run(img, &buf[..=after.len()], false);
    } else {
        run(img, &[contrast], false);
        run(img, after, false);
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

    #[test]
    fn the_f32_form_equals_torchvision_exactly_for_brightness_saturation_and_contrast() {
        let img = all_colours();
        for f in [0.0f32, 0.37, 0.8, 1.23, 3.0] {
            let (mut fused, mut exact) = (img.clone(), img.clone());
            pass(&mut fused, &[ColorOp::MulAdd { alpha: f, beta: 0.0 }, ColorOp::Saturation(f)], false);
            color::brightness(&mut exact, f);
            color::saturation(&mut exact, f);
            assert!(fused == exact, "brightness then saturation {f}");
            let (mut fused, mut exact) = (img.clone(), img.clone());
            around_contrast(&mut fused, &[ColorOp::Saturation(1.1)], f, &[ColorOp::MulAdd { alpha: 0.9, beta: 0.0 }], false);
            color::saturation(&mut exact, 1.1);
            color::contrast(&mut exact, f);
            color::brightness(&mut exact, 0.9);
            assert!(fused == exact, "saturation, contrast {f}, brightness");
        }
    }

    #[test]
    fn the_f32_form_is_torchvision_within_one_level_for_hue() {
        let img = all_colours();
        for shift in [-0.5f32, -0.31, -0.1, 0.01, 0.25, 1.0 / 3.0, 0.49] {
            let (mut fused, mut exact) = (img.clone(), img.clone());
            pass(&mut fused, &[ColorOp::Hue(shift)], false);
            color::hue(&mut exact, shift);
            let mut differ = 0usize;
            for (a, b) in fused.data().iter().zip(exact.data()) {
                let d = (*a as i32 - *b as i32).abs();
                assert!(d <= 1, "shift {shift}: {a} vs {b}");
                differ += (d != 0) as usize;
            }
            // Alpha is untouched (it is part of the comparison above and never differs).
            let rate = differ as f64 / (3 << 24) as f64;
            assert!(rate < 1e-3, "shift {shift}: {rate} of the values differ by one");
            eprintln!("shift {shift}: {differ} values differ by one ({:.2e})", rate);
        }
    }

    #[test]
    fn gray_images_and_empty_lists_stay() {
        let mut gray = Image::new(3, 2, 1, vec![1, 2, 3, 4, 5, 6]).unwrap();
        apply(&mut gray, &[ColorOp::Hue(0.3), ColorOp::MulAdd { alpha: 2.0, beta: 1.0 }]);
        assert_eq!(gray.data(), &[1, 2, 3, 4, 5, 6]);
        let mut rgb = Image::new(5, 1, 3, (0..15).map(|v| v * 17).collect()).unwrap();
        let before = rgb.clone();
        apply(&mut rgb, &[]);
        assert!(rgb == before);
    }

    #[test]
    fn rgb_and_rgba_layouts_give_the_same_colours() {
        // Odd sizes exercise the padded last step in both layouts and both forms.
        let rgba = Image::new(7, 3, 4, (0..84u32).map(|i| (i * 37 % 256) as u8).collect()).unwrap();
        let rgb = Image::new(7, 3, 3, rgba.data().chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect()).unwrap();
        let ops = [ColorOp::Hue(0.2), ColorOp::Saturation(1.7)];
        for fixed in [false, true] {
            let (mut a, mut b) = (rgba.clone(), rgb.clone());
            around_contrast(&mut a, &ops, 1.4, &[ColorOp::MulAdd { alpha: 0.7, beta: 9.0 }], fixed);
            around_contrast(&mut b, &ops, 1.4, &[ColorOp::MulAdd { alpha: 0.7, beta: 9.0 }], fixed);
            for (pa, pb) in a.data().chunks(4).zip(b.data().chunks(3)) {
                assert_eq!(&pa[..3], pb, "fixed point: {fixed}");
            }
            for (pa, po) in a.data().chunks(4).zip(rgba.data().chunks(4)) {
                assert_eq!(pa[3], po[3], "alpha changed (fixed point: {fixed})");
            }
        }
    }
}
