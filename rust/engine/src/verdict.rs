//! The document classifier: how likely a whole text is to be spun, from the detector's
//! evidence.
//!
//! Port of `spindetect.classifier` (and `detect.Evidence`). Features ([`features`]): findings
//! per 1,000 words (log1p), the log length, and the suspects' mixture log-likelihood ratio
//! divided by the square root of the length. The model is a logistic regression on
//! standardised features; data file `document_model.json`: `{"features": [names], "mean":
//! [...], "scale": [...], "coef": [...], "intercept": float, "trained_on": str}`.

use std::ops::Add;
use std::path::Path;

use serde_json::Value;

use crate::numeric::{py_max, py_min};
use crate::{Error, Result};

/// The classifier's inputs, in order.
pub const FEATURE_NAMES: [&str; 3] = [
    "findings_per_1000_words",
    "log_words",
    "suspect_log_ratio_per_sqrt_word",
];

/// Counts behind a document's verdict: thesaurus suspects, how many are unusual against clean
/// text (p <= 0.01, p <= 0.05), certain artefacts (phrasebook `always`, spintax), Fisher's sum
/// `-sum(ln p)` over the suspects, the suspects' mixture log-likelihood ratio of spun over
/// clean, and the findings added by following confirmed swaps. Pieces of a long text add up.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Evidence {
    /// Thesaurus suspects.
    pub suspects: usize,
    /// Suspects with a p-value at most 0.01.
    pub p_below_001: usize,
    /// Suspects with a p-value at most 0.05.
    pub p_below_005: usize,
    /// Certain artefacts (phrasebook `always` hits, spintax).
    pub artefacts: usize,
    /// Fisher's sum `-sum(ln p)` over the suspects.
    pub neg_log_p: f64,
    /// The suspects' mixture log-likelihood ratio of spun over clean.
    pub suspect_log_ratio: f64,
    /// Findings added by following confirmed swaps (made after the verdict).
    pub followed: usize,
}

impl Add for Evidence {
    type Output = Evidence;

    fn add(self, other: Evidence) -> Evidence {
        Evidence {
            suspects: self.suspects + other.suspects,
            p_below_001: self.p_below_001 + other.p_below_001,
            p_below_005: self.p_below_005 + other.p_below_005,
            artefacts: self.artefacts + other.artefacts,
            neg_log_p: self.neg_log_p + other.neg_log_p,
            suspect_log_ratio: self.suspect_log_ratio + other.suspect_log_ratio,
            followed: self.followed + other.followed,
        }
    }
}

/// The classifier's inputs for one document of `words` words with `findings` findings.
pub fn features(findings: usize, evidence: &Evidence, words: usize) -> [f64; 3] {
    let per_1000 = 1000.0 / words.max(50) as f64;
    [
        (findings as f64 * per_1000).ln_1p(),
        (words as f64).ln_1p(),
        evidence.suspect_log_ratio / (words.max(1) as f64).sqrt(),
    ]
}

/// A logistic regression stored as plain numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentModel {
    mean: [f64; 3],
    scale: [f64; 3],
    coef: [f64; 3],
    intercept: f64,
    trained_on: String,
}

impl DocumentModel {
    /// Load and check a model from the text of its JSON file (`origin` names it in errors).
    pub fn from_json(text: &str, origin: &str) -> Result<DocumentModel> {
        let bad = |what: &str| Error::Model(format!("{origin}: {what}"));
        let data: Value =
            serde_json::from_str(text).map_err(|error| bad(&format!("not JSON: {error}")))?;
        let names = data.get("features").and_then(Value::as_array);
        let matches = names.is_some_and(|names| {
            names.len() == FEATURE_NAMES.len()
                && names
                    .iter()
                    .zip(FEATURE_NAMES)
                    .all(|(name, expected)| name.as_str() == Some(expected))
        });
        if !matches {
            return Err(bad("model features do not match this version"));
        }
        let triple = |key: &str| -> Result<[f64; 3]> {
            let wrong = || {
                bad(&format!(
                    "{key} must be a list of {} numbers",
                    FEATURE_NAMES.len()
                ))
            };
            let list = data.get(key).and_then(Value::as_array).ok_or_else(wrong)?;
            let numbers: Option<Vec<f64>> = list.iter().map(Value::as_f64).collect();
            numbers.ok_or_else(wrong)?.try_into().map_err(|_| wrong())
        };
        let intercept = data.get("intercept").and_then(Value::as_f64);
        let trained_on = match data.get("trained_on") {
            None => String::new(),
            Some(Value::String(text)) => text.clone(),
            Some(_) => return Err(bad("trained_on must be a string")),
        };
        Ok(DocumentModel {
            mean: triple("mean")?,
            scale: triple("scale")?,
            coef: triple("coef")?,
            intercept: intercept.ok_or_else(|| bad("intercept must be a number"))?,
            trained_on,
        })
    }

    /// Load and check a model file.
    pub fn from_file(path: &Path) -> Result<DocumentModel> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| Error::Model(format!("{}: {error}", path.display())))?;
        DocumentModel::from_json(&text, &path.display().to_string())
    }

    /// What the model was trained on.
    pub fn trained_on(&self) -> &str {
        &self.trained_on
    }

    /// P(spun) for one feature vector (as [`features`] makes).
    pub fn probability(&self, values: &[f64; 3]) -> f64 {
        let mut total = 0.0;
        for (((value, coef), mean), scale) in values
            .iter()
            .zip(&self.coef)
            .zip(&self.mean)
            .zip(&self.scale)
        {
            total += coef * (value - mean) / scale;
        }
        let z = self.intercept + total;
        1.0 / (1.0 + (-py_max(-50.0, py_min(50.0, z))).exp())
    }
}
