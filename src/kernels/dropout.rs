//! Input dropout: values replaced by a fill, as a mask says. Masks are one byte per pixel (or per
//! value for per-channel dropout), 1 = dropped. Random masks and random fills expand a seed.

use super::stream::{for_each_u32, threshold};
use crate::image::Image;

/// What dropped values become.
#[derive(Clone, Debug, PartialEq)]
pub enum FillValues {
    /// One value per colour channel (a single value is used for every channel).
    Constant(Vec<u8>),
    /// Independent uniform values from this seed.
    Random(u64),
}

impl FillValues {
    /// The fill of `channel` (a single value serves every channel).
    pub fn constant_for(values: &[u8], channel: usize) -> u8 {
        values.get(channel).or(values.last()).copied().unwrap_or(0)
    }
}

/// Sets colour channels `channels` of every pixel to their constant fill (a whole-channel
/// dropout in one pass). Channels beyond the image's colour channels are ignored.
pub fn fill_channels(img: &mut Image, channels: &[usize], values: &[u8]) {
    let (c, color) = (img.channels() as usize, img.color_channels());
    let chosen: Vec<(usize, u8)> = channels.iter().copied().filter(|&ch| ch < color).map(|ch| (ch, FillValues::constant_for(values, ch))).collect();
    if c == 4 {
        // Whole pixels as words: clear the chosen bytes, then set their fills (vectorises).
        let (mut clear, mut set) = ([255u8; 4], [0u8; 4]);
        for &(ch, v) in &chosen {
            clear[ch] = 0;
            set[ch] = v;
        }
        let (clear, set) = (u32::from_le_bytes(clear), u32::from_le_bytes(set));
        crate::kernels::lut::map_rgba(img, |v| crate::kernels::lut::and_or_block(v, clear, set), |w| (w & clear) | set);
        return;
    }
    for px in img.data_mut().chunks_exact_mut(c) {
        for &(ch, v) in &chosen {
            px[ch] = v;
        }
    }
}

/// A per-value mask (`pixels` × `color` bytes) with 1 in channels `channels` of every pixel.
pub fn channel_mask(pixels: usize, color: usize, channels: &[usize]) -> Vec<u8> {
    let mut mask = vec![0u8; pixels * color];
    for px in mask.chunks_exact_mut(color) {
        for &ch in channels.iter().filter(|&&ch| ch < color) {
            px[ch] = 1;
        }
    }
    mask
}

/// A Bernoulli mask of `len` bytes: 1 with probability `p`.
pub fn bernoulli_mask(len: usize, p: f64, seed: u64) -> Vec<u8> {
    let t = threshold(p);
    let mut mask = vec![0u8; len];
    for_each_u32(seed, len, |i, r| mask[i] = ((r as u64) < t) as u8);
    mask
}

/// A pixel mask with the rectangles `[x0, y0, x1, y1)` set.
pub fn rect_mask(width: u32, height: u32, rects: &[[u32; 4]]) -> Vec<u8> {
    let w = width as usize;
    let mut mask = vec![0u8; w * height as usize];
    for r in rects {
        let (x0, y0, x1, y1) = (r[0].min(width) as usize, r[1].min(height) as usize, r[2].min(width) as usize, r[3].min(height) as usize);
        for y in y0..y1 {
            mask[y * w + x0..y * w + x1.max(x0)].fill(1);
        }
    }
    mask
}

/// Sets the colour values of the rectangles `[x0, y0, x1, y1)` (clipped to the image) to their
/// constant fill: what [`apply`] does with [`rect_mask`] and a constant, touching only the
/// rectangles. Alpha is kept.
pub fn fill_rects(img: &mut Image, rects: &[[u32; 4]], values: &[u8]) {
    let (w, h) = (img.width(), img.height());
    let (c, color, stride) = (img.channels() as usize, img.color_channels(), img.stride());
    let fill: Vec<u8> = (0..color).map(|ch| FillValues::constant_for(values, ch)).collect();
    let data = img.data_mut();
    for r in rects {
        let (x0, y0, x1, y1) = (r[0].min(w) as usize, r[1].min(h) as usize, r[2].min(w) as usize, r[3].min(h) as usize);
        for y in y0..y1 {
            let row = &mut data[y * stride + x0 * c..y * stride + x1.max(x0) * c];
            if c == 4 {
                for px in row.as_chunks_mut::<4>().0 {
                    px[..3].copy_from_slice(&fill[..3]);
                }
            } else {
                for px in row.chunks_exact_mut(c) {
                    px[..color].copy_from_slice(&fill);
                }
            }
        }
    }
}

/// Replaces the colour values the mask marks. `per_value`: the mask has one byte per colour
/// value (pixel-major), else one per pixel. Alpha is kept.
pub fn apply(img: &mut Image, mask: &[u8], per_value: bool, fill: &FillValues) {
    let c = img.channels() as usize;
    let color = img.color_channels();
    let n = img.width() as usize * img.height() as usize;
    let mut random = match fill {
        FillValues::Random(seed) => {
            let mut values = vec![0u8; n * color];
            for_each_u32(*seed, n * color, |i, r| values[i] = (r >> 24) as u8);
            Some(values)
        }
        FillValues::Constant(_) => None,
    };
    if let (FillValues::Constant(values), false) = (fill, per_value) {
        return fill_masked_pixels(img, mask, values);
    }
    let data = img.data_mut();
    for p in 0..n {
        for ch in 0..color {
            let dropped = if per_value { mask[p * color + ch] } else { mask[p] };
            if dropped != 0 {
                data[p * c + ch] = match (&fill, random.as_mut()) {
                    (FillValues::Constant(v), _) => FillValues::constant_for(v, ch),
                    (_, Some(values)) => values[p * color + ch],
                    _ => 0,
                };
            }
        }
    }
}

/// The constant-fill, pixel-mask case of [`apply`], branch-free so it vectorises: RGBA pixels
/// as words (alpha kept through a mask), other layouts value by value.
fn fill_masked_pixels(img: &mut Image, mask: &[u8], values: &[u8]) {
    let (c, color) = (img.channels() as usize, img.color_channels());
    let fill: Vec<u8> = (0..color).map(|ch| FillValues::constant_for(values, ch)).collect();
    if c == 4 {
        let word = u32::from_le_bytes([fill[0], fill[1], fill[2], 0]);
        let keep = u32::from_le_bytes([0, 0, 0, 255]);
        for (px, &m) in img.data_mut().as_chunks_mut::<4>().0.iter_mut().zip(mask) {
            let w = u32::from_le_bytes(*px);
            *px = (if m != 0 { (w & keep) | word } else { w }).to_le_bytes();
        }
        return;
    }
    for (px, &m) in img.data_mut().chunks_exact_mut(c).zip(mask) {
        for (v, &f) in px[..color].iter_mut().zip(&fill) {
            *v = if m != 0 { f } else { *v };
        }
    }
}

/// Multiplies the kept colour values by `factor` (saturating), to keep the mean intensity as
/// `torch.nn.Dropout` does.
pub fn scale_kept(img: &mut Image, mask: &[u8], per_value: bool, factor: f64) {
    let mut lut = [0u8; 256];
    for (v, out) in lut.iter_mut().enumerate() {
        *out = (v as f64 * factor + 0.5).min(255.0) as u8;
    }
    let c = img.channels() as usize;
    let color = img.color_channels();
    for (p, px) in img.data_mut().chunks_exact_mut(c).enumerate() {
        for ch in 0..color {
            let dropped = if per_value { mask[p * color + ch] } else { mask[p] };
            if dropped == 0 {
                px[ch] = lut[px[ch] as usize];
            }
        }
    }
}

/// DropBlock's mask (Ghiasi et al. 2018): block corners are drawn with probability `gamma` over
/// the positions where a `block`×`block` square fits, and each drawn corner drops its square.
pub fn block_mask(width: u32, height: u32, block: u32, gamma: f64, seed: u64) -> Vec<u8> {
    let (w, h, b) = (width as usize, height as usize, block as usize);
    let (vw, vh) = (w + 1 - b, h + 1 - b);
    let corners = bernoulli_mask(vw * vh, gamma, seed);
    let mut mask = vec![0u8; w * h];
    for (i, _) in corners.iter().enumerate().filter(|(_, &c)| c == 1) {
        let (x0, y0) = (i % vw, i / vw);
        for y in y0..y0 + b {
            mask[y * w + x0..y * w + x0 + b].fill(1);
        }
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bernoulli_fraction_is_close_to_p() {
        let mask = bernoulli_mask(100_000, 0.3, 7);
        let frac = mask.iter().map(|&m| m as f64).sum::<f64>() / 1e5;
        assert!((frac - 0.3).abs() < 0.01, "{frac}");
        assert!(bernoulli_mask(1000, 0.0, 1).iter().all(|&m| m == 0));
        assert!(bernoulli_mask(1000, 1.0, 1).iter().all(|&m| m == 1));
    }

    #[test]
    fn rects_and_fill() {
        let mut img = Image::filled(4, 3, 4, 100).unwrap();
        let mask = rect_mask(4, 3, &[[1, 1, 3, 3]]);
        assert_eq!(mask, vec![0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0]);
        apply(&mut img, &mask, false, &FillValues::Constant(vec![1, 2, 3]));
        assert_eq!(img.pixel(1, 1), &[1, 2, 3, 100]);
        assert_eq!(img.pixel(0, 0), &[100, 100, 100, 100]);
    }

    #[test]
    fn blocks_are_whole_squares() {
        let mask = block_mask(40, 30, 5, 0.01, 3);
        assert!(mask.iter().any(|&m| m == 1));
        // Every dropped pixel lies in some fully dropped 5×5 square.
        for y in 0..30 {
            for x in 0..40 {
                if mask[y * 40 + x] == 1 {
                    let covered = (y.saturating_sub(4)..=y.min(25)).any(|y0| {
                        (x.saturating_sub(4)..=x.min(35)).any(|x0| (y0..y0 + 5).all(|yy| (x0..x0 + 5).all(|xx| mask[yy * 40 + xx] == 1)))
                    });
                    assert!(covered, "({x}, {y})");
                }
            }
        }
    }
}
