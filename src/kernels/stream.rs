//! Random streams for kernels that expand a seed into a field (noise, dropout masks): four
//! interleaved xoshiro128++ generators. Value `i` of a field takes lane `i % 4` of step `i / 4`,
//! the same on every target.

/// Four interleaved xoshiro128++ generators.
pub struct Streams {
    s: [[u32; 4]; 4],
}

impl Streams {
    pub fn new(seed: u64) -> Self {
        let mut sm = seed;
        let mut next = || {
            sm = sm.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = sm;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let mut s = [[0u32; 4]; 4];
        for lane in 0..4 {
            let a = next();
            let b = next();
            s[0][lane] = a as u32;
            s[1][lane] = (a >> 32) as u32;
            s[2][lane] = b as u32;
            s[3][lane] = ((b >> 32) as u32) | 1; // never the all-zero state
        }
        Streams { s }
    }

    #[inline(always)]
    pub fn next(&mut self) -> [u32; 4] {
        let [s0, s1, s2, s3] = &mut self.s;
        let mut out = [0u32; 4];
        for l in 0..4 {
            out[l] = s0[l].wrapping_add(s3[l]).rotate_left(7).wrapping_add(s0[l]);
            let t = s1[l] << 9;
            s2[l] ^= s0[l];
            s3[l] ^= s1[l];
            s1[l] ^= s2[l];
            s0[l] ^= s3[l];
            s2[l] ^= t;
            s3[l] = s3[l].rotate_left(11);
        }
        out
    }

    /// The four generators as SIMD lanes, for kernels that draw in v128 registers. Continue
    /// with [`SimdStreams::into_streams`] to draw the same sequence further.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    pub fn simd(&self) -> SimdStreams {
        use core::arch::wasm32::u32x4;
        let l = |s: [u32; 4]| u32x4(s[0], s[1], s[2], s[3]);
        SimdStreams { s: self.s.map(l) }
    }
}

/// [`Streams`] held in four v128 registers: `next` yields the same words, lane for lane.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub struct SimdStreams {
    s: [core::arch::wasm32::v128; 4],
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
impl SimdStreams {
    #[inline(always)]
    pub fn next(&mut self) -> core::arch::wasm32::v128 {
        use core::arch::wasm32::*;
        let rotl = |x: v128, k: u32| v128_or(i32x4_shl(x, k), u32x4_shr(x, 32 - k));
        let [s0, s1, s2, s3] = self.s;
        let out = i32x4_add(rotl(i32x4_add(s0, s3), 7), s0);
        let t = i32x4_shl(s1, 9);
        let s2 = v128_xor(s2, s0);
        let s3 = v128_xor(s3, s1);
        let s1 = v128_xor(s1, s2);
        let s0 = v128_xor(s0, s3);
        let s2 = v128_xor(s2, t);
        let s3 = rotl(s3, 11);
        self.s = [s0, s1, s2, s3];
        out
    }

    /// Back to scalar draws, continuing the same sequence.
    pub fn into_streams(self) -> Streams {
        use core::arch::wasm32::*;
        let a = |v: v128| [u32x4_extract_lane::<0>(v), u32x4_extract_lane::<1>(v), u32x4_extract_lane::<2>(v), u32x4_extract_lane::<3>(v)];
        Streams { s: self.s.map(a) }
    }
}

/// A field of `len` u32 values from `seed`, calling `f(index, value)` for each in order.
pub fn for_each_u32(seed: u64, len: usize, mut f: impl FnMut(usize, u32)) {
    let mut streams = Streams::new(seed);
    let mut i = 0;
    while i < len {
        for word in streams.next() {
            if i == len {
                return;
            }
            f(i, word);
            i += 1;
        }
    }
}

/// The threshold below which a u32 falls with probability `p` (0..=1).
pub fn threshold(p: f64) -> u64 {
    (p.clamp(0.0, 1.0) * 4_294_967_296.0) as u64
}
