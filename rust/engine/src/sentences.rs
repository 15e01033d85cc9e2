//! Sentences as the reference sees them, and the windows an edit inside them is scored on.
//!
//! A [`Sentence`] holds the words of one sentence or clause (split at `. ! ? ; :`, brackets,
//! dashes and newlines; commas, quotes and hyphens are transparent, as in the text the reference
//! was trained on) with the token index of each word. Numbers, URLs and words the reference does
//! not know have no id: they cut the history, and no edit touches them.
//!
//! [`Sentence`] is the text as written; [`Slots`] is one sentence's words as the edits accepted so
//! far leave them (a replaced span keeps its words on its first position and none on the rest, so
//! positions always map back to tokens).

use crate::reference::{Reference, WordId};
use crate::tokenize::{Kind, Token};

/// One sentence as written.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// Token index of each position.
    pub token_indices: Vec<usize>,
    /// Reference id of each position's word as written (None: number, URL, unknown word).
    pub written: Vec<Option<WordId>>,
}

impl Sentence {
    /// Number of positions.
    pub fn len(&self) -> usize {
        self.token_indices.len()
    }

    /// True when the sentence has no position.
    pub fn is_empty(&self) -> bool {
        self.token_indices.is_empty()
    }

    /// The lookup key of the word at `position` as written, if the reference knows it.
    pub fn key<'t>(&self, tokens: &'t [Token], position: usize) -> Option<&'t str> {
        self.written[position].map(|_| tokens[self.token_indices[position]].lower.as_str())
    }
}

/// Split tokens into the sentences the reference scores.
pub fn sentences(tokens: &[Token], reference: &dyn Reference) -> Vec<Sentence> {
    let mut result = Vec::new();
    let mut current = Sentence {
        token_indices: Vec::new(),
        written: Vec::new(),
    };
    for (index, token) in tokens.iter().enumerate() {
        match token.kind {
            Kind::Word => {
                current.token_indices.push(index);
                current.written.push(reference.known_id(&token.lower));
            }
            Kind::Break => {
                if !current.is_empty() {
                    result.push(std::mem::replace(
                        &mut current,
                        Sentence {
                            token_indices: Vec::new(),
                            written: Vec::new(),
                        },
                    ));
                }
            }
            Kind::Hyphen | Kind::Other => {}
            Kind::Number | Kind::Url | Kind::Email => {
                current.token_indices.push(index);
                current.written.push(None);
            }
        }
    }
    if !current.is_empty() {
        result.push(current);
    }
    result
}

/// What stands at one position of a sentence now.
#[derive(Debug, Clone, PartialEq)]
enum Slot {
    /// A number or unknown word: cuts the history.
    Cut,
    /// The words now at this position (none for the later positions of a replaced span).
    Words(Vec<WordId>),
}

/// The words of one sentence as the accepted edits leave them.
#[derive(Debug, Clone)]
pub struct Slots {
    slots: Vec<Slot>,
    edited: Vec<bool>,
}

/// What a span is scored on: up to two words of history (oldest first; `<s>` at the sentence
/// start), the words now in the span, and up to two following words (`</s>` at the end).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Window {
    /// History words, oldest first (0, 1 or 2).
    pub history: Vec<WordId>,
    /// The words now standing in the span.
    pub words: Vec<WordId>,
    /// Following words that depend on the span (0, 1 or 2).
    pub following: Vec<WordId>,
}

impl Slots {
    /// The sentence as written.
    pub fn new(sentence: &Sentence) -> Slots {
        Slots {
            slots: sentence
                .written
                .iter()
                .map(|id| match id {
                    Some(id) => Slot::Words(vec![*id]),
                    None => Slot::Cut,
                })
                .collect(),
            edited: vec![false; sentence.len()],
        }
    }

    /// True when no edit has touched the span or the two positions on either side of it.
    pub fn as_written_around(&self, first: usize, end: usize) -> bool {
        let low = first.saturating_sub(2);
        let high = (end + 2).min(self.edited.len());
        !self.edited[low..high].iter().any(|&edited| edited)
    }

    /// Apply an edit so that later scoring sees it.
    pub fn replace(&mut self, first: usize, end: usize, replacement: &[WordId]) {
        for flag in &mut self.edited[first..end] {
            *flag = true;
        }
        self.slots[first] = Slot::Words(replacement.to_vec());
        for slot in &mut self.slots[first + 1..end] {
            *slot = Slot::Words(Vec::new());
        }
    }

    /// The window of positions `first..end` as the sentence now stands.
    pub fn window(&self, first: usize, end: usize, start_id: WordId, end_id: WordId) -> Window {
        Window {
            history: self.before(first, start_id),
            words: self.current(first, end),
            following: self.after(end, end_id),
        }
    }

    /// The words now standing at positions `first..end`.
    pub fn current(&self, first: usize, end: usize) -> Vec<WordId> {
        let mut words = Vec::new();
        for slot in &self.slots[first..end] {
            if let Slot::Words(ids) = slot {
                words.extend_from_slice(ids);
            }
        }
        words
    }

    fn before(&self, position: usize, start_id: WordId) -> Vec<WordId> {
        let mut history: Vec<WordId> = Vec::with_capacity(2);
        let mut index = position;
        while index > 0 && history.len() < 2 {
            index -= 1;
            match &self.slots[index] {
                Slot::Cut => return history,
                Slot::Words(ids) => {
                    let take = (2 - history.len()).min(ids.len());
                    let mut prefix: Vec<WordId> = ids[ids.len() - take..].to_vec();
                    prefix.extend_from_slice(&history);
                    history = prefix;
                }
            }
        }
        // The walk reached the sentence start (a cut returns above): `<s>` is history too.
        if index == 0 && history.len() < 2 {
            history.insert(0, start_id);
        }
        history
    }

    fn after(&self, position: usize, end_id: WordId) -> Vec<WordId> {
        let mut following: Vec<WordId> = Vec::with_capacity(2);
        let mut index = position;
        while index < self.slots.len() && following.len() < 2 {
            match &self.slots[index] {
                Slot::Cut => return following,
                Slot::Words(ids) => {
                    let take = (2 - following.len()).min(ids.len());
                    following.extend_from_slice(&ids[..take]);
                }
            }
            index += 1;
        }
        if index >= self.slots.len() && following.len() < 2 {
            following.push(end_id);
        }
        following
    }
}
