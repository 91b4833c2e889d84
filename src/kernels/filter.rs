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

/// Convolves the colour channels with `k` along rows and then columns (a separable kernel of odd
/// length). Each tap is one multiply-add over a whole padded row, which vectorises; every value
/// still sums its taps in kernel order, so results do not depend on the vector width.
pub fn separable(img: &mut Image, k: &[f32]) {
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

/// The median of each `ksize`×`ksize` window (odd size), edges replicated. A histogram of the
/// window slides along each row (Huang's algorithm): each step removes one column and adds one,
/// and the median is found by walking the cumulative count from the previous median.
pub fn median(img: &mut Image, ksize: usize) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let c = img.channels() as usize;
    let color = img.color_channels();
    let r = (ksize / 2) as isize;
    let half = (ksize * ksize / 2) as u32; // the median is the (half + 1)-th smallest
    let src = img.data().to_vec();
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
