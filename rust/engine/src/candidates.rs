//! Candidate originals for a span, and the places (proposals) a spinner may have swapped words.
//!
//! Proposals come from two sources: phrasebook matches (an `always` or `context` pair) and the
//! reversed thesaurus (one observed word or phrase, and two adjacent suspect words together).

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use crate::config::Config;
use crate::lexicon::Lexicon;
use crate::phrasebook::{Entry, Mode, Phrasebook};
use crate::pystr;
use crate::reference::{Reference, WordId};
use crate::sentences::Sentence;
use crate::tokenize::{Kind, Token};

/// Closeness below this counts as this (log10 of the closeness is part of the statistic).
pub const MIN_CLOSENESS: f64 = 0.001;

/// Where a candidate original comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The reversed thesaurus.
    Thesaurus,
    /// A phrasebook entry (as matched: a query hit may rewrite it).
    Entry(Arc<Entry>),
}

/// A candidate original for one span.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Its words, lower-cased.
    pub words: Vec<String>,
    /// Where it comes from.
    pub origin: Origin,
    /// How close the thesaurus says it is to the observed words (1.0 for the phrasebook).
    pub closeness: f64,
}

/// A candidate every word of which the reference knows, ready to score.
#[derive(Debug, Clone)]
pub struct Scorable {
    /// Index of the candidate in [`Candidates::options`].
    pub option: usize,
    /// Reference ids of its words.
    pub ids: Vec<WordId>,
    /// Sum of the unigram log10 probabilities of its words.
    pub unigram: f64,
    /// log10 of the closeness, floored at [`MIN_CLOSENESS`].
    pub log_closeness: f64,
}

/// The originals a span may hide: all of them, and the scorable ones.
#[derive(Debug, Clone)]
pub struct Candidates {
    /// Every candidate, best first.
    pub options: Vec<Candidate>,
    /// The candidates the reference can score, in the same order.
    pub scorable: Vec<Scorable>,
}

impl Candidates {
    /// The candidates of `options`, with their scorable subset.
    pub fn new(options: Vec<Candidate>, reference: &dyn Reference) -> Candidates {
        let mut scorable = Vec::new();
        for (index, option) in options.iter().enumerate() {
            let ids: Option<Vec<WordId>> = option
                .words
                .iter()
                .map(|word| reference.known_id(word))
                .collect();
            if let Some(ids) = ids {
                let unigram = ids.iter().fold(0.0, |sum, &id| sum + reference.unigram(id));
                scorable.push(Scorable {
                    option: index,
                    ids,
                    unigram,
                    log_closeness: option.closeness.max(MIN_CLOSENESS).log10(),
                });
            }
        }
        Candidates { options, scorable }
    }
}

/// What kind of place a proposal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalKind {
    /// A phrasebook pair applied whenever it matches.
    Always,
    /// A phrasebook pair judged by the reference in its context.
    Context,
    /// A thesaurus suspect.
    Thesaurus,
    /// Another place of a swap the document confirmed (see `consistent`).
    Swap,
}

/// A span of one sentence and the originals it may hide.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// Index of its sentence in the document.
    pub sentence: usize,
    /// First position in the sentence.
    pub first: usize,
    /// One past the last position.
    pub end: usize,
    /// Its candidates.
    pub candidates: Arc<Candidates>,
    /// What kind of place it is.
    pub kind: ProposalKind,
}

impl Proposal {
    /// True when the two spans share a position of the same sentence.
    pub fn overlaps(&self, sentence: usize, first: usize, end: usize) -> bool {
        self.sentence == sentence && self.first < end && first < self.end
    }
}

/// The models proposals are drawn from.
pub struct Sources<'m> {
    /// The reference (which words are known, which are frequent).
    pub reference: &'m dyn Reference,
    /// The candidate sources.
    pub lexicon: &'m Lexicon,
    /// The phrasebook.
    pub phrasebook: &'m Phrasebook,
    /// The detector's settings.
    pub config: &'m Config,
}

/// Candidate tables already built, shared by the proposals that need the same one. A cache
/// only: the same phrase always gets the same table, so results never depend on what it holds.
/// Each thread keeps one across the documents it scans (see `Detector`).
#[derive(Default)]
pub struct CandidateCache {
    phrases: HashMap<String, Option<Arc<Candidates>>>,
    pairs: HashMap<(String, String), Arc<Candidates>>,
    frequent: HashMap<String, bool>,
}

/// Phrases a cache holds before it starts again (some 12 MB at the most).
const CACHE_LIMIT: usize = 5_000;

impl CandidateCache {
    /// Ready the cache for the next document: the joint tables of word pairs are kept for one
    /// document only (a pair seldom comes back, and they are the largest), and everything is
    /// dropped once the cache has grown past its limit (bounds memory over a stream).
    pub fn next_document(&mut self) {
        self.pairs.clear();
        if self.phrases.len() + self.frequent.len() > CACHE_LIMIT {
            *self = CandidateCache::default();
        }
    }
}

impl Sources<'_> {
    /// True for words too frequent to be suspects or candidates (the, of, is...).
    pub fn is_frequent(&self, word: &str, cache: &mut CandidateCache) -> bool {
        if let Some(&frequent) = cache.frequent.get(word) {
            return frequent;
        }
        let frequent = match self.reference.id(word) {
            Some(id) => self.reference.unigram(id) > self.config.frequent_logprob,
            None => false,
        };
        cache.frequent.insert(word.to_owned(), frequent);
        frequent
    }

    /// Thesaurus candidates for an observed phrase; None when it has no scorable one.
    fn options(&self, observed: &str, cache: &mut CandidateCache) -> Option<Arc<Candidates>> {
        if let Some(found) = cache.phrases.get(observed) {
            return found.clone();
        }
        let built = if self.lexicon.contains(observed) {
            let mut options = Vec::new();
            for listed in self
                .lexicon
                .candidates(observed, self.config.max_candidates)
            {
                let words: Vec<String> = listed.phrase.split(' ').map(str::to_owned).collect();
                let known = words.iter().all(|word| self.reference.knows(word));
                let frequent_single = words.len() == 1 && self.is_frequent(&words[0], cache);
                if known && !frequent_single {
                    options.push(Candidate {
                        words,
                        origin: Origin::Thesaurus,
                        closeness: listed.closeness,
                    });
                }
            }
            let candidates = Candidates::new(options, self.reference);
            (!candidates.scorable.is_empty()).then(|| Arc::new(candidates))
        } else {
            None
        };
        cache.phrases.insert(observed.to_owned(), built.clone());
        built
    }

    /// Every proposal of a document: phrasebook matches first, then each sentence's thesaurus
    /// suspects (one word, then the phrases it starts) and pairs of adjacent suspect words.
    /// Places whose first token starts inside a `blocked` byte span are left out.
    pub fn proposals(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Sentence],
        blocked: &[(usize, usize)],
        cache: &mut CandidateCache,
    ) -> Vec<Proposal> {
        let mut position_of: HashMap<usize, (usize, usize)> = HashMap::default();
        for (number, sentence) in sentences.iter().enumerate() {
            for (position, &token_index) in sentence.token_indices.iter().enumerate() {
                position_of.insert(token_index, (number, position));
            }
        }
        let mut proposals = Vec::new();
        let mut taken: Vec<Vec<bool>> = sentences.iter().map(|s| vec![false; s.len()]).collect();
        for found in self.phrasebook.matches(tokens) {
            if inside(tokens[found.first].start, blocked) {
                continue;
            }
            let places: Vec<Option<&(usize, usize)>> = (found.first..=found.last)
                .filter(|&index| !matches!(tokens[index].kind, Kind::Hyphen | Kind::Other))
                .map(|index| position_of.get(&index))
                .collect();
            let Some(Some(&(sentence, first))) = places.first().copied() else {
                continue;
            };
            if places
                .iter()
                .any(|place| !matches!(place, Some((s, _)) if *s == sentence))
            {
                continue;
            }
            let Some(Some(&(_, last))) = places.last().copied() else {
                continue;
            };
            let end = last + 1;
            let Some(entry) = self.phrasebook.matched_entry(text, tokens, &found) else {
                continue;
            };
            let option = Candidate {
                words: pystr::split_whitespace(&pystr::lower(&entry.original))
                    .map(str::to_owned)
                    .collect(),
                origin: Origin::Entry(Arc::new(entry.clone())),
                closeness: 1.0,
            };
            let kind = match entry.mode {
                Mode::Always => ProposalKind::Always,
                Mode::Context => ProposalKind::Context,
            };
            let candidates = Arc::new(Candidates::new(vec![option], self.reference));
            proposals.push(Proposal {
                sentence,
                first,
                end,
                candidates,
                kind,
            });
            for flag in &mut taken[sentence][first..end] {
                *flag = true;
            }
        }
        for (number, sentence) in sentences.iter().enumerate() {
            let found = self.thesaurus_proposals(tokens, number, sentence, &taken[number], cache);
            proposals.extend(found.into_iter().filter(|p| {
                blocked.is_empty()
                    || !inside(tokens[sentence.token_indices[p.first]].start, blocked)
            }));
        }
        proposals
    }

    fn thesaurus_proposals(
        &self,
        tokens: &[Token],
        number: usize,
        sentence: &Sentence,
        taken: &[bool],
        cache: &mut CandidateCache,
    ) -> Vec<Proposal> {
        let mut result = Vec::new();
        let max_words = self.lexicon.max_words();
        let count = sentence.len();
        for first in 0..count {
            let Some(key) = sentence.key(tokens, first) else {
                continue;
            };
            if taken[first] {
                continue;
            }
            let single = if self.is_frequent(key, cache) {
                None
            } else {
                self.options(key, cache)
            };
            if let Some(candidates) = single {
                result.push(self.thesaurus_proposal(number, first, first + 1, candidates));
            }
            if !self.lexicon.is_prefix(key) {
                continue;
            }
            let mut phrase = key.to_owned();
            for end in first + 2..=count.min(first + max_words) {
                let Some(following) = sentence.key(tokens, end - 1) else {
                    break;
                };
                if taken[end - 1] {
                    break;
                }
                phrase.push(' ');
                phrase.push_str(following);
                if let Some(candidates) = self.options(&phrase, cache) {
                    result.push(self.thesaurus_proposal(number, first, end, candidates));
                }
                if !self.lexicon.is_prefix(&phrase) {
                    break;
                }
            }
        }
        let pairs = self.pair_proposals(tokens, number, sentence, &result, cache);
        result.extend(pairs);
        result
    }

    fn thesaurus_proposal(
        &self,
        sentence: usize,
        first: usize,
        end: usize,
        candidates: Arc<Candidates>,
    ) -> Proposal {
        Proposal {
            sentence,
            first,
            end,
            candidates,
            kind: ProposalKind::Thesaurus,
        }
    }

    /// Joint candidates for two adjacent one-word suspects ("chilly warfare" -> "cold war").
    fn pair_proposals(
        &self,
        tokens: &[Token],
        number: usize,
        sentence: &Sentence,
        singles: &[Proposal],
        cache: &mut CandidateCache,
    ) -> Vec<Proposal> {
        let width = self.config.pair_candidates;
        if width == 0 {
            return Vec::new();
        }
        let one_word: Vec<&Proposal> = singles.iter().filter(|p| p.end == p.first + 1).collect();
        let mut pairs = Vec::new();
        for (index, left) in one_word.iter().enumerate() {
            let Some(right) = one_word[index + 1..]
                .iter()
                .find(|p| p.first == left.first + 1)
            else {
                continue;
            };
            let key_of = |position| sentence.key(tokens, position).unwrap_or("").to_owned();
            let key = (key_of(left.first), key_of(right.first));
            let candidates = cache
                .pairs
                .entry(key)
                .or_insert_with(|| Arc::new(self.joint(&left.candidates, &right.candidates, width)))
                .clone();
            pairs.push(self.thesaurus_proposal(number, left.first, left.first + 2, candidates));
        }
        pairs
    }

    fn joint(&self, left: &Candidates, right: &Candidates, width: usize) -> Candidates {
        let mut options = Vec::new();
        for a in left.scorable.iter().take(width) {
            let a = &left.options[a.option];
            for b in right.scorable.iter().take(width) {
                let b = &right.options[b.option];
                let mut words = a.words.clone();
                words.extend(b.words.iter().cloned());
                options.push(Candidate {
                    words,
                    origin: Origin::Thesaurus,
                    closeness: a.closeness * b.closeness,
                });
            }
        }
        Candidates::new(options, self.reference)
    }
}

/// True when `offset` falls inside one of the spans.
pub fn inside(offset: usize, spans: &[(usize, usize)]) -> bool {
    spans
        .iter()
        .any(|&(start, end)| start <= offset && offset < end)
}
