//! Following confirmed swaps: a spinner swaps a word the same way throughout a text, so in a text
//! judged spun, each one-word swap the thesaurus edits confirmed ("mentioned" -> "said") is looked
//! for at the word's other places, each judged like a phrasebook `context` pair.

use std::collections::HashMap;
use std::sync::Arc;

use crate::accept::Edit;
use crate::candidates::{Candidate, Candidates, Origin, Proposal, ProposalKind};
use crate::detect::Detector;
use crate::lexicon::Lexicon;
use crate::reference::Reference;
use crate::reference::WordId;
use crate::score::{Judgement, Memo};
use crate::sentences::Sentence;
use crate::sentences::Slots;
use crate::tokenize::{Kind, Token};

/// Observed word -> original of the one-word swaps inside the thesaurus `edits`, in first-seen
/// order ("mentioned final" -> "said last" confirms "mentioned" -> "said" and "final" -> "last");
/// a word restored in two ways keeps the more frequent (neither, on a tie). The words of a phrase
/// edit are paired only where the thesaurus lists the original for the word.
pub fn confirmed_swaps(
    edits: &[Edit],
    tokens: &[Token],
    sentences: &[Sentence],
    lexicon: &Lexicon,
) -> Vec<(String, String)> {
    let mut votes: Vec<(String, Vec<(String, usize)>)> = Vec::new();
    for edit in edits {
        if edit.option.origin != Origin::Thesaurus || edit.consistent {
            continue;
        }
        let sentence = &sentences[edit.sentence];
        let observed: Vec<Option<&str>> = (edit.first..edit.end)
            .map(|position| sentence.key(tokens, position))
            .collect();
        if observed.len() != edit.option.words.len() {
            continue;
        }
        let phrase = observed.len() > 1;
        for (word, original) in observed.iter().zip(&edit.option.words) {
            let Some(word) = word else { continue };
            if *word == original || (phrase && !lexicon.lists(word, original)) {
                continue;
            }
            let counts = match votes.iter_mut().position(|(w, _)| w == word) {
                Some(at) => &mut votes[at].1,
                None => {
                    votes.push(((*word).to_owned(), Vec::new()));
                    &mut votes.last_mut().expect("just pushed").1
                }
            };
            match counts.iter_mut().find(|(o, _)| o == original) {
                Some((_, count)) => *count += 1,
                None => counts.push((original.clone(), 1)),
            }
        }
    }
    let mut swaps = Vec::new();
    for (word, counts) in votes {
        let mut ranked: Vec<usize> = counts.iter().map(|(_, count)| *count).collect();
        ranked.sort_unstable_by(|a, b| b.cmp(a));
        if ranked.len() == 1 || ranked[0] > ranked[1] {
            let top = ranked[0];
            if let Some((original, _)) = counts.into_iter().find(|(_, count)| *count == top) {
                swaps.push((word, original));
            }
        }
    }
    swaps
}

/// The swaps a held-back edit voted for (an edit whose runner-up came within `margin`), each
/// with its rivals: the whole runners-up of a one-word edit, or for a word of a phrase edit the
/// other words its runners-up put in that place. A swap the reference could not tell from its
/// rivals at one place is as uncertain at its other places.
fn held_swaps(
    swaps: &[(String, String)],
    edits: &[Edit],
    tokens: &[Token],
    sentences: &[Sentence],
    lexicon: &Lexicon,
    margin: f64,
) -> HashMap<String, Vec<(Vec<String>, f64)>> {
    let mut held: HashMap<String, Vec<(Vec<String>, f64)>> = HashMap::new();
    for edit in edits {
        if edit.option.origin != Origin::Thesaurus || edit.consistent || edit.restorable(margin) {
            continue;
        }
        let words = &edit.option.words;
        if edit.end - edit.first != words.len() {
            continue;
        }
        let phrase = words.len() > 1;
        for (place, original) in words.iter().enumerate() {
            let Some(word) = sentences[edit.sentence].key(tokens, edit.first + place) else {
                continue;
            };
            // The same votes as `confirmed_swaps` counts.
            if word == original || (phrase && !lexicon.lists(word, original)) {
                continue;
            }
            if !swaps.iter().any(|(w, o)| w == word && o == original) {
                continue;
            }
            let rivals = held.entry(word.to_owned()).or_default();
            for (alternative, behind) in &edit.alternatives {
                let rival = if phrase {
                    match alternative.get(place) {
                        Some(other) if alternative.len() == words.len() && other != original => {
                            vec![other.clone()]
                        }
                        _ => continue,
                    }
                } else {
                    alternative.clone()
                };
                if !rivals.iter().any(|(seen, _)| *seen == rival) {
                    rivals.push((rival, *behind));
                }
            }
        }
    }
    held
}

/// A one-candidate proposal at each unedited one-word suspect whose word `swaps` maps to an
/// original the text does not have.
pub fn swap_places(
    swaps: Vec<(String, String)>,
    edits: &[Edit],
    suspects: &[&Proposal],
    tokens: &[Token],
    sentences: &[Sentence],
    reference: &dyn Reference,
) -> Vec<Proposal> {
    let standing: std::collections::HashSet<&str> = tokens
        .iter()
        .filter(|token| token.kind == Kind::Word)
        .map(|token| token.lower.as_str())
        .collect();
    let swaps: HashMap<String, String> = swaps
        .into_iter()
        .filter(|(_, original)| !standing.contains(original.as_str()))
        .collect();
    if swaps.is_empty() {
        return Vec::new();
    }
    let mut rows: HashMap<&str, Arc<Candidates>> = HashMap::new();
    let mut places = Vec::new();
    for proposal in suspects {
        let Some(word) = sentences[proposal.sentence].key(tokens, proposal.first) else {
            continue;
        };
        let Some(original) = swaps.get(word) else {
            continue;
        };
        let edited = edits.iter().any(|edit| {
            edit.sentence == proposal.sentence
                && edit.first <= proposal.first
                && proposal.first < edit.end
        });
        if proposal.end != proposal.first + 1 || edited {
            continue;
        }
        let candidates = rows
            .entry(original.as_str())
            .or_insert_with(|| {
                let option = Candidate {
                    words: vec![original.clone()],
                    origin: Origin::Thesaurus,
                    closeness: 1.0,
                };
                Arc::new(Candidates::new(vec![option], reference))
            })
            .clone();
        places.push(Proposal {
            sentence: proposal.sentence,
            first: proposal.first,
            end: proposal.end,
            candidates,
            kind: ProposalKind::Swap,
        });
    }
    places
}

/// A followed place: its index, its judgement and its score.
type Place = (usize, Judgement, f64);

impl Detector {
    /// Edits at the other places of the one-word swaps that thesaurus edits made, each scored
    /// like a phrasebook `context` pair in its sentence as restored so far; a word's places are
    /// followed only where the reference prefers the original at half of them or more.
    pub(crate) fn consistent_edits(
        &self,
        edits: &[Edit],
        suspects: &[&Proposal],
        tokens: &[Token],
        all_sentences: &[Sentence],
        slots: &[Slots],
        memo: &Memo,
    ) -> Vec<Edit> {
        let lexicon = &self.models.lexicon;
        let swaps = confirmed_swaps(edits, tokens, all_sentences, lexicon);
        let margin = self.config.restore_margin;
        let held = held_swaps(&swaps, edits, tokens, all_sentences, lexicon, margin);
        let reference = self.models.reference.as_ref();
        let places = swap_places(swaps, edits, suspects, tokens, all_sentences, reference);
        let scorer = self.scorer(memo);
        let mut groups: Vec<(Option<WordId>, Vec<Place>)> = Vec::new();
        for (index, place) in places.iter().enumerate() {
            let judgement = scorer.judge(place, &slots[place.sentence]);
            let score = if judgement.best.is_some() {
                self.config.context_score(judgement.gain)
            } else {
                0.0
            };
            let word = all_sentences[place.sentence].written[place.first];
            match groups.iter_mut().find(|(w, _)| *w == word) {
                Some((_, group)) => group.push((index, judgement, score)),
                None => groups.push((word, vec![(index, judgement, score)])),
            }
        }
        let mut consistent = Vec::new();
        for (_, group) in groups {
            let chosen: Vec<_> = group
                .iter()
                .filter(|(_, _, score)| *score >= self.config.threshold)
                .collect();
            if 2 * chosen.len() >= group.len() {
                for &&(index, judgement, score) in &chosen {
                    let place = &places[index];
                    let word = all_sentences[place.sentence].key(tokens, place.first);
                    let rivals = word.and_then(|word| held.get(word));
                    consistent.push(Edit {
                        sentence: place.sentence,
                        first: place.first,
                        end: place.end,
                        option: place.candidates.options[0].clone(),
                        gain: judgement.gain,
                        score,
                        consistent: true,
                        alternatives: rivals.cloned().unwrap_or_default(),
                        held: rivals.is_some(),
                    });
                }
            }
        }
        consistent
    }
}
