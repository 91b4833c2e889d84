//! The crop-out (inpainting) task family: a region of an image becomes unknown; the model gets
//! the image with the hole and a known mask, and must restore the hole (the target).
//!
//! - [`modes`]: the four modes as pure functions with the course's exact rules and errors:
//!   `cropout` (the course project), `border` (extrapolation), `grid` (known pixels on a grid)
//!   and `depixelate`.
//! - [`task`]: a task specification (JSON), random samplers for each mode's challenge
//!   distribution, and "augment, then cut": the pipeline runs on the whole image first, so input
//!   and target always agree; noise and dropout can be kept off, run before, or hit the input only.
//!
//! Exports are numpy arrays ([`crate::npy`]) with the modes' exact dtypes and shapes.

pub mod modes;
pub mod task;

pub use task::{NoiseMode, Part, TaskPair, TaskRunner};
