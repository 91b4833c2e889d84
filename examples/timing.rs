use std::time::Instant;
fn main() {
    let mut img = augplay::Image::filled(256, 256, 4, 100).unwrap();
    let n = 500;
    let t0 = Instant::now();
    for _ in 0..n { augplay::kernels::flip::horizontal(&mut img); }
    println!("hflip kernel {:.1} µs", t0.elapsed().as_secs_f64() * 1e6 / n as f64);
    let t0 = Instant::now();
    let lut = augplay::kernels::lut::multiply_add(1.1, 3.0);
    for _ in 0..n { augplay::kernels::lut::apply_to_color(&mut img, &lut); }
    println!("lut kernel {:.1} µs", t0.elapsed().as_secs_f64() * 1e6 / n as f64);
    let mut s = augplay::Sample::new(img.clone());
    for t in ["HorizontalFlip", "InvertImg", "GaussNoise", "GaussianBlur", "Defocus", "MotionBlur", "Sharpen", "MedianBlur", "ColorJitter", "CLAHE"] {
        let p = augplay::Pipeline::from_json(&format!(r#"{{"transforms":[{{"name":"{t}","p":1}}]}}"#)).unwrap();
        let t0 = Instant::now();
        for i in 0..n { let _ = p.apply_to_sample(&mut s, i).unwrap(); }
        println!("{t} in place: {:.1} µs", t0.elapsed().as_secs_f64() * 1e6 / n as f64);
    }
}
