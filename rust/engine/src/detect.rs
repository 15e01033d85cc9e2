//! One document through the pipeline: tokens -> sentences -> proposals -> judgements -> certain
//! edits -> suspect evidence -> greedy acceptance -> findings -> followed swaps.
//!
//! A [`Detector`] holds the models, read-only: any number of threads may call
//! [`Detector::examine`] at once; each call keeps its own state and returns values.

use std::cell::RefCell;
use std::sync::Arc;

use thread_local::ThreadLocal;

use crate::accept::{apply_always, greedy, overlaps_any, Edit, ALWAYS_SCORE};
use crate::calibration::{FalseDiscoveryControl, NullDistribution};
use crate::candidates::{CandidateCache, Origin, Proposal, ProposalKind, Sources};
use crate::config::{Config, FEATURES};
use crate::evidence::{GreedyState, State};
use crate::findings::{finding_of, merge_adjacent, with_article, Finding};
use crate::lexicon::Lexicon;
use crate::phrasebook::{spintax_matches, Phrasebook, SpintaxMatch};
use crate::reference::{Reference, WordId, SENTENCE_END, SENTENCE_START};
use crate::score::{Judgement, Memo, Scorer};
use crate::sentences::{sentences, Sentence, Slots};
use crate::suspects::SuspectModel;
use crate::tokenize::{Kind, Token};
use crate::verdict::{features as document_features, DocumentModel, Evidence};
use crate::{Error, Result};

/// The models a detector reads; shared by every thread.
pub struct Models {
    /// The reference language model.
    pub reference: Arc<dyn Reference>,
    /// The candidate sources.
    pub lexicon: Arc<Lexicon>,
    /// The phrasebook (bundled and user entries).
    pub phrasebook: Arc<Phrasebook>,
    /// Statistic -> p-value on clean text.
    pub null: Arc<NullDistribution>,
    /// The suspect model.
    pub suspects: Arc<SuspectModel>,
    /// The document classifier.
    pub document: Arc<DocumentModel>,
}

/// What one document (or piece of one) gives: its findings and the evidence behind its verdict.
#[derive(Debug, Clone)]
pub struct Examined {
    /// Findings by offset, adjacent ones merged.
    pub findings: Vec<Finding>,
    /// Counts behind the verdict.
    pub evidence: Evidence,
    /// Word tokens in the text.
    pub words: usize,
}

/// A document after its certain edits, with every other proposal judged in its context.
struct Judged {
    sentences: Vec<Sentence>,
    proposals: Vec<Proposal>,
    /// The sentences as the certain edits left them.
    slots: Vec<Slots>,
    /// The certain edits.
    edits: Vec<Edit>,
    /// Indices into `proposals` of the proposals still open.
    open: Vec<usize>,
    /// The judgement of each open proposal.
    judgements: Vec<Judgement>,
}

/// Spintax groups (`{a|b|c}`) of a text, except inside URLs and e-mail addresses.
fn spintax_outside_links(text: &str, tokens: &[Token]) -> Vec<SpintaxMatch> {
    let links: Vec<(usize, usize)> = tokens
        .iter()
        .filter(|token| matches!(token.kind, Kind::Url | Kind::Email))
        .map(|token| (token.start, token.end))
        .collect();
    spintax_matches(text)
        .into_iter()
        .filter(|m| {
            !links
                .iter()
                .any(|&(start, end)| start < m.end && m.start < end)
        })
        .collect()
}

/// Finds spun phrases with a reference, a reversed thesaurus, a phrasebook and the models.
pub struct Detector {
    pub(crate) models: Models,
    pub(crate) config: Config,
    pub(crate) start_id: WordId,
    pub(crate) end_id: WordId,
    /// Each scanning thread's candidate tables, kept across the documents it scans.
    caches: ThreadLocal<RefCell<CandidateCache>>,
    /// Each scanning thread's memo of reference queries.
    memos: ThreadLocal<Memo>,
}

impl Detector {
    /// A detector on these models and settings.
    pub fn new(models: Models, config: Config) -> Result<Detector> {
        let id = |word: &str| {
            models.reference.id(word).ok_or_else(|| {
                Error::Model(format!(
                    "reference '{}' lacks '{word}'",
                    models.reference.name()
                ))
            })
        };
        let (start_id, end_id) = (id(SENTENCE_START)?, id(SENTENCE_END)?);
        Ok(Detector {
            models,
            config,
            start_id,
            end_id,
            caches: ThreadLocal::new(),
            memos: ThreadLocal::new(),
        })
    }

    /// The detector's settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The models.
    pub fn models(&self) -> &Models {
        &self.models
    }

    /// P(spun) of a text with this many findings, this evidence and this many words.
    pub fn probability(&self, findings: usize, evidence: &Evidence, words: usize) -> f64 {
        self.models
            .document
            .probability(&document_features(findings, evidence, words))
    }

    /// This thread's memo of reference queries.
    fn memo(&self) -> &Memo {
        let memo = self.memos.get_or_default();
        memo.bound();
        memo
    }

    /// A scorer for one document, remembering its reference queries in `memo`.
    pub(crate) fn scorer<'d>(&'d self, memo: &'d Memo) -> Scorer<'d> {
        Scorer {
            reference: self.models.reference.as_ref(),
            memo,
            start_id: self.start_id,
            end_id: self.end_id,
            config: &self.config,
            null: &self.models.null,
        }
    }

    fn sources(&self) -> Sources<'_> {
        Sources {
            reference: self.models.reference.as_ref(),
            lexicon: &self.models.lexicon,
            phrasebook: &self.models.phrasebook,
            config: &self.config,
        }
    }

    /// The certain edits of a document and every other proposal judged in its context: the
    /// first stage of [`Detector::examine`], and what the suspect model is trained on. Places
    /// whose first token starts inside a `blocked` byte span are left out.
    fn judge(
        &self,
        text: &str,
        tokens: &[Token],
        blocked: &[(usize, usize)],
        memo: &Memo,
    ) -> Judged {
        let all_sentences = sentences(tokens, self.models.reference.as_ref());
        let proposals = {
            let mut cache = self.caches.get_or_default().borrow_mut();
            cache.next_document();
            self.sources()
                .proposals(text, tokens, &all_sentences, blocked, &mut cache)
        };
        let mut slots: Vec<Slots> = all_sentences.iter().map(Slots::new).collect();
        let scorer = self.scorer(memo);
        // Certain edits first: they are certain, and the context they restore helps the rest.
        let always: Vec<&Proposal> = proposals
            .iter()
            .filter(|p| p.kind == ProposalKind::Always)
            .collect();
        let written_judgements: Vec<Judgement> = always
            .iter()
            .map(|p| scorer.judge(p, &slots[p.sentence]))
            .collect();
        let edits = apply_always(&always, &written_judgements, &mut slots, &scorer);
        let open: Vec<usize> = (0..proposals.len())
            .filter(|&i| {
                let proposal = &proposals[i];
                proposal.kind != ProposalKind::Always && !overlaps_any(proposal, &edits)
            })
            .collect();
        let judgements = open
            .iter()
            .map(|&i| scorer.judge(&proposals[i], &slots[proposals[i].sentence]))
            .collect();
        Judged {
            sentences: all_sentences,
            proposals,
            slots,
            edits,
            open,
            judgements,
        }
    }

    /// The suspect model's features of every thesaurus suspect of a text, and each suspect's
    /// byte span (the input of the suspect model's training).
    pub fn suspect_table(
        &self,
        text: &str,
        tokens: &[Token],
    ) -> (Vec<[f64; FEATURES]>, Vec<(usize, usize)>) {
        let judged = self.judge(text, tokens, &[], self.memo());
        let open: Vec<&Proposal> = judged.open.iter().map(|&i| &judged.proposals[i]).collect();
        let suspects: Vec<usize> = (0..open.len())
            .filter(|&i| open[i].kind == ProposalKind::Thesaurus)
            .collect();
        let written = self.written_features(&open, &suspects, &judged.sentences);
        let rows = suspects
            .iter()
            .enumerate()
            .map(|(row, &i)| {
                let state = State::new(judged.judgements[i], Some(row));
                self.suspect_features(open[i], &state, &written)
            })
            .collect();
        let spans = suspects
            .iter()
            .map(|&i| {
                let proposal = open[i];
                let indices = &judged.sentences[proposal.sentence].token_indices;
                (
                    tokens[indices[proposal.first]].start,
                    tokens[indices[proposal.end - 1]].end,
                )
            })
            .collect();
        (rows, spans)
    }

    /// The thesaurus statistic of every suspect of a text (the input of the null model).
    pub fn statistics(&self, text: &str, tokens: &[Token]) -> Vec<f64> {
        let judged = self.judge(text, tokens, &[], self.memo());
        judged
            .open
            .iter()
            .zip(&judged.judgements)
            .filter(|(&i, _)| judged.proposals[i].kind == ProposalKind::Thesaurus)
            .map(|(_, judgement)| judgement.statistic)
            .collect()
    }

    /// Findings in `text` (tokenized as `tokens`) and the evidence behind them.
    pub fn examine(&self, text: &str, tokens: &[Token]) -> Result<Examined> {
        let words = tokens
            .iter()
            .filter(|token| token.kind == Kind::Word)
            .count();
        let spintax = spintax_outside_links(text, tokens);
        let spintax_findings: Vec<Finding> = spintax
            .iter()
            .map(|m| Finding {
                start: m.start,
                end: m.end,
                suggestion: m.choice.clone(),
                score: ALWAYS_SCORE,
                source: "spintax".to_owned(),
                reason: "spintax group left in the text by a spinner".to_owned(),
                alternatives: Vec::new(),
                restore: true,
            })
            .collect();
        let blocked: Vec<(usize, usize)> = spintax.iter().map(|m| (m.start, m.end)).collect();
        let memo = self.memo();
        let Judged {
            sentences: all_sentences,
            proposals,
            mut slots,
            mut edits,
            open,
            judgements,
        } = self.judge(text, tokens, &blocked, memo);
        let open: Vec<&Proposal> = open.iter().map(|&i| &proposals[i]).collect();

        // The suspect evidence of the document.
        let suspect_indices: Vec<usize> = (0..open.len())
            .filter(|&i| open[i].kind == ProposalKind::Thesaurus)
            .collect();
        let written = self.written_features(&open, &suspect_indices, &all_sentences);
        let mut states: Vec<State> = judgements
            .iter()
            .map(|&judgement| State::new(judgement, None))
            .collect();
        for (row, &index) in suspect_indices.iter().enumerate() {
            states[index].row = Some(row);
        }
        let features: Vec<f64> = suspect_indices
            .iter()
            .flat_map(|&i| self.suspect_features(open[i], &states[i], &written))
            .collect();
        let model = &self.models.suspects;
        let ratios = if features.is_empty() {
            Vec::new()
        } else {
            model.log_ratios(&features)?
        };
        let p_values: Vec<f64> = suspect_indices
            .iter()
            .map(|&i| states[i].judgement.p_value)
            .collect();
        let certain = edits
            .iter()
            .filter(|e| e.option.origin != Origin::Thesaurus)
            .count()
            + spintax.len();
        let control = FalseDiscoveryControl::new(&p_values, certain, self.config.min_suspects)?;
        let mut evidence = Evidence {
            suspects: suspect_indices.len(),
            p_below_001: p_values.iter().filter(|&&p| p <= 0.01).count(),
            p_below_005: p_values.iter().filter(|&&p| p <= 0.05).count(),
            artefacts: certain,
            neg_log_p: -p_values
                .iter()
                .fold(0.0, |sum, &p| sum + p.max(1e-300).ln()),
            suspect_log_ratio: model.evidence(&ratios, certain),
            followed: 0,
        };
        let mut share = 0.0;
        if !suspect_indices.is_empty() {
            share = SuspectModel::estimate_share(&ratios, self.config.share_prior_weight);
            for (&index, posterior) in suspect_indices
                .iter()
                .zip(SuspectModel::posteriors(&ratios, share))
            {
                states[index].posterior = posterior;
            }
        }
        for (state, proposal) in states.iter_mut().zip(&open) {
            state.score = self.score(proposal.kind, state, &control);
        }
        let mut greedy_state = GreedyState {
            detector: self,
            proposals: &open,
            states,
            written: &written,
            share,
            control: &control,
            memo,
        };
        let greedy_edits = greedy(&open, self.config.threshold, &mut slots, &mut greedy_state)?;
        edits.extend(greedy_edits);

        let to_findings =
            |edits: &[Edit]| -> Vec<Finding> {
                let mut all: Vec<Finding> = spintax_findings.clone();
                all.extend(edits.iter().map(|e| {
                    finding_of(text, tokens, &all_sentences, e, self.config.restore_margin)
                }));
                all.sort_by_key(|finding| finding.start);
                let with_articles = all
                    .into_iter()
                    .map(|f| with_article(text, tokens, f))
                    .collect();
                merge_adjacent(text, tokens, with_articles)
            };
        let mut findings = to_findings(&edits);
        if self.config.consistent_at <= 1.0
            && self.probability(findings.len(), &evidence, words) >= self.config.consistent_at
        {
            let suspects: Vec<&Proposal> = suspect_indices.iter().map(|&i| open[i]).collect();
            let consistent =
                self.consistent_edits(&edits, &suspects, tokens, &all_sentences, &slots, memo);
            if !consistent.is_empty() {
                let before = findings.len();
                edits.extend(consistent);
                findings = to_findings(&edits);
                evidence.followed = findings.len().saturating_sub(before);
            }
        }
        Ok(Examined {
            findings,
            evidence,
            words,
        })
    }
}
