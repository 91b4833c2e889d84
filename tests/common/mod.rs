//! Shared by the native and the wasm test suites: the golden determinism case.
#![allow(dead_code)]

/// A recipe that uses every foundation transform and decides both ways on `p`.
pub const GOLDEN_RECIPE: &str = r#"{"transforms": [
    {"name": "HorizontalFlip", "p": 0.5},
    {"name": "VerticalFlip", "p": 0.5},
    {"name": "RandomBrightnessContrast", "p": 1.0, "brightness_limit": 0.3, "contrast_limit": [-0.3, 0.5]},
    {"name": "GaussNoise", "p": 1.0, "std_range": [0.05, 0.2], "mean_range": [-0.05, 0.05]}
]}"#;

/// The fixture photo the golden case runs on.
pub const GOLDEN_IMAGE: &[u8] = include_bytes!("../fixtures/chelsea_128x96.png");

/// The recipe seed; samples 0..GOLDEN_SAMPLES of image 0 are hashed together.
pub const GOLDEN_SEED: u64 = 20261129;
pub const GOLDEN_SAMPLES: u64 = 8;

/// FNV-1a over every sample's bytes. Natively and in wasm this must be the same number; if a
/// deliberate change to a kernel moves it, update it here and say why in the commit.
pub const GOLDEN_HASH: u64 = 0xf62b_ebe1_cf34_2e4d;

pub fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, &b| (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3))
}

pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// Runs the golden case with the public API and returns its hash.
pub fn golden_hash() -> u64 {
    let pipeline = augplay::Pipeline::from_json(GOLDEN_RECIPE).unwrap();
    let image = augplay::codec::decode(GOLDEN_IMAGE).unwrap();
    let mut hash = FNV_OFFSET;
    for k in 0..GOLDEN_SAMPLES {
        let seed = augplay::rng::sample_seed(GOLDEN_SEED, 0, k);
        let out = pipeline.apply(image.clone(), seed).unwrap();
        hash = fnv1a(hash, out.sample.image.data());
    }
    hash
}

/// The golden task case: every mode, random parameters, the golden recipe before cutting.
pub const GOLDEN_TASKS: [&str; 4] = [
    r#"{"mode": "cropout", "noise": "input_only"}"#,
    r#"{"mode": "border", "noise": "before"}"#,
    r#"{"mode": "grid"}"#,
    r#"{"mode": "depixelate"}"#,
];
pub const GOLDEN_TASK_HASH: u64 = 0x13d3_11c4_9e6e_6a70;

/// Hashes every array of two pairs per mode.
pub fn golden_task_hash() -> u64 {
    let pipeline = augplay::Pipeline::from_json(GOLDEN_RECIPE).unwrap();
    let image = augplay::codec::decode(GOLDEN_IMAGE).unwrap();
    let mut hash = FNV_OFFSET;
    for spec in GOLDEN_TASKS {
        let runner = augplay::cropout::TaskRunner::new(&serde_json::from_str(spec).unwrap(), &pipeline).unwrap();
        for k in 0..2 {
            let pair = runner.run(&image, augplay::rng::sample_seed(GOLDEN_SEED, 0, k)).unwrap();
            for (_, array) in pair.arrays() {
                hash = fnv1a(hash, &array.data);
            }
        }
    }
    hash
}

/// Every pixel-level transform and the geometric ones once, to hold native and wasm to the same
/// bytes for each kernel.
pub const GOLDEN_EACH: &[&str] = &[
    r#"{"name": "AdditiveNoise", "spatial_mode": "per_pixel", "noise_type": "laplace"}"#,
    r#"{"name": "AdditiveNoise", "spatial_mode": "constant", "noise_type": "gaussian"}"#,
    r#"{"name": "MultiplicativeNoise", "elementwise": true, "per_channel": true}"#,
    r#"{"name": "SaltAndPepper"}"#,
    r#"{"name": "ShotNoise"}"#,
    r#"{"name": "BinaryNoise"}"#,
    r#"{"name": "ColorJitter"}"#,
    r#"{"name": "HueSaturationValue"}"#,
    r#"{"name": "RGBShift"}"#,
    r#"{"name": "RandomGamma"}"#,
    r#"{"name": "ToGray", "method": "from_lab"}"#,
    r#"{"name": "ChannelShuffle"}"#,
    r#"{"name": "InvertImg"}"#,
    r#"{"name": "Solarize"}"#,
    r#"{"name": "Posterize", "num_bits": [2, 6]}"#,
    r#"{"name": "Equalize"}"#,
    r#"{"name": "AutoContrast", "cutoff": 1}"#,
    r#"{"name": "Sharpen"}"#,
    r#"{"name": "CLAHE", "clip_limit": [1, 4]}"#,
    r#"{"name": "GaussianBlur"}"#,
    r#"{"name": "MotionBlur"}"#,
    r#"{"name": "Blur"}"#,
    r#"{"name": "Blur", "blur_limit": [25, 25]}"#,
    r#"{"name": "MedianBlur"}"#,
    r#"{"name": "MedianBlur", "blur_limit": [3, 3]}"#,
    r#"{"name": "MedianBlur", "blur_limit": [5, 5]}"#,
    r#"{"name": "MedianBlur", "blur_limit": [7, 7]}"#,
    r#"{"name": "Defocus"}"#,
    r#"{"name": "ImageCompression", "quality_range": [20, 80]}"#,
    r#"{"name": "PixelDropout", "dropout_prob": 0.1, "per_channel": true, "drop_value": "random"}"#,
    r#"{"name": "ChannelDropout"}"#,
    r#"{"name": "CoarseDropout", "fill": "random_uniform", "num_holes_range": [2, 5]}"#,
    r#"{"name": "Erasing", "fill": "random"}"#,
    r#"{"name": "GridDropout"}"#,
    r#"{"name": "DropBlock", "compensate": true}"#,
    r#"{"name": "Rotate", "limit": 40, "border_mode": "reflect"}"#,
    r#"{"name": "Affine", "scale": [0.8, 1.2], "rotate": 20, "shear": 10, "interpolation": "cubic", "fill": [10, 200, 30]}"#,
    r#"{"name": "Perspective", "border_mode": "replicate"}"#,
    r#"{"name": "RandomResizedCrop", "size": [50, 70]}"#,
    r#"{"name": "SafeRotate", "interpolation": "nearest"}"#,
    r#"{"name": "RandomRotate90"}"#,
    r#"{"name": "OpticalDistortion", "distort_limit": 0.4}"#,
    r#"{"name": "GridDistortion", "border_mode": "wrap"}"#,
    r#"{"name": "Resize", "height": 61, "width": 150}"#,
    r#"{"name": "Resize", "height": 23, "width": 40, "interpolation": "area"}"#,
    r#"{"name": "LongestMaxSize", "max_size": 150, "interpolation": "cubic"}"#,
    r#"{"name": "SmallestMaxSize", "max_size": 40, "interpolation": "area"}"#,
    r#"{"name": "RandomSizedCrop", "min_max_height": [30, 80], "size": [40, 50], "w2h_ratio": 1.3}"#,
    r#"{"name": "ShiftScaleRotate", "border_mode": "reflect"}"#,
    r#"{"name": "SquareSymmetry"}"#,
    r#"{"name": "RandomResizedCrop", "size": [20, 30], "interpolation": "area"}"#,
    r#"{"name": "Affine", "scale": [0.7, 0.7], "translate_px": [-3, 5], "border_mode": "reflect"}"#,
    r#"{"name": "Perspective", "interpolation": "nearest", "keep_size": false}"#,
    r#"{"name": "Transpose"}"#,
    r#"{"name": "CropAndPad", "percent": [-0.2, 0.2], "border_mode": "reflect"}"#,
    r#"{"name": "ElasticTransform", "alpha": 200, "sigma": 7}"#,
    r#"{"name": "GaussNoise", "std_range": [0.1, 0.3]}"#,
    r#"{"name": "GaussNoise", "per_channel": false}"#,
    r#"{"name": "ToGray"}"#,
    r#"{"name": "HorizontalFlip"}"#,
    r#"{"name": "VerticalFlip"}"#,
];
pub const GOLDEN_EACH_HASH: u64 = 0x3a8f_122a_ebe5_0861;

/// The fixture as RGBA with an alpha gradient (the page's layout, where the SIMD kernels run).
pub fn golden_rgba() -> augplay::Image {
    let rgb = augplay::codec::decode(GOLDEN_IMAGE).unwrap();
    let (w, h) = (rgb.width(), rgb.height());
    let data = (0..w * h).flat_map(|i| {
        let p = rgb.pixel(i % w, i / w);
        [p[0], p[1], p[2], (i % w * 2 + i / w) as u8]
    });
    augplay::Image::new(w, h, 4, data.collect()).unwrap()
}

/// Applies each of [`GOLDEN_EACH`] alone (p = 1) to the fixture, as RGB and as RGBA, with two
/// seeds; hashes all outputs.
pub fn golden_each_hash() -> u64 {
    let images = [augplay::codec::decode(GOLDEN_IMAGE).unwrap(), golden_rgba()];
    let mut hash = FNV_OFFSET;
    for step in GOLDEN_EACH {
        let recipe = format!(r#"{{"transforms": [{}]}}"#, step.replacen('{', r#"{"p": 1, "#, 1));
        let pipeline = augplay::Pipeline::from_json(&recipe).unwrap_or_else(|e| panic!("{step}: {e}"));
        for image in &images {
            for k in 0..2 {
                let out = pipeline.apply(image.clone(), augplay::rng::sample_seed(GOLDEN_SEED, 0, k)).unwrap();
                hash = fnv1a(hash, out.sample.image.data());
            }
        }
    }
    hash
}
