//! `augplay`: the augmentation core on the command line. Same recipe and seed → the same bytes as
//! the page.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use augplay::{codec, rng, Error, Image, Pipeline, Result};
use serde_json::json;

const USAGE: &str = "\
augplay — data augmentation you can see

USAGE:
  augplay apply --recipe RECIPE.json [--seed S] [--count N] --out DIR IMAGE...
      Writes N augmented samples of each PNG/JPEG IMAGE as DIR/<stem>_<k>.png and
      DIR/manifest.json (the recipe with defaults, each sample's seed and replay log).
      Gray pictures (R = G = B everywhere) are augmented and written as grayscale.
      --seed: whole number 0..2^53-1 (default: random, recorded in the manifest)
      --count: samples per image, 1..10000 (default 1)
  augplay catalog
      Prints every transform with its parameters as JSON.
  augplay help
";

const MAX_COUNT: u64 = 10_000;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("apply") => apply(&args[1..]),
        Some("catalog") => serde_json::to_string_pretty(&augplay::transforms::catalog())
            .map(|s| println!("{s}"))
            .map_err(|e| Error::Io(e.to_string())),
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(Error::Argument(format!("unknown command '{other}'; commands are apply, catalog, help"))),
        None => Err(Error::Argument("no command given; commands are apply, catalog, help".into())),
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

struct ApplyArgs {
    recipe: PathBuf,
    seed: Option<u64>,
    count: u64,
    out: PathBuf,
    images: Vec<PathBuf>,
}

fn parse_apply(args: &[String]) -> Result<ApplyArgs> {
    let (mut recipe, mut seed, mut count, mut out, mut images) = (None, None, 1, None, Vec::new());
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
            flag if flag.starts_with("--") => return Err(Error::Argument(format!("unknown option '{flag}'; options are --recipe, --seed, --count, --out"))),
            path => images.push(PathBuf::from(path)),
        }
    }
    let recipe = recipe.ok_or_else(|| Error::Argument("--recipe RECIPE.json is required".into()))?;
    let out = out.ok_or_else(|| Error::Argument("--out DIR is required".into()))?;
    if images.is_empty() {
        return Err(Error::Argument("no IMAGE given; name one or more PNG or JPEG files".into()));
    }
    Ok(ApplyArgs { recipe, seed, count, out, images })
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::Io(format!("cannot read {}: {e}", path.display())))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))
}

fn apply(args: &[String]) -> Result<()> {
    let args = parse_apply(args)?;
    let recipe_text = String::from_utf8(read(&args.recipe)?)
        .map_err(|_| Error::Recipe(format!("{} is not UTF-8 text", args.recipe.display())))?;
    let pipeline = Pipeline::from_json(&recipe_text).map_err(|e| match e {
        Error::Recipe(m) => Error::Recipe(format!("{}: {m}", args.recipe.display())),
        other => other,
    })?;
    let seed = match args.seed {
        Some(s) => s,
        None => rng::random_seed()?,
    };

    // Everything is read and checked before anything is written.
    let mut inputs: Vec<(String, Image, &PathBuf)> = Vec::new();
    for path in &args.images {
        let image = codec::decode(&read(path)?)
            .map_err(|e| Error::Decode(format!("{}: {}", path.display(), e.message())))?
            .into_working_layout();
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "image".into());
        if let Some((_, _, other)) = inputs.iter().find(|(s, _, _)| *s == stem) {
            return Err(Error::Argument(format!(
                "{} and {} would both write {stem}_<k>.png; rename one",
                other.display(),
                path.display()
            )));
        }
        inputs.push((stem, image, path));
    }
    std::fs::create_dir_all(&args.out).map_err(|e| Error::Io(format!("cannot create {}: {e}", args.out.display())))?;

    let mut manifest_images = Vec::new();
    for (index, (stem, image, path)) in inputs.iter().enumerate() {
        let mut samples = Vec::new();
        for k in 0..args.count {
            let sample_seed = rng::sample_seed(seed, index as u64, k);
            let out = pipeline.apply(image.clone(), sample_seed)?;
            let file = format!("{stem}_{k}.png");
            write(&args.out.join(&file), &codec::encode_png(&out.sample.image)?)?;
            samples.push(json!({ "file": file, "sample": k, "seed": sample_seed, "log": out.log }));
        }
        manifest_images.push(json!({
            "file": path.display().to_string(),
            "index": index,
            "width": image.width(),
            "height": image.height(),
            "channels": image.channels(),
            "samples": samples,
        }));
    }
    let manifest = json!({
        "augplay": env!("CARGO_PKG_VERSION"),
        "recipe": pipeline.recipe(),
        "seed": seed,
        "count": args.count,
        "images": manifest_images,
    });
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| Error::Io(e.to_string()))?;
    write(&args.out.join("manifest.json"), text.as_bytes())?;
    eprintln!(
        "augplay: wrote {} samples and manifest.json to {} (seed {seed})",
        args.count as usize * inputs.len(),
        args.out.display()
    );
    Ok(())
}
