//! How spun each thesaurus suspect looks, and what a document's suspects say together.
//!
//! Port of `spindetect.suspects`. A tree ensemble turns a suspect's features
//! ([`SUSPECT_FEATURES`]) into the log-odds that it was substituted; minus the training prior,
//! a log likelihood ratio. A document's evidence is the mixture log-likelihood ratio
//! `sum(log(1 - s + s * ratio_i))`. Data file `suspect_model.json`: `{"features": [names],
//! "trees": {...}, "prior_log_odds": float, "mixture_share": float, "artefact_log_ratio":
//! float, "trained_on": str}`.

use std::path::Path;

use serde_json::Value;

use crate::numeric::{logaddexp, np_minimum, pairwise_sum};
use crate::trees::TreeEnsemble;
use crate::{Error, Result};

/// The columns of a suspect's feature row, in order.
pub const SUSPECT_FEATURES: [&str; 10] = [
    "statistic",
    "gain",
    "neg_log_p",
    "unigram_gap",
    "written_unigram",
    "context_gain",
    "next_context_gain",
    "span_words",
    "log_closeness",
    "candidates",
];
/// Lowest share of substitutions [`SuspectModel::estimate_share`] returns.
pub const MIN_SHARE: f64 = 0.0005;
/// Highest share of substitutions [`SuspectModel::estimate_share`] returns.
pub const MAX_SHARE: f64 = 0.9;
/// Halvings of the share interval in [`SuspectModel::estimate_share`].
pub const BISECTION_STEPS: usize = 40;
/// Statistic and gain of a suspect without a scorable candidate.
pub const MISSING_SCORE: f64 = -5.0;

/// A tree model of "this suspect was substituted", and the document evidence built on it.
#[derive(Debug, Clone)]
pub struct SuspectModel {
    trees: TreeEnsemble,
    prior_log_odds: f64,
    mixture_share: f64,
    artefact_log_ratio: f64,
    trained_on: String,
}

impl SuspectModel {
    /// Load and check a model from the text of its JSON file (`origin` names it in errors).
    pub fn from_json(text: &str, origin: &str) -> Result<SuspectModel> {
        let bad = |what: &str| Error::Model(format!("{origin}: {what}"));
        let data: Value =
            serde_json::from_str(text).map_err(|error| bad(&format!("not JSON: {error}")))?;
        let names = data.get("features").and_then(Value::as_array);
        let matches = names.is_some_and(|names| {
            names.len() == SUSPECT_FEATURES.len()
                && names
                    .iter()
                    .zip(SUSPECT_FEATURES)
                    .all(|(name, expected)| name.as_str() == Some(expected))
        });
        if !matches {
            return Err(bad("suspect features do not match"));
        }
        let trees = data.get("trees").ok_or_else(|| bad("no trees"))?;
        let trees = TreeEnsemble::from_json_value(trees, SUSPECT_FEATURES.len())
            .map_err(|error| bad(&error.to_string()))?;
        let number = |key: &str| {
            data.get(key)
                .and_then(Value::as_f64)
                .ok_or_else(|| bad(&format!("{key} must be a number")))
        };
        let share = number("mixture_share")?;
        if !(0.0 < share && share < 1.0) {
            return Err(bad("mixture_share must be between 0 and 1"));
        }
        let artefact_log_ratio = match data.get("artefact_log_ratio") {
            None => 0.0,
            Some(_) => number("artefact_log_ratio")?,
        };
        let trained_on = match data.get("trained_on") {
            None => String::new(),
            Some(Value::String(text)) => text.clone(),
            Some(_) => return Err(bad("trained_on must be a string")),
        };
        Ok(SuspectModel {
            trees,
            prior_log_odds: number("prior_log_odds")?,
            mixture_share: share,
            artefact_log_ratio,
            trained_on,
        })
    }

    /// Load and check a model file.
    pub fn from_file(path: &Path) -> Result<SuspectModel> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| Error::Model(format!("{}: {error}", path.display())))?;
        SuspectModel::from_json(&text, &path.display().to_string())
    }

    /// The tree ensemble whose score is the log-odds.
    pub fn trees(&self) -> &TreeEnsemble {
        &self.trees
    }

    /// Log-odds of a substitution in the training data.
    pub fn prior_log_odds(&self) -> f64 {
        self.prior_log_odds
    }

    /// The share of substitutions assumed by [`SuspectModel::evidence`].
    pub fn mixture_share(&self) -> f64 {
        self.mixture_share
    }

    /// The fixed log ratio of one certain artefact.
    pub fn artefact_log_ratio(&self) -> f64 {
        self.artefact_log_ratio
    }

    /// What the model was trained on.
    pub fn trained_on(&self) -> &str {
        &self.trained_on
    }

    /// Log-odds that each suspect (a row of `rows`, row-major, columns as
    /// [`SUSPECT_FEATURES`]) was substituted.
    pub fn log_odds(&self, rows: &[f64]) -> Result<Vec<f64>> {
        self.trees.decision(rows)
    }

    /// log of P(evidence | substituted) / P(evidence | honest) for each suspect row.
    pub fn log_ratios(&self, rows: &[f64]) -> Result<Vec<f64>> {
        let mut ratios = self.log_odds(rows)?;
        for ratio in &mut ratios {
            *ratio -= self.prior_log_odds;
        }
        Ok(ratios)
    }

    /// Mixture log-likelihood ratio of a set of suspects (their log ratios) and `artefacts`
    /// certain artefacts (0.0 for none).
    pub fn evidence(&self, ratios: &[f64], artefacts: usize) -> f64 {
        let share = self.mixture_share;
        let (clean, spun) = ((-share).ln_1p(), share.ln());
        let terms: Vec<f64> = ratios
            .iter()
            .chain(std::iter::repeat_n(&self.artefact_log_ratio, artefacts))
            .map(|ratio| logaddexp(clean, spun + ratio))
            .collect();
        pairwise_sum(&terms)
    }

    /// Posterior probability that each suspect was substituted when a `share` of its
    /// document's suspects were (1 - posterior is the local false-discovery rate).
    pub fn posteriors(ratios: &[f64], share: f64) -> Vec<f64> {
        ratios
            .iter()
            .map(|ratio| {
                let odds = share / (1.0 - share) * np_minimum(*ratio, 50.0).exp();
                odds / (1.0 + odds)
            })
            .collect()
    }

    /// Maximum a posteriori share of substituted suspects among those with these log ratios,
    /// in [[`MIN_SHARE`], [`MAX_SHARE`]], under a Beta(1, 1 + prior_weight) prior; the
    /// derivative of the concave log posterior is bisected [`BISECTION_STEPS`] times.
    pub fn estimate_share(ratios: &[f64], prior_weight: f64) -> f64 {
        let excess: Vec<f64> = ratios
            .iter()
            .map(|ratio| np_minimum(*ratio, 50.0).exp() - 1.0)
            .collect();
        let mut terms = vec![0.0; excess.len()];
        let mut slope = |share: f64| {
            for (term, excess) in terms.iter_mut().zip(&excess) {
                *term = excess / (1.0 + share * excess);
            }
            pairwise_sum(&terms) - prior_weight / (1.0 - share)
        };
        let (mut low, mut high) = (MIN_SHARE, MAX_SHARE);
        if slope(low) <= 0.0 {
            return low;
        }
        if slope(high) >= 0.0 {
            return high;
        }
        for _ in 0..BISECTION_STEPS {
            let middle = 0.5 * (low + high);
            if slope(middle) > 0.0 {
                low = middle;
            } else {
                high = middle;
            }
        }
        0.5 * (low + high)
    }
}
