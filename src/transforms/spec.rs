//! Declared parameters: one table per transform gives each parameter's type, default, allowed
//! range and description. Recipe parsing, validation, defaults, error messages and the catalog
//! shown by the page all come from that one table, so they cannot disagree.

use serde_json::{json, Map, Value};

use crate::error::{Error, Result};

/// How a one-number value given for a range parameter is read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    /// `x` means `[-x, x]` (albumentations' `*_limit` convention).
    Symmetric,
    /// `x` means `[x, x]`.
    Fixed,
    /// `x` means `[max(0, 1 - x), 1 + x]` (torchvision's ColorJitter factors).
    AroundOne,
}

/// The type, default and allowed values of one parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Bool { default: bool },
    Float { default: f64, min: f64, max: f64 },
    Int { default: i64, min: i64, max: i64 },
    /// `[lo, hi]` with `min <= lo <= hi <= max`.
    FloatRange { default: [f64; 2], min: f64, max: f64, scalar: Scalar },
    /// `[lo, hi]` whole numbers with `min <= lo <= hi <= max`.
    IntRange { default: [i64; 2], min: i64, max: i64, scalar: Scalar },
    Choice { default: &'static str, options: &'static [&'static str] },
    /// Two whole numbers `[x, y]` (no order between them), each in `min..=max`.
    IntPair { default: [i64; 2], min: i64, max: i64 },
    /// What dropped pixels become: a grey level 0–255, one per channel `[r, g, b]`, "random"
    /// (independent uniform values) or "random_uniform" (one random colour per region).
    Fill { default: u8, random: bool },
}

/// A parsed [`Kind::Fill`].
#[derive(Clone, Debug, PartialEq)]
pub enum Fill {
    Values(Vec<u8>),
    Random,
    RandomUniform,
}

/// One parameter of a transform.
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    pub name: &'static str,
    pub kind: Kind,
    pub description: &'static str,
}

/// The families the page groups transforms by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Noise,
    Dropout,
    Flips,
    CropZoom,
    Rotation,
    Distortion,
    Colour,
    BlurQuality,
}

impl Family {
    pub fn id(self) -> &'static str {
        match self {
            Family::Noise => "noise",
            Family::Dropout => "dropout",
            Family::Flips => "flips",
            Family::CropZoom => "crop_zoom",
            Family::Rotation => "rotation",
            Family::Distortion => "distortion",
            Family::Colour => "colour",
            Family::BlurQuality => "blur_quality",
        }
    }
}

/// What the catalog says about a transform.
#[derive(Clone, Copy, Debug)]
pub struct TransformInfo {
    pub name: &'static str,
    pub family: Family,
    /// One line: what it does to a picture.
    pub description: &'static str,
    /// When it can hurt a model (shown by the page next to the transform), if ever.
    pub caution: Option<&'static str>,
    /// Probability of applying when the recipe gives no `p`.
    pub default_p: f64,
    pub params: &'static [ParamSpec],
}

fn fmt_num(v: f64) -> String {
    // The shortest form that reads back to the same value; with an exponent (as JSON and
    // JavaScript write them) where plain digits would run to dozens: 1e20, 1e-300.
    if v != 0.0 && (v.abs() >= 1e16 || v.abs() < 1e-6) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

impl Kind {
    fn type_name(&self) -> &'static str {
        match self {
            Kind::Bool { .. } => "bool",
            Kind::Float { .. } => "float",
            Kind::Int { .. } => "int",
            Kind::FloatRange { .. } => "float_range",
            Kind::IntRange { .. } => "int_range",
            Kind::Choice { .. } => "choice",
            Kind::Fill { .. } => "fill",
            Kind::IntPair { .. } => "int_pair",
        }
    }

    /// "a number from 0 to 1", as used in error messages.
    pub fn allowed(&self) -> String {
        match *self {
            Kind::Bool { .. } => "true or false".into(),
            Kind::Float { min, max, .. } => format!("a number from {} to {}", fmt_num(min), fmt_num(max)),
            Kind::Int { min, max, .. } => format!("a whole number from {min} to {max}"),
            Kind::FloatRange { min, max, scalar, .. } => format!(
                "[low, high] with {} <= low <= high <= {}{}",
                fmt_num(min),
                fmt_num(max),
                scalar_hint(scalar)
            ),
            Kind::IntRange { min, max, scalar, .. } => {
                format!("[low, high] of whole numbers with {min} <= low <= high <= {max}{}", scalar_hint(scalar))
            }
            Kind::Choice { options, .. } => format!("one of {}", options.iter().map(|o| format!("\"{o}\"")).collect::<Vec<_>>().join(", ")),
            Kind::IntPair { min, max, .. } => format!("[x, y], two whole numbers from {min} to {max}"),
            Kind::Fill { random: true, .. } => "a grey level 0–255, [r, g, b] levels, \"random\" or \"random_uniform\"".into(),
            Kind::Fill { random: false, .. } => "a grey level 0–255 or [r, g, b] levels".into(),
        }
    }

    fn default_json(&self) -> Value {
        match *self {
            Kind::Bool { default } => json!(default),
            Kind::Float { default, .. } => json!(default),
            Kind::Int { default, .. } => json!(default),
            Kind::FloatRange { default, .. } => json!(default),
            Kind::IntRange { default, .. } => json!(default),
            Kind::Choice { default, .. } => json!(default),
            Kind::Fill { default, .. } => json!(default),
            Kind::IntPair { default, .. } => json!(default),
        }
    }
}

fn scalar_hint(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::Symmetric => " (one number x means [-x, x])",
        Scalar::Fixed => " (one number x means [x, x])",
        Scalar::AroundOne => " (one number x means [max(0, 1 - x), 1 + x])",
    }
}

impl ParamSpec {
    fn catalog_entry(&self) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), json!(self.name));
        m.insert("type".into(), json!(self.kind.type_name()));
        m.insert("default".into(), self.kind.default_json());
        match self.kind {
            Kind::Float { min, max, .. } | Kind::FloatRange { min, max, .. } => {
                m.insert("min".into(), json!(min));
                m.insert("max".into(), json!(max));
            }
            Kind::Int { min, max, .. } | Kind::IntRange { min, max, .. } | Kind::IntPair { min, max, .. } => {
                m.insert("min".into(), json!(min));
                m.insert("max".into(), json!(max));
            }
            Kind::Choice { options, .. } => {
                m.insert("options".into(), json!(options));
            }
            Kind::Fill { random: true, .. } => {
                m.insert("options".into(), json!(["random", "random_uniform"]));
            }
            Kind::Fill { random: false, .. } => {}
            Kind::Bool { .. } => {}
        }
        if let Kind::FloatRange { scalar, .. } | Kind::IntRange { scalar, .. } = self.kind {
            let scalar = match scalar {
                Scalar::Symmetric => "symmetric",
                Scalar::Fixed => "fixed",
                Scalar::AroundOne => "around_one",
            };
            m.insert("scalar".into(), json!(scalar));
        }
        m.insert("description".into(), json!(self.description));
        Value::Object(m)
    }
}

impl TransformInfo {
    /// The catalog entry the page builds its controls from.
    pub fn catalog_entry(&self) -> Value {
        json!({
            "name": self.name,
            "family": self.family.id(),
            "description": self.description,
            "caution": self.caution,
            "p": self.default_p,
            "params": self.params.iter().map(ParamSpec::catalog_entry).collect::<Vec<_>>(),
        })
    }
}

/// Reads one transform's fields from a recipe object against its [`TransformInfo`], filling
/// defaults, and records the resolved values (the normalised recipe).
pub struct Fields<'a> {
    at: &'a str,
    info: &'static TransformInfo,
    obj: &'a Map<String, Value>,
    resolved: std::cell::RefCell<Map<String, Value>>,
}

/// Keys that every transform object may have besides its parameters.
pub const COMMON_KEYS: [&str; 2] = ["name", "p"];

impl<'a> Fields<'a> {
    /// `at` names the transform's place in the recipe for messages, e.g. "#2" or "#1.0".
    pub fn new(at: &'a str, info: &'static TransformInfo, obj: &'a Map<String, Value>) -> Result<Self> {
        for key in obj.keys() {
            if !COMMON_KEYS.contains(&key.as_str()) && !info.params.iter().any(|s| s.name == key) {
                let mut allowed: Vec<&str> = COMMON_KEYS[1..].to_vec();
                allowed.extend(info.params.iter().map(|s| s.name));
                return Err(Error::Recipe(format!(
                    "transform {at} ({}): unknown field '{key}'; allowed fields are {}",
                    info.name,
                    allowed.join(", ")
                )));
            }
        }
        Ok(Fields { at, info, obj, resolved: Default::default() })
    }

    pub fn info(&self) -> &'static TransformInfo {
        self.info
    }

    /// Whether the recipe gives `name` itself (rather than leaving it to the default).
    pub fn given(&self, name: &str) -> bool {
        self.obj.contains_key(name)
    }

    fn spec(&self, name: &str) -> Result<&'static ParamSpec> {
        self.info.params.iter().find(|s| s.name == name).ok_or_else(|| {
            Error::Recipe(format!("internal: transform {} reads undeclared parameter '{name}'", self.info.name))
        })
    }

    fn bad(&self, spec: &ParamSpec, problem: String) -> Error {
        Error::field(self.at, self.info.name, spec.name, format!("{problem}; allowed: {}", spec.kind.allowed()))
    }

    fn record(&self, name: &str, v: Value) {
        self.resolved.borrow_mut().insert(name.to_string(), v);
    }

    fn number(&self, spec: &ParamSpec, v: &Value) -> Result<f64> {
        match v.as_f64() {
            Some(x) if x.is_finite() => Ok(x),
            _ => Err(self.bad(spec, format!("is {}", describe(v)))),
        }
    }

    pub fn bool(&self, name: &str) -> Result<bool> {
        let spec = self.spec(name)?;
        let Kind::Bool { default } = spec.kind else { return Err(self.wrong_getter(name)) };
        let v = match self.obj.get(name) {
            None => default,
            Some(Value::Bool(b)) => *b,
            Some(other) => return Err(self.bad(spec, format!("is {}", describe(other)))),
        };
        self.record(name, json!(v));
        Ok(v)
    }

    pub fn float(&self, name: &str) -> Result<f64> {
        let spec = self.spec(name)?;
        let Kind::Float { default, min, max } = spec.kind else { return Err(self.wrong_getter(name)) };
        let v = match self.obj.get(name) {
            None => default,
            Some(v) => self.number(spec, v)?,
        };
        if !(min..=max).contains(&v) {
            return Err(self.bad(spec, format!("is {}", fmt_num(v))));
        }
        self.record(name, json!(v));
        Ok(v)
    }

    pub fn int(&self, name: &str) -> Result<i64> {
        let spec = self.spec(name)?;
        let Kind::Int { default, min, max } = spec.kind else { return Err(self.wrong_getter(name)) };
        let v = match self.obj.get(name) {
            None => default,
            Some(v) => self.whole(spec, v)?,
        };
        if !(min..=max).contains(&v) {
            return Err(self.bad(spec, format!("is {v}")));
        }
        self.record(name, json!(v));
        Ok(v)
    }

    fn whole(&self, spec: &ParamSpec, v: &Value) -> Result<i64> {
        let x = self.number(spec, v)?;
        if x.fract() != 0.0 {
            return Err(self.bad(spec, format!("is {}, not a whole number", fmt_num(x))));
        }
        // Whole, but beyond every allowed range (and beyond exact integers in f64).
        if x.abs() > 9.0e15 {
            return Err(self.bad(spec, format!("is {}", fmt_num(x))));
        }
        Ok(x as i64)
    }

    /// Reads `[lo, hi]` (or one number, per `scalar`) as f64 values for both range kinds.
    fn pair(&self, spec: &ParamSpec, scalar: Scalar, v: &Value, whole: bool) -> Result<[f64; 2]> {
        let read = |v: &Value| -> Result<f64> {
            if whole {
                self.whole(spec, v).map(|x| x as f64)
            } else {
                self.number(spec, v)
            }
        };
        let pair = match v {
            Value::Array(items) if items.len() == 2 => [read(&items[0])?, read(&items[1])?],
            Value::Array(items) => return Err(self.bad(spec, format!("has {} values", items.len()))),
            Value::Number(_) => {
                let x = read(v)?;
                match scalar {
                    Scalar::Symmetric => [-x.abs(), x.abs()],
                    Scalar::Fixed => [x, x],
                    Scalar::AroundOne => [(1.0 - x.abs()).max(0.0), 1.0 + x.abs()],
                }
            }
            other => return Err(self.bad(spec, format!("is {}", describe(other)))),
        };
        if pair[0] > pair[1] {
            return Err(self.bad(spec, format!("is [{}, {}], low above high", fmt_num(pair[0]), fmt_num(pair[1]))));
        }
        Ok(pair)
    }

    pub fn float_range(&self, name: &str) -> Result<[f64; 2]> {
        let spec = self.spec(name)?;
        let Kind::FloatRange { default, min, max, scalar } = spec.kind else { return Err(self.wrong_getter(name)) };
        let v = match self.obj.get(name) {
            None => default,
            Some(v) => self.pair(spec, scalar, v, false)?,
        };
        if v[0] < min || v[1] > max {
            return Err(self.bad(spec, format!("is [{}, {}]", fmt_num(v[0]), fmt_num(v[1]))));
        }
        self.record(name, json!(v));
        Ok(v)
    }

    pub fn int_range(&self, name: &str) -> Result<[i64; 2]> {
        let spec = self.spec(name)?;
        let Kind::IntRange { default, min, max, scalar } = spec.kind else { return Err(self.wrong_getter(name)) };
        let v = match self.obj.get(name) {
            None => default,
            Some(v) => self.pair(spec, scalar, v, true)?.map(|x| x as i64),
        };
        if v[0] < min || v[1] > max {
            return Err(self.bad(spec, format!("is [{}, {}]", v[0], v[1])));
        }
        self.record(name, json!(v));
        Ok(v)
    }

    pub fn choice(&self, name: &str) -> Result<&'static str> {
        let spec = self.spec(name)?;
        let Kind::Choice { default, options } = spec.kind else { return Err(self.wrong_getter(name)) };
        let v = match self.obj.get(name) {
            None => default,
            Some(Value::String(s)) => match options.iter().find(|o| **o == s) {
                Some(o) => o,
                None => return Err(self.bad(spec, format!("is \"{s}\""))),
            },
            Some(other) => return Err(self.bad(spec, format!("is {}", describe(other)))),
        };
        self.record(name, json!(v));
        Ok(v)
    }

    pub fn int_pair(&self, name: &str) -> Result<[i64; 2]> {
        let spec = self.spec(name)?;
        let Kind::IntPair { default, min, max } = spec.kind else { return Err(self.wrong_getter(name)) };
        let v = match self.obj.get(name) {
            None => default,
            Some(Value::Array(items)) if items.len() == 2 => [self.whole(spec, &items[0])?, self.whole(spec, &items[1])?],
            Some(other) => return Err(self.bad(spec, format!("is {}", describe(other)))),
        };
        if v.iter().any(|x| !(min..=max).contains(x)) {
            return Err(self.bad(spec, format!("is [{}, {}]", v[0], v[1])));
        }
        self.record(name, json!(v));
        Ok(v)
    }

    pub fn fill(&self, name: &str) -> Result<Fill> {
        let spec = self.spec(name)?;
        let Kind::Fill { default, random } = spec.kind else { return Err(self.wrong_getter(name)) };
        let level = |v: &Value| -> Result<u8> {
            match v.as_f64() {
                Some(x) if (0.0..=255.0).contains(&x) => Ok(x.round() as u8),
                _ => Err(self.bad(spec, format!("has {}", describe(v)))),
            }
        };
        let (fill, resolved) = match self.obj.get(name) {
            None => (Fill::Values(vec![default]), json!(default)),
            Some(Value::String(s)) if random && s == "random" => (Fill::Random, json!("random")),
            Some(Value::String(s)) if random && s == "random_uniform" => (Fill::RandomUniform, json!("random_uniform")),
            Some(Value::Array(items)) if (1..=4).contains(&items.len()) => {
                let values = items.iter().map(level).collect::<Result<Vec<u8>>>()?;
                (Fill::Values(values.clone()), json!(values))
            }
            Some(v @ Value::Number(_)) => {
                let l = level(v)?;
                (Fill::Values(vec![l]), json!(l))
            }
            Some(other) => return Err(self.bad(spec, format!("is {}", describe(other)))),
        };
        self.record(name, resolved);
        Ok(fill)
    }

    fn wrong_getter(&self, name: &str) -> Error {
        Error::Recipe(format!("internal: transform {} reads '{name}' as the wrong type", self.info.name))
    }

    /// The parameters as resolved (defaults filled in); fails if the transform left one unread,
    /// which would mean the catalog promises a parameter that does nothing.
    pub fn finish(self) -> Result<Map<String, Value>> {
        let resolved = self.resolved.into_inner();
        if let Some(spec) = self.info.params.iter().find(|s| !resolved.contains_key(s.name)) {
            return Err(Error::Recipe(format!("internal: transform {} ignores parameter '{}'", self.info.name, spec.name)));
        }
        Ok(resolved)
    }
}

/// "a string (\"x\")", "null", ... for messages about a value of the wrong type.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}, a boolean"),
        Value::Number(n) => format!("{n}"),
        Value::String(s) => format!("\"{s}\", a string"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}
