//! The suspect evidence of a document: the suspect model's features of each thesaurus suspect,
//! each proposal's score, and the re-judging the greedy stage asks for.

use crate::accept::Rescore;
use crate::calibration::FalseDiscoveryControl;
use crate::candidates::{Proposal, ProposalKind};
use crate::config::FEATURES;
use crate::detect::Detector;
use crate::score::{context_gain, Judgement, Memo};
use crate::sentences::{Sentence, Slots};
use crate::suspects::{SuspectModel, MISSING_SCORE};
use crate::Result;

/// Per-proposal state while a document is judged.
#[derive(Debug, Clone, Copy)]
pub(crate) struct State {
    pub(crate) judgement: Judgement,
    pub(crate) score: f64,
    pub(crate) posterior: f64,
    pub(crate) row: Option<usize>,
}

impl State {
    /// A proposal's state before it is scored (`row`: its row of written features).
    pub(crate) fn new(judgement: Judgement, row: Option<usize>) -> State {
        State {
            judgement,
            score: 0.0,
            posterior: 0.0,
            row,
        }
    }
}

impl Detector {
    pub(crate) fn score(
        &self,
        kind: ProposalKind,
        state: &State,
        control: &FalseDiscoveryControl,
    ) -> f64 {
        let judgement = &state.judgement;
        if judgement.best.is_none() {
            return 0.0;
        }
        if kind == ProposalKind::Context {
            return self.config.context_score(judgement.gain);
        }
        if judgement.p_value > self.config.max_p_value {
            return state.posterior;
        }
        state
            .posterior
            .max(1.0 - control.q_value(judgement.p_value))
    }

    /// The suspect features that depend on the text as written only: written unigram, context
    /// gain of the first word and of the word after the span, words, scorable candidates.
    pub(crate) fn written_features(
        &self,
        open: &[&Proposal],
        suspects: &[usize],
        all_sentences: &[Sentence],
    ) -> Vec<[f64; 5]> {
        let reference = self.models.reference.as_ref();
        suspects
            .iter()
            .map(|&index| {
                let proposal = open[index];
                let written = &all_sentences[proposal.sentence].written;
                let unigram = written[proposal.first..proposal.end]
                    .iter()
                    .flatten()
                    .fold(0.0, |sum, &id| sum + reference.unigram(id));
                let gain = |position| {
                    context_gain(reference, written, position, self.start_id, self.end_id)
                };
                [
                    unigram,
                    gain(proposal.first),
                    gain(proposal.end),
                    (proposal.end - proposal.first) as f64,
                    proposal.candidates.scorable.len() as f64,
                ]
            })
            .collect()
    }

    /// One row of the suspect model's features, from the suspect's current best candidate.
    pub(crate) fn suspect_features(
        &self,
        proposal: &Proposal,
        state: &State,
        written: &[[f64; 5]],
    ) -> [f64; FEATURES] {
        let fixed = state.row.map(|row| written[row]).unwrap_or([0.0; 5]);
        let judgement = &state.judgement;
        let best = judgement
            .best
            .map(|index| &proposal.candidates.scorable[index]);
        [
            if best.is_some() {
                judgement.statistic
            } else {
                MISSING_SCORE
            },
            if best.is_some() {
                judgement.gain
            } else {
                MISSING_SCORE
            },
            -judgement.p_value.max(1e-300).ln(),
            best.map_or(0.0, |b| b.unigram - fixed[0]),
            fixed[0],
            fixed[1],
            fixed[2],
            fixed[3],
            best.map_or(-3.0, |b| b.log_closeness),
            fixed[4],
        ]
    }
}

/// The greedy stage's view of the open proposals: re-judging and rescoring them.
pub(crate) struct GreedyState<'d> {
    pub(crate) detector: &'d Detector,
    pub(crate) proposals: &'d [&'d Proposal],
    pub(crate) states: Vec<State>,
    pub(crate) written: &'d [[f64; 5]],
    pub(crate) share: f64,
    pub(crate) control: &'d FalseDiscoveryControl,
    pub(crate) memo: &'d Memo,
}

impl Rescore for GreedyState<'_> {
    fn rescore(&mut self, indices: &[usize], slots: &[Slots]) -> Result<Vec<f64>> {
        let scorer = self.detector.scorer(self.memo);
        for &index in indices {
            let proposal = self.proposals[index];
            self.states[index].judgement = scorer.judge(proposal, &slots[proposal.sentence]);
        }
        let suspects: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|&i| self.proposals[i].kind == ProposalKind::Thesaurus)
            .collect();
        if !suspects.is_empty() {
            let features: Vec<f64> = suspects
                .iter()
                .flat_map(|&i| {
                    self.detector
                        .suspect_features(self.proposals[i], &self.states[i], self.written)
                })
                .collect();
            let model = &self.detector.models.suspects;
            let ratios = model.log_ratios(&features)?;
            let posteriors = SuspectModel::posteriors(&ratios, self.share);
            for (&index, posterior) in suspects.iter().zip(posteriors) {
                self.states[index].posterior = posterior;
            }
        }
        Ok(indices
            .iter()
            .map(|&index| {
                let score = self.detector.score(
                    self.proposals[index].kind,
                    &self.states[index],
                    self.control,
                );
                self.states[index].score = score;
                score
            })
            .collect())
    }

    fn current(&self, index: usize) -> (f64, f64, Judgement) {
        let state = &self.states[index];
        (state.score, state.judgement.statistic, state.judgement)
    }
}
