//! JavaScript bindings: thin conversions between JS values and the core, every error a JS `Error`.
//!
//! Two ways to apply a pipeline:
//! - `pipeline.apply(rgba, width, height, seed)`: convenient, copies the pixels in and out;
//! - `RgbaImage.fromRgba(rgba, width, height)` once, then `pipeline.applyTo(image, seed)` per
//!   sample: the source stays in wasm memory and `result.rgbaView()` is a view of the output
//!   without a copy (valid until the next call into the module);
//! - `pipeline.applyInto(image, seed, result)` in loops over many samples: as `applyTo`, into a
//!   result object from an earlier call, so no JS object is made (and registered for garbage
//!   collection) per sample.

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::Clamped;

use crate::cropout::{Part, TaskPair, TaskRunner};
use crate::error::Error;
use crate::image::{Image, Sample};
use crate::rng;

fn js_error(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("internal: cannot convert to JavaScript: {e}")))
}

/// A validated augmentation pipeline.
#[wasm_bindgen]
pub struct Pipeline {
    inner: crate::Pipeline,
}

#[wasm_bindgen]
impl Pipeline {
    /// Parses a recipe (`{"transforms": [...]}`); throws an `Error` naming the bad field.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(json: &str) -> Result<Pipeline, JsError> {
        crate::Pipeline::from_json(json).map(|inner| Pipeline { inner }).map_err(js_error)
    }

    /// The recipe with every default filled in, as JSON.
    #[wasm_bindgen(js_name = recipeJson)]
    pub fn recipe_json(&self) -> String {
        self.inner.recipe().to_string()
    }

    /// Augments RGBA pixels (`Uint8Array` or `Uint8ClampedArray`, width × height × 4 bytes) with the
    /// sample's own seed (a whole number below 2^53). Gray content is augmented as one channel,
    /// as the command line does; the result is RGBA.
    pub fn apply(&self, rgba: &[u8], width: u32, height: u32, seed: f64) -> Result<Augmented, JsError> {
        let image = Image::new(width, height, 4, crate::image::copied(rgba)).map_err(js_error)?;
        self.run(image.into_working_layout(), seed)
    }

    /// Augments an image already in wasm memory; the source is left unchanged.
    #[wasm_bindgen(js_name = applyTo)]
    pub fn apply_to(&self, image: &RgbaImage, seed: f64) -> Result<Augmented, JsError> {
        self.run(image.inner.clone(), seed)
    }

    /// As `applyTo`, into `result` (from an earlier `apply`, `applyTo` or `applyInto`), whose
    /// pixels and log it replaces; on an error `result` is left as it was (so its earlier pixels
    /// are held until the new ones are made). Views of its earlier pixels are stale afterwards.
    #[wasm_bindgen(js_name = applyInto)]
    pub fn apply_into(&self, image: &RgbaImage, seed: f64, result: &mut Augmented) -> Result<(), JsError> {
        *result = self.run(image.inner.clone(), seed)?;
        Ok(())
    }

    fn run(&self, image: Image, seed: f64) -> Result<Augmented, JsError> {
        let seed = rng::seed_from_f64(seed).map_err(js_error)?;
        let mut sample = Sample::new(image);
        let log = self.inner.apply_to_sample(&mut sample, seed).map_err(js_error)?;
        let image = if sample.image.channels() == 4 { sample.image } else { sample.image.to_channels(4).map_err(js_error)? };
        Ok(Augmented { image, log })
    }
}

/// RGBA pixels kept in wasm memory, to augment many times without copying them in again.
#[wasm_bindgen]
pub struct RgbaImage {
    inner: Image,
}

#[wasm_bindgen]
impl RgbaImage {
    /// Copies width × height × 4 RGBA bytes into wasm memory once (one copy: the buffer the
    /// bindings fill becomes the image). Gray content is kept as one channel (see
    /// `Image::into_working_layout`); results are RGBA either way.
    #[wasm_bindgen(js_name = fromRgba)]
    pub fn from_rgba(rgba: Vec<u8>, width: u32, height: u32) -> Result<RgbaImage, JsError> {
        let image = Image::new(width, height, 4, rgba).map_err(js_error)?;
        Ok(RgbaImage { inner: image.into_working_layout() })
    }

    /// True when the image is augmented as grayscale (every pixel R = G = B and opaque).
    #[wasm_bindgen(getter, js_name = isGray)]
    pub fn is_gray(&self) -> bool {
        self.inner.channels() == 1
    }

    #[wasm_bindgen(getter)]
    pub fn width(&self) -> u32 {
        self.inner.width()
    }

    #[wasm_bindgen(getter)]
    pub fn height(&self) -> u32 {
        self.inner.height()
    }
}

/// One augmented sample: its pixels, size and replay log.
#[wasm_bindgen]
pub struct Augmented {
    image: Image,
    /// Turned into JSON when asked for: most loops never read it.
    log: Vec<crate::pipeline::LogEntry>,
}

#[wasm_bindgen]
impl Augmented {
    #[wasm_bindgen(getter)]
    pub fn width(&self) -> u32 {
        self.image.width()
    }

    #[wasm_bindgen(getter)]
    pub fn height(&self) -> u32 {
        self.image.height()
    }

    /// A copy of the RGBA pixels.
    pub fn rgba(&self) -> js_sys::Uint8ClampedArray {
        js_sys::Uint8ClampedArray::from(self.image.data())
    }

    /// The RGBA pixels as a view into wasm memory, no copy. Use it (or copy it) before calling
    /// into the module again: a call that grows memory detaches the view. Read only: when no
    /// step changed the pixels, the view shows the source image's own buffer.
    #[wasm_bindgen(js_name = rgbaView)]
    pub fn rgba_view(&self) -> js_sys::Uint8ClampedArray {
        // `Uint8ClampedArray::view` hands back a plain Uint8Array, which `ImageData` refuses, so
        // the clamped view is made over the memory buffer directly. It borrows `self.image`'s
        // buffer, which lives as long as this object.
        let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
        let data = self.image.data();
        js_sys::Uint8ClampedArray::new_with_byte_offset_and_length(&memory.buffer(), data.as_ptr() as u32, data.len() as u32)
    }

    /// The pixels as an `ImageData`, ready for `putImageData`.
    #[wasm_bindgen(js_name = imageData)]
    pub fn image_data(&self) -> Result<web_sys::ImageData, JsError> {
        web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(self.image.data()), self.image.width(), self.image.height())
            .map_err(|e| JsError::new(&format!("cannot create ImageData: {e:?}")))
    }

    /// The replay log as JSON: for each step, whether it ran and the parameters it sampled.
    #[wasm_bindgen(getter)]
    pub fn log(&self) -> Result<String, JsError> {
        serde_json::to_string(&self.log).map_err(|e| JsError::new(&format!("internal: {e}")))
    }

    /// The sample as a PNG file, in its smallest exact layout (gray, RGB or RGBA): the bytes the
    /// command line writes for the same image, recipe and seed.
    pub fn png(&self) -> Result<Vec<u8>, JsError> {
        crate::codec::encode_png(&self.image.compact_layout()).map_err(js_error)
    }

    /// The sample as a `.npy` file of uint8, shape (height, width) for gray, else
    /// (height, width, 3 or 4).
    pub fn npy(&self) -> Result<Vec<u8>, JsError> {
        let img = self.image.compact_layout();
        let (h, w, c) = (img.height() as usize, img.width() as usize, img.channels() as usize);
        let shape = if c == 1 { vec![h, w] } else { vec![h, w, c] };
        let array = crate::npy::Array::new(crate::npy::Dtype::U8, shape, img.into_data()).map_err(js_error)?;
        Ok(array.to_npy())
    }
}

/// The augplay version (recorded in exported manifests).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Every transform with its family, description and parameters (type, default, range).
#[wasm_bindgen(js_name = transformCatalog)]
pub fn transform_catalog() -> Result<JsValue, JsError> {
    to_js(&crate::transforms::catalog())
}

/// The seed of sample `sample_index` of image `image_index` under `recipe_seed`, as the command
/// line derives it.
#[wasm_bindgen(js_name = sampleSeed)]
pub fn sample_seed(recipe_seed: f64, image_index: u32, sample_index: u32) -> Result<f64, JsError> {
    let seed = rng::seed_from_f64(recipe_seed).map_err(js_error)?;
    Ok(rng::sample_seed(seed, image_index as u64, sample_index as u64) as f64)
}

/// A seed from the browser's crypto, for when the user gives none.
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> Result<f64, JsError> {
    rng::random_seed().map(|s| s as f64).map_err(js_error)
}

/// The largest seed accepted (2^53 - 1).
#[wasm_bindgen(js_name = maxSeed)]
pub fn max_seed() -> f64 {
    rng::MAX_SEED as f64
}

/// The largest image accepted, as `{maxSide, maxPixels}`.
#[wasm_bindgen(js_name = imageLimits)]
pub fn image_limits() -> Result<JsValue, JsError> {
    to_js(&serde_json::json!({ "maxSide": crate::image::MAX_SIDE, "maxPixels": crate::image::MAX_PIXELS }))
}

/// An inpainting task (crop-out, border, grid or depixelation) bound to a pipeline.
#[wasm_bindgen]
pub struct Task {
    inner: TaskRunner,
}

#[wasm_bindgen]
impl Task {
    /// Validates a task specification (`{"mode": "cropout", ...}`) for a pipeline; throws an
    /// `Error` naming the bad field.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(task: &str, pipeline: &Pipeline) -> Result<Task, JsError> {
        let value: serde_json::Value =
            serde_json::from_str(task).map_err(|e| js_error(Error::Argument(format!("task: not valid JSON: {e}"))))?;
        TaskRunner::new(&value, &pipeline.inner).map(|inner| Task { inner }).map_err(js_error)
    }

    /// The specification with defaults filled in, as JSON.
    #[wasm_bindgen(js_name = specJson)]
    pub fn spec_json(&self) -> String {
        self.inner.spec().to_string()
    }

    /// Makes one pair from the image with the sample's seed; throws if the parameters break the
    /// mode's rules.
    pub fn run(&self, image: &RgbaImage, seed: f64) -> Result<TaskResult, JsError> {
        let seed = rng::seed_from_f64(seed).map_err(js_error)?;
        self.inner.run(&image.inner, seed).map(|pair| TaskResult { pair }).map_err(js_error)
    }
}

/// One input / known / target pair.
#[wasm_bindgen]
pub struct TaskResult {
    pair: TaskPair,
}

#[wasm_bindgen]
impl TaskResult {
    /// A picture of "original", "input", "known" or "target", as RGBA.
    pub fn picture(&self, part: &str) -> Result<Picture, JsError> {
        let part = Part::from_name(part).map_err(js_error)?;
        let image = self.pair.picture(part).to_channels(4).map_err(js_error)?;
        Ok(Picture { image })
    }

    /// All arrays of the pair as an `.npz` file.
    pub fn npz(&self) -> Result<Vec<u8>, JsError> {
        self.pair.npz().map_err(js_error)
    }

    /// One array ("original", "input", "known", "target", or the crop-out's "crop_array") as `.npy`.
    pub fn npy(&self, name: &str) -> Result<Vec<u8>, JsError> {
        let arrays = self.pair.arrays();
        let names: Vec<&str> = arrays.iter().map(|(n, _)| *n).collect();
        arrays
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, a)| a.to_npy())
            .ok_or_else(|| JsError::new(&format!("no array '{name}'; this pair has {}", names.join(", "))))
    }

    /// Mode, parameters, replay logs and array dtypes and shapes, as JSON.
    #[wasm_bindgen(js_name = describeJson)]
    pub fn describe_json(&self) -> String {
        self.pair.describe().to_string()
    }
}

/// An RGBA picture.
#[wasm_bindgen]
pub struct Picture {
    image: Image,
}

#[wasm_bindgen]
impl Picture {
    #[wasm_bindgen(getter)]
    pub fn width(&self) -> u32 {
        self.image.width()
    }

    #[wasm_bindgen(getter)]
    pub fn height(&self) -> u32 {
        self.image.height()
    }

    /// A copy of the RGBA pixels.
    pub fn rgba(&self) -> js_sys::Uint8ClampedArray {
        js_sys::Uint8ClampedArray::from(self.image.data())
    }
}
