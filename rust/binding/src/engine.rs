//! `Engine`: the models loaded once, shared by every thread; one call scans a batch of texts
//! on a thread pool with the GIL released.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;
use rayon::prelude::*;
use spindetect_engine::config::Config;
use spindetect_engine::detect::{Detector, Examined};
use spindetect_engine::tokenize::tokenize;
use spindetect_engine::verdict::{features, Evidence};

use crate::convert::{guarded, py_error, text_of, CharOffsets};

/// A finding as Python receives it: (start, end, suggestion, score, source, reason,
/// alternatives, restore), character offsets.
type PyFinding = (usize, usize, String, f64, String, String, Vec<String>, bool);
/// Evidence as a tuple in the order of the Python `Evidence` fields.
type PyEvidence = (usize, usize, usize, usize, f64, f64, usize);
/// One scanned text: findings, evidence, word count.
type PyScan = (Vec<PyFinding>, PyEvidence, usize);
/// A phrasebook entry: (spun, original, mode, note, source, fingerprint query or None).
type PyEntry = (String, String, String, String, String, Option<String>);

/// The detector's models, loaded once; `scan` and `scan_many` may be called from any number
/// of Python threads at once.
#[pyclass(frozen, module = "spindetect._core")]
pub struct Engine {
    detector: Arc<Detector>,
    pools: Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>,
}

#[pymethods]
impl Engine {
    /// Load the models: the CMU LM file, extra `.spref` references mixed in, the named candidate tables,
    /// the null, suspect and document model files, phrasebook entries and settings.
    #[new]
    #[pyo3(signature = (*, reference, references, candidates, null, suspects, document, entries, config))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        reference: PathBuf,
        references: Vec<PathBuf>,
        candidates: Vec<(String, PathBuf)>,
        null: PathBuf,
        suspects: PathBuf,
        document: PathBuf,
        entries: Vec<PyEntry>,
        config: HashMap<String, f64>,
    ) -> PyResult<Self> {
        let config = config_of(&config)?;
        let detector = py
            .detach(|| {
                guarded(|| {
                    spindetect_engine::load::detector(
                        &reference,
                        &references,
                        &candidates,
                        &null,
                        &suspects,
                        &document,
                        entries,
                        config,
                    )
                })
            })?
            .map_err(py_error)?;
        Ok(Engine {
            detector: Arc::new(detector),
            pools: Mutex::new(HashMap::new()),
        })
    }

    /// Findings, evidence and word count of one text.
    fn scan(&self, py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<PyScan> {
        let text = text_of(text);
        let text: &str = &text;
        let detector = &self.detector;
        py.detach(|| guarded(|| scan_one(detector, text)))?
            .map_err(py_error)
    }

    /// `scan` of every text, in input order, on `threads` threads (the GIL released).
    fn scan_many(
        &self,
        py: Python<'_>,
        texts: Vec<Bound<'_, PyString>>,
        threads: usize,
    ) -> PyResult<Vec<PyScan>> {
        let owned: Vec<String> = texts
            .iter()
            .map(|text| text_of(text).into_owned())
            .collect();
        let pool = self.pool(threads)?;
        let detector = &self.detector;
        py.detach(|| {
            guarded(|| {
                pool.install(|| {
                    owned
                        .par_iter()
                        .map(|text| scan_one(detector, text))
                        .collect::<spindetect_engine::Result<Vec<PyScan>>>()
                })
            })
        })?
        .map_err(py_error)
    }

    /// The suspect model's features of every thesaurus suspect of `text` and each suspect's
    /// character span (what the suspect model is trained on).
    #[allow(clippy::type_complexity)]
    fn suspect_table(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyString>,
    ) -> PyResult<(Vec<Vec<f64>>, Vec<(usize, usize)>)> {
        let text = text_of(text);
        let text: &str = &text;
        let detector = &self.detector;
        py.detach(|| {
            guarded(|| {
                let (rows, spans) = detector.suspect_table(text, &tokenize(text));
                let mut offsets = CharOffsets::new(text);
                let spans = spans
                    .into_iter()
                    .map(|(start, end)| (offsets.at(start), offsets.at(end)))
                    .collect();
                (rows.into_iter().map(|row| row.to_vec()).collect(), spans)
            })
        })
    }

    /// The thesaurus statistic of every suspect of `text` (what the null model is built from).
    fn statistics(&self, py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<Vec<f64>> {
        let text = text_of(text);
        let text: &str = &text;
        let detector = &self.detector;
        py.detach(|| guarded(|| detector.statistics(text, &tokenize(text))))
    }

    /// True when the reference knows `word` (lower-cased): only such words are scored.
    fn knows(&self, word: &str) -> bool {
        self.detector.models().reference.knows(word)
    }

    /// P(spun) of a document with this many findings, this evidence and this many words.
    fn probability(&self, findings: usize, evidence: PyEvidence, words: usize) -> f64 {
        self.detector
            .probability(findings, &evidence_of(evidence), words)
    }
}

impl Engine {
    fn pool(&self, threads: usize) -> PyResult<Arc<rayon::ThreadPool>> {
        if threads == 0 {
            return Err(PyValueError::new_err("threads must be at least 1"));
        }
        let mut pools = self
            .pools
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(pool) = pools.get(&threads) {
            return Ok(pool.clone());
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|index| format!("spindetect-{index}"))
            .build()
            .map_err(|error| PyValueError::new_err(format!("cannot start threads: {error}")))?;
        let pool = Arc::new(pool);
        pools.insert(threads, pool.clone());
        Ok(pool)
    }
}

fn scan_one(detector: &Detector, text: &str) -> spindetect_engine::Result<PyScan> {
    let tokens = tokenize(text);
    let Examined {
        findings,
        evidence,
        words,
    } = detector.examine(text, &tokens)?;
    let mut offsets = CharOffsets::new(text);
    let findings = findings
        .into_iter()
        .map(|f| {
            let start = offsets.at(f.start);
            let end = offsets.at(f.end);
            let (text, why) = (f.suggestion, f.reason);
            (
                start,
                end,
                text,
                f.score,
                f.source,
                why,
                f.alternatives,
                f.restore,
            )
        })
        .collect();
    Ok((findings, tuple_of(&evidence), words))
}

/// The document classifier's inputs for a document with this many findings (made before
/// confirmed swaps were followed), this evidence and this many words.
#[pyfunction]
pub fn document_features(findings: usize, evidence: PyEvidence, words: usize) -> [f64; 3] {
    features(findings, &evidence_of(evidence), words)
}

fn tuple_of(e: &Evidence) -> PyEvidence {
    (
        e.suspects,
        e.p_below_001,
        e.p_below_005,
        e.artefacts,
        e.neg_log_p,
        e.suspect_log_ratio,
        e.followed,
    )
}

fn evidence_of(e: PyEvidence) -> Evidence {
    Evidence {
        suspects: e.0,
        p_below_001: e.1,
        p_below_005: e.2,
        artefacts: e.3,
        neg_log_p: e.4,
        suspect_log_ratio: e.5,
        followed: e.6,
    }
}

fn config_of(values: &HashMap<String, f64>) -> PyResult<Config> {
    let mut config = Config::default();
    for (name, &value) in values {
        let count = || -> PyResult<usize> {
            if value >= 0.0 && value.fract() == 0.0 && value < 1e9 {
                Ok(value as usize)
            } else {
                Err(PyValueError::new_err(format!(
                    "{name} must be a whole number, got {value}"
                )))
            }
        };
        match name.as_str() {
            "threshold" => config.threshold = value,
            "max_p_value" => config.max_p_value = value,
            "share_prior_weight" => config.share_prior_weight = value,
            "min_suspects" => config.min_suspects = count()?,
            "frequency_discount" => config.frequency_discount = value,
            "closeness_weight" => config.closeness_weight = value,
            "context_margin" => config.context_margin = value,
            "frequent_logprob" => config.frequent_logprob = value,
            "max_candidates" => config.max_candidates = count()?,
            "pair_candidates" => config.pair_candidates = count()?,
            "consistent_at" => config.consistent_at = value,
            "restore_margin" => config.restore_margin = value,
            other => return Err(PyValueError::new_err(format!("unknown setting {other:?}"))),
        }
    }
    Ok(config)
}
