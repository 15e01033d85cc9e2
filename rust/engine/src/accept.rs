//! Accepting edits: the phrasebook's certain pairs first, then the rest greedily, most confident
//! first, re-judging the neighbours of each accepted edit against the restored sentence.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::candidates::{Candidate, Candidates, Proposal};
use crate::score::{Judgement, Scorer};
use crate::sentences::Slots;
use crate::Result;

/// Score of the phrasebook's certain (`always`) pairs and of spintax.
pub const ALWAYS_SCORE: f64 = 0.99;

/// An accepted replacement, in sentence positions.
#[derive(Debug, Clone)]
pub struct Edit {
    /// Index of its sentence.
    pub sentence: usize,
    /// First position replaced.
    pub first: usize,
    /// One past the last position replaced.
    pub end: usize,
    /// The original written back.
    pub option: Candidate,
    /// Its gain (log10 likelihood ratio) when accepted.
    pub gain: f64,
    /// Its score.
    pub score: f64,
    /// Made at another place of a swap the text confirmed.
    pub consistent: bool,
    /// The next best originals the reference considered, best first, each with how far its
    /// statistic falls below the chosen one's (log10, >= 0).
    pub alternatives: Vec<(Vec<String>, f64)>,
    /// Held back from restoring whatever its margin: a swap followed from an edit that was.
    pub held: bool,
}

impl Edit {
    /// Whether the edit is to be written back: not held, and its runner-up original (if any) is
    /// at least `margin` (log10 of the statistic) behind it.
    pub fn restorable(&self, margin: f64) -> bool {
        !self.held
            && self
                .alternatives
                .first()
                .is_none_or(|&(_, behind)| behind >= margin)
    }

    /// True when the edit shares a position with the span.
    pub fn overlaps(&self, sentence: usize, first: usize, end: usize) -> bool {
        self.sentence == sentence && first < self.end && self.first < end
    }
}

/// The runner-up originals of a judgement with their distance below its best.
fn alternatives(candidates: &Candidates, judgement: &Judgement) -> Vec<(Vec<String>, f64)> {
    judgement
        .others
        .iter()
        .flatten()
        .map(|&(index, statistic)| {
            let option = &candidates.options[candidates.scorable[index].option];
            (option.words.clone(), judgement.statistic - statistic)
        })
        .collect()
}

/// True when any edit shares a position with the proposal's span.
pub fn overlaps_any(proposal: &Proposal, edits: &[Edit]) -> bool {
    edits
        .iter()
        .any(|edit| edit.overlaps(proposal.sentence, proposal.first, proposal.end))
}

/// Apply the phrasebook's certain edits in order, each judged in its sentence as the earlier
/// ones left it; `judgements` are those of the proposals in the text as written.
pub fn apply_always(
    proposals: &[&Proposal],
    judgements: &[Judgement],
    slots: &mut [Slots],
    scorer: &Scorer,
) -> Vec<Edit> {
    let mut edits: Vec<Edit> = Vec::new();
    for (proposal, judgement) in proposals.iter().zip(judgements) {
        if overlaps_any(proposal, &edits) {
            continue;
        }
        let sentence = &mut slots[proposal.sentence];
        let judgement = if sentence.as_written_around(proposal.first, proposal.end) {
            *judgement
        } else {
            scorer.judge(proposal, sentence)
        };
        let candidates = &proposal.candidates;
        let (option, gain) = match judgement.best {
            Some(best) => {
                let scorable = &candidates.scorable[best];
                sentence.replace(proposal.first, proposal.end, &scorable.ids);
                (candidates.options[scorable.option].clone(), judgement.gain)
            }
            None => (candidates.options[0].clone(), 0.0),
        };
        edits.push(Edit {
            sentence: proposal.sentence,
            first: proposal.first,
            end: proposal.end,
            option,
            gain,
            score: ALWAYS_SCORE,
            consistent: false,
            alternatives: Vec::new(),
            held: false,
        });
    }
    edits
}

/// A heap entry: Python's `(-score, -statistic, index, version)` tuple in a min-heap.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    score: f64,
    statistic: f64,
    index: usize,
    version: usize,
}

impl Ranked {
    fn key(&self) -> (f64, f64, usize, usize) {
        (-self.score, -self.statistic, self.index, self.version)
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the smallest Python tuple first.
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (self.key(), other.key());
        let order =
            a.0.total_cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3));
        order.reverse()
    }
}

/// What the greedy stage needs to know and to do about each proposal.
pub trait Rescore {
    /// Re-judge the proposals `indices` against their sentences as they now stand, and return
    /// each one's new score.
    fn rescore(&mut self, indices: &[usize], slots: &[Slots]) -> Result<Vec<f64>>;
    /// The current score, statistic and judgement of proposal `index`.
    fn current(&self, index: usize) -> (f64, f64, Judgement);
}

/// Accept edits most confident first; after each, drop the proposals it overlaps and re-judge
/// those within three words of it. Each sentence is its own greedy sequence; the sequences
/// advance together, one edit per sentence a round, and each round's re-judging is one batch.
pub fn greedy(
    proposals: &[&Proposal],
    threshold: f64,
    slots: &mut [Slots],
    state: &mut dyn Rescore,
) -> Result<Vec<Edit>> {
    let sentences = slots.len();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); sentences];
    let mut heaps: Vec<BinaryHeap<Ranked>> = vec![BinaryHeap::new(); sentences];
    let mut in_heaps: Vec<usize> = Vec::new(); // sentences with a heap, in first-seen order
    let mut version = vec![0usize; proposals.len()];
    let mut alive = vec![true; proposals.len()];
    for (index, proposal) in proposals.iter().enumerate() {
        let (score, statistic, _) = state.current(index);
        members[proposal.sentence].push(index);
        if score >= threshold {
            if heaps[proposal.sentence].is_empty() && !in_heaps.contains(&proposal.sentence) {
                in_heaps.push(proposal.sentence);
            }
            heaps[proposal.sentence].push(Ranked {
                score,
                statistic,
                index,
                version: 0,
            });
        }
    }
    let mut edits = Vec::new();
    let mut active = in_heaps;
    while !active.is_empty() {
        let mut nearby: Vec<usize> = Vec::new();
        let mut accepted = Vec::new();
        for &sentence in &active {
            let Some(chosen) = next_edit(&mut heaps[sentence], &alive, &version) else {
                continue;
            };
            accepted.push(sentence);
            let proposal = proposals[chosen];
            let (score, _, judgement) = state.current(chosen);
            let Some(best) = judgement.best else { continue };
            let scorable = &proposal.candidates.scorable[best];
            slots[sentence].replace(proposal.first, proposal.end, &scorable.ids);
            edits.push(Edit {
                sentence,
                first: proposal.first,
                end: proposal.end,
                option: proposal.candidates.options[scorable.option].clone(),
                gain: judgement.gain,
                score,
                consistent: false,
                alternatives: alternatives(&proposal.candidates, &judgement),
                held: false,
            });
            alive[chosen] = false;
            for &other in &members[sentence] {
                if !alive[other] {
                    continue;
                }
                let near = proposals[other];
                if near.first < proposal.end && proposal.first < near.end {
                    alive[other] = false;
                } else if near.end + 3 > proposal.first && near.first < proposal.end + 3 {
                    nearby.push(other);
                }
            }
        }
        let scores = state.rescore(&nearby, slots)?;
        for (&other, score) in nearby.iter().zip(scores) {
            version[other] += 1;
            if score >= threshold {
                let (_, statistic, _) = state.current(other);
                heaps[proposals[other].sentence].push(Ranked {
                    score,
                    statistic,
                    index: other,
                    version: version[other],
                });
            }
        }
        active = accepted;
    }
    Ok(edits)
}

/// The best proposal still standing in one sentence's heap (None when none is).
fn next_edit(heap: &mut BinaryHeap<Ranked>, alive: &[bool], version: &[usize]) -> Option<usize> {
    while let Some(top) = heap.pop() {
        if alive[top.index] && top.version == version[top.index] {
            return Some(top.index);
        }
    }
    None
}
