//! The determinism contract inside WebAssembly: run by `wasm-pack test --node` and
//! `wasm-pack test --headless --chrome`. The same golden hash as the native suite.
#![cfg(target_arch = "wasm32")]

mod common;

use augplay::{codec, rng, Pipeline};
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn golden_hash_matches_native() {
    assert_eq!(common::golden_hash(), common::GOLDEN_HASH);
}

#[wasm_bindgen_test]
fn js_api_matches_core_and_reports_errors() {
    let image = codec::decode(common::GOLDEN_IMAGE).unwrap().to_channels(4).unwrap();
    let js = augplay::wasm::Pipeline::from_json(common::GOLDEN_RECIPE).unwrap_or_else(|_| panic!("recipe rejected"));
    let core = Pipeline::from_json(common::GOLDEN_RECIPE).unwrap();
    let seed = rng::sample_seed(common::GOLDEN_SEED, 0, 2);
    let out = js.apply(image.data(), image.width(), image.height(), seed as f64).unwrap_or_else(|_| panic!("apply failed"));
    let expected = core.apply(image.clone(), seed).unwrap();
    assert_eq!(out.rgba().to_vec(), expected.sample.image.data());
    assert_eq!(out.log().unwrap_or_else(|_| panic!("log failed")), serde_json::to_string(&expected.log).unwrap());

    let resident = augplay::wasm::RgbaImage::from_rgba(image.data().to_vec(), image.width(), image.height()).unwrap_or_else(|_| panic!());
    let fast = js.apply_to(&resident, seed as f64).unwrap_or_else(|_| panic!());
    // Allocate before taking the view: growing wasm memory would detach it.
    let mut copied = vec![0u8; expected.sample.image.data().len()];
    fast.rgba_view().copy_to(&mut copied);
    assert_eq!(copied, expected.sample.image.data());
    // A result of another seed refilled gives the same pixels; a bad seed leaves it alone.
    let mut refilled = js.apply_to(&resident, 1.0).unwrap_or_else(|_| panic!());
    js.apply_into(&resident, seed as f64, &mut refilled).unwrap_or_else(|_| panic!("applyInto failed"));
    refilled.rgba_view().copy_to(&mut copied);
    assert_eq!(copied, expected.sample.image.data());
    assert!(js.apply_into(&resident, -1.0, &mut refilled).is_err());
    refilled.rgba_view().copy_to(&mut copied);
    assert_eq!(copied, expected.sample.image.data());

    assert!(augplay::wasm::Pipeline::from_json(r#"{"transforms": [{"name": "Nope"}]}"#).is_err());
    assert!(js.apply(&[0; 7], 2, 1, 1.0).is_err());
    assert!(js.apply(image.data(), image.width(), image.height(), f64::NAN).is_err());
}

#[wasm_bindgen_test]
fn decoding_matches_native_for_png() {
    let image = codec::decode(common::GOLDEN_IMAGE).unwrap();
    assert_eq!((image.width(), image.height(), image.channels()), (128, 96, 3));
    assert!(codec::decode(b"not an image").is_err());
}

#[wasm_bindgen_test]
fn golden_task_hash_matches_native() {
    assert_eq!(common::golden_task_hash(), common::GOLDEN_TASK_HASH);
}
