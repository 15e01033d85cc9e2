//! The null distribution of suspect statistics on clean English (statistic -> p-value), and
//! Benjamini-Hochberg false-discovery control within one document (p-value -> q-value).
//!
//! Port of `spindetect.calibration`. Data file `null_statistics.json`: `{"source": str,
//! "suspects": int, "values": [float...], "survival": [float...]}`; `survival[i]` is the share
//! of clean-text suspects whose statistic is at least `values[i]` (values ascending).

use std::path::Path;

use serde_json::Value;

use crate::numeric::{np_minimum, py_min};
use crate::{Error, Result};

/// Survival function of the suspect statistic on clean text, interpolated in log space.
#[derive(Debug, Clone, PartialEq)]
pub struct NullDistribution {
    values: Vec<f64>,
    log_survival: Vec<f64>,
    source: String,
    suspects: u64,
}

impl NullDistribution {
    /// Load the table from the text of a `null_statistics.json` file (`origin` names it in
    /// errors). The values must be finite and ascending, the survival shares in (0, 1], at
    /// least two of each.
    pub fn from_json(text: &str, origin: &str) -> Result<NullDistribution> {
        let bad = |what: &str| Error::Model(format!("{origin}: {what}"));
        let data: Value =
            serde_json::from_str(text).map_err(|error| bad(&format!("not JSON: {error}")))?;
        let values = float_list(&data, "values").map_err(|what| bad(&what))?;
        let survival = float_list(&data, "survival").map_err(|what| bad(&what))?;
        if values.len() != survival.len() || values.len() < 2 {
            return Err(bad("values and survival need equal lengths of at least 2"));
        }
        if values.iter().any(|v| !v.is_finite()) || values.windows(2).any(|w| w[1] < w[0]) {
            return Err(bad("values must be finite and ascending"));
        }
        if survival.iter().any(|s| !(*s > 0.0 && *s <= 1.0)) {
            return Err(bad("survival shares must be in (0, 1]"));
        }
        let source = match data.get("source") {
            None => String::new(),
            Some(Value::String(source)) => source.clone(),
            Some(_) => return Err(bad("source must be a string")),
        };
        let suspects = match data.get("suspects") {
            None => 0,
            Some(number) => number
                .as_u64()
                .ok_or_else(|| bad("suspects must be a whole number"))?,
        };
        Ok(NullDistribution {
            log_survival: survival.iter().map(|s| s.ln()).collect(),
            values,
            source,
            suspects,
        })
    }

    /// Load the table from a `null_statistics.json` file.
    pub fn from_file(path: &Path) -> Result<NullDistribution> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| Error::Model(format!("{}: {error}", path.display())))?;
        NullDistribution::from_json(&text, &path.display().to_string())
    }

    /// P(statistic >= x) on clean text; beyond the table the last log-slope is extended; 1.0 at
    /// or below the smallest value and for NaN.
    pub fn p_value(&self, statistic: f64) -> f64 {
        let values = &self.values;
        let last = values.len() - 1;
        // NaN and anything at or below the first value: 1.0 (Python's `~(x > values[0])`).
        if statistic.partial_cmp(&values[0]) != Some(std::cmp::Ordering::Greater) {
            return 1.0;
        }
        let index = values.partition_point(|value| *value <= statistic);
        let high = index.clamp(1, last);
        let low = high - 1;
        let span = values[high] - values[low];
        let result = if span <= 0.0 {
            self.log_survival[high].exp()
        } else {
            let fraction = (statistic - values[low]) / span;
            let log_p = self.log_survival[low]
                + fraction * (self.log_survival[high] - self.log_survival[low]);
            np_minimum(log_p, 0.0).exp()
        };
        np_minimum(result, 1.0)
    }

    /// [`NullDistribution::p_value`] of every statistic.
    pub fn p_values(&self, statistics: &[f64]) -> Vec<f64> {
        statistics.iter().map(|s| self.p_value(*s)).collect()
    }

    /// Where the table was measured.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// How many clean-text suspects the table summarises.
    pub fn suspects(&self) -> u64 {
        self.suspects
    }
}

/// The list of floats under `key`, or what is wrong with it.
fn float_list(data: &Value, key: &str) -> std::result::Result<Vec<f64>, String> {
    let list = data
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{key} must be a list of numbers"))?;
    list.iter()
        .map(|item| {
            item.as_f64()
                .ok_or_else(|| format!("{key} must be a list of numbers"))
        })
        .collect()
}

/// Benjamini-Hochberg q-values for one document's suspects, from their p-values.
///
/// With `n` suspects, `q(p) = min over p-values p' >= p (and p itself) of
/// p' * n / #{suspects with p-value <= p'}`. `certain` discoveries (phrasebook artefacts)
/// join the family as tests that are always rejected; with fewer than `min_suspects` suspects
/// every q is 1.
#[derive(Debug, Clone, PartialEq)]
pub struct FalseDiscoveryControl {
    certain: usize,
    count: usize,
    ordered: Vec<f64>,
    q_from: Vec<f64>,
}

impl FalseDiscoveryControl {
    /// Control over `p_values` with `certain` sure discoveries; `Error::Value` if a p-value is
    /// NaN.
    pub fn new(p_values: &[f64], certain: usize, min_suspects: usize) -> Result<Self> {
        if p_values.iter().any(|p| p.is_nan()) {
            return Err(Error::Value(
                "false-discovery control: a p-value is NaN".into(),
            ));
        }
        let count = if p_values.len() >= min_suspects {
            p_values.len()
        } else {
            0
        };
        let mut ordered = if count > 0 {
            p_values.to_vec()
        } else {
            Vec::new()
        };
        ordered.sort_by(f64::total_cmp);
        let mut control = FalseDiscoveryControl {
            certain,
            count,
            ordered,
            q_from: vec![1.0; count],
        };
        let mut best = 1.0;
        for index in (0..count).rev() {
            best = py_min(best, control.direct(control.ordered[index], index + 1));
            control.q_from[index] = best;
        }
        Ok(control)
    }

    fn direct(&self, p_value: f64, at_most: usize) -> f64 {
        p_value * (self.count + self.certain) as f64 / (at_most + self.certain).max(1) as f64
    }

    /// Estimated false-discovery rate of accepting every suspect with a p-value this small.
    pub fn q_value(&self, p_value: f64) -> f64 {
        if self.count == 0 {
            return 1.0;
        }
        // Python's bisect: a NaN probe compares false both ways.
        let (at_most, above) = if p_value.is_nan() {
            (self.count, 0)
        } else {
            (
                self.ordered.partition_point(|p| *p <= p_value),
                self.ordered.partition_point(|p| *p < p_value),
            )
        };
        let mut q = self.direct(p_value, at_most);
        if above < self.count {
            q = py_min(q, self.q_from[above]);
        }
        py_min(1.0, q)
    }

    /// The sure discoveries counted in the family.
    pub fn certain(&self) -> usize {
        self.certain
    }

    /// The suspects counted (0 below `min_suspects`).
    pub fn count(&self) -> usize {
        self.count
    }
}
