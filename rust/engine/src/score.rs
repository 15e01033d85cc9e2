//! How much more likely each candidate original is than the words as written, in its window.
//!
//! For each scorable candidate of a proposal: `gain` is the log10 likelihood ratio, under the
//! reference, of the window with the candidate over the window as it stands; the *statistic* is
//! `gain - frequency_discount * (log10 P(candidate) - log10 P(written)) + closeness_weight *
//! log10(closeness)`. The best candidate is the first with the highest statistic; its statistic
//! gets a p-value against clean text from the null distribution.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use crate::calibration::NullDistribution;
use crate::candidates::{Candidates, Proposal};
use crate::config::Config;
use crate::reference::{Reference, WordId};
use crate::sentences::{Slots, Window};

/// The reference's judgement of one proposal in its sentence as it now stands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement {
    /// Index into `candidates.scorable` of the best candidate (None: nothing scorable).
    pub best: Option<usize>,
    /// The best candidate's gain (log10 likelihood ratio); -inf without one.
    pub gain: f64,
    /// The best candidate's statistic; -inf without one.
    pub statistic: f64,
    /// P-value of the statistic against clean text.
    pub p_value: f64,
    /// The next best candidates after `best`, by statistic (index into `candidates.scorable`,
    /// statistic), best first.
    pub others: [Option<(usize, f64)>; OTHERS],
}

/// Runner-up candidates a judgement keeps besides the best.
pub const OTHERS: usize = 2;

/// The log10 probabilities already asked of the reference: a pure cache (the same question
/// always gets the same answer), so results never depend on it. Windows of neighbouring
/// proposals, of a word's candidates alone and in pairs, of the re-judging after each edit, and
/// of the common n-grams of every text ask the same questions again and again. Each scanning
/// thread keeps one across the documents it scans (see `Detector`).
#[derive(Default)]
pub struct Memo {
    values: RefCell<FxHashMap<u64, f64>>,
}

/// Ids below this are packed three to a `u64` key; a larger id (a very large user vocabulary)
/// is asked of the reference directly.
const PACKED_ID_LIMIT: WordId = (1 << 21) - 1;

/// Probabilities a memo holds before it starts again (about 8 MB).
const MEMO_LIMIT: usize = 1 << 18;

impl Memo {
    /// Forget everything once the memo has grown past its limit (bounds memory over a stream).
    pub fn bound(&self) {
        let mut values = self.values.borrow_mut();
        if values.len() > MEMO_LIMIT {
            *values = FxHashMap::default();
        }
    }

    /// log10 P(w | h2 h1) from `reference`, remembered.
    pub fn logprob(
        &self,
        reference: &dyn Reference,
        w: WordId,
        h1: Option<WordId>,
        h2: Option<WordId>,
    ) -> f64 {
        let slot = |id: Option<WordId>| id.map_or(0, |id| u64::from(id) + 1);
        if w >= PACKED_ID_LIMIT
            || h1.unwrap_or(0) >= PACKED_ID_LIMIT
            || h2.unwrap_or(0) >= PACKED_ID_LIMIT
        {
            return reference.logprob(w, h1, h2);
        }
        let key = u64::from(w) | slot(h1) << 21 | slot(h2) << 42;
        if let Some(&value) = self.values.borrow().get(&key) {
            return value;
        }
        let value = reference.logprob(w, h1, h2);
        self.values.borrow_mut().insert(key, value);
        value
    }
}

/// What scoring needs: the reference, its sentence markers, the settings and the null table.
pub struct Scorer<'m> {
    /// The reference.
    pub reference: &'m dyn Reference,
    /// The probabilities this document already asked for.
    pub memo: &'m Memo,
    /// Id of `<s>`.
    pub start_id: WordId,
    /// Id of `</s>`.
    pub end_id: WordId,
    /// The detector's settings.
    pub config: &'m Config,
    /// Statistic -> p-value on clean text.
    pub null: &'m NullDistribution,
}

impl Scorer<'_> {
    /// Judge `proposal` in its sentence as `slots` now has it.
    pub fn judge(&self, proposal: &Proposal, slots: &Slots) -> Judgement {
        let window = slots.window(proposal.first, proposal.end, self.start_id, self.end_id);
        self.judge_window(&proposal.candidates, &window)
    }

    /// Judge the candidates of a span in `window`.
    pub fn judge_window(&self, candidates: &Candidates, window: &Window) -> Judgement {
        let written = window_logprob(
            self.reference,
            self.memo,
            &window.history,
            &window.words,
            &window.following,
        );
        let written_unigram = self.unigram_sum(&window.words);
        let mut best: Option<(usize, f64, f64)> = None; // (index, statistic, gain)
        let mut others: [Option<(usize, f64)>; OTHERS] = [None; OTHERS];
        for (index, candidate) in candidates.scorable.iter().enumerate() {
            let replaced = window_logprob(
                self.reference,
                self.memo,
                &window.history,
                &candidate.ids,
                &window.following,
            );
            let gain = replaced - written;
            let statistic = gain
                - self.config.frequency_discount * (candidate.unigram - written_unigram)
                + self.config.closeness_weight * candidate.log_closeness;
            match best {
                Some((_, top, _)) if statistic <= top => {
                    keep_ranked(&mut others, (index, statistic));
                    continue;
                }
                // The best so far is at least every other, and came before any equal one.
                Some((top_index, top, _)) => {
                    others.rotate_right(1);
                    others[0] = Some((top_index, top));
                }
                None => {}
            }
            best = Some((index, statistic, gain));
        }
        match best {
            Some((index, statistic, gain)) => Judgement {
                best: Some(index),
                gain,
                statistic,
                p_value: self.null.p_value(statistic),
                others,
            },
            None => Judgement {
                best: None,
                gain: f64::NEG_INFINITY,
                statistic: f64::NEG_INFINITY,
                p_value: self.null.p_value(f64::NEG_INFINITY),
                others,
            },
        }
    }

    /// Sum of the unigram log10 probabilities of `words`.
    pub fn unigram_sum(&self, words: &[WordId]) -> f64 {
        words
            .iter()
            .fold(0.0, |sum, &id| sum + self.reference.unigram(id))
    }
}

/// Insert `entry` into `ranked` (best first; on a tie the earlier entry stays ahead), dropping
/// whatever falls off the end.
fn keep_ranked(ranked: &mut [Option<(usize, f64)>], entry: (usize, f64)) {
    let Some(at) = ranked
        .iter()
        .position(|slot| slot.is_none_or(|(_, statistic)| entry.1 > statistic))
    else {
        return;
    };
    ranked[at..].rotate_right(1);
    ranked[at] = Some(entry);
}

/// log10 probability of `words` then `following`, each given the (up to two) words before it;
/// `history` holds the words before the span, oldest first.
pub fn window_logprob(
    reference: &dyn Reference,
    memo: &Memo,
    history: &[WordId],
    words: &[WordId],
    following: &[WordId],
) -> f64 {
    let mut h2: Option<WordId> = if history.len() == 2 {
        Some(history[0])
    } else {
        None
    };
    let mut h1: Option<WordId> = history.last().copied();
    let mut total = 0.0;
    for &word in words.iter().chain(following) {
        total += memo.logprob(reference, word, h1, if h1.is_some() { h2 } else { None });
        h2 = h1;
        h1 = Some(word);
    }
    total
}

/// How much the history predicts the word at `position` of a sentence as written: log10
/// P(w | h2 h1) - log10 P(w); 0.0 where the position holds no known word. Position
/// `sentence.len()` is the sentence end (`</s>`).
pub fn context_gain(
    reference: &dyn Reference,
    written: &[Option<WordId>],
    position: usize,
    start_id: WordId,
    end_id: WordId,
) -> f64 {
    let at = |index: isize| -> Option<WordId> {
        if index == -1 {
            Some(start_id)
        } else if index < -1 {
            None
        } else if index as usize == written.len() {
            Some(end_id)
        } else if (index as usize) < written.len() {
            written[index as usize]
        } else {
            None
        }
    };
    let index = position as isize;
    let Some(word) = at(index) else { return 0.0 };
    let h1 = at(index - 1);
    let h2 = if h1.is_some() { at(index - 2) } else { None };
    reference.logprob(word, h1, h2) - reference.unigram(word)
}
