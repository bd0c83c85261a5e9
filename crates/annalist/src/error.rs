//! Errors (something could not be done) and diagnostics (something odd was noticed and handled).
//!
//! Odd language is data, not failure: stages return their result together with diagnostics. An
//! [`Error`] is reserved for input that cannot be used at all, such as a dictionary line that does
//! not parse; it always says where the input was.

use serde::Serialize;
use std::fmt;

/// Where in the input something happened. Every field is optional because not every input has
/// files or lines (an article given on standard input, a string in a test).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line number in `file`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Location {
        Location { file: Some(file.into()), ..Location::default() }
    }

    pub fn line(file: impl Into<String>, line: u64) -> Location {
        Location { file: Some(file.into()), line: Some(line), article: None }
    }

    pub fn with_article(mut self, article: impl Into<String>) -> Location {
        self.article = Some(article.into());
        self
    }

    pub fn is_empty(&self) -> bool {
        self.file.is_none() && self.line.is_none() && self.article.is_none()
    }
}

/// `file:line: article ID` with the parts that are known.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            sep = ": ";
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
        } else if let Some(line) = self.line {
            write!(f, "line {line}")?;
            sep = ": ";
        }
        if let Some(article) = &self.article {
            write!(f, "{sep}article {article}")?;
        }
        Ok(())
    }
}

/// What kind of failure an [`Error`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An article or record that cannot be read: no text, malformed JSON, a line too long.
    Input,
    /// A dictionary line that does not parse.
    Dictionary,
    /// A model file that is corrupt or of another version.
    Model,
    /// Evaluation data that does not line up with what the evaluator expects.
    Eval,
}

/// An input that could not be used, with where it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub location: Location,
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, location: Location, message: impl Into<String>) -> Error {
        Error { kind, location, message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.location, self.message)
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; the output is complete.
    Note,
    /// Something was repaired or guessed (text decoded as Windows-1252, no date).
    Warning,
    /// Something was lost: a record skipped, a line dropped.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Something noticed about the input while processing it. `code` is stable and machine-readable
/// (`invalid-utf8`, `missing-date`); `message` is for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    #[serde(flatten)]
    pub location: Location,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &'static str, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity, code, message: message.into(), location }
    }

    pub fn warning(code: &'static str, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, code, location, message)
    }

    pub fn error(code: &'static str, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, code, location, message)
    }
}

/// `file:line: article ID: warning[code]: message`, the shape compilers use, so editors link it.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.location.is_empty() {
            write!(f, "{}: ", self.location)?;
        }
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)
    }
}

impl From<Error> for Diagnostic {
    fn from(error: Error) -> Diagnostic {
        let code = match error.kind {
            ErrorKind::Input => "bad-input",
            ErrorKind::Dictionary => "bad-dictionary",
            ErrorKind::Model => "bad-model",
            ErrorKind::Eval => "bad-eval-data",
        };
        Diagnostic::error(code, error.location, error.message)
    }
}
