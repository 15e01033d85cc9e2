//! The reversed thesaurus for Python's tools (evaluation, simulation, source matching): the
//! same table and look-ups the engine's candidates come from.

use std::path::PathBuf;

use pyo3::prelude::*;
use spindetect_engine::thesaurus::Thesaurus as Table;

use crate::convert::py_error;

/// Observed form -> candidate originals (word tuples) with their closeness, best first.
#[pyclass(frozen, module = "spindetect._core")]
pub struct Thesaurus {
    table: Table,
}

#[pymethods]
impl Thesaurus {
    /// Open (memory-map and check) a table written by `build_thesaurus_table`.
    #[new]
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let table = py.detach(|| Table::open_table(&path)).map_err(py_error)?;
        Ok(Thesaurus { table })
    }

    fn __contains__(&self, observed: &str) -> bool {
        self.table.contains(observed)
    }

    fn __len__(&self) -> usize {
        self.table.len()
    }

    /// `(original words, closeness)` pairs for an observed form (lower-cased, space-joined).
    fn candidates(&self, observed: &str) -> Vec<(Vec<String>, f64)> {
        self.table.candidates_owned(observed)
    }

    /// Every observed form, sorted.
    fn observed_forms(&self) -> Vec<String> {
        self.table.forms().map(str::to_owned).collect()
    }

    /// True when some longer observed form starts with these words.
    fn is_prefix(&self, phrase: &str) -> bool {
        self.table.is_prefix(phrase)
    }

    /// Words in the longest observed form.
    #[getter]
    fn max_words(&self) -> usize {
        self.table.max_words()
    }
}

/// Build the memory-mappable table from a reversed-thesaurus `.tsv.gz` (format in
/// `corpus/README.md`); written through a temporary file and renamed.
#[pyfunction]
pub fn build_thesaurus_table(py: Python<'_>, source: PathBuf, output: PathBuf) -> PyResult<()> {
    py.detach(|| Table::from_tsv_gz(&source).and_then(|table| table.write_table(&output)))
        .map_err(py_error)
}
