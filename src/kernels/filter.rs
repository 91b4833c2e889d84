//! Linear and median filters with OpenCV's borders: reflect-101 for convolutions (`filter2D`,
//! `sepFilter2D`), replicate for the median (`medianBlur`). Sums are f32; results are rounded
//! half to even and saturated, as OpenCV's `saturate_cast` does.

use crate::image::Image;

/// Index `i` reflected into `0..n` without repeating the edge (…, 2, 1 | 0, 1, 2, … n-1 | n-2, …).
#[inline]
pub fn reflect101(i: isize, n: usize) -> usize {
    if n == 1 {
        return 0;
    }
    let n = n as isize;
    // Within one reflection (every border of a kernel narrower than the image) without the
    // remainder: a division costs dozens of cycles, and blurs ask per border pixel and row.
    if -n < i && i < 2 * n - 1 {
        return (if i < 0 { -i } else if i >= n { 2 * n - 2 - i } else { i }) as usize;
    }
    let period = 2 * n - 2;
    let mut i = i.rem_euclid(period);
    if i >= n {
        i = period - i;
    }
    i as usize
}

#[inline]
fn round_u8(x: f32) -> u8 {
    x.round_ties_even().clamp(0.0, 255.0) as u8
}

/// Row `y` of the image as f32, extended by `pad` pixels on each side (reflect-101).
fn padded_row(src: &[u8], y: usize, w: usize, c: usize, pad: usize, out: &mut [f32]) {
    let line = &src[y * w * c..(y + 1) * w * c];
    for (px, x) in (-(pad as isize)..(w + pad) as isize).enumerate() {
        let sx = reflect101(x, w);
        for ch in 0..c {
            out[px * c + ch] = line[sx * c + ch] as f32;
        }
    }
}

/// Writes f32 sums back as rounded, saturated colour values (alpha untouched).
fn store_row(acc: &[f32], out: &mut [u8], c: usize, color: usize) {
    #[allow(unused_mut)]
    let mut done = 0;
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if color == c || (c == 4 && color == 3) {
        done = store_row_simd(acc, out, color < c);
    }
    let from = done.min(acc.len()).min(out.len());
    let (acc, out) = (&acc[from..], &mut out[from..]);
    if color == c {
        for (o, &a) in out.iter_mut().zip(acc) {
            *o = round_u8(a);
        }
    } else {
        for (o, a) in out.chunks_exact_mut(c).zip(acc.chunks_exact(c)) {
            for ch in 0..color {
                o[ch] = round_u8(a[ch]);
            }
        }
    }
}

/// [`store_row`] sixteen values per step (whole RGBA pixels, alpha kept with `keep_alpha`):
/// rounded to nearest even in the lanes, converted with saturation and narrowed with
/// saturation, which is the scalar clamp to 0..=255 (NaN to 0 as `as` does). Returns how many
/// values it wrote.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn store_row_simd(acc: &[f32], out: &mut [u8], keep_alpha: bool) -> usize {
    use core::arch::wasm32::*;
    let n = acc.len().min(out.len());
    let alpha = u32x4_splat(std::hint::black_box(0xff00_0000));
    let mut i = 0;
    while i + 16 <= n {
        // SAFETY: i + 16 ≤ n: 16 floats of `acc` and 16 bytes of `out`.
        unsafe {
            let v = |k: usize| i32x4_trunc_sat_f32x4(f32x4_nearest(v128_load(acc.as_ptr().add(i + k) as *const v128)));
            let bytes = u8x16_narrow_i16x8(i16x8_narrow_i32x4(v(0), v(4)), i16x8_narrow_i32x4(v(8), v(12)));
            let dst = out.as_mut_ptr().add(i) as *mut v128;
            v128_store(dst, if keep_alpha { v128_bitselect(v128_load(dst), bytes, alpha) } else { bytes });
        }
        i += 16;
    }
    i
}

/// Copies the colour values of a filtered row into the image row (alpha untouched).
fn copy_color_row(out: &[u8], row: &mut [u8], c: usize, color: usize) {
    if color == c {
        row.copy_from_slice(out);
    } else if c == 4 {
        #[allow(unused_mut)]
        let mut done = 0;
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        // SAFETY: blocks end at done + 16 ≤ row.len() ≤ out.len().
        unsafe {
            use core::arch::wasm32::*;
            let alpha = u32x4_splat(std::hint::black_box(0xff00_0000));
            let n = row.len().min(out.len());
            while done + 16 <= n {
                let p = row.as_mut_ptr().add(done) as *mut v128;
                v128_store(p, v128_bitselect(v128_load(p), v128_load(out.as_ptr().add(done) as *const v128), alpha));
                done += 16;
            }
        }
        for (o, v) in row[done..].as_chunks_mut::<4>().0.iter_mut().zip(out[done..].as_chunks::<4>().0) {
            *o = [v[0], v[1], v[2], o[3]];
        }
    } else {
        for (o, v) in row.chunks_exact_mut(c).zip(out.chunks_exact(c)) {
            o[..color].copy_from_slice(&v[..color]);
        }
    }
}

/// Convolves the colour channels with `k` along rows and then columns (a separable kernel of odd
/// length). Each tap is one multiply-add over a whole padded row, which vectorises; every value
/// still sums its taps in kernel order, so results do not depend on the vector width.
pub fn separable(img: &mut Image, k: &[f32]) {
    if separable_fixed(img, k) {
        return;
    }
    let (w, h) = (img.width() as usize, img.height() as usize);
    let c = img.channels() as usize;
    let color = img.color_channels();
    let r = k.len() / 2;
    let n = w * c;
    let mut rows = vec![0f32; h * n];
    let mut pad = vec![0f32; (w + 2 * r) * c];
    for y in 0..h {
        padded_row(img.data(), y, w, c, r, &mut pad);
        let acc = &mut rows[y * n..(y + 1) * n];
        for (t, &kv) in k.iter().enumerate() {
            for (a, &v) in acc.iter_mut().zip(&pad[t * c..t * c + n]) {
                *a += kv * v;
            }
        }
    }
    let mut acc = vec![0f32; n];
    let out = img.data_mut();
    for y in 0..h {
        acc.fill(0.0);
        for (t, &kv) in k.iter().enumerate() {
            let sy = reflect101(y as isize + t as isize - r as isize, h);
            for (a, &v) in acc.iter_mut().zip(&rows[sy * n..(sy + 1) * n]) {
                *a += kv * v;
            }
        }
        store_row(&acc, &mut out[y * n..(y + 1) * n], c, color);
    }
}

/// `line` (pixels of `c` bytes) with `r` border pixels added on each side, into `out` (the
/// line's length plus 2r·c bytes): the row in one copy, then the border pixels from `sources`,
/// which [`border_sources`] finds once per image for the rule at the edges ([`reflect101`] or
/// [`replicate`]).
fn pad_row(line: &[u8], c: usize, r: usize, out: &mut [u8], sources: &[(usize, usize)]) {
    out[r * c..r * c + line.len()].copy_from_slice(line);
    fill_borders(out, c, sources);
}

/// Where the border pixels of a padded row ([`pad_row`]'s layout: `r` pixels, the row's `w`,
/// `r` pixels) come from, as byte offsets into the padded row: `(border, source)` pairs, each
/// source the row's pixel `edge(x, w)` names, found once for all rows.
fn border_sources(w: usize, c: usize, r: usize, edge: fn(isize, usize) -> usize) -> Vec<(usize, usize)> {
    (0..r)
        .flat_map(|i| [(i, i as isize - r as isize), (r + w + i, (w + i) as isize)])
        .map(|(side, x)| (side * c, (r + edge(x, w)) * c))
        .collect()
}

/// Fills the border pixels of a padded row whose `w` pixels are already in place, from the
/// pairs [`border_sources`] gives: fixed-length copies for the usual channel counts (a copy of
/// variable length becomes a call of the engine's memory copy, dozens of instructions for 3 bytes).
fn fill_borders(row: &mut [u8], c: usize, sources: &[(usize, usize)]) {
    fn each<const C: usize>(row: &mut [u8], sources: &[(usize, usize)]) {
        for &(border, source) in sources {
            let px: [u8; C] = row[source..source + C].try_into().expect("one pixel");
            row[border..border + C].copy_from_slice(&px);
        }
    }
    match c {
        1 => each::<1>(row, sources),
        3 => each::<3>(row, sources),
        4 => each::<4>(row, sources),
        _ => sources.iter().for_each(|&(border, source)| row.copy_within(source..source + c, border)),
    }
}

/// The image with `r` pixels of reflect-101 border on every side, as bytes (rows of
/// `(w + 2r) · channels`).
fn padded_image(img: &Image, r: usize) -> Vec<u8> {
    let (w, h, c) = (img.width() as usize, img.height() as usize, img.channels() as usize);
    let (row_len, pw) = (w * c, (w + 2 * r) * c);
    let mut pad = vec![0u8; (h + 2 * r) * pw];
    let borders = border_sources(w, c, r, reflect101);
    let src = img.data();
    for (py, prow) in pad.chunks_exact_mut(pw).enumerate() {
        let sy = reflect101(py as isize - r as isize, h);
        pad_row(&src[sy * row_len..(sy + 1) * row_len], c, r, prow, &borders);
    }
    pad
}

/// Index `i` clamped into `0..n` (the edge pixel repeated).
fn replicate(i: isize, n: usize) -> usize {
    i.clamp(0, n as isize - 1) as usize
}

/// [`separable`] in fixed point for symmetric kernels of non-negative weights (blurs), as
/// OpenCV blurs 8-bit images: weights in 1/256 (the centre tap takes the rounding so they sum
/// to 256), each row's sums H exact in u16 lanes, columns summed to `Σ k·H` and rounded half up
/// at the end. Returns false (and changes nothing) for kernels it does not take.
///
/// In wasm, rows of 16 values or more take [`blur_simd`]. Here (native, and short rows) each H
/// is kept as its high and low bytes, and `Σ k·H = 256·Σ k·hi + Σ k·lo` with both sums exact in
/// 16 bits (at most 255 × 256), so the rounded result `(Σ k·H + 2^15) >> 16` is
/// `(Σ k·hi + 128 + (Σ k·lo >> 8)) >> 8` exactly.
fn separable_fixed(img: &mut Image, k: &[f32]) -> bool {
    let mut q: Vec<u32> = k.iter().map(|&v| (v * 256.0).round().max(0.0) as u32).collect();
    let total: u32 = q.iter().sum();
    let centre = k.len() / 2;
    let symmetric = (0..centre).all(|t| q[t] == q[k.len() - 1 - t]);
    if k.iter().any(|&v| !(v >= 0.0)) || k.len() % 2 == 0 || !symmetric || total.abs_diff(256) > q[centre] {
        return false;
    }
    q[centre] = q[centre] + 256 - total;
    // Taps of weight 0 at the ends (a wide kernel's tails in 1/256) add nothing: dropped.
    let zeros = q.iter().take_while(|&&v| v == 0).count().min(centre);
    q.truncate(q.len() - zeros);
    q.drain(..zeros);
    let (w, h) = (img.width() as usize, img.height() as usize);
    let c = img.channels() as usize;
    let color = img.color_channels();
    let r = q.len() / 2;
    let n = w * c;
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if n >= 16 {
        blur_simd::separable(img, &q);
        return true;
    }
    // The row sums' high and low bytes, one plane each.
    let (mut hi, mut lo) = (vec![0u8; h * n], vec![0u8; h * n]);
    let mut pad = vec![0u8; (w + 2 * r) * c];
    let borders = border_sources(w, c, r, reflect101);
    let src = img.data();
    for y in 0..h {
        pad_row(&src[y * n..(y + 1) * n], c, r, &mut pad, &borders);
        for (i, (hv, lv)) in hi[y * n..(y + 1) * n].iter_mut().zip(&mut lo[y * n..(y + 1) * n]).enumerate() {
            let sum: u16 = q.iter().enumerate().map(|(t, &kv)| kv as u16 * pad[t * c + i] as u16).sum();
            (*hv, *lv) = ((sum >> 8) as u8, sum as u8);
        }
    }
    // The column pass reads only the planes: the result goes straight into the image.
    let mut out = vec![0u8; n];
    let dst = img.data_mut();
    let mut rows: Vec<usize> = Vec::with_capacity(q.len());
    for y in 0..h {
        rows.clear();
        rows.extend((0..q.len()).map(|t| reflect101(y as isize + t as isize - r as isize, h) * n));
        for (i, o) in out.iter_mut().enumerate() {
            let (a, b) = q.iter().zip(&rows).fold((0u32, 0u32), |(a, b), (&kv, &row)| (a + kv * hi[row + i] as u32, b + kv * lo[row + i] as u32));
            *o = ((a + 128 + (b >> 8)) >> 8) as u8;
        }
        copy_color_row(&out, &mut dst[y * n..(y + 1) * n], c, color);
    }
    true
}

/// [`separable_fixed`] in wasm: the row sums H kept whole in i16 lanes, biased by −32768 (they
/// reach 65280), and the column pass summing each mirror pair of rows in one i16 dot product
/// (`k·(H₁ − 2^15) + k·(H₂ − 2^15)`); the bias comes back as `256 · 2^15` since the weights sum
/// to 256. The same exact `Σ k·H` as the two-plane form, so the same bytes.
///
/// Both passes go over a whole row per group of taps (three mirror pairs, or three pairs of
/// rows of the column sum), with the partial sums kept in a row buffer between groups: each
/// loop has its taps' weights and rows in registers and a fixed body, where a loop over the
/// taps inside the pixel loop cost the engines a reload of every row pointer and weight per
/// tap. The column pass makes two output rows at once from adjacent pairs of rows, each pair
/// interleaved once and weighted for both (callgrind, machine instructions per 256² apply at
/// σ = 1.75: 6.8 M with the taps inside, 4.9 M in groups, 4.2 M two rows at once).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod blur_simd {
    use super::{border_sources, fill_borders, pad_row, reflect101};
    use crate::image::Image;
    use core::arch::wasm32::*;

    pub fn separable(img: &mut Image, q: &[u32]) {
        let (w, h) = (img.width() as usize, img.height() as usize);
        let (channels, color) = (img.channels() as usize, img.color_channels());
        // RGBA rows are filtered as RGB (a quarter less work): packed on the way in, alpha put
        // back from the source on the way out. Rows need 16 values for the SIMD steps.
        let packed = channels == 4 && color == 3 && w * 3 >= 16;
        let c = if packed { 3 } else { channels };
        let (r, n) = (q.len() / 2, w * c);
        // The passes run over whole blocks: rows of sums and accumulators are n16 long (the
        // values past n are never read back into the image).
        let n16 = n.next_multiple_of(16);
        // The row sums live in a ring of 2r + 2 rows (all rows when the image is shorter), each
        // computed just before the first output rows that need it: the column pass then reads
        // from cache, and a 4096² image needs 2r + 2 rows of sums instead of a full copy.
        let ring = h.min(q.len() + 1);
        // Each row's place in the ring (y mod ring without a division per use).
        let slot: Vec<usize> = (0..h).scan(ring - 1, |s, _| {
            *s = if *s + 1 == ring { 0 } else { *s + 1 };
            Some(*s)
        }).collect();
        // Rows of sums one cache line longer than needed: at whole kilobyte strides the column
        // pass' 2r + 2 loads all fall into one L1 set, and the rows evict each other.
        let stride = n16 + 32;
        let mut sums = vec![0i16; ring * stride];
        // The padded row, with slack: the last block of a pass reads up to n16 − n bytes past it.
        let mut pad = vec![0u8; (w + 2 * r) * c + 16];
        let borders = border_sources(w, c, r, reflect101);
        let src = img.data();
        let k16 = |kv: u32| u16x8_splat(std::hint::black_box(kv as u16));
        // Row sums: `bias + k_r·centre` and the first mirror pairs in one pass, the other pairs
        // three to a pass added in place (each pass a tight loop over the row with its taps in
        // registers; the tap count no longer sits inside the loop).
        let centre_k = k16(q[r]);
        let row_pairs: Vec<(usize, usize, v128)> = (0..r).map(|t| (t * c, (2 * r - t) * c, k16(q[t]))).collect();
        let mut row_sums = |y: usize, sums: &mut [i16]| {
            let line = &src[y * w * channels..(y + 1) * w * channels];
            if packed {
                // Packed straight into the padded row (its last 4 bytes land in the right
                // border, written next).
                pack_rgb(line, &mut pad[r * c..]);
                fill_borders(&mut pad, c, &borders);
            } else {
                pad_row(line, c, r, &mut pad, &borders);
            }
            let row = sums[slot[y] * stride..][..n16].as_mut_ptr();
            let first = r.min(2);
            // SAFETY: the passes read pad[t·c + x .. + 8] for x + 8 ≤ n16 and t ≤ 2r, within
            // (w + 2r)·c + 16 bytes, and write row[..n16] (stride ≥ n16).
            unsafe {
                let p = pad.as_ptr();
                match first {
                    0 => row_pass::<0, true>(p, &[], (r * c, centre_k), row, n16),
                    1 => row_pass::<1, true>(p, &[row_pairs[0]], (r * c, centre_k), row, n16),
                    _ => row_pass::<2, true>(p, &[row_pairs[0], row_pairs[1]], (r * c, centre_k), row, n16),
                }
                for g in row_pairs[first..].chunks(3) {
                    match g {
                        [a] => row_pass::<1, false>(p, &[*a], (0, centre_k), row, n16),
                        [a, b] => row_pass::<2, false>(p, &[*a, *b], (0, centre_k), row, n16),
                        [a, b, d] => row_pass::<3, false>(p, &[*a, *b, *d], (0, centre_k), row, n16),
                        _ => unreachable!(),
                    }
                }
            }
        };
        // Output rows go in twos: rows y and y + 1 read the 2r + 2 rows y − r ..= y + r + 1,
        // taken as adjacent pairs. Each pair is interleaved once and weighted twice, by
        // (k[2j], k[2j+1]) for row y and (k[2j−1], k[2j]) for row y + 1 (0 outside the
        // kernel): each loaded pair serves two output rows.
        let k_at = |i: isize| if (0..q.len() as isize).contains(&i) { q[i as usize] } else { 0 };
        let weight = |a: u32, b: u32| i32x4_splat(std::hint::black_box((b << 16 | a) as i32));
        let weights: Vec<(v128, v128)> = (0..=r as isize).map(|j| (weight(k_at(2 * j), k_at(2 * j + 1)), weight(k_at(2 * j - 1), k_at(2 * j)))).collect();
        let out = Out {
            round: i32x4_splat(std::hint::black_box((256 << 15) + (1 << 15) - (128 << 16))),
            flip: i8x16_splat(std::hint::black_box(-128)),
            // Alpha (the 4th byte of RGBA) is taken from the source row; other layouts are all
            // colour. (Packed rows are all colour: their alpha comes back in `unpack_rgb`.)
            keep_alpha: c == 4 && color == 3,
            alpha: u32x4_splat(std::hint::black_box(0xff00_0000)),
        };
        let mut acc = (vec![0i32; n16], vec![0i32; n16]);
        // The two output rows (with slack for 8-byte stores), before they go into the image.
        let mut rows_out = (vec![0u8; n + 16], vec![0u8; n + 16]);
        let mut terms: Vec<Term> = Vec::with_capacity(r + 1);
        let mut next = 0;
        // Output rows y and y + 1 (RGBA alpha from their source lines; the second is computed
        // whether or not it exists, from rows the reflection names, and then not used): the
        // r + 1 row pairs, three to a pass, the accumulators kept in `acc` between passes and
        // the bytes written by the last.
        let mut column = |y: usize, lines: [&[u8]; 2], sums: &[i16], rows_out: &mut (Vec<u8>, Vec<u8>)| {
            let at = |i: usize| sums[slot[reflect101(y as isize + i as isize - r as isize, h)] * stride..].as_ptr();
            terms.clear();
            terms.extend(weights.iter().enumerate().map(|(j, &(first, second))| (at(2 * j), at(2 * j + 1), first, second)));
            let groups = terms.len().div_ceil(3);
            let a = [acc.0.as_mut_ptr(), acc.1.as_mut_ptr()];
            let (d, l) = ([rows_out.0.as_mut_ptr(), rows_out.1.as_mut_ptr()], [lines[0].as_ptr(), lines[1].as_ptr()]);
            for (i, g) in terms.chunks(3).enumerate() {
                let (init, last) = (i == 0, i + 1 == groups);
                // SAFETY: every term points at a row of n16 sums in `sums`; each accumulator
                // row holds n16 values; the last pass writes n bytes (8 at a time, at most 8
                // past n with the slack) at each output row and reads n at each line (n ≥ 16).
                unsafe {
                    match (g, init, last) {
                        ([t0], true, true) => column_pass::<1, true, true>(&[*t0], a, n, n16, d, l, &out),
                        ([t0, t1], true, true) => column_pass::<2, true, true>(&[*t0, *t1], a, n, n16, d, l, &out),
                        ([t0, t1, t2], true, true) => column_pass::<3, true, true>(&[*t0, *t1, *t2], a, n, n16, d, l, &out),
                        ([t0, t1, t2], true, false) => column_pass::<3, true, false>(&[*t0, *t1, *t2], a, n, n16, d, l, &out),
                        ([t0, t1, t2], false, false) => column_pass::<3, false, false>(&[*t0, *t1, *t2], a, n, n16, d, l, &out),
                        ([t0], false, true) => column_pass::<1, false, true>(&[*t0], a, n, n16, d, l, &out),
                        ([t0, t1], false, true) => column_pass::<2, false, true>(&[*t0, *t1], a, n, n16, d, l, &out),
                        ([t0, t1, t2], false, true) => column_pass::<3, false, true>(&[*t0, *t1, *t2], a, n, n16, d, l, &out),
                        _ => unreachable!(),
                    }
                }
            }
        };
        let line_of = |y: usize| &src[y.min(h - 1) * w * channels..][..w * channels];
        // SAFETY: each output row is written whole: `column` writes all n bytes of both rows of
        // `rows_out` (the last block overlaps the one before it when n is not a multiple of
        // 8; n ≥ 16 is the caller's promise), which go into the image by `unpack_rgb` (packed
        // RGBA: the w·4 bytes at `dst` from w·3) or by a copy of n bytes.
        let blurred = unsafe {
            img.from_rows_uninit(|y, dst| {
                if y % 2 == 0 {
                    // Rows up to y + 1 + r are in the ring; the rows these two output rows read
                    // lie within y − r ..= y + 1 + r (reflections included), fewer than `ring`
                    // apart, so none has been overwritten. (For a last row without a second,
                    // rows past the end reflect onto rows that may have been: those carry the
                    // weight 0 in the first row's sums.)
                    while next < h && next <= y + 1 + r {
                        row_sums(next, &mut sums);
                        next += 1;
                    }
                    column(y, [line_of(y), line_of(y + 1)], &sums, &mut rows_out);
                }
                let row = if y % 2 == 0 { &rows_out.0 } else { &rows_out.1 };
                if packed {
                    unpack_rgb(row, line_of(y), dst, out.alpha);
                } else {
                    std::ptr::copy_nonoverlapping(row.as_ptr(), dst, n);
                }
            })
        };
        *img = blurred;
    }

    /// One pass of row sums over `n16` values: `N` mirror pairs of taps (offsets into `pad`,
    /// weight) added to the sums at `row`, or (`INIT`) to `k·centre` biased by −2^15 (the
    /// sums reach 65280; the column pass takes them as i16).
    ///
    /// # Safety
    /// `pad` must be readable for n16 bytes from every offset the taps name; `row` writable
    /// (and, unless `INIT`, readable) for n16 values.
    #[inline(always)]
    unsafe fn row_pass<const N: usize, const INIT: bool>(pad: *const u8, taps: &[(usize, usize, v128); N], centre: (usize, v128), row: *mut i16, n16: usize) {
        let bias = u16x8_splat(0x8000);
        let mut x = 0;
        while x < n16 {
            // SAFETY: the caller's promise, x + 8 ≤ n16.
            unsafe {
                let tap = |off: usize| u16x8_load_extend_u8x8(pad.add(off + x));
                let mut a = if INIT { i16x8_add(i16x8_mul(tap(centre.0), centre.1), bias) } else { v128_load(row.add(x) as *const v128) };
                for &(l, rr, k) in taps {
                    a = i16x8_add(a, i16x8_mul(i16x8_add(tap(l), tap(rr)), k));
                }
                v128_store(row.add(x) as *mut v128, a);
            }
            x += 8;
        }
    }

    /// A term of the column sums: two adjacent rows of sums, and their weights as i16 pairs
    /// for the first and the second output row.
    type Term = (*const i16, *const i16, v128, v128);

    /// The constants of the column pass' last step.
    struct Out {
        round: v128,
        flip: v128,
        keep_alpha: bool,
        alpha: v128,
    }

    /// One pass of column sums for two output rows: `N` terms added to the i32 accumulators at
    /// `acc` (from `256·2^15 + 2^15 − 128·2^16` when `INIT`: it undoes the rows' bias, rounds,
    /// and centres the results for the signed narrows), stored back over n16 values, or
    /// (`LAST`) turned into the n bytes at `dst`, `(Σ k·H + 2^15) >> 16` each.
    ///
    /// # Safety
    /// Each term's rows must hold n16 values, each `acc` row n16 values; with `LAST`, each
    /// `dst` must be writable for n + 8 bytes and each `line` readable for n ≥ 16 bytes.
    #[inline(always)]
    unsafe fn column_pass<const N: usize, const INIT: bool, const LAST: bool>(terms: &[Term; N], acc: [*mut i32; 2], n: usize, n16: usize, dst: [*mut u8; 2], line: [*const u8; 2], out: &Out) {
        let mut x = 0;
        let end = if LAST { n } else { n16 };
        while x < end {
            // The last pass' final block overlaps the one before it when n is not a multiple
            // of 8 (it reads the accumulators, which cover n16, and writes the same bytes).
            let at = if LAST { x.min(n - 8) } else { x };
            // SAFETY: at + 8 ≤ n16 for every load and accumulator store; at + 8 ≤ n for the
            // line loads and the byte stores (the caller's promises).
            unsafe {
                let load = |p: *mut i32, i: usize| v128_load(p.add(at + 4 * i) as *const v128);
                let mut s = if INIT { [out.round; 4] } else { [load(acc[0], 0), load(acc[0], 1), load(acc[1], 0), load(acc[1], 1)] };
                for &(pa, pb, first, second) in terms {
                    let (a, b) = (v128_load(pa.add(at) as *const v128), v128_load(pb.add(at) as *const v128));
                    let (lo, hi) = (i16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(a, b), i16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(a, b));
                    s[0] = i32x4_add(s[0], i32x4_dot_i16x8(lo, first));
                    s[1] = i32x4_add(s[1], i32x4_dot_i16x8(hi, first));
                    s[2] = i32x4_add(s[2], i32x4_dot_i16x8(lo, second));
                    s[3] = i32x4_add(s[3], i32x4_dot_i16x8(hi, second));
                }
                if LAST {
                    // Each value is (Σ k·H + 2^15) >> 16, in 0..=255, less the 128 that `round`
                    // takes off: the high halves of the sums, narrowed signed (the compiler
                    // puts clamps in front of the unsigned byte narrow and of a narrow of
                    // shifted words, not here), the top bit flipped back.
                    let high = |a: v128, b: v128| i16x8_shuffle::<1, 3, 5, 7, 9, 11, 13, 15>(a, b);
                    let words = [high(s[0], s[1]), high(s[2], s[3])];
                    for k in 0..2 {
                        let blurred = v128_xor(i8x16_narrow_i16x8(words[k], words[k]), out.flip);
                        let o = if out.keep_alpha { v128_bitselect(v128_load64_zero(line[k].add(at) as *const u64), blurred, out.alpha) } else { blurred };
                        v128_store64_lane::<0>(o, dst[k].add(at) as *mut u64);
                    }
                } else {
                    for (i, v) in s.iter().enumerate() {
                        v128_store(acc[i / 2].add(at + 4 * (i % 2)) as *mut v128, *v);
                    }
                }
            }
            x += 8;
        }
    }

    /// The RGB bytes of an RGBA row (w pixels) into `out` (at least 3w + 4 bytes).
    fn pack_rgb(line: &[u8], out: &mut [u8]) {
        let w = line.len() / 4;
        // Masks through black_box: the engines build a constant mask anew in every turn.
        let take = std::hint::black_box(u8x16(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80));
        let mut x = 0;
        while x + 4 <= w {
            // SAFETY: reads line[4x .. 4x + 16] (x + 4 ≤ w); writes out[3x .. 3x + 16], within
            // 3w + 4 bytes.
            unsafe { v128_store(out.as_mut_ptr().add(3 * x) as *mut v128, i8x16_swizzle(v128_load(line.as_ptr().add(4 * x) as *const v128), take)) };
            x += 4;
        }
        for x in x..w {
            out[3 * x..3 * x + 3].copy_from_slice(&line[4 * x..4 * x + 3]);
        }
    }

    /// The RGB bytes of `rgb` (at least 3w + 4 bytes) with the alpha bytes of the RGBA `line`
    /// (w pixels) into the 4w bytes at `dst`.
    ///
    /// # Safety
    /// `dst` must be valid for 4w bytes of writes.
    unsafe fn unpack_rgb(rgb: &[u8], line: &[u8], dst: *mut u8, alpha: v128) {
        let w = line.len() / 4;
        let spread = std::hint::black_box(u8x16(0, 1, 2, 0x80, 3, 4, 5, 0x80, 6, 7, 8, 0x80, 9, 10, 11, 0x80));
        let mut x = 0;
        while x + 4 <= w {
            // SAFETY: reads rgb[3x .. 3x + 16] (within 3w + 4) and line[4x .. 4x + 16]; writes
            // dst[4x .. 4x + 16] (x + 4 ≤ w).
            unsafe {
                let colour = i8x16_swizzle(v128_load(rgb.as_ptr().add(3 * x) as *const v128), spread);
                let a = v128_and(v128_load(line.as_ptr().add(4 * x) as *const v128), alpha);
                v128_store(dst.add(4 * x) as *mut v128, v128_or(colour, a));
            }
            x += 4;
        }
        for x in x..w {
            // SAFETY: x < w, so the four bytes at dst + 4x are in the row.
            unsafe {
                std::ptr::copy_nonoverlapping(rgb.as_ptr().add(3 * x), dst.add(4 * x), 3);
                *dst.add(4 * x + 3) = line[4 * x + 3];
            }
        }
    }
}

/// albumentations' Sharpen kernel — `(1 − α)·identity + α·[[-1,-1,-1],[-1,8+λ,-1],[-1,-1,-1]]`
/// with reflect-101 borders — in integers: the 3×3 box sum S of each value is exact, and the
/// kernel is `v·(1 + 8α + αλ) − α·S`, with the two weights in 1/65536 (rounded half up at the
/// end, saturated). Within one level of the float convolution.
pub fn sharpen3(img: &mut Image, alpha: f32, lightness: f32) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let c = img.channels() as usize;
    let color = img.color_channels();
    let n = w * c;
    let one = 65536.0f64;
    let (a, l) = (alpha as f64, lightness as f64);
    let centre = ((1.0 + 8.0 * a + a * l) * one).round() as i64;
    let box_w = (a * one).round() as i64;
    // 255 × centre must fit i32 with room for the box term: true for α ≤ 1, λ ≤ 10.
    if !(0.0..=1.0).contains(&a) || !(0.0..=10.0).contains(&l) || w < 2 || h < 2 {
        let mut k = [-alpha; 9];
        k[4] = (1.0 - alpha) + alpha * (8.0 + lightness);
        return filter2d(img, &k, 3);
    }
    let (centre, box_w) = (centre as i32, box_w as i32);
    // Horizontal 3-sums of every row (reflect-101 at both ends), u16.
    let src = img.data();
    let mut sums = vec![0u16; h * n];
    for y in 0..h {
        let line = &src[y * n..(y + 1) * n];
        let out = &mut sums[y * n..(y + 1) * n];
        #[allow(unused_mut)]
        let mut from = c;
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        // SAFETY: blocks read line[i − c .. i + c + 8] and write out[i .. i + 8] with
        // i + c + 8 ≤ n.
        unsafe {
            use core::arch::wasm32::*;
            while from + c + 8 <= n {
                let at = |k: usize| u16x8_load_extend_u8x8(line.as_ptr().add(k));
                let sum = i16x8_add(i16x8_add(at(from - c), at(from)), at(from + c));
                v128_store(out.as_mut_ptr().add(from) as *mut v128, sum);
                from += 8;
            }
        }
        for i in from..n - c {
            out[i] = line[i - c] as u16 + line[i] as u16 + line[i + c] as u16;
        }
        for i in 0..c {
            out[i] = 2 * line[i + c] as u16 + line[i] as u16;
            out[n - c + i] = 2 * line[n - 2 * c + i] as u16 + line[n - c + i] as u16;
        }
    }
    let mut result = img.clone();
    let dst = result.data_mut();
    let mut out = vec![0u8; n];
    for y in 0..h {
        let (up, down) = (reflect101(y as isize - 1, h), reflect101(y as isize + 1, h));
        let (s0, s1, s2) = (&sums[up * n..(up + 1) * n], &sums[y * n..(y + 1) * n], &sums[down * n..(down + 1) * n]);
        let line = &src[y * n..(y + 1) * n];
        #[allow(unused_mut)]
        let mut start = 0;
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        // SAFETY: blocks end at i + 8 ≤ n, the length of every row slice read and of `out`.
        unsafe {
            use core::arch::wasm32::*;
            let (cw, bw, half) = (i32x4_splat(centre), i32x4_splat(box_w), i32x4_splat(1 << 15));
            while start + 8 <= n {
                let i = start;
                let v = u16x8_load_extend_u8x8(line.as_ptr().add(i));
                let at = |s: &[u16]| v128_load(s.as_ptr().add(i) as *const v128);
                // At most 9 × 255: exact in u16.
                let boxed = i16x8_add(i16x8_add(at(s0), at(s1)), at(s2));
                let half_sum = |v: v128, b: v128| i32x4_shr(i32x4_add(i32x4_sub(i32x4_mul(v, cw), i32x4_mul(b, bw)), half), 16);
                let lo = half_sum(u32x4_extend_low_u16x8(v), u32x4_extend_low_u16x8(boxed));
                let hi = half_sum(u32x4_extend_high_u16x8(v), u32x4_extend_high_u16x8(boxed));
                let v16 = i16x8_narrow_i32x4(lo, hi);
                v128_store64_lane::<0>(u8x16_narrow_i16x8(v16, v16), out.as_mut_ptr().add(i) as *mut u64);
                start += 8;
            }
        }
        for i in start..n {
            let boxed = s0[i] as i32 + s1[i] as i32 + s2[i] as i32;
            let v = line[i] as i32 * centre - boxed * box_w + (1 << 15);
            out[i] = (v >> 16).clamp(0, 255) as u8;
        }
        copy_color_row(&out, &mut dst[y * n..(y + 1) * n], c, color);
    }
    *img = result;
}

/// Convolves the colour channels with a `size`×`size` kernel (row-major, odd size). Zero taps
/// are skipped, so sparse kernels (motion lines, disks) cost only their non-zero taps; each tap
/// is a multiply-add over a padded row, summed in kernel order for every value.
pub fn filter2d(img: &mut Image, k: &[f32], size: usize) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let c = img.channels() as usize;
    let color = img.color_channels();
    let r = size / 2;
    let pw = (w + 2 * r) * c;
    let n = w * c;
    let mut padded = vec![0f32; (h + 2 * r) * pw];
    for (py, y) in (-(r as isize)..(h + r) as isize).enumerate() {
        padded_row(img.data(), reflect101(y, h), w, c, r, &mut padded[py * pw..(py + 1) * pw]);
    }
    let taps: Vec<(usize, usize, f32)> = (0..size * size).filter(|&i| k[i] != 0.0).map(|i| (i / size, i % size, k[i])).collect();
    let mut acc = vec![0f32; n];
    let out = img.data_mut();
    for y in 0..h {
        acc.fill(0.0);
        for &(ty, tx, kv) in &taps {
            let start = (y + ty) * pw + tx * c;
            for (a, &v) in acc.iter_mut().zip(&padded[start..start + n]) {
                *a += kv * v;
            }
        }
        store_row(&acc, &mut out[y * n..(y + 1) * n], c, color);
    }
}

/// Convolves the colour channels with a disk of radius `r` (the offsets with dx² + dy² ≤ r², each
/// weighing 1/count), then with the odd-length kernel `g` along rows and columns, plus the sparse
/// kernel `extra` ((dy, dx, weight) from the centre), all with reflect-101 borders: what
/// [`filter2d`] computes with the kernel `g ⊗ g ∗ disk / count + extra`, but in O(r) rather than
/// O(r²) per value. Each disk row is a run of pixels, so the disk sums are differences of row
/// prefix sums (exact integers); the Gaussian and the extra taps are f32 multiply-adds over rows.
/// Alpha stays.
pub fn disk_blur(img: &mut Image, r: usize, g: &[f32], extra: &[(isize, isize, f32)]) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let c = img.channels() as usize;
    let color = img.color_channels();
    let gr = g.len() / 2;
    let reach = extra.iter().map(|&(dy, dx, _)| dy.unsigned_abs().max(dx.unsigned_abs())).max().unwrap_or(0);
    let pad = (r + gr).max(reach);
    let pw = w + 2 * pad;
    let padded = padded_image(img, pad);
    // Half-widths of the disk's rows, and its pixel count.
    let half: Vec<usize> = (0..=2 * r).map(|i| {
        let dy = i as isize - r as isize;
        let rest = (r * r) as isize - dy * dy;
        (0..=r).rev().find(|&a| (a * a) as isize <= rest).unwrap_or(0)
    }).collect();
    let count: usize = half.iter().map(|&a| 2 * a + 1).sum();
    let gh: Vec<f32> = g.iter().map(|&v| v / count as f32).collect();
    // Prefix sums of the padded rows a disk needs, in a ring of 2r + 1 rows.
    let span = (pw + 1) * c;
    let mut sums = vec![0i32; (2 * r + 1) * span];
    let mut next_sum_row = 0usize;
    // Disk sums over a row of the extended area (columns −gr .. w + gr), and Gaussian-blurred
    // rows (columns 0 .. w) in a ring of 2gr + 1.
    let ext = (w + 2 * gr) * c;
    let n = w * c;
    let mut disk = vec![0i32; ext];
    let mut blurred = vec![0f32; (2 * gr + 1) * n];
    let mut acc = vec![0f32; n];
    // The rows each pass reads, as offsets into their buffer (reused from row to row): the
    // disk's spans (hi, lo) in `sums`, the Gaussian's taps in `disk` and in `blurred`, the edge
    // corrections in `padded` (from the output row's start).
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(2 * r + 1);
    let disk_taps: Vec<(usize, f32)> = gh.iter().enumerate().map(|(j, &k)| (j * c, k)).collect();
    let mut blurred_taps: Vec<(usize, f32)> = Vec::with_capacity(g.len());
    let extra_taps: Vec<(usize, f32)> = extra.iter().map(|&(dy, dx, k)| (((pad as isize + dy) as usize * pw + (pad as isize + dx) as usize) * c, k)).collect();
    let out = img.data_mut();
    // Row uy of the extended area (−gr .. h + gr) is centred on padded row uy + pad.
    for uy in 0..h + 2 * gr {
        let py = uy + pad - gr;
        while next_sum_row <= py + r {
            let row = &padded[next_sum_row * pw * c..(next_sum_row + 1) * pw * c];
            let s = &mut sums[(next_sum_row % (2 * r + 1)) * span..][..span];
            s[..c].fill(0);
            for i in 0..pw * c {
                s[i + c] = s[i] + row[i] as i32;
            }
            next_sum_row += 1;
        }
        // Extended column ux starts at padded column ux + pad − gr. The disk's rows three to a
        // pass over `disk` (the first pass writes it): one load and store of each sum per three
        // rows instead of per row.
        let first = pad - gr;
        spans.clear();
        spans.extend(half.iter().enumerate().map(|(i, &a)| {
            let row = ((py + i - r) % (2 * r + 1)) * span;
            (row + (first + a + 1) * c, row + (first - a) * c)
        }));
        add_spans(&mut disk, &sums, &spans);
        // The float sums tap by tap, several taps per pass over the row: each value takes the
        // same additions in the same order as with one pass per tap, so the same bytes.
        let b = &mut blurred[(uy % (2 * gr + 1)) * n..][..n];
        mul_add_rows(b, &disk, 0, &disk_taps, true);
        if uy < 2 * gr {
            continue;
        }
        // Output row y = uy − 2gr takes blurred rows y − gr .. y + gr (extended rows y .. uy).
        let y = uy - 2 * gr;
        blurred_taps.clear();
        blurred_taps.extend(g.iter().enumerate().map(|(j, &k)| (((y + j) % (2 * gr + 1)) * n, k)));
        mul_add_rows(&mut acc, &blurred, 0, &blurred_taps, true);
        mul_add_rows(&mut acc, &padded, y * pw * c, &extra_taps, false);
        store_row(&acc, &mut out[y * n..(y + 1) * n], c, color);
    }
}

/// A value a float row sum takes.
trait Term: Copy {
    fn f32(self) -> f32;
}

impl Term for u8 {
    #[inline(always)]
    fn f32(self) -> f32 {
        self as f32
    }
}

impl Term for i32 {
    #[inline(always)]
    fn f32(self) -> f32 {
        self as f32
    }
}

impl Term for f32 {
    #[inline(always)]
    fn f32(self) -> f32 {
        self
    }
}

/// `acc[i] += k·src[base + at + i]` for every `(at, k)` of `taps` in order (from 0.0 with
/// `init`), three taps per pass over the row: every value takes the same operations in the same
/// order as with one pass per tap, so the same floats.
fn mul_add_rows<T: Term>(acc: &mut [f32], src: &[T], base: usize, taps: &[(usize, f32)], init: bool) {
    if init {
        acc.fill(0.0);
    }
    let n = acc.len();
    let row = |&(at, k): &(usize, f32)| (&src[base + at..][..n], k);
    for group in taps.chunks(3) {
        match group {
            [t0, t1, t2] => mul_add_group(acc, [row(t0), row(t1), row(t2)]),
            [t0, t1] => mul_add_group(acc, [row(t0), row(t1)]),
            [t0] => mul_add_group(acc, [row(t0)]),
            _ => unreachable!("chunks of one to three"),
        }
    }
}

/// [`mul_add_rows`] for one pass: rows of the accumulator's length.
#[inline(always)]
fn mul_add_group<T: Term, const N: usize>(acc: &mut [f32], taps: [(&[T], f32); N]) {
    for (i, a) in acc.iter_mut().enumerate() {
        let mut x = *a;
        for (v, k) in &taps {
            x += k * v[i].f32();
        }
        *a = x;
    }
}

/// Writes into `disk` the sum over `spans` of `sums[hi + i] − sums[lo + i]`, three spans per
/// pass over `disk` (the first pass writes, the others add). `spans` must not be empty.
fn add_spans(disk: &mut [i32], sums: &[i32], spans: &[(usize, usize)]) {
    let n = disk.len();
    let span = |&(hi, lo): &(usize, usize)| (&sums[hi..][..n], &sums[lo..][..n]);
    for (k, group) in spans.chunks(3).enumerate() {
        match group {
            [s0, s1, s2] => add_span_group(disk, [span(s0), span(s1), span(s2)], k == 0),
            [s0, s1] => add_span_group(disk, [span(s0), span(s1)], k == 0),
            [s0] => add_span_group(disk, [span(s0)], k == 0),
            _ => unreachable!("chunks of one to three"),
        }
    }
}

/// [`add_spans`] for one pass: spans of the disk row's length.
#[inline(always)]
fn add_span_group<const N: usize>(disk: &mut [i32], spans: [(&[i32], &[i32]); N], init: bool) {
    if init {
        for (i, d) in disk.iter_mut().enumerate() {
            *d = spans.iter().map(|(hi, lo)| hi[i] - lo[i]).sum();
        }
    } else {
        for (i, d) in disk.iter_mut().enumerate() {
            *d += spans.iter().map(|(hi, lo)| hi[i] - lo[i]).sum::<i32>();
        }
    }
}

/// The mean of `n` whole values from their sum, as `round(sum / n)` in Q15: `(sum × M + 2^14)
/// >> 15` with `M = round(2^15 / n)`, the rounded product `i16x8.q15mulr_sat` computes (sums
/// below 2^15). Within 0.5 + sum/2^16 of the exact mean, so exact but for near-ties.
#[inline(always)]
fn mean_q15(sum: u16, m: i16) -> u8 {
    ((sum as i32 * m as i32 + (1 << 14)) >> 15).clamp(0, 255) as u8
}

/// Largest tap count [`mean_taps`] takes: sums of 64 values fit the Q15 mean.
pub const MEAN_TAPS_MAX: usize = 64;

/// Replaces every colour value by the mean of its `taps` (offsets `(dy, dx)` from the window's
/// corner, window `2r + 1` wide, reflect-101 borders): the equal-weight kernels of motion blur.
/// Sums are exact in u16 lanes (eight values per SIMD step, two instructions per tap), the mean
/// rounded in Q15 (see [`mean_q15`]); wasm and native give the same bytes. Alpha stays.
/// Returns false (and changes nothing) beyond [`MEAN_TAPS_MAX`] taps.
pub fn mean_taps(img: &mut Image, taps: &[(usize, usize)], r: usize) -> bool {
    let n = taps.len();
    if n == 0 || n > MEAN_TAPS_MAX {
        return false;
    }
    let m = (32768.0 / n as f64).round().min(32767.0) as i16;
    let (w, h) = (img.width() as usize, img.height() as usize);
    let c = img.channels() as usize;
    let color = img.color_channels();
    let row_len = w * c;
    let pw = (w + 2 * r) * c;
    let pad = padded_image(img, r);
    let offsets: Vec<usize> = taps.iter().map(|&(dy, dx)| dy * pw + dx * c).collect();
    let mut out = vec![0u8; row_len];
    let dst = img.data_mut();
    for y in 0..h {
        let base = y * pw;
        #[allow(unused_mut)]
        let mut x = 0;
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        // SAFETY: blocks end at x + 8 ≤ row_len; tap (dy, dx) reads pad[base + dy·pw + dx·c + x
        // .. + 8] with dy ≤ 2r and dx·c + row_len ≤ pw: inside the padded image.
        unsafe {
            use core::arch::wasm32::*;
            let mq = i16x8_splat(std::hint::black_box(m));
            let (p, o) = (pad.as_ptr().add(base), out.as_mut_ptr());
            // Up to eight taps (the lines of MotionBlur's default sizes) with the count fixed:
            // the taps' offsets stay in registers, where a loop over them reloads each per
            // block.
            x = match offsets[..] {
                [a] => mean_blocks(p, [a], o, row_len, mq),
                [a, b] => mean_blocks(p, [a, b], o, row_len, mq),
                [a, b, c] => mean_blocks(p, [a, b, c], o, row_len, mq),
                [a, b, c, d] => mean_blocks(p, [a, b, c, d], o, row_len, mq),
                [a, b, c, d, e] => mean_blocks(p, [a, b, c, d, e], o, row_len, mq),
                [a, b, c, d, e, f] => mean_blocks(p, [a, b, c, d, e, f], o, row_len, mq),
                [a, b, c, d, e, f, g] => mean_blocks(p, [a, b, c, d, e, f, g], o, row_len, mq),
                [a, b, c, d, e, f, g, i] => mean_blocks(p, [a, b, c, d, e, f, g, i], o, row_len, mq),
                _ => {
                    while x + 8 <= row_len {
                        let mut sum = u16x8_splat(0);
                        for &t in &offsets {
                            sum = i16x8_add(sum, u16x8_load_extend_u8x8(p.add(t + x)));
                        }
                        let mean = i16x8_q15mulr_sat(sum, mq);
                        v128_store64_lane::<0>(u8x16_narrow_i16x8(mean, mean), o.add(x) as *mut u64);
                        x += 8;
                    }
                    x
                }
            };
        }
        for (i, o) in out.iter_mut().enumerate().skip(x) {
            let sum: u16 = offsets.iter().map(|&t| pad[base + t + i] as u16).sum();
            *o = mean_q15(sum, m);
        }
        copy_color_row(&out, &mut dst[y * row_len..(y + 1) * row_len], c, color);
    }
    true
}

/// [`mean_taps`]' blocks of eight values for `N` taps at `offsets` from `p`: the rounded Q15
/// mean of each into `out`, up to the last whole block of `len` values; returns where it
/// stopped.
///
/// # Safety
/// Every `p + offset + x .. + 8` for x + 8 ≤ len must be readable, `out` writable for len bytes.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
unsafe fn mean_blocks<const N: usize>(p: *const u8, offsets: [usize; N], out: *mut u8, len: usize, mq: core::arch::wasm32::v128) -> usize {
    use core::arch::wasm32::*;
    let mut x = 0;
    while x + 8 <= len {
        // SAFETY: x + 8 ≤ len, the caller's promise.
        unsafe {
            let mut sum = u16x8_load_extend_u8x8(p.add(offsets[0] + x));
            for &t in &offsets[1..] {
                sum = i16x8_add(sum, u16x8_load_extend_u8x8(p.add(t + x)));
            }
            let mean = i16x8_q15mulr_sat(sum, mq);
            v128_store64_lane::<0>(u8x16_narrow_i16x8(mean, mean), out.add(x) as *mut u64);
        }
        x += 8;
    }
    x
}

/// The median of each `ksize`×`ksize` window (odd size), edges replicated. A 3×3 window takes
/// [`median3`], 5×5 and 7×7 [`median_network`]; larger ones slide a histogram of the window
/// along each row (Huang's algorithm): each step removes one column and adds one, and the median
/// is found by walking the cumulative count from the previous median.
pub fn median(img: &mut Image, ksize: usize) {
    match ksize {
        3 => return median3(img),
        5 | 7 => return median_network(img, ksize),
        _ => {}
    }
    let (w, h) = (img.width() as usize, img.height() as usize);
    let c = img.channels() as usize;
    let color = img.color_channels();
    let r = (ksize / 2) as isize;
    let half = (ksize * ksize / 2) as u32; // the median is the (half + 1)-th smallest
    // The source stays as it is (its pixels shared, not copied); writing `img` copies them once.
    let original = img.clone();
    let src = original.data();
    let out = img.data_mut();
    let at = |x: isize, y: isize, ch: usize| src[((y.clamp(0, h as isize - 1) as usize) * w + x.clamp(0, w as isize - 1) as usize) * c + ch];
    for ch in 0..color {
        for y in 0..h as isize {
            let mut hist = [0u32; 256];
            for dy in -r..=r {
                for dx in -r..=r {
                    hist[at(dx, y + dy, ch) as usize] += 1;
                }
            }
            // `below` counts the window values under `m`.
            let mut m = 0usize;
            let mut below = 0u32;
            for x in 0..w as isize {
                if x > 0 {
                    for dy in -r..=r {
                        let old = at(x - 1 - r, y + dy, ch) as usize;
                        let new = at(x + r, y + dy, ch) as usize;
                        hist[old] -= 1;
                        hist[new] += 1;
                        below -= (old < m) as u32;
                        below += (new < m) as u32;
                    }
                }
                while below > half {
                    m -= 1;
                    below -= hist[m];
                }
                while below + hist[m] <= half {
                    below += hist[m];
                    m += 1;
                }
                out[(y as usize * w + x as usize) * c + ch] = m as u8;
            }
        }
    }
}

#[inline]
fn median_of_3(a: u8, b: u8, c: u8) -> u8 {
    a.min(b).max(a.max(b).min(c))
}

/// The 3×3 median with byte-wise min/max over whole rows (the compiler vectorises them, 16
/// values per instruction). Each padded column of three values is sorted once into low, middle
/// and high rows, shared by the three windows that contain it; the median of a window is then
/// the median of (the largest low, the median middle, the smallest high) of its three columns,
/// an exact identity for sorted columns. Rows are padded (edges replicated) into a ring of three
/// just before the output overwrites them, so the image is filtered in place without a copy.
fn median3(img: &mut Image) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let c = img.channels() as usize;
    let color = img.color_channels();
    if w == 0 || h == 0 {
        return;
    }
    let (n, pw) = (w * c, (w + 2) * c);
    let data = img.data_mut();
    let mut ring = [vec![0u8; pw], vec![0u8; pw], vec![0u8; pw]];
    let (mut lo, mut mid, mut hi, mut out) = (vec![0u8; pw], vec![0u8; pw], vec![0u8; pw], vec![0u8; n]);
    let borders = border_sources(w, c, 1, replicate);
    pad_row(&data[..n], c, 1, &mut ring[0], &borders);
    for y in 0..h {
        // Row y + 1 (or the last, replicated) is padded before row y is overwritten.
        let next = (y + 1).min(h - 1);
        if next != y {
            pad_row(&data[next * n..(next + 1) * n], c, 1, &mut ring[next % 3], &borders);
        }
        let (a, b, d) = (&ring[y.saturating_sub(1) % 3], &ring[y % 3], &ring[next % 3]);
        // Slices of equal length, so the loops run without bounds checks and vectorise.
        let (a, b, d) = (&a[..pw], &b[..pw], &d[..pw]);
        let (lo_, mid_, hi_) = (&mut lo[..pw], &mut mid[..pw], &mut hi[..pw]);
        for i in 0..pw {
            let (p, q, v) = (a[i], b[i], d[i]);
            let (small, large) = (p.min(q), p.max(q));
            lo_[i] = small.min(v);
            let t = small.max(v);
            mid_[i] = large.min(t);
            hi_[i] = large.max(t);
        }
        let (l0, l1, l2) = (&lo[..n], &lo[c..c + n], &lo[2 * c..2 * c + n]);
        let (m0, m1, m2) = (&mid[..n], &mid[c..c + n], &mid[2 * c..2 * c + n]);
        let (h0, h1, h2) = (&hi[..n], &hi[c..c + n], &hi[2 * c..2 * c + n]);
        let out_ = &mut out[..n];
        for i in 0..n {
            let low = l0[i].max(l1[i]).max(l2[i]);
            let high = h0[i].min(h1[i]).min(h2[i]);
            out_[i] = median_of_3(low, median_of_3(m0[i], m1[i], m2[i]), high);
        }
        copy_color_row(&out, &mut data[y * n..(y + 1) * n], c, color);
    }
}

/// Which outputs of a compare-exchange are still needed.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Keep {
    Both,
    Min,
    Max,
}

/// `(a, b) ← (min, max)` value by value, or only the half that is needed.
fn compare_exchange(a: &mut [u8], b: &mut [u8], keep: Keep) {
    let n = a.len().min(b.len());
    let (a, b) = (&mut a[..n], &mut b[..n]);
    #[allow(unused_mut)]
    let mut done = 0;
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    // SAFETY: every block ends at done + 16 ≤ n, within both slices.
    unsafe {
        use core::arch::wasm32::*;
        let (pa, pb) = (a.as_mut_ptr(), b.as_mut_ptr());
        while done + 16 <= n {
            let (x, z) = (v128_load(pa.add(done) as *const v128), v128_load(pb.add(done) as *const v128));
            if keep != Keep::Max {
                v128_store(pa.add(done) as *mut v128, u8x16_min(x, z));
            }
            if keep != Keep::Min {
                v128_store(pb.add(done) as *mut v128, u8x16_max(x, z));
            }
            done += 16;
        }
    }
    let (a, b) = (&mut a[done..], &mut b[done..]);
    match keep {
        Keep::Both => {
            for (x, y) in a.iter_mut().zip(b.iter_mut()) {
                let (p, q) = (*x, *y);
                *x = p.min(q);
                *y = p.max(q);
            }
        }
        Keep::Min => a.iter_mut().zip(b.iter()).for_each(|(x, &y)| *x = (*x).min(y)),
        Keep::Max => a.iter().zip(b.iter_mut()).for_each(|(&x, y)| *y = x.max(*y)),
    }
}

/// Batcher's odd-even merge sort of `lines` lines (a power of two) whose groups of `group`
/// consecutive lines are already sorted: the comparators (low line, high line) in order.
fn batcher(lines: usize, group: usize) -> Vec<(usize, usize)> {
    fn merge(lo: usize, n: usize, r: usize, out: &mut Vec<(usize, usize)>) {
        let step = r * 2;
        if step < n {
            merge(lo, n, step, out);
            merge(lo + r, n, step, out);
            out.extend((lo + r..lo + n - r).step_by(step).map(|i| (i, i + r)));
        } else {
            out.push((lo, lo + r));
        }
    }
    fn sort(lo: usize, n: usize, group: usize, out: &mut Vec<(usize, usize)>) {
        if n > group {
            sort(lo, n / 2, group, out);
            sort(lo + n / 2, n / 2, group, out);
            merge(lo, n, 1, out);
        }
    }
    let mut out = Vec::new();
    sort(0, lines, group, &mut out);
    out
}

/// Runs a sorting network on `lines` lines where only those with a buffer in `at` hold values
/// (the others are +∞, so they sort last): comparators with a +∞ line are dropped or become a
/// relabelling. Returns the comparators on buffers and, per line, its final buffer.
fn with_infinities(pairs: &[(usize, usize)], mut at: Vec<Option<usize>>) -> (Vec<(usize, usize)>, Vec<Option<usize>>) {
    let mut ops = Vec::new();
    for &(i, j) in pairs {
        match (at[i], at[j]) {
            (Some(a), Some(b)) => ops.push((a, b)),
            (None, Some(_)) => at.swap(i, j),
            _ => {}
        }
    }
    (ops, at)
}

/// The window network of [`median_network`] on the k² values of a window whose k columns are
/// sorted (value kj + q is column j's rank q), with the value the median ends in.
///
/// Sorting each rank across the columns (row q of the k × k matrix of ranks) keeps the columns
/// sorted, so afterwards the value at (q, j) has at least (q + 1)(j + 1) values at or below it
/// and (k − q)(k − j) at or above it. Those with more than k²/2 + 1 values at or above them
/// come before the median in sorted order, those with more than k²/2 + 1 at or below after it
/// (with exactly k²/2 + 1 a value can be the median itself: (2, 2) of 7×7): as many on each
/// side, so the median is the median of the rest (13 of 25 for 5×5, 29 of 49 for 7×7). Each rank row is
/// sorted only as far as its remaining positions need, then Batcher's merge of the remaining
/// runs (each sorted, padded to a power of two with +∞) selects their median; the whole network
/// is pruned backwards to the comparators (and the halves of them) the median depends on.
/// Fewer comparators than merging the sorted columns (134 against 152 min/max for 5×5), and the
/// rank rows are done one after another, so few values are live at once.
fn window_network(k: usize) -> (Vec<(usize, usize, Keep)>, usize) {
    let half = k * k / 2;
    let lines = k.next_power_of_two();
    let (row_ops, row_at) = with_infinities(&batcher(lines, 1), (0..lines).map(|i| (i < k).then_some(i)).collect());
    let sorted_at = |j: usize| row_at[j].expect("k values");
    // Positions (after the row sort) that may hold the median; the others lie certainly at or
    // below it (`below` of them) or certainly at or above it (as many).
    let candidates = |q: usize| (0..k).filter(move |&j| (q + 1) * (j + 1) <= half + 1 && (k - q) * (k - j) <= half + 1);
    let below = (0..k).flat_map(|q| (0..k).map(move |j| (q, j))).filter(|&(q, j)| (k - q) * (k - j) > half + 1).count();
    let mut ops: Vec<(usize, usize)> = Vec::new();
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for q in 0..k {
        ops.extend(row_ops.iter().map(|&(a, b)| (k * a + q, k * b + q)));
        runs.push(candidates(q).map(|j| k * sorted_at(j) + q).collect());
    }
    let run_lines = runs.iter().map(Vec::len).max().unwrap_or(1).next_power_of_two();
    let all_lines = k.next_power_of_two() * run_lines;
    let at = (0..all_lines).map(|l| runs.get(l / run_lines).and_then(|run| run.get(l % run_lines)).copied()).collect();
    let (merge, merged_at) = with_infinities(&batcher(all_lines, run_lines), at);
    ops.extend(merge);
    let result = merged_at[half - below].expect("the median is a value");
    let mut live = vec![false; k * k];
    live[result] = true;
    let mut window: Vec<(usize, usize, Keep)> = Vec::new();
    for &(a, b) in ops.iter().rev() {
        let keep = match (live[a], live[b]) {
            (true, true) => Keep::Both,
            (true, false) => Keep::Min,
            (false, true) => Keep::Max,
            (false, false) => continue,
        };
        window.push((a, b, keep));
        live[a] = true;
        live[b] = true;
    }
    window.reverse();
    (window, result)
}

/// The median of each 5×5 or 7×7 window by comparator networks (byte-wise min/max, sixteen
/// values per instruction in wasm): each output row sorts its k padded source rows value by
/// value, which sorts every column of the window; the [`window_network`] over the k sorted
/// columns of a window then selects the median. In wasm the network is written out
/// ([`median_simd`]) and runs on sixteen values at a time in registers; elsewhere it runs on
/// whole rows, one comparator at a time, for all windows of the row at once.
fn median_network(img: &mut Image, k: usize) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let c = img.channels() as usize;
    let color = img.color_channels();
    if w == 0 || h == 0 {
        return;
    }
    let r = k / 2;
    let (n, pw) = (w * c, (w + 2 * r) * c);
    // Sorting one column of k values: buffers 0..k, lines padded to 8.
    let (column, ranks) = with_infinities(&batcher(8, 1), (0..8).map(|i| (i < k).then_some(i)).collect());
    // The buffer that ends up holding rank q of each column.
    let ranks: Vec<usize> = ranks[..k].iter().map(|b| b.expect("k ranks")).collect();
    let (window, result) = window_network(k);
    let data = img.data_mut();
    let mut ring = vec![vec![0u8; pw]; k];
    let mut sorted = vec![vec![0u8; pw]; k];
    let mut values = vec![vec![0u8; n]; k * k];
    let live: Vec<bool> = (0..k * k).map(|v| v == result || window.iter().any(|&(a, b, _)| a == v || b == v)).collect();
    let borders = border_sources(w, c, r, replicate);
    let mut padded = 0; // rows padded into the ring so far
    for y in 0..h {
        // Rows up to y + r are padded before row y is overwritten.
        while padded < h && padded <= y + r {
            pad_row(&data[padded * n..(padded + 1) * n], c, r, &mut ring[padded % k], &borders);
            padded += 1;
        }
        for (q, buf) in sorted.iter_mut().enumerate() {
            let row = (y + q).saturating_sub(r).min(h - 1);
            buf.copy_from_slice(&ring[row % k]);
        }
        for &(a, b) in &column {
            let [x, z] = sorted.get_disjoint_mut([a, b]).expect("distinct buffers");
            compare_exchange(x, z, Keep::Both);
        }
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        if n >= 16 {
            // Sixteen values at a time through the written-out network, straight from the
            // sorted rows.
            let out = &mut values[0];
            match (k, c) {
                (5, 4) => median_row::<5, 4, median_simd::Median5>(&sorted, &ranks, out),
                (5, 3) => median_row::<5, 3, median_simd::Median5>(&sorted, &ranks, out),
                (5, _) => median_row::<5, 1, median_simd::Median5>(&sorted, &ranks, out),
                (_, 4) => median_row::<7, 4, median_simd::Median7>(&sorted, &ranks, out),
                (_, 3) => median_row::<7, 3, median_simd::Median7>(&sorted, &ranks, out),
                (_, _) => median_row::<7, 1, median_simd::Median7>(&sorted, &ranks, out),
            }
            copy_color_row(&values[0], &mut data[y * n..(y + 1) * n], c, color);
            continue;
        }
        for (v, value) in values.iter_mut().enumerate().filter(|(v, _)| live[*v]) {
            let (j, q) = (v / k, v % k);
            let rank = &sorted[ranks[q]];
            value.copy_from_slice(&rank[j * c..j * c + n]);
        }
        for &(a, b, keep) in &window {
            let [x, z] = values.get_disjoint_mut([a, b]).expect("distinct buffers");
            compare_exchange(x, z, keep);
        }
        copy_color_row(&values[result], &mut data[y * n..(y + 1) * n], c, color);
    }
}

/// The K×K medians of one output row (`out.len()` ≥ 16 values, `C` channels) from the K sorted
/// rows of its window (`sorted[ranks[q]]` holds rank q of every column, each row padded by K / 2
/// pixels a side) through the written-out network `N`, sixteen values at a time (the last block
/// overlaps the one before it). K and C are constants so that every load is a fixed offset from
/// its rank's row.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn median_row<const K: usize, const C: usize, N: median_simd::Network>(sorted: &[Vec<u8>], ranks: &[usize], out: &mut [u8]) {
    use core::arch::wasm32::*;
    let n = out.len();
    let rank_rows: [&[u8]; K] = std::array::from_fn(|q| sorted[ranks[q]].as_slice());
    assert!(n >= 16 && rank_rows.iter().all(|row| row.len() >= n + (K - 1) * C));
    let mut i = 0;
    while i < n {
        let at = i.min(n - 16);
        let rows: [*const u8; K] = std::array::from_fn(|q| rank_rows[q][at..].as_ptr());
        // SAFETY: column j of rank q is read at j·C + at .. + 16 ≤ (K − 1)·C + n, within every
        // sorted row (asserted above); `out` has n bytes.
        unsafe {
            let load = |v: usize| v128_load(rows[v % K].add(v / K * C) as *const v128);
            v128_store(out.as_mut_ptr().add(at) as *mut v128, N::median(load));
        }
        i += 16;
    }
}

/// The networks of [`window_network`] for 5×5 and 7×7, written out so they compile to
/// straight-line SIMD on values held in registers (a test checks them against the builder):
/// `(a, b, B)` sorts a pair, `L` keeps only the smaller in `a`, `H` only the larger in `b`.
/// In wasm at 256² RGBA, 7×7 runs 1.9× faster this way than through the row-wise network (its
/// values spill, but a spill costs less than a pass over a row).
#[cfg(any(test, all(target_arch = "wasm32", target_feature = "simd128")))]
mod median_simd {
    #[cfg(target_arch = "wasm32")]
    use core::arch::wasm32::*;

    /// A written-out network: the median of each byte position over the vectors `load(v)`.
    #[cfg(target_arch = "wasm32")]
    pub trait Network {
        fn median(load: impl Fn(usize) -> v128) -> v128;
    }

    macro_rules! networks {
        ($($name:ident, $list:ident, $k:literal, $result:literal: [$(($a:literal, $b:literal, $keep:ident)),* $(,)?];)*) => {$(
            /// The comparators, for the test against [`super::window_network`].
            #[cfg(test)]
            pub const $list: (&[(usize, usize, char)], usize) = (&[$(($a, $b, networks!(@char $keep))),*], $result);

            #[cfg(target_arch = "wasm32")]
            pub struct $name;

            #[cfg(target_arch = "wasm32")]
            impl Network for $name {
                /// The median of each byte position over the k² vectors `load(kj + q)` (column
                /// j, rank q). Each vector is loaded where the network first needs it (a vector
                /// not yet in `v` is `None`; the compiler resolves every such test, the network
                /// being straight-line code): filling an array of all k² first left a loop that
                /// stored them to memory, 3× slower for 5×5.
                #[inline(always)]
                fn median(load: impl Fn(usize) -> v128) -> v128 {
                    let mut v: [Option<v128>; $k * $k] = [None; $k * $k];
                    $(networks!(@op v, load, $a, $b, $keep);)*
                    networks!(@get v, load, $result)
                }
            }
        )*};
        (@get $v:ident, $load:ident, $i:literal) => {
            match $v[$i] {
                Some(x) => x,
                None => $load($i),
            }
        };
        (@op $v:ident, $load:ident, $a:literal, $b:literal, B) => {{
            let (x, y) = (networks!(@get $v, $load, $a), networks!(@get $v, $load, $b));
            $v[$a] = Some(u8x16_min(x, y));
            $v[$b] = Some(u8x16_max(x, y));
        }};
        (@op $v:ident, $load:ident, $a:literal, $b:literal, L) => {
            $v[$a] = Some(u8x16_min(networks!(@get $v, $load, $a), networks!(@get $v, $load, $b)));
        };
        (@op $v:ident, $load:ident, $a:literal, $b:literal, H) => {
            $v[$b] = Some(u8x16_max(networks!(@get $v, $load, $a), networks!(@get $v, $load, $b)));
        };
        (@char B) => { 'B' };
        (@char L) => { 'L' };
        (@char H) => { 'H' };
    }

    networks! {
        Median5, MEDIAN5, 5, 17: [
            (0, 5, B), (10, 15, B), (0, 10, B), (5, 15, B), (5, 10, H), (0, 20, H), (10, 20, H),
            (15, 20, B), (1, 6, B), (11, 16, B), (1, 11, B), (6, 16, B), (6, 11, B), (1, 21, H),
            (11, 21, B), (6, 11, H), (16, 21, B), (2, 7, B), (12, 17, B), (2, 12, B), (7, 17, B),
            (7, 12, B), (2, 22, H), (12, 22, B), (7, 12, B), (17, 22, L), (3, 8, B), (13, 18, B),
            (3, 13, B), (8, 18, L), (8, 13, B), (3, 23, B), (13, 23, L), (8, 13, B), (4, 9, B),
            (14, 19, B), (4, 14, B), (9, 19, L), (9, 14, B), (4, 24, B), (14, 24, L), (9, 14, L),
            (15, 11, B), (21, 11, B), (20, 16, B), (20, 21, B), (16, 11, B), (7, 3, B), (17, 13, B),
            (17, 3, B), (12, 8, B), (12, 17, B), (8, 3, B), (15, 7, B), (11, 3, B), (11, 7, B),
            (21, 17, B), (21, 11, B), (17, 7, B), (20, 12, B), (13, 12, B), (16, 8, B), (16, 13, B),
            (8, 12, B), (20, 21, L), (16, 11, B), (13, 17, B), (8, 7, H), (12, 3, B), (15, 4, H),
            (7, 4, L), (11, 7, H), (17, 3, L), (17, 7, L), (20, 9, H), (12, 9, L), (13, 12, L),
            (16, 13, H), (13, 17, H)
        ];
        Median7, MEDIAN7, 7, 24: [
            (0, 7, B), (14, 21, B), (0, 14, B), (7, 21, B), (7, 14, B), (28, 35, B), (28, 42, B),
            (35, 42, B), (0, 28, H), (14, 42, B), (14, 28, H), (7, 35, H), (21, 35, B), (21, 28, H),
            (35, 42, B), (1, 8, B), (15, 22, B), (1, 15, B), (8, 22, B), (8, 15, B), (29, 36, B),
            (29, 43, B), (36, 43, B), (1, 29, H), (15, 43, B), (15, 29, H), (8, 36, H), (22, 36, B),
            (22, 29, B), (36, 43, B), (2, 9, B), (16, 23, B), (2, 16, B), (9, 23, B), (9, 16, B),
            (30, 37, B), (30, 44, B), (37, 44, B), (2, 30, H), (16, 44, B), (16, 30, B), (9, 37, B),
            (23, 37, B), (9, 16, H), (23, 30, B), (37, 44, B), (3, 10, B), (17, 24, B), (3, 17, B),
            (10, 24, B), (10, 17, B), (31, 38, B), (31, 45, B), (38, 45, B), (3, 31, H),
            (17, 45, B), (17, 31, B), (10, 38, B), (24, 38, B), (10, 17, B), (24, 31, B),
            (38, 45, L), (4, 11, B), (18, 25, B), (4, 18, B), (11, 25, B), (11, 18, B), (32, 39, B),
            (32, 46, B), (39, 46, B), (4, 32, B), (18, 46, L), (18, 32, B), (11, 39, B),
            (25, 39, L), (11, 18, B), (25, 32, B), (5, 12, B), (19, 26, B), (5, 19, B), (12, 26, B),
            (12, 19, B), (33, 40, B), (33, 47, B), (40, 47, B), (5, 33, B), (19, 47, L),
            (19, 33, B), (12, 40, B), (26, 40, L), (12, 19, B), (26, 33, L), (6, 13, B),
            (20, 27, B), (6, 20, B), (13, 27, L), (13, 20, B), (34, 41, B), (34, 48, B),
            (41, 48, B), (6, 34, B), (20, 48, L), (20, 34, L), (13, 41, L), (13, 20, B),
            (28, 22, B), (42, 36, B), (42, 22, B), (35, 29, B), (43, 29, B), (35, 42, B),
            (43, 22, B), (29, 36, B), (16, 10, B), (44, 38, B), (44, 10, B), (30, 24, B),
            (30, 44, B), (24, 10, B), (23, 17, B), (37, 31, B), (37, 17, B), (23, 30, B),
            (37, 44, B), (17, 24, B), (31, 10, B), (28, 16, B), (10, 16, B), (22, 44, B),
            (22, 10, B), (44, 16, B), (42, 30, B), (36, 24, B), (36, 30, B), (42, 22, B),
            (36, 10, B), (30, 44, B), (24, 16, B), (35, 23, B), (38, 23, B), (29, 17, B),
            (29, 38, B), (17, 23, B), (43, 37, B), (31, 37, B), (43, 29, B), (31, 38, B),
            (37, 17, B), (35, 42, B), (43, 22, B), (29, 36, B), (31, 10, B), (38, 30, B),
            (37, 44, B), (17, 24, B), (23, 16, H), (4, 5, B), (32, 5, B), (18, 19, B), (18, 32, B),
            (19, 5, B), (11, 12, B), (25, 26, B), (25, 12, B), (11, 18, B), (25, 32, B),
            (12, 19, B), (26, 5, B), (13, 20, B), (4, 6, B), (5, 6, B), (32, 5, B), (18, 20, B),
            (19, 20, B), (18, 32, B), (19, 5, B), (20, 6, B), (11, 13, B), (12, 13, B), (25, 12, B),
            (26, 13, B), (11, 18, B), (25, 32, B), (12, 19, B), (26, 5, B), (13, 20, B), (28, 4, H),
            (16, 4, L), (10, 5, L), (10, 16, H), (22, 32, H), (44, 32, L), (44, 16, H), (42, 18, H),
            (30, 20, L), (30, 18, H), (36, 19, H), (24, 19, L), (24, 18, L), (24, 16, L),
            (35, 11, H), (38, 13, L), (38, 11, H), (29, 12, H), (17, 12, L), (17, 11, L),
            (43, 25, H), (37, 6, L), (37, 25, L), (31, 26, L), (31, 37, H), (37, 17, H),
            (17, 24, H)
        ];
    }
}

/// A normalised 1-D Gaussian of odd `size` (albumentations' `create_gaussian_kernel_1d`).
pub fn gaussian_kernel(sigma: f64, size: usize) -> Vec<f32> {
    let half = (size / 2) as f64;
    let raw: Vec<f64> = (0..size).map(|i| libm::exp(-0.5 * ((i as f64 - half) / sigma).powi(2))).collect();
    let sum: f64 = raw.iter().sum();
    raw.iter().map(|v| (v / sum) as f32).collect()
}

/// Largest window [`box_blur`] takes: its row sums of 255s fit u16 lanes.
pub const BOX_MAX: usize = 255;

/// The box blur of `cv2.blur`: every colour value becomes the mean of its `k`×`k` window (odd
/// `k` ≤ [`BOX_MAX`]), borders reflect-101, rounded to the nearest whole value. Exact integer
/// sums: each row's window sums once per source row (k adds per value, in u16 lanes), the
/// vertical sums kept running over a ring of the last k rows (one add and one subtract per
/// value), the mean by a multiply and a shift that equal the rounded division for every possible
/// sum (k² is odd, so no sum lies halfway; see [`RoundedDivision`]). O(k) per value, not O(k²).
/// Windows up to [`BOX_NARROW`] keep the vertical sums in u16 lanes too. Alpha stays.
pub fn box_blur(img: &mut Image, k: usize) {
    let k = k.clamp(1, BOX_MAX) | 1;
    if k == 1 {
        return;
    }
    let r = k / 2;
    let (w, h, c) = (img.width() as usize, img.height() as usize, img.channels() as usize);
    let color = img.color_channels();
    let (n, pw) = (w * c, (w + 2 * r) * c);
    let divide = RoundedDivision::new((k * k) as u32);
    let borders = border_sources(w, c, r, reflect101);
    // Rows are written in place while later windows still read earlier rows (reflected at the
    // bottom), so the sums read a copy.
    let src = img.data().to_vec();
    let mut pad = vec![0u8; pw];
    // Window sums of one source row.
    let mut row_sums = |sy: usize, out: &mut [u16]| {
        pad_row(&src[sy * n..(sy + 1) * n], c, r, &mut pad, &borders);
        window_sums(&pad, c, k, &mut out[..n]);
    };
    // Source rows in window order: row y's window is order[y .. y + k].
    let order: Vec<usize> = (0..h + 2 * r).map(|i| reflect101(i as isize - r as isize, h)).collect();
    let mut ring = vec![0u16; k * n];
    let mut fresh = vec![0u16; n];
    let mut out = vec![0u8; n];
    let narrow = k <= BOX_NARROW;
    let (mut sums16, mut sums32) = (vec![0u16; if narrow { n } else { 0 }], vec![0u32; if narrow { 0 } else { n }]);
    for (i, &sy) in order[..k - 1].iter().enumerate() {
        let slot = &mut ring[i * n..(i + 1) * n];
        row_sums(sy, slot);
        if narrow {
            sums16.iter_mut().zip(slot.iter()).for_each(|(s, &v)| *s += v);
        } else {
            sums32.iter_mut().zip(slot.iter()).for_each(|(s, &v)| *s += v as u32);
        }
    }
    let dst = img.data_mut();
    for y in 0..h {
        // The newest row of the window takes the ring slot of the row that leaves it (row
        // y − 1's, empty for y = 0).
        let i = y + k - 1;
        let slot = &mut ring[(i % k) * n..(i % k + 1) * n];
        if y == 0 {
            slot.fill(0);
        }
        row_sums(order[i], &mut fresh);
        if narrow {
            slide_narrow(&mut sums16, slot, &fresh, &divide, &mut out);
        } else {
            for ((s, old), &new) in sums32.iter_mut().zip(slot.iter_mut()).zip(&fresh) {
                *s = *s - *old as u32 + new as u32;
                *old = new;
            }
            divide.bytes(&sums32, &mut out);
        }
        copy_color_row(&out, &mut dst[y * n..(y + 1) * n], c, color);
    }
}

/// `out[i]` = the sum of the `k` values `pad[i + t·c]` (t < k): a padded row's window sums.
fn window_sums(pad: &[u8], c: usize, k: usize, out: &mut [u16]) {
    let n = out.len();
    assert!(pad.len() >= n + (k - 1) * c);
    #[allow(unused_mut)]
    let mut done = 0;
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        /// Eight sums per step, each tap widened as it is loaded: one pass over the row (a pass
        /// per tap would load and store the sums k times), the window's length fixed so the
        /// taps' offsets stay in registers.
        ///
        /// # Safety
        /// `pad` holds `n + (K − 1)·c` values, `out` `n`.
        #[inline(always)]
        unsafe fn steps<const K: usize>(pad: *const u8, c: usize, n: usize, out: *mut u16) -> usize {
            let offsets: [usize; K] = std::array::from_fn(|t| t * c);
            let mut done = 0;
            while done + 8 <= n {
                // SAFETY: done + 8 + (K − 1)·c ≤ n + (K − 1)·c, the caller's promise.
                unsafe {
                    let p = pad.add(done);
                    let mut sum = u16x8_load_extend_u8x8(p);
                    for &o in &offsets[1..] {
                        sum = i16x8_add(sum, u16x8_load_extend_u8x8(p.add(o)));
                    }
                    v128_store(out.add(done) as *mut v128, sum);
                }
                done += 8;
            }
            done
        }
        let (p, o) = (pad.as_ptr(), out.as_mut_ptr());
        // SAFETY: pad holds n + (k − 1)·c values (asserted above), out n.
        done = unsafe {
            match k {
                3 => steps::<3>(p, c, n, o),
                5 => steps::<5>(p, c, n, o),
                7 => steps::<7>(p, c, n, o),
                9 => steps::<9>(p, c, n, o),
                _ => {
                    while done + 8 <= n {
                        let q = p.add(done);
                        let mut sum = u16x8_load_extend_u8x8(q);
                        for t in 1..k {
                            sum = i16x8_add(sum, u16x8_load_extend_u8x8(q.add(t * c)));
                        }
                        v128_store(o.add(done) as *mut v128, sum);
                        done += 8;
                    }
                    done
                }
            }
        };
    }
    for (i, o) in out.iter_mut().enumerate().skip(done) {
        *o = (0..k).map(|t| pad[i + t * c] as u16).sum();
    }
}

/// Largest window whose k × k sums of 255s fit u16 lanes.
pub const BOX_NARROW: usize = 15;

/// One step of the vertical window in u16 lanes: `sums` loses the row in `old` and gains
/// `fresh`, which then replaces `old`; `out` gets the rounded means.
fn slide_narrow(sums: &mut [u16], old: &mut [u16], fresh: &[u16], divide: &RoundedDivision, out: &mut [u8]) {
    let (half, m, shift) = (divide.half as u16, divide.m as u32, divide.shift);
    debug_assert!(!divide.wide && m < 1 << 16);
    #[allow(unused_mut)]
    let mut done = 0;
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        let len = sums.len().min(old.len()).min(fresh.len()).min(out.len());
        let (hv, mv) = (u16x8_splat(std::hint::black_box(half)), u16x8_splat(std::hint::black_box(m as u16)));
        while done + 16 <= len {
            // SAFETY: done + 16 ≤ len, within all four slices.
            unsafe {
                let mut means = [u16x8_splat(0); 2];
                for (j, mean) in means.iter_mut().enumerate() {
                    let at = done + 8 * j;
                    let (s, o, f) = (sums.as_mut_ptr().add(at) as *mut v128, old.as_mut_ptr().add(at) as *mut v128, fresh.as_ptr().add(at) as *const v128);
                    let (nf, sum) = (v128_load(f), i16x8_add(i16x8_sub(v128_load(s), v128_load(o)), v128_load(f)));
                    v128_store(s, sum);
                    v128_store(o, nf);
                    // (sum + half) · m >> shift in 32-bit lanes, back to 16 (each at most 255).
                    let v = i16x8_add(sum, hv);
                    let (lo, hi) = (u32x4_shr(u32x4_extmul_low_u16x8(v, mv), shift), u32x4_shr(u32x4_extmul_high_u16x8(v, mv), shift));
                    *mean = u16x8_narrow_i32x4(lo, hi);
                }
                v128_store(out.as_mut_ptr().add(done) as *mut v128, u8x16_narrow_i16x8(means[0], means[1]));
            }
            done += 16;
        }
    }
    for (((s, o), &f), q) in sums[done..].iter_mut().zip(old[done..].iter_mut()).zip(&fresh[done..]).zip(out[done..].iter_mut()) {
        *s = *s - *o + f;
        *o = f;
        *q = (((*s + half) as u32 * m) >> shift) as u8;
    }
}

/// `round(v / d)` for every sum `v` of at most 255·d (odd `d`, so no sum lies halfway) as
/// `(v + (d − 1) / 2) · M >> S` with `M = ceil(2^S / d)`: exact when the largest such `n` times
/// the excess `M·d − 2^S` stays below `2^S` (the product then exceeds n / d by less than 1/d,
/// which never reaches the next whole number). In 32 bits (which vectorise four to a SIMD
/// step) where some shift meets that with products below 2^32 (windows up to 17 × 17), else in 64.
struct RoundedDivision {
    half: u32,
    m: u64,
    shift: u32,
    wide: bool,
}

impl RoundedDivision {
    fn new(d: u32) -> Self {
        let (d64, half) = (d as u64, (d - 1) / 2);
        let nmax = 255 * d64 + half as u64;
        let fits = |shift: u32, limit: u64| {
            let m = (1u64 << shift).div_ceil(d64);
            (nmax * (m * d64 - (1 << shift)) < (1 << shift) && nmax * m < limit).then_some(m)
        };
        if let Some((shift, m)) = (0..32).find_map(|s| fits(s, 1 << 32).map(|m| (s, m))) {
            return RoundedDivision { half, m, shift, wide: false };
        }
        let shift = 44;
        RoundedDivision { half, m: fits(shift, u64::MAX).expect("a 44-bit shift is exact for sums below 2^24"), shift, wide: true }
    }

    fn bytes(&self, sums: &[u32], out: &mut [u8]) {
        if self.wide {
            for (o, &v) in out.iter_mut().zip(sums) {
                *o = (((v as u64 + self.half as u64) * self.m) >> self.shift) as u8;
            }
        } else {
            let (half, m, shift) = (self.half, self.m as u32, self.shift);
            for (o, &v) in out.iter_mut().zip(sums) {
                *o = (((v + half) * m) >> shift) as u8;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // These run natively and, through wasm-pack test, in node and Chromium (the SIMD kernels).
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn rounded_division_is_exact_for_every_window_sum() {
        for k in (3..=BOX_MAX as u32).step_by(2) {
            let d = k * k;
            let div = RoundedDivision::new(d);
            // Windows up to 17 take the 32-bit form (multipliers below 2^16 up to 15).
            assert!(k > 17 || !div.wide, "k {k}");
            assert!(k > 15 || div.m < 1 << 16, "k {k}");
            let sums: Vec<u32> = if d <= 169 { (0..=255 * d).collect() } else { (0..=255 * d).step_by(97).chain([255 * d, 255 * d - 1, d / 2, d / 2 + 1]).collect() };
            let mut out = vec![0u8; sums.len()];
            div.bytes(&sums, &mut out);
            for (&v, &o) in sums.iter().zip(&out) {
                assert_eq!(o as u32, (2 * v + d) / (2 * d), "k {k}, sum {v}");
            }
        }
    }

    /// `store_row` (sixteen values per SIMD step in wasm) gives each value's scalar rounding:
    /// ties to even, clamped to 0..=255, NaN to 0, alpha left as it was.
    #[test]
    fn stored_rows_round_and_clamp_each_value_and_keep_alpha() {
        let special = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY, -0.0, -0.5, -0.6, 0.5, 1.5, 2.5, 127.5, 254.5, 255.49, 255.5, 256.0, 1e10, -1e10, 3e9, -3e9, 70000.0];
        let mut next = 0x9e37_79b9u32;
        let values: Vec<f32> = (0..160).map(|i| {
            next ^= next << 13;
            next ^= next >> 17;
            next ^= next << 5;
            if i % 3 == 0 { special[(next as usize) % special.len()] } else { (next % 70_000) as f32 / 100.0 - 200.0 }
        }).collect();
        for (c, color) in [(4, 3), (3, 3), (1, 1)] {
            let n = values.len() / c * c;
            let mut out: Vec<u8> = (0..n).map(|i| (i * 37 % 251) as u8).collect();
            let before = out.clone();
            store_row(&values[..n], &mut out, c, color);
            for (i, (&o, &v)) in out.iter().zip(&values).enumerate() {
                let want = if i % c < color { round_u8(v) } else { before[i] };
                assert_eq!(o, want, "c={c} value {i}: {v}");
            }
        }
    }

    #[test]
    fn the_written_out_networks_are_the_built_ones() {
        let keep = |c: char| match c {
            'B' => Keep::Both,
            'L' => Keep::Min,
            _ => Keep::Max,
        };
        for (k, (list, result)) in [(5, median_simd::MEDIAN5), (7, median_simd::MEDIAN7)] {
            let written: Vec<(usize, usize, Keep)> = list.iter().map(|&(a, b, c)| (a, b, keep(c))).collect();
            assert_eq!((written, result), window_network(k), "{k}×{k}");
        }
    }

    /// Every input of 0s and 1s with sorted columns (the counts of 1s per column), 64 at a time
    /// in the bits of a word (min is and, max is or). A comparator network that selects the
    /// median of all of them selects it of every input with sorted columns (the 0-1 principle:
    /// thresholding commutes with min and max and keeps columns sorted), so this is a proof.
    #[test]
    fn window_networks_select_the_median_of_every_input() {
        for k in [5usize, 7] {
            let (network, result) = window_network(k);
            let cases = (k + 1).pow(k as u32);
            for first in (0..cases).step_by(64) {
                let mut lines = vec![0u64; k * k];
                let mut expected = 0u64;
                for bit in 0..64.min(cases - first) {
                    let mut case = first + bit;
                    let mut ones = 0;
                    for j in 0..k {
                        let count = case % (k + 1);
                        case /= k + 1;
                        ones += count;
                        // Column j sorted: its top `count` ranks are 1.
                        for q in k - count..k {
                            lines[k * j + q] |= 1 << bit;
                        }
                    }
                    if ones > k * k / 2 {
                        expected |= 1 << bit;
                    }
                }
                for &(a, b, keep) in &network {
                    let (x, y) = (lines[a], lines[b]);
                    if keep != Keep::Max {
                        lines[a] = x & y;
                    }
                    if keep != Keep::Min {
                        lines[b] = x | y;
                    }
                }
                let valid = if cases - first >= 64 { u64::MAX } else { (1 << (cases - first)) - 1 };
                assert_eq!(lines[result] & valid, expected, "k = {k}, inputs {first}..");
            }
        }
    }

    /// The median of each window by sorting it: the definition, for checking the fast paths.
    fn brute_median(img: &Image, k: usize) -> Image {
        let (w, h, c) = (img.width() as isize, img.height() as isize, img.channels() as usize);
        let color = img.color_channels();
        let r = (k / 2) as isize;
        let mut out = img.clone();
        for y in 0..h {
            for x in 0..w {
                for ch in 0..color {
                    let mut v: Vec<u8> = (-r..=r).flat_map(|dy| (-r..=r).map(move |dx| (dx, dy))).map(|(dx, dy)| img.pixel((x + dx).clamp(0, w - 1) as u32, (y + dy).clamp(0, h - 1) as u32)[ch]).collect();
                    v.sort_unstable();
                    out.data_mut()[((y * w + x) as usize) * c + ch] = v[v.len() / 2];
                }
            }
        }
        out
    }

    #[test]
    fn median_equals_sorting_each_window() {
        let mut state = 12345u32;
        for (w, h, c) in [(1, 1, 3), (1, 5, 1), (6, 1, 4), (2, 2, 4), (23, 9, 4), (17, 13, 3), (40, 7, 1), (9, 12, 4)] {
            let data = (0..w * h * c)
                .map(|i| {
                    state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    // Smooth ramps with noise and runs of equal values, like photos and masks.
                    if i % 7 == 0 { (state >> 24) as u8 } else { ((i / c) * 3 % 256) as u8 ^ (state >> 29) as u8 }
                })
                .collect();
            let img = Image::new(w as u32, h as u32, c as u8, data).unwrap();
            for k in [3, 5, 7] {
                let mut fast = img.clone();
                median(&mut fast, k);
                assert_eq!(fast, brute_median(&img, k), "{w}x{h}x{c} k={k}");
            }
        }
    }

    /// The fixed-point blur is `(Σ k·Σ k·p + 2^15) >> 16` with weights in 1/256 (the centre tap
    /// taking the rounding), reflect-101 at the edges: checked on shapes that exercise the
    /// vector blocks, their overlapping last block, RGBA rows filtered as RGB (with a last
    /// partial group of pixels), kernels with tails of weight 0, and the scalar path.
    #[test]
    fn fixed_point_blur_is_the_exact_integer_sum() {
        let mut state = 7u32;
        for (w, h, c) in [(23, 9, 4), (17, 13, 3), (5, 4, 4), (6, 5, 4), (64, 3, 4), (9, 30, 1), (40, 7, 1), (3, 2, 4)] {
            let data: Vec<u8> = (0..w * h * c)
                .map(|_| {
                    state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    (state >> 24) as u8
                })
                .collect();
            let img = Image::new(w as u32, h as u32, c as u8, data).unwrap();
            // (1.0, 11) and (0.5, 9): tails of weight 0 in 1/256, which the blur drops.
            for (sigma, size) in [(0.8, 3), (1.1, 5), (2.5, 7), (3.0, 9), (4.0, 13), (1.0, 11), (0.5, 9)] {
                let k = gaussian_kernel(sigma, size);
                let mut q: Vec<i64> = k.iter().map(|&v| (v * 256.0).round() as i64).collect();
                q[size / 2] += 256 - q.iter().sum::<i64>();
                let r = (size / 2) as isize;
                let mut want = img.clone();
                for y in 0..h as isize {
                    for x in 0..w as isize {
                        for ch in 0..img.color_channels() {
                            let at = |x: isize, y: isize| img.pixel(reflect101(x, w) as u32, reflect101(y, h) as u32)[ch] as i64;
                            let row = |y: isize| (-r..=r).map(|t| q[(t + r) as usize] * at(x + t, y)).sum::<i64>();
                            let sum: i64 = (-r..=r).map(|t| q[(t + r) as usize] * row(y + t)).sum();
                            want.data_mut()[(y as usize * w + x as usize) * c + ch] = ((sum + (1 << 15)) >> 16) as u8;
                        }
                    }
                }
                let mut got = img.clone();
                separable(&mut got, &k);
                assert_eq!(got, want, "{w}x{h}x{c} sigma {sigma} size {size}");
            }
        }
    }

    #[test]
    fn reflect_101_indices() {
        let got: Vec<usize> = (-3..8).map(|i| reflect101(i, 5)).collect();
        assert_eq!(got, vec![3, 2, 1, 0, 1, 2, 3, 4, 3, 2, 1]);
        // Far outside (several reflections: kernels wider than the image) the same as within
        // one: the period 2n − 2 mirrored.
        let got: Vec<usize> = (-12..17).map(|i| reflect101(i, 4)).collect();
        assert_eq!(got, vec![0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2]);
        assert!((-9..9).all(|i| reflect101(i, 1) == 0));
        assert_eq!([reflect101(-1, 2), reflect101(2, 2), reflect101(3, 2), reflect101(-2, 2)], [1, 0, 1, 0]);
    }

    #[test]
    fn identity_kernels_change_nothing() {
        let img = Image::new(5, 4, 3, (0..60).map(|v| (v * 4) as u8).collect()).unwrap();
        let mut a = img.clone();
        separable(&mut a, &[0.0, 1.0, 0.0]);
        assert_eq!(a, img);
        let mut b = img.clone();
        let mut k = [0.0; 9];
        k[4] = 1.0;
        filter2d(&mut b, &k, 3);
        assert_eq!(b, img);
        let mut m = Image::filled(6, 6, 1, 9).unwrap();
        m.data_mut()[14] = 200; // a lone outlier disappears under a 3×3 median
        median(&mut m, 3);
        assert!(m.data().iter().all(|&v| v == 9));
    }

    #[test]
    fn mean_taps_is_the_float_kernel_within_one_level() {
        // A textured RGBA image with odd width (scalar tail) and a diagonal 5-tap line, plus a
        // single centre tap (identity) and a 3-tap row.
        let (w, h) = (37, 23);
        let data: Vec<u8> = (0..w * h * 4).map(|i| ((i * 97 + i / 7 * 13) % 256) as u8).collect();
        let img = Image::new(w as u32, h as u32, 4, data).unwrap();
        let k = 5;
        for taps in [vec![(2, 2)], vec![(2, 1), (2, 2), (2, 3)], vec![(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]] {
            let mut kernel = vec![0f32; k * k];
            for &(y, x) in &taps {
                kernel[y * k + x] = 1.0 / taps.len() as f32;
            }
            let (mut fast, mut float) = (img.clone(), img.clone());
            assert!(mean_taps(&mut fast, &taps, k / 2));
            filter2d(&mut float, &kernel, k);
            for (a, b) in fast.data().iter().zip(float.data()) {
                assert!((*a as i32 - *b as i32).abs() <= 1, "{taps:?}: {a} vs {b}");
            }
            // Alpha stays.
            assert!(fast.data().chunks(4).zip(img.data().chunks(4)).all(|(a, b)| a[3] == b[3]));
            if taps.len() == 1 {
                assert_eq!(fast, img, "one centre tap is the identity");
            }
        }
        // Sums of more than 64 values are refused.
        let mut same = img.clone();
        assert!(!mean_taps(&mut same, &vec![(0, 0); MEAN_TAPS_MAX + 1], 0));
        assert_eq!(same, img);
    }

    #[test]
    fn mean_taps_rounds_means_of_whole_numbers() {
        // Three taps along the row of a one-row gray image.
        let img = Image::new(3, 1, 1, vec![0, 10, 20]).unwrap();
        let mut m = img.clone();
        assert!(mean_taps(&mut m, &[(1, 0), (1, 1), (1, 2)], 1));
        // Reflect-101 rows: [10, 0, 10, 20, 10]; means 20/3, 30/3, 40/3.
        assert_eq!(m.data(), &[7, 10, 13]);
    }
}
