//! Area resampling for shrinking axis-aligned maps (OpenCV's `INTER_AREA` when downscaling):
//! every output pixel is the average of the source area it covers, each source pixel weighted
//! by the share of it inside that area. Where a plain bilinear read would skip most source
//! pixels of a strong downscale (and alias fine patterns into moiré), this reads all of them.
//!
//! Separable: each output row first mixes its source rows (vertical weights), then each output
//! pixel its columns. Weights are 12-bit fixed point per axis, each axis' weights summing to
//! exactly 4096, so a flat image stays flat and native and wasm give the same bytes.

use super::warp::Matrix;
use crate::image::Image;

/// Weights per axis sum to this.
const ONE: u32 = 1 << 12;

/// The source span of one output pixel along an axis: its first source index and the weights of
/// the source pixels from there on (summing to [`ONE`]).
struct Span {
    first: usize,
    weights: Vec<u32>,
}

/// The spans of `n` output pixels whose centres lie at `centre + step·i` in the source (step
/// negative for a mirrored axis), each covering |step| source pixels, over `len` source pixels;
/// `None` if an area leaves the source.
fn spans(n: usize, step: f64, centre: f64, len: usize) -> Option<Vec<Span>> {
    (0..n)
        .map(|i| {
            // Source pixel j covers j..j + 1 in these coordinates, its centre at j + ½.
            let a = centre + step * i as f64 + 0.5 - 0.5 * step.abs();
            let b = a + step.abs();
            // A hair of rounding at the ends is not a pixel outside.
            if a < -1e-9 || b > len as f64 + 1e-9 {
                return None;
            }
            let (a, b) = (a.max(0.0), b.min(len as f64));
            let first = a.floor() as usize;
            let last = ((b.ceil() as usize).max(first + 1)).min(len);
            let mut weights: Vec<u32> = (first..last)
                .map(|j| {
                    let overlap = (b.min(j as f64 + 1.0) - a.max(j as f64)).max(0.0);
                    (overlap / (b - a) * ONE as f64).round() as u32
                })
                .collect();
            // The rounding remainder goes to the largest weight: the sum is exactly ONE.
            let sum: u32 = weights.iter().sum();
            let largest = (0..weights.len()).max_by_key(|&k| (weights[k], usize::MAX - k)).expect("at least one source pixel");
            weights[largest] = (weights[largest] + ONE).checked_sub(sum)?;
            Some(Span { first, weights })
        })
        .collect()
}

/// `src` resampled by area to `width` × `height` for an inverse map (output pixel centre →
/// source position) that scales, shifts and perhaps mirrors each axis separately and shrinks at
/// least one of them; `None` (nothing done) for other maps, or when an output pixel's area leaves the source
/// (those take the bilinear path, as OpenCV's `INTER_AREA` does outside plain downscales).
pub fn resample(src: &Image, inverse: &Matrix, width: u32, height: u32) -> Option<Image> {
    let m = inverse;
    let axis_aligned = m[1] == 0.0 && m[3] == 0.0 && m[6] == 0.0 && m[7] == 0.0 && m[8] == 1.0;
    if !axis_aligned || m[0] == 0.0 || m[4] == 0.0 || (m[0].abs() <= 1.0 && m[4].abs() <= 1.0) || !m.iter().all(|v| v.is_finite()) {
        return None;
    }
    let (sw, sh, c) = (src.width() as usize, src.height() as usize, src.channels() as usize);
    let (w, h) = (width as usize, height as usize);
    let columns = spans(w, m[0], m[2], sw)?;
    let rows = spans(h, m[4], m[5], sh)?;
    let data = src.data();
    let mut out = vec![0u8; w * h * c];
    // One output row's source rows mixed: at most 255 · 4096 per value.
    let mut mixed = vec![0u32; sw * c];
    for (span, row) in rows.iter().zip(out.chunks_exact_mut(w * c)) {
        mixed.fill(0);
        for (k, &wy) in span.weights.iter().enumerate() {
            let line = &data[(span.first + k) * sw * c..][..sw * c];
            for (acc, &v) in mixed.iter_mut().zip(line) {
                *acc += wy * v as u32;
            }
        }
        for (col, px) in columns.iter().zip(row.chunks_exact_mut(c)) {
            for (ch, v) in px.iter_mut().enumerate() {
                let sum: u64 = col.weights.iter().enumerate().map(|(k, &wx)| wx as u64 * mixed[(col.first + k) * c + ch] as u64).sum();
                // Rounded from 24 fractional bits; at most 255 since the weights sum to 1.
                *v = ((sum + (1 << 23)) >> 24) as u8;
            }
        }
    }
    Some(Image::new(width, height, src.channels(), out).expect("size follows from the arguments"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scale(sx: f64, sy: f64) -> Matrix {
        // Output (w, h) from a source `sx`, `sy` times larger, pixel centres kept.
        [sx, 0.0, 0.5 * sx - 0.5, 0.0, sy, 0.5 * sy - 0.5, 0.0, 0.0, 1.0]
    }

    #[test]
    fn halving_averages_each_two_by_two_block() {
        let data: Vec<u8> = (0..16).map(|v| v * 10).collect();
        let img = Image::new(4, 4, 1, data.clone()).unwrap();
        let out = resample(&img, &scale(2.0, 2.0), 2, 2).unwrap();
        let block = |x: usize, y: usize| {
            let s: u32 = [(0, 0), (1, 0), (0, 1), (1, 1)].iter().map(|&(dx, dy)| data[(2 * y + dy) * 4 + 2 * x + dx] as u32).sum();
            ((s as f64) / 4.0).round() as u8
        };
        assert_eq!(out.data(), &[block(0, 0), block(1, 0), block(0, 1), block(1, 1)]);
    }

    #[test]
    fn a_flat_image_stays_flat_at_any_ratio() {
        for (sw, sh, w, h) in [(37, 23, 10, 7), (100, 3, 33, 3), (9, 50, 2, 49), (64, 64, 1, 1)] {
            let img = Image::new(sw, sh, 3, vec![201; (sw * sh * 3) as usize]).unwrap();
            let m = scale(sw as f64 / w as f64, sh as f64 / h as f64);
            let out = resample(&img, &m, w, h).unwrap();
            assert!(out.data().iter().all(|&v| v == 201), "{sw}×{sh} → {w}×{h}");
        }
    }

    #[test]
    fn a_third_covers_fractional_pixels() {
        // 3 → 2 along x: each output pixel is 1.5 source pixels, weights 2/3 and 1/3.
        let img = Image::new(3, 1, 1, vec![0, 90, 180]).unwrap();
        let out = resample(&img, &scale(1.5, 1.0), 2, 1).unwrap();
        assert_eq!(out.data(), &[30, 150]);
    }

    #[test]
    fn a_mirrored_axis_reads_the_mirrored_areas() {
        let data: Vec<u8> = (0..24).map(|v| v * 10).collect();
        let img = Image::new(6, 4, 1, data).unwrap();
        let straight = resample(&img, &scale(2.0, 2.0), 3, 2).unwrap();
        // Output x reads source centre 2·(2 − x) + 0.5: the straight result's columns reversed.
        let mirrored = resample(&img, &[-2.0, 0.0, 4.5, 0.0, 2.0, 0.5, 0.0, 0.0, 1.0], 3, 2).unwrap();
        for y in 0..2 {
            for x in 0..3 {
                assert_eq!(mirrored.data()[y * 3 + x], straight.data()[y * 3 + 2 - x]);
            }
        }
    }

    #[test]
    fn other_maps_are_left_to_the_bilinear_path() {
        let img = Image::new(8, 8, 1, vec![0; 64]).unwrap();
        assert!(resample(&img, &scale(0.5, 0.5), 16, 16).is_none(), "upscale");
        assert!(resample(&img, &[0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0], 8, 8).is_none(), "transpose");
        assert!(resample(&img, &[2.0, 0.0, 3.0, 0.0, 2.0, 0.0, 0.0, 0.0, 1.0], 4, 4).is_none(), "an area past the right edge");
    }
}
