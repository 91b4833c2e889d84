//! Mirror images: in place, or straight into a new buffer when the pixels are shared with
//! another image (a resident source), which saves copying them first. Exact copies of pixels:
//! nothing is resampled.

use crate::image::{copy_bytes, Image};

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
    if img.is_shared() {
        let src = img.data();
        *img = match channels {
            // SAFETY: each row call writes its whole output row (stride bytes).
            4 => unsafe { img.from_rows_uninit(|y, out| reversed_rgba(&src[y * stride..(y + 1) * stride], out)) },
            1 => img.from_rows(|y, out| out.iter_mut().zip(src[y * stride..(y + 1) * stride].iter().rev()).for_each(|(o, v)| *o = *v)),
            _ => img.from_rows(|y, out| {
                let row = src[y * stride..(y + 1) * stride].as_chunks::<3>().0;
                out.as_chunks_mut::<3>().0.iter_mut().zip(row.iter().rev()).for_each(|(o, v)| *o = *v)
            }),
        };
        return;
    }
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

/// Writes the 4-byte pixels of `row` into the `row.len()` bytes at `out`, in reverse order.
pub(crate) fn reversed_rgba(row: &[u8], out: *mut u8) {
    let n = row.len() / 4;
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        let quads = n / 4;
        // Output quad j holds input pixels n − 4j − 4 .. n − 4j: from the first pixel past the
        // n mod 4 that end the output, quads are read forwards and written backwards, sixteen
        // pixels per step, every access a constant offset from the two pointers (wasm addresses
        // take only positive offsets, so a loop stepping each access down needs a subtraction
        // apiece).
        let skip = 4 * (n - 4 * quads);
        let (mut src, mut dst) = (row.as_ptr().wrapping_add(skip), out.wrapping_add(16 * quads));
        let mut q = 0;
        while q + 4 <= quads {
            // SAFETY: the step reads bytes skip + 16q .. skip + 16q + 64 of `row` (q + 4 ≤ quads,
            // skip + 16 quads = 4n) and writes output bytes 16(quads − q − 4) .. 16(quads − q),
            // inside the row at `out`.
            unsafe {
                dst = dst.sub(64);
                let r = |k: usize| {
                    let v = v128_load(src.add(16 * k) as *const v128);
                    i32x4_shuffle::<3, 2, 1, 0>(v, v)
                };
                let (a, b, c, d) = (r(0), r(1), r(2), r(3));
                v128_store(dst.add(48) as *mut v128, a);
                v128_store(dst.add(32) as *mut v128, b);
                v128_store(dst.add(16) as *mut v128, c);
                v128_store(dst as *mut v128, d);
                src = src.add(64);
            }
            q += 4;
        }
        for q in q..quads {
            // SAFETY: bytes skip + 16q .. skip + 16q + 16 of `row` exist (q < quads); output
            // bytes 16(quads − q − 1) .. 16(quads − q) are inside the row at `out`.
            unsafe {
                let v = v128_load(row.as_ptr().add(skip + 16 * q) as *const v128);
                v128_store(out.add(16 * (quads - q - 1)) as *mut v128, i32x4_shuffle::<3, 2, 1, 0>(v, v));
            }
        }
        for x in quads * 4..n {
            // SAFETY: pixel n-1-x exists and output bytes 4x..4x+4 are inside the row.
            unsafe { std::ptr::copy_nonoverlapping(row.as_ptr().add(4 * (n - 1 - x)), out.add(4 * x), 4) };
        }
        return;
    }
    #[allow(unreachable_code)]
    for x in 0..n {
        // SAFETY: as above.
        unsafe { std::ptr::copy_nonoverlapping(row.as_ptr().add(4 * (n - 1 - x)), out.add(4 * x), 4) };
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
    if img.is_shared() {
        let src = img.data();
        // SAFETY: each row call copies a whole row (stride bytes) into its own row.
        *img = unsafe { img.from_rows_uninit(|y, out| copy_bytes(&src[(height - 1 - y) * stride..][..stride], out)) };
        return;
    }
    let data = img.data_mut();
    for y in 0..height / 2 {
        let (top, bottom) = data.split_at_mut((height - 1 - y) * stride);
        top[y * stride..(y + 1) * stride].swap_with_slice(&mut bottom[..stride]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // These run natively and, through wasm-pack test, in node and Chromium (the SIMD rows).
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn rgba_pixels_move_whole() {
        let mut img = Image::new(2, 2, 4, (0..16).collect()).unwrap();
        horizontal(&mut img);
        assert_eq!(img.data(), &[4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11]);
        vertical(&mut img);
        assert_eq!(img.data(), &[12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3]);
    }

    #[test]
    fn shared_images_flip_into_new_buffers_and_leave_the_source() {
        // Widths below, at and past the sixteen-pixel steps, with every remainder of four.
        for (c, w) in [1u8, 3, 4].into_iter().flat_map(|c| [1u32, 5, 16, 19, 37, 66, 67].map(|w| (c, w))) {
            let n = w * 3 * c as u32;
            let src = Image::new(w, 3, c, (0..n).map(|v| (v % 251) as u8).collect()).unwrap();
            for flip in [horizontal, vertical] {
                let (mut shared, mut alone) = (src.clone(), Image::new(w, 3, c, src.data().to_vec()).unwrap());
                flip(&mut shared);
                flip(&mut alone);
                assert!(shared == alone, "{c} channels, width {w}");
                assert!(src.data().iter().enumerate().all(|(i, &v)| v == (i % 251) as u8), "source changed");
            }
            // Pixel by pixel against the definition.
            let mut flipped = src.clone();
            horizontal(&mut flipped);
            for y in 0..3 {
                for x in 0..w {
                    assert_eq!(flipped.pixel(x, y), src.pixel(w - 1 - x, y), "{c} channels, width {w}, ({x}, {y})");
                }
            }
        }
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
