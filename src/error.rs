//! The one error type of augplay.
//!
//! Every public function returns [`Result`]. Messages are written for the person who made the
//! mistake: they name what was wrong (the transform's index and name, the field) and what is
//! allowed. Nothing in the core panics on user input; bad input becomes one of these values.

use std::fmt;

/// Everything that can go wrong, grouped by who has to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The recipe JSON is malformed, or a transform or parameter in it is not allowed.
    Recipe(String),
    /// Image bytes could not be decoded (corrupt, empty, unsupported format).
    Decode(String),
    /// Image dimensions or buffer sizes are impossible or beyond the documented limits.
    Image(String),
    /// A call argument other than the recipe or image is out of range (seed, count, ...).
    Argument(String),
    /// A task's parameters break its rules (e.g. a crop-out too close to the border).
    Task(String),
    /// Reading or writing a file failed (command line only).
    Io(String),
}

impl Error {
    /// A recipe error about one field of one transform, in the standard wording.
    pub fn field(index: &str, transform: &str, field: &str, problem: impl fmt::Display) -> Self {
        Error::Recipe(format!("transform {index} ({transform}): field '{field}' {problem}"))
    }

    /// The message without the category prefix.
    pub fn message(&self) -> &str {
        match self {
            Error::Recipe(m) | Error::Decode(m) | Error::Image(m) | Error::Argument(m) | Error::Task(m) | Error::Io(m) => m,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Error::Recipe(_) => "invalid recipe",
            Error::Decode(_) => "cannot decode image",
            Error::Image(_) => "invalid image",
            Error::Argument(_) => "invalid argument",
            Error::Task(_) => "task rule violated",
            Error::Io(_) => "file error",
        };
        write!(f, "{kind}: {}", self.message())
    }
}

impl std::error::Error for Error {}

/// Shorthand used throughout the crate.
pub type Result<T> = std::result::Result<T, Error>;
