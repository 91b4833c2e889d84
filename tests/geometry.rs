//! Geometric transforms: exact moves, fusion, masks following, declared sizes.

// The same tests run natively and, through wasm-pack test, in node and Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use augplay::image::MASK_ON;
use augplay::{Image, Pipeline, Sample};

fn ramp(w: u32, h: u32, c: u8) -> Image {
    let n = (w * h * c as u32) as usize;
    Image::new(w, h, c, (0..n).map(|i| (i * 37 % 251) as u8).collect()).unwrap()
}

fn run(recipe: &str, image: Image, seed: u64) -> Sample {
    let mut s = Sample::new(image);
    Pipeline::from_json(recipe).unwrap().apply_to_sample(&mut s, seed).unwrap();
    s
}

#[test]
fn rotate_by_90_with_nearest_equals_random_rotate_90() {
    let img = ramp(9, 9, 3);
    let rot = run(r#"{"transforms": [{"name": "Rotate", "p": 1, "limit": [90, 90], "interpolation": "nearest"}]}"#, img.clone(), 0).image;
    // Find the seed where RandomRotate90 turns once.
    let p = Pipeline::from_json(r#"{"transforms": [{"name": "RandomRotate90", "p": 1}]}"#).unwrap();
    let once = (0..50).map(|s| p.apply(img.clone(), s).unwrap()).find(|o| o.log[0].params.as_ref().unwrap()["factor"] == 1).unwrap();
    assert_eq!(rot, once.sample.image);
}

#[test]
fn involutions_and_identities_are_exact() {
    let img = ramp(7, 4, 4);
    assert_eq!(run(r#"{"transforms": [{"name": "Transpose", "p": 1}, {"name": "Transpose", "p": 1}]}"#, img.clone(), 0).image, img);
    let rot4 = r#"{"transforms": [{"name": "Rotate", "p": 1, "limit": [90, 90], "interpolation": "nearest"}, {"name": "Rotate", "p": 1, "limit": [90, 90], "interpolation": "nearest"}, {"name": "Rotate", "p": 1, "limit": [180, 180], "interpolation": "nearest"}]}"#;
    assert_eq!(run(rot4, ramp(8, 8, 3), 0).image, ramp(8, 8, 3));
    for interp in ["nearest", "linear", "cubic"] {
        let id = format!(r#"{{"transforms": [{{"name": "Affine", "p": 1, "interpolation": "{interp}"}}]}}"#);
        assert_eq!(run(&id, img.clone(), 3).image, img, "{interp}");
    }
    let same_size = r#"{"transforms": [{"name": "Resize", "p": 1, "height": 4, "width": 7}, {"name": "Perspective", "p": 1, "scale": 0}]}"#;
    assert_eq!(run(same_size, img.clone(), 1).image, img);
}

#[test]
fn transpose_and_turns_are_exact_copies_of_pixels() {
    let img = ramp(5, 3, 3);
    let t = run(r#"{"transforms": [{"name": "Transpose", "p": 1}]}"#, img.clone(), 0).image;
    assert_eq!((t.width(), t.height()), (3, 5));
    for y in 0..3 {
        for x in 0..5 {
            assert_eq!(t.pixel(y, x), img.pixel(x, y));
        }
    }
}

#[test]
fn square_symmetry_gives_each_of_the_eight_symmetries_exactly() {
    // RGBA takes 4 × 4 tiles where the axes swap; sizes with and without a remainder.
    for (w, h, c) in [(5u32, 3u32, 3u8), (11, 7, 4), (8, 12, 4)] {
        // numpy's definitions: r90 = rot90 (counter-clockwise), v flips rows, h flips columns,
        // t transposes, hvt = transpose(rot90(x, 2)). Pixel (x, y) of the output reads the source at:
        let source = |e: &str, x: u32, y: u32| -> (u32, u32) {
            match e {
                "e" => (x, y),
                "r90" => (w - 1 - y, x),
                "r180" => (w - 1 - x, h - 1 - y),
                "r270" => (y, h - 1 - x),
                "v" => (x, h - 1 - y),
                "h" => (w - 1 - x, y),
                "t" => (y, x),
                "hvt" => (w - 1 - y, h - 1 - x),
                other => panic!("unknown element {other}"),
            }
        };
        let img = ramp(w, h, c);
        for name in ["SquareSymmetry", "D4"] {
            let p = Pipeline::from_json(&format!(r#"{{"transforms": [{{"name": "{name}"}}]}}"#)).unwrap();
            let mut seen = std::collections::BTreeMap::new();
            for seed in 0..400 {
                let out = p.apply(img.clone(), seed).unwrap();
                let e = out.log[0].params.as_ref().unwrap()["group_element"].as_str().unwrap().to_string();
                let o = &out.sample.image;
                let turned = ["r90", "r270", "t", "hvt"].contains(&e.as_str());
                assert_eq!((o.width(), o.height()), if turned { (h, w) } else { (w, h) }, "{e}");
                for y in 0..o.height() {
                    for x in 0..o.width() {
                        let (sx, sy) = source(&e, x, y);
                        assert_eq!(o.pixel(x, y), img.pixel(sx, sy), "{name} {e} at ({x}, {y})");
                    }
                }
                *seen.entry(e).or_insert(0) += 1;
            }
            // All eight, each about an eighth of the time.
            assert_eq!(seen.len(), 8, "{seen:?}");
            assert!(seen.values().all(|&n| (25..=75).contains(&n)), "{seen:?}");
        }
    }
}

#[test]
fn random_sized_crop_cuts_the_window_albumentations_draws() {
    let img = ramp(60, 40, 3);
    let p = Pipeline::from_json(r#"{"transforms": [{"name": "RandomSizedCrop", "min_max_height": [10, 30], "w2h_ratio": 1.5, "size": [20, 24], "interpolation": "nearest"}]}"#).unwrap();
    let mut corners = std::collections::BTreeSet::new();
    for seed in 0..200 {
        let out = p.apply(img.clone(), seed).unwrap();
        let q = out.log[0].params.clone().unwrap();
        let (x, y, cw, ch) = (q["x"].as_u64().unwrap() as u32, q["y"].as_u64().unwrap() as u32, q["width"].as_u64().unwrap() as u32, q["height"].as_u64().unwrap() as u32);
        assert!((10..=30).contains(&ch) && cw == (ch as f64 * 1.5) as u32, "{q}");
        assert!(x + cw <= 60 && y + ch <= 40, "{q}");
        assert_eq!((out.sample.image.width(), out.sample.image.height()), (24, 20));
        // The output is the window resized: its corners are the window's corner pixels.
        assert_eq!(out.sample.image.pixel(0, 0), img.pixel(x, y), "{q}");
        assert_eq!(out.sample.image.pixel(23, 19), img.pixel(x + cw - 1, y + ch - 1), "{q}");
        corners.insert((x, y));
    }
    assert!(corners.len() > 100, "windows at {} places only", corners.len());
    // Windows larger than the image are cut to it: the whole image, resized.
    let whole = run(r#"{"transforms": [{"name": "RandomSizedCrop", "min_max_height": [100, 100], "w2h_ratio": 3, "size": [40, 60]}]}"#, img.clone(), 3).image;
    assert_eq!(whole, img);
}

#[test]
fn shift_scale_rotate_is_the_affine_albumentations_makes_of_it() {
    let img = augplay::codec::decode(include_bytes!("fixtures/chelsea_128x96.png")).unwrap();
    for (ssr, affine) in [
        (r#"{"name": "ShiftScaleRotate", "shift_limit": [0.1, 0.1], "scale_limit": [0.2, 0.2], "rotate_limit": [30, 30], "border_mode": "reflect"}"#,
         r#"{"name": "Affine", "translate_percent": [0.1, 0.1], "scale": [1.2, 1.2], "rotate": [30, 30], "border_mode": "reflect"}"#),
        (r#"{"name": "ShiftScaleRotate", "shift_limit": [-0.05, -0.05], "scale_limit": [-0.3, -0.3], "rotate_limit": [-10, -10], "fill": [10, 20, 30]}"#,
         r#"{"name": "Affine", "translate_percent": [-0.05, -0.05], "scale": [0.7, 0.7], "rotate": [-10, -10], "fill": [10, 20, 30]}"#),
    ] {
        let recipe = |step: &str| format!(r#"{{"transforms": [{}]}}"#, step.replacen('{', r#"{"p": 1, "#, 1));
        assert_eq!(run(&recipe(ssr), img.clone(), 5).image, run(&recipe(affine), img.clone(), 5).image, "{ssr}");
    }
    // One number x means [-x, x], the scale 1 + that, drawn for each axis.
    let p = Pipeline::from_json(r#"{"transforms": [{"name": "ShiftScaleRotate", "p": 1, "scale_limit": 0.5}]}"#).unwrap();
    let scales: Vec<f64> = (0..50).flat_map(|s| {
        let log = p.apply(img.clone(), s).unwrap().log;
        let v = log[0].params.as_ref().unwrap()["scale"].clone();
        [v[0].as_f64().unwrap(), v[1].as_f64().unwrap()]
    }).collect();
    assert!(scales.iter().all(|s| (0.5..=1.5).contains(s)) && scales.chunks(2).any(|p| p[0] != p[1]), "{scales:?}");
}

#[test]
fn affine_fit_output_sizes_are_albumentations() {
    // Output sizes albumentations 2.0.8 gives a 64 × 48 image (read off A.Affine(fit_output=True)).
    for (params, size) in [
        (r#""rotate": [25, 25]"#, (80, 73)),
        (r#""rotate": [90, 90]"#, (50, 65)),
        (r#""scale": [0.5, 0.5]"#, (34, 26)),
        (r#""shear": [20, 20], "rotate": [-10, -10]"#, (86, 64)),
    ] {
        let recipe = format!(r#"{{"transforms": [{{"name": "Affine", "p": 1, "fit_output": true, {params}}}]}}"#);
        let out = run(&recipe, ramp(64, 48, 3), 0).image;
        assert_eq!((out.width(), out.height()), size, "{params}");
    }
}

#[test]
fn fused_rotations_equal_one_rotation() {
    let img = augplay::codec::decode(include_bytes!("fixtures/chelsea_128x96.png")).unwrap();
    let two = run(r#"{"transforms": [{"name": "Rotate", "p": 1, "limit": [10, 10]}, {"name": "Rotate", "p": 1, "limit": [20, 20]}]}"#, img.clone(), 0).image;
    let one = run(r#"{"transforms": [{"name": "Rotate", "p": 1, "limit": [30, 30]}]}"#, img.clone(), 0).image;
    assert_eq!(two, one, "consecutive rotations are resampled once");
    // A colour step between them stops fusion: two resamplings blur more than one.
    let split = run(r#"{"transforms": [{"name": "Rotate", "p": 1, "limit": [10, 10]}, {"name": "InvertImg", "p": 1}, {"name": "InvertImg", "p": 1}, {"name": "Rotate", "p": 1, "limit": [20, 20]}]}"#, img, 0).image;
    assert_ne!(split, one);
}

#[test]
fn masks_follow_every_geometric_step_and_stay_binary() {
    for step in [
        r#"{"name": "Rotate", "limit": [33, 33]}"#,
        r#"{"name": "Affine", "scale": [1.3, 1.3], "translate_px": [5, 5], "shear": [10, 10]}"#,
        r#"{"name": "Perspective", "scale": [0.1, 0.1]}"#,
        r#"{"name": "RandomResizedCrop", "size": [40, 50]}"#,
        r#"{"name": "LongestMaxSize", "max_size": 97}"#,
        r#"{"name": "RandomSizedCrop", "min_max_height": [20, 40], "size": [33, 45]}"#,
        r#"{"name": "ShiftScaleRotate", "shift_limit": [0.1, 0.1], "scale_limit": [0.2, 0.2], "rotate_limit": [25, 25]}"#,
        r#"{"name": "SmallestMaxSize", "max_size": 31}"#,
        r#"{"name": "SafeRotate", "limit": [45, 45]}"#,
        r#"{"name": "RandomRotate90"}"#,
        r#"{"name": "Transpose"}"#,
        r#"{"name": "SquareSymmetry"}"#,
        r#"{"name": "RandomCrop", "height": 30, "width": 20}"#,
        r#"{"name": "CropAndPad", "percent": [-0.2, 0.3]}"#,
        r#"{"name": "OpticalDistortion", "distort_limit": [0.5, 0.5]}"#,
        r#"{"name": "GridDistortion", "distort_limit": [0.4, 0.4]}"#,
        r#"{"name": "ElasticTransform", "alpha": 400, "sigma": 6}"#,
    ] {
        let recipe = format!(r#"{{"transforms": [{}]}}"#, step.replacen('{', r#"{"p": 1, "interpolation": "nearest", "#, 1).replace(r#""interpolation": "nearest", "name": "RandomRotate90""#, r#""name": "RandomRotate90""#).replace(r#""interpolation": "nearest", "name": "Transpose""#, r#""name": "Transpose""#).replace(r#""interpolation": "nearest", "name": "RandomCrop""#, r#""name": "RandomCrop""#).replace(r#""interpolation": "nearest", "name": "SquareSymmetry""#, r#""name": "SquareSymmetry""#));
        // The mask marks exactly the pixels whose image value is 255.
        let mut data = vec![0u8; 64 * 48];
        let mut mask = vec![0u8; 64 * 48];
        for y in 10..30 {
            for x in 20..40 {
                data[y * 64 + x] = 255;
                mask[y * 64 + x] = MASK_ON;
            }
        }
        let mut s = Sample::new(Image::new(64, 48, 1, data).unwrap());
        s.set_mask("m", Image::new(64, 48, 1, mask).unwrap()).unwrap();
        Pipeline::from_json(&recipe).unwrap_or_else(|e| panic!("{recipe}: {e}")).apply_to_sample(&mut s, 4).unwrap();
        let m = s.mask("m").unwrap();
        assert_eq!((m.width(), m.height()), (s.image.width(), s.image.height()), "{step}");
        assert_eq!(m.data(), s.image.data(), "{step}: the mask did not move with the image");
    }
}

#[test]
fn declared_output_sizes() {
    let img = ramp(64, 48, 3);
    let size = |step: &str| {
        let s = run(&format!(r#"{{"transforms": [{}]}}"#, step.replacen('{', r#"{"p": 1, "#, 1)), img.clone(), 2);
        (s.image.width(), s.image.height())
    };
    assert_eq!(size(r#"{"name": "Resize", "height": 10, "width": 20}"#), (20, 10));
    assert_eq!(size(r#"{"name": "RandomResizedCrop", "size": [30, 40]}"#), (40, 30));
    assert_eq!(size(r#"{"name": "CenterCrop", "height": 30, "width": 40}"#), (40, 30));
    assert_eq!(size(r#"{"name": "CenterCrop", "height": 100, "width": 40, "pad_if_needed": true}"#), (40, 100));
    assert_eq!(size(r#"{"name": "RandomScale", "scale_limit": [0.5, 0.5]}"#), (96, 72));
    assert_eq!(size(r#"{"name": "LongestMaxSize", "max_size": 100}"#), (100, 75));
    assert_eq!(size(r#"{"name": "SmallestMaxSize", "max_size": 30}"#), (40, 30));
    // Python's rounding, as albumentations: 45 × 0.5 = 22.5 rounds to the even 22.
    let sized = |step: &str, img: Image| {
        let s = run(&format!(r#"{{"transforms": [{step}]}}"#), img, 0);
        (s.image.width(), s.image.height())
    };
    assert_eq!(sized(r#"{"name": "LongestMaxSize", "max_size": 32}"#, ramp(64, 45, 3)), (32, 22));
    assert_eq!(sized(r#"{"name": "SmallestMaxSize", "max_size": 90}"#, ramp(64, 45, 3)), (128, 90));
    assert_eq!(sized(r#"{"name": "LongestMaxSize", "max_size": 1}"#, ramp(64, 3, 3)), (1, 1));
    let strip = Pipeline::from_json(r#"{"transforms": [{"name": "SmallestMaxSize", "max_size": 16384}]}"#).unwrap().apply(ramp(64, 1, 1), 0).unwrap_err();
    assert!(strip.to_string().contains("the output of SmallestMaxSize (64×1 in): size 1048576×16384 is too large"), "{strip}");
    assert_eq!(size(r#"{"name": "Transpose"}"#), (48, 64));
    assert_eq!(size(r#"{"name": "Perspective", "keep_size": true}"#), (64, 48));
    let err = Pipeline::from_json(r#"{"transforms": [{"name": "CenterCrop", "height": 100, "width": 40}]}"#).unwrap().apply(img.clone(), 0).unwrap_err();
    assert!(err.to_string().contains("larger than the 64×48 image; set pad_if_needed"), "{err}");
    let huge = Pipeline::from_json(r#"{"transforms": [{"name": "Resize", "height": 16384, "width": 16384}]}"#).unwrap().apply(img, 0).unwrap_err();
    assert!(huge.to_string().contains("pixels"), "{huge}");
}

#[test]
fn zero_strength_distortions_are_identity() {
    let img = ramp(33, 21, 3);
    for step in [
        r#"{"name": "OpticalDistortion", "p": 1, "distort_limit": 0}"#,
        r#"{"name": "OpticalDistortion", "p": 1, "distort_limit": 0, "mode": "fisheye"}"#,
        r#"{"name": "GridDistortion", "p": 1, "distort_limit": 0, "num_steps": 4}"#,
        r#"{"name": "ElasticTransform", "p": 1, "alpha": 0}"#,
    ] {
        let out = run(&format!(r#"{{"transforms": [{step}]}}"#), img.clone(), 5).image;
        assert_eq!(out, img, "{step}");
    }
}

#[test]
fn pad_if_needed_pads_exactly_and_leaves_large_images() {
    let img = ramp(5, 3, 3);
    let out = run(r#"{"transforms": [{"name": "PadIfNeeded", "min_height": 7, "min_width": 6}]}"#, img.clone(), 0).image;
    assert_eq!((out.width(), out.height()), (6, 7));
    // Centred: 0 columns left (1 right), 2 rows on top; reflect-101 mirrors without the edge.
    assert_eq!(out.pixel(0, 2), img.pixel(0, 0));
    assert_eq!(out.pixel(4, 4), img.pixel(4, 2));
    assert_eq!(out.pixel(0, 1), img.pixel(0, 1), "row above mirrors row 1");
    assert_eq!(out.pixel(5, 2), img.pixel(3, 0), "column right mirrors column 3");
    let constant = run(r#"{"transforms": [{"name": "PadIfNeeded", "min_height": 4, "min_width": 5, "border_mode": "constant", "fill": [1, 2, 3], "position": "top_left"}]}"#, img.clone(), 0).image;
    assert_eq!(constant.pixel(0, 3), &[1, 2, 3]);
    assert_eq!(constant.pixel(4, 2), img.pixel(4, 2));
    assert_eq!(run(r#"{"transforms": [{"name": "PadIfNeeded", "min_height": 2, "min_width": 2}]}"#, img.clone(), 0).image, img);
}

#[test]
fn crop_and_pad_crops_and_pads_exactly() {
    let img = ramp(9, 7, 3);
    // Two pixels off every side, no resize back: the central 5×3 window, exactly.
    let cropped = run(r#"{"transforms": [{"name": "CropAndPad", "px": -2, "keep_size": false}]}"#, img.clone(), 0).image;
    assert_eq!((cropped.width(), cropped.height()), (5, 3));
    for y in 0..3 {
        for x in 0..5 {
            assert_eq!(cropped.pixel(x, y), img.pixel(x + 2, y + 2));
        }
    }
    // Padding with a constant keeps the image and surrounds it with the fill.
    let padded = run(r#"{"transforms": [{"name": "CropAndPad", "px": 3, "keep_size": false, "fill": [1, 2, 3]}]}"#, img.clone(), 0).image;
    assert_eq!((padded.width(), padded.height()), (15, 13));
    assert_eq!(padded.pixel(0, 0), &[1, 2, 3]);
    assert_eq!(padded.pixel(14, 12), &[1, 2, 3]);
    assert_eq!(padded.pixel(3, 3), img.pixel(0, 0));
    assert_eq!(padded.pixel(11, 9), img.pixel(8, 6));
    // keep_size scales back to the input size.
    let kept = run(r#"{"transforms": [{"name": "CropAndPad", "percent": [-0.3, 0.3]}]}"#, img.clone(), 4).image;
    assert_eq!((kept.width(), kept.height()), (9, 7));
}

#[test]
fn crop_and_pad_pads_the_cropped_image_and_never_crops_to_nothing() {
    let img = ramp(6, 6, 1);
    // Crop everything: at least one pixel stays.
    let tiny = run(r#"{"transforms": [{"name": "CropAndPad", "px": -50, "keep_size": false}]}"#, img.clone(), 0).image;
    assert_eq!((tiny.width(), tiny.height()), (1, 1));
    // Wrap padding tiles the *cropped* image: with the bottom row cut and one row padded on top,
    // the new top row is the last remaining row (row 4), not the original's last (row 5).
    let p = Pipeline::from_json(r#"{"transforms": [{"name": "CropAndPad", "px": [-1, 1], "keep_size": false, "border_mode": "wrap"}]}"#).unwrap();
    let mut seen = false;
    for seed in 0..400 {
        let out = p.apply(img.clone(), seed).unwrap();
        if out.log[0].params.as_ref().unwrap()["sides"] == serde_json::json!([1, 0, -1, 0]) {
            assert_eq!(out.sample.image.pixel(0, 0), img.pixel(0, 4));
            seen = true;
            break;
        }
    }
    assert!(seen, "no seed drew top +1, bottom -1");
}

#[test]
fn crop_and_pad_rejects_px_with_percent() {
    let err = Pipeline::from_json(r#"{"transforms": [{"name": "CropAndPad", "px": 4, "percent": 0.1}]}"#).err().expect("both set");
    assert!(err.to_string().contains("only one of 'px' and 'percent'"), "{err}");
}

#[test]
fn elastic_transform_moves_pixels_by_the_expected_amount() {
    // A horizontal ramp (value = 4·x) turns x displacements into value changes.
    let w = 64u32;
    let img = Image::new(w, 64, 1, (0..64 * w).map(|i| ((i % w) * 4) as u8).collect()).unwrap();
    let out = run(r#"{"transforms": [{"name": "ElasticTransform", "p": 1, "alpha": 300, "sigma": 8, "interpolation": "linear"}]}"#, img.clone(), 1).image;
    let moves: Vec<f64> = (8..56).flat_map(|y| (8..56).map(move |x| (x, y))).map(|(x, y)| (out.pixel(x, y)[0] as f64 - img.pixel(x, y)[0] as f64) / 4.0).collect();
    let rms = (moves.iter().map(|m| m * m).sum::<f64>() / moves.len() as f64).sqrt();
    // alpha / (max|N| · 2√π · sigma) with max|N| ≈ 4.3 for 2 · 64² values: about 2.5 pixels.
    assert!(rms > 1.0 && rms < 5.0, "rms displacement {rms}");
    // Smooth: neighbours move alike.
    let jumps = (8..56).flat_map(|y| (8..55).map(move |x| (x, y))).filter(|&(x, y)| (out.pixel(x + 1, y)[0] as i32 - out.pixel(x, y)[0] as i32 - 4).abs() > 12).count();
    assert!(jumps < 50, "{jumps} rough steps");
}
