//! Recipe JSON → pipeline tree, with every error naming where it is (`transforms[2]`), the field
//! and what is allowed.
//!
//! ```json
//! {"transforms": [
//!   {"name": "HorizontalFlip", "p": 0.5},
//!   {"name": "OneOf", "p": 1, "transforms": [{"name": "GaussNoise", "std_range": [0.1, 0.2]},
//!                                            {"name": "RandomBrightnessContrast"}]}
//! ]}
//! ```

use serde_json::{json, Map, Value};

use super::Node;
use crate::error::{Error, Result};
use crate::transforms::{self, spec::describe, spec::Fields};

/// Deepest nesting of groups accepted.
pub const MAX_DEPTH: usize = 8;
/// Most steps (transforms and groups) in one recipe.
pub const MAX_STEPS: usize = 256;

pub(super) fn parse(value: &Value) -> Result<(Vec<Node>, Value)> {
    let Value::Object(top) = value else {
        return Err(Error::Recipe(format!("the recipe is {}; it must be an object like {{\"transforms\": [...]}}", describe(value))));
    };
    if let Some(key) = top.keys().find(|k| *k != "transforms") {
        return Err(Error::Recipe(format!("unknown top-level field '{key}'; the recipe has only 'transforms'")));
    }
    let list = top.get("transforms").ok_or_else(|| Error::Recipe("missing 'transforms': the recipe must list its transforms, e.g. {\"transforms\": []}".into()))?;
    let mut count = 0;
    let (nodes, resolved) = parse_list(list, "transforms", 0, &mut count)?;
    Ok((nodes, json!({ "transforms": resolved })))
}

fn parse_list(list: &Value, at: &str, depth: usize, count: &mut usize) -> Result<(Vec<Node>, Vec<Value>)> {
    let Value::Array(items) = list else {
        return Err(Error::Recipe(format!("'{at}' is {}; it must be a list of transforms", describe(list))));
    };
    let mut nodes = Vec::with_capacity(items.len());
    let mut resolved = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        *count += 1;
        if *count > MAX_STEPS {
            return Err(Error::Recipe(format!("more than {MAX_STEPS} transforms; a recipe may have at most {MAX_STEPS}")));
        }
        let (node, value) = parse_node(item, &format!("{at}[{i}]"), depth, count)?;
        nodes.push(node);
        resolved.push(value);
    }
    Ok((nodes, resolved))
}

fn parse_node(item: &Value, at: &str, depth: usize, count: &mut usize) -> Result<(Node, Value)> {
    let Value::Object(obj) = item else {
        return Err(Error::Recipe(format!("{at} is {}; each transform is an object like {{\"name\": \"HorizontalFlip\"}}", describe(item))));
    };
    let name = match obj.get("name") {
        Some(Value::String(s)) => s.as_str(),
        Some(other) => return Err(Error::Recipe(format!("{at}: 'name' is {}; it must be a transform name", describe(other)))),
        None => return Err(Error::Recipe(format!("{at}: missing 'name'; every transform needs one, e.g. \"HorizontalFlip\""))),
    };
    match name {
        "OneOf" | "SomeOf" => parse_group(name, obj, at, depth, count),
        _ => {
            let entry = transforms::find(name).ok_or_else(|| {
                let names: Vec<&str> = transforms::registry().iter().map(|e| e.info.name).collect();
                Error::Recipe(format!("{at}: unknown transform '{name}'; known are {}, and the groups OneOf, SomeOf", names.join(", ")))
            })?;
            let p = probability(obj, at, name, entry.info.default_p)?;
            let fields = Fields::new(at, entry.info, obj)?;
            let transform = (entry.build)(&fields)?;
            let mut resolved = Map::new();
            resolved.insert("name".into(), json!(entry.info.name));
            resolved.insert("p".into(), json!(p));
            resolved.extend(fields.finish()?);
            Ok((Node::Step { name: entry.info.name, p, transform }, Value::Object(resolved)))
        }
    }
}

fn probability(obj: &Map<String, Value>, at: &str, name: &str, default: f64) -> Result<f64> {
    match obj.get("p") {
        None => Ok(default),
        Some(v) => match v.as_f64() {
            Some(p) if (0.0..=1.0).contains(&p) => Ok(p),
            _ => Err(Error::field(at, name, "p", format!("is {}; allowed: a probability from 0 to 1", describe(v)))),
        },
    }
}

fn parse_group(name: &str, obj: &Map<String, Value>, at: &str, depth: usize, count: &mut usize) -> Result<(Node, Value)> {
    if depth + 1 >= MAX_DEPTH {
        return Err(Error::Recipe(format!("{at}: groups nested deeper than {MAX_DEPTH} levels")));
    }
    let some_of = name == "SomeOf";
    let allowed: &[&str] = if some_of { &["name", "p", "transforms", "n", "replace"] } else { &["name", "p", "transforms"] };
    if let Some(key) = obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(Error::Recipe(format!("{at} ({name}): unknown field '{key}'; allowed fields are {}", allowed[1..].join(", "))));
    }
    let p = probability(obj, at, name, if some_of { 1.0 } else { 0.5 })?;
    let list = obj.get("transforms").ok_or_else(|| Error::Recipe(format!("{at} ({name}): missing 'transforms', the list to choose from")))?;
    let (children, resolved) = parse_list(list, &format!("{at}.transforms"), depth + 1, count)?;
    if children.is_empty() {
        return Err(Error::Recipe(format!("{at} ({name}): 'transforms' is empty; a group needs at least one transform")));
    }
    if !some_of {
        let node = Node::OneOf { p, children };
        return Ok((node, json!({ "name": name, "p": p, "transforms": resolved })));
    }
    let replace = match obj.get("replace") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(v) => return Err(Error::field(at, name, "replace", format!("is {}; allowed: true or false", describe(v)))),
    };
    let n = match obj.get("n") {
        None => 1,
        Some(v) => match v.as_u64() {
            Some(n) if replace || n as usize <= children.len() => n as usize,
            _ => {
                let limit = if replace { "any whole number from 0".to_string() } else { format!("a whole number from 0 to {} (the number of transforms; or set replace)", children.len()) };
                return Err(Error::field(at, name, "n", format!("is {}; allowed: {limit}", describe(v))));
            }
        },
    };
    if n > MAX_STEPS {
        return Err(Error::field(at, name, "n", format!("is {n}; allowed: at most {MAX_STEPS}")));
    }
    let node = Node::SomeOf { p, n, replace, children };
    Ok((node, json!({ "name": name, "p": p, "n": n, "replace": replace, "transforms": resolved })))
}
