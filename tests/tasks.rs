//! The inpainting tasks through the task runner: augment, then cut, with every mode's promises.

// The same tests run natively and, through wasm-pack test, in node and Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

use augplay::cropout::{Part, TaskRunner};
use augplay::{codec, rng, Pipeline};
use serde_json::json;

fn runner(spec: serde_json::Value, recipe: &str) -> TaskRunner {
    TaskRunner::new(&spec, &Pipeline::from_json(recipe).unwrap()).unwrap()
}

#[test]
fn golden_task_hash_is_pinned() {
    assert_eq!(common::golden_task_hash(), common::GOLDEN_TASK_HASH, "task output changed: {:#x}", common::golden_task_hash());
}

#[test]
fn input_and_target_agree_with_the_augmented_image_in_every_mode() {
    let image = codec::decode(common::GOLDEN_IMAGE).unwrap();
    for mode in ["cropout", "border", "grid", "depixelate"] {
        let r = runner(json!({"mode": mode}), common::GOLDEN_RECIPE);
        for k in 0..5 {
            let pair = r.run(&image, rng::sample_seed(8, 0, k)).unwrap();
            let (orig, input, known) = (&pair.original.data, &pair.input.data, &pair.known.data);
            assert_eq!(pair.known.shape, pair.original.shape, "{mode}");
            let unknown: Vec<u8> = orig.iter().zip(known).filter(|(_, &k)| k == 0).map(|(&v, _)| v).collect();
            assert!(!unknown.is_empty(), "{mode}: nothing unknown");
            for i in 0..orig.len() {
                if known[i] == 1 {
                    assert_eq!(input[i], orig[i], "{mode}: known value changed at {i}");
                } else if mode != "depixelate" {
                    assert_eq!(input[i], 0, "{mode}: unknown value not 0 at {i}");
                }
            }
            // The target holds exactly the original unknown values (row-major in every mode).
            assert_eq!(pair.target.data, unknown, "{mode}");
        }
    }
}

#[test]
fn augmentation_happens_before_cutting() {
    let image = codec::decode(common::GOLDEN_IMAGE).unwrap();
    let spec = json!({"mode": "cropout", "crop_size": [9, 9], "crop_center": [40, 60]});
    let plain = runner(spec.clone(), r#"{"transforms": []}"#).run(&image, 1).unwrap();
    let flipped = runner(spec, r#"{"transforms": [{"name": "HorizontalFlip", "p": 1}]}"#).run(&image, 1).unwrap();
    // The original of the flipped pair is the mirrored gray image; its target is cut from that.
    let w = 128;
    for x in 0..96 {
        for y in 0..w {
            assert_eq!(flipped.original.data[x * w + y], plain.original.data[x * w + (w - 1 - y)]);
        }
    }
    assert_ne!(flipped.target, plain.target);
}

#[test]
fn noise_modes() {
    let image = codec::decode(common::GOLDEN_IMAGE).unwrap();
    let recipe = r#"{"transforms": [{"name": "GaussNoise", "p": 1, "std_range": [0.2, 0.2]}]}"#;
    let spec = |noise: &str| json!({"mode": "cropout", "crop_size": [9, 9], "crop_center": [40, 60], "noise": noise});
    let off = runner(spec("off"), recipe).run(&image, 4).unwrap();
    let before = runner(spec("before"), recipe).run(&image, 4).unwrap();
    let input_only = runner(spec("input_only"), recipe).run(&image, 4).unwrap();
    let plain = runner(spec("off"), r#"{"transforms": []}"#).run(&image, 4).unwrap();
    assert_eq!(off.original, plain.original, "noise off: no noise at all");
    assert_eq!(off.input, plain.input);
    assert_ne!(before.original, plain.original, "noise before: the original (and target) is noisy");
    assert_ne!(before.target, plain.target);
    assert_eq!(input_only.original, plain.original, "input only: original and target stay clean");
    assert_eq!(input_only.target, plain.target);
    assert_ne!(input_only.input, plain.input);
    assert!(input_only.input.data.iter().zip(&input_only.known.data).filter(|(_, &k)| k == 0).all(|(&v, _)| v == 0));
}

#[test]
fn fixed_parameters_keep_the_image_size_and_random_ones_follow_the_challenge() {
    let image = codec::decode(common::GOLDEN_IMAGE).unwrap();
    let fixed = runner(json!({"mode": "cropout", "crop_size": [5, 7], "crop_center": [30, 30]}), r#"{"transforms": []}"#);
    assert_eq!(fixed.spec()["image_size"], "keep");
    assert_eq!(fixed.run(&image, 0).unwrap().original.shape, vec![96, 128]);
    let random = runner(json!({"mode": "cropout"}), r#"{"transforms": []}"#);
    for k in 0..40 {
        let pair = random.run(&image, rng::sample_seed(2, 0, k)).unwrap();
        let (h, w) = (pair.original.shape[0], pair.original.shape[1]);
        assert!((70..=100).contains(&h) && (70..=100).contains(&w), "{h}×{w}");
        let size = pair.params["crop_size"].as_array().unwrap();
        assert!(size.iter().all(|s| (5..=21).contains(&s.as_i64().unwrap()) && s.as_i64().unwrap() % 2 == 1));
    }
    let grid = runner(json!({"mode": "grid"}), r#"{"transforms": []}"#).run(&image, 3).unwrap();
    assert_eq!(grid.original.shape, vec![3, 100, 100]);
    let depix = runner(json!({"mode": "depixelate"}), r#"{"transforms": []}"#).run(&image, 3).unwrap();
    assert_eq!(depix.original.shape, vec![1, 64, 64]);
}

#[test]
fn task_spec_errors_are_clear() {
    let p = Pipeline::from_json(r#"{"transforms": []}"#).unwrap();
    let err = |spec: serde_json::Value| TaskRunner::new(&spec, &p).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err(json!({})).contains("missing 'mode'; modes are cropout, border, grid, depixelate"));
    assert!(err(json!({"mode": "inpaint"})).contains("unknown mode 'inpaint'"));
    assert!(err(json!({"mode": "cropout", "offset": [1, 2]})).contains("unknown field 'offset' for mode cropout; allowed: crop_size, crop_center, noise, image_size"));
    assert!(err(json!({"mode": "cropout", "crop_size": [9.5, 3]})).contains("'crop_size' must hold whole numbers"));
    assert!(err(json!({"mode": "grid", "noise": "sometimes"})).contains("allowed: \"off\", \"before\", \"input_only\""));
    let image = codec::decode(common::GOLDEN_IMAGE).unwrap();
    let bad = runner(json!({"mode": "cropout", "crop_size": [9, 8], "crop_center": [40, 60]}), r#"{"transforms": []}"#);
    assert!(bad.run(&image, 0).unwrap_err().to_string().starts_with("task rule violated: cropout: crop_size (9, 8)"));
}

#[test]
fn pictures_show_each_part() {
    let image = codec::decode(common::GOLDEN_IMAGE).unwrap();
    let pair = runner(json!({"mode": "grid", "offset": [0, 0], "spacing": [4, 4]}), r#"{"transforms": []}"#).run(&image, 0).unwrap();
    let known = pair.picture(Part::Known);
    assert_eq!((known.width(), known.height(), known.channels()), (128, 96, 1));
    assert_eq!(known.pixel(0, 0), &[255]);
    assert_eq!(known.pixel(1, 0), &[0]);
    let target = pair.picture(Part::Target);
    assert_eq!(target.channels(), 3);
    assert_eq!(target.pixel(0, 0), &[0, 0, 0], "known pixels are black in the target picture");
    assert_eq!(pair.picture(Part::Original).pixel(1, 0), target.pixel(1, 0));
}
