//! Values across the boundary: Python text in, character offsets out; engine errors and panics
//! as Python exceptions.

use std::borrow::Cow;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyString;
use spindetect_engine::tokenize::tokenize as engine_tokenize;
use spindetect_engine::Error;

/// The text of a Python string; each lone surrogate (which UTF-8 cannot hold) becomes one
/// U+FFFD, so character offsets are unchanged.
pub fn text_of<'a>(text: &'a Bound<'_, PyString>) -> Cow<'a, str> {
    if let Ok(valid) = text.to_str() {
        return Cow::Borrowed(valid);
    }
    let encoded = text
        .call_method1("encode", ("utf-8", "surrogatepass"))
        .and_then(|bytes| bytes.extract::<Vec<u8>>());
    match encoded {
        Ok(bytes) => Cow::Owned(replace_surrogates(&bytes)),
        Err(_) => Cow::Owned(text.to_string_lossy().into_owned()),
    }
}

/// UTF-8 with surrogates encoded as three bytes each (Python's `surrogatepass`) as a string
/// with one U+FFFD for each surrogate (and for any other byte that is not UTF-8).
fn replace_surrogates(mut bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(bytes) {
            Ok(rest) => {
                text.push_str(rest);
                return text;
            }
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                text.push(char::REPLACEMENT_CHARACTER);
                let surrogate =
                    rest.len() >= 3 && rest[0] == 0xED && (0xA0..=0xBF).contains(&rest[1]);
                let skip = if surrogate {
                    3
                } else {
                    error.error_len().unwrap_or(rest.len())
                };
                bytes = &rest[skip.min(rest.len())..];
            }
        }
    }
}

/// Maps byte offsets of one text to character offsets; offsets must be asked in rising order
/// for the walk to stay linear (an offset below the last one restarts it).
pub struct CharOffsets<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
}

impl<'t> CharOffsets<'t> {
    /// A walker over `text`.
    pub fn new(text: &'t str) -> Self {
        CharOffsets {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// Character offset of byte offset `at` (a char boundary of the text).
    pub fn at(&mut self, at: usize) -> usize {
        if at < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        let at = at.min(self.text.len());
        self.chars += self
            .text
            .get(self.byte..at)
            .map_or(0, |s| s.chars().count());
        self.byte = at;
        self.chars
    }
}

pyo3::create_exception!(
    _core,
    ModelError,
    PyValueError,
    "A model or data file that cannot be read; the message names the file."
);
pyo3::create_exception!(
    _core,
    PhrasebookError,
    PyValueError,
    "A phrasebook entry or fingerprint query that cannot be parsed."
);

/// Engine errors as Python exceptions, one class per kind of error.
pub fn py_error(error: Error) -> PyErr {
    match error {
        Error::Model(message) | Error::Io(message) => ModelError::new_err(message),
        Error::Phrasebook(message) => PhrasebookError::new_err(message),
        Error::Value(message) => PyValueError::new_err(message),
    }
}

/// Run `work`, turning a panic into a Python `RuntimeError` instead of unwinding into Python.
pub fn guarded<T>(work: impl FnOnce() -> T) -> PyResult<T> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        PyRuntimeError::new_err(format!(
            "spindetect core failed (a bug, please report): {message}"
        ))
    })
}

/// A fingerprint query's canonical text, and its phrase when it is a plain phrase (no
/// operator, no proximity); raises `PhrasebookError` with what is wrong.
#[pyfunction]
pub fn parse_query(text: &str) -> PyResult<(String, Option<String>)> {
    let query = spindetect_engine::phrasebook::parse_query(text).map_err(py_error)?;
    let plain = match (&query.root, query.is_plain()) {
        (spindetect_engine::phrasebook::Node::Term(term), true) => Some(term.phrase.clone()),
        _ => None,
    };
    Ok((query.to_string(), plain))
}

/// `replacement` in the case pattern of `observed` ("Chilly Warfare" -> "Cold War").
#[pyfunction]
pub fn transfer_case(observed: &str, replacement: &str) -> String {
    spindetect_engine::grammar::transfer_case(observed, replacement)
}

/// The number word a lone digit stands for ("2" -> "two"), if any.
#[pyfunction]
pub fn digit_word(digit: &str) -> Option<&'static str> {
    spindetect_engine::grammar::digit_word(digit)
}

/// Tokens of `text` as `(start, end, lower, kind)` tuples, character offsets.
#[pyfunction]
pub fn tokenize(
    py: Python<'_>,
    text: &Bound<'_, PyString>,
) -> PyResult<Vec<(usize, usize, String, &'static str)>> {
    let text = text_of(text);
    let text: &str = &text;
    py.detach(|| {
        guarded(|| {
            let mut offsets = CharOffsets::new(text);
            engine_tokenize(text)
                .into_iter()
                .map(|token| {
                    let start = offsets.at(token.start);
                    let end = offsets.at(token.end);
                    (start, end, token.lower, token.kind.name())
                })
                .collect()
        })
    })
}
