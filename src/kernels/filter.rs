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

/// Convolves the colour channels with `k` along rows and then columns (a separable kernel of odd
/// length).
pub fn separable(img: &mut Image, k: &[f32]) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let c = img.channels() as usize;
    let color = img.color_channels();
    let r = (k.len() / 2) as isize;
    let xs: Vec<Vec<usize>> = (0..w).map(|x| (0..k.len()).map(|t| reflect101(x as isize + t as isize - r, w)).collect()).collect();
    let mut rows = vec![0f32; w * h * color];
    {
        let src = img.data();
        for y in 0..h {
            let line = &src[y * w * c..(y + 1) * w * c];
            for x in 0..w {
                for ch in 0..color {
                    let mut acc = 0f32;
                    for (t, &sx) in xs[x].iter().enumerate() {
                        acc += k[t] * line[sx * c + ch] as f32;
                    }
                    rows[(y * w + x) * color + ch] = acc;
                }
            }
        }
    }
    let out = img.data_mut();
    for y in 0..h {
        let ys: Vec<usize> = (0..k.len()).map(|t| reflect101(y as isize + t as isize - r, h)).collect();
        for x in 0..w {
            for ch in 0..color {
                let mut acc = 0f32;
                for (t, &sy) in ys.iter().enumerate() {
                    acc += k[t] * rows[(sy * w + x) * color + ch];
                }
                out[(y * w + x) * c + ch] = round_u8(acc);
            }
        }
    }
}

/// Convolves the colour channels with a `size`×`size` kernel (row-major, odd size). Zero taps
/// are skipped, so sparse kernels (motion lines, disks) cost only their non-zero taps.
pub fn filter2d(img: &mut Image, k: &[f32], size: usize) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let c = img.channels() as usize;
    let color = img.color_channels();
    let r = (size / 2) as isize;
    let taps: Vec<(isize, isize, f32)> = (0..size * size)
        .filter(|&i| k[i] != 0.0)
        .map(|i| ((i / size) as isize - r, (i % size) as isize - r, k[i]))
        .collect();
    let src = img.data().to_vec();
    let out = img.data_mut();
    for y in 0..h {
        for x in 0..w {
            for ch in 0..color {
                let mut acc = 0f32;
                for &(dy, dx, kv) in &taps {
                    let sy = reflect101(y as isize + dy, h);
                    let sx = reflect101(x as isize + dx, w);
                    acc += kv * src[(sy * w + sx) * c + ch] as f32;
                }
                out[(y * w + x) * c + ch] = round_u8(acc);
            }
        }
    }
}

/// The median of each `ksize`×`ksize` window (odd size), edges replicated.
pub fn median(img: &mut Image, ksize: usize) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let c = img.channels() as usize;
    let color = img.color_channels();
    let r = (ksize / 2) as isize;
    let src = img.data().to_vec();
    let out = img.data_mut();
    let mut window = Vec::with_capacity(ksize * ksize);
    for y in 0..h {
        for x in 0..w {
            for ch in 0..color {
                window.clear();
                for dy in -r..=r {
                    let sy = (y as isize + dy).clamp(0, h as isize - 1) as usize;
                    for dx in -r..=r {
                        let sx = (x as isize + dx).clamp(0, w as isize - 1) as usize;
                        window.push(src[(sy * w + sx) * c + ch]);
                    }
                }
                let mid = window.len() / 2;
                out[(y * w + x) * c + ch] = *window.select_nth_unstable(mid).1;
            }
        }
    }
}

/// A normalised 1-D Gaussian of odd `size` (albumentations' `create_gaussian_kernel_1d`).
pub fn gaussian_kernel(sigma: f64, size: usize) -> Vec<f32> {
    let half = (size / 2) as f64;
    let raw: Vec<f64> = (0..size).map(|i| libm::exp(-0.5 * ((i as f64 - half) / sigma).powi(2))).collect();
    let sum: f64 = raw.iter().sum();
    raw.iter().map(|v| (v / sum) as f32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflect_101_indices() {
        let got: Vec<usize> = (-3..8).map(|i| reflect101(i, 5)).collect();
        assert_eq!(got, vec![3, 2, 1, 0, 1, 2, 3, 4, 3, 2, 1]);
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
}
