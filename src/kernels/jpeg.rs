//! JPEG's lossy stages without its lossless ones.
//!
//! Encoding a JPEG and decoding it again changes pixels only in the colour conversions, the
//! discrete cosine transforms and the quantisation; the Huffman coding in between gives back
//! exactly what it was given. [`round_trip`] therefore computes what the `image` crate's baseline
//! encoder (4:4:4, libjpeg's quality scaling and integer forward DCT, its rounding of each
//! coefficient) followed by its decoder (an integer inverse DCT and fixed-point YCbCr → RGB)
//! produce, byte for byte, without writing or parsing a bit stream: the same integer arithmetic
//! in the same order, four blocks at a time, one block in each 32-bit lane. A test holds it to the
//! codec's own bytes (`codec::jpeg_round_trip`) on photos and on random images at every quality.
//!
//! The forward DCT follows the Independent JPEG Group's `jfdctint` (this software is based in
//! part on the work of the Independent JPEG Group), as the encoder does; the inverse DCT is the
//! decoder's. The decoder also has shortcuts for blocks whose coefficients all lie in the first
//! 1 or 10 zig-zag positions; in integer arithmetic those give exactly what the full transform
//! gives (the terms they leave out are products with zero), so the full transform is used for
//! every block.

use lanes::V;

/// The example tables of the JPEG standard (Annex K), natural order, at quality 50.
const LUMA: [u8; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, //
    12, 12, 14, 19, 26, 58, 60, 55, //
    14, 13, 16, 24, 40, 57, 69, 56, //
    14, 17, 22, 29, 51, 87, 80, 62, //
    18, 22, 37, 56, 68, 109, 103, 77, //
    24, 35, 55, 64, 81, 104, 113, 92, //
    49, 64, 78, 87, 103, 121, 120, 101, //
    72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA: [u8; 64] = [
    17, 18, 24, 47, 99, 99, 99, 99, //
    18, 21, 26, 66, 99, 99, 99, 99, //
    24, 26, 56, 99, 99, 99, 99, 99, //
    47, 66, 99, 99, 99, 99, 99, 99, //
    99, 99, 99, 99, 99, 99, 99, 99, //
    99, 99, 99, 99, 99, 99, 99, 99, //
    99, 99, 99, 99, 99, 99, 99, 99, //
    99, 99, 99, 99, 99, 99, 99, 99,
];

/// The luma and chroma quantisation tables at `quality` (clamped to 1–100) by libjpeg's scaling
/// (quality 50 is the standard's table, 100 all ones), natural order.
pub fn quant_tables(quality: u8) -> [[u8; 64]; 2] {
    let quality = u32::from(quality.clamp(1, 100));
    let scale = if quality < 50 { 5000 / quality } else { 200 - quality * 2 };
    [LUMA, CHROMA].map(|t| t.map(|v| ((u32::from(v) * scale + 50) / 100).clamp(1, 255) as u8))
}

/// Shift of the reciprocals in [`Quantizer`]: with 21 bits, `(n · m) >> 21` is `n / (2q)` for every
/// n the quantiser meets (coefficients of 8-bit samples stay within ±1100, so n ≤ 2455) and every
/// q in 1–255, and `n · m` stays below 2^32; tests check both.
const RECIP_BITS: u32 = 21;

/// Quantisation and dequantisation of one table, per position: `q` and the reciprocal of `2q`.
struct Quantizer {
    q: [V; 64],
    m: [V; 64],
}

impl Quantizer {
    fn new(table: &[u8; 64]) -> Quantizer {
        Quantizer {
            q: table.map(|q| V::splat(i32::from(q))),
            m: table.map(|q| V::splat(reciprocal(q) as i32)),
        }
    }

    /// What the decoder multiplies back: `q · round(a / q)` for `a = trunc(c / 8)`, rounded half
    /// away from zero, where the encoder takes the forward DCT's output `c` (scaled by 8), divides
    /// by 8 in integers and rounds the f32 quotient `a / q`. (Away from .5 exactly, an f32 quotient
    /// of |a| ≤ 1100 by q ≤ 255 is at least 1/510 from .5, far more than its rounding error, so it
    /// rounds as the exact fraction does.)
    #[inline(always)]
    fn requantize(&self, i: usize, c: V) -> V {
        let q = self.q[i];
        // |a| = trunc(|c| / 8); round(|a| / q) = floor((2|a| + q) / 2q).
        let n = c.abs().sra(3).shl(1) + q;
        let d = (n * self.m[i]).srl(RECIP_BITS) * q;
        // The sign of `c` (that of `a`, or `a` is 0 and so is `d`).
        let s = c.sra(31);
        d.xor(s) - s
    }
}

/// `m` with `(n · m) >> RECIP_BITS == n / (2q)` for the quantiser's `n` (see [`RECIP_BITS`]).
fn reciprocal(q: u8) -> u32 {
    (1u32 << RECIP_BITS).div_ceil(2 * u32::from(q))
}

/// Replaces the colour of `data` (`width` × `height` pixels of `channels` = 1, 3 or 4 bytes; the
/// 4th is alpha and stays) by what a baseline JPEG at `quality` (1–100) decodes to.
///
/// # Panics
/// If `data` is not `width · height · channels` bytes or `channels` is not 1, 3 or 4.
pub fn round_trip(data: &mut [u8], width: usize, height: usize, channels: usize, quality: u8) {
    assert!(matches!(channels, 1 | 3 | 4), "JPEG round trip of {channels} channels");
    assert_eq!(data.len(), width * height * channels, "JPEG round trip: buffer size");
    if data.is_empty() {
        return;
    }
    let [luma, chroma] = quant_tables(quality);
    let (luma, chroma) = (Quantizer::new(&luma), Quantizer::new(&chroma));
    let mut img = Pixels { data, width, height, channels };
    let blocks_x = width.div_ceil(8);
    let mut planes = [[V::splat(0); 64]; 3];
    let planes_used = if channels == 1 { 1 } else { 3 };
    for by in 0..height.div_ceil(8) {
        for bx in (0..blocks_x).step_by(4) {
            let group = Group { x: bx * 8, y: by * 8, lanes: (blocks_x - bx).min(4) };
            for y in 0..8 {
                img.load_row(&group, y, &mut planes);
            }
            if planes_used == 3 {
                to_ycbcr(&mut planes);
            }
            for (c, plane) in planes[..planes_used].iter_mut().enumerate() {
                transform(plane, if c == 0 { &luma } else { &chroma });
            }
            if planes_used == 3 {
                to_rgb(&mut planes);
            }
            for y in 0..8 {
                img.store_row(&group, y, &planes);
            }
        }
    }
}

/// Samples in 8×8 blocks, row by row, one block in each lane.
type Plane = [V; 64];

/// R, G, B planes to Y, Cb, Cr in place, as the encoder converts. (A pass of its own, as
/// [`to_rgb`]: fused into the row loads and stores, the conversions kept 24 vectors live and the
/// engine spilled them.)
#[inline(never)]
fn to_ycbcr([r, g, b]: &mut [Plane; 3]) {
    for i in 0..64 {
        [r[i], g[i], b[i]] = ycbcr(r[i], g[i], b[i]);
    }
}

/// Y, Cb, Cr planes to R, G, B in place, as the decoder converts.
#[inline(never)]
fn to_rgb([y, cb, cr]: &mut [Plane; 3]) {
    for i in 0..64 {
        [y[i], cb[i], cr[i]] = rgb(y[i], cb[i], cr[i]);
    }
}

/// The forward DCT, quantisation, dequantisation and inverse DCT of one plane's four blocks, in
/// place: 0–255 samples in, 0–255 samples out. (One plane at a time: with all three in one body
/// the compiler interleaves them and the engine spills most of its registers.)
#[inline(never)]
fn transform(plane: &mut Plane, quant: &Quantizer) {
    for y in 0..8 {
        forward_row(plane, y);
    }
    for x in 0..8 {
        let mut k = forward_column(std::array::from_fn(|row| plane[x + 8 * row]));
        for (row, k) in k.iter_mut().enumerate() {
            *k = quant.requantize(x + 8 * row, *k);
        }
        let v = inverse_1d(k, 512);
        for (row, v) in v.into_iter().enumerate() {
            plane[x + 8 * row] = v.sra(10);
        }
    }
    for y in 0..8 {
        let s: [V; 8] = std::array::from_fn(|x| plane[8 * y + x]);
        let out = inverse_1d(s, 512 + 65536 + (128 << 17));
        for (x, v) in out.into_iter().enumerate() {
            plane[8 * y + x] = v.sra(17).clamp(0, 255);
        }
    }
}

/// Up to four horizontally adjacent 8×8 blocks, one per lane, starting at pixel (`x`, `y`).
struct Group {
    x: usize,
    y: usize,
    lanes: usize,
}

struct Pixels<'a> {
    data: &'a mut [u8],
    width: usize,
    height: usize,
    channels: usize,
}

impl Pixels<'_> {
    /// Where lane `lane`'s sample (`x`, `y`) of `group` comes from: past the image's right or
    /// bottom edge the encoder repeats the last column or row; lanes past the last block repeat
    /// that block (their results are dropped).
    #[inline(always)]
    fn source(&self, group: &Group, lane: usize, x: usize, y: usize) -> usize {
        let lane = lane.min(group.lanes - 1);
        let sx = (group.x + lane * 8 + x).min(self.width - 1);
        let sy = (group.y + y).min(self.height - 1);
        (sy * self.width + sx) * self.channels
    }

    /// Whether row `y` of `group` is 32 RGBA pixels inside the image (the wasm fast path).
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    fn whole_rgba_row(&self, group: &Group, y: usize) -> Option<usize> {
        let inside = self.channels == 4 && group.lanes == 4 && group.x + 32 <= self.width && group.y + y < self.height;
        inside.then(|| ((group.y + y) * self.width + group.x) * 4)
    }

    /// Row `y` of the group's blocks into the planes: gray, or R, G and B.
    fn load_row(&self, group: &Group, y: usize, planes: &mut [Plane; 3]) {
        let at = 8 * y;
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        if let Some(start) = self.whole_rgba_row(group, y) {
            // SAFETY: the row's 128 bytes lie inside the image (checked).
            let words = unsafe { lanes::load_rgba32(self.data.as_ptr().add(start)) };
            for (x, w) in words.into_iter().enumerate() {
                [planes[0][at + x], planes[1][at + x], planes[2][at + x]] = lanes::unpack_rgb(w);
            }
            return;
        }
        for x in 0..8 {
            for (c, plane) in planes[..self.channels.min(3)].iter_mut().enumerate() {
                plane[at + x] = V::from_array(std::array::from_fn(|lane| i32::from(self.data[self.source(group, lane, x, y) + c])));
            }
        }
    }

    /// Row `y` of the planes (gray, or R, G and B) back into the pixels that lie inside the image.
    fn store_row(&mut self, group: &Group, y: usize, planes: &[Plane; 3]) {
        let at = 8 * y;
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        if let Some(start) = self.whole_rgba_row(group, y) {
            let words = std::array::from_fn(|x| lanes::pack_rgb([planes[0][at + x], planes[1][at + x], planes[2][at + x]]));
            // SAFETY: the row's 128 bytes lie inside the image (checked).
            unsafe { lanes::store_rgba32(self.data.as_mut_ptr().add(start), words) };
            return;
        }
        let sy = group.y + y;
        if sy >= self.height {
            return;
        }
        let channels = self.channels.min(3);
        for x in 0..8 {
            let values: [[i32; 4]; 3] = std::array::from_fn(|c| planes[c.min(channels - 1)][at + x].to_array());
            for lane in 0..group.lanes {
                let sx = group.x + lane * 8 + x;
                if sx < self.width {
                    let i = (sy * self.width + sx) * self.channels;
                    for (c, v) in self.data[i..i + channels].iter_mut().enumerate() {
                        *v = values[c][lane] as u8;
                    }
                }
            }
        }
    }
}

/// RGB → YCbCr as the encoder does it (each result in 0–255).
#[inline(always)]
fn ycbcr(r: V, g: V, b: V) -> [V; 3] {
    let c = V::splat;
    let y = (c(19595) * r + c(38469) * g + c(7471) * b + c((1 << 15) - 1)).sra(16);
    let bias = c((128 << 16) + (1 << 15) - 1);
    let cb = (c(32768) * b - c(11059) * r - c(21709) * g + bias).sra(16);
    let cr = (c(32768) * r - c(27439) * g - c(5329) * b + bias).sra(16);
    [y, cb, cr]
}

/// YCbCr → RGB as the decoder does it (14-bit fixed point, clamped to 0–255).
#[inline(always)]
fn rgb(y: V, cb: V, cr: V) -> [V; 3] {
    let c = V::splat;
    let (cb, cr) = (cb - c(128), cr - c(128));
    let y0 = y.shl(14) + c((1 << 13) - 1);
    [
        (y0 + cr * c(22970)).sra(14).clamp(0, 255),
        (y0 - cr * c(11700) - cb * c(5638)).sra(14).clamp(0, 255),
        (y0 + cb * c(29032)).sra(14).clamp(0, 255),
    ]
}

// The forward DCT's fixed-point constants (13 bits).
const CONST_BITS: u32 = 13;
const PASS1_BITS: u32 = 2;
const FIX_0_298631336: i32 = 2446;
const FIX_0_390180644: i32 = 3196;
const FIX_0_541196100: i32 = 4433;
const FIX_0_765366865: i32 = 6270;
const FIX_0_899976223: i32 = 7373;
const FIX_1_175875602: i32 = 9633;
const FIX_1_501321110: i32 = 12299;
const FIX_1_847759065: i32 = 15137;
const FIX_1_961570560: i32 = 16069;
const FIX_2_053119869: i32 = 16819;
const FIX_2_562915447: i32 = 20995;
const FIX_3_072711026: i32 = 25172;

/// The forward DCT's first pass on row `y` of `plane` (samples 0–255), in place: level shift,
/// results scaled by 2^PASS1_BITS.
#[inline(always)]
fn forward_row(plane: &mut Plane, y: usize) {
    let c = V::splat;
    let s: [V; 8] = std::array::from_fn(|x| plane[8 * y + x]);
    let (t0, t1, t2, t3) = (s[0] + s[7], s[1] + s[6], s[2] + s[5], s[3] + s[4]);
    let (t10, t12, t11, t13) = (t0 + t3, t0 - t3, t1 + t2, t1 - t2);
    let (t0, t1, t2, t3) = (s[0] - s[7], s[1] - s[6], s[2] - s[5], s[3] - s[4]);
    let out = &mut plane[8 * y..8 * y + 8];
    out[0] = (t10 + t11 - c(8 * 128)).shl(PASS1_BITS);
    out[4] = (t10 - t11).shl(PASS1_BITS);
    let z1 = (t12 + t13) * c(FIX_0_541196100) + c(1 << (CONST_BITS - PASS1_BITS - 1));
    out[2] = (z1 + t12 * c(FIX_0_765366865)).sra(CONST_BITS - PASS1_BITS);
    out[6] = (z1 - t13 * c(FIX_1_847759065)).sra(CONST_BITS - PASS1_BITS);
    let [o1, o3, o5, o7] = odd_part(t0, t1, t2, t3, 1 << (CONST_BITS - PASS1_BITS - 1));
    out[1] = o1.sra(CONST_BITS - PASS1_BITS);
    out[3] = o3.sra(CONST_BITS - PASS1_BITS);
    out[5] = o5.sra(CONST_BITS - PASS1_BITS);
    out[7] = o7.sra(CONST_BITS - PASS1_BITS);
}

/// The odd half of the forward DCT (both passes), before the final shift; `fudge` is the
/// rounding term the encoder adds.
#[inline(always)]
fn odd_part(t0: V, t1: V, t2: V, t3: V, fudge: i32) -> [V; 4] {
    let c = V::splat;
    let (t12, t13) = (t0 + t2, t1 + t3);
    let z1 = (t12 + t13) * c(FIX_1_175875602) + c(fudge);
    let t12 = t12 * c(-FIX_0_390180644) + z1;
    let t13 = t13 * c(-FIX_1_961570560) + z1;
    let z1 = (t0 + t3) * c(-FIX_0_899976223);
    let o0 = t0 * c(FIX_1_501321110) + (z1 + t12);
    let o3 = t3 * c(FIX_0_298631336) + (z1 + t13);
    let z1 = (t1 + t2) * c(-FIX_2_562915447);
    let o1 = t1 * c(FIX_3_072711026) + (z1 + t13);
    let o2 = t2 * c(FIX_2_053119869) + (z1 + t12);
    [o0, o1, o2, o3]
}

/// The forward DCT's second pass on one column of the first pass' output: the coefficients,
/// scaled by 8.
#[inline(always)]
fn forward_column(s: [V; 8]) -> [V; 8] {
    let c = V::splat;
    let (t0, t1, t2, t3) = (s[0] + s[7], s[1] + s[6], s[2] + s[5], s[3] + s[4]);
    let t10 = t0 + t3 + c(1 << (PASS1_BITS - 1));
    let (t12, t11, t13) = (t0 - t3, t1 + t2, t1 - t2);
    let (t0, t1, t2, t3) = (s[0] - s[7], s[1] - s[6], s[2] - s[5], s[3] - s[4]);
    let z1 = (t12 + t13) * c(FIX_0_541196100) + c(1 << (CONST_BITS + PASS1_BITS - 1));
    // The encoder's odd part adds the first pass's rounding term here too.
    let [o1, o3, o5, o7] = odd_part(t0, t1, t2, t3, 1 << (CONST_BITS - PASS1_BITS - 1));
    [
        (t10 + t11).sra(PASS1_BITS),
        o1.sra(CONST_BITS + PASS1_BITS),
        (z1 + t12 * c(FIX_0_765366865)).sra(CONST_BITS + PASS1_BITS),
        o3.sra(CONST_BITS + PASS1_BITS),
        (t10 - t11).sra(PASS1_BITS),
        o5.sra(CONST_BITS + PASS1_BITS),
        (z1 - t13 * c(FIX_1_847759065)).sra(CONST_BITS + PASS1_BITS),
        o7.sra(CONST_BITS + PASS1_BITS),
    ]
}

/// One 8-point inverse DCT (12-bit constants) before its final shift; `bias` is its rounding
/// term (plus, in the second pass, the level shift).
#[inline(always)]
fn inverse_1d(s: [V; 8], bias: i32) -> [V; 8] {
    let c = V::splat;
    let p1 = (s[2] + s[6]) * c(2217);
    let t2 = p1 + s[6] * c(-7567);
    let t3 = p1 + s[2] * c(3135);
    let t0 = (s[0] + s[4]).shl(12);
    let t1 = (s[0] - s[4]).shl(12);
    let x0 = t0 + t3 + c(bias);
    let x3 = t0 - t3 + c(bias);
    let x1 = t1 + t2 + c(bias);
    let x2 = t1 - t2 + c(bias);
    let (t0, t1, t2, t3) = (s[7], s[5], s[3], s[1]);
    let p3 = t0 + t2;
    let p4 = t1 + t3;
    let p1 = t0 + t3;
    let p2 = t1 + t2;
    let p5 = (p3 + p4) * c(4816);
    let p1 = p5 + p1 * c(-3685);
    let p2 = p5 + p2 * c(-10497);
    let p3 = p3 * c(-8034);
    let p4 = p4 * c(-1597);
    let t3 = t3 * c(6149) + (p1 + p4);
    let t2 = t2 * c(12586) + (p2 + p3);
    let t1 = t1 * c(8410) + (p2 + p4);
    let t0 = t0 * c(1223) + (p1 + p3);
    [x0 + t3, x1 + t2, x2 + t1, x3 + t0, x3 - t0, x2 - t1, x1 - t2, x0 - t3]
}

/// Four i32 lanes with wrapping arithmetic: `v128` in wasm, an array elsewhere (which LLVM
/// vectorises). Both give the same bits.
mod lanes {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    pub use simd::*;
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    pub use portable::*;

    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    mod portable {
        use std::ops::{Add, Mul, Sub};

        #[derive(Clone, Copy)]
        pub struct V([i32; 4]);

        impl V {
            #[inline(always)]
            pub fn splat(x: i32) -> V {
                V([x; 4])
            }
            #[inline(always)]
            pub fn from_array(a: [i32; 4]) -> V {
                V(a)
            }
            #[inline(always)]
            pub fn to_array(self) -> [i32; 4] {
                self.0
            }
            #[inline(always)]
            fn map(self, f: impl Fn(i32) -> i32) -> V {
                V(self.0.map(f))
            }
            #[inline(always)]
            fn zip(self, o: V, f: impl Fn(i32, i32) -> i32) -> V {
                V(std::array::from_fn(|i| f(self.0[i], o.0[i])))
            }
            /// Arithmetic shift right.
            #[inline(always)]
            pub fn sra(self, n: u32) -> V {
                self.map(|x| x >> n)
            }
            /// Logical shift right (lanes as u32).
            #[inline(always)]
            pub fn srl(self, n: u32) -> V {
                self.map(|x| ((x as u32) >> n) as i32)
            }
            #[inline(always)]
            pub fn shl(self, n: u32) -> V {
                self.map(|x| x << n)
            }
            #[inline(always)]
            pub fn abs(self) -> V {
                self.map(i32::wrapping_abs)
            }
            #[inline(always)]
            pub fn xor(self, o: V) -> V {
                self.zip(o, |a, b| a ^ b)
            }
            #[inline(always)]
            pub fn clamp(self, lo: i32, hi: i32) -> V {
                self.map(|x| x.clamp(lo, hi))
            }
        }
        impl Add for V {
            type Output = V;
            #[inline(always)]
            fn add(self, o: V) -> V {
                self.zip(o, i32::wrapping_add)
            }
        }
        impl Sub for V {
            type Output = V;
            #[inline(always)]
            fn sub(self, o: V) -> V {
                self.zip(o, i32::wrapping_sub)
            }
        }
        impl Mul for V {
            type Output = V;
            #[inline(always)]
            fn mul(self, o: V) -> V {
                self.zip(o, i32::wrapping_mul)
            }
        }
    }

    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    mod simd {
        use core::arch::wasm32::*;
        use std::ops::{Add, Mul, Sub};

        #[derive(Clone, Copy)]
        pub struct V(v128);

        impl V {
            #[inline(always)]
            pub fn splat(x: i32) -> V {
                V(i32x4_splat(x))
            }
            #[inline(always)]
            pub fn from_array(a: [i32; 4]) -> V {
                V(i32x4(a[0], a[1], a[2], a[3]))
            }
            #[inline(always)]
            pub fn to_array(self) -> [i32; 4] {
                // SAFETY: v128 and [i32; 4] are 16 plain bytes.
                unsafe { core::mem::transmute::<v128, [i32; 4]>(self.0) }
            }
            #[inline(always)]
            pub fn sra(self, n: u32) -> V {
                V(i32x4_shr(self.0, n))
            }
            #[inline(always)]
            pub fn srl(self, n: u32) -> V {
                V(u32x4_shr(self.0, n))
            }
            #[inline(always)]
            pub fn shl(self, n: u32) -> V {
                V(i32x4_shl(self.0, n))
            }
            #[inline(always)]
            pub fn abs(self) -> V {
                V(i32x4_abs(self.0))
            }
            #[inline(always)]
            pub fn xor(self, o: V) -> V {
                V(v128_xor(self.0, o.0))
            }
            #[inline(always)]
            pub fn clamp(self, lo: i32, hi: i32) -> V {
                V(i32x4_min(i32x4_max(self.0, i32x4_splat(lo)), i32x4_splat(hi)))
            }
        }
        impl Add for V {
            type Output = V;
            #[inline(always)]
            fn add(self, o: V) -> V {
                V(i32x4_add(self.0, o.0))
            }
        }
        impl Sub for V {
            type Output = V;
            #[inline(always)]
            fn sub(self, o: V) -> V {
                V(i32x4_sub(self.0, o.0))
            }
        }
        impl Mul for V {
            type Output = V;
            #[inline(always)]
            fn mul(self, o: V) -> V {
                V(i32x4_mul(self.0, o.0))
            }
        }

        /// Transposes four vectors of four words.
        #[inline(always)]
        fn transpose(a: v128, b: v128, c: v128, d: v128) -> [v128; 4] {
            let ab_lo = i32x4_shuffle::<0, 4, 1, 5>(a, b);
            let ab_hi = i32x4_shuffle::<2, 6, 3, 7>(a, b);
            let cd_lo = i32x4_shuffle::<0, 4, 1, 5>(c, d);
            let cd_hi = i32x4_shuffle::<2, 6, 3, 7>(c, d);
            [
                i64x2_shuffle::<0, 2>(ab_lo, cd_lo),
                i64x2_shuffle::<1, 3>(ab_lo, cd_lo),
                i64x2_shuffle::<0, 2>(ab_hi, cd_hi),
                i64x2_shuffle::<1, 3>(ab_hi, cd_hi),
            ]
        }

        /// The words of 32 RGBA pixels at `p` (four blocks' row), block `b`'s pixel `x` in lane
        /// `b` of word vector `x`.
        ///
        /// # Safety
        /// `p` must point to 128 readable bytes.
        #[inline(always)]
        pub unsafe fn load_rgba32(p: *const u8) -> [V; 8] {
            let v: [v128; 8] = std::array::from_fn(|i| unsafe { v128_load(p.add(16 * i) as *const v128) });
            let [a, b, c, d] = transpose(v[0], v[2], v[4], v[6]);
            let [e, f, g, h] = transpose(v[1], v[3], v[5], v[7]);
            [a, b, c, d, e, f, g, h].map(V)
        }

        /// R, G and B of pixel words.
        #[inline(always)]
        pub fn unpack_rgb(w: V) -> [V; 3] {
            let byte = i32x4_splat(0xff);
            [w.0, u32x4_shr(w.0, 8), u32x4_shr(w.0, 16)].map(|v| V(v128_and(v, byte)))
        }

        /// Pixel words of R, G and B (each 0–255), alpha 0.
        #[inline(always)]
        pub fn pack_rgb([r, g, b]: [V; 3]) -> V {
            V(v128_or(r.0, v128_or(i32x4_shl(g.0, 8), i32x4_shl(b.0, 16))))
        }

        /// Writes pixel words laid out as [`load_rgba32`] reads them into 32 RGBA pixels at `p`,
        /// keeping their alpha.
        ///
        /// # Safety
        /// `p` must point to 128 writable bytes.
        #[inline(always)]
        pub unsafe fn store_rgba32(p: *mut u8, w: [V; 8]) {
            let lo = transpose(w[0].0, w[1].0, w[2].0, w[3].0);
            let hi = transpose(w[4].0, w[5].0, w[6].0, w[7].0);
            let alpha = i32x4_splat(0xff00_0000u32 as i32);
            for lane in 0..4 {
                for (half, rgb) in [lo[lane], hi[lane]].into_iter().enumerate() {
                    let at = unsafe { p.add(32 * lane + 16 * half) } as *mut v128;
                    unsafe { v128_store(at, v128_or(rgb, v128_and(v128_load(at), alpha))) };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // These run natively and, through wasm-pack test, in node and Chromium.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// RGBA (whose rows of four whole blocks take the wasm fast path) gets the colour RGB gets,
    /// and keeps its alpha; gray gets what colour with R = G = B gets (Y is the value, Cb and Cr
    /// a flat 128 that decodes to itself).
    #[test]
    fn rgba_and_gray_follow_rgb() {
        let mut rng = crate::rng::Rng::new(2);
        let mut noise = move || rng.next_u64() as u8;
        for (w, h) in [(64, 24), (75, 17), (32, 8), (31, 9), (3, 70)] {
            let rgb: Vec<u8> = (0..w * h * 3).map(|i| if i % 7 < 3 { noise() } else { (i / 3 % w * 4) as u8 }).collect();
            let alpha: Vec<u8> = (0..w * h).map(|_| noise()).collect();
            let gray: Vec<u8> = rgb.iter().step_by(3).copied().collect();
            for quality in [1, 10, 50, 90, 100] {
                let mut expected = rgb.clone();
                round_trip(&mut expected, w, h, 3, quality);
                let mut rgba: Vec<u8> = rgb.chunks(3).zip(&alpha).flat_map(|(p, &a)| [p[0], p[1], p[2], a]).collect();
                round_trip(&mut rgba, w, h, 4, quality);
                let got: Vec<u8> = rgba.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
                assert!(got == expected, "{w}×{h} RGBA at quality {quality}");
                assert!(rgba.chunks(4).map(|p| p[3]).eq(alpha.iter().copied()), "{w}×{h}: alpha changed");

                let mut as_rgb: Vec<u8> = gray.iter().flat_map(|&v| [v; 3]).collect();
                round_trip(&mut as_rgb, w, h, 3, quality);
                let mut one = gray.clone();
                round_trip(&mut one, w, h, 1, quality);
                assert!(as_rgb.chunks(3).map(|p| p[0]).eq(one.iter().copied()), "{w}×{h} gray at quality {quality}");
                assert!(as_rgb.chunks(3).all(|p| p[0] == p[1] && p[1] == p[2]), "{w}×{h}: gray turned colour");
            }
        }
    }

    /// The largest |coefficient| (in the DCT's own scale) the quantiser must take.
    const MAX_COEFF: i32 = 1100;

    /// The encoder's quantisation: integer division by 8, then the f32 quotient rounded.
    fn encoder_quantize(c: i32, q: u8) -> i32 {
        ((c / 8) as f32 / f32::from(q)).round() as i32
    }

    #[test]
    fn requantize_is_the_encoders_rounding_for_every_coefficient_and_table_value() {
        let mut table = [1u8; 64];
        for q in 1..=255u8 {
            table[7] = q;
            let quant = Quantizer::new(&table);
            for c in (-8 * MAX_COEFF - 7)..=(8 * MAX_COEFF + 7) {
                let got = quant.requantize(7, V::splat(c)).to_array()[0];
                assert_eq!(got, encoder_quantize(c, q) * i32::from(q), "c = {c}, q = {q}");
            }
        }
    }

    /// The largest coefficient of each frequency comes from the block that is 255 where its
    /// basis function is positive and 0 elsewhere (or the reverse); all stay within MAX_COEFF,
    /// the range the quantiser is exact for.
    #[test]
    fn coefficients_stay_within_the_quantisers_range() {
        let basis = |k: usize, i: usize| (((2 * i + 1) * k) as f64 * std::f64::consts::PI / 16.0).cos();
        let mut largest = 0;
        for (u, v) in (0..8).flat_map(|u| (0..8).map(move |v| (u, v))) {
            for sign in [1.0, -1.0] {
                let mut plane = [V::splat(0); 64];
                for y in 0..8 {
                    for x in 0..8 {
                        plane[8 * y + x] = V::splat(if basis(u, x) * basis(v, y) * sign > 0.0 { 255 } else { 0 });
                    }
                    forward_row(&mut plane, y);
                }
                for x in 0..8 {
                    let k = forward_column(std::array::from_fn(|row| plane[x + 8 * row]));
                    largest = k.iter().map(|k| (k.to_array()[0] / 8).abs()).fold(largest, i32::max);
                }
            }
        }
        // The DC of a white block is 1016 (and −1024 for black); no coefficient goes beyond.
        assert!((1016..=MAX_COEFF).contains(&largest), "largest |coefficient| {largest}");
    }
}
