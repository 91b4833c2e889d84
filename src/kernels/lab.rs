//! 8-bit RGB ↔ CIELAB the way OpenCV's `cvtColor` converts 8-bit images (the conversion behind
//! albumentations' `CLAHE` and `ToGray(method="from_lab")`): integer arithmetic on tables built
//! once — the sRGB curve in 1/8 levels, the cube root in 2^-15, 12-bit matrix coefficients — with
//! L* scaled to 0..255 and a*, b* offset by 128. Checked against OpenCV on every input: the
//! inverse gives the same bytes for all 2^24 (L, a, b); the forward conversion for all but
//! 0.007 % of the 2^24 colours, where a* or b* is one level off (OpenCV rounds a few cube-root
//! table entries from its own software cube root; these tables round the exact value).

/// RGB → XYZ (rows X, Y, Z) and XYZ → RGB (rows R, G, B), D65 white.
const RGB_TO_XYZ: [[f64; 3]; 3] = [[0.412453, 0.357580, 0.180423], [0.212671, 0.715160, 0.072169], [0.019334, 0.119193, 0.950227]];
const XYZ_TO_RGB: [[f64; 3]; 3] = [[3.240479, -1.53715, -0.498535], [-0.969256, 1.875991, 0.041556], [0.055648, -0.204043, 1.057311]];
const WHITE: [f64; 3] = [0.950456, 1.0, 1.088754];

/// Fixed-point scales: XYZ in 2^-12 (matrix), f(t) in 2^-15, the inverse in 2^-14.
const LAB_SHIFT: u32 = 12;
const LAB_SHIFT2: u32 = 15;
const BASE: i32 = 1 << 14;
/// Cube-root table size: linear values up to 1.5 in 1/2040.
const CBRT_SIZE: usize = 3072;
/// Inverse sRGB table size (linear values in 1/4096).
const INV_GAMMA_SIZE: usize = 4096;
/// The smallest `f(x)` or `f(z)` index the inverse meets (b* = 255 at L* = 0), as OpenCV offsets it.
const MIN_AB: i32 = -8145;

struct Tables {
    /// sRGB byte → linear × 2040.
    gamma: [u16; 256],
    /// Linear × 2040 → f(t) × 2^15, f(t) = ∛t above (6/29)³, linear below.
    cbrt: [u16; CBRT_SIZE],
    forward: [[i32; 3]; 3],
    /// L* byte → (Y, f(Y)), both × 2^14.
    y_and_fy: [(i32, i32); 256],
    /// f × 2^14 (offset by `MIN_AB`) → f⁻¹ × 2^14.
    from_f: Vec<i32>,
    /// Linear × 4096 → sRGB byte.
    inv_gamma: [u8; INV_GAMMA_SIZE],
    inverse: [[i64; 3]; 3],
}

/// sRGB decoding of `x` in 0..1, evaluated in f64 and rounded to f32 as OpenCV tabulates it.
fn srgb_to_linear(x: f32) -> f32 {
    let x = x as f64;
    (if x <= 809.0 / 20000.0 { x / (323.0 / 25.0) } else { libm::pow((x + 11.0 / 200.0) / (1.0 + 11.0 / 200.0), 12.0 / 5.0) }) as f32
}

fn linear_to_srgb(x: f32) -> f32 {
    let x = x as f64;
    (if x <= 7827.0 / 2500000.0 { x * (323.0 / 25.0) } else { libm::pow(x, 1.0 / (12.0 / 5.0)) * (1.0 + 11.0 / 200.0) - 11.0 / 200.0 }) as f32
}

/// Rounds half to even, like OpenCV's `cvRound`, without a library call.
fn round_even(v: f64) -> i64 {
    v.round_ties_even() as i64
}

fn tables() -> &'static Tables {
    static TABLES: std::sync::OnceLock<Box<Tables>> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let gamma = std::array::from_fn(|i| round_even((2040.0f32 * srgb_to_linear(i as f32 / 255.0f32)) as f64) as u16);
        let step = 1.0f32 / 2040.0f32;
        let cbrt = std::array::from_fn(|i| {
            let x = (step * i as f32) as f64;
            let f = if x < 216.0 / 24389.0 { x * 841.0 / 108.0 + 16.0 / 116.0 } else { libm::cbrt(x) };
            round_even(32768.0 * f) as u16
        });
        let forward = std::array::from_fn(|r| std::array::from_fn(|c| round_even(4096.0 * RGB_TO_XYZ[r][c] / WHITE[r]) as i32));
        let y_and_fy = std::array::from_fn(|i| {
            let (b, i) = (BASE as f32, i as i32);
            if i <= 20 {
                let y = (i * BASE * 20 * 9) as f32 / (17 * 29 * 29 * 29) as f32;
                let fy = b * (16.0f32 / 116.0f32 + (i * 5) as f32 / (3 * 17 * 29) as f32);
                (round_even(y as f64) as i32, round_even(fy as f64) as i32)
            } else {
                let fy = (i * 100 * BASE) as f32 / (255 * 116) as f32 + (16 * BASE) as f32 / 116.0f32;
                let y = fy * fy * fy / (BASE as f32 * BASE as f32);
                (round_even(y as f64) as i32, round_even(fy as f64) as i32)
            }
        });
        let linear_part = (BASE * 16 / 116) * 108 / 841;
        let from_f = (MIN_AB..BASE * 9 / 4 + MIN_AB)
            .map(|i| if i <= 3390 { i * 108 / 841 - linear_part } else { ((i as i64 * i as i64 / BASE as i64) * i as i64 / BASE as i64) as i32 })
            .collect();
        let inv_gamma = std::array::from_fn(|i| round_even((255.0f32 * linear_to_srgb(1.0f32 / INV_GAMMA_SIZE as f32 * i as f32)) as f64) as u8);
        let inverse = std::array::from_fn(|r| std::array::from_fn(|c| round_even(4096.0 * XYZ_TO_RGB[r][c] * WHITE[c])));
        Box::new(Tables { gamma, cbrt, forward, y_and_fy, from_f, inv_gamma, inverse })
    })
}

/// `(v + half) >> shift`, OpenCV's `CV_DESCALE`.
#[inline]
fn descale(v: i32, shift: u32) -> i32 {
    (v + (1 << (shift - 1))) >> shift
}

/// Converts with the tables fetched once (for whole images).
pub struct Lab {
    t: &'static Tables,
}

impl Default for Lab {
    fn default() -> Self {
        Lab { t: tables() }
    }
}

impl Lab {
    #[inline]
    fn f_xyz(&self, r: u8, g: u8, b: u8) -> [i32; 3] {
        let t = self.t;
        let lin = [t.gamma[r as usize] as i32, t.gamma[g as usize] as i32, t.gamma[b as usize] as i32];
        std::array::from_fn(|row| {
            let c = &t.forward[row];
            // Each row of coefficients sums to 4096, so the index is at most 2040.
            t.cbrt[(descale(lin[0] * c[0] + lin[1] * c[1] + lin[2] * c[2], LAB_SHIFT) as usize).min(CBRT_SIZE - 1)] as i32
        })
    }

    /// L* of a colour, 0..255.
    #[inline]
    pub fn lightness(&self, r: u8, g: u8, b: u8) -> u8 {
        let fy = self.f_xyz(r, g, b)[1];
        descale(296 * fy - 1_336_934, LAB_SHIFT2).clamp(0, 255) as u8
    }

    /// (L*, a*, b*) bytes of a colour.
    #[inline]
    pub fn from_rgb(&self, r: u8, g: u8, b: u8) -> [u8; 3] {
        let [fx, fy, fz] = self.f_xyz(r, g, b);
        let l = descale(296 * fy - 1_336_934, LAB_SHIFT2);
        let a = descale(500 * (fx - fy) + (128 << LAB_SHIFT2), LAB_SHIFT2);
        let bb = descale(200 * (fy - fz) + (128 << LAB_SHIFT2), LAB_SHIFT2);
        [l, a, bb].map(|v| v.clamp(0, 255) as u8)
    }

    /// The colour of (L*, a*, b*) bytes.
    #[inline]
    pub fn to_rgb(&self, l: u8, a: u8, b: u8) -> [u8; 3] {
        let t = self.t;
        let (y, fy) = t.y_and_fy[l as usize];
        let adiv = ((5 * a as i32 * 53687 + (1 << 7)) >> 13) - 128 * BASE / 500;
        let bdiv = ((b as i32 * 41943 + (1 << 4)) >> 9) - 128 * BASE / 200 + 1;
        // In range for every byte triple: MIN_AB is the smallest index, BASE · 9/4 the span.
        let x = t.from_f[(fy + adiv - MIN_AB) as usize] as i64;
        let z = t.from_f[(fy - bdiv - MIN_AB) as usize] as i64;
        std::array::from_fn(|row| {
            let c = &t.inverse[row];
            let v = (c[0] * x + c[1] * y as i64 + c[2] * z + (1 << 13)) >> 14;
            t.inv_gamma[v.clamp(0, INV_GAMMA_SIZE as i64 - 1) as usize]
        })
    }
}

/// [`Lab::from_rgb`] and [`Lab::to_rgb`] on runs of RGBA pixels in wasm SIMD: the integer
/// arithmetic in i32 lanes, the same operations in the same order, so the same bytes (`to_rgb`'s
/// sums are exact in i32: the test `inverse_sums_fit_i32`).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub mod simd {
    use super::{Lab, BASE, CBRT_SIZE, INV_GAMMA_SIZE, LAB_SHIFT, LAB_SHIFT2, MIN_AB};
    use core::arch::wasm32::*;

    #[inline(always)]
    fn descale4(v: v128, shift: u32) -> v128 {
        i32x4_shr(i32x4_add(v, i32x4_splat(1 << (shift - 1))), shift)
    }

    #[inline(always)]
    fn clamp_byte(v: v128) -> v128 {
        i32x4_min(i32x4_max(v, i32x4_splat(0)), i32x4_splat(255))
    }

    /// Pixels per run of [`Lab::from_rgba_run`] and [`Lab::to_rgba_run`].
    pub const RUN: usize = 256;

    /// Working planes of one run (allocated once per image, not per run), each padded by a
    /// cache line: planes a whole kilobyte apart alias in the processor's store-to-load checks.
    pub struct Scratch {
        planes: Box<[Plane; 6]>,
    }

    #[derive(Clone, Copy)]
    #[repr(C)]
    struct Plane {
        v: [i32; RUN],
        _pad: [i32; 16],
    }

    impl Default for Scratch {
        fn default() -> Self {
            Scratch { planes: Box::new([Plane { v: [0; RUN], _pad: [0; 16] }; 6]) }
        }
    }

    impl Scratch {
        fn split(&mut self) -> ([&mut [i32; RUN]; 3], [&mut [i32; RUN]; 3]) {
            let [a, b, c, d, e, f] = &mut *self.planes;
            ([&mut a.v, &mut b.v, &mut c.v], [&mut d.v, &mut e.v, &mut f.v])
        }
    }

    #[inline(always)]
    fn load4(plane: &[i32; RUN], j: usize) -> v128 {
        assert!(j + 4 <= RUN);
        // SAFETY: j + 4 ≤ RUN.
        unsafe { v128_load(plane.as_ptr().add(j) as *const v128) }
    }

    #[inline(always)]
    fn store4(plane: &mut [i32; RUN], j: usize, v: v128) {
        assert!(j + 4 <= RUN);
        // SAFETY: j + 4 ≤ RUN.
        unsafe { v128_store(plane.as_mut_ptr().add(j) as *mut v128, v) }
    }

    impl Lab {
        /// [`Lab::from_rgb`] over a run of up to [`RUN`] pixels (`px`, four per block), in
        /// stages: every table read of the run as plain scalar code (an index read, a table
        /// read, a store), every piece of arithmetic four pixels per step in i32 lanes between
        /// them. Reading tables lane by lane inside the SIMD steps (an extract, a read, an
        /// insert per value) kept the engines' one shuffle port busy. Writes each pixel's
        /// `L | a << 8 | b << 16` to `packed` and its L* to `l`.
        pub fn from_rgba_run(&self, s: &mut Scratch, px: &[[u8; 16]], packed: &mut [[u8; 4]], l: &mut [u8]) {
            let t = self.t;
            let m = px.len() * 4;
            assert!(m <= RUN && packed.len() == m && l.len() == m);
            let (mut lin, mut idx) = s.split();
            for (g, p) in px.iter().enumerate() {
                for i in 0..4 {
                    for ch in 0..3 {
                        lin[ch][4 * g + i] = t.gamma[p[4 * i + ch] as usize] as i32;
                    }
                }
            }
            let (zero, last) = (i32x4_splat(0), i32x4_splat(CBRT_SIZE as i32 - 1));
            for j in (0..m).step_by(4) {
                let v = [load4(lin[0], j), load4(lin[1], j), load4(lin[2], j)];
                for (row, plane) in idx.iter_mut().enumerate() {
                    let c = t.forward[row];
                    let sum = i32x4_add(i32x4_add(i32x4_mul(v[0], i32x4_splat(c[0])), i32x4_mul(v[1], i32x4_splat(c[1]))), i32x4_mul(v[2], i32x4_splat(c[2])));
                    store4(plane, j, i32x4_max(i32x4_min(descale4(sum, LAB_SHIFT), last), zero));
                }
            }
            // The cube roots, into the planes of linear values (no longer needed).
            for (f, at) in lin.iter_mut().zip(idx.iter()) {
                for (f, &at) in f[..m].iter_mut().zip(&at[..m]) {
                    *f = t.cbrt[at as usize] as i32;
                }
            }
            let firsts = std::hint::black_box(u8x16(0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
            let mid = i32x4_splat(128 << LAB_SHIFT2);
            for (g, (pk, lq)) in packed.as_chunks_mut::<4>().0.iter_mut().zip(l.as_chunks_mut::<4>().0).enumerate() {
                let (fx, fy, fz) = (load4(lin[0], 4 * g), load4(lin[1], 4 * g), load4(lin[2], 4 * g));
                let lv = clamp_byte(descale4(i32x4_sub(i32x4_mul(fy, i32x4_splat(296)), i32x4_splat(1_336_934)), LAB_SHIFT2));
                let a = clamp_byte(descale4(i32x4_add(i32x4_mul(i32x4_sub(fx, fy), i32x4_splat(500)), mid), LAB_SHIFT2));
                let b = clamp_byte(descale4(i32x4_add(i32x4_mul(i32x4_sub(fy, fz), i32x4_splat(200)), mid), LAB_SHIFT2));
                // SAFETY: `pk` is four 4-byte words (16 bytes), `lq` four bytes.
                unsafe {
                    v128_store(pk.as_mut_ptr() as *mut v128, v128_or(v128_or(lv, i32x4_shl(a, 8)), i32x4_shl(b, 16)));
                    v128_store32_lane::<0>(i8x16_swizzle(lv, firsts), lq.as_mut_ptr() as *mut u32);
                }
            }
        }

        /// [`Lab::to_rgb`] over a run of up to [`RUN`] pixels, staged as
        /// [`Lab::from_rgba_run`]: L* from `l`, a* and b* from the `packed` words; writes R, G
        /// and B into `px` (alpha kept).
        pub fn to_rgba_run(&self, s: &mut Scratch, l: &[u8], packed: &[[u8; 4]], px: &mut [[u8; 16]]) {
            let t = self.t;
            let m = px.len() * 4;
            assert!(m <= RUN && packed.len() == m && l.len() == m);
            let (p, mut q) = s.split();
            for (j, &lv) in l.iter().enumerate() {
                let (y, fy) = t.y_and_fy[lv as usize];
                p[0][j] = y;
                p[1][j] = fy;
            }
            let (zero, last, byte) = (i32x4_splat(0), i32x4_splat(t.from_f.len() as i32 - 1), i32x4_splat(255));
            for (g, words) in packed.as_chunks::<4>().0.iter().enumerate() {
                let j = 4 * g;
                // SAFETY: `words` is 16 bytes.
                let ab = unsafe { v128_load(words.as_ptr() as *const v128) };
                let (a, b) = (v128_and(u32x4_shr(ab, 8), byte), v128_and(u32x4_shr(ab, 16), byte));
                let fy = load4(p[1], j);
                let adiv = i32x4_sub(i32x4_shr(i32x4_add(i32x4_mul(a, i32x4_splat(5 * 53687)), i32x4_splat(1 << 7)), 13), i32x4_splat(128 * BASE / 500));
                let bdiv = i32x4_add(i32x4_sub(i32x4_shr(i32x4_add(i32x4_mul(b, i32x4_splat(41943)), i32x4_splat(1 << 4)), 9), i32x4_splat(128 * BASE / 200)), i32x4_splat(1));
                let clamp = |v: v128| i32x4_max(i32x4_min(v, last), zero);
                store4(q[0], j, clamp(i32x4_sub(i32x4_add(fy, adiv), i32x4_splat(MIN_AB))));
                store4(q[1], j, clamp(i32x4_sub(i32x4_sub(fy, bdiv), i32x4_splat(MIN_AB))));
            }
            for plane in &mut q[..2] {
                for v in &mut plane[..m] {
                    *v = t.from_f[*v as usize];
                }
            }
            let top = i32x4_splat(INV_GAMMA_SIZE as i32 - 1);
            let inverse = t.inverse.map(|row| row.map(|v| i32x4_splat(v as i32)));
            for j in (0..m).step_by(4) {
                let (x, y, z) = (load4(q[0], j), load4(p[0], j), load4(q[1], j));
                let channel = |c: &[v128; 3]| {
                    let sum = i32x4_add(i32x4_add(i32x4_mul(c[0], x), i32x4_mul(c[1], y)), i32x4_add(i32x4_mul(c[2], z), i32x4_splat(1 << 13)));
                    i32x4_min(i32x4_max(i32x4_shr(sum, 14), zero), top)
                };
                // Indices of R, G and B into planes no longer needed (fy, and a spare).
                store4(p[1], j, channel(&inverse[0]));
                store4(p[2], j, channel(&inverse[1]));
                store4(q[2], j, channel(&inverse[2]));
            }
            for (g, block) in px.iter_mut().enumerate() {
                for i in 0..4 {
                    let j = 4 * g + i;
                    block[4 * i] = t.inv_gamma[p[1][j] as usize];
                    block[4 * i + 1] = t.inv_gamma[p[2][j] as usize];
                    block[4 * i + 2] = t.inv_gamma[q[2][j] as usize];
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Known answers from OpenCV 4 (`cv2.cvtColor` on 8-bit RGB, `COLOR_RGB2LAB` / `COLOR_LAB2RGB`):
    /// primaries, grays, the colour whose cube-root entry lies 0.0008 from a rounding tie, and
    /// random samples.
    /// `to_rgb`'s i64 sums fit i32 for every (L, a, b): the SIMD form computes them in i32.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn inverse_sums_fit_i32() {
        let t = tables();
        for l in 0..256usize {
            let (y, fy) = t.y_and_fy[l];
            for a in 0..256i32 {
                let adiv = ((5 * a * 53687 + (1 << 7)) >> 13) - 128 * BASE / 500;
                let x = t.from_f[(fy + adiv - MIN_AB) as usize] as i64;
                for b in 0..256i32 {
                    let bdiv = ((b * 41943 + (1 << 4)) >> 9) - 128 * BASE / 200 + 1;
                    let z = t.from_f[(fy - bdiv - MIN_AB) as usize] as i64;
                    for c in &t.inverse {
                        let sum = c[0] * x + c[1] * y as i64 + c[2] * z + (1 << 13);
                        assert!(i32::try_from(sum).is_ok(), "{l} {a} {b}: {sum}");
                    }
                }
            }
        }
    }

    /// The SIMD runs give the scalar conversions' bytes (both directions, colours
    /// and Lab values on grids that include both ends of every channel).
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[test]
    fn simd_conversions_equal_the_scalar_ones() {
        use simd::{Scratch, RUN};
        let lab = Lab::default();
        let mut scratch = Scratch::default();
        let steps: Vec<u8> = (0..=255u8).step_by(5).chain([1, 2, 127, 128, 254]).collect();
        let mut triples = Vec::new();
        for &x in &steps {
            for &y in &steps {
                for &z in &steps {
                    triples.push([x, y, z]);
                }
            }
        }
        // Runs of every length in multiples of four up to RUN (the last one shorter).
        let mut rest = &triples[..triples.len() / 4 * 4];
        let mut len = 4;
        while !rest.is_empty() {
            let (run, next) = rest.split_at(len.min(rest.len()));
            rest = next;
            len = if len >= RUN { 4 } else { len + 4 };
            let m = run.len();
            // Alpha 77 in the input, 99 in the output buffers: it must stay as it is.
            let px: Vec<[u8; 16]> = run.chunks(4).map(|g| std::array::from_fn(|i| if i % 4 == 3 { 77 } else { g[i / 4][i % 4] })).collect();
            let (mut packed, mut l) = (vec![[0u8; 4]; m], vec![0u8; m]);
            lab.from_rgba_run(&mut scratch, &px, &mut packed, &mut l);
            let mut rgb = vec![[99u8; 16]; m / 4];
            lab.to_rgba_run(&mut scratch, &l, &packed, &mut rgb);
            // The triples read as Lab values.
            let as_lab: Vec<[u8; 4]> = run.iter().map(|t| [t[0], t[1], t[2], 0]).collect();
            let ls: Vec<u8> = run.iter().map(|t| t[0]).collect();
            let mut back = vec![[99u8; 16]; m / 4];
            lab.to_rgba_run(&mut scratch, &ls, &as_lab, &mut back);
            for (j, t) in run.iter().enumerate() {
                let want = lab.from_rgb(t[0], t[1], t[2]);
                assert_eq!((l[j], &packed[j][..3]), (want[0], &want[..]), "from {t:?}");
                let (g, i) = (j / 4, 4 * (j % 4));
                assert_eq!(rgb[g][i..i + 4], [lab.to_rgb(want[0], want[1], want[2]).as_slice(), &[99]].concat(), "round trip of {t:?}");
                assert_eq!(back[g][i..i + 4], [lab.to_rgb(t[0], t[1], t[2]).as_slice(), &[99]].concat(), "to rgb of Lab {t:?}");
            }
        }
    }

    #[test]
    fn matches_known_conversions() {
        let lab = Lab::default();
        let forward = [
            ([0, 0, 0], [0, 128, 128]),
            ([255, 255, 255], [255, 128, 128]),
            ([128, 128, 128], [137, 128, 128]),
            ([255, 0, 0], [136, 208, 195]),
            ([0, 255, 0], [224, 42, 211]),
            ([0, 0, 255], [82, 207, 20]),
            ([0, 98, 254], [119, 165, 45]),
            ([12, 200, 77], [181, 61, 177]),
            ([139, 74, 229], [120, 186, 60]),
            ([241, 169, 65], [190, 145, 190]),
            ([6, 160, 149], [151, 91, 124]),
            ([106, 38, 175], [84, 183, 68]),
            ([188, 205, 175], [205, 117, 141]),
            ([229, 98, 249], [162, 199, 75]),
            ([10, 148, 95], [138, 82, 147]),
            ([86, 147, 198], [150, 123, 96]),
            ([66, 39, 106], [57, 156, 93]),
            ([213, 171, 45], [183, 132, 194]),
        ];
        for (rgb, want) in forward {
            assert_eq!(lab.from_rgb(rgb[0], rgb[1], rgb[2]), want, "{rgb:?}");
            assert_eq!(lab.lightness(rgb[0], rgb[1], rgb[2]), want[0], "{rgb:?}");
        }
        let inverse = [
            ([0, 128, 128], [0, 0, 0]),
            ([255, 128, 128], [255, 255, 255]),
            ([138, 208, 195], [255, 12, 3]),
            ([100, 0, 255], [0, 121, 0]),
            ([30, 255, 0], [0, 0, 229]),
            ([200, 60, 140], [0, 224, 170]),
            ([69, 81, 55], [0, 87, 179]),
            ([14, 153, 178], [60, 0, 0]),
            ([215, 76, 52], [0, 243, 255]),
            ([39, 250, 72], [148, 0, 122]),
            ([215, 50, 161], [0, 244, 144]),
            ([223, 112, 172], [218, 226, 134]),
            ([161, 233, 38], [245, 20, 255]),
            ([17, 89, 1], [0, 58, 212]),
            ([221, 6, 242], [0, 255, 0]),
            ([127, 143, 6], [0, 129, 255]),
        ];
        for (l, want) in inverse {
            assert_eq!(lab.to_rgb(l[0], l[1], l[2]), want, "{l:?}");
        }
    }
}
