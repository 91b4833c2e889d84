//! The four task modes as pure functions on numpy-shaped arrays, with the course's rules and
//! errors. Arrays are indexed like numpy: (X, Y) = (row, column); sizes and centres are given in
//! that order. Nothing here is random: the samplers in `task.rs` choose the parameters.

use crate::error::{Error, Result};
use crate::image::copied;
use crate::npy::{Array, Dtype};

/// What a mode cuts out of an image.
#[derive(Clone, Debug, PartialEq)]
pub struct Cut {
    /// The model's input: the image with every unknown value set to 0.
    pub input: Array,
    /// `True` where the input holds the original value.
    pub known: Array,
    /// What the model must produce (shape per mode).
    pub target: Array,
    /// Mode-specific arrays, e.g. the crop-out's `crop_array`.
    pub extra: Vec<(&'static str, Array)>,
}

fn task_error(mode: &str, message: String) -> Error {
    Error::Task(format!("{mode}: {message}"))
}

fn shape_text(shape: &[usize]) -> String {
    match shape {
        [n] => format!("({n},)"),
        dims => format!("({})", dims.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")),
    }
}

fn pair(mode: &str, name: &str, values: &[i64]) -> Result<[i64; 2]> {
    match values {
        [a, b] => Ok([*a, *b]),
        _ => Err(task_error(mode, format!("{name} must have exactly two values (X, Y), got {}", values.len()))),
    }
}

/// Values of `image` where `known` is false, in C order (numpy's `image[~known]`).
fn unknown_values(image: &Array, known: &[u8]) -> Array {
    let data: Vec<u8> = image.data.iter().zip(known).filter(|(_, &k)| k == 0).map(|(&v, _)| v).collect();
    Array { dtype: image.dtype, shape: vec![data.len()], data }
}

fn zero_unknown(image: &Array, known: &[u8]) -> Array {
    let data = image.data.iter().zip(known).map(|(&v, &k)| if k == 0 { 0 } else { v }).collect();
    Array { dtype: image.dtype, shape: image.shape.clone(), data }
}

/// The course's crop-out: the rectangle `center - size//2 ..= center + size//2` on each axis is
/// cut from a 2-D image and must stay at least 20 pixels from every border.
///
/// ```
/// use augplay::npy::{Array, Dtype};
/// let image = Array::new(Dtype::U8, vec![50, 50], vec![7; 2500]).unwrap();
/// let cut = augplay::cropout::modes::cropout(&image, &[3, 5], &[25, 24]).unwrap();
/// assert_eq!(cut.target.shape, vec![3, 5]);
/// assert_eq!(cut.input.data[24 * 50 + 22], 0);
/// assert!(augplay::cropout::modes::cropout(&image, &[3, 5], &[20, 24]).is_err()); // 19 rows above, 20 needed
/// ```
pub fn cropout(image: &Array, crop_size: &[i64], crop_center: &[i64]) -> Result<Cut> {
    const MODE: &str = "cropout";
    let [h, w] = match image.shape.as_slice() {
        [h, w] => [*h, *w],
        other => return Err(task_error(MODE, format!("the image must be 2-D (height, width) grayscale, not of shape {}", shape_text(other)))),
    };
    let size = pair(MODE, "crop_size", crop_size)?;
    let center = pair(MODE, "crop_center", crop_center)?;
    if size.iter().any(|s| s % 2 == 0 || *s < 1) {
        return Err(task_error(MODE, format!("crop_size ({}, {}) must be two positive odd numbers", size[0], size[1])));
    }
    let dims = [h as i64, w as i64];
    let mut lo = [0usize; 2];
    let mut hi = [0usize; 2];
    for axis in 0..2 {
        let (c, half, dim) = (center[axis], size[axis] / 2, dims[axis]);
        let before = c - half;
        let after = dim - (c + half + 1);
        if before < 20 || after < 20 {
            let name = if axis == 0 { "X (rows)" } else { "Y (columns)" };
            return Err(task_error(
                MODE,
                format!(
                    "on axis {name} the rectangle {}..={} of an image {dim} long leaves {before} pixels before and {after} after it; at least 20 are needed on each side",
                    c - half,
                    c + half
                ),
            ));
        }
        lo[axis] = before as usize;
        hi[axis] = (c + half) as usize;
    }
    let mut crop = vec![0u8; h * w];
    let mut target = Vec::with_capacity(size[0] as usize * size[1] as usize);
    for x in lo[0]..=hi[0] {
        crop[x * w + lo[1]..=x * w + hi[1]].fill(1);
        target.extend_from_slice(&image.data[x * w + lo[1]..=x * w + hi[1]]);
    }
    let known: Vec<u8> = crop.iter().map(|&c| 1 - c).collect();
    Ok(Cut {
        input: zero_unknown(image, &known),
        known: Array { dtype: Dtype::Bool, shape: vec![h, w], data: known },
        target: Array { dtype: image.dtype, shape: vec![size[0] as usize, size[1] as usize], data: target },
        extra: vec![("crop_array", Array { dtype: image.dtype, shape: vec![h, w], data: crop })],
    })
}

/// Border extrapolation: the outer `border_x` = (before, after) rows and `border_y` columns are
/// unknown. Every value at least 1; the known centre at least 16 × 16. The target is the unknown
/// values in C order.
pub fn border(image: &Array, border_x: &[i64], border_y: &[i64]) -> Result<Cut> {
    const MODE: &str = "border";
    let [h, w] = match image.shape.as_slice() {
        [h, w] => [*h, *w],
        other => return Err(task_error(MODE, format!("the image must be 2-D (height, width) grayscale, not of shape {}", shape_text(other)))),
    };
    let bx = pair(MODE, "border_x", border_x)?;
    let by = pair(MODE, "border_y", border_y)?;
    if bx.iter().chain(&by).any(|&b| b < 1) {
        return Err(task_error(MODE, format!("border_x ({}, {}) and border_y ({}, {}) must all be at least 1", bx[0], bx[1], by[0], by[1])));
    }
    let known_h = h as i64 - bx[0] - bx[1];
    let known_w = w as i64 - by[0] - by[1];
    if known_h < 16 || known_w < 16 {
        return Err(task_error(
            MODE,
            format!("the known centre would be {known_h}×{known_w} pixels of a {h}×{w} image; it must be at least 16×16"),
        ));
    }
    let mut known = vec![0u8; h * w];
    for x in bx[0] as usize..h - bx[1] as usize {
        known[x * w + by[0] as usize..w - by[1] as usize + x * w].fill(1);
    }
    Ok(Cut {
        input: zero_unknown(image, &known),
        target: unknown_values(image, &known),
        known: Array { dtype: Dtype::Bool, shape: vec![h, w], data: known },
        extra: Vec::new(),
    })
}

/// Grid of known pixels on a channel-first RGB image (3, M, N): known where
/// `[:, offset[1]::spacing[1], offset[0]::spacing[0]]`. Offsets 0..=32, spacings 2..=8, at
/// least 144 known pixels. The target is the unknown values in channel-row-column order.
pub fn grid(image: &Array, offset: &[i64], spacing: &[i64]) -> Result<Cut> {
    const MODE: &str = "grid";
    let [m, n] = match image.shape.as_slice() {
        [3, m, n] => [*m, *n],
        other => return Err(task_error(MODE, format!("the image must be RGB, channel-first (3, M, N), not of shape {}", shape_text(other)))),
    };
    let offset = pair(MODE, "offset", offset)?;
    let spacing = pair(MODE, "spacing", spacing)?;
    if offset.iter().any(|o| !(0..=32).contains(o)) {
        return Err(task_error(MODE, format!("offset ({}, {}) must be two whole numbers from 0 to 32", offset[0], offset[1])));
    }
    if spacing.iter().any(|s| !(2..=8).contains(s)) {
        return Err(task_error(MODE, format!("spacing ({}, {}) must be two whole numbers from 2 to 8", spacing[0], spacing[1])));
    }
    let rows: Vec<usize> = (offset[1] as usize..m).step_by(spacing[1] as usize).collect();
    let cols: Vec<usize> = (offset[0] as usize..n).step_by(spacing[0] as usize).collect();
    let count = rows.len() * cols.len();
    if count < 144 {
        return Err(task_error(
            MODE,
            format!("offset ({}, {}) and spacing ({}, {}) leave {count} known pixels in a {m}×{n} image; at least 144 are needed", offset[0], offset[1], spacing[0], spacing[1]),
        ));
    }
    let mut known = vec![0u8; 3 * m * n];
    for c in 0..3 {
        for &r in &rows {
            for &col in &cols {
                known[(c * m + r) * n + col] = 1;
            }
        }
    }
    Ok(Cut {
        input: zero_unknown(image, &known),
        target: unknown_values(image, &known),
        known: Array { dtype: Dtype::Bool, shape: vec![3, m, n], data: known },
        extra: Vec::new(),
    })
}

/// Depixelation of a grayscale (1, H, W) image: inside the area `x, y, width, height` (x along
/// the width), each `size`×`size` block (clipped at the area's edge) becomes its mean, truncated
/// as numpy does when a float lands in a uint8 array. The target is the original area.
pub fn depixelate(image: &Array, x: i64, y: i64, width: i64, height: i64, size: i64) -> Result<Cut> {
    const MODE: &str = "depixelate";
    let [h, w] = match image.shape.as_slice() {
        [1, h, w] => [*h, *w],
        other => return Err(task_error(MODE, format!("the image must be grayscale (1, H, W), not of shape {}", shape_text(other)))),
    };
    if width < 2 || height < 2 || size < 2 {
        return Err(task_error(MODE, format!("width {width}, height {height} and size {size} must all be at least 2")));
    }
    if x < 0 || x + width > w as i64 {
        return Err(task_error(MODE, format!("the area's columns x = {x} .. x + width = {} must lie inside the image's width {w}", x + width)));
    }
    if y < 0 || y + height > h as i64 {
        return Err(task_error(MODE, format!("the area's rows y = {y} .. y + height = {} must lie inside the image's height {h}", y + height)));
    }
    let (x, y, width, height, size) = (x as usize, y as usize, width as usize, height as usize, size as usize);
    let mut pixelated = copied(&image.data);
    for by in (y..y + height).step_by(size) {
        for bx in (x..x + width).step_by(size) {
            let (ey, ex) = ((by + size).min(y + height), (bx + size).min(x + width));
            let mut sum = 0u64;
            for r in by..ey {
                sum += image.data[r * w + bx..r * w + ex].iter().map(|&v| v as u64).sum::<u64>();
            }
            let mean = (sum / ((ey - by) * (ex - bx)) as u64) as u8;
            for r in by..ey {
                pixelated[r * w + bx..r * w + ex].fill(mean);
            }
        }
    }
    let mut known = vec![1u8; h * w];
    let mut target = Vec::with_capacity(width * height);
    for r in y..y + height {
        known[r * w + x..r * w + x + width].fill(0);
        target.extend_from_slice(&image.data[r * w + x..r * w + x + width]);
    }
    Ok(Cut {
        input: Array { dtype: image.dtype, shape: image.shape.clone(), data: pixelated },
        known: Array { dtype: Dtype::Bool, shape: vec![1, h, w], data: known },
        target: Array { dtype: image.dtype, shape: vec![1, height, width], data: target },
        extra: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(shape: Vec<usize>) -> Array {
        let n = shape.iter().product();
        Array::new(Dtype::U8, shape, (0..n).map(|i| (i % 251) as u8).collect()).unwrap()
    }

    #[test]
    fn cropout_known_answer() {
        let img = ramp(vec![45, 46]);
        let cut = cropout(&img, &[3, 5], &[22, 23]).unwrap();
        // Rows 21..=23, columns 21..=25.
        assert_eq!(cut.target.shape, vec![3, 5]);
        assert_eq!(cut.target.data[0], img.data[21 * 46 + 21]);
        assert_eq!(cut.target.data[14], img.data[23 * 46 + 25]);
        let crop = &cut.extra[0].1;
        assert_eq!(crop.dtype, Dtype::U8);
        assert_eq!(crop.data.iter().filter(|&&v| v == 1).count(), 15);
        for i in 0..45 * 46 {
            let inside = crop.data[i] == 1;
            assert_eq!(cut.known.data[i], !inside as u8);
            assert_eq!(cut.input.data[i], if inside { 0 } else { img.data[i] });
        }
    }

    #[test]
    fn cropout_rules() {
        let img = ramp(vec![70, 80]);
        let err = |size: &[i64], center: &[i64]| cropout(&img, size, center).unwrap_err().to_string();
        assert!(err(&[4, 5], &[35, 40]).contains("crop_size (4, 5) must be two positive odd numbers"));
        assert!(err(&[5], &[35, 40]).contains("crop_size must have exactly two values (X, Y), got 1"));
        assert!(err(&[5, 5], &[35, 40, 1]).contains("crop_center must have exactly two values"));
        // Exactly 20 on both sides is allowed, 19 is not.
        assert!(cropout(&img, &[5, 5], &[22, 40]).is_ok());
        assert!(err(&[5, 5], &[21, 40]).contains("leaves 19 pixels before"));
        assert!(cropout(&img, &[5, 5], &[47, 40]).is_ok()); // 70 - (47 + 2 + 1) = 20
        assert!(err(&[5, 5], &[48, 40]).contains("and 19 after"));
        assert!(err(&[5, 5], &[35, 58]).contains("Y (columns)"));
        assert!(cropout(&ramp(vec![1, 70, 80]), &[5, 5], &[35, 40]).unwrap_err().to_string().contains("must be 2-D"));
    }

    #[test]
    fn border_rules_and_target_order() {
        let img = ramp(vec![20, 21]);
        let cut = border(&img, &[1, 2], &[2, 3]).unwrap();
        let known_count = cut.known.data.iter().filter(|&&k| k == 1).count();
        assert_eq!(known_count, 17 * 16);
        assert_eq!(cut.target.shape, vec![20 * 21 - 17 * 16]);
        assert_eq!(&cut.target.data[..3], &img.data[..3]); // row 0 is unknown, in C order
        assert!(border(&img, &[0, 1], &[1, 1]).unwrap_err().to_string().contains("must all be at least 1"));
        assert!(border(&img, &[2, 3], &[1, 1]).unwrap_err().to_string().contains("15×19"));
    }

    #[test]
    fn grid_rules() {
        let img = ramp(vec![3, 30, 40]);
        let cut = grid(&img, &[1, 2], &[3, 2]).unwrap();
        // Rows 2, 4, ..., 28 (14) × columns 1, 4, ..., 37 (13) = 182 known per channel.
        assert_eq!(cut.known.data.iter().filter(|&&k| k == 1).count(), 3 * 182);
        assert_eq!(cut.known.data[(2 * 30 + 2) * 40 + 1], 1);
        assert_eq!(cut.known.data[(2 * 30 + 2) * 40 + 2], 0);
        assert_eq!(cut.target.shape, vec![3 * (1200 - 182)]);
        assert!(grid(&img, &[1, 2], &[4, 4]).unwrap_err().to_string().contains("leave 70 known pixels"));
        assert!(grid(&img, &[33, 0], &[2, 2]).unwrap_err().to_string().contains("from 0 to 32"));
        assert!(grid(&img, &[0, 0], &[1, 2]).unwrap_err().to_string().contains("from 2 to 8"));
        assert!(grid(&ramp(vec![30, 40, 3]), &[0, 0], &[2, 2]).unwrap_err().to_string().contains("channel-first"));
    }

    #[test]
    fn depixelate_known_answer() {
        let img = Array::new(Dtype::U8, vec![1, 3, 5], vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]).unwrap();
        // Area columns 1..5, rows 0..3, blocks of 2: [2,3,7,8] → 5, [4,5,9,10] → 7, [12,13] → 12, [14,15] → 14.
        let cut = depixelate(&img, 1, 0, 4, 3, 2).unwrap();
        assert_eq!(cut.input.data, vec![1, 5, 5, 7, 7, 6, 5, 5, 7, 7, 11, 12, 12, 14, 14]);
        assert_eq!(cut.target.shape, vec![1, 3, 4]);
        assert_eq!(cut.target.data, vec![2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 14, 15]);
        assert_eq!(cut.known.data.iter().filter(|&&k| k == 1).count(), 3);
        assert!(depixelate(&img, 2, 0, 4, 3, 2).unwrap_err().to_string().contains("inside the image's width 5"));
        assert!(depixelate(&img, 0, 0, 4, 3, 1).unwrap_err().to_string().contains("at least 2"));
    }
}
