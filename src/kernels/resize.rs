//! Area resampling (what OpenCV calls `INTER_AREA`): every output pixel is the average of the
//! source area it covers, weighted by coverage. The right filter for shrinking photos without
//! aliasing; enlarging with it replicates pixels.

use crate::image::{copy_bytes, Image};

/// For each output index along one axis: the first source index and the coverage weights.
fn coverage(src: usize, dst: usize) -> Vec<(usize, Vec<f32>)> {
    let scale = src as f64 / dst as f64;
    (0..dst)
        .map(|o| {
            let start = o as f64 * scale;
            let end = ((o + 1) as f64 * scale).min(src as f64);
            let first = start.floor() as usize;
            let last = (end.ceil() as usize).clamp(first + 1, src);
            let weights: Vec<f64> = (first..last).map(|i| (end.min(i as f64 + 1.0) - start.max(i as f64)).max(0.0)).collect();
            let total: f64 = weights.iter().sum();
            (first, weights.iter().map(|w| (w / total) as f32).collect())
        })
        .collect()
}

/// Resizes to `width` × `height` (both at least 1) by area averaging, rounding to nearest.
///
/// ```
/// let img = augplay::Image::new(4, 1, 1, vec![0, 10, 20, 40]).unwrap();
/// assert_eq!(augplay::kernels::resize::area(&img, 2, 1).data(), &[5, 30]);
/// ```
pub fn area(src: &Image, width: u32, height: u32) -> Image {
    let c = src.channels() as usize;
    let (sw, sh) = (src.width() as usize, src.height() as usize);
    let (dw, dh) = (width.max(1) as usize, height.max(1) as usize);
    let xs = coverage(sw, dw);
    let ys = coverage(sh, dh);
    // Horizontal pass into f32 rows, then vertical.
    let mut rows = vec![0f32; sh * dw * c];
    for y in 0..sh {
        let line = &src.data()[y * sw * c..(y + 1) * sw * c];
        for (ox, (first, weights)) in xs.iter().enumerate() {
            for ch in 0..c {
                let mut acc = 0f32;
                for (i, w) in weights.iter().enumerate() {
                    acc += line[(first + i) * c + ch] as f32 * w;
                }
                rows[(y * dw + ox) * c + ch] = acc;
            }
        }
    }
    let mut out = vec![0u8; dw * dh * c];
    for (oy, (first, weights)) in ys.iter().enumerate() {
        for i in 0..dw * c {
            let mut acc = 0f32;
            for (k, w) in weights.iter().enumerate() {
                acc += rows[(first + k) * dw * c + i] * w;
            }
            out[oy * dw * c + i] = (acc + 0.5).clamp(0.0, 255.0) as u8;
        }
    }
    Image::new(dw as u32, dh as u32, src.channels(), out).expect("sizes follow from the arguments")
}

/// The `width` × `height` region whose top-left corner is (`x`, `y`); it must lie inside.
pub fn crop(src: &Image, x: u32, y: u32, width: u32, height: u32) -> Image {
    let c = src.channels() as usize;
    let line = width as usize * c;
    let mut out = Vec::<u8>::with_capacity(line * height as usize);
    for (i, row) in (y..y + height).enumerate() {
        let start = (row as usize * src.width() as usize + x as usize) * c;
        // SAFETY: row i of the output lies within the capacity (height rows of `line` bytes).
        unsafe { copy_bytes(&src.data()[start..start + line], out.as_mut_ptr().add(i * line)) };
    }
    // SAFETY: all `height` rows were written.
    unsafe { out.set_len(line * height as usize) };
    Image::new(width, height, src.channels(), out).expect("region lies inside the image")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_size_is_identity_and_flat_stays_flat() {
        let img = Image::new(5, 3, 3, (0..45).map(|v| (v * 5) as u8).collect()).unwrap();
        assert_eq!(area(&img, 5, 3), img);
        let flat = Image::filled(97, 61, 1, 77).unwrap();
        assert!(area(&flat, 13, 9).data().iter().all(|&v| v == 77));
    }

    #[test]
    fn non_integer_factor_weights_by_coverage() {
        // 3 → 2: outputs cover [0, 1.5) and [1.5, 3).
        let img = Image::new(3, 1, 1, vec![0, 100, 200]).unwrap();
        assert_eq!(area(&img, 2, 1).data(), &[33, 167]);
    }

    #[test]
    fn crop_takes_the_region() {
        let img = Image::new(4, 3, 1, (0..12).collect()).unwrap();
        assert_eq!(crop(&img, 1, 1, 2, 2).data(), &[5, 6, 9, 10]);
    }
}
