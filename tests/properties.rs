//! Properties over random sizes, layouts, recipes and seeds: nothing panics, sizes are kept, the
//! same seed gives the same bytes, inverses are inverses.
#![cfg(not(target_arch = "wasm32"))] // proptest and processes are native-only

use augplay::transforms::spec::{Family, Kind};
use augplay::transforms::{registry, spec::Scalar};
use augplay::{Image, Pipeline, Sample};
use proptest::prelude::*;
use serde_json::{json, Value};

fn image() -> impl Strategy<Value = Image> {
    (1u32..40, 1u32..40, prop::sample::select(vec![1u8, 3, 4]), any::<u64>()).prop_map(|(w, h, c, salt)| {
        let n = (w * h * c as u32) as usize;
        let data = (0..n).map(|i| ((i as u64).wrapping_mul(salt | 1) >> 7) as u8).collect();
        Image::new(w, h, c, data).unwrap()
    })
}

/// A random valid value for every parameter of a catalog entry.
fn params_for(index: usize, unit: &[f64]) -> Value {
    let info = registry()[index].info;
    let mut obj = serde_json::Map::new();
    obj.insert("name".into(), json!(info.name));
    obj.insert("p".into(), json!(unit[0]));
    for (i, spec) in info.params.iter().enumerate() {
        let u = unit[(i + 1) % unit.len()];
        let w = unit[(i + 2) % unit.len()];
        let v = match spec.kind {
            Kind::Bool { .. } => json!(u < 0.5),
            Kind::Float { min, max, .. } => json!(min + (max - min) * u),
            // Sizes are kept small: the property is about behaviour, not about big images.
            Kind::Int { min, max, .. } => json!(min + ((max.min(min + 64) - min) as f64 * u) as i64),
            Kind::FloatRange { min, max, scalar, .. } => {
                let (a, b) = (min + (max - min) * u, min + (max - min) * w);
                if scalar == Scalar::Fixed && u > 0.9 { json!(a) } else { json!([a.min(b), a.max(b)]) }
            }
            Kind::IntRange { min, max, .. } => {
                let (a, b) = (min + ((max - min) as f64 * u) as i64, min + ((max - min) as f64 * w) as i64);
                json!([a.min(b), a.max(b)])
            }
            Kind::Choice { options, .. } => json!(options[(u * options.len() as f64) as usize % options.len()]),
            Kind::IntPair { min, max, .. } => json!([min + ((max.min(min + 64) - min) as f64 * u) as i64, min + ((max.min(min + 64) - min) as f64 * w) as i64]),
            Kind::Fill { random: false, .. } => json!([(w * 255.0) as u8, 7, 9]),
            Kind::Fill { .. } => match (u * 4.0) as u32 {
                0 => json!("random"),
                1 => json!("random_uniform"),
                2 => json!([(w * 255.0) as u8, 7, 9]),
                _ => json!((w * 255.0) as u8),
            },
        };
        obj.insert(spec.name.into(), v);
    }
    // CropAndPad takes px or percent, not both.
    if obj["name"] == "CropAndPad" {
        obj.remove(if unit[3] < 0.5 { "px" } else { "percent" });
    }
    Value::Object(obj)
}

fn recipe() -> impl Strategy<Value = Value> {
    prop::collection::vec((0..registry().len(), prop::collection::vec(0.0f64..=1.0, 4)), 0..6)
        .prop_map(|steps| json!({ "transforms": steps.iter().map(|(i, u)| params_for(*i, u)).collect::<Vec<_>>() }))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_valid_recipe_runs_and_is_deterministic(img in image(), recipe in recipe(), seed in 0u64..(1 << 53)) {
        let pipeline = Pipeline::from_value(&recipe).unwrap();
        let mut mask = Image::filled(img.width(), img.height(), 1, 0).unwrap();
        mask.data_mut()[0] = 255;
        let mut a = Sample::new(img.clone());
        a.set_mask("m", mask.clone()).unwrap();
        let mut b = a.clone();
        let (log_a, log_b) = match (pipeline.apply_to_sample(&mut a, seed), pipeline.apply_to_sample(&mut b, seed)) {
            (Ok(x), Ok(y)) => (x, y),
            (Err(x), Err(y)) => {
                // Only sizes may fail (absurd outputs, crops larger than the image), and alike.
                prop_assert_eq!(&x, &y);
                prop_assert!(x.to_string().contains("too large") || x.to_string().contains("pixels") || x.to_string().contains("larger than the"), "{}", x);
                return Ok(());
            }
            (x, y) => return Err(TestCaseError::fail(format!("same seed, different outcomes: {x:?} / {y:?}"))),
        };
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(log_a, log_b);
        prop_assert_eq!(a.image.channels(), img.channels());
        let m = a.mask("m").unwrap();
        prop_assert_eq!((m.width(), m.height()), (a.image.width(), a.image.height()));
        prop_assert!(m.data().iter().all(|&v| v == 0 || v == 255));
        // Steps that may change the size or move pixels: the crop, zoom, rotation and distortion families.
        let geometric = recipe["transforms"].as_array().unwrap().iter().any(|t| {
            registry().iter().any(|e| t["name"] == e.info.name && matches!(e.info.family, Family::CropZoom | Family::Rotation | Family::Distortion))
        });
        if !geometric {
            prop_assert_eq!((a.image.width(), a.image.height()), (img.width(), img.height()));
            prop_assert_eq!(m.data().iter().filter(|&&v| v == 255).count(), 1, "photometric steps and flips keep the mask pixel");
        }
    }

    #[test]
    fn flipping_twice_is_identity(img in image()) {
        let p = Pipeline::from_json(r#"{"transforms": [
            {"name": "HorizontalFlip", "p": 1}, {"name": "VerticalFlip", "p": 1},
            {"name": "HorizontalFlip", "p": 1}, {"name": "VerticalFlip", "p": 1}]}"#).unwrap();
        prop_assert_eq!(p.apply(img.clone(), 0).unwrap().sample.image, img);
    }

    #[test]
    fn identity_strengths_change_nothing(img in image(), seed in any::<u64>()) {
        let p = Pipeline::from_json(r#"{"transforms": [
            {"name": "RandomBrightnessContrast", "p": 1, "brightness_limit": 0, "contrast_limit": 0},
            {"name": "GaussNoise", "p": 1, "std_range": 0, "mean_range": 0}]}"#).unwrap();
        prop_assert_eq!(p.apply(img.clone(), seed).unwrap().sample.image, img);
    }

    #[test]
    fn alpha_is_never_changed_by_photometric_transforms(img in image(), seed in any::<u64>()) {
        let rgba = img.to_channels(4).unwrap();
        let p = Pipeline::from_json(r#"{"transforms": [
            {"name": "RandomBrightnessContrast", "p": 1, "brightness_limit": 0.5},
            {"name": "GaussNoise", "p": 1}]}"#).unwrap();
        let out = p.apply(rgba.clone(), seed).unwrap().sample.image;
        let alpha = |i: &Image| i.data().iter().skip(3).step_by(4).copied().collect::<Vec<_>>();
        prop_assert_eq!(alpha(&out), alpha(&rgba));
    }

    #[test]
    fn colour_identities(img in image(), seed in any::<u64>()) {
        let same = |recipe: &str| Pipeline::from_json(recipe).unwrap().apply(img.clone(), seed).unwrap().sample.image;
        prop_assert_eq!(same(r#"{"transforms": [{"name": "InvertImg", "p": 1}, {"name": "InvertImg", "p": 1}]}"#), img.clone());
        prop_assert_eq!(same(r#"{"transforms": [{"name": "Posterize", "p": 1, "num_bits": 8}]}"#), img.clone());
        prop_assert_eq!(same(r#"{"transforms": [{"name": "ColorJitter", "p": 1, "brightness": 0, "contrast": 0, "saturation": 0, "hue": 0}]}"#), img.clone());
        prop_assert_eq!(same(r#"{"transforms": [{"name": "RGBShift", "p": 1, "r_shift_limit": 0, "g_shift_limit": 0, "b_shift_limit": 0}]}"#), img.clone());
        prop_assert_eq!(same(r#"{"transforms": [{"name": "HueSaturationValue", "p": 1, "hue_shift_limit": 0, "sat_shift_limit": 0, "val_shift_limit": 0}]}"#).channels(), img.channels());
        for method in ["weighted_average", "from_lab", "desaturation", "average", "max"] {
            let gray = same(&format!(r#"{{"transforms": [{{"name": "ToGray", "p": 1, "method": "{method}"}}]}}"#));
            let c = gray.channels() as usize;
            prop_assert!(c < 3 || gray.data().chunks(c).all(|p| p[0] == p[1] && p[1] == p[2]), "{}", method);
        }
        let sharpened = same(r#"{"transforms": [{"name": "Sharpen", "p": 1, "alpha": 0}]}"#);
        prop_assert_eq!(sharpened, img.clone());
    }

    #[test]
    fn junk_recipes_are_errors_not_panics(text in ".{0,200}") {
        let _ = Pipeline::from_json(&text);
    }

    #[test]
    fn out_of_range_numbers_are_errors(index in 0..registry().len(), value in prop_oneof![Just(f64::MAX), Just(-1e300), -1e6f64..1e6]) {
        let info = registry()[index].info;
        for spec in info.params {
            let recipe = json!({"transforms": [{"name": info.name, spec.name: value}]});
            if let Err(e) = Pipeline::from_value(&recipe) {
                let msg = e.to_string();
                prop_assert!(msg.contains(spec.name) && msg.contains("allowed"), "{}", msg);
            }
        }
    }
}
