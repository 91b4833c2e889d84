//! Mirror images in place. Exact copies of pixels: nothing is resampled.

use crate::image::Image;

/// Mirrors left to right.
///
/// ```
/// let mut img = augplay::Image::new(3, 1, 1, vec![1, 2, 3]).unwrap();
/// augplay::kernels::flip::horizontal(&mut img);
/// assert_eq!(img.data(), &[3, 2, 1]);
/// ```
pub fn horizontal(img: &mut Image) {
    let stride = img.stride();
    let channels = img.channels();
    for row in img.data_mut().chunks_exact_mut(stride) {
        match channels {
            1 => row.reverse(),
            3 => row.as_chunks_mut::<3>().0.reverse(),
            _ => reverse_rgba(row),
        }
    }
}

/// Reverses the order of 4-byte pixels, as whole words when the row is aligned (std's
/// `reverse` on `u32` is vectorised), else pixel by pixel.
fn reverse_rgba(row: &mut [u8]) {
    // SAFETY: every bit pattern is a valid u32, and `align_to_mut` only yields the aligned middle.
    let (head, words, tail) = unsafe { row.align_to_mut::<u32>() };
    if head.is_empty() && tail.is_empty() {
        words.reverse();
    } else {
        row.as_chunks_mut::<4>().0.reverse();
    }
}

/// Mirrors top to bottom by swapping whole rows.
///
/// ```
/// let mut img = augplay::Image::new(1, 3, 1, vec![1, 2, 3]).unwrap();
/// augplay::kernels::flip::vertical(&mut img);
/// assert_eq!(img.data(), &[3, 2, 1]);
/// ```
pub fn vertical(img: &mut Image) {
    let stride = img.stride();
    let height = img.height() as usize;
    let data = img.data_mut();
    for y in 0..height / 2 {
        let (top, bottom) = data.split_at_mut((height - 1 - y) * stride);
        top[y * stride..(y + 1) * stride].swap_with_slice(&mut bottom[..stride]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgba_pixels_move_whole() {
        let mut img = Image::new(2, 2, 4, (0..16).collect()).unwrap();
        horizontal(&mut img);
        assert_eq!(img.data(), &[4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11]);
        vertical(&mut img);
        assert_eq!(img.data(), &[12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3]);
    }

    #[test]
    fn odd_sizes_keep_middle() {
        let mut img = Image::new(3, 3, 3, (0..27).collect()).unwrap();
        let orig = img.clone();
        vertical(&mut img);
        assert_eq!(img.pixel(1, 1), orig.pixel(1, 1));
        assert_eq!(img.pixel(0, 0), orig.pixel(0, 2));
        horizontal(&mut img);
        assert_eq!(img.pixel(0, 0), orig.pixel(2, 2));
    }
}
