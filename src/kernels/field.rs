//! Smooth random displacement fields for elastic deformation.
//!
//! albumentations draws white noise at every pixel and blurs it with a Gaussian of `sigma`
//! (a kernel 8·sigma + 1 wide), which is what makes its elastic transform slow. A blurred white
//! noise field is a Gaussian random field whose detail is set by `sigma`; here the noise is drawn
//! on a coarse grid (one point every ~sigma/3 pixels), blurred there, scaled so its variance
//! equals the full-resolution field's, and read back bilinearly. Same look and statistics at a
//! small fraction of the work; exact (grid step 1) for small sigma.

use crate::rng::Rng;

/// A smooth field sampled on a coarse grid, read at any pixel.
pub struct Field {
    step: usize,
    cols: usize,
    rows: usize,
    values: Vec<f64>,
    /// Per pixel column: its grid column, the next one (the last repeated) and the fraction of
    /// the way to it; computed once, so reading the field divides nothing per pixel.
    xs: Vec<(u32, u32, f64)>,
    /// The same per pixel row.
    ys: Vec<(u32, u32, f64)>,
}

/// [`Field::xs`] or [`Field::ys`] for `n` pixels over `points` grid points `step` apart.
fn axis(n: usize, step: usize, points: usize) -> Vec<(u32, u32, f64)> {
    (0..n).map(|i| Field::cell(i, step, points)).map(|(g, g1, f)| (g as u32, g1 as u32, f)).collect()
}

/// Noise the field starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Noise {
    /// Standard normal values, divided by their (expected) largest magnitude, as albumentations.
    Gaussian,
    /// Uniform in [-1, 1].
    Uniform,
}

/// The grid step for a blur of `sigma` pixels: about three grid points per sigma.
pub fn grid_step(sigma: f64) -> usize {
    ((sigma / 3.0).floor() as usize).max(1)
}

/// A discrete Gaussian of `sigma` (in grid steps), normalised to sum 1.
fn gaussian_kernel(sigma: f64) -> Vec<f64> {
    let radius = (4.0 * sigma).ceil().max(1.0) as isize;
    let k: Vec<f64> = (-radius..=radius).map(|i| libm::exp(-((i * i) as f64) / (2.0 * sigma * sigma))).collect();
    let sum: f64 = k.iter().sum();
    k.into_iter().map(|v| v / sum).collect()
}

/// Blurs a `cols` × `rows` grid separably, repeating the edge values (OpenCV's replicate border).
fn blur(values: &mut [f64], cols: usize, rows: usize, kernel: &[f64]) {
    let r = (kernel.len() / 2) as isize;
    let mut line = vec![0.0; cols.max(rows)];
    for y in 0..rows {
        for (x, out) in line[..cols].iter_mut().enumerate() {
            *out = kernel.iter().enumerate().map(|(k, w)| w * values[y * cols + (x as isize + k as isize - r).clamp(0, cols as isize - 1) as usize]).sum();
        }
        values[y * cols..(y + 1) * cols].copy_from_slice(&line[..cols]);
    }
    for x in 0..cols {
        for (y, out) in line[..rows].iter_mut().enumerate() {
            *out = kernel.iter().enumerate().map(|(k, w)| w * values[(y as isize + k as isize - r).clamp(0, rows as isize - 1) as usize * cols + x]).sum();
        }
        for y in 0..rows {
            values[y * cols + x] = line[y];
        }
    }
}

/// The largest magnitude expected among `n` standard normal values (the median of the maximum),
/// which albumentations divides its noise by.
pub fn expected_max_abs_normal(n: usize) -> f64 {
    let tail = std::f64::consts::LN_2 / (2.0 * n.max(1) as f64);
    crate::kernels::noise::inverse_normal_cdf(1.0 - tail)
}

impl Field {
    /// A field for a `width` × `height` image blurred by `sigma` pixels, scaled by `alpha`.
    /// `count` is how many full-resolution noise values albumentations would normalise together
    /// (one or two fields of width × height).
    pub fn new(width: usize, height: usize, sigma: f64, alpha: f64, noise: Noise, count: usize, seed: u64) -> Field {
        let step = grid_step(sigma);
        let (cols, rows) = ((width.max(1) - 1).div_ceil(step) + 1, (height.max(1) - 1).div_ceil(step) + 1);
        let mut rng = Rng::new(seed);
        let mut values: Vec<f64> = match noise {
            Noise::Gaussian => (0..cols * rows)
                .map(|_| {
                    let u1 = rng.unit().max(f64::MIN_POSITIVE);
                    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * rng.unit())
                })
                .collect(),
            Noise::Uniform => (0..cols * rows).map(|_| rng.uniform(-1.0, 1.0)).collect(),
        };
        blur(&mut values, cols, rows, &gaussian_kernel(sigma / step as f64));
        // Variance of blurred white noise falls with the blur's area: a grid step of g pixels
        // leaves g² times the full-resolution variance, hence 1/g.
        let norm = match noise {
            Noise::Gaussian => expected_max_abs_normal(count),
            Noise::Uniform => 1.0,
        };
        let scale = alpha / (norm * step as f64);
        values.iter_mut().for_each(|v| *v *= scale);
        Field { step, cols, rows, values, xs: axis(width, step, cols), ys: axis(height, step, rows) }
    }

    /// Pixel `i` of an axis: its grid point, the next one (the last repeated) and the fraction
    /// of the way to it.
    #[inline]
    fn cell(i: usize, step: usize, points: usize) -> (usize, usize, f64) {
        let g = i / step;
        (g, (g + 1).min(points - 1), (i % step) as f64 / step as f64)
    }

    /// The displacement at pixel (`x`, `y`), bilinear between grid points.
    #[inline]
    pub fn at(&self, x: usize, y: usize) -> f64 {
        let widen = |&(g, g1, f): &(u32, u32, f64)| (g as usize, g1 as usize, f);
        let (gx, gx1, fx) = self.xs.get(x).map_or_else(|| Self::cell(x, self.step, self.cols), widen);
        let (gy, gy1, fy) = self.ys.get(y).map_or_else(|| Self::cell(y, self.step, self.rows), widen);
        let v = |cx: usize, cy: usize| self.values[cy * self.cols + cx];
        let top = v(gx, gy) + (v(gx1, gy) - v(gx, gy)) * fx;
        let bottom = v(gx, gy1) + (v(gx1, gy1) - v(gx, gy1)) * fx;
        top + (bottom - top) * fy
    }

    /// The displacements of pixel row `y` (as [`Field::at`] for every column, with the same
    /// operations: the row's grid rows and fraction found once, each cell's corner values and
    /// differences read once) into `out`, one per column of the field's width.
    pub fn row(&self, y: usize, out: &mut [f64]) {
        let (gy, gy1, fy) = self.ys.get(y).map_or_else(|| Self::cell(y, self.step, self.rows), |&(g, g1, f)| (g as usize, g1 as usize, f));
        let (top_row, bottom_row) = (&self.values[gy * self.cols..][..self.cols], &self.values[gy1 * self.cols..][..self.cols]);
        let n = out.len().min(self.xs.len());
        // Runs of `step` columns share their grid columns.
        for (out, xs) in out[..n].chunks_mut(self.step).zip(self.xs[..n].chunks(self.step)) {
            let (gx, gx1) = (xs[0].0 as usize, xs[0].1 as usize);
            let (a, b) = (top_row[gx], bottom_row[gx]);
            let (da, db) = (top_row[gx1] - a, bottom_row[gx1] - b);
            for (o, &(_, _, fx)) in out.iter_mut().zip(xs) {
                let top = a + da * fx;
                let bottom = b + db * fx;
                *o = top + (bottom - top) * fy;
            }
        }
    }

    /// Standard deviation of the grid values (for tests and the catalog's guidance).
    pub fn std(&self) -> f64 {
        let n = self.values.len() as f64;
        let mean = self.values.iter().sum::<f64>() / n;
        (self.values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coarse_field_has_the_full_resolution_variance() {
        // Blurred unit white noise has variance ≈ 1 / (4π σ²) whatever the grid step.
        for sigma in [2.0, 6.0, 20.0] {
            let expected = 1.0 / (2.0 * std::f64::consts::PI.sqrt() * sigma);
            let mut sum = 0.0;
            for seed in 0..8 {
                sum += Field::new(512, 512, sigma, 1.0, Noise::Uniform, 1, seed).std() * 3f64.sqrt();
            }
            let got = sum / 8.0;
            assert!((got / expected - 1.0).abs() < 0.2, "sigma {sigma}: std {got} vs {expected}");
        }
    }

    #[test]
    fn grid_points_are_read_exactly_and_between_them_linearly() {
        let f = Field::new(40, 30, 12.0, 5.0, Noise::Gaussian, 2400, 3);
        assert_eq!(f.step, 4);
        let mid = f.at(2, 0);
        assert!((mid - (f.at(0, 0) + f.at(4, 0)) / 2.0).abs() < 1e-12);
        assert!((0..40).all(|x| f.at(x, 29).is_finite()));
    }

    #[test]
    fn expected_maximum_grows_slowly() {
        let a = expected_max_abs_normal(1000);
        let b = expected_max_abs_normal(1_000_000);
        assert!(a > 3.0 && a < 3.6, "{a}");
        assert!(b > 4.7 && b < 5.2, "{b}");
    }

    #[test]
    fn rows_give_the_values_of_at_bit_for_bit() {
        // Row reads (what the elastic remap uses) against the pixel-by-pixel definition, on
        // sizes that are and are not multiples of the grid step.
        for (w, h, sigma) in [(256, 256, 50.0), (37, 23, 7.0), (5, 3, 1.0), (300, 17, 100.0)] {
            let f = Field::new(w, h, sigma, 3.0, Noise::Gaussian, w * h, 9);
            let mut row = vec![0.0; w];
            for y in 0..h {
                f.row(y, &mut row);
                for (x, v) in row.iter().enumerate() {
                    assert_eq!(v.to_bits(), f.at(x, y).to_bits(), "{w}×{h}, sigma {sigma}, at ({x}, {y})");
                }
            }
        }
    }
}
