//! Grayscale by sRGB-linearised luminance (Rec. 709 weights 0.2126, 0.7152, 0.0722 on linear
//! light), as the course's `to_grayscale` computes it in float64 and rounds (half to even).

use std::sync::OnceLock;

use crate::image::Image;

fn linear_table() -> &'static [f64; 256] {
    static TABLE: OnceLock<[f64; 256]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [0.0; 256];
        for (v, out) in t.iter_mut().enumerate() {
            let c = v as f64 / 255.0;
            *out = if c <= 0.04045 { c / 12.92 } else { libm::pow((c + 0.055) / 1.055, 2.4) };
        }
        t
    })
}

/// One luminance value per pixel. Gray input is returned as it is.
///
/// ```
/// let img = augplay::Image::new(2, 1, 3, vec![255, 0, 0, 90, 90, 90]).unwrap();
/// assert_eq!(augplay::kernels::gray::srgb_luminance(&img).data(), &[127, 90]);
/// ```
pub fn srgb_luminance(img: &Image) -> Image {
    if img.channels() == 1 {
        return img.clone();
    }
    let lin = linear_table();
    let data = img
        .data()
        .chunks_exact(img.channels() as usize)
        .map(|p| {
            let y = 0.2126 * lin[p[0] as usize] + 0.7152 * lin[p[1] as usize] + 0.0722 * lin[p[2] as usize];
            let s = if y <= 0.0031308 { 12.92 * y } else { 1.055 * libm::pow(y, 1.0 / 2.4) - 0.055 };
            libm::rint(s * 255.0).clamp(0.0, 255.0) as u8
        })
        .collect();
    Image::new(img.width(), img.height(), 1, data).expect("same size, one channel")
}
