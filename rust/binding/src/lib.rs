//! The PyO3 boundary of spindetect (`spindetect._core`): converts values, releases the GIL,
//! calls the engine. No detection logic lives here.
//!
//! Offsets cross the boundary as Python character offsets (the engine works in bytes). Text that
//! Python holds with lone surrogates (not valid UTF-8) is scanned with each one read as U+FFFD,
//! which keeps every character offset where it was.

mod convert;
mod engine;
mod thesaurus;

use pyo3::prelude::*;

/// The compiled core of spindetect.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<engine::Engine>()?;
    m.add_class::<thesaurus::Thesaurus>()?;
    m.add_function(wrap_pyfunction!(thesaurus::build_thesaurus_table, m)?)?;
    m.add("ModelError", m.py().get_type::<convert::ModelError>())?;
    m.add(
        "PhrasebookError",
        m.py().get_type::<convert::PhrasebookError>(),
    )?;
    m.add_function(wrap_pyfunction!(convert::tokenize, m)?)?;
    m.add_function(wrap_pyfunction!(convert::parse_query, m)?)?;
    m.add_function(wrap_pyfunction!(engine::document_features, m)?)?;
    m.add_function(wrap_pyfunction!(convert::transfer_case, m)?)?;
    m.add_function(wrap_pyfunction!(convert::digit_word, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "SUSPECT_FEATURES",
        spindetect_engine::suspects::SUSPECT_FEATURES.to_vec(),
    )?;
    m.add(
        "DOCUMENT_FEATURES",
        spindetect_engine::verdict::FEATURE_NAMES.to_vec(),
    )?;
    Ok(())
}
