//! Pixel buffers: [`Image`] (interleaved u8, 1, 3 or 4 channels) and [`Sample`] (an image plus
//! the binary masks that travel with it through a pipeline).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::error::{Error, Result};

/// Largest accepted width or height, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// Largest accepted pixel count (width × height): 40 megapixels, e.g. 8000 × 5000.
/// An RGBA image of that size is 160 MB; a few working copies must still fit in wasm memory.
pub const MAX_PIXELS: u64 = 40_000_000;

/// An 8-bit image: `channels` values per pixel (1 = gray, 3 = RGB, 4 = RGBA), rows top to
/// bottom, no padding between rows.
///
/// Clones share their pixels until one is written (copy on write): augmenting a resident image
/// starts from a clone, and transforms that build a new image (flips, crops, warps) read the
/// shared pixels without copying them first.
#[derive(Clone, PartialEq, Eq)]
pub struct Image {
    width: u32,
    height: u32,
    channels: u8,
    data: Arc<Vec<u8>>,
}

/// Checks a size against the documented limits, naming the offending value.
pub fn check_size(width: u32, height: u32) -> Result<()> {
    if width == 0 || height == 0 {
        return Err(Error::Image(format!("size {width}×{height} is empty: width and height must be at least 1")));
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(Error::Image(format!(
            "size {width}×{height} is too large: each side may be at most {MAX_SIDE} pixels"
        )));
    }
    let pixels = width as u64 * height as u64;
    if pixels > MAX_PIXELS {
        return Err(Error::Image(format!(
            "size {width}×{height} has {pixels} pixels: at most {MAX_PIXELS} are allowed"
        )));
    }
    Ok(())
}

impl Image {
    /// Wraps a pixel buffer after checking that its length matches the size.
    ///
    /// ```
    /// let img = augplay::Image::new(2, 1, 3, vec![255, 0, 0, 0, 0, 255]).unwrap();
    /// assert_eq!(img.pixel(1, 0), &[0, 0, 255]);
    /// assert!(augplay::Image::new(2, 1, 3, vec![0; 5]).is_err());
    /// ```
    pub fn new(width: u32, height: u32, channels: u8, data: Vec<u8>) -> Result<Self> {
        check_size(width, height)?;
        if !matches!(channels, 1 | 3 | 4) {
            return Err(Error::Image(format!("{channels} channels: allowed are 1 (gray), 3 (RGB) or 4 (RGBA)")));
        }
        let expected = width as usize * height as usize * channels as usize;
        if data.len() != expected {
            return Err(Error::Image(format!(
                "buffer has {} bytes, but {width}×{height} with {channels} channels needs {expected}",
                data.len()
            )));
        }
        Ok(Image { width, height, channels, data: Arc::new(data) })
    }

    /// An image with every value set to `value`.
    pub fn filled(width: u32, height: u32, channels: u8, value: u8) -> Result<Self> {
        check_size(width, height)?;
        let len = width as usize * height as usize * channels as usize;
        Image::new(width, height, channels, vec![value; len])
    }

    pub fn width(&self) -> u32 {
        self.width
    }
    pub fn height(&self) -> u32 {
        self.height
    }
    pub fn channels(&self) -> u8 {
        self.channels
    }
    /// Channels that carry colour: alpha (the 4th of RGBA) is never changed by photometric transforms.
    pub fn color_channels(&self) -> usize {
        if self.channels == 4 {
            3
        } else {
            self.channels as usize
        }
    }
    /// Bytes per row.
    pub fn stride(&self) -> usize {
        self.width as usize * self.channels as usize
    }
    pub fn data(&self) -> &[u8] {
        &self.data
    }
    /// The pixels to write (copied first if a clone still shares them).
    pub fn data_mut(&mut self) -> &mut [u8] {
        if Arc::get_mut(&mut self.data).is_none() {
            self.data = Arc::new(copied(&self.data));
        }
        Arc::get_mut(&mut self.data).expect("the only owner of a fresh copy").as_mut_slice()
    }
    /// Whether a clone still shares these pixels (writing them would copy them first).
    pub fn is_shared(&self) -> bool {
        Arc::strong_count(&self.data) > 1
    }

    /// A new image of the same shape whose rows `row(y, out)` writes (it must write all of `out`).
    pub fn from_rows(&self, mut row: impl FnMut(usize, &mut [u8])) -> Image {
        let stride = self.stride();
        let mut data = vec![0u8; self.data.len()];
        for (y, out) in data.chunks_exact_mut(stride.max(1)).enumerate() {
            row(y, out);
        }
        Image { width: self.width, height: self.height, channels: self.channels, data: Arc::new(data) }
    }

    /// Rewrites the pixel bytes through `f(src, dst, len)`: for a shared image `src` is the shared
    /// buffer and `dst` a new one, otherwise both are the image's own buffer (so `f` must read
    /// each part before writing it, as block-wise maps do).
    ///
    /// # Safety
    /// `f` must write all `len` bytes at `dst` and touch nothing outside `src`/`dst` + `len`.
    pub(crate) unsafe fn map_bytes_raw(&mut self, f: impl FnOnce(*const u8, *mut u8, usize)) {
        let len = self.data.len();
        if self.is_shared() {
            let mut data = Vec::<u8>::with_capacity(len);
            f(self.data.as_ptr(), data.as_mut_ptr(), len);
            // SAFETY: `f` wrote all len bytes (the caller's promise).
            unsafe { data.set_len(len) };
            self.data = Arc::new(data);
        } else {
            let p = self.data_mut().as_mut_ptr();
            f(p, p, len);
        }
    }

    /// [`Image::from_rows`] without zeroing the new buffer first.
    ///
    /// # Safety
    /// `row(y, out)` must write all `stride` bytes at `out` (and nothing beyond them).
    pub(crate) unsafe fn from_rows_uninit(&self, mut row: impl FnMut(usize, *mut u8)) -> Image {
        let (stride, len) = (self.stride(), self.data.len());
        let mut data = Vec::<u8>::with_capacity(len);
        if stride > 0 {
            for y in 0..len / stride {
                // SAFETY: y × stride + stride ≤ len = the capacity.
                row(y, unsafe { data.as_mut_ptr().add(y * stride) });
            }
        }
        // SAFETY: the rows cover 0..len and the caller wrote each of them.
        unsafe { data.set_len(len) };
        Image { width: self.width, height: self.height, channels: self.channels, data: Arc::new(data) }
    }

    pub fn into_data(self) -> Vec<u8> {
        Arc::try_unwrap(self.data).unwrap_or_else(|shared| copied(&shared))
    }
    /// The values of the pixel at column `x`, row `y`.
    pub fn pixel(&self, x: u32, y: u32) -> &[u8] {
        let c = self.channels as usize;
        let start = (y as usize * self.width as usize + x as usize) * c;
        &self.data[start..start + c]
    }

    /// True when every pixel has R = G = B (and, with alpha, is opaque): a gray picture stored as
    /// colour, as browsers hand every image over.
    pub fn is_gray_content(&self) -> bool {
        match self.channels {
            1 => true,
            3 => self.data.as_chunks::<3>().0.iter().all(|p| p[0] == p[1] && p[1] == p[2]),
            _ => self.data.as_chunks::<4>().0.iter().all(|p| p[0] == p[1] && p[1] == p[2] && p[3] == 255),
        }
    }

    /// The layout augplay augments in: gray content as one channel, anything else as it is.
    ///
    /// The page always receives RGBA from the browser while the command line keeps a file's own
    /// layout; with this rule both augment a gray photo as gray (so per-channel noise keeps it
    /// gray) and agree byte for byte. RGB and RGBA need no rule: kernels give their colour
    /// channels identical values.
    ///
    /// ```
    /// let gray_as_rgba = augplay::Image::new(1, 1, 4, vec![7, 7, 7, 255]).unwrap();
    /// assert_eq!(gray_as_rgba.into_working_layout().channels(), 1);
    /// ```
    pub fn into_working_layout(self) -> Image {
        if self.channels != 1 && self.is_gray_content() {
            let data = self.data.iter().step_by(self.channels as usize).copied().collect();
            Image { width: self.width, height: self.height, channels: 1, data: Arc::new(data) }
        } else {
            self
        }
    }

    /// The smallest layout that holds these pixels exactly: gray content as one channel, opaque
    /// RGBA as RGB, anything else as it is. Exports use it, so a photo the page augmented is saved
    /// in the layout the command line saves it in (same PNG bytes for the same recipe and seed).
    ///
    /// ```
    /// let opaque = augplay::Image::new(1, 1, 4, vec![1, 2, 3, 255]).unwrap();
    /// assert_eq!(opaque.compact_layout().data(), &[1, 2, 3]);
    /// ```
    pub fn compact_layout(&self) -> Image {
        if self.is_gray_content() {
            return self.clone().into_working_layout();
        }
        if self.channels == 4 && self.data.as_chunks::<4>().0.iter().all(|p| p[3] == 255) {
            return self.to_channels(3).expect("RGBA converts to RGB");
        }
        self.clone()
    }

    /// The same pixels with `channels` channels: gray is replicated, alpha is added as opaque or
    /// dropped, colour becomes gray by BT.601 luma (as OpenCV's `COLOR_RGB2GRAY`).
    pub fn to_channels(&self, channels: u8) -> Result<Image> {
        if channels == self.channels {
            return Ok(self.clone());
        }
        let n = self.width as usize * self.height as usize;
        let mut out = Vec::with_capacity(n * channels as usize);
        for px in self.data.chunks_exact(self.channels as usize) {
            let (r, g, b, a) = match px.len() {
                1 => (px[0], px[0], px[0], 255),
                3 => (px[0], px[1], px[2], 255),
                _ => (px[0], px[1], px[2], px[3]),
            };
            match channels {
                1 => out.push(luma_bt601(r, g, b)),
                3 => out.extend_from_slice(&[r, g, b]),
                _ => out.extend_from_slice(&[r, g, b, a]),
            }
        }
        Image::new(self.width, self.height, channels, out)
    }
}

/// BT.601 luma in fixed point, rounded as OpenCV does.
fn luma_bt601(r: u8, g: u8, b: u8) -> u8 {
    ((r as u32 * 4899 + g as u32 * 9617 + b as u32 * 1868 + (1 << 13)) >> 14) as u8
}

impl fmt::Debug for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Image({}×{}×{})", self.width, self.height, self.channels)
    }
}

/// Value of a set pixel in a mask; unset pixels are 0.
pub const MASK_ON: u8 = 255;

/// An image and its masks. Masks are one-channel images of the same size holding 0 or
/// [`MASK_ON`]; geometric transforms move them with the image, photometric ones leave them be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    pub image: Image,
    masks: BTreeMap<String, Image>,
    /// The size after geometric steps the pipeline has composed but not resampled yet.
    pending_size: Option<(u32, u32)>,
}

impl Sample {
    pub fn new(image: Image) -> Self {
        Sample { image, masks: BTreeMap::new(), pending_size: None }
    }

    /// Width and height as the next transform sees them: after any geometric steps that the
    /// pipeline has composed but not yet resampled. Geometric transforms size themselves by this.
    pub fn size(&self) -> (u32, u32) {
        self.pending_size.unwrap_or((self.image.width(), self.image.height()))
    }

    pub(crate) fn set_pending_size(&mut self, size: Option<(u32, u32)>) {
        self.pending_size = size;
    }

    /// Adds or replaces a mask; it must be one channel and the image's size.
    pub fn set_mask(&mut self, name: &str, mask: Image) -> Result<()> {
        if mask.channels() != 1 || mask.width() != self.image.width() || mask.height() != self.image.height() {
            return Err(Error::Image(format!(
                "mask '{name}' is {}×{}×{}, but must be {}×{}×1 like its image",
                mask.width(),
                mask.height(),
                mask.channels(),
                self.image.width(),
                self.image.height()
            )));
        }
        self.masks.insert(name.to_string(), mask);
        Ok(())
    }

    pub fn mask(&self, name: &str) -> Option<&Image> {
        self.masks.get(name)
    }

    pub fn masks(&self) -> impl Iterator<Item = (&str, &Image)> {
        self.masks.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Every mask, for geometric steps that move them.
    pub fn masks_mut(&mut self) -> impl Iterator<Item = &mut Image> {
        self.masks.values_mut()
    }

    /// The image and then every mask, for geometric transforms that move them all alike.
    pub fn planes_mut(&mut self) -> impl Iterator<Item = &mut Image> {
        std::iter::once(&mut self.image).chain(self.masks.values_mut())
    }
}

/// Copies `src` to `dst`, which must be valid for `src.len()` writes and not overlap it.
///
/// The engines' plain copy (`memory.copy` in wasm, the C library's natively) slowed down about
/// twentyfold on the machines this was measured on (AMD Zen 3) when a copy of 4 KB up to about
/// half a megabyte went into a buffer starting 1–31 bytes after its source modulo 4096: every
/// load then matches the page offset of a store just issued, and the CPU holds it back as if the
/// two overlapped. The allocator produces exactly that, a new image right behind the one it
/// copies, 8 bytes on. Copies of 4 KB or more whose destination is 1–63 bytes ahead (a margin)
/// run from the end backwards, 16 bytes at a time: 10 µs for 256 KB, against 150 µs for the
/// plain copy there and 7 µs for it elsewhere.
///
/// # Safety
/// `dst` is valid for `src.len()` writes and does not overlap `src`.
#[inline]
pub(crate) unsafe fn copy_bytes(src: &[u8], dst: *mut u8) {
    let ahead = (dst as usize).wrapping_sub(src.as_ptr() as usize) % 4096;
    if src.len() >= 4096 && (1..64).contains(&ahead) {
        // SAFETY: as this function's.
        unsafe { copy_backwards(src, dst) }
    } else {
        // SAFETY: as this function's.
        unsafe { std::ptr::copy_nonoverlapping(src.as_ptr(), dst, src.len()) }
    }
}

/// [`copy_bytes`] from the last 16 bytes to the first.
///
/// # Safety
/// As [`copy_bytes`].
#[inline(never)]
unsafe fn copy_backwards(src: &[u8], dst: *mut u8) {
    const BLOCK: usize = 16;
    let head = src.len() % BLOCK;
    let mut at = src.len();
    while at > head {
        at -= BLOCK;
        // SAFETY: `at + BLOCK ≤ src.len()`; unaligned 16-byte moves.
        unsafe { (dst.add(at) as *mut u128).write_unaligned((src.as_ptr().add(at) as *const u128).read_unaligned()) };
        // Keeps the compiler from turning the loop into a (forward) copy call; emits nothing.
        std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
    }
    // SAFETY: the first `head` bytes, as the caller promised.
    unsafe { std::ptr::copy_nonoverlapping(src.as_ptr(), dst, head) };
}

/// A copy of `src` in a new buffer (see [`copy_bytes`]).
pub(crate) fn copied(src: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(src.len());
    // SAFETY: the capacity holds `src.len()` bytes, all written before `set_len`.
    unsafe {
        copy_bytes(src, out.as_mut_ptr());
        out.set_len(src.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    // These run natively and, through wasm-pack test, in node and Chromium.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn copies_are_exact_at_every_page_offset_and_length() {
        // Source and destination in one buffer, the destination 0–80 bytes after a page-offset
        // match (the backward path takes 1–63), lengths around the 4 KB switch and the block.
        let lengths = [0usize, 1, 15, 16, 17, 4095, 4096, 4097, 4111, 10_000];
        let mut rng = crate::rng::Rng::new(7);
        let src: Vec<u8> = (0..10_000).map(|_| rng.next_u64() as u8).collect();
        let mut buf = vec![0u8; 3 * 4096 + 80 + 10_000];
        for ahead in 0..80 {
            for &n in &lengths {
                buf.fill(0);
                // The destination starts 3 pages + `ahead` after the source: no overlap.
                let at = 3 * 4096 + ahead;
                let (s, d) = buf.split_at_mut(at);
                s[..n].copy_from_slice(&src[..n]);
                // SAFETY: `d` has room for n bytes and does not overlap `s`.
                unsafe { copy_bytes(&s[..n], d.as_mut_ptr()) };
                assert_eq!(&d[..n], &src[..n], "ahead {ahead}, {n} bytes");
                assert!(d[n..].iter().all(|&v| v == 0), "wrote past the end (ahead {ahead}, {n} bytes)");
            }
        }
        let v = copied(&src);
        assert_eq!(v, src);
    }

    #[test]
    fn writing_a_shared_image_copies_it_and_leaves_the_other_alone() {
        let a = Image::new(64, 33, 4, (0..64 * 33 * 4).map(|i| (i * 7) as u8).collect()).unwrap();
        let mut b = a.clone();
        assert!(b.is_shared());
        b.data_mut()[5] ^= 0xff;
        assert!(!b.is_shared() && !a.is_shared());
        assert_eq!(a.data()[5], 35);
        assert_eq!(b.data()[5], !35u8);
        assert_eq!(a.data()[6..], b.data()[6..]);
        assert_eq!(a.data()[..5], b.data()[..5]);
    }
}
