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
