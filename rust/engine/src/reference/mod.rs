//! Reference likelihoods: how probable a word is in its context in real English.
//!
//! The detector only needs the [`Reference`] trait. The default backend is the CMU US-English
//! trigram LM shipped inside the `pocketsphinx` wheel ([`CmuTrie`]); a user can add models of
//! their own corpora ([`SprefModel`], the `.spref` files of `spindetect reference build`), mixed
//! with the default by [`combine`] into a [`Mixture`].
//!
//! Every model is memory-mapped and answers queries straight from the mapped bytes; what a model
//! holds after `open` is immutable, so one model is shared by all threads.

mod bytes;
pub mod cmu_trie;
pub mod mixture;
pub mod spref;

pub use cmu_trie::CmuTrie;
pub use mixture::{combine, Mixture};
pub use spref::SprefModel;

use blake2::digest::{Update, VariableOutput};
use blake2::Blake2bVar;

/// Id of a word in one reference's vocabulary (ids of different references are unrelated).
pub type WordId = u32;

/// The sentence-start token: a history word, never predicted.
pub const SENTENCE_START: &str = "<s>";
/// The sentence-end token: predicted after the last word of a sentence.
pub const SENTENCE_END: &str = "</s>";

/// log10 of one unit of pocketsphinx's log-math (base 1.0001): Python `math.log10(1.0001)`.
pub const LOGMATH_TO_LOG10: f64 = 4.342727686266485e-05;
/// pocketsphinx's log(0) in log-math units, given for words the CMU model lacks.
pub const LOG_ZERO: i32 = -536_870_912;
/// [`LOG_ZERO`] as log10, exactly as Python computes it (`LOG_ZERO * LOGMATH_TO_LOG10`).
pub const LOG_ZERO_LOG10: f64 = LOG_ZERO as f64 * LOGMATH_TO_LOG10;

/// A language model the detector can query.
///
/// Words are lower-cased, apostrophes straight (`china's`). Histories hold up to two preceding
/// words; the older one may be [`SENTENCE_START`].
pub trait Reference: Send + Sync {
    /// Name of the model, as reports print it.
    fn name(&self) -> &str;

    /// Id of a word, `<s>` and `</s>` included; None for words the model lacks.
    fn id(&self, word: &str) -> Option<WordId>;

    /// Python `knows`: in the vocabulary and not `<s>` (for the mixture: its rule).
    fn knows(&self, word: &str) -> bool;

    /// The id of a word the model [knows](Reference::knows), in one look-up where the model
    /// can (the detector asks this of every word and candidate).
    fn known_id(&self, word: &str) -> Option<WordId> {
        if self.knows(word) {
            self.id(word)
        } else {
            None
        }
    }

    /// log10 P(w | h2 h1), backing off as the model does; `h1 == None` means no history (a
    /// unigram), `h2 == None` means only `h1`. Identical to Python `logprob`/`logprob_ids`
    /// (same float64 value).
    fn logprob(&self, w: WordId, h1: Option<WordId>, h2: Option<WordId>) -> f64;

    /// Convenience: log10 P(w) (must equal `logprob(w, None, None)`), ideally a table read.
    fn unigram(&self, w: WordId) -> f64;

    /// log10 P(word | h2 h1) for a predicted word the model lacks (what Python's `logprob`
    /// gives for such a word). A [`Mixture`] needs it for words only other components know.
    /// The default is pocketsphinx's log(0) whatever the history.
    fn logprob_unknown(&self, h1: Option<WordId>, h2: Option<WordId>) -> f64 {
        let _ = (h1, h2);
        LOG_ZERO_LOG10
    }

    /// How many ids the model hands out: every id is below this. A [`Mixture`] walks
    /// `0..vocabulary_size()` to match its components' words; the default (0) cannot be mixed.
    fn vocabulary_size(&self) -> usize {
        0
    }

    /// [`word_hash`] of the word behind `id` (None for ids out of range): the identity by which
    /// a [`Mixture`] matches the words of its components.
    fn word_hash(&self, id: WordId) -> Option<u64> {
        let _ = id;
        None
    }
}

/// 64-bit hash of a word, the `.spref` word identity (Python `ngram.word_hash`): the first 8
/// bytes of BLAKE2b-64 of the UTF-8 word, read little-endian; never 0 (0 becomes 1).
pub fn word_hash(word: &str) -> u64 {
    let mut digest = [0u8; 8];
    // A BLAKE2b output of 8 bytes is always valid and fits `digest`; the fallbacks are
    // unreachable but keep this free of panics.
    if let Ok(mut hasher) = Blake2bVar::new(digest.len()) {
        hasher.update(word.as_bytes());
        if hasher.finalize_variable(&mut digest).is_err() {
            digest = [0; 8];
        }
    }
    match u64::from_le_bytes(digest) {
        0 => 1,
        value => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_constants_match_libm() {
        assert_eq!(LOGMATH_TO_LOG10, 1.0001f64.log10());
        assert_eq!(LOG_ZERO_LOG10, f64::from(LOG_ZERO) * 1.0001f64.log10());
    }
}
