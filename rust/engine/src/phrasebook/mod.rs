//! Curated spun -> original pairs, matched in one pass over a document's tokens.
//!
//! Entries are read by the Python side (TSV phrasebook, PPS export) and handed over as values.
//! Plain entries are matched by their token keys, leftmost-longest; entries that carry a
//! fingerprint [`Query`] are evaluated on the whole document with their AND / NOT / OR /
//! proximity semantics. Spintax leftovers are found by [`spintax_matches`].

mod document;
mod query;
mod spintax;

use std::cmp::Reverse;
use std::collections::HashMap;

pub use document::{DocumentIndex, Hit};
pub use query::{parse_query, Node, Op, Query, Term};
pub use spintax::{spintax_matches, SpintaxMatch};

use crate::tokenize::{tokenize, Token};

/// When an entry is flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The spun form hardly occurs in honest English: flag it on sight.
    Always,
    /// Flag it only where the reference prefers the original in context.
    Context,
}

/// One curated pair.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The spun phrase (for a query entry, the query's canonical text).
    pub spun: String,
    /// What it stands for; may be empty for a query entry (flagged, not rewritten).
    pub original: String,
    /// When it is flagged.
    pub mode: Mode,
    /// A note for the finding.
    pub note: String,
    /// Where the entry comes from (`phrasebook`, `pps:FILE`...).
    pub source: String,
    /// An imported fingerprint query, matched with its semantics instead of `spun`.
    pub query: Option<Query>,
}

/// An entry matched on tokens `first..=last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PhraseMatch {
    /// Index of the first token.
    pub first: usize,
    /// Index of the last token (inclusive).
    pub last: usize,
    /// Index of the entry in [`Phrasebook::entries`].
    pub entry: usize,
    /// A query hit that is flagged with its text kept, not rewritten (its words are not the
    /// phrase itself, or the entry has no expected text): see [`Phrasebook::matched_entry`].
    pub flag_only: bool,
}

/// Token keys of a plain entry and the entry's index.
type Pattern = (Vec<String>, usize);

/// A set of entries indexed by their first token key for a single left-to-right pass.
#[derive(Clone, Debug)]
pub struct Phrasebook {
    entries: Vec<Entry>,
    /// Plain entries by the key of their first token, longest first, then in entry order.
    by_first: HashMap<String, Vec<Pattern>>,
    /// Indices of the entries that carry a query.
    queries: Vec<usize>,
}

impl Phrasebook {
    /// Index `entries`; on the same span the entry listed first wins (a user's entries go
    /// first so that they override the bundled phrasebook).
    pub fn new(entries: Vec<Entry>) -> Phrasebook {
        let mut by_first: HashMap<String, Vec<Pattern>> = HashMap::new();
        let mut queries = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            if entry.query.is_some() {
                queries.push(index);
                continue;
            }
            let keys: Vec<String> = tokenize(&entry.spun)
                .into_iter()
                .map(|token| token.lower)
                .collect();
            if let Some(first) = keys.first() {
                by_first
                    .entry(first.clone())
                    .or_default()
                    .push((keys, index));
            }
        }
        for patterns in by_first.values_mut() {
            patterns.sort_by_key(|(keys, _)| Reverse(keys.len()));
        }
        Phrasebook {
            entries,
            by_first,
            queries,
        }
    }

    /// The entries, in the order given.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if there is no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Leftmost-longest, non-overlapping matches over `tokens` (one document); on the same
    /// span, the entry listed first.
    pub fn matches(&self, tokens: &[Token]) -> Vec<PhraseMatch> {
        let found = self.phrase_matches(tokens);
        if self.queries.is_empty() {
            return found;
        }
        let document = DocumentIndex::new(tokens);
        let mut ranked = found;
        for &index in &self.queries {
            let Some(query) = &self.entries[index].query else {
                continue;
            };
            let has_original = !self.entries[index].original.is_empty();
            ranked.extend(document.hits(query).into_iter().map(|hit| PhraseMatch {
                first: hit.first,
                last: hit.last,
                entry: index,
                flag_only: !(hit.exact && has_original),
            }));
        }
        // Leftmost, then longest, then the entry listed first (a stable sort, as the reference).
        ranked.sort_by_key(|m| (m.first, Reverse(m.last - m.first), m.entry));
        let mut chosen: Vec<PhraseMatch> = Vec::with_capacity(ranked.len());
        for candidate in ranked {
            if chosen.last().is_none_or(|last| candidate.first > last.last) {
                chosen.push(candidate);
            }
        }
        chosen
    }

    fn phrase_matches(&self, tokens: &[Token]) -> Vec<PhraseMatch> {
        let mut found = Vec::new();
        let mut index = 0;
        while index < tokens.len() {
            let matched = self
                .by_first
                .get(tokens[index].lower.as_str())
                .and_then(|patterns| {
                    patterns.iter().find(|(keys, _)| {
                        tokens.get(index..index + keys.len()).is_some_and(|span| {
                            span.iter()
                                .zip(keys)
                                .all(|(token, key)| token.lower == *key)
                        })
                    })
                });
            match matched {
                Some((keys, entry)) => {
                    found.push(PhraseMatch {
                        first: index,
                        last: index + keys.len() - 1,
                        entry: *entry,
                        flag_only: false,
                    });
                    index += keys.len();
                }
                None => index += 1,
            }
        }
        found
    }

    /// The entry a match stands for, as the reference reports it: the entry itself, or for a
    /// flag-only query hit a copy whose `original` is the observed text (`text` is the
    /// document the tokens were made from) and whose note says why it is not rewritten.
    /// `None` if the match's entry index is not one of this phrasebook's.
    pub fn matched_entry(
        &self,
        text: &str,
        tokens: &[Token],
        found: &PhraseMatch,
    ) -> Option<Entry> {
        let entry = self.entries.get(found.entry)?;
        if !found.flag_only {
            return Some(entry.clone());
        }
        let span = tokens.get(found.first..=found.last).unwrap_or(&[]);
        let mut observed = String::new();
        for (number, token) in span.iter().enumerate() {
            if number > 0 {
                let gap = text.get(span[number - 1].end..token.start).unwrap_or("");
                observed.extend(std::iter::repeat_n(' ', gap.chars().count()));
            }
            observed.push_str(text.get(token.start..token.end).unwrap_or(""));
        }
        let note = if entry.original.is_empty() {
            format!("{}; flagged, not rewritten (no expected text)", entry.note)
        } else {
            format!(
                "{}; flagged, not rewritten (words not adjacent; expected: {})",
                entry.note, entry.original
            )
        };
        Some(Entry {
            original: observed,
            note,
            ..entry.clone()
        })
    }
}
