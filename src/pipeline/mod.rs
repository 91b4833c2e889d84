//! Pipelines: a recipe (JSON) becomes a tree of steps — transforms, `OneOf` and `SomeOf` groups,
//! each with its probability `p` — applied to a [`Sample`] with one seeded [`Rng`] per sample.
//! Every application returns its replay log: for each step, whether it ran and the exact
//! parameters it sampled. [`Pipeline::replay`] re-applies a log without drawing anything.
//!
//! Group semantics follow albumentations: `OneOf` (default p 0.5) picks one child with
//! probability proportional to the children's `p` and applies it unconditionally; `SomeOf`
//! (default p 1) picks `n` children uniformly (without replacement unless `replace`), applies
//! them in recipe order, each with its own `p`.

mod fuse;
mod log;
mod recipe;

pub use log::LogEntry;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::image::{Image, Sample};
use crate::rng::Rng;
use crate::transforms::DynTransform;

/// One node of the pipeline tree.
enum Node {
    Step { name: &'static str, p: f64, transform: Box<dyn DynTransform> },
    OneOf { p: f64, children: Vec<Node> },
    SomeOf { p: f64, n: usize, replace: bool, children: Vec<Node> },
}

/// A validated, ready-to-run recipe.
pub struct Pipeline {
    nodes: Vec<Node>,
    recipe: Value,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pipeline({})", self.recipe)
    }
}

/// The result of one application.
#[derive(Debug, Clone)]
pub struct Augmented {
    pub sample: Sample,
    pub log: Vec<LogEntry>,
}

impl Pipeline {
    /// Parses and validates a recipe.
    ///
    /// ```
    /// let p = augplay::Pipeline::from_json(r#"{"transforms": [{"name": "HorizontalFlip", "p": 1}]}"#).unwrap();
    /// let img = augplay::Image::new(2, 1, 1, vec![1, 2]).unwrap();
    /// let out = p.apply(img, 0).unwrap();
    /// assert_eq!(out.sample.image.data(), &[2, 1]);
    /// let err = augplay::Pipeline::from_json(r#"{"transforms": [{"name": "Nope"}]}"#).unwrap_err();
    /// assert!(err.to_string().contains("unknown transform 'Nope'"));
    /// ```
    pub fn from_json(json: &str) -> Result<Pipeline> {
        let value: Value = serde_json::from_str(json).map_err(|e| Error::Recipe(format!("not valid JSON: {e}")))?;
        Pipeline::from_value(&value)
    }

    /// Like [`Pipeline::from_json`] for an already parsed value.
    pub fn from_value(value: &Value) -> Result<Pipeline> {
        let (nodes, recipe) = recipe::parse(value)?;
        Ok(Pipeline { nodes, recipe })
    }

    /// The recipe with every default filled in: what the manifest records.
    pub fn recipe(&self) -> &Value {
        &self.recipe
    }

    /// Augments one image with the sample's own seed.
    pub fn apply(&self, image: Image, seed: u64) -> Result<Augmented> {
        let mut sample = Sample::new(image);
        let log = self.apply_to_sample(&mut sample, seed)?;
        Ok(Augmented { sample, log })
    }

    /// Augments a sample (image and masks) in place; returns the replay log.
    pub fn apply_to_sample(&self, sample: &mut Sample, seed: u64) -> Result<Vec<LogEntry>> {
        let mut rng = Rng::new(seed);
        let mut exec = fuse::Executor::default();
        let log = self.nodes.iter().map(|n| run(n, &mut rng, sample, false, &mut exec)).collect::<Result<Vec<_>>>();
        let flushed = exec.flush(sample);
        sample.set_pending_size(None);
        let log = log?;
        flushed?;
        Ok(log)
    }

    /// Re-applies a replay log produced by this pipeline, drawing no random numbers.
    pub fn replay(&self, sample: &mut Sample, log: &[LogEntry]) -> Result<()> {
        if log.len() != self.nodes.len() {
            return Err(Error::Recipe(format!(
                "replay log has {} entries, but the pipeline has {} steps",
                log.len(),
                self.nodes.len()
            )));
        }
        let mut exec = fuse::Executor::default();
        let result = self.nodes.iter().zip(log).try_for_each(|(n, e)| replay(n, e, sample, &mut exec)).and_then(|_| exec.flush(sample));
        sample.set_pending_size(None);
        result
    }
}

/// Runs one node; `forced` skips its own `p` draw (a child picked by `OneOf`, as albumentations'
/// `force_apply`).
fn run<'a>(node: &'a Node, rng: &mut Rng, sample: &mut Sample, forced: bool, exec: &mut fuse::Executor<'a>) -> Result<LogEntry> {
    let (name, p) = match node {
        Node::Step { name, p, .. } => (*name, *p),
        Node::OneOf { p, .. } => ("OneOf", *p),
        Node::SomeOf { p, .. } => ("SomeOf", *p),
    };
    if !forced && !rng.chance(p) {
        return Ok(LogEntry::skipped(name));
    }
    match node {
        Node::Step { transform, .. } => {
            let params = transform.sample_json(rng, sample)?;
            exec.step(name, transform.as_ref(), params.clone(), sample)?;
            Ok(LogEntry::step(name, params))
        }
        Node::OneOf { children, .. } => {
            let index = pick_weighted(rng, children);
            let child = run(&children[index], rng, sample, true, exec)?;
            Ok(LogEntry::group(name, vec![child.at(index)]))
        }
        Node::SomeOf { n, replace, children, .. } => {
            let mut picked = pick_uniform(rng, children.len(), *n, *replace);
            picked.sort_unstable();
            let mut entries = Vec::with_capacity(picked.len());
            for index in picked {
                entries.push(run(&children[index], rng, sample, false, exec)?.at(index));
            }
            Ok(LogEntry::group(name, entries))
        }
    }
}

fn node_p(node: &Node) -> f64 {
    match node {
        Node::Step { p, .. } | Node::OneOf { p, .. } | Node::SomeOf { p, .. } => *p,
    }
}

/// Index drawn with probability proportional to each child's `p` (uniform if all are 0).
fn pick_weighted(rng: &mut Rng, children: &[Node]) -> usize {
    let total: f64 = children.iter().map(node_p).sum();
    let u = rng.unit();
    if total <= 0.0 {
        return ((u * children.len() as f64) as usize).min(children.len() - 1);
    }
    let mut acc = 0.0;
    for (i, c) in children.iter().enumerate() {
        acc += node_p(c) / total;
        if u < acc {
            return i;
        }
    }
    children.len() - 1
}

/// `n` indices below `len`, uniformly, with or without replacement (a partial Fisher–Yates).
fn pick_uniform(rng: &mut Rng, len: usize, n: usize, replace: bool) -> Vec<usize> {
    if replace {
        return (0..n).map(|_| rng.int_inclusive(0, len as i64 - 1) as usize).collect();
    }
    let mut all: Vec<usize> = (0..len).collect();
    for i in 0..n.min(len) {
        let j = rng.int_inclusive(i as i64, len as i64 - 1) as usize;
        all.swap(i, j);
    }
    all.truncate(n.min(len));
    all
}

fn replay<'a>(node: &'a Node, entry: &LogEntry, sample: &mut Sample, exec: &mut fuse::Executor<'a>) -> Result<()> {
    let name = match node {
        Node::Step { name, .. } => *name,
        Node::OneOf { .. } => "OneOf",
        Node::SomeOf { .. } => "SomeOf",
    };
    if entry.name != name {
        return Err(Error::Recipe(format!("replay log names '{}' where the pipeline has '{name}'", entry.name)));
    }
    if !entry.applied {
        return Ok(());
    }
    match node {
        Node::Step { transform, .. } => exec.step(name, transform.as_ref(), entry.params.clone().unwrap_or(Value::Null), sample),
        Node::OneOf { children, .. } | Node::SomeOf { children, .. } => {
            for child in &entry.children {
                let index = child.index.filter(|&i| i < children.len()).ok_or_else(|| {
                    Error::Recipe(format!("replay log entry of '{name}' has a child without a valid index"))
                })?;
                replay(&children[index], child, sample, exec)?;
            }
            Ok(())
        }
    }
}
