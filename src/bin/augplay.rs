//! `augplay`: the augmentation core on the command line. Same recipe and seed → the same bytes as
//! the page.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use augplay::cropout::{Part, TaskRunner};
use augplay::{codec, rng, Error, Image, Pipeline, Result};
use rayon::prelude::*;
use serde_json::json;

const USAGE: &str = "\
augplay — data augmentation you can see

USAGE:
  augplay apply --recipe RECIPE.json [--seed S] [--count N] [--threads N] --out DIR IMAGE...
      Writes N augmented samples of each PNG/JPEG IMAGE as DIR/<stem>_<k>.png and
      DIR/manifest.json (the recipe with defaults, each sample's seed and replay log).
      Gray pictures (R = G = B everywhere) are augmented and written as grayscale.
      --seed: whole number 0..2^53-1 (default: random, recorded in the manifest)
      --count: samples per image, 1..10000 (default 1)
      --threads: worker threads, 1..256 (default: one per core); the files do not depend on it
  augplay task MODE [PARAMETERS] [--recipe RECIPE.json] [--noise off|before|input_only]
               [--image-size keep|challenge] [--seed S] [--count N] [--threads N] --out DIR IMAGE...
      Makes inpainting pairs: DIR/<stem>_<k>/ holds original, input, known and target as PNG
      and .npy, all of them in pair.npz; DIR/manifest.json records everything.
      MODE and its PARAMETERS (X = rows, Y = columns; left out = drawn at random):
        cropout     --size X,Y (odd) --center X,Y
        border      --border-x BEFORE,AFTER --border-y BEFORE,AFTER
        grid        --offset A,B --spacing A,B
        depixelate  --area X,Y,WIDTH,HEIGHT --block SIZE
  augplay catalog
      Prints every transform with its parameters as JSON.
  augplay help
";

const MAX_COUNT: u64 = 10_000;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("apply") => apply(&args[1..]),
        Some("task") => task(&args[1..]),
        Some("catalog") => serde_json::to_string_pretty(&augplay::transforms::catalog())
            .map(|s| println!("{s}"))
            .map_err(|e| Error::Io(e.to_string())),
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(Error::Argument(format!("unknown command '{other}'; commands are apply, task, catalog, help"))),
        None => Err(Error::Argument("no command given; commands are apply, task, catalog, help".into())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("augplay: {e}");
            if matches!(e, Error::Argument(_)) {
                eprintln!("run 'augplay help' for usage");
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Options common to `apply` and `task`, plus the flags only one of them knows.
struct Args {
    recipe: Option<PathBuf>,
    seed: Option<u64>,
    count: u64,
    out: PathBuf,
    images: Vec<PathBuf>,
    extra: Vec<(String, String)>,
    threads: Option<usize>,
}

fn parse_args(args: &[String], extra_flags: &[&str]) -> Result<Args> {
    let (mut recipe, mut seed, mut count, mut out, mut images, mut extra) = (None, None, 1, None, Vec::new(), Vec::new());
    let mut threads = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| it.next().cloned().ok_or_else(|| Error::Argument(format!("{flag} needs a value")));
        match arg.as_str() {
            "--recipe" => recipe = Some(PathBuf::from(value("--recipe")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--seed" => {
                let v = value("--seed")?;
                seed = Some(v.parse::<u64>().ok().filter(|s| *s <= rng::MAX_SEED).ok_or_else(|| {
                    Error::Argument(format!("--seed '{v}' is not allowed: it must be a whole number from 0 to {}", rng::MAX_SEED))
                })?);
            }
            "--count" => {
                let v = value("--count")?;
                count = v.parse::<u64>().ok().filter(|c| (1..=MAX_COUNT).contains(c)).ok_or_else(|| {
                    Error::Argument(format!("--count '{v}' is not allowed: it must be a whole number from 1 to {MAX_COUNT}"))
                })?;
            }
            "--threads" => {
                let v = value("--threads")?;
                threads = Some(v.parse::<usize>().ok().filter(|t| (1..=256).contains(t)).ok_or_else(|| {
                    Error::Argument(format!("--threads '{v}' is not allowed: it must be a whole number from 1 to 256"))
                })?);
            }
            flag if extra_flags.contains(&flag) => extra.push((flag.to_string(), value(flag)?)),
            flag if flag.starts_with("--") => {
                let mut known = vec!["--recipe", "--seed", "--count", "--out", "--threads"];
                known.extend(extra_flags);
                return Err(Error::Argument(format!("unknown option '{flag}'; options here are {}", known.join(", "))));
            }
            path => images.push(PathBuf::from(path)),
        }
    }
    let out = out.ok_or_else(|| Error::Argument("--out DIR is required".into()))?;
    if images.is_empty() {
        return Err(Error::Argument("no IMAGE given; name one or more PNG or JPEG files".into()));
    }
    Ok(Args { recipe, seed, count, out, images, extra, threads })
}

/// A thread pool of `threads` workers (default: one per core).
fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(n);
    }
    builder.build().map_err(|e| Error::Argument(format!("cannot start {} threads: {e}", threads.unwrap_or(0))))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))
}

fn load_pipeline(path: Option<&PathBuf>) -> Result<Pipeline> {
    let Some(path) = path else { return Pipeline::from_json(r#"{"transforms": []}"#) };
    let text = String::from_utf8(read(path)?).map_err(|_| Error::Recipe(format!("{} is not UTF-8 text", path.display())))?;
    Pipeline::from_json(&text).map_err(|e| match e {
        Error::Recipe(m) => Error::Recipe(format!("{}: {m}", path.display())),
        other => other,
    })
}

/// Reads and decodes every image before anything is written; names must not collide.
fn load_images(paths: &[PathBuf]) -> Result<Vec<(String, Image, &PathBuf)>> {
    let mut inputs: Vec<(String, Image, &PathBuf)> = Vec::new();
    for path in paths {
        let image = codec::decode(&read(path)?)
            .map_err(|e| Error::Decode(format!("{}: {}", path.display(), e.message())))?
            .into_working_layout();
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "image".into());
        if let Some((_, _, other)) = inputs.iter().find(|(s, _, _)| *s == stem) {
            return Err(Error::Argument(format!("{} and {} would both write {stem}_<k>; rename one", other.display(), path.display())));
        }
        inputs.push((stem, image, path));
    }
    Ok(inputs)
}

fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Io(format!("cannot create {}: {e}", dir.display())))
}

fn write_manifest(dir: &Path, manifest: &serde_json::Value) -> Result<()> {
    let text = serde_json::to_string_pretty(manifest).map_err(|e| Error::Io(e.to_string()))?;
    write(&dir.join("manifest.json"), text.as_bytes())
}

fn apply(args: &[String]) -> Result<()> {
    let args = parse_args(args, &[])?;
    let recipe = args.recipe.as_ref().ok_or_else(|| Error::Argument("--recipe RECIPE.json is required".into()))?;
    let pipeline = load_pipeline(Some(recipe))?;
    let seed = match args.seed {
        Some(s) => s,
        None => rng::random_seed()?,
    };
    let inputs = load_images(&args.images)?;
    create_dir(&args.out)?;

    // Samples are independent (each has its own seed), so threads change the speed, never the
    // bytes: every sample is computed, encoded and written by whichever thread takes it.
    let jobs: Vec<(usize, u64)> = (0..inputs.len()).flat_map(|i| (0..args.count).map(move |k| (i, k))).collect();
    let samples: Vec<serde_json::Value> = pool(args.threads)?.install(|| {
        jobs.par_iter()
            .map(|&(index, k)| {
                let (stem, image, _) = &inputs[index];
                let sample_seed = rng::sample_seed(seed, index as u64, k);
                let out = pipeline.apply(image.clone(), sample_seed)?;
                let file = format!("{stem}_{k}.png");
                write(&args.out.join(&file), &codec::encode_png(&out.sample.image)?)?;
                Ok(json!({ "file": file, "sample": k, "seed": sample_seed, "log": out.log }))
            })
            .collect::<Result<Vec<_>>>()
    })?;
    let mut samples = samples.into_iter();
    let mut manifest_images = Vec::new();
    for (index, (_, image, path)) in inputs.iter().enumerate() {
        manifest_images.push(json!({
            "file": path.display().to_string(),
            "index": index,
            "width": image.width(),
            "height": image.height(),
            "channels": image.channels(),
            "samples": samples.by_ref().take(args.count as usize).collect::<Vec<_>>(),
        }));
    }
    write_manifest(&args.out, &json!({
        "augplay": env!("CARGO_PKG_VERSION"),
        "recipe": pipeline.recipe(),
        "seed": seed,
        "count": args.count,
        "images": manifest_images,
    }))?;
    eprintln!(
        "augplay: wrote {} samples and manifest.json to {} (seed {seed})",
        args.count as usize * inputs.len(),
        args.out.display()
    );
    Ok(())
}

/// Task flags and the parameters they set.
const TASK_FLAGS: [(&str, &[&str]); 9] = [
    ("--size", &["crop_size"]),
    ("--center", &["crop_center"]),
    ("--border-x", &["border_x"]),
    ("--border-y", &["border_y"]),
    ("--offset", &["offset"]),
    ("--spacing", &["spacing"]),
    ("--area", &["x", "y", "width", "height"]),
    ("--block", &["size"]),
    ("--noise", &[]),
];

fn numbers(flag: &str, text: &str) -> Result<Vec<i64>> {
    text.split(',')
        .map(|t| t.trim().parse::<i64>().map_err(|_| Error::Argument(format!("{flag} '{text}' must be whole numbers separated by commas, e.g. 9,11"))))
        .collect()
}

fn task(args: &[String]) -> Result<()> {
    let mode = args.first().filter(|a| !a.starts_with("--")).ok_or_else(|| {
        Error::Argument("task needs a MODE: cropout, border, grid or depixelate".into())
    })?;
    let mut flags: Vec<&str> = TASK_FLAGS.iter().map(|(f, _)| *f).collect();
    flags.push("--image-size");
    let args = parse_args(&args[1..], &flags)?;
    let mut spec = serde_json::Map::new();
    spec.insert("mode".into(), json!(mode));
    for (flag, value) in &args.extra {
        match flag.as_str() {
            "--noise" => {
                spec.insert("noise".into(), json!(value));
            }
            "--image-size" => {
                spec.insert("image_size".into(), json!(value));
            }
            _ => {
                let names = TASK_FLAGS.iter().find(|(f, _)| f == flag).map(|(_, n)| *n).unwrap_or(&[]);
                let values = numbers(flag, value)?;
                if names.len() == 1 {
                    spec.insert(names[0].into(), json!(values));
                } else if values.len() == names.len() {
                    for (n, v) in names.iter().zip(values) {
                        spec.insert((*n).into(), json!(v));
                    }
                } else {
                    return Err(Error::Argument(format!("{flag} needs {} values ({}), got {}", names.len(), names.join(","), values.len())));
                }
            }
        }
    }
    let pipeline = load_pipeline(args.recipe.as_ref())?;
    let runner = TaskRunner::new(&serde_json::Value::Object(spec), &pipeline)?;
    let seed = match args.seed {
        Some(s) => s,
        None => rng::random_seed()?,
    };
    let inputs = load_images(&args.images)?;
    // Every pair is made (and so checked against the task's rules) before anything is written.
    let jobs: Vec<(usize, u64)> = (0..inputs.len()).flat_map(|i| (0..args.count).map(move |k| (i, k))).collect();
    let pairs = pool(args.threads)?.install(|| {
        jobs.par_iter()
            .map(|&(index, k)| {
                let (stem, image, _) = &inputs[index];
                let sample_seed = rng::sample_seed(seed, index as u64, k);
                let pair = runner.run(image, sample_seed).map_err(|e| match e {
                    Error::Task(m) => Error::Task(format!("{stem}, sample {k}: {m}")),
                    other => other,
                })?;
                Ok((index, k, sample_seed, format!("{stem}_{k}"), pair))
            })
            .collect::<Result<Vec<_>>>()
    })?;
    create_dir(&args.out)?;
    let mut manifest_images: Vec<serde_json::Value> = inputs
        .iter()
        .enumerate()
        .map(|(index, (_, image, path))| json!({
            "file": path.display().to_string(),
            "index": index,
            "width": image.width(),
            "height": image.height(),
            "channels": image.channels(),
            "samples": [],
        }))
        .collect();
    for (index, k, sample_seed, name, pair) in &pairs {
        let dir = args.out.join(name);
        create_dir(&dir)?;
        for part in Part::ALL {
            write(&dir.join(format!("{}.png", part.name())), &codec::encode_png(&pair.picture(part))?)?;
        }
        for (array_name, array) in pair.arrays() {
            write(&dir.join(format!("{array_name}.npy")), &array.to_npy())?;
        }
        write(&dir.join("pair.npz"), &pair.npz()?)?;
        let mut entry = pair.describe();
        entry["dir"] = json!(name);
        entry["sample"] = json!(k);
        entry["seed"] = json!(sample_seed);
        manifest_images[*index]["samples"].as_array_mut().expect("samples is a list").push(entry);
    }
    write_manifest(&args.out, &json!({
        "augplay": env!("CARGO_PKG_VERSION"),
        "task": runner.spec(),
        "recipe": pipeline.recipe(),
        "seed": seed,
        "count": args.count,
        "images": manifest_images,
    }))?;
    eprintln!("augplay: wrote {} {mode} pairs and manifest.json to {} (seed {seed})", pairs.len(), args.out.display());
    Ok(())
}
