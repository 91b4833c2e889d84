//! Same recipe + seed → same bytes, here and (tests/wasm.rs) in WebAssembly.

// The same tests run natively and, through wasm-pack test, in node and Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

use augplay::{codec, rng, Image, Pipeline, Sample};

#[test]
fn golden_hash_is_pinned() {
    assert_eq!(common::golden_hash(), common::GOLDEN_HASH, "native output changed: {:#x}", common::golden_hash());
}

#[test]
fn rgb_and_rgba_inputs_give_the_same_colour_bytes() {
    // The page hands RGBA, the command line keeps RGB: both must agree on every colour value.
    let pipeline = Pipeline::from_json(common::GOLDEN_RECIPE).unwrap();
    let rgb = codec::decode(common::GOLDEN_IMAGE).unwrap();
    let rgba = rgb.to_channels(4).unwrap();
    for k in 0..4 {
        let seed = rng::sample_seed(1, 0, k);
        let a = pipeline.apply(rgb.clone(), seed).unwrap().sample.image;
        let b = pipeline.apply(rgba.clone(), seed).unwrap().sample.image;
        assert_eq!(b.to_channels(3).unwrap(), a);
        assert!(b.data().chunks(4).all(|p| p[3] == 255), "alpha must stay opaque");
    }
}

#[test]
fn replaying_the_log_reproduces_the_bytes() {
    let pipeline = Pipeline::from_json(common::GOLDEN_RECIPE).unwrap();
    let image = codec::decode(common::GOLDEN_IMAGE).unwrap();
    for k in 0..6 {
        let out = pipeline.apply(image.clone(), rng::sample_seed(5, 0, k)).unwrap();
        let json = serde_json::to_string(&out.log).unwrap();
        let log: Vec<augplay::LogEntry> = serde_json::from_str(&json).unwrap();
        let mut again = Sample::new(image.clone());
        pipeline.replay(&mut again, &log).unwrap();
        assert_eq!(again.image, out.sample.image);
    }
}

#[test]
fn different_seeds_give_different_samples() {
    let pipeline = Pipeline::from_json(common::GOLDEN_RECIPE).unwrap();
    let image = codec::decode(common::GOLDEN_IMAGE).unwrap();
    let outs: Vec<Image> = (0..8).map(|k| pipeline.apply(image.clone(), rng::sample_seed(3, 0, k)).unwrap().sample.image).collect();
    for i in 0..outs.len() {
        for j in i + 1..outs.len() {
            assert_ne!(outs[i], outs[j], "samples {i} and {j} are identical");
        }
    }
}

#[test]
fn every_pixel_transform_is_pinned() {
    assert_eq!(common::golden_each_hash(), common::GOLDEN_EACH_HASH, "output changed: {:#x}", common::golden_each_hash());
}
