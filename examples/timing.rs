//! Native time per apply of single transforms on a 256×256 RGBA image (for profiling with
//! `perf record`): `cargo run --release --example timing -- Rotate '{"limit":30}' Perspective`.
use std::time::Instant;

fn main() {
    let data: Vec<u8> = (0..256 * 256 * 4).map(|i: u32| (i.wrapping_mul(2654435761) >> 24) as u8).collect();
    let img = augplay::Image::new(256, 256, 4, data).unwrap();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let name = &args[i];
        let params = args.get(i + 1).filter(|a| a.starts_with('{')).cloned();
        i += if params.is_some() { 2 } else { 1 };
        let extra = params.as_deref().map(|p| format!(", {}", &p[1..p.len() - 1])).unwrap_or_default();
        let extra = if extra == ", " { String::new() } else { extra };
        let p = augplay::Pipeline::from_json(&format!(r#"{{"transforms":[{{"name":"{name}","p":1{extra}}}]}}"#)).unwrap();
        let n = 300;
        let t0 = Instant::now();
        for k in 0..n {
            std::hint::black_box(p.apply(img.clone(), k).unwrap());
        }
        println!("{name}: {:.1} µs", t0.elapsed().as_secs_f64() * 1e6 / n as f64);
    }
}
