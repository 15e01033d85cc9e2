//! Linear interpolation of references in probability space, `P = sum_i w_i P_i`: Python's
//! `MixtureReference` and `combine_references` (`spindetect.reference.ngram`).
//!
//! A mixture has ids of its own: the ids of its first component, then one id for each word
//! only later components know (matched across components by [`word_hash`]). Each mixture id
//! keeps the word's id in every component that has it; a component that lacks the word answers
//! with [`Reference::logprob_unknown`], a history word it lacks is left out of its history
//! (what Python's string queries amount to).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use super::{word_hash, Reference, SprefModel, WordId};
use crate::{Error, Result};

/// Marks "this component lacks the word" in the id table.
const ABSENT: WordId = WordId::MAX;

/// A weighted mixture of references; a [`Reference`] named `a+b+...`.
pub struct Mixture {
    components: Vec<Arc<dyn Reference>>,
    log_weights: Vec<f64>,
    name: String,
    /// Row `id` holds the word's id in each component ([`ABSENT`] where it lacks the word).
    component_ids: Vec<WordId>,
    /// [`word_hash`] of each mixture word, by id.
    hashes: Vec<u64>,
    /// Mixture id by word hash (first id of a hash wins).
    by_hash: HashMap<u64, WordId, BuildHasherDefault<PassThrough>>,
    /// log10 P(w) of each mixture word, by id.
    unigrams: Vec<f64>,
}

impl std::fmt::Debug for Mixture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mixture")
            .field("name", &self.name)
            .field("log_weights", &self.log_weights)
            .field("words", &self.hashes.len())
            .finish()
    }
}

impl Mixture {
    /// Mix `components` with `weights` (normalised to sum to one). Every component must list
    /// its vocabulary ([`Reference::vocabulary_size`], [`Reference::word_hash`]).
    pub fn new(components: Vec<Arc<dyn Reference>>, weights: Vec<f64>) -> Result<Mixture> {
        if components.len() != weights.len() || components.is_empty() {
            return Err(Error::Value("one weight per component".into()));
        }
        let total: f64 = weights.iter().sum();
        if weights.iter().any(|&w| !(w > 0.0 && w.is_finite())) || !total.is_finite() {
            return Err(Error::Value(format!(
                "mixture weights must be positive: {weights:?}"
            )));
        }
        let log_weights = weights.iter().map(|w| (w / total).log10()).collect();
        let name = components
            .iter()
            .map(|c| c.name())
            .collect::<Vec<_>>()
            .join("+");
        let width = components.len();
        let mut component_ids: Vec<WordId> = Vec::new();
        let mut hashes = Vec::new();
        let mut by_hash = HashMap::default();
        for (index, component) in components.iter().enumerate() {
            for id in 0..component.vocabulary_size() {
                let id = WordId::try_from(id)
                    .map_err(|_| Error::Value(format!("{}: too many words", component.name())))?;
                let hash = component.word_hash(id).ok_or_else(|| {
                    Error::Value(format!("{}: no hash for word id {id}", component.name()))
                })?;
                let row = match (index, by_hash.get(&hash)) {
                    (_, Some(&row)) if index > 0 => row,
                    _ => {
                        // A new word; the first component's ids are kept as they are, even
                        // for a duplicate string (its first id is the one `id` returns).
                        let row = WordId::try_from(hashes.len())
                            .map_err(|_| Error::Value("mixture vocabulary too large".into()))?;
                        by_hash.entry(hash).or_insert(row);
                        hashes.push(hash);
                        component_ids.extend(std::iter::repeat_n(ABSENT, width));
                        row
                    }
                };
                let cell = row as usize * width + index;
                if component_ids[cell] == ABSENT {
                    component_ids[cell] = id;
                }
            }
        }
        let mut mixture = Mixture {
            components,
            log_weights,
            name,
            component_ids,
            hashes,
            by_hash,
            unigrams: Vec::new(),
        };
        mixture.unigrams = (0..mixture.hashes.len() as WordId)
            .map(|w| mixture.mixed(w, None, None))
            .collect();
        Ok(mixture)
    }

    /// The components, in order.
    pub fn components(&self) -> &[Arc<dyn Reference>] {
        &self.components
    }

    /// log10 of each component's weight (normalised).
    pub fn log_weights(&self) -> &[f64] {
        &self.log_weights
    }

    /// Component `index`'s id of mixture word `id`.
    #[inline]
    fn component_id(&self, id: Option<WordId>, index: usize) -> Option<WordId> {
        let row = id? as usize;
        let stored = *self
            .component_ids
            .get(row * self.components.len() + index)?;
        (stored != ABSENT).then_some(stored)
    }

    /// Python `MixtureReference.logprob`: the top value plus log10 of the sum of 10^(v - top)
    /// over the weighted component values `v`. `w == None` is a word no component has.
    fn mixed(&self, w: WordId, h1: Option<WordId>, h2: Option<WordId>) -> f64 {
        let mut values = [0.0f64; 8];
        let mut many = Vec::new();
        let values: &mut [f64] = if self.components.len() <= values.len() {
            &mut values[..self.components.len()]
        } else {
            many.resize(self.components.len(), 0.0);
            &mut many
        };
        let h1 = h1.filter(|&h| (h as usize) < self.hashes.len());
        let h2 = h1.and(h2);
        for (index, (component, value)) in self.components.iter().zip(values.iter_mut()).enumerate()
        {
            let c1 = self.component_id(h1, index);
            let c2 = c1.and(self.component_id(h2, index));
            let score = match self.component_id(Some(w), index) {
                Some(cw) => component.logprob(cw, c1, c2),
                None => component.logprob_unknown(c1, c2),
            };
            *value = self.log_weights[index] + score;
        }
        let top = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = values.iter().map(|v| 10f64.powf(v - top)).sum();
        top + sum.log10()
    }
}

impl Reference for Mixture {
    fn name(&self) -> &str {
        &self.name
    }

    fn id(&self, word: &str) -> Option<WordId> {
        match self.components.first().and_then(|first| first.id(word)) {
            Some(id) => Some(id),
            None => self.by_hash.get(&word_hash(word)).copied(),
        }
    }

    fn knows(&self, word: &str) -> bool {
        self.components
            .iter()
            .any(|component| component.knows(word))
    }

    fn logprob(&self, w: WordId, h1: Option<WordId>, h2: Option<WordId>) -> f64 {
        match (h1, self.unigrams.get(w as usize)) {
            (None, Some(&value)) => value,
            _ => self.mixed(w, h1, h2),
        }
    }

    fn unigram(&self, w: WordId) -> f64 {
        self.logprob(w, None, None)
    }

    fn logprob_unknown(&self, h1: Option<WordId>, h2: Option<WordId>) -> f64 {
        self.mixed(ABSENT, h1, h2)
    }

    fn vocabulary_size(&self) -> usize {
        self.hashes.len()
    }

    fn word_hash(&self, id: WordId) -> Option<u64> {
        self.hashes.get(id as usize).copied()
    }
}

/// Python `combine_references(default, paths)`: the default reference mixed with the models
/// at `paths`, half the weight to the default, the other half shared equally by the models.
pub fn combine(default: Arc<dyn Reference>, paths: &[PathBuf]) -> Result<Mixture> {
    let mut components = vec![default];
    for path in paths {
        components.push(Arc::new(SprefModel::open(path)?) as Arc<dyn Reference>);
    }
    let share = 0.5 / paths.len().max(1) as f64;
    let weights = std::iter::once(0.5)
        .chain(std::iter::repeat_n(share, paths.len()))
        .collect();
    Mixture::new(components, weights)
}

/// A hasher for keys that are already uniform 64-bit hashes: it passes them through.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 << 8 | u64::from(byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}
