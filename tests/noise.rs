//! Noise transforms in distribution, on 512×512 flat images.

// The same tests run natively and, through wasm-pack test, in node and Chromium.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use augplay::{Image, Pipeline};

fn run(transform: &str, value: u8, channels: u8) -> (Image, serde_json::Value) {
    let recipe = format!(r#"{{"transforms": [{}]}}"#, transform.replacen('{', r#"{"p": 1, "#, 1));
    let out = Pipeline::from_json(&recipe).unwrap().apply(Image::filled(512, 512, channels, value).unwrap(), 11).unwrap();
    (out.sample.image, out.log[0].params.clone().unwrap_or_default())
}

fn channel_stats(img: &Image, c: usize) -> (f64, f64) {
    let n = img.channels() as usize;
    let v: Vec<f64> = img.data().iter().skip(c).step_by(n).map(|&x| x as f64).collect();
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len() as f64;
    (mean, var.sqrt())
}

#[test]
fn additive_noise_has_the_requested_std_for_every_distribution() {
    for dist in ["uniform", "gaussian", "laplace"] {
        let (img, _) = run(&format!(r#"{{"name": "AdditiveNoise", "noise_type": "{dist}", "spatial_mode": "per_pixel", "std_range": [0.08, 0.08]}}"#), 128, 3);
        for c in 0..3 {
            let (mean, std) = channel_stats(&img, c);
            assert!((std - 20.4).abs() < 0.4, "{dist}: std {std}");
            assert!((mean - 127.5).abs() < 0.3, "{dist}: mean {mean}");
        }
    }
    // Uniform noise is bounded by ±√3 σ.
    let (img, _) = run(r#"{"name": "AdditiveNoise", "noise_type": "uniform", "spatial_mode": "per_pixel", "std_range": [0.05, 0.05]}"#, 128, 1);
    assert!(img.data().iter().all(|&v| (105..=151).contains(&v)));
}

#[test]
fn additive_noise_constant_and_shared_modes() {
    let (img, _) = run(r#"{"name": "AdditiveNoise", "spatial_mode": "constant", "std_range": [0.1, 0.1]}"#, 128, 3);
    let first = img.pixel(0, 0).to_vec();
    assert!(img.data().chunks(3).all(|p| p == first.as_slice()), "one offset per channel for the whole image");
    let (img, _) = run(r#"{"name": "AdditiveNoise", "spatial_mode": "shared", "std_range": [0.1, 0.1]}"#, 128, 3);
    assert!(img.data().chunks(3).all(|p| p[0] == p[1] && p[1] == p[2]));
    assert!(channel_stats(&img, 0).1 > 20.0);
}

#[test]
fn multiplicative_noise_scales_values() {
    let (img, params) = run(r#"{"name": "MultiplicativeNoise", "multiplier": [0.5, 1.5]}"#, 100, 3);
    let m = params["multipliers"][0].as_f64().unwrap();
    assert!(img.data().iter().all(|&v| v == (100.0 * m) as u8));
    let (img, _) = run(r#"{"name": "MultiplicativeNoise", "multiplier": [0.5, 1.5], "elementwise": true, "per_channel": true}"#, 100, 3);
    let (mean, std) = channel_stats(&img, 1);
    assert!((mean - 99.5).abs() < 0.5, "{mean}");
    assert!((std - 100.0 / 12f64.sqrt()).abs() < 0.5, "{std}");
}

#[test]
fn salt_and_pepper_fractions() {
    let (img, params) = run(r#"{"name": "SaltAndPepper", "amount": [0.1, 0.1], "salt_vs_pepper": [0.25, 0.25]}"#, 128, 3);
    assert_eq!(params["amount"], 0.1);
    let n = 512.0 * 512.0;
    let white = img.data().chunks(3).filter(|p| p == &[255, 255, 255]).count() as f64 / n;
    let black = img.data().chunks(3).filter(|p| p == &[0, 0, 0]).count() as f64 / n;
    assert!((white - 0.025).abs() < 0.002, "{white}");
    assert!((black - 0.075).abs() < 0.002, "{black}");
}

#[test]
fn shot_noise_grows_with_brightness_and_keeps_black() {
    let (dark, _) = run(r#"{"name": "ShotNoise", "scale_range": [0.1, 0.1]}"#, 60, 1);
    let (bright, _) = run(r#"{"name": "ShotNoise", "scale_range": [0.1, 0.1]}"#, 200, 1);
    let (black, _) = run(r#"{"name": "ShotNoise", "scale_range": [0.1, 0.1]}"#, 0, 1);
    assert!(black.data().iter().all(|&v| v == 0));
    // In linear light Poisson noise has std √(λ)·scale; after gamma the spread is still larger for brighter values.
    let (_, sd_dark) = channel_stats(&dark, 0);
    let (_, sd_bright) = channel_stats(&bright, 0);
    assert!(sd_dark > 10.0 && sd_bright > sd_dark * 0.5, "{sd_dark} {sd_bright}");
    // Linear-light mean is preserved: E[k·scale] = linear value.
    let lin = |v: f64| (v / 255.0).powf(2.2);
    let mean_lin = bright.data().iter().map(|&v| lin(v as f64)).sum::<f64>() / (512.0 * 512.0);
    assert!((mean_lin - lin(200.0)).abs() < 0.01, "{mean_lin}");
}

#[test]
fn binary_noise_flips_the_requested_fraction() {
    let (img, _) = run(r#"{"name": "BinaryNoise", "flip_prob": 0.2}"#, 255, 1);
    let flipped = img.data().iter().filter(|&&v| v == 0).count() as f64 / (512.0 * 512.0);
    assert!((flipped - 0.2).abs() < 0.003, "{flipped}");
    assert!(img.data().iter().all(|&v| v == 0 || v == 255), "binary stays binary");
}
