//! PNG and JPEG in and out, for the command line and tests. (The page decodes with the browser.)

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};

use crate::error::{Error, Result};
use crate::image::{check_size, Image, MAX_SIDE};

/// Decodes PNG or JPEG bytes. Gray stays one channel, RGB three, anything with alpha four;
/// 16-bit images are reduced to 8 bits. Sizes beyond [`MAX_SIDE`] or [`crate::image::MAX_PIXELS`] are refused
/// before any pixel memory is allocated.
pub fn decode(bytes: &[u8]) -> Result<Image> {
    if bytes.is_empty() {
        return Err(Error::Decode("the file is empty".into()));
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Error::Decode(format!("cannot read the file: {e}")))?;
    match reader.format() {
        Some(ImageFormat::Png | ImageFormat::Jpeg) => {}
        _ => return Err(Error::Decode("not a PNG or JPEG file (allowed formats: PNG, JPEG)".into())),
    }
    // Reading the header allocates no pixels; the size check then gives the clear message.
    let jpeg = reader.format() == Some(ImageFormat::Jpeg);
    let (w, h) = reader.into_dimensions().map_err(|e| Error::Decode(format!("corrupt or unsupported image: {e}")))?;
    check_size(w, h)?;
    // The JPEG decoder paints what a cut-off file lacks in gray and reports nothing; the PNG
    // decoder refuses such a file. Refused here too, so no half-gray picture becomes data.
    if jpeg && !jpeg_is_complete(bytes) {
        return Err(Error::Decode(format!(
            "the JPEG is truncated: its image data stops at byte {} without the end marker (a cut-off download or copy?)",
            bytes.len()
        )));
    }
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| Error::Decode(e.to_string()))?;
    reader.limits(limits_for(w, h));
    let img = reader.decode().map_err(|e| Error::Decode(format!("corrupt or unsupported image: {e}")))?;
    Ok(from_dynamic(img))
}

/// Whether a JPEG's compressed data reaches its end marker (EOI, `FF D9`). The segments before
/// the first scan are skipped by their lengths (an EXIF thumbnail there holds markers of its
/// own); after it, `FF D9` can only be the end marker (scan data stuffs every `FF` byte with a
/// `00`). Files whose segments cannot be followed are left to the decoder to judge.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut at = 2;
    loop {
        // Markers may be preceded by fill bytes `FF`.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        match (bytes.get(at), bytes.get(at + 1)) {
            (Some(0xFF), Some(0xDA)) => break,
            // Markers without a length: TEM and RST0–7.
            (Some(0xFF), Some(0x01 | 0xD0..=0xD7)) => at += 2,
            (Some(0xFF), Some(_)) => match (bytes.get(at + 2), bytes.get(at + 3)) {
                (Some(&hi), Some(&lo)) => at += 2 + ((hi as usize) << 8 | lo as usize),
                _ => return false,
            },
            // Ended before a scan: the decoder reports that itself.
            (None, _) | (_, None) => return false,
            _ => return true,
        }
    }
    bytes[at..].windows(2).any(|w| w == [0xFF, 0xD9])
}

fn limits_for(w: u32, h: u32) -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(w as u64 * h as u64 * 8 + (1 << 20));
    limits
}

fn from_dynamic(img: DynamicImage) -> Image {
    let (w, h) = (img.width(), img.height());
    let (channels, data) = match img {
        DynamicImage::ImageLuma8(b) => (1, b.into_raw()),
        DynamicImage::ImageRgb8(b) => (3, b.into_raw()),
        DynamicImage::ImageRgba8(b) => (4, b.into_raw()),
        other if other.color().has_alpha() => (4, other.into_rgba8().into_raw()),
        other if other.color().channel_count() == 1 => (1, other.into_luma8().into_raw()),
        other => (3, other.into_rgb8().into_raw()),
    };
    // Sizes were checked before decoding; the buffer length follows from the conversion.
    Image::new(w, h, channels, data).expect("decoder output matches its own size")
}

/// Encodes as PNG with the image's own channel count.
pub fn encode_png(img: &Image) -> Result<Vec<u8>> {
    let color = match img.channels() {
        1 => image::ExtendedColorType::L8,
        3 => image::ExtendedColorType::Rgb8,
        _ => image::ExtendedColorType::Rgba8,
    };
    let mut out = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut out),
        img.data(),
        img.width(),
        img.height(),
        color,
    )
    .map_err(|e| Error::Io(format!("cannot encode PNG: {e}")))?;
    Ok(out)
}

/// Encodes as JPEG at `quality` (1–100) and decodes again, keeping the channel count (gray or RGB).
/// `ImageCompression` computes the same bytes without the bit stream (`kernels::jpeg`); this is
/// the reference a test holds it to.
pub fn jpeg_round_trip(img: &Image, quality: u8) -> Result<Image> {
    let color = match img.channels() {
        1 => image::ExtendedColorType::L8,
        3 => image::ExtendedColorType::Rgb8,
        n => return Err(Error::Image(format!("JPEG holds gray or RGB, not {n} channels"))),
    };
    let mut bytes = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality),
        img.data(),
        img.width(),
        img.height(),
        color,
    )
    .map_err(|e| Error::Image(format!("cannot encode JPEG: {e}")))?;
    // The JPEG decoder directly (not the format-guessing reader), so the wasm build carries no
    // PNG decoder: the page decodes files with the browser.
    let decoder = image::codecs::jpeg::JpegDecoder::new(Cursor::new(&bytes)).map_err(|e| Error::Image(format!("cannot decode JPEG: {e}")))?;
    let decoded = from_dynamic(DynamicImage::from_decoder(decoder).map_err(|e| Error::Image(format!("cannot decode JPEG: {e}")))?);
    if decoded.channels() == img.channels() {
        Ok(decoded)
    } else {
        decoded.to_channels(img.channels())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_round_trip_keeps_bytes_and_channels() {
        for channels in [1u8, 3, 4] {
            let data: Vec<u8> = (0..5 * 3 * channels as usize).map(|v| (v * 7) as u8).collect();
            let img = Image::new(5, 3, channels, data).unwrap();
            assert_eq!(decode(&encode_png(&img).unwrap()).unwrap(), img);
        }
    }

    #[test]
    fn bad_bytes_are_clear_errors() {
        assert_eq!(decode(&[]).unwrap_err().to_string(), "cannot decode image: the file is empty");
        assert!(decode(b"hello, not an image").unwrap_err().to_string().contains("not a PNG or JPEG"));
        let mut png = encode_png(&Image::filled(4, 4, 3, 9).unwrap()).unwrap();
        png.truncate(png.len() / 2);
        assert!(decode(&png).unwrap_err().to_string().contains("corrupt"));
    }

    #[test]
    fn truncated_jpegs_are_refused_complete_ones_read() {
        let img = Image::new(64, 48, 3, (0..64 * 48 * 3).map(|v| (v * 13 % 251) as u8).collect()).unwrap();
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90).encode(img.data(), 64, 48, image::ExtendedColorType::Rgb8).unwrap();
        let whole = decode(&jpeg).unwrap();
        assert_eq!((whole.width(), whole.height(), whole.channels()), (64, 48, 3));
        // Bytes after the end marker (some cameras and editors write them) are no harm.
        let mut trailing = jpeg.clone();
        trailing.extend_from_slice(b"trailing bytes");
        assert_eq!(decode(&trailing).unwrap(), whole);
        for keep in [jpeg.len() - 2, jpeg.len() / 2, jpeg.len() / 5] {
            let err = decode(&jpeg[..keep]).unwrap_err().to_string();
            assert!(err.contains("truncated") || err.contains("corrupt"), "{keep} bytes: {err}");
        }
        // An APP1 segment holding a thumbnail with its own end marker: skipped by its length.
        let mut exif = jpeg[..2].to_vec();
        exif.extend_from_slice(&[0xFF, 0xE1, 0, 8, 0xFF, 0xD8, 0xFF, 0xD9, 0xFF, 0xD9]);
        exif.extend_from_slice(&jpeg[2..]);
        assert_eq!(decode(&exif).unwrap(), whole);
        let err = decode(&exif[..exif.len() / 2]).unwrap_err().to_string();
        assert!(err.contains("truncated"), "{err}");
        let err = decode(&jpeg[..jpeg.len() / 2]).unwrap_err().to_string();
        assert!(err.contains(&format!("the JPEG is truncated: its image data stops at byte {}", jpeg.len() / 2)), "{err}");
    }

    #[test]
    fn absurd_sizes_are_refused_before_allocating() {
        // A valid PNG header claiming 100000 × 100000 pixels.
        let mut png = encode_png(&Image::filled(1, 1, 1, 0).unwrap()).unwrap();
        png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        let err = decode(&png).unwrap_err().to_string();
        assert!(err.contains("too large"), "{err}");
    }

    /// The JPEG stages without the bit stream (`kernels::jpeg`) give the codec's bytes: photos
    /// (colour and gray) at every quality, and noise, hard edges and flat areas in shapes whose
    /// sides are not multiples of 8 (the encoder repeats the last column and row there).
    #[test]
    fn jpeg_stages_are_the_codecs_bytes() {
        let mut rng = crate::rng::Rng::new(1);
        let mut noise = move || rng.next_u64() as u8;
        let mut images = vec![
            decode(include_bytes!("../tests/fixtures/chelsea_128x96.png")).unwrap(),
            decode(include_bytes!("../tests/fixtures/camera_96x96.png")).unwrap(),
            decode(include_bytes!("../tests/fixtures/rocket_128x96.jpg")).unwrap(),
        ];
        for (w, h) in [(1u32, 1u32), (7, 9), (9, 7), (8, 8), (33, 17), (40, 3), (2, 41)] {
            for channels in [1u8, 3] {
                let n = (w * h) as usize * channels as usize;
                let random: Vec<u8> = (0..n).map(|_| noise()).collect();
                let edges = (0..n).map(|i| if (i / channels as usize + i / (w as usize * channels as usize)) % 3 == 0 { 255 } else { 0 }).collect();
                let flat = vec![noise(); n];
                for data in [random, edges, flat] {
                    images.push(Image::new(w, h, channels, data).unwrap());
                }
            }
        }
        for (i, img) in images.iter().enumerate() {
            for quality in 1..=100u8 {
                let expected = jpeg_round_trip(img, quality).unwrap();
                let mut got = img.clone();
                let (w, h, c) = (got.width() as usize, got.height() as usize, got.channels() as usize);
                crate::kernels::jpeg::round_trip(got.data_mut(), w, h, c, quality);
                assert!(got == expected, "image {i} ({w}×{h}×{c}) at quality {quality}");
            }
        }
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= b as u32;
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
}
