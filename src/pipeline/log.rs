//! The replay log: what each step of one application did.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One step's record. `params` holds the exact sampled parameters of an applied transform;
/// groups list the children they ran in `children`, each with its `index` in the group.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    pub name: String,
    pub applied: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<LogEntry>,
}

impl LogEntry {
    pub(crate) fn skipped(name: &str) -> Self {
        LogEntry { name: name.into(), applied: false, index: None, params: None, children: Vec::new() }
    }
    pub(crate) fn step(name: &str, params: Value) -> Self {
        LogEntry { name: name.into(), applied: true, index: None, params: Some(params), children: Vec::new() }
    }
    pub(crate) fn group(name: &str, children: Vec<LogEntry>) -> Self {
        LogEntry { name: name.into(), applied: true, index: None, params: None, children }
    }
    pub(crate) fn at(mut self, index: usize) -> Self {
        self.index = Some(index);
        self
    }
}
