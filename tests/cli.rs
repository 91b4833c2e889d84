//! The `augplay` command as a user runs it.
#![cfg(not(target_arch = "wasm32"))] // runs the native binary

use std::path::PathBuf;
use std::process::Command;

fn augplay() -> Command {
    Command::new(env!("CARGO_BIN_EXE_augplay"))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("augplay-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn apply_writes_samples_and_a_manifest_that_reproduces_them() {
    let dir = scratch("apply");
    let recipe = dir.join("r.json");
    std::fs::write(&recipe, r#"{"transforms": [{"name": "HorizontalFlip"}, {"name": "GaussNoise", "p": 1}]}"#).unwrap();
    let out = dir.join("out");
    let status = augplay()
        .args(["apply", "--recipe", recipe.to_str().unwrap(), "--seed", "5", "--count", "3", "--out", out.to_str().unwrap()])
        .arg(fixture("chelsea_128x96.png"))
        .arg(fixture("rocket_128x96.jpg"))
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["seed"], 5);
    assert_eq!(manifest["recipe"]["transforms"][1]["std_range"], serde_json::json!([0.2, 0.44]));
    let pipeline = augplay::Pipeline::from_value(&manifest["recipe"]).unwrap();
    for (i, image) in manifest["images"].as_array().unwrap().iter().enumerate() {
        let source = augplay::codec::decode(&std::fs::read(image["file"].as_str().unwrap()).unwrap()).unwrap();
        assert_eq!(image["samples"].as_array().unwrap().len(), 3);
        for s in image["samples"].as_array().unwrap() {
            let seed = s["seed"].as_u64().unwrap();
            assert_eq!(seed, augplay::rng::sample_seed(5, i as u64, s["sample"].as_u64().unwrap()));
            let written = augplay::codec::decode(&std::fs::read(out.join(s["file"].as_str().unwrap())).unwrap()).unwrap();
            assert_eq!(pipeline.apply(source.clone(), seed).unwrap().sample.image, written);
        }
    }
    // The same command again gives the same bytes.
    let first = std::fs::read(out.join("rocket_128x96_2.png")).unwrap();
    let again = dir.join("again");
    augplay()
        .args(["apply", "--recipe", recipe.to_str().unwrap(), "--seed", "5", "--count", "3", "--out", again.to_str().unwrap()])
        .arg(fixture("chelsea_128x96.png"))
        .arg(fixture("rocket_128x96.jpg"))
        .output()
        .unwrap();
    assert_eq!(std::fs::read(again.join("rocket_128x96_2.png")).unwrap(), first);
}

#[test]
fn gray_images_stay_gray() {
    let dir = scratch("gray");
    let recipe = dir.join("r.json");
    std::fs::write(&recipe, r#"{"transforms": [{"name": "GaussNoise", "p": 1}]}"#).unwrap();
    let out = dir.join("out");
    let run = augplay()
        .args(["apply", "--recipe", recipe.to_str().unwrap(), "--seed", "1", "--out", out.to_str().unwrap()])
        .arg(fixture("camera_96x96.png"))
        .output()
        .unwrap();
    assert!(run.status.success());
    let written = augplay::codec::decode(&std::fs::read(out.join("camera_96x96_0.png")).unwrap()).unwrap();
    assert_eq!(written.channels(), 1);
}

#[test]
fn bad_input_is_a_clear_error_and_writes_nothing() {
    let dir = scratch("bad");
    let good = dir.join("good.json");
    std::fs::write(&good, r#"{"transforms": []}"#).unwrap();
    let bad_recipe = dir.join("bad.json");
    std::fs::write(&bad_recipe, r#"{"transforms": [{"name": "GaussNoise", "std_range": [2, 3]}]}"#).unwrap();
    let corrupt = dir.join("corrupt.png");
    std::fs::write(&corrupt, b"\x89PNG\r\n\x1a\ngarbage").unwrap();
    let out = dir.join("out");
    let o = out.to_str().unwrap();
    let cases: Vec<(Vec<String>, i32, &str)> = vec![
        (vec!["apply".into(), "--recipe".into(), bad_recipe.display().to_string(), "--out".into(), o.into(), fixture("chelsea_128x96.png").display().to_string()], 1, "field 'std_range' is [2, 3]"),
        (vec!["apply".into(), "--recipe".into(), good.display().to_string(), "--out".into(), o.into(), corrupt.display().to_string()], 1, "corrupt.png: corrupt or unsupported image"),
        (vec!["apply".into(), "--recipe".into(), good.display().to_string(), "--out".into(), o.into(), "missing.png".into()], 1, "cannot read missing.png"),
        (vec!["apply".into(), "--recipe".into(), good.display().to_string(), "--out".into(), o.into(), "--seed".into(), "-3".into(), "x.png".into()], 2, "--seed '-3' is not allowed"),
        (vec!["apply".into(), "--recipe".into(), good.display().to_string(), "--out".into(), o.into(), "--count".into(), "0".into(), "x.png".into()], 2, "--count '0' is not allowed: it must be a whole number from 1 to 10000"),
        (vec!["apply".into(), "--out".into(), o.into(), "x.png".into()], 2, "--recipe RECIPE.json is required"),
        (vec!["frobnicate".into()], 2, "unknown command 'frobnicate'"),
    ];
    for (args, code, message) in cases {
        let run = augplay().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}\n  gave: {stderr}\n  want: {message}");
        assert!(!out.exists(), "{args:?} wrote output despite the error");
    }
}

#[test]
fn catalog_prints_every_transform() {
    let run = augplay().arg("catalog").output().unwrap();
    assert!(run.status.success());
    let catalog: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let names: Vec<&str> = catalog.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, augplay::transforms::registry().iter().map(|e| e.info.name).collect::<Vec<_>>());
}

#[test]
fn thread_count_changes_nothing_in_the_files() {
    let dir = scratch("threads");
    let recipe = dir.join("r.json");
    std::fs::write(&recipe, r#"{"transforms": [{"name": "Rotate", "limit": 30, "p": 1}, {"name": "GaussNoise", "p": 1}, {"name": "CoarseDropout", "p": 1}]}"#).unwrap();
    let run = |threads: &str, task: bool| {
        let out = dir.join(format!("out-{threads}-{task}"));
        let mut cmd = augplay();
        if task {
            cmd.args(["task", "cropout", "--image-size", "challenge"]);
        } else {
            cmd.arg("apply");
        }
        let status = cmd
            .args(["--recipe", recipe.to_str().unwrap(), "--seed", "77", "--count", "6", "--threads", threads, "--out", out.to_str().unwrap()])
            .arg(fixture("chelsea_128x96.png"))
            .arg(fixture("rocket_128x96.jpg"))
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let mut stack = vec![out.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    files.push((p.strip_prefix(&out).unwrap().display().to_string(), std::fs::read(&p).unwrap()));
                }
            }
        }
        files.sort();
        files
    };
    for task in [false, true] {
        let one = run("1", task);
        assert!(one.len() > 6, "{} files", one.len());
        assert_eq!(one, run("4", task), "task {task}: 1 and 4 threads write the same files");
    }
    let bad = augplay().args(["apply", "--threads", "0", "--out", "x", "y.png"]).output().unwrap();
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--threads '0' is not allowed"));
}
