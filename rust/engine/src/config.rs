//! The detector's settings; every threshold is an option, none is hidden.

/// Number of suspect-model features (see `suspects::SUSPECT_FEATURES`).
pub const FEATURES: usize = 10;

/// Settings of the detector; every threshold is an option, none is hidden (see the Python
/// `DetectorConfig` for what each means).
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Minimum finding score to report (and so to restore).
    pub threshold: f64,
    /// A thesaurus suspect needs a p-value at most this small for the q-value to count.
    pub max_p_value: f64,
    /// Weight of the prior holding a document's share of substituted suspects near zero.
    pub share_prior_weight: f64,
    /// Thesaurus findings need at least this many suspects in the document.
    pub min_suspects: usize,
    /// Share of a candidate's unigram advantage discounted from its gain.
    pub frequency_discount: f64,
    /// Weight of log10(closeness) in the statistic.
    pub closeness_weight: f64,
    /// Gain (log10) at which a phrasebook `context` entry scores 0.5.
    pub context_margin: f64,
    /// Words with a unigram log10 probability above this are never suspects nor candidates.
    pub frequent_logprob: f64,
    /// Candidates tried per suspect from each source, best first.
    pub max_candidates: usize,
    /// For two adjacent suspects, the best this many of each are also tried together.
    pub pair_candidates: usize,
    /// P(spun) from which confirmed swaps are followed to their other places (above 1: off).
    pub consistent_at: f64,
    /// A thesaurus finding is restored only when its best original's statistic is at least
    /// this far (log10) above the runner-up's; otherwise it is reported with its candidates.
    pub restore_margin: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            threshold: 0.95,
            max_p_value: 0.02,
            share_prior_weight: 19.0,
            min_suspects: 20,
            frequency_discount: 0.25,
            closeness_weight: 1.0,
            context_margin: 1.0,
            frequent_logprob: -2.3,
            max_candidates: 15,
            pair_candidates: 4,
            consistent_at: 0.8,
            restore_margin: 0.25,
        }
    }
}

impl Config {
    /// Logistic confidence of a phrasebook `context` entry (0.5 at the margin).
    pub fn context_score(&self, gain: f64) -> f64 {
        let exponent = (gain - self.context_margin).clamp(-50.0, 50.0);
        1.0 / (1.0 + 10f64.powf(-exponent))
    }
}
