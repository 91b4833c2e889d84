//! Pure, deterministic pixel functions.
//!
//! A kernel takes an image and fully specified parameters and changes pixels; it never draws a
//! random number from the pipeline's generator and allocates nothing per pixel. Noise kernels
//! take an explicit seed and expand it into their own fixed stream, so they too are pure
//! functions of their arguments. Transforms (one level up) decide the parameters.
//!
//! Each kernel is written once in plain Rust that LLVM vectorises when the wasm build enables
//! `simd128` (see `.cargo/config.toml`); integer or fixed-point maths keeps the bytes identical
//! between native and wasm builds.

pub mod area;
pub mod flip;
pub mod gray;
pub mod jpeg;
pub mod jitter;
pub mod jitter_fixed;
pub mod lab;
pub mod lut;
pub mod noise;
pub mod resize;
pub mod stream;
pub mod warp;
pub mod dropout;
pub mod clahe;
pub mod color;
pub mod field;
pub mod filter;
