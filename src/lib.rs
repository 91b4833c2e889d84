//! # augplay
//!
//! Data augmentation you can see: randomised image transforms (flips, noise, colour, ...) in a
//! small deterministic core that runs the same in the browser (WebAssembly) and natively.
//!
//! Layers, one way down: [`pipeline`] (recipes, groups, seeding, replay log) → [`transforms`]
//! (sample parameters, then call a kernel) → [`kernels`] (pure pixel functions) → the shared
//! types [`Image`], [`Sample`], [`Error`] and [`rng`].
//!
//! ```
//! use augplay::{Image, Pipeline};
//! let recipe = r#"{"transforms": [{"name": "GaussNoise", "p": 1, "std_range": [0.1, 0.2]}]}"#;
//! let pipeline = Pipeline::from_json(recipe).unwrap();
//! let image = Image::filled(8, 8, 3, 128).unwrap();
//! let seed = augplay::rng::sample_seed(42, 0, 0);
//! let a = pipeline.apply(image.clone(), seed).unwrap();
//! let b = pipeline.apply(image, seed).unwrap();
//! assert_eq!(a.sample.image, b.sample.image); // same recipe + seed → same bytes
//! ```

// The wasm build's allocator (its test also runs natively).
#[cfg(any(target_arch = "wasm32", test))]
mod alloc;
pub mod codec;
pub mod cropout;
pub mod error;
pub mod image;
pub mod kernels;
pub mod npy;
pub mod pipeline;
pub mod rng;
pub mod transforms;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// Large blocks on cache lines in wasm (see [`alloc`]); native builds keep the system's allocator.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: alloc::LineAligned = alloc::LineAligned;

pub use error::{Error, Result};
pub use image::{Image, Sample};
pub use pipeline::{Augmented, LogEntry, Pipeline};
