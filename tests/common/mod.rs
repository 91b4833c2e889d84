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
