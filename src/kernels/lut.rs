//! Per-value maps through 256-entry lookup tables.

use crate::image::Image;

/// A table mapping every u8 value to another.
pub type Lut = [u8; 256];

/// Maps every colour value of the image through `lut`; alpha stays as it is.
pub fn apply_to_color(img: &mut Image, lut: &Lut) {
    let channels = img.channels() as usize;
    let data = img.data_mut();
    if channels == 4 {
        for px in data.as_chunks_mut::<4>().0 {
            px[0] = lut[px[0] as usize];
            px[1] = lut[px[1] as usize];
            px[2] = lut[px[2] as usize];
        }
    } else {
        for v in data {
            *v = lut[*v as usize];
        }
    }
}

/// 255 − v for every colour value (an exclusive or, which vectorises); alpha stays.
pub fn invert(img: &mut Image) {
    if img.channels() == 4 {
        // Whole pixels as words: the mask has 255 in the R, G and B bytes.
        let mask = u32::from_le_bytes([255, 255, 255, 0]);
        img.map_rgba_words(|w| w ^ mask);
    } else {
        let lut: Lut = std::array::from_fn(|v| 255 - v as u8);
        apply_to_color(img, &lut);
    }
}

/// Maps each colour channel through its own table (gray uses the first); alpha stays.
pub fn apply_per_channel(img: &mut Image, luts: &[Lut; 3]) {
    let channels = img.channels() as usize;
    let color = img.color_channels();
    for px in img.data_mut().chunks_exact_mut(channels) {
        for c in 0..color {
            px[c] = luts[c][px[c] as usize];
        }
    }
}

/// A table adding `offset` with saturation.
pub fn add(offset: i32) -> Lut {
    let mut lut = [0u8; 256];
    for (v, out) in lut.iter_mut().enumerate() {
        *out = (v as i32 + offset).clamp(0, 255) as u8;
    }
    lut
}

/// `v * alpha + beta`, saturated to 0..=255 and truncated, in f32 as albumentations (albucore
/// `multiply_add`) computes it for uint8 images, so results match it exactly.
///
/// ```
/// let lut = augplay::kernels::lut::multiply_add(2.0, -10.0);
/// assert_eq!((lut[0], lut[10], lut[200]), (0, 10, 255));
/// ```
pub fn multiply_add(alpha: f32, beta: f32) -> Lut {
    let mut lut = [0u8; 256];
    for (v, out) in lut.iter_mut().enumerate() {
        let x = v as f32 * alpha + beta;
        // `as u8` saturates (and maps NaN to 0), which is the clip-then-truncate of the reference.
        *out = x.clamp(0.0, 255.0) as u8;
    }
    lut
}

/// The mean of the colour values (alpha excluded).
pub fn mean_color(img: &Image) -> f64 {
    let channels = img.channels() as usize;
    let color = img.color_channels();
    let mut sum: u64 = 0;
    for px in img.data().chunks_exact(channels) {
        sum += px[..color].iter().map(|&v| v as u64).sum::<u64>();
    }
    let count = (img.data().len() / channels * color) as f64;
    sum as f64 / count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_table_changes_nothing_and_alpha_is_kept() {
        let mut lut = [0u8; 256];
        for (i, v) in lut.iter_mut().enumerate() {
            *v = i as u8;
        }
        let mut img = Image::new(2, 1, 4, vec![1, 2, 3, 4, 5, 6, 7, 8]).unwrap();
        apply_to_color(&mut img, &lut);
        assert_eq!(img.data(), &[1, 2, 3, 4, 5, 6, 7, 8]);
        apply_to_color(&mut img, &[9u8; 256]);
        assert_eq!(img.data(), &[9, 9, 9, 4, 9, 9, 9, 8]);
    }

    #[test]
    fn multiply_add_truncates_like_the_reference() {
        let lut = multiply_add(1.1, 0.0);
        assert_eq!(lut[10], 11); // 11.000001 -> 11
        assert_eq!(lut[9], 9); // 9.900001 -> 9 (truncated, not rounded)
        assert_eq!(multiply_add(f32::NAN, 0.0)[5], 0);
    }

    #[test]
    fn mean_ignores_alpha() {
        let img = Image::new(1, 1, 4, vec![10, 20, 30, 255]).unwrap();
        assert_eq!(mean_color(&img), 20.0);
    }
}
