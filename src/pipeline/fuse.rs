//! Geometric fusion: consecutive projective steps compose into one matrix and the image (and
//! every mask) is resampled once, which is sharper and faster than resampling per step.
//!
//! Fusion stops, and the composed map is resampled, before any step that is not a projective
//! map (colour, noise, dropout, distortions), and between two resampling steps whose settings
//! differ (interpolation, border, fill): one map has one border rule. `CropAndPad` joins only
//! when its padding would read the same pixels from the original image as from the cropped one
//! (see `CropAndPad::fused`); otherwise it is a non-projective step of its own. A run of exact moves alone (flips, 90° turns,
//! whole-pixel crops) is applied as exact copies, never resampled; inside a resampling run they
//! are folded into the matrix, which moves pixel centres onto pixel centres exactly.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::image::Sample;
use crate::kernels::warp::{self, Matrix, IDENTITY};
use crate::transforms::{resample_sample, DynTransform, Resample};

struct Pending<'a> {
    matrix: Matrix,
    width: u32,
    height: u32,
    resample: Option<Resample>,
    steps: Vec<(&'a dyn DynTransform, Value)>,
}

/// Runs steps in order, holding back projective ones until they must be resampled.
#[derive(Default)]
pub(super) struct Executor<'a> {
    pending: Option<Pending<'a>>,
}

impl<'a> Executor<'a> {
    /// Applies (or holds back) one step, `name`, with its parameters.
    pub fn step(&mut self, name: &str, transform: &'a dyn DynTransform, params: Value, sample: &mut Sample) -> Result<()> {
        let (w, h) = sample.size();
        let Some(p) = transform.projection_json(&params, w, h)? else {
            self.flush(sample)?;
            return transform.apply_json(&params, sample);
        };
        // An output beyond the size limits: say which step asked for it.
        crate::image::check_size(p.width, p.height).map_err(|e| Error::Image(format!("the output of {name} ({w}×{h} in): {}", e.message())))?;
        let conflict = matches!((&self.pending, &p.resample), (Some(Pending { resample: Some(a), .. }), Some(b)) if a != b);
        if conflict {
            self.flush(sample)?;
        }
        let pending = self.pending.get_or_insert_with(|| Pending { matrix: IDENTITY, width: w, height: h, resample: None, steps: Vec::new() });
        pending.matrix = warp::mul(&p.matrix, &pending.matrix);
        pending.width = p.width;
        pending.height = p.height;
        if p.resample.is_some() {
            pending.resample = p.resample;
        }
        pending.steps.push((transform, params));
        sample.set_pending_size(Some((p.width, p.height)));
        Ok(())
    }

    /// Resamples whatever is held back.
    pub fn flush(&mut self, sample: &mut Sample) -> Result<()> {
        let Some(p) = self.pending.take() else { return Ok(()) };
        sample.set_pending_size(None);
        let Some(r) = p.resample else {
            for (transform, params) in p.steps {
                transform.apply_json(&params, sample)?;
            }
            return Ok(());
        };
        let inverse = warp::invert(&p.matrix).ok_or_else(|| Error::Argument("the geometric steps collapse the image to a line (a singular map)".into()))?;
        resample_sample(sample, &inverse, p.width, p.height, &r)
    }
}
