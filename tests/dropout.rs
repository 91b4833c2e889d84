//! Dropout transforms: fractions, shapes, the dropout mask, compensation.

// The same tests run natively and, through wasm-pack test, in node and Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use augplay::image::MASK_ON;
use augplay::{Image, Pipeline, Sample};

fn textured(w: u32, h: u32, c: u8) -> Image {
    // Values 100..=227 everywhere, so that a fill of 0 always changes a pixel.
    let n = (w * h * c as u32) as usize;
    Image::new(w, h, c, (0..n).map(|i| 100 + (i * 31 % 128) as u8).collect()).unwrap()
}

fn run(recipe: &str, image: Image, seed: u64) -> Sample {
    let mut sample = Sample::new(image);
    Pipeline::from_json(recipe).unwrap().apply_to_sample(&mut sample, seed).unwrap();
    sample
}

fn changed_pixels(a: &Image, b: &Image) -> Vec<u8> {
    let c = a.channels() as usize;
    a.data().chunks(c).zip(b.data().chunks(c)).map(|(p, q)| if p != q { MASK_ON } else { 0 }).collect()
}

#[test]
fn the_dropout_mask_is_exactly_the_changed_pixels() {
    for recipe in [
        r#"{"name": "PixelDropout", "dropout_prob": 0.2}"#,
        r#"{"name": "PixelDropout", "dropout_prob": 0.2, "per_channel": true}"#,
        r#"{"name": "CoarseDropout", "num_holes_range": [3, 6]}"#,
        r#"{"name": "Erasing", "fill": [1, 2, 3]}"#,
        r#"{"name": "GridDropout", "ratio": 0.4}"#,
        r#"{"name": "DropBlock", "block_size": 5, "drop_prob": 0.2}"#,
    ] {
        let full = format!(r#"{{"transforms": [{}]}}"#, recipe.replace("{\"name\"", "{\"p\": 1, \"name\""));
        let image = textured(64, 48, 3);
        for seed in 0..3 {
            let out = run(&full, image.clone(), seed);
            let mask = out.mask("dropout").expect("dropout mask").data().to_vec();
            assert_eq!(mask, changed_pixels(&image, &out.image), "{recipe}");
            assert!(mask.contains(&MASK_ON), "{recipe}: nothing dropped");
        }
    }
}

#[test]
fn pixel_dropout_fraction_on_512x512() {
    let out = run(r#"{"transforms": [{"name": "PixelDropout", "p": 1, "dropout_prob": 0.1}]}"#, textured(512, 512, 3), 7);
    let dropped = out.mask("dropout").unwrap().data().iter().filter(|&&m| m != 0).count() as f64 / (512.0 * 512.0);
    assert!((dropped - 0.1).abs() < 0.003, "{dropped}");
    let per_value = run(r#"{"transforms": [{"name": "PixelDropout", "p": 1, "dropout_prob": 0.1, "per_channel": true}]}"#, textured(512, 512, 3), 7);
    let zeros = per_value.image.data().iter().filter(|&&v| v == 0).count() as f64 / (512.0 * 512.0 * 3.0);
    assert!((zeros - 0.1).abs() < 0.003, "{zeros}");
}

#[test]
fn drop_block_blocks_are_contiguous_and_identical_across_channels() {
    let image = textured(512, 512, 3);
    let out = run(r#"{"transforms": [{"name": "DropBlock", "p": 1, "block_size": 9, "drop_prob": 0.1}]}"#, image, 3);
    let mask = out.mask("dropout").unwrap().data();
    let fraction = mask.iter().filter(|&&m| m != 0).count() as f64 / (512.0 * 512.0);
    // Overlapping blocks drop a little less than drop_prob.
    assert!((0.08..0.11).contains(&fraction), "{fraction}");
    for (p, px) in out.image.data().chunks(3).enumerate() {
        let dropped = mask[p] != 0;
        assert_eq!(px.iter().all(|&v| v == 0), dropped, "pixel {p}: channels disagree");
    }
    // Every dropped pixel has a full 9×9 dropped square around it somewhere.
    let at = |x: usize, y: usize| mask[y * 512 + x] != 0;
    for y in (0..512).step_by(7) {
        for x in (0..512).step_by(7) {
            if at(x, y) {
                let ok = (y.saturating_sub(8)..=y.min(503)).any(|y0| (x.saturating_sub(8)..=x.min(503)).any(|x0| (y0..y0 + 9).all(|yy| (x0..x0 + 9).all(|xx| at(xx, yy)))));
                assert!(ok, "({x}, {y}) is not inside a 9×9 block");
            }
        }
    }
}

#[test]
fn erasing_area_and_ratio_stay_in_range() {
    for seed in 0..50 {
        let out = run(r#"{"transforms": [{"name": "Erasing", "p": 1, "scale": [0.1, 0.2], "ratio": [0.5, 2]}]}"#, textured(100, 80, 3), seed);
        let n = out.mask("dropout").map(|m| m.data().iter().filter(|&&v| v != 0).count()).unwrap_or(0) as f64;
        if n > 0.0 {
            let frac = n / 8000.0;
            assert!((0.09..0.22).contains(&frac), "seed {seed}: {frac}");
        }
    }
}

#[test]
fn coarse_dropout_hole_sizes_in_pixels_and_fractions() {
    let pipeline = Pipeline::from_json(r#"{"transforms": [{"name": "CoarseDropout", "p": 1, "num_holes_range": [4, 4], "hole_height_range": [10, 10], "hole_width_range": [0.25, 0.25]}]}"#).unwrap();
    let out = pipeline.apply(textured(80, 60, 3), 1).unwrap();
    let holes = out.log[0].params.as_ref().unwrap()["holes"].as_array().unwrap().clone();
    assert_eq!(holes.len(), 4);
    for h in holes {
        let h: Vec<u64> = h.as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        assert_eq!((h[2] - h[0], h[3] - h[1]), (20, 10));
    }
}

#[test]
fn compensation_keeps_the_mean() {
    let image = Image::filled(256, 256, 3, 100).unwrap();
    let plain = run(r#"{"transforms": [{"name": "PixelDropout", "p": 1, "dropout_prob": 0.2}]}"#, image.clone(), 2);
    let comp = run(r#"{"transforms": [{"name": "PixelDropout", "p": 1, "dropout_prob": 0.2, "compensate": true}]}"#, image, 2);
    let mean = |i: &Image| i.data().iter().map(|&v| v as f64).sum::<f64>() / i.data().len() as f64;
    assert!((mean(&plain.image) - 80.0).abs() < 1.0, "{}", mean(&plain.image));
    assert!((mean(&comp.image) - 100.0).abs() < 1.0, "{}", mean(&comp.image));
    assert!(comp.image.data().iter().all(|&v| v == 0 || v == 125), "kept values are 100 × 1.25");
}

#[test]
fn channel_dropout_keeps_a_channel_and_leaves_gray_alone() {
    let out = run(r#"{"transforms": [{"name": "ChannelDropout", "p": 1, "channel_drop_range": [2, 2]}]}"#, textured(8, 8, 3), 4);
    let zero_channels = (0..3).filter(|&c| out.image.data().iter().skip(c).step_by(3).all(|&v| v == 0)).count();
    assert_eq!(zero_channels, 2);
    let gray = textured(8, 8, 1);
    assert_eq!(run(r#"{"transforms": [{"name": "ChannelDropout", "p": 1}]}"#, gray.clone(), 4).image, gray);
}

#[test]
fn random_fills_and_dropout_masks_follow_flips() {
    let recipe = r#"{"transforms": [{"name": "CoarseDropout", "p": 1, "fill": "random_uniform", "num_holes_range": [2, 2]},
                                    {"name": "HorizontalFlip", "p": 1}]}"#;
    let image = textured(40, 30, 3);
    let out = run(recipe, image.clone(), 9);
    let mut unflipped = out.image.clone();
    augplay::kernels::flip::horizontal(&mut unflipped);
    let mut mask = out.mask("dropout").unwrap().clone();
    augplay::kernels::flip::horizontal(&mut mask);
    assert_eq!(mask.data(), changed_pixels(&image, &unflipped).as_slice());
}
