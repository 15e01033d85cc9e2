//! The project's own n-gram models (`.spref`, written by `spindetect reference build`),
//! memory-mapped and queried in place; Python's `spindetect.reference.ngram.NgramReference`.
//!
//! File: `b"SPDNGRM1"`, a uint64 header length, a UTF-8 JSON header (name, order,
//! unknown_logprob, arrays `{name: [offset, count, dtype]}`, ...), then per order n the sorted
//! uint64 `keys{n}` (hashed n-grams), float32 `logprob{n}` and, below the highest order, float32
//! `backoff{n}`. Words are hashed ([`word_hash`]), never stored; an n-gram's key folds its word
//! hashes oldest first with a splitmix64 mixer. Queries back off like an ARPA model.
//!
//! Word ids are positions in `keys1`, so the ids of a model are its unigrams (`<s>` included
//! when the corpus had sentences). A history word the model lacks has no n-gram and no backoff,
//! so leaving it out of the history gives the same value Python computes with its hash.

use std::path::{Path, PathBuf};

use memmap2::Mmap;
use serde_json::Value;

use super::bytes::{f32_at, map_file, u64_at};
use super::{word_hash, Reference, WordId, SENTENCE_START};
use crate::{Error, Result};

/// The 8 magic bytes that start the file.
const MAGIC: &[u8] = b"SPDNGRM1";
/// The multiplier of the key fold (Python `_MULTIPLIER`).
const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// A typed array in the file: byte offset and number of elements.
#[derive(Debug, Clone, Copy)]
struct Array {
    offset: usize,
    count: usize,
}

/// The arrays of one order.
#[derive(Debug, Clone, Copy)]
struct Level {
    keys: Array,
    logprob: Array,
    backoff: Option<Array>,
}

/// A `.spref` model, memory-mapped; a [`Reference`] named after its header (or file stem).
#[derive(Debug)]
pub struct SprefModel {
    path: PathBuf,
    name: String,
    header: Value,
    map: Mmap,
    levels: Vec<Level>,
    unknown: f64,
}

impl SprefModel {
    /// Map the model at `path` and check its header and array table against the file.
    pub fn open(path: &Path) -> Result<SprefModel> {
        let shown = path.display().to_string();
        let map = map_file(path)?;
        if map.get(..MAGIC.len()) != Some(MAGIC) {
            return Err(Error::Model(format!(
                "{shown}: not a spindetect reference model"
            )));
        }
        let header_len = usize::try_from(u64_at(&map, MAGIC.len())).unwrap_or(usize::MAX);
        let start = MAGIC.len() + 8;
        let text = map
            .get(start..start.saturating_add(header_len))
            .unwrap_or(&[]);
        let header: Value = std::str::from_utf8(text)
            .ok()
            .and_then(|text| serde_json::from_str(text).ok())
            .ok_or_else(|| Error::Model(format!("{shown}: damaged model header")))?;
        let damaged = |what: &str| Error::Model(format!("{shown}: damaged model ({what})"));
        let levels = read_levels(&header, map.len()).map_err(|what| damaged(&what))?;
        let unknown = header
            .get("unknown_logprob")
            .and_then(Value::as_f64)
            .ok_or_else(|| damaged("'unknown_logprob'"))?;
        let name = match header.get("name") {
            Some(Value::String(name)) if !name.is_empty() => name.clone(),
            _ => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        Ok(SprefModel {
            path: path.to_path_buf(),
            name,
            header,
            map,
            levels,
            unknown,
        })
    }

    /// The file this model was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The JSON header (provenance: source, sha256_of_arrays, counts...).
    pub fn header(&self) -> &Value {
        &self.header
    }

    /// The n-gram order of the model (1 to 3).
    pub fn order(&self) -> usize {
        self.levels.len()
    }

    /// Stored n-grams, all orders together (Python `provenance["rows"]`).
    pub fn rows(&self) -> usize {
        self.levels.iter().map(|level| level.keys.count).sum()
    }

    /// log10 P(w | history) by the backoff walk of Python `_score_one`. `history` holds the
    /// (id, hash) of the known history words, oldest first; `word` is the predicted word's, or
    /// None for a word the model lacks (none of its n-grams can be stored). A unigram's index
    /// in `keys1` is its id, so only orders above 1 are searched.
    fn score(&self, history: &[(WordId, u64)], word: Option<(WordId, u64)>) -> f64 {
        let keep = self.levels.len().saturating_sub(1).min(history.len());
        let mut history = &history[history.len() - keep..];
        let mut total = 0.0f64;
        loop {
            let n = history.len() + 1;
            let Some(level) = self.levels.get(n - 1) else {
                return total + self.unknown;
            };
            let context_key = history.iter().fold(None, |key, &(_, h)| Some(fold(key, h)));
            if let Some((id, hash)) = word {
                let index = match context_key {
                    None => Some(id as usize),
                    Some(context) => self.find(level.keys, fold(Some(context), hash)),
                };
                if let Some(index) = index {
                    return total + f64::from(f32_at(&self.map, level.logprob.offset + 4 * index));
                }
            }
            let Some((&(oldest, _), rest)) = history.split_first() else {
                return total + self.unknown;
            };
            let context = &self.levels[n - 2];
            let index = match (rest.is_empty(), context_key) {
                (true, _) => Some(oldest as usize),
                (false, Some(key)) => self.find(context.keys, key),
                (false, None) => None,
            };
            if let (Some(index), Some(backoff)) = (index, context.backoff) {
                total += f64::from(f32_at(&self.map, backoff.offset + 4 * index));
            }
            history = rest;
        }
    }

    /// Index of `key` in the sorted `keys` array (the first one, as `searchsorted`), or None.
    /// Keys are uniform hashes, so an interpolation search finds them in two or three probes;
    /// a binary search finishes a range the interpolation does not narrow quickly.
    #[inline]
    fn find(&self, keys: Array, key: u64) -> Option<usize> {
        let (mut low, mut high) = (0usize, keys.count); // the answer lies in [low, high]
        for _ in 0..4 {
            if high - low < 16 {
                break;
            }
            let (first, last) = (self.key(keys, low), self.key(keys, high - 1));
            if key <= first || key > last {
                (low, high) = if key <= first {
                    (low, low)
                } else {
                    (high, high)
                };
                break;
            }
            let span = u128::from(last - first);
            let guess = low + (u128::from(key - first) * (high - 1 - low) as u128 / span) as usize;
            let guess = guess.clamp(low, high - 1);
            if self.key(keys, guess) < key {
                low = guess + 1;
            } else {
                high = guess;
                let step = (high - low) / 64 + 1; // probe just below the guess
                let below = high.saturating_sub(step).max(low);
                if self.key(keys, below) < key {
                    low = below + 1;
                } else {
                    high = below;
                }
            }
        }
        while low < high {
            let middle = low + (high - low) / 2;
            if self.key(keys, middle) < key {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        (low < keys.count && self.key(keys, low) == key).then_some(low)
    }

    #[inline]
    fn key(&self, keys: Array, index: usize) -> u64 {
        u64_at(&self.map, keys.offset + 8 * index)
    }

    /// The (id, hash) of the known history words, oldest first (a word the model lacks, and
    /// everything before it, is dropped: it can be part of no stored n-gram).
    fn history(&self, h1: Option<WordId>, h2: Option<WordId>) -> ([(WordId, u64); 2], usize) {
        let entry = |id: Option<WordId>| id.and_then(|id| Some((id, self.word_hash(id)?)));
        match (entry(h1), h1.and(entry(h2))) {
            (Some(first), Some(second)) => ([second, first], 2),
            (Some(first), None) => ([first, (0, 0)], 1),
            (None, _) => ([(0, 0); 2], 0),
        }
    }
}

/// One step of the key fold: the first word's hash is its key; each further word mixes in.
#[inline]
fn fold(key: Option<u64>, hash: u64) -> u64 {
    match key {
        None => hash,
        Some(key) => mix(key.wrapping_mul(MULTIPLIER).wrapping_add(hash)),
    }
}

/// The splitmix64 finaliser (Python `_mix`).
#[inline]
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The levels of the array table, each array checked against the file length.
fn read_levels(header: &Value, file_len: usize) -> std::result::Result<Vec<Level>, String> {
    let order = header.get("order").ok_or("'order'")?;
    let order = order.as_u64().ok_or_else(|| format!("order {order}"))?;
    if !(1..=3).contains(&order) {
        return Err(format!("order {order} is not supported (1 to 3)"));
    }
    let table = header
        .get("arrays")
        .and_then(Value::as_object)
        .ok_or("'arrays'")?;
    let array = |name: String, dtype: &str| -> std::result::Result<Option<Array>, String> {
        let Some(entry) = table.get(&name) else {
            return Ok(None);
        };
        let fields = entry.as_array().map(Vec::as_slice).unwrap_or(&[]);
        let (Some(offset), Some(count), Some(kind)) = (
            fields.first().and_then(Value::as_u64),
            fields.get(1).and_then(Value::as_u64),
            fields.get(2).and_then(Value::as_str),
        ) else {
            return Err(format!("bad array entry {name}: {entry}"));
        };
        if kind != dtype {
            return Err(format!("{name} has dtype {kind}, expected {dtype}"));
        }
        let size = if dtype == "<u8" { 8 } else { 4 };
        let end = count
            .checked_mul(size)
            .and_then(|bytes| bytes.checked_add(offset));
        if end.is_none_or(|end| end > file_len as u64) {
            return Err(format!("{name}: buffer is smaller than requested size"));
        }
        Ok(Some(Array {
            offset: offset as usize,
            count: count as usize,
        }))
    };
    let mut levels = Vec::new();
    for n in 1..=order {
        let keys = array(format!("keys{n}"), "<u8")?.ok_or(format!("'keys{n}'"))?;
        let logprob = array(format!("logprob{n}"), "<f4")?.ok_or(format!("'logprob{n}'"))?;
        let backoff = array(format!("backoff{n}"), "<f4")?;
        for other in std::iter::once(logprob).chain(backoff) {
            if other.count != keys.count {
                return Err(format!(
                    "order {n}: {} keys but {} values",
                    keys.count, other.count
                ));
            }
        }
        levels.push(Level {
            keys,
            logprob,
            backoff,
        });
    }
    Ok(levels)
}

impl Reference for SprefModel {
    fn name(&self) -> &str {
        &self.name
    }

    fn id(&self, word: &str) -> Option<WordId> {
        let index = self.find(self.levels[0].keys, word_hash(word))?;
        WordId::try_from(index).ok()
    }

    fn knows(&self, word: &str) -> bool {
        word != SENTENCE_START && self.id(word).is_some()
    }

    fn logprob(&self, w: WordId, h1: Option<WordId>, h2: Option<WordId>) -> f64 {
        let (history, len) = self.history(h1, h2);
        let word = self.word_hash(w).map(|hash| (w, hash));
        self.score(&history[..len], word)
    }

    fn unigram(&self, w: WordId) -> f64 {
        let level = self.levels[0];
        if (w as usize) < level.keys.count {
            f64::from(f32_at(&self.map, level.logprob.offset + 4 * w as usize))
        } else {
            self.unknown
        }
    }

    fn logprob_unknown(&self, h1: Option<WordId>, h2: Option<WordId>) -> f64 {
        let (history, len) = self.history(h1, h2);
        self.score(&history[..len], None)
    }

    fn vocabulary_size(&self) -> usize {
        self.levels[0].keys.count
    }

    fn word_hash(&self, id: WordId) -> Option<u64> {
        let keys = self.levels[0].keys;
        ((id as usize) < keys.count).then(|| self.key(keys, id as usize))
    }
}
