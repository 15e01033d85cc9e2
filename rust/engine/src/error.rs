//! The one error type of the engine; the binding maps each variant to a Python exception.

use std::fmt;

/// What can go wrong in the engine. Every message names the file or input at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A model or data file that cannot be read or parsed (reference, thesaurus, models).
    Model(String),
    /// A phrasebook line or fingerprint query that cannot be parsed.
    Phrasebook(String),
    /// A value passed in by the caller that is out of range.
    Value(String),
    /// An operating-system error while opening or mapping a file.
    Io(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Model(m) | Error::Phrasebook(m) | Error::Value(m) | Error::Io(m) => {
                f.write_str(m)
            }
        }
    }
}

impl std::error::Error for Error {}

/// Result with the engine's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
