//! Non-linear distortions (remaps): lens-like barrel and pincushion, grid distortion, elastic. They move
//! the image and every mask with the same map; they end geometric fusion (not projective).

use serde::{Deserialize, Serialize};

use super::geometry::{border, interpolation, BORDER_MODE, INTERPOLATION, MASK_INTERPOLATION};
use super::spec::{Family, Fields, Kind, ParamSpec, Scalar, TransformInfo};
use super::{DynTransform, Transform};
use crate::error::Result;
use crate::image::{Image, Sample, MASK_ON};
use crate::kernels::field::{Field, Noise};
use crate::kernels::warp::{self, Border, Interpolation};
use crate::rng::Rng;

fn settings(f: &Fields) -> Result<(Interpolation, Interpolation, Border)> {
    Ok((interpolation(f.choice("interpolation")?), interpolation(f.choice("mask_interpolation")?), border(f)?))
}

/// Moves the image and every mask through `map` (output pixel → source position).
fn remap_sample(sample: &mut Sample, interp: Interpolation, mask_interp: Interpolation, border: Border, map: impl Fn(usize, usize) -> (f64, f64) + Copy) -> Result<()> {
    remap_sample_rows(sample, interp, mask_interp, border, move |y, xs: &mut [f64], ys: &mut [f64]| {
        for (x, (sx, sy)) in xs.iter_mut().zip(ys.iter_mut()).enumerate() {
            (*sx, *sy) = map(x, y);
        }
    })
}

/// [`remap_sample`] with the positions given a row at a time (see [`warp::remap_rows`]).
fn remap_sample_rows(sample: &mut Sample, interp: Interpolation, mask_interp: Interpolation, border: Border, map_row: impl Fn(usize, &mut [f64], &mut [f64]) + Copy) -> Result<()> {
    let (w, h) = (sample.image.width(), sample.image.height());
    sample.image = warp::remap_rows(&sample.image, w, h, interp, border, &[0], map_row);
    for mask in sample.masks_mut() {
        let moved = warp::remap_rows(mask, w, h, mask_interp, border, &[0], map_row);
        *mask = binary(&moved)?;
    }
    Ok(())
}

/// A moved mask made binary again (values from 128 on are in).
fn binary(moved: &Image) -> Result<Image> {
    let data = moved.data().iter().map(|&v| if v >= 128 { MASK_ON } else { 0 }).collect();
    Ok(Image::new(moved.width(), moved.height(), 1, data)?)
}

// ---------------------------------------------------------------- OpticalDistortion

pub const OPTICAL_DISTORTION: TransformInfo = TransformInfo {
    name: "OpticalDistortion",
    family: Family::Distortion,
    description: "Lens-like radial distortion: negative k bulges the centre (barrel), positive k pinches it (pincushion). Unlike albumentations, k = 0 does not shift the image by half a pixel.",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "distort_limit", kind: Kind::FloatRange { default: [-0.05, 0.05], min: -1.0, max: 1.0, scalar: Scalar::Symmetric }, description: "Range of the distortion coefficient k." },
        ParamSpec { name: "mode", kind: Kind::Choice { default: "camera", options: &["camera", "fisheye"] }, description: "camera: OpenCV's lens model (k1 = k2 = k); fisheye: radial scaling by 1 + k·r²." },
        INTERPOLATION,
        BORDER_MODE,
        MASK_INTERPOLATION,
    ],
};

pub struct OpticalDistortion {
    limit: [f64; 2],
    fisheye: bool,
    interp: Interpolation,
    mask_interp: Interpolation,
    border: Border,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OpticalParams {
    pub k: f64,
}

pub fn build_optical_distortion(f: &Fields) -> Result<Box<dyn DynTransform>> {
    let (interp, mask_interp, border) = settings(f)?;
    Ok(Box::new(OpticalDistortion { limit: f.float_range("distort_limit")?, fisheye: f.choice("mode")? == "fisheye", interp, mask_interp, border }))
}

impl Transform for OpticalDistortion {
    type Params = OpticalParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> OpticalParams {
        OpticalParams { k: rng.uniform(self.limit[0], self.limit[1]) }
    }
    fn apply(&self, p: &OpticalParams, sample: &mut Sample) -> Result<()> {
        let (w, h) = (sample.image.width() as f64, sample.image.height() as f64);
        let k = p.k;
        if self.fisheye {
            let (cx, cy) = (w / 2.0, h / 2.0);
            let max_r = libm::hypot(cx.max(w - cx), cy.max(h - cy));
            return remap_sample(sample, self.interp, self.mask_interp, self.border, move |x, y| {
                let (dx, dy) = (x as f64 - cx, y as f64 - cy);
                // Offsets from the centre are whole or half numbers: dx² + dy² is exact, and its
                // square root correctly rounded on every target (IEEE's sqrt; libm's hypot, which
                // guards against overflow these values cannot reach, made the pass seven times
                // slower in wasm).
                let rn = (dx * dx + dy * dy).sqrt() / max_r;
                let f = 1.0 + k * rn * rn;
                (cx + dx * f, cy + dy * f)
            });
        }
        // OpenCV's lens model as albumentations sets it up (focal lengths w and h, distortion
        // (k, k, 0, 0, 0)), with one principal point at the image centre for both cameras. (The
        // OpenCV map albumentations uses puts them half a pixel apart, shifting the image by half
        // a pixel even at k = 0; here k = 0 is the identity.)
        let (cx, cy) = ((w - 1.0) / 2.0, (h - 1.0) / 2.0);
        // Per pixel (u, v) = ((x − cx) / w, (y − cy) / h): u computed once per column, v once
        // per row (the same operations, so the same positions).
        let us: Vec<f64> = (0..sample.image.width()).map(|x| (x as f64 - cx) / w).collect();
        let us = &us;
        remap_sample_rows(sample, self.interp, self.mask_interp, self.border, move |y, xs: &mut [f64], ys: &mut [f64]| {
            let v = (y as f64 - cy) / h;
            for ((sx, sy), &u) in xs.iter_mut().zip(ys.iter_mut()).zip(us) {
                let r2 = u * u + v * v;
                let f = 1.0 + k * r2 + k * r2 * r2;
                (*sx, *sy) = (w * u * f + cx, h * v * f + cy);
            }
        })
    }
}

// ---------------------------------------------------------------- GridDistortion

pub const GRID_DISTORTION: TransformInfo = TransformInfo {
    name: "GridDistortion",
    family: Family::Distortion,
    description: "Stretches and squeezes the image along a grid: each cell's width and height scale by 1 + a random amount.",
    caution: None,
    default_p: 0.5,
    params: &[
        ParamSpec { name: "num_steps", kind: Kind::Int { default: 5, min: 1, max: 64 }, description: "Grid cells along each side." },
        ParamSpec { name: "distort_limit", kind: Kind::FloatRange { default: [-0.3, 0.3], min: -1.0, max: 1.0, scalar: Scalar::Symmetric }, description: "Range of each cell's scale change." },
        INTERPOLATION,
        BORDER_MODE,
        MASK_INTERPOLATION,
    ],
};

pub struct GridDistortion {
    steps: usize,
    limit: [f64; 2],
    interp: Interpolation,
    mask_interp: Interpolation,
    border: Border,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GridParams {
    /// Scale of each column and each row of cells (num_steps + 1 entries each).
    pub xsteps: Vec<f64>,
    pub ysteps: Vec<f64>,
}

pub fn build_grid_distortion(f: &Fields) -> Result<Box<dyn DynTransform>> {
    let (interp, mask_interp, border) = settings(f)?;
    Ok(Box::new(GridDistortion { steps: f.int("num_steps")? as usize, limit: f.float_range("distort_limit")?, interp, mask_interp, border }))
}

/// Source positions along one axis of length `n`: cells of `n / steps` pixels, each stretched
/// by its step, rescaled so the last position stays `n - 1` (albumentations' normalised grid).
fn grid_axis(n: usize, steps: &[f64]) -> Vec<f64> {
    let num = steps.len().saturating_sub(1).max(1);
    let cell = (n / num).max(1);
    let mut out = vec![0.0; n];
    let mut prev = 0.0;
    for (i, &s) in steps.iter().enumerate() {
        let start = i * cell;
        if start >= n {
            break;
        }
        let end = if i == steps.len() - 1 { n } else { (start + cell).min(n) };
        let cur = prev + cell as f64 * s;
        let len = end - start;
        for j in 0..len {
            out[start + j] = prev + (cur - prev) * j as f64 / len.max(1) as f64;
        }
        prev = cur;
    }
    let last = out[n - 1];
    if last > 0.0 {
        let scale = (n - 1) as f64 / last;
        out.iter_mut().for_each(|v| *v *= scale);
    }
    out
}

impl Transform for GridDistortion {
    type Params = GridParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> GridParams {
        let mut draw = || (0..=self.steps).map(|_| 1.0 + rng.uniform(self.limit[0], self.limit[1])).collect::<Vec<_>>();
        let xsteps = draw();
        let ysteps = draw();
        GridParams { xsteps, ysteps }
    }
    fn apply(&self, p: &GridParams, sample: &mut Sample) -> Result<()> {
        let xs = grid_axis(sample.image.width() as usize, &p.xsteps);
        let ys = grid_axis(sample.image.height() as usize, &p.ysteps);
        sample.image = warp::remap_separable(&sample.image, self.interp, self.border, &[0], &xs, &ys);
        for mask in sample.masks_mut() {
            let moved = warp::remap_separable(mask, self.mask_interp, self.border, &[0], &xs, &ys);
            *mask = binary(&moved)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- ElasticTransform

pub const ELASTIC_TRANSFORM: TransformInfo = TransformInfo {
    name: "ElasticTransform",
    family: Family::Distortion,
    description: "Rubber-sheet deformation: every pixel moves by a smooth random displacement (noise blurred by sigma, scaled by alpha). The noise is drawn on a coarse grid and blurred there, which looks and varies like albumentations' full-resolution field at a fraction of the cost. Defaults are stronger than albumentations' (alpha 1, sigma 50 barely moves a pixel).",
    caution: Some("Bends straight lines and shapes: fine for handwriting and tissue, implausible for rigid objects."),
    default_p: 0.5,
    params: &[
        ParamSpec { name: "alpha", kind: Kind::Float { default: 300.0, min: 0.0, max: 100_000.0 }, description: "Scale of the displacements (pixels per unit of normalised noise)." },
        ParamSpec { name: "sigma", kind: Kind::Float { default: 10.0, min: 1.0, max: 1000.0 }, description: "Smoothness: the standard deviation, in pixels, of the Gaussian blur of the noise." },
        ParamSpec { name: "same_dxdy", kind: Kind::Bool { default: false }, description: "Use one field for both directions (moves along the diagonal)." },
        ParamSpec {
            name: "noise_distribution",
            kind: Kind::Choice { default: "gaussian", options: &["gaussian", "uniform"] },
            description: "gaussian: normal noise divided by its largest magnitude; uniform: noise in [-1, 1].",
        },
        INTERPOLATION,
        ParamSpec {
            name: "border_mode",
            kind: Kind::Choice { default: "reflect", options: &["constant", "reflect", "replicate", "wrap"] },
            description: "What is read outside the image: black, a mirror (reflect-101), the edge pixel, or tiles.",
        },
        MASK_INTERPOLATION,
    ],
};

pub struct ElasticTransform {
    alpha: f64,
    sigma: f64,
    same: bool,
    noise: Noise,
    interp: Interpolation,
    mask_interp: Interpolation,
    border: Border,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ElasticParams {
    /// Seed of the displacement fields (they are regenerated from it).
    pub field_seed: u64,
}

pub fn build_elastic_transform(f: &Fields) -> Result<Box<dyn DynTransform>> {
    let (interp, mask_interp, border) = settings(f)?;
    Ok(Box::new(ElasticTransform {
        alpha: f.float("alpha")?,
        sigma: f.float("sigma")?,
        same: f.bool("same_dxdy")?,
        noise: if f.choice("noise_distribution")? == "uniform" { Noise::Uniform } else { Noise::Gaussian },
        interp,
        mask_interp,
        border,
    }))
}

impl Transform for ElasticTransform {
    type Params = ElasticParams;
    fn sample_params(&self, rng: &mut Rng, _: &Sample) -> ElasticParams {
        ElasticParams { field_seed: rng.next_seed() }
    }
    fn apply(&self, p: &ElasticParams, sample: &mut Sample) -> Result<()> {
        let (w, h) = (sample.image.width() as usize, sample.image.height() as usize);
        let count = w * h * if self.same { 1 } else { 2 };
        let field = |stream| Field::new(w, h, self.sigma, self.alpha, self.noise, count, crate::rng::derive_seed(p.field_seed, stream));
        let dx = field(0);
        let dy = if self.same { None } else { Some(field(1)) };
        let (dx, dy) = (&dx, dy.as_ref().unwrap_or(&dx));
        remap_sample_rows(sample, self.interp, self.mask_interp, self.border, move |y, xs: &mut [f64], ys: &mut [f64]| {
            // x + dx(x, y) and y + dy(x, y), the field rows read once per row.
            dx.row(y, xs);
            dy.row(y, ys);
            for (x, v) in xs.iter_mut().enumerate() {
                *v += x as f64;
            }
            for v in ys.iter_mut() {
                *v += y as f64;
            }
        })
    }
}
