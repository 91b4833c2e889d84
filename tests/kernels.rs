//! Known answers and statistics of the foundation transforms, with pinned parameters.

// The same tests run natively and, through wasm-pack test, in node and Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use augplay::{Image, Pipeline};

fn run(recipe: &str, image: Image, seed: u64) -> (Image, serde_json::Value) {
    let out = Pipeline::from_json(recipe).unwrap().apply(image, seed).unwrap();
    (out.sample.image, serde_json::to_value(&out.log).unwrap())
}

#[test]
fn brightness_contrast_known_answer() {
    // alpha = 1.5, beta = 0.1 × 255 = 25.5: v' = trunc(clip(v × 1.5 + 25.5)).
    let img = Image::new(4, 1, 1, vec![0, 10, 100, 200]).unwrap();
    let (out, log) = run(
        r#"{"transforms": [{"name": "RandomBrightnessContrast", "p": 1, "brightness_limit": [0.1, 0.1], "contrast_limit": [0.5, 0.5]}]}"#,
        img,
        0,
    );
    assert_eq!(out.data(), &[25, 40, 175, 255]);
    assert_eq!(log[0]["params"], serde_json::json!({"alpha": 1.5, "beta": 25.5}));
}

#[test]
fn brightness_by_mean_scales_by_the_image_mean() {
    let img = Image::new(2, 1, 3, vec![10, 20, 30, 40, 50, 60]).unwrap(); // mean 35
    let (out, log) = run(
        r#"{"transforms": [{"name": "RandomBrightnessContrast", "p": 1, "brightness_limit": [0.2, 0.2], "contrast_limit": 0, "brightness_by_max": false}]}"#,
        img,
        0,
    );
    assert_eq!(log[0]["params"]["beta"], serde_json::json!(7.0));
    assert_eq!(out.data(), &[17, 27, 37, 47, 57, 67]);
}

#[test]
fn zero_brightness_contrast_and_zero_noise_are_identity() {
    let img = Image::new(7, 5, 4, (0..140).map(|v| (v * 13 % 256) as u8).collect()).unwrap();
    let recipe = r#"{"transforms": [
        {"name": "RandomBrightnessContrast", "p": 1, "brightness_limit": 0, "contrast_limit": 0},
        {"name": "GaussNoise", "p": 1, "std_range": [0, 0], "mean_range": [0, 0]}]}"#;
    assert_eq!(run(recipe, img.clone(), 9).0, img);
}

fn stats(values: impl Iterator<Item = f64>) -> (f64, f64, usize) {
    let v: Vec<f64> = values.collect();
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt(), v.len())
}

#[test]
fn gauss_noise_has_the_requested_std_and_mean_on_512x512() {
    // std 0.1 × 255 = 25.5 grey levels around 128; flooring shifts the mean by -0.5 as in the reference.
    let img = Image::filled(512, 512, 3, 128).unwrap();
    let (out, log) = run(r#"{"transforms": [{"name": "GaussNoise", "p": 1, "std_range": [0.1, 0.1], "mean_range": [0.05, 0.05]}]}"#, img, 3);
    assert_eq!(log[0]["params"]["std"], serde_json::json!(0.1));
    for c in 0..3 {
        let (mean, std, n) = stats(out.data().iter().skip(c).step_by(3).map(|&v| v as f64 - 128.0));
        assert_eq!(n, 512 * 512);
        assert!((mean - (12.75 - 0.5)).abs() < 0.15, "channel {c}: mean {mean}");
        assert!((std - 25.5).abs() < 0.2, "channel {c}: std {std}");
    }
    // Per-channel noise is independent between channels.
    let d = out.data();
    let corr = stats((0..d.len() / 3).map(|i| (d[3 * i] as f64 - 140.25) * (d[3 * i + 1] as f64 - 140.25))).0 / (25.5 * 25.5);
    assert!(corr.abs() < 0.01, "correlation {corr}");
}

#[test]
fn flips_are_exact_copies() {
    let img = Image::new(3, 2, 3, (0..18).collect()).unwrap();
    let (h, _) = run(r#"{"transforms": [{"name": "HorizontalFlip", "p": 1}]}"#, img.clone(), 0);
    assert_eq!(h.data(), &[6, 7, 8, 3, 4, 5, 0, 1, 2, 15, 16, 17, 12, 13, 14, 9, 10, 11]);
    let (v, _) = run(r#"{"transforms": [{"name": "VerticalFlip", "p": 1}]}"#, img, 0);
    assert_eq!(v.data(), &[9, 10, 11, 12, 13, 14, 15, 16, 17, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
}

#[test]
fn multiply_add_tables_are_the_f32_formula() {
    // In wasm the table is built sixteen values per step: the same as the scalar formula for
    // factors and offsets of every sign and size, NaN and infinities included.
    let cases = [(1.0, 0.0), (1.1, 0.0), (0.8, -51.0), (1.2, 51.0), (-3.0, 300.0), (2.5, -0.49), (1e30, -1e30), (f32::NAN, 1.0), (1.0, f32::INFINITY), (0.0, f32::NEG_INFINITY), (0.999_999_9, 0.5)];
    let mut state = 9u32;
    let draws = (0..500).map(|_| {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let a = (state >> 8) as f32 / (1u32 << 24) as f32 * 6.0 - 3.0;
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (a, (state >> 8) as f32 / (1u32 << 24) as f32 * 600.0 - 300.0)
    });
    for (alpha, beta) in cases.into_iter().chain(draws) {
        let want: Vec<u8> = (0..256).map(|v| (v as f32 * alpha + beta).clamp(0.0, 255.0) as u8).collect();
        assert_eq!(augplay::kernels::lut::multiply_add(alpha, beta).to_vec(), want, "alpha {alpha}, beta {beta}");
    }
}

#[test]
fn linear_tables_in_fixed_point_give_the_tables_bytes() {
    use augplay::kernels::lut::{self, LinearForm};
    // Every value in every channel position, odd length (a scalar tail after the SIMD blocks).
    let data: Vec<u8> = (0..(256 * 4 + 7) * 4).map(|i| (i * 7 + i / 1024) as u8).collect();
    let rgba = Image::new(256 * 4 + 7, 1, 4, data.clone()).unwrap();
    let rgb = Image::new(data.len() as u32 / 3, 1, 3, data[..data.len() / 3 * 3].to_vec()).unwrap();
    let mut draws = 0u32;
    let mut fitted = 0u32;
    let mut corrected = 0u32;
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for _ in 0..400 {
        // RandomBrightnessContrast's default draws: alpha in 0.8..1.2, beta in ±0.2 × 255.
        let alpha = (0.8 + 0.4 * uniform()) as f32;
        let beta = (-51.0 + 102.0 * uniform()) as f32;
        let table = lut::multiply_add(alpha, beta);
        if let Some(form) = LinearForm::fit(&table, alpha, beta) {
            fitted += 1;
            corrected += (form.corrections() > 0) as u32;
            assert!((0..=255u8).all(|v| form.eval(v) == table[v as usize]));
        }
        draws += 1;
        for img in [&rgba, &rgb] {
            let (mut fast, mut slow) = (img.clone(), img.clone());
            lut::apply_linear(&mut fast, &table, alpha, beta);
            lut::apply_to_color(&mut slow, &table);
            assert!(fast == slow, "alpha {alpha}, beta {beta}, {} channels", img.channels());
        }
    }
    eprintln!("{fitted} of {draws} tables have a fixed-point form, {corrected} of them with corrected values");
    // All but about one in 3000: about one table in eight has a value (rarely two) whose exact
    // result lies within the rounding of the 16-bit product from a whole number, on the side no
    // offset can reach; the form corrects those values one by one (and the SIMD path with
    // corrections ran above for them).
    assert!(fitted * 100 >= draws * 99, "only {fitted} of {draws} tables have a fixed-point form");
    assert!(corrected * 100 >= draws * 5, "only {corrected} of {draws} tables needed corrections: the corrected path went untested");
    // Wide factors and offsets (sums near the 16-bit limits, where a form can saturate): any
    // form found still gives the table.
    let mut wide_fitted = 0;
    for _ in 0..2000 {
        let alpha = (-3.0 + 6.0 * uniform()) as f32;
        let beta = (-300.0 + 600.0 * uniform()) as f32;
        let table = lut::multiply_add(alpha, beta);
        if let Some(form) = LinearForm::fit(&table, alpha, beta) {
            wide_fitted += 1;
            assert!((0..=255u8).all(|v| form.eval(v) == table[v as usize]), "alpha {alpha}, beta {beta}");
        }
    }
    assert!(wide_fitted >= 1900, "only {wide_fitted} of 2000 wide tables have a fixed-point form");
    // Out of 16-bit reach: the table path.
    assert_eq!(LinearForm::fit(&lut::multiply_add(300.0, 0.0), 300.0, 0.0), None);
    assert_eq!(LinearForm::fit(&lut::multiply_add(1.0, f32::NAN), 1.0, f32::NAN), None);
}

#[test]
fn box_blur_is_the_rounded_mean_of_each_reflected_window_on_every_target() {
    // The wasm build takes SIMD paths (fixed window lengths 3 to 9, any length beyond, 16-bit
    // sums up to 15 × 15, 32-bit beyond); each must give the plain definition's bytes.
    use augplay::kernels::filter::{box_blur, reflect101};
    let mut state = 99u64;
    for &(w, h, c) in &[(37usize, 11usize, 4u8), (19, 6, 3), (5, 23, 1)] {
        let data: Vec<u8> = (0..w * h * c as usize)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (state >> 56) as u8
            })
            .collect();
        let img = Image::new(w as u32, h as u32, c, data).unwrap();
        let color = img.color_channels();
        for k in [3usize, 5, 7, 9, 11, 15, 17, 27] {
            let mut got = img.clone();
            box_blur(&mut got, k);
            let r = k as isize / 2;
            for y in 0..h {
                for x in 0..w {
                    for ch in 0..c as usize {
                        let want = if ch < color {
                            let mut sum = 0u32;
                            for dy in -r..=r {
                                for dx in -r..=r {
                                    sum += img.data()[(reflect101(y as isize + dy, h) * w + reflect101(x as isize + dx, w)) * c as usize + ch] as u32;
                                }
                            }
                            ((2 * sum + (k * k) as u32) / (2 * (k * k) as u32)) as u8
                        } else {
                            img.data()[(y * w + x) * c as usize + ch]
                        };
                        assert_eq!(got.data()[(y * w + x) * c as usize + ch], want, "{w}×{h}×{c}, k {k}, at ({x}, {y}) channel {ch}");
                    }
                }
            }
        }
    }
    // The largest window on 255s: the sums stay in range and the mean is 255.
    let mut white = Image::filled(3, 2, 4, 255).unwrap();
    box_blur(&mut white, augplay::kernels::filter::BOX_MAX);
    assert!(white.data().iter().all(|&v| v == 255));
}
