//! Pipeline semantics a user relies on: probabilities, groups, masks, replay, recipe errors.

// The same tests run natively and, through wasm-pack test, in node and Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use augplay::image::MASK_ON;
use augplay::{rng, Image, Pipeline, Sample};

fn ramp(w: u32, h: u32, c: u8) -> Image {
    let n = (w * h * c as u32) as usize;
    Image::new(w, h, c, (0..n).map(|i| (i * 37 % 251) as u8).collect()).unwrap()
}

fn applied_names(p: &Pipeline, image: &Image, seed: u64) -> Vec<String> {
    fn walk(entries: &[augplay::LogEntry], out: &mut Vec<String>) {
        for e in entries.iter().filter(|e| e.applied) {
            if e.children.is_empty() {
                out.push(e.name.clone());
            } else {
                walk(&e.children, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&p.apply(image.clone(), seed).unwrap().log, &mut out);
    out
}

#[test]
fn p_zero_never_applies_and_p_one_always_does() {
    let never = Pipeline::from_json(r#"{"transforms": [{"name": "GaussNoise", "p": 0}]}"#).unwrap();
    let always = Pipeline::from_json(r#"{"transforms": [{"name": "HorizontalFlip", "p": 1}]}"#).unwrap();
    let img = ramp(9, 4, 3);
    for k in 0..50 {
        let seed = rng::sample_seed(1, 0, k);
        assert_eq!(never.apply(img.clone(), seed).unwrap().sample.image, img);
        assert!(!never.apply(img.clone(), seed).unwrap().log[0].applied);
        assert_ne!(always.apply(img.clone(), seed).unwrap().sample.image, img);
    }
}

#[test]
fn p_half_applies_about_half_the_time() {
    let p = Pipeline::from_json(r#"{"transforms": [{"name": "HorizontalFlip", "p": 0.5}]}"#).unwrap();
    let img = ramp(4, 4, 1);
    let n = 4000;
    let hits = (0..n).filter(|&k| p.apply(img.clone(), rng::sample_seed(2, 0, k)).unwrap().log[0].applied).count();
    assert!((1850..2150).contains(&hits), "{hits} of {n}");
}

#[test]
fn one_of_applies_exactly_one_child_weighted_by_p() {
    let p = Pipeline::from_json(
        r#"{"transforms": [{"name": "OneOf", "p": 1, "transforms": [
            {"name": "HorizontalFlip", "p": 0.75}, {"name": "VerticalFlip", "p": 0.25}]}]}"#,
    )
    .unwrap();
    let img = ramp(5, 3, 3);
    let mut horizontal = 0;
    for k in 0..2000 {
        let names = applied_names(&p, &img, rng::sample_seed(3, 0, k));
        assert_eq!(names.len(), 1, "{names:?}");
        horizontal += (names[0] == "HorizontalFlip") as i32;
    }
    assert!((1400..1600).contains(&horizontal), "{horizontal}");
}

#[test]
fn some_of_applies_n_distinct_children_in_recipe_order() {
    let p = Pipeline::from_json(
        r#"{"transforms": [{"name": "SomeOf", "n": 2, "transforms": [
            {"name": "HorizontalFlip", "p": 1}, {"name": "VerticalFlip", "p": 1},
            {"name": "GaussNoise", "p": 1}]}]}"#,
    )
    .unwrap();
    let img = ramp(5, 3, 3);
    let order = ["HorizontalFlip", "VerticalFlip", "GaussNoise"];
    for k in 0..200 {
        let names = applied_names(&p, &img, rng::sample_seed(4, 0, k));
        assert_eq!(names.len(), 2);
        assert_ne!(names[0], names[1]);
        let idx: Vec<usize> = names.iter().map(|n| order.iter().position(|o| o == n).unwrap()).collect();
        assert!(idx[0] < idx[1], "{names:?}");
    }
}

#[test]
fn flips_move_masks_and_photometric_transforms_leave_them() {
    let p = Pipeline::from_json(
        r#"{"transforms": [{"name": "HorizontalFlip", "p": 1}, {"name": "VerticalFlip", "p": 1},
            {"name": "GaussNoise", "p": 1}, {"name": "RandomBrightnessContrast", "p": 1}]}"#,
    )
    .unwrap();
    let mut mask = Image::filled(6, 4, 1, 0).unwrap();
    mask.data_mut()[0] = MASK_ON; // top-left pixel
    let mut sample = Sample::new(ramp(6, 4, 3));
    sample.set_mask("known", mask).unwrap();
    p.apply_to_sample(&mut sample, 5).unwrap();
    let moved = sample.mask("known").unwrap();
    assert_eq!(moved.pixel(5, 3), &[MASK_ON], "the set pixel moved to the bottom-right");
    assert_eq!(moved.data().iter().filter(|&&v| v != 0).count(), 1, "masks stay binary and untouched by noise");
}

#[test]
fn masks_must_match_their_image() {
    let mut sample = Sample::new(ramp(6, 4, 3));
    let err = sample.set_mask("m", Image::filled(4, 6, 1, 0).unwrap()).unwrap_err();
    assert!(err.to_string().contains("mask 'm' is 4×6×1, but must be 6×4×1"), "{err}");
}

#[test]
fn normalised_recipe_fills_defaults_in_declared_order() {
    let p = Pipeline::from_json(r#"{"transforms": [{"name": "GaussNoise", "std_range": 0.1}]}"#).unwrap();
    assert_eq!(
        p.recipe().to_string(),
        r#"{"transforms":[{"name":"GaussNoise","p":0.5,"std_range":[0.1,0.1],"mean_range":[0.0,0.0],"per_channel":true}]}"#
    );
    // The normalised recipe is itself a valid recipe describing the same pipeline.
    let again = Pipeline::from_value(p.recipe()).unwrap();
    assert_eq!(again.recipe(), p.recipe());
}

#[test]
fn recipe_errors_name_place_field_and_allowed_values() {
    let cases = [
        (r#"{"transforms": [{"name": "OneOf", "transforms": [{"name": "GaussNoise", "mean_range": [-2, 0]}]}]}"#,
         "transforms[0].transforms[0] (GaussNoise): field 'mean_range' is [-2, 0]; allowed: [low, high] with -1 <= low <= high <= 1"),
        (r#"{"transforms": [{"name": "SomeOf", "n": 3, "transforms": [{"name": "HorizontalFlip"}]}]}"#,
         "field 'n' is 3; allowed: a whole number from 0 to 1 (the number of transforms; or set replace)"),
        (r#"{"transforms": [{"p": 1}]}"#, "transforms[0]: missing 'name'"),
        (r#"{"transforms": [{"name": 3}]}"#, "transforms[0]: 'name' is 3; it must be a transform name"),
        (r#"{"transforms": {"name": "HorizontalFlip"}}"#, "'transforms' is an object; it must be a list of transforms"),
        (r#"{}"#, "missing 'transforms'"),
        (r#"{"transforms": [{"name": "GaussNoise", "std_range": [0.1, 0.2, 0.3]}]}"#, "field 'std_range' has 3 values"),
        (r#"{"transforms": [{"name": "GaussNoise", "std_range": [0.1, 1e999]}]}"#, "not valid JSON"),
        // Huge and tiny numbers are shown as written, not as hundreds of digits; a huge whole
        // number is out of range, not "not a whole number".
        (r#"{"transforms": [{"name": "Rotate", "limit": [1e308, 1e308]}]}"#, "field 'limit' is [1e308, 1e308]; allowed"),
        (r#"{"transforms": [{"name": "GaussNoise", "std_range": [0.1, 1e-300]}]}"#, "field 'std_range' is [0.1, 1e-300], low above high"),
        (r#"{"transforms": [{"name": "Resize", "height": 1e20, "width": 5}]}"#, "field 'height' is 1e20; allowed: a whole number from 1 to 16384"),
        (r#"{"transforms": [{"name": "GaussianBlur", "blur_limit": [3, 1e300]}]}"#, "field 'blur_limit' is 1e300; allowed"),
        (r#"{"transforms": [{"name": "Resize", "height": 2.5, "width": 5}]}"#, "field 'height' is 2.5, not a whole number"),
        (r#"{"transforms": [{"name": "Rotate", "limit": 1234.5}]}"#, "field 'limit' is [-1234.5, 1234.5]"),
    ];
    for (recipe, expected) in cases {
        let err = Pipeline::from_json(recipe).unwrap_err().to_string();
        assert!(err.contains(expected), "{recipe}\n  gave: {err}\n  want: {expected}");
    }
}

#[test]
fn absurd_recipes_are_refused_not_overflowed() {
    let many = format!(r#"{{"transforms": [{}]}}"#, vec![r#"{"name": "HorizontalFlip"}"#; 300].join(","));
    assert!(Pipeline::from_json(&many).unwrap_err().to_string().contains("at most 256"));
    let mut deep = r#"{"name": "HorizontalFlip"}"#.to_string();
    for _ in 0..20 {
        deep = format!(r#"{{"name": "OneOf", "transforms": [{deep}]}}"#);
    }
    let err = Pipeline::from_json(&format!(r#"{{"transforms": [{deep}]}}"#)).unwrap_err().to_string();
    assert!(err.contains("nested deeper than 8 levels"), "{err}");
}

#[test]
fn replay_rejects_a_log_from_another_pipeline() {
    let a = Pipeline::from_json(r#"{"transforms": [{"name": "HorizontalFlip", "p": 1}]}"#).unwrap();
    let b = Pipeline::from_json(r#"{"transforms": [{"name": "GaussNoise", "p": 1}]}"#).unwrap();
    let log = a.apply(ramp(3, 3, 1), 1).unwrap().log;
    let err = b.replay(&mut Sample::new(ramp(3, 3, 1)), &log).unwrap_err().to_string();
    assert!(err.contains("replay log names 'HorizontalFlip' where the pipeline has 'GaussNoise'"), "{err}");
}
