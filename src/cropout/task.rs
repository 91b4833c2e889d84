//! Task specifications, samplers and "augment, then cut".
//!
//! ```json
//! {"mode": "cropout", "crop_size": [9, 11], "crop_center": [50, 40]}
//! {"mode": "cropout", "noise": "input_only"}
//! ```
//! Parameters left out are drawn for each sample from the mode's challenge distribution. With
//! `image_size: "challenge"` (the default when any parameter is drawn) the image is first scaled
//! and cropped to the distribution's size: crop-out and border 70–100 pixels a side, grid 100×100
//! RGB, depixelation 64×64. `"keep"` (the default when every parameter is given) uses the image as
//! it is. `noise`: `"off"` (default) leaves noise and dropout steps out, `"before"` runs the whole
//! pipeline before cutting, `"input_only"` runs them on the input after cutting (a denoising
//! variant: the target stays clean, dropped pixels become unknown in the known mask).

use serde_json::{json, Map, Value};

use super::modes::{self, Cut};
use crate::error::{Error, Result};
use crate::image::{copied, Image, Sample, MASK_ON};
use crate::kernels::{gray, resize};
use crate::npy::{self, Array, Dtype};
use crate::pipeline::{LogEntry, Pipeline};
use crate::rng::{derive_seed, Rng};
use crate::transforms::{self, spec::Family};

/// The task modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Cropout,
    Border,
    Grid,
    Depixelate,
}

impl Mode {
    pub const ALL: [Mode; 4] = [Mode::Cropout, Mode::Border, Mode::Grid, Mode::Depixelate];

    pub fn name(self) -> &'static str {
        match self {
            Mode::Cropout => "cropout",
            Mode::Border => "border",
            Mode::Grid => "grid",
            Mode::Depixelate => "depixelate",
        }
    }

    /// The parameters the mode takes: (name, number of values; 2 = an (X, Y) pair).
    pub fn params(self) -> &'static [(&'static str, usize)] {
        match self {
            Mode::Cropout => &[("crop_size", 2), ("crop_center", 2)],
            Mode::Border => &[("border_x", 2), ("border_y", 2)],
            Mode::Grid => &[("offset", 2), ("spacing", 2)],
            Mode::Depixelate => &[("x", 1), ("y", 1), ("width", 1), ("height", 1), ("size", 1)],
        }
    }

    fn from_name(name: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// Where noise and dropout steps of the pipeline run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoiseMode {
    Off,
    Before,
    InputOnly,
}

impl NoiseMode {
    fn name(self) -> &'static str {
        match self {
            NoiseMode::Off => "off",
            NoiseMode::Before => "before",
            NoiseMode::InputOnly => "input_only",
        }
    }
}

/// The four pictures of a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Original,
    Input,
    Known,
    Target,
}

impl Part {
    pub const ALL: [Part; 4] = [Part::Original, Part::Input, Part::Known, Part::Target];
    pub fn name(self) -> &'static str {
        match self {
            Part::Original => "original",
            Part::Input => "input",
            Part::Known => "known",
            Part::Target => "target",
        }
    }
    pub fn from_name(name: &str) -> Result<Part> {
        Part::ALL.into_iter().find(|p| p.name() == name).ok_or_else(|| {
            Error::Argument(format!("unknown part '{name}'; parts are original, input, known, target"))
        })
    }
}

/// A validated task with the pipeline split for it, ready to make pairs.
pub struct TaskRunner {
    mode: Mode,
    fixed: Map<String, Value>,
    noise: NoiseMode,
    challenge_size: bool,
    before: Pipeline,
    after: Pipeline,
    spec: Value,
}

/// One input / known / target pair and how it was made.
#[derive(Clone, Debug)]
pub struct TaskPair {
    pub mode: Mode,
    /// The mode's parameters as used, e.g. `{"crop_size": [9, 11], "crop_center": [50, 40]}`.
    pub params: Value,
    /// Replay logs of the pipeline before cutting and (noise `input_only`) on the input after.
    pub log_before: Vec<LogEntry>,
    pub log_after: Vec<LogEntry>,
    /// The augmented image in the mode's layout, before cutting.
    pub original: Array,
    pub input: Array,
    pub known: Array,
    pub target: Array,
    pub extra: Vec<(&'static str, Array)>,
}

fn spec_error(message: String) -> Error {
    Error::Argument(format!("task: {message}"))
}

fn whole_numbers(name: &str, v: &Value) -> Result<Vec<i64>> {
    let one = |x: &Value| -> Result<i64> {
        match x.as_f64() {
            Some(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e9 => Ok(f as i64),
            _ => Err(spec_error(format!("'{name}' must hold whole numbers, not {x}"))),
        }
    };
    match v {
        Value::Array(items) => items.iter().map(one).collect(),
        other => Ok(vec![one(other)?]),
    }
}

/// Is this (normalised) recipe step made only of noise and dropout transforms?
fn noise_like(step: &Value) -> bool {
    match step.get("name").and_then(Value::as_str) {
        Some("OneOf" | "SomeOf") => step["transforms"].as_array().is_some_and(|c| c.iter().all(noise_like)),
        Some(name) => transforms::find(name).is_some_and(|e| matches!(e.info.family, Family::Noise | Family::Dropout)),
        None => false,
    }
}

impl TaskRunner {
    /// Validates a task specification against a pipeline's (normalised) recipe.
    pub fn new(spec: &Value, pipeline: &Pipeline) -> Result<TaskRunner> {
        let Value::Object(obj) = spec else {
            return Err(spec_error("the task must be an object like {\"mode\": \"cropout\"}".into()));
        };
        let mode_name = obj.get("mode").and_then(Value::as_str).ok_or_else(|| spec_error("missing 'mode'; modes are cropout, border, grid, depixelate".into()))?;
        let mode = Mode::from_name(mode_name).ok_or_else(|| spec_error(format!("unknown mode '{mode_name}'; modes are cropout, border, grid, depixelate")))?;
        let mut fixed = Map::new();
        let mut noise = NoiseMode::Off;
        let mut image_size = None;
        for (key, value) in obj {
            match key.as_str() {
                "mode" => {}
                "noise" => {
                    noise = match value.as_str() {
                        Some("off") => NoiseMode::Off,
                        Some("before") => NoiseMode::Before,
                        Some("input_only") => NoiseMode::InputOnly,
                        _ => return Err(spec_error(format!("'noise' is {value}; allowed: \"off\", \"before\", \"input_only\""))),
                    }
                }
                "image_size" => {
                    image_size = match value.as_str() {
                        Some("keep") => Some(false),
                        Some("challenge") => Some(true),
                        _ => return Err(spec_error(format!("'image_size' is {value}; allowed: \"keep\", \"challenge\""))),
                    }
                }
                name if mode.params().iter().any(|(p, _)| *p == name) => {
                    let values = whole_numbers(name, value)?;
                    fixed.insert(name.to_string(), json!(values));
                }
                other => {
                    let allowed: Vec<&str> = mode.params().iter().map(|(p, _)| *p).chain(["noise", "image_size"]).collect();
                    return Err(spec_error(format!("unknown field '{other}' for mode {mode_name}; allowed: {}", allowed.join(", "))));
                }
            }
        }
        let all_fixed = mode.params().iter().all(|(p, _)| fixed.contains_key(*p));
        let challenge_size = image_size.unwrap_or(!all_fixed);

        let steps = pipeline.recipe()["transforms"].as_array().cloned().unwrap_or_default();
        let (noisy, clean): (Vec<Value>, Vec<Value>) = steps.into_iter().partition(noise_like);
        let (before, after) = match noise {
            NoiseMode::Off => (clean, Vec::new()),
            NoiseMode::Before => (pipeline.recipe()["transforms"].as_array().cloned().unwrap_or_default(), Vec::new()),
            NoiseMode::InputOnly => (clean, noisy),
        };
        let mut normalised = Map::new();
        normalised.insert("mode".into(), json!(mode.name()));
        for (name, _) in mode.params() {
            if let Some(v) = fixed.get(*name) {
                normalised.insert((*name).into(), v.clone());
            }
        }
        normalised.insert("noise".into(), json!(noise.name()));
        normalised.insert("image_size".into(), json!(if challenge_size { "challenge" } else { "keep" }));
        Ok(TaskRunner {
            mode,
            fixed,
            noise,
            challenge_size,
            before: Pipeline::from_value(&json!({ "transforms": before }))?,
            after: Pipeline::from_value(&json!({ "transforms": after }))?,
            spec: Value::Object(normalised),
        })
    }

    /// The specification with defaults filled in.
    pub fn spec(&self) -> &Value {
        &self.spec
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Makes the pair of one sample: prepare the size, augment, cut, then noise on the input.
    pub fn run(&self, image: &Image, seed: u64) -> Result<TaskPair> {
        let mut sampler = Rng::new(derive_seed(seed, 1));
        let prepared = if self.challenge_size { self.challenge_image(image, &mut sampler) } else { image.clone() };
        let mut sample = Sample::new(prepared);
        let log_before = self.before.apply_to_sample(&mut sample, seed)?;
        let original = self.layout(&sample.image);
        let params = self.params_for(&original, &mut sampler)?;
        let Cut { mut input, mut known, target, extra } = self.cut(&original, &params)?;
        let mut log_after = Vec::new();
        if self.noise == NoiseMode::InputOnly {
            let mut noisy = Sample::new(to_image(&input));
            log_after = self.after.apply_to_sample(&mut noisy, derive_seed(seed, 2))?;
            let dropped = noisy.mask("dropout").map(|m| copied(m.data()));
            input.data = from_image(&noisy.image, &input.shape);
            if self.mode != Mode::Depixelate {
                // The hole stays 0: unknown means 0 in the input.
                input.data.iter_mut().zip(&known.data).filter(|(_, &k)| k == 0).for_each(|(v, _)| *v = 0);
            }
            if let Some(dropped) = dropped {
                let plane = dropped.len();
                for (i, k) in known.data.iter_mut().enumerate() {
                    if dropped[i % plane] == MASK_ON {
                        *k = 0;
                    }
                }
            }
        }
        Ok(TaskPair { mode: self.mode, params, log_before, log_after, original, input, known, target, extra })
    }

    /// Scales to cover the challenge size, then crops a random window of it.
    fn challenge_image(&self, image: &Image, rng: &mut Rng) -> Image {
        let (h, w) = match self.mode {
            Mode::Cropout | Mode::Border => (rng.int_inclusive(70, 100) as u32, rng.int_inclusive(70, 100) as u32),
            Mode::Grid => (100, 100),
            Mode::Depixelate => (64, 64),
        };
        let scale = (w as f64 / image.width() as f64).max(h as f64 / image.height() as f64);
        let sw = ((image.width() as f64 * scale).ceil() as u32).max(w);
        let sh = ((image.height() as f64 * scale).ceil() as u32).max(h);
        let scaled = resize::area(image, sw, sh);
        let x = rng.int_inclusive(0, (sw - w) as i64) as u32;
        let y = rng.int_inclusive(0, (sh - h) as i64) as u32;
        resize::crop(&scaled, x, y, w, h)
    }

    /// The image as the mode's array: 2-D gray, (1, H, W) gray, or (3, M, N) RGB.
    fn layout(&self, image: &Image) -> Array {
        let (w, h) = (image.width() as usize, image.height() as usize);
        match self.mode {
            Mode::Cropout | Mode::Border => Array { dtype: Dtype::U8, shape: vec![h, w], data: gray::srgb_luminance(image).into_data() },
            Mode::Depixelate => Array { dtype: Dtype::U8, shape: vec![1, h, w], data: gray::srgb_luminance(image).into_data() },
            Mode::Grid => {
                let c = image.channels() as usize;
                let mut data = vec![0u8; 3 * h * w];
                for (i, px) in image.data().chunks_exact(c).enumerate() {
                    for ch in 0..3 {
                        data[ch * h * w + i] = px[if c == 1 { 0 } else { ch }];
                    }
                }
                Array { dtype: Dtype::U8, shape: vec![3, h, w], data }
            }
        }
    }

    /// The given parameters, with the missing ones drawn from the challenge distribution.
    fn params_for(&self, original: &Array, rng: &mut Rng) -> Result<Value> {
        let (h, w) = match original.shape.as_slice() {
            [h, w] | [_, h, w] => (*h as i64, *w as i64),
            _ => unreachable!("layouts are 2-D or 3-D"),
        };
        let mut params = self.fixed.clone();
        // Draws a parameter unless the task fixes it.
        fn draw(params: &mut Map<String, Value>, rng: &mut Rng, name: &str, f: &mut dyn FnMut(&mut Rng) -> Result<Value>) -> Result<()> {
            if !params.contains_key(name) {
                let v = f(rng)?;
                params.insert(name.into(), v);
            }
            Ok(())
        }
        let too_small = |need: String| Error::Task(format!("{}: the image is {h}×{w}; {need}", self.mode.name()));
        match self.mode {
            Mode::Cropout => {
                draw(&mut params, rng, "crop_size", &mut |r| Ok(json!([5 + 2 * r.int_inclusive(0, 8), 5 + 2 * r.int_inclusive(0, 8)])))?;
                let size = whole_numbers("crop_size", &params["crop_size"])?;
                draw(&mut params, rng, "crop_center", &mut |r| {
                    let mut center = Vec::new();
                    for (axis, dim) in [h, w].into_iter().enumerate() {
                        let half = size.get(axis).copied().unwrap_or(1) / 2;
                        let (lo, hi) = (20 + half, dim - 21 - half);
                        if lo > hi {
                            return Err(too_small(format!("a crop of {} needs at least {} pixels on axis {axis}", 2 * half + 1, 41 + 2 * half)));
                        }
                        center.push(r.int_inclusive(lo, hi));
                    }
                    Ok(json!(center))
                })?;
            }
            Mode::Border => {
                for (name, dim) in [("border_x", h), ("border_y", w)] {
                    draw(&mut params, rng, name, &mut |r| {
                        let most = ((dim - 16) / 2).min(10);
                        if most < 1 {
                            return Err(too_small("a border task needs at least 18 pixels a side".into()));
                        }
                        Ok(json!([r.int_inclusive(1.max(most.min(5)), most), r.int_inclusive(1.max(most.min(5)), most)]))
                    })?;
                }
            }
            Mode::Grid => {
                draw(&mut params, rng, "offset", &mut |r| Ok(json!([r.int_inclusive(0, 8), r.int_inclusive(0, 8)])))?;
                draw(&mut params, rng, "spacing", &mut |r| Ok(json!([r.int_inclusive(2, 6), r.int_inclusive(2, 6)])))?;
            }
            Mode::Depixelate => {
                draw(&mut params, rng, "width", &mut |r| Ok(json!(r.int_inclusive(4.min(w), 32.min(w)))))?;
                draw(&mut params, rng, "height", &mut |r| Ok(json!(r.int_inclusive(4.min(h), 32.min(h)))))?;
                draw(&mut params, rng, "size", &mut |r| Ok(json!(r.int_inclusive(4, 16))))?;
                let width = whole_numbers("width", &params["width"])?[0];
                let height = whole_numbers("height", &params["height"])?[0];
                draw(&mut params, rng, "x", &mut |r| Ok(json!(r.int_inclusive(0, (w - width).max(0)))))?;
                draw(&mut params, rng, "y", &mut |r| Ok(json!(r.int_inclusive(0, (h - height).max(0)))))?;
            }
        }
        // Keep the declared order.
        let ordered: Map<String, Value> = self.mode.params().iter().map(|(p, _)| ((*p).to_string(), params[*p].clone())).collect();
        Ok(Value::Object(ordered))
    }

    fn cut(&self, original: &Array, params: &Value) -> Result<Cut> {
        let get = |name: &str| whole_numbers(name, &params[name]);
        let one = |name: &str| -> Result<i64> {
            let v = get(name)?;
            match v.as_slice() {
                [x] => Ok(*x),
                _ => Err(spec_error(format!("'{name}' must be one whole number, got {} values", v.len()))),
            }
        };
        match self.mode {
            Mode::Cropout => modes::cropout(original, &get("crop_size")?, &get("crop_center")?),
            Mode::Border => modes::border(original, &get("border_x")?, &get("border_y")?),
            Mode::Grid => modes::grid(original, &get("offset")?, &get("spacing")?),
            Mode::Depixelate => modes::depixelate(original, one("x")?, one("y")?, one("width")?, one("height")?, one("size")?),
        }
    }
}

/// A gray (H, W) / (1, H, W) or channel-first RGB (3, M, N) array as an interleaved image.
pub fn to_image(a: &Array) -> Image {
    match a.shape.as_slice() {
        [h, w] | [1, h, w] => Image::new(*w as u32, *h as u32, 1, copied(&a.data)).expect("shape matches data"),
        [3, h, w] => {
            let plane = h * w;
            let data = (0..plane).flat_map(|i| [a.data[i], a.data[plane + i], a.data[2 * plane + i]]).collect();
            Image::new(*w as u32, *h as u32, 3, data).expect("shape matches data")
        }
        other => unreachable!("no task array has shape {other:?}"),
    }
}

fn from_image(img: &Image, shape: &[usize]) -> Vec<u8> {
    match shape {
        [3, h, w] => {
            let plane = h * w;
            let mut out = vec![0u8; 3 * plane];
            for (i, px) in img.data().chunks_exact(3).enumerate() {
                for c in 0..3 {
                    out[c * plane + i] = px[c];
                }
            }
            out
        }
        _ => copied(img.data()),
    }
}

impl TaskPair {
    /// The arrays of the pair by file name: original, input, known, target, then extras.
    pub fn arrays(&self) -> Vec<(&str, &Array)> {
        let mut out = vec![("original", &self.original), ("input", &self.input), ("known", &self.known), ("target", &self.target)];
        out.extend(self.extra.iter().map(|(n, a)| (*n, a)));
        out
    }

    /// All arrays as one `.npz`.
    pub fn npz(&self) -> Result<Vec<u8>> {
        npy::npz(&self.arrays())
    }

    /// A picture of one part: the known mask white where known; a 1-D target (border, grid) is
    /// shown in place, black where the pixel is known.
    pub fn picture(&self, part: Part) -> Image {
        match part {
            Part::Original => to_image(&self.original),
            Part::Input => to_image(&self.input),
            Part::Known => {
                let plane = self.known.data.len() / if self.known.shape.len() == 3 { self.known.shape[0] } else { 1 };
                let (h, w) = (self.known.shape[self.known.shape.len() - 2], self.known.shape[self.known.shape.len() - 1]);
                let data = self.known.data[..plane].iter().map(|&k| k * MASK_ON).collect();
                Image::new(w as u32, h as u32, 1, data).expect("shape matches data")
            }
            Part::Target if self.target.shape.len() == 1 => {
                let data = self.original.data.iter().zip(&self.known.data).map(|(&v, &k)| if k == 1 { 0 } else { v }).collect();
                to_image(&Array { dtype: Dtype::U8, shape: self.original.shape.clone(), data })
            }
            Part::Target => to_image(&self.target),
        }
    }

    /// What a manifest records of this pair.
    pub fn describe(&self) -> Value {
        let arrays: Map<String, Value> = self
            .arrays()
            .into_iter()
            .map(|(n, a)| (n.to_string(), json!({ "dtype": a.dtype.name(), "shape": a.shape })))
            .collect();
        json!({
            "mode": self.mode.name(),
            "params": self.params,
            "log": self.log_before,
            "log_input_only": self.log_after,
            "arrays": arrays,
        })
    }
}
