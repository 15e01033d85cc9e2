//! The acceptance stage (`accept.rs`): the phrasebook's certain edits in order, re-judged where
//! an earlier one changed their context, and the greedy stage (most confident first, the
//! neighbours of each edit re-judged) on the proposals of the spun seed page.

mod stage_support;

use std::sync::Arc;

use spindetect_engine::accept::{apply_always, greedy, Edit, Rescore, ALWAYS_SCORE};
use spindetect_engine::candidates::{Candidate, Candidates, Origin, Proposal, ProposalKind};
use spindetect_engine::config::Config;
use spindetect_engine::reference::WordId;
use spindetect_engine::score::{Judgement, Memo, Scorer, OTHERS};
use spindetect_engine::sentences::Slots;
use spindetect_engine::Result;
use stage_support::{detector, end_id, ids, proposals, reference, spun_seed, start_id, Doc};

const THRESHOLD: f64 = 0.95;

/// The thesaurus proposals of the sentences `numbers`.
fn suspects_of(all: &[Proposal], numbers: &[usize]) -> Vec<Proposal> {
    all.iter()
        .filter(|p| p.kind == ProposalKind::Thesaurus && numbers.contains(&p.sentence))
        .cloned()
        .collect()
}

/// A made-up judgement that picks the first scorable candidate.
fn judgement(statistic: f64) -> Judgement {
    Judgement {
        best: Some(0),
        gain: statistic,
        statistic,
        p_value: 0.0,
        others: [None; OTHERS],
    }
}

/// A greedy state whose scores are given; `change` maps (proposal, score) to the score a
/// re-judging gives. Every re-judging is recorded with what the sentence then held.
struct Fake<'p> {
    proposals: &'p [&'p Proposal],
    scores: Vec<f64>,
    statistics: Vec<f64>,
    change: Box<dyn Fn(usize, f64) -> f64>,
    lengths: Vec<usize>,
    calls: Vec<Vec<usize>>,
    seen: Vec<Vec<WordId>>,
}

impl<'p> Fake<'p> {
    fn new(
        doc: &Doc,
        proposals: &'p [&'p Proposal],
        scores: Vec<f64>,
        statistics: Vec<f64>,
    ) -> Self {
        Fake {
            lengths: doc.sentences.iter().map(|s| s.len()).collect(),
            proposals,
            scores,
            statistics,
            change: Box::new(|_, score| score),
            calls: Vec::new(),
            seen: Vec::new(),
        }
    }
}

impl Rescore for Fake<'_> {
    fn rescore(&mut self, indices: &[usize], slots: &[Slots]) -> Result<Vec<f64>> {
        self.calls.push(indices.to_vec());
        for &index in indices {
            let p = self.proposals[index];
            let length = self.lengths[p.sentence];
            self.seen.push(slots[p.sentence].current(0, length));
            self.scores[index] = (self.change)(index, self.scores[index]);
        }
        Ok(indices.iter().map(|&i| self.scores[i]).collect())
    }

    fn current(&self, index: usize) -> (f64, f64, Judgement) {
        (
            self.scores[index],
            self.statistics[index],
            judgement(self.statistics[index]),
        )
    }
}

/// The edits a greedy pass with scores that never change must make: most confident first
/// (higher statistic, then earlier proposal on a tie), skipping any that overlaps one taken.
fn expected_order(proposals: &[&Proposal], scores: &[f64], statistics: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..proposals.len())
        .filter(|&i| scores[i] >= THRESHOLD)
        .collect();
    order.sort_by(|&a, &b| {
        scores[b]
            .total_cmp(&scores[a])
            .then(statistics[b].total_cmp(&statistics[a]))
            .then(a.cmp(&b))
    });
    let mut taken: Vec<usize> = Vec::new();
    for index in order {
        let p = proposals[index];
        if !taken
            .iter()
            .any(|&t| proposals[t].overlaps(p.sentence, p.first, p.end))
        {
            taken.push(index);
        }
    }
    taken
}

/// Scores spread over [0.90, 1.0) with ties, from the proposal's place (no randomness).
fn spread(proposals: &[&Proposal]) -> (Vec<f64>, Vec<f64>) {
    let scores = proposals
        .iter()
        .map(|p| 0.90 + ((p.first * 7 + p.end * 3) % 10) as f64 / 100.0)
        .collect();
    let statistics = proposals
        .iter()
        .map(|p| ((p.first * 5 + p.end) % 4) as f64)
        .collect();
    (scores, statistics)
}

fn seed_slots(doc: &Doc) -> Vec<Slots> {
    doc.sentences.iter().map(Slots::new).collect()
}

/// Two long sentences of the spun page with many suspects.
fn two_sentences(doc: &Doc) -> [usize; 2] {
    let (first, _) = doc.find(&["deepening", "navy", "ties"]);
    let (second, _) = doc.find(&["was", "appointed", "protection", "minister"]);
    [first, second]
}

/// A greedy run over the suspects of the first `sentences` of [`two_sentences`] of the spun
/// seed, with [`spread`] scores, and what the tests look at afterwards.
struct Run<'a> {
    doc: &'a Doc,
    numbers: &'a [usize],
    open: &'a [&'a Proposal],
    scores: &'a [f64],
    statistics: &'a [f64],
    edits: &'a [Edit],
    slots: &'a [Slots],
    fake: &'a Fake<'a>,
}

fn greedy_run(sentences: usize, check: impl FnOnce(&Run)) {
    let doc = Doc::new(&spun_seed());
    let all = proposals(&doc);
    let numbers = &two_sentences(&doc)[..sentences];
    let owned = suspects_of(&all, numbers);
    let open: Vec<&Proposal> = owned.iter().collect();
    let (scores, statistics) = spread(&open);
    let mut fake = Fake::new(&doc, &open, scores.clone(), statistics.clone());
    let mut slots = seed_slots(&doc);
    let edits = greedy(&open, THRESHOLD, &mut slots, &mut fake).expect("greedy");
    check(&Run {
        doc: &doc,
        numbers,
        open: &open,
        scores: &scores,
        statistics: &statistics,
        edits: &edits,
        slots: &slots,
        fake: &fake,
    });
}

#[test]
fn greedy_accepts_the_most_confident_first_and_never_two_overlapping_edits() {
    greedy_run(2, |run| {
        let Run {
            numbers,
            open,
            scores,
            statistics,
            edits,
            slots,
            ..
        } = *run;
        let expected = expected_order(open, scores, statistics);
        assert!(
            expected.len() >= 4,
            "too few edits to tell an order: {expected:?}"
        );
        for &number in numbers {
            let got: Vec<(usize, usize)> = edits
                .iter()
                .filter(|e| e.sentence == number)
                .map(|e| (e.first, e.end))
                .collect();
            let want: Vec<(usize, usize)> = expected
                .iter()
                .map(|&i| open[i])
                .filter(|p| p.sentence == number)
                .map(|p| (p.first, p.end))
                .collect();
            assert_eq!(got, want, "sentence {number}");
            assert!(!got.is_empty());
        }
        for edit in edits {
            assert!(edit.score >= THRESHOLD);
            assert!(!edit.consistent);
            let index = open
                .iter()
                .position(|p| {
                    p.sentence == edit.sentence && (p.first, p.end) == (edit.first, edit.end)
                })
                .expect("the edit of a proposal");
            assert_eq!(edit.score, scores[index]);
            assert_eq!(edit.gain, statistics[index]);
            let ids = &open[index].candidates.scorable[0].ids;
            assert_eq!(&slots[edit.sentence].current(edit.first, edit.end), ids);
        }
        // The two sentences advance together: each round takes one edit from each.
        assert_ne!(edits[0].sentence, edits[1].sentence);
    });
}

#[test]
fn greedy_re_judges_the_proposals_within_three_positions_of_each_edit() {
    greedy_run(1, |run| {
        let Run {
            doc,
            open,
            scores,
            statistics,
            edits,
            fake,
            ..
        } = *run;
        let accepted = expected_order(open, scores, statistics);
        assert_eq!(edits.len(), accepted.len());
        // One re-judging per round: one edit a round in one sentence, then a last empty round.
        assert_eq!(fake.calls.len(), edits.len() + 1);
        assert!(fake.calls.last().unwrap().is_empty());
        let mut gone: Vec<usize> = Vec::new();
        let mut rejudged = 0;
        for (round, &chosen) in accepted.iter().enumerate() {
            let edit = open[chosen];
            gone.push(chosen);
            let mut expected = Vec::new();
            for (index, p) in open.iter().enumerate() {
                if gone.contains(&index) {
                    continue;
                }
                if p.overlaps(edit.sentence, edit.first, edit.end) {
                    gone.push(index);
                    continue;
                }
                // Words strictly between the two spans.
                let gap = if p.first >= edit.end {
                    p.first - edit.end
                } else {
                    edit.first - p.end
                };
                if gap < 3 {
                    expected.push(index);
                }
            }
            assert_eq!(fake.calls[round], expected, "round {round}");
            rejudged += expected.len();
        }
        assert!(rejudged > 3);
        // Each re-judging saw the sentence with the round's edit applied.
        let mut seen = fake.seen.iter();
        for (round, &chosen) in accepted.iter().enumerate() {
            let p = open[chosen];
            let sentence_now = {
                let mut replay = Slots::new(&doc.sentences[p.sentence]);
                for &earlier in &accepted[..=round] {
                    let e = open[earlier];
                    replay.replace(e.first, e.end, &e.candidates.scorable[0].ids);
                }
                replay.current(0, doc.sentences[p.sentence].len())
            };
            for _ in &fake.calls[round] {
                let got = seen.next().expect("a recorded re-judging");
                assert_eq!(got, &sentence_now);
            }
        }
    });
}

#[test]
fn a_neighbour_raised_by_its_re_judging_is_accepted_and_one_lowered_is_dropped() {
    let doc = Doc::new(&spun_seed());
    let all = proposals(&doc);
    let numbers = [two_sentences(&doc)[0]];
    let owned = suspects_of(&all, &numbers);
    let singles: Vec<&Proposal> = owned.iter().filter(|p| p.end == p.first + 1).collect();
    // Three one-word suspects: a leader, and two others within three positions of it.
    let (lead, raised, lowered) = (0..singles.len())
        .find_map(|a| {
            let near: Vec<usize> = (0..singles.len())
                .filter(|&b| {
                    b != a
                        && singles[b].first.abs_diff(singles[a].first) <= 3
                        && singles[b].first != singles[a].first
                })
                .collect();
            (near.len() >= 2 && singles[near[0]].first != singles[near[1]].first)
                .then(|| (a, near[0], near[1]))
        })
        .expect("three close suspects");
    let open: Vec<&Proposal> = vec![singles[lead], singles[raised], singles[lowered]];
    let (mut scores, statistics) = (vec![0.99, 0.50, 0.97], vec![1.0, 1.0, 1.0]);
    let mut fake = Fake::new(&doc, &open, scores.clone(), statistics.clone());
    fake.change = Box::new(|index, score| match index {
        1 => 0.98,
        2 => 0.10,
        _ => score,
    });
    let mut slots = seed_slots(&doc);
    let edits = greedy(&open, THRESHOLD, &mut slots, &mut fake).expect("greedy");
    let places: Vec<usize> = edits.iter().map(|e| e.first).collect();
    assert_eq!(places, vec![open[0].first, open[1].first]);
    assert_eq!(edits[1].score, 0.98);
    // Without the re-judging, the order would be the leader, then the third.
    scores[1] = 0.50;
    let mut unchanged = Fake::new(&doc, &open, scores, statistics);
    let mut slots = seed_slots(&doc);
    let edits = greedy(&open, THRESHOLD, &mut slots, &mut unchanged).expect("greedy");
    let places: Vec<usize> = edits.iter().map(|e| e.first).collect();
    assert_eq!(places, vec![open[0].first, open[2].first]);
}

/// An `always` proposal with these candidate words at positions `first..end`.
fn always(sentence: usize, first: usize, end: usize, words: &[&str]) -> Proposal {
    let options = vec![Candidate {
        words: words.iter().map(|w| (*w).to_owned()).collect(),
        origin: Origin::Thesaurus,
        closeness: 1.0,
    }];
    Proposal {
        sentence,
        first,
        end,
        candidates: Arc::new(Candidates::new(options, reference())),
        kind: ProposalKind::Always,
    }
}

#[test]
fn certain_edits_apply_in_order_and_are_re_judged_where_an_earlier_one_changed_the_context() {
    let doc = Doc::new(&spun_seed());
    // "... who days earlier had grow to be the topic of a world arrest warrant for ...".
    let (number, at) = doc.find(&["grow", "to", "be", "the", "topic", "of", "a", "world"]);
    let grow = always(number, at, at + 3, &["become"]);
    let topic = always(number, at + 4, at + 5, &["subject"]);
    let world = always(number, at + 7, at + 8, &["global"]);
    let again = always(number, at + 1, at + 2, &["too"]);
    let unknown = always(number, at + 6, at + 7, &["shangfu"]);
    let certain: Vec<&Proposal> = vec![&grow, &topic, &again, &unknown, &world];
    let config = Config::default();
    let memo = Memo::default();
    let scorer = Scorer {
        reference: reference(),
        memo: &memo,
        start_id: start_id(),
        end_id: end_id(),
        config: &config,
        null: &detector().models().null,
    };
    // Judgements "of the text as written" that no re-judging would give.
    let given: Vec<Judgement> = certain
        .iter()
        .map(|p| Judgement {
            best: (!p.candidates.scorable.is_empty()).then_some(0),
            gain: 42.0,
            statistic: 42.0,
            p_value: 0.0,
            others: [None; OTHERS],
        })
        .collect();
    let mut slots = seed_slots(&doc);
    let mut after_grow = Slots::new(&doc.sentences[number]);
    after_grow.replace(at, at + 3, &grow.candidates.scorable[0].ids);
    let topic_now = scorer.judge(&topic, &after_grow);
    let edits: Vec<Edit> = apply_always(&certain, &given, &mut slots, &scorer);
    let spans: Vec<(usize, usize)> = edits.iter().map(|e| (e.first, e.end)).collect();
    // "too" overlaps "grow to be": left out.
    assert_eq!(
        spans,
        vec![
            (at, at + 3),
            (at + 4, at + 5),
            (at + 6, at + 7),
            (at + 7, at + 8)
        ]
    );
    assert!(edits.iter().all(|e| e.score == ALWAYS_SCORE));
    // Nothing changed around "grow to be" and "world": their given judgement stands.
    assert_eq!(edits[0].gain, 42.0);
    assert_eq!(edits[3].gain, 42.0);
    // "topic" follows the restored "become the": judged again, in the restored sentence.
    assert_eq!(edits[1].gain, topic_now.gain);
    assert_ne!(edits[1].gain, 42.0);
    // Without a scorable candidate: the first option, no gain, the words left as written.
    assert_eq!(edits[2].option.words, vec!["shangfu"]);
    assert_eq!(edits[2].gain, 0.0);
    assert_eq!(
        slots[number].current(at, at + 8),
        ids(&["become", "the", "subject", "of", "a", "global"])
    );
}
