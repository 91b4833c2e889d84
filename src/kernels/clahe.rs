//! Contrast-limited adaptive histogram equalisation, as OpenCV's `CLAHE` computes it: per-tile
//! clipped histograms (clipped counts spread evenly, the remainder stepped across bins), one
//! table per tile, bilinear interpolation between the four nearest tiles. Colour images are
//! equalised on the L* channel of CIELAB in OpenCV's 8-bit form ([`super::lab`]), as
//! albumentations does.

use super::filter::reflect101;
use crate::image::Image;

/// `round(count × scale)` clamped to 0..=255 for each of 256 cumulative counts (at most the
/// image's 40 M pixels, so below 2^31), rounded half to even as OpenCV's `saturate_cast` does. In
/// wasm sixteen values per step: the same f32 operations (the conversion rounds as `as f32` does,
/// `f32x4.nearest` half to even), so the same bytes.
fn cumulative_to_lut(sums: &[u32], scale: f32, lut: &mut [u8; 256]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        let (k, top, zero) = (f32x4_splat(scale), f32x4_splat(255.0), f32x4_splat(0.0));
        let sums = &sums[..256];
        let value = |i: usize| {
            // SAFETY: i + 4 ≤ 256 = sums.len().
            let s = f32x4_convert_i32x4(unsafe { v128_load(sums.as_ptr().add(i) as *const v128) });
            // Products are finite and not negative: the pseudo-min/max clamp them as `clamp` does.
            i32x4_trunc_sat_f32x4(f32x4_pmax(zero, f32x4_pmin(top, f32x4_nearest(f32x4_mul(s, k)))))
        };
        for (i, out) in lut.as_chunks_mut::<16>().0.iter_mut().enumerate() {
            let at = 16 * i;
            // SAFETY: `out` is 16 bytes.
            unsafe { v128_store(out.as_mut_ptr() as *mut v128, super::lut::saturated_bytes([value(at), value(at + 4), value(at + 8), value(at + 12)])) };
        }
        return;
    }
    #[allow(unreachable_code)]
    for (out, &sum) in lut.iter_mut().zip(sums) {
        *out = (sum as f32 * scale).round_ties_even().clamp(0.0, 255.0) as u8;
    }
}

/// Equalises one 8-bit plane in place.
pub fn clahe_plane(plane: &mut [u8], width: usize, height: usize, clip_limit: f64, tiles_x: usize, tiles_y: usize) {
    // More tiles than pixels is allowed, as in OpenCV: the padding makes every tile at least 1.
    let (tx, ty) = (tiles_x.max(1), tiles_y.max(1));
    // Pad (reflect-101) to a multiple of the tile grid for the histograms. As in OpenCV, when
    // either side needs padding both sides get `tiles − size % tiles` (a whole extra tile on a
    // side that divides evenly).
    let (ew, eh) = if width % tx == 0 && height % ty == 0 { (width, height) } else { (width + tx - width % tx, height + ty - height % ty) };
    let (tw, th) = (ew / tx, eh / ty);
    let area = (tw * th) as f64;
    let lut_scale = 255.0f32 / area as f32;
    let clip = if clip_limit > 0.0 { ((clip_limit * area / 256.0) as i64).max(1) } else { 0 };
    // Source column and row of every padded position, and the tile of every padded column.
    let cols: Vec<usize> = (0..ew).map(|x| reflect101(x as isize, width)).collect();
    let tile_of: Vec<usize> = (0..ew).map(|x| x / tw * 256).collect();
    let mut luts = vec![[0u8; 256]; tx * ty];
    // Two banks of counters, even columns counting into one and odd into the other, added
    // up afterwards: a run of equal values (common in photos) then alternates between two
    // counters instead of making every increment wait for the one before.
    let mut hists = vec![0u32; tx * 256];
    let mut odd = vec![0u32; tx * 256];
    for tyi in 0..ty {
        hists.fill(0);
        odd.fill(0);
        for y in tyi * th..(tyi + 1) * th {
            let row = &plane[reflect101(y as isize, height) * width..][..width];
            let ((values, last_value), (tiles, last_tile)) = (row.as_chunks::<2>(), tile_of[..width].as_chunks::<2>());
            for (&[v0, v1], &[t0, t1]) in values.iter().zip(tiles) {
                hists[t0 + v0 as usize] += 1;
                odd[t1 + v1 as usize] += 1;
            }
            for (&t, &v) in last_tile.iter().zip(last_value) {
                hists[t + v as usize] += 1;
            }
            for (&t, &sx) in tile_of[width..].iter().zip(&cols[width..]) {
                hists[t + row[sx] as usize] += 1;
            }
        }
        hists.iter_mut().zip(&odd).for_each(|(h, &o)| *h += o);
        for (txi, hist) in hists.chunks_exact_mut(256).enumerate() {
            if clip > 0 {
                let clip = clip as u32;
                let mut clipped = 0;
                for h in hist.iter_mut() {
                    if *h > clip {
                        clipped += *h - clip;
                        *h = clip;
                    }
                }
                let batch = clipped / 256;
                let mut residual = clipped - batch * 256;
                hist.iter_mut().for_each(|h| *h += batch);
                if residual != 0 {
                    let step = (256 / residual).max(1) as usize;
                    let mut i = 0;
                    while i < 256 && residual > 0 {
                        hist[i] += 1;
                        i += step;
                        residual -= 1;
                    }
                }
            }
            // The cumulative counts in place, then the table from them (apart, so the rounding
            // runs sixteen values per step in wasm).
            let mut sum = 0u32;
            for h in hist.iter_mut() {
                sum += *h;
                *h = sum;
            }
            cumulative_to_lut(hist, lut_scale, &mut luts[tyi * tx + txi]);
        }
    }
    // Per column: the left and right tile tables (offsets into a row of tables) and weights.
    let (inv_tw, inv_th) = (1.0f32 / tw as f32, 1.0f32 / th as f32);
    let xs: Vec<(usize, usize, f32, f32)> = (0..width)
        .map(|x| {
            let f = x as f32 * inv_tw - 0.5;
            let x1 = f.floor() as isize;
            let a = f - x1 as f32;
            (x1.max(0) as usize * 256, ((x1 + 1) as usize).min(tx - 1) * 256, a, 1.0 - a)
        })
        .collect();
    let flat: &[u8] = luts.as_flattened();
    for (y, row) in plane.chunks_exact_mut(width).enumerate().take(height) {
        let f = y as f32 * inv_th - 0.5;
        let y1 = f.floor() as isize;
        let ya = f - y1 as f32;
        let (r1, r2) = (y1.max(0) as usize * tx * 256, ((y1 + 1) as usize).min(ty - 1) * tx * 256);
        let (top_row, bottom_row) = (&flat[r1..r1 + tx * 256], &flat[r2..r2 + tx * 256]);
        #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
        let done = 0;
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        let done = {
            // Four pixels per step: the sixteen table reads lane by lane, the blend in f32
            // lanes with the scalar loop's operations in its order.
            use core::arch::wasm32::*;
            let (wy, wy1) = (f32x4_splat(ya), f32x4_splat(1.0 - ya));
            let (groups, _) = row.as_chunks_mut::<4>();
            for (px, cols) in groups.iter_mut().zip(xs.as_chunks::<4>().0) {
                let read = |table: &[u8], right: bool| {
                    let at = |i: usize| table[if right { cols[i].1 } else { cols[i].0 } + px[i] as usize] as i32;
                    f32x4_convert_i32x4(i32x4(at(0), at(1), at(2), at(3)))
                };
                let (xa, xa1) = (f32x4(cols[0].2, cols[1].2, cols[2].2, cols[3].2), f32x4(cols[0].3, cols[1].3, cols[2].3, cols[3].3));
                let top = f32x4_add(f32x4_mul(read(top_row, false), xa1), f32x4_mul(read(top_row, true), xa));
                let bottom = f32x4_add(f32x4_mul(read(bottom_row, false), xa1), f32x4_mul(read(bottom_row, true), xa));
                let v = f32x4_nearest(f32x4_add(f32x4_mul(top, wy1), f32x4_mul(bottom, wy)));
                // Clamped (never NaN), then 2^23 added: each lane's low byte is the value.
                let v = f32x4_add(f32x4_pmin(f32x4_pmax(v, f32x4_splat(0.0)), f32x4_splat(255.0)), f32x4_splat(8388608.0));
                let packed = i8x16_swizzle(v, i8x16(0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
                *px = (i32x4_extract_lane::<0>(packed) as u32).to_le_bytes();
            }
            groups.len() * 4
        };
        for (v, &(x1, x2, xa, xa1)) in row.iter_mut().zip(&xs).skip(done) {
            let (i1, i2) = (x1 + *v as usize, x2 + *v as usize);
            let top = top_row[i1] as f32 * xa1 + top_row[i2] as f32 * xa;
            let bottom = bottom_row[i1] as f32 * xa1 + bottom_row[i2] as f32 * xa;
            *v = (top * (1.0 - ya) + bottom * ya).round_ties_even().clamp(0.0, 255.0) as u8;
        }
    }
}

/// CLAHE on a gray image, or on the lightness of a colour image (alpha kept).
pub fn clahe(img: &mut Image, clip_limit: f64, tiles_x: usize, tiles_y: usize) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let c = img.channels() as usize;
    if c == 1 {
        clahe_plane(img.data_mut(), w, h, clip_limit, tiles_x, tiles_y);
        return;
    }
    let lab = super::lab::Lab::default();
    // L* as a plane for the equalisation; each pixel's (L*, a*, b*) bytes packed in one word
    // for the way back (a* and b* do not change).
    let mut l = vec![0u8; w * h];
    let mut lab_px = vec![[0u8; 4]; w * h];
    // RGBA in wasm: runs of pixels through the staged SIMD conversions; the rest one by one.
    #[allow(unused_mut)]
    let mut done = 0;
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let mut scratch = super::lab::simd::Scratch::default();
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if c == 4 {
        use super::lab::simd::RUN;
        let (groups, _) = img.data().as_chunks::<16>();
        for ((px, l), packed) in groups.chunks(RUN / 4).zip(l.chunks_mut(RUN)).zip(lab_px.chunks_mut(RUN)) {
            let m = px.len() * 4;
            lab.from_rgba_run(&mut scratch, px, &mut packed[..m], &mut l[..m]);
        }
        done = groups.len() * 4;
    }
    for ((px, l), packed) in img.data().chunks_exact(c).zip(l.iter_mut()).zip(lab_px.iter_mut()).skip(done) {
        let [lv, a, b] = lab.from_rgb(px[0], px[1], px[2]);
        *l = lv;
        *packed = [lv, a, b, 0];
    }
    clahe_plane(&mut l, w, h, clip_limit, tiles_x, tiles_y);
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if c == 4 {
        use super::lab::simd::RUN;
        let (groups, _) = img.data_mut().as_chunks_mut::<16>();
        for ((px, l), packed) in groups.chunks_mut(RUN / 4).zip(l.chunks(RUN)).zip(lab_px.chunks(RUN)) {
            let m = px.len() * 4;
            lab.to_rgba_run(&mut scratch, &l[..m], &packed[..m], px);
        }
    }
    for ((px, &lv), &[_, a, b, _]) in img.data_mut().chunks_exact_mut(c).zip(&l).zip(&lab_px).skip(done) {
        px[..3].copy_from_slice(&lab.to_rgb(lv, a, b));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Known answers from OpenCV 4 (`cv2.createCLAHE(2, tiles).apply`) on a 9×7 ramp: the width
    /// divides by 3 tiles but the height not by 2 (OpenCV then pads both sides, the width by a
    /// whole extra tile), and 2 × 4 tiles where neither divides.
    #[test]
    fn matches_known_equalisations() {
        let src: Vec<u8> = (0..63).map(|i| ((i * 37 + 11) % 251) as u8).collect();
        let cases: [((usize, usize), [u8; 63]); 2] = [
            ((3, 2), [32, 80, 112, 147, 167, 207, 239, 32, 64, 128, 175, 191, 219, 247, 44, 64, 100, 128, 207, 239, 255, 48, 80, 116, 128, 175, 215, 20, 64, 96, 133, 161, 197, 227, 20, 56, 112, 151, 175, 215, 243, 38, 56, 98, 136, 191, 235, 251, 45, 84, 119, 147, 183, 225, 32, 64, 96, 128, 167, 203, 239, 32, 56]),
            ((2, 4), [26, 51, 76, 130, 186, 217, 248, 48, 102, 102, 153, 204, 230, 255, 51, 105, 148, 204, 204, 230, 255, 41, 84, 121, 171, 192, 230, 26, 76, 128, 148, 170, 204, 248, 48, 76, 102, 128, 153, 194, 238, 32, 68, 90, 153, 153, 204, 255, 28, 58, 102, 173, 222, 255, 13, 51, 90, 115, 152, 198, 244, 36, 64]),
        ];
        for ((tx, ty), want) in cases {
            let mut plane = src.clone();
            clahe_plane(&mut plane, 9, 7, 2.0, tx, ty);
            assert_eq!(plane, want, "{tx}x{ty} tiles");
        }
    }
}
