//! Shared helpers of the model and thesaurus parity tests: where the data is, golden records.

#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;

use serde_json::Value;

/// The repository root: two folders above this crate, or `SPINDETECT_REPO` (a scratch copy).
pub fn repo_root() -> PathBuf {
    if let Some(root) = std::env::var_os("SPINDETECT_REPO") {
        return PathBuf::from(root);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A data file of the repository (`corpus/`: the package ships these, or tables made from them).
pub fn data_file(name: &str) -> PathBuf {
    repo_root().join("corpus").join(name)
}

/// The records of a gzip'd JSONL golden file under `tests/data`.
pub fn golden(name: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let file = std::fs::File::open(&path).expect("golden file (make_*.py writes it)");
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .expect("gzip text");
    text.lines()
        .map(|line| serde_json::from_str(line).expect("JSON line"))
        .collect()
}

/// A float of a golden record ("nan", "inf", "-inf" written as strings).
pub fn float(value: &Value) -> f64 {
    match value {
        Value::String(text) => match text.as_str() {
            "nan" => f64::NAN,
            "inf" => f64::INFINITY,
            "-inf" => f64::NEG_INFINITY,
            other => panic!("not a float: {other}"),
        },
        other => other.as_f64().expect("a number"),
    }
}

/// A list of floats of a golden record.
pub fn floats(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(float)
        .collect()
}

/// Counts how many values matched exactly and the largest relative difference.
#[derive(Debug, Default)]
pub struct Agreement {
    pub compared: usize,
    pub exact: usize,
    pub worst: f64,
}

impl Agreement {
    /// Compare `got` to `want` within `tolerance` (relative to max(1, |want|)); NaN equals NaN.
    pub fn check(&mut self, got: f64, want: f64, tolerance: f64, what: &str) {
        self.compared += 1;
        if got == want || (got.is_nan() && want.is_nan()) {
            self.exact += 1;
            return;
        }
        let difference = (got - want).abs() / want.abs().max(1.0);
        assert!(difference <= tolerance, "{what}: got {got}, Python {want}");
        self.worst = self.worst.max(difference);
    }
}
