//! The CMU US-English trigram LM shipped in the `pocketsphinx` wheel (`en-us.lm.bin`), read
//! straight from the memory-mapped binary trie.
//!
//! Results are those of Python's `CMUReference` (and of `pocketsphinx.NGramModel.prob`): the
//! same float32 log-math sums truncated to int32, the same backoff, the same interpolation
//! search (`uniform_find`) over the child ranges, so the two unsorted trigram ranges of en-us
//! miss the same entries ("whips and bullhorns" backs off).
//!
//! Backoff for history `h2 h1` (`lm_trie_hist_score`):
//! trigram found -> P3(w | h2 h1); bigram `h1 w` found -> P2(w | h1) + bo(h2 h1);
//! otherwise (P1(w) + bo(h1)) + bo(h2 h1), where bo(h2 h1) is 0 when that bigram is absent.

mod bits;
mod index;
mod layout;
mod vocab;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use memmap2::Mmap;

use self::index::BigramIndex;
use self::layout::{Layout, QUANT_BINS, UNIGRAM_BYTES};
use self::vocab::Vocabulary;
use super::bytes::{f32_at, map_file};
use super::{word_hash, Reference, WordId, LOGMATH_TO_LOG10, LOG_ZERO_LOG10, SENTENCE_START};
use crate::{Error, Result};

/// A pocketsphinx trigram trie LM, memory-mapped; a [`Reference`] named `cmu-en-us`.
#[derive(Debug)]
pub struct CmuTrie {
    path: PathBuf,
    map: Arc<Mmap>,
    layout: Layout,
    vocabulary: Vocabulary,
    /// The bigram index, once the thread building it is done (see `index`).
    bigrams: Arc<OnceLock<Option<BigramIndex>>>,
}

/// Which of the three quantization tables a bin is looked up in.
#[derive(Clone, Copy)]
enum Table {
    BigramProb = 0,
    BigramBackoff = 1,
    TrigramProb = 2,
}

impl CmuTrie {
    /// Map the model at `path`, check its layout and index its words. Nothing else is decoded.
    pub fn open(path: &Path) -> Result<CmuTrie> {
        let map = map_file(path)?;
        let shown = path.display().to_string();
        let layout = Layout::parse(&map, &shown)?;
        let (offset, len) = layout.strings;
        let vocabulary =
            Vocabulary::build(&map, offset, len, layout.unigrams as usize).map_err(|found| {
                Error::Model(format!(
                    "{shown}: {found} word strings for {} unigrams",
                    layout.unigrams
                ))
            })?;
        let map = Arc::new(map);
        let bigrams = Arc::new(OnceLock::new());
        {
            let (map, slot) = (Arc::clone(&map), Arc::clone(&bigrams));
            let built = std::thread::Builder::new()
                .name("spindetect-lm-index".into())
                .spawn(move || {
                    let array = layout.bigram_array;
                    let bytes = map.get(array.start..array.start + array.len).unwrap_or(&[]);
                    let _ = slot.set(BigramIndex::build(&map, bytes, &layout));
                });
            if built.is_err() {
                let _ = bigrams.set(None); // no thread to be had: the search serves every query
            }
        }
        Ok(CmuTrie {
            path: path.to_path_buf(),
            map,
            layout,
            vocabulary,
            bigrams,
        })
    }

    /// The file this model was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The word behind `id` (None out of range or not UTF-8).
    pub fn word(&self, id: WordId) -> Option<&str> {
        std::str::from_utf8(self.vocabulary.word(&self.map, id)?).ok()
    }

    /// log P(w | h2 h1) in pocketsphinx's integer log-math units (base 1.0001), as
    /// `NGramModel.prob([w, h1, h2])`: the float32 score truncated toward zero.
    pub fn logmath_score(&self, w: WordId, h1: Option<WordId>, h2: Option<WordId>) -> i64 {
        let n = self.layout.unigrams;
        if w >= n {
            return i64::from(super::LOG_ZERO);
        }
        let h1 = h1.filter(|&h| h < n);
        let h2 = h2.filter(|&h| h < n);
        let Some(h1) = h1 else {
            return self.unigram_prob(w).trunc() as i64;
        };
        let bigrams = self.bigram_bytes();
        let array = self.layout.bigram_array;
        // Backoff of the history bigram (h2 h1): under unigram h1, child word h2. Only needed
        // when the trigram is missing, so it is looked up last.
        let history_backoff = || {
            let slot = h2.and_then(|h2| self.find_bigram(h1, h2));
            slot.map_or(0.0, |slot| {
                let bin = array.field(bigrams, slot, array.word_bits, 16);
                self.quantized(Table::BigramBackoff, bin)
            })
        };
        // Bigram (h1 w): under unigram w, child word h1.
        let score = match self.find_bigram(w, h1) {
            None => (self.unigram_prob(w) + self.unigram_backoff(h1)) + history_backoff(),
            Some(slot) => match h2.and_then(|h2| self.find_trigram(slot, h2)) {
                Some(trigram) => self.trigram_prob(trigram),
                None => {
                    let bin = array.field(bigrams, slot, array.word_bits + 16, 16);
                    self.quantized(Table::BigramProb, bin) + history_backoff()
                }
            },
        };
        score.trunc() as i64
    }

    fn bigram_bytes(&self) -> &[u8] {
        let array = self.layout.bigram_array;
        self.map
            .get(array.start..array.start + array.len)
            .unwrap_or(&[])
    }

    fn trigram_bytes(&self) -> &[u8] {
        let array = self.layout.trigram_array;
        self.map
            .get(array.start..array.start + array.len)
            .unwrap_or(&[])
    }

    /// Slot of the bigram whose predicted word is `parent` and history word is `word`.
    #[inline]
    fn find_bigram(&self, parent: WordId, word: WordId) -> Option<u32> {
        let index = self.bigrams.get().and_then(Option::as_ref);
        if let Some(answer) = index.and_then(|index| index.find(parent, word)) {
            return answer;
        }
        let begin = self.layout.unigram_next(&self.map, parent);
        let end = self.layout.unigram_next(&self.map, parent + 1);
        let array = self.layout.bigram_array;
        array.uniform_find(self.bigram_bytes(), begin, end, self.layout.unigrams, word)
    }

    /// Slot of the trigram under bigram `parent` whose oldest word is `word`.
    #[inline]
    fn find_trigram(&self, parent: u32, word: WordId) -> Option<u32> {
        let (bigrams, array) = (self.bigram_bytes(), self.layout.bigram_array);
        let (offset, width) = (self.layout.next_offset(), self.layout.next_bits);
        let begin = array.field(bigrams, parent, offset, width);
        let end = array.field(bigrams, parent + 1, offset, width);
        let trigrams = self.layout.trigram_array;
        trigrams.uniform_find(self.trigram_bytes(), begin, end, self.layout.unigrams, word)
    }

    #[inline]
    fn trigram_prob(&self, slot: u32) -> f32 {
        let array = self.layout.trigram_array;
        let bin = array.field(self.trigram_bytes(), slot, array.word_bits, 16);
        self.quantized(Table::TrigramProb, bin)
    }

    #[inline]
    fn quantized(&self, table: Table, bin: u32) -> f32 {
        let entry = table as usize * QUANT_BINS + bin as usize;
        f32_at(&self.map, self.layout.quant_tables + 4 * entry)
    }

    #[inline]
    fn unigram_prob(&self, w: WordId) -> f32 {
        f32_at(
            &self.map,
            self.layout.unigram_records + w as usize * UNIGRAM_BYTES,
        )
    }

    #[inline]
    fn unigram_backoff(&self, w: WordId) -> f32 {
        f32_at(
            &self.map,
            self.layout.unigram_records + w as usize * UNIGRAM_BYTES + 4,
        )
    }
}

impl Reference for CmuTrie {
    fn name(&self) -> &str {
        "cmu-en-us"
    }

    fn id(&self, word: &str) -> Option<WordId> {
        self.vocabulary.get(&self.map, word.as_bytes())
    }

    fn knows(&self, word: &str) -> bool {
        word != SENTENCE_START && self.id(word).is_some()
    }

    fn known_id(&self, word: &str) -> Option<WordId> {
        if word == SENTENCE_START {
            return None;
        }
        self.id(word)
    }

    fn logprob(&self, w: WordId, h1: Option<WordId>, h2: Option<WordId>) -> f64 {
        if w >= self.layout.unigrams {
            return LOG_ZERO_LOG10;
        }
        self.logmath_score(w, h1, h2) as f64 * LOGMATH_TO_LOG10
    }

    fn unigram(&self, w: WordId) -> f64 {
        self.logprob(w, None, None)
    }

    fn vocabulary_size(&self) -> usize {
        self.vocabulary.len()
    }

    fn word_hash(&self, id: WordId) -> Option<u64> {
        // Strings that are not UTF-8 are hashed as Python would (surrogateescape differs, but
        // en-us is ASCII); such a word simply matches nothing in another model.
        let bytes = self.vocabulary.word(&self.map, id)?;
        Some(word_hash(&String::from_utf8_lossy(bytes)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open() -> CmuTrie {
        let path = std::env::var_os("SPINDETECT_CMU_LM")
            .expect("SPINDETECT_CMU_LM must name pocketsphinx's en-us.lm.bin");
        CmuTrie::open(Path::new(&path)).expect("open the CMU LM")
    }

    /// "whips and bullhorns" is stored in the trigram range under the bigram "and bullhorns",
    /// which is not sorted by word; `uniform_find` cannot reach it, so the model backs off.
    #[test]
    fn unsorted_range_hides_a_stored_trigram() {
        let lm = open();
        let id = |word: &str| lm.id(word).expect("known word");
        let (w, h1, h2) = (id("bullhorns"), id("and"), id("whips"));
        let bigram = lm.find_bigram(w, h1).expect("bigram and bullhorns");
        let (bigrams, array) = (lm.bigram_bytes(), lm.layout.bigram_array);
        let (offset, width) = (lm.layout.next_offset(), lm.layout.next_bits);
        let range = array.field(bigrams, bigram, offset, width)
            ..array.field(bigrams, bigram + 1, offset, width);
        let words: Vec<u32> = range
            .clone()
            .map(|slot| lm.layout.trigram_array.word(lm.trigram_bytes(), slot))
            .collect();
        assert!(
            words.windows(2).any(|pair| pair[0] >= pair[1]),
            "range is sorted: {words:?}"
        );
        assert!(words.contains(&h2), "whips is stored under and bullhorns");
        assert_eq!(
            lm.find_trigram(bigram, h2),
            None,
            "uniform_find reaches whips"
        );
        // Every other stored word of a sorted range is found where it is stored.
        let the = id("the");
        let slot = lm.find_bigram(the, id("of")).expect("bigram of the");
        assert_eq!(lm.layout.bigram_array.word(bigrams, slot), id("of"));
    }
}
