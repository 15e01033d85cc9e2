//! The scoring stage (`score.rs`): window log-probabilities by the chain rule, the memo that
//! only remembers, the statistic and best candidate of `Scorer::judge_window`, and
//! `context_gain`; on the seed pages and eval texts of the repository.

mod stage_support;

use spindetect_engine::candidates::{Candidate, Candidates, Origin, Proposal, ProposalKind};
use spindetect_engine::config::Config;
use spindetect_engine::reference::WordId;
use spindetect_engine::score::{context_gain, window_logprob, Memo, Scorer, OTHERS};
use spindetect_engine::sentences::{Slots, Window};
use stage_support::{
    chain_logprob, clean_seeds, detector, end_id, ids, proposals, reference, repo_root, spun_seed,
    start_id, Doc,
};

fn scorer<'m>(memo: &'m Memo, config: &'m Config) -> Scorer<'m> {
    Scorer {
        reference: reference(),
        memo,
        start_id: start_id(),
        end_id: end_id(),
        config,
        null: &detector().models().null,
    }
}

/// The words now in a window followed by its following words.
fn joined(words: &[WordId], following: &[WordId]) -> Vec<WordId> {
    words.iter().chain(following).copied().collect()
}

/// The windows of every proposal of the spun seed and of a clean seed, as written.
fn windows() -> Vec<(Window, Proposal)> {
    let mut texts = vec![spun_seed()];
    texts.push(clean_seeds().remove(0).1);
    let mut found = Vec::new();
    for text in texts {
        let doc = Doc::new(&text);
        let slots: Vec<Slots> = doc.sentences.iter().map(Slots::new).collect();
        for proposal in proposals(&doc) {
            let window =
                slots[proposal.sentence].window(proposal.first, proposal.end, start_id(), end_id());
            found.push((window, proposal));
        }
    }
    assert!(found.len() > 500, "only {} windows", found.len());
    found
}

#[test]
fn window_logprob_is_the_chain_rule_over_the_span_and_its_following_words() {
    let memo = Memo::default();
    let mut compared = 0;
    for (window, proposal) in windows() {
        let written = window_logprob(
            reference(),
            &memo,
            &window.history,
            &window.words,
            &window.following,
        );
        let expected = chain_logprob(&window.history, &joined(&window.words, &window.following));
        assert_eq!(written, expected, "{window:?}");
        for candidate in &proposal.candidates.scorable {
            let replaced = window_logprob(
                reference(),
                &memo,
                &window.history,
                &candidate.ids,
                &window.following,
            );
            let expected =
                chain_logprob(&window.history, &joined(&candidate.ids, &window.following));
            assert_eq!(replaced, expected, "{:?} in {window:?}", candidate.ids);
            compared += 1;
        }
    }
    assert!(compared > 5_000, "only {compared} candidates");
}

#[test]
fn the_memo_never_changes_a_value() {
    let reference = reference();
    let memo = Memo::default();
    let mut questions: Vec<(WordId, Option<WordId>, Option<WordId>)> = Vec::new();
    for (window, _) in windows().into_iter().take(400) {
        let mut context: Vec<Option<WordId>> = window.history.iter().map(|&w| Some(w)).collect();
        for word in joined(&window.words, &window.following) {
            let h1 = context.last().copied().flatten();
            let h2 = if context.len() >= 2 && h1.is_some() {
                context[context.len() - 2]
            } else {
                None
            };
            questions.push((word, h1, h2));
            questions.push((word, None, None));
            // Id 0 as history must not be taken for "no history" (nor the other way round).
            questions.push((word, Some(0), None));
            questions.push((word, h1, Some(0)));
            context.push(Some(word));
        }
    }
    let distinct = questions
        .iter()
        .filter(|&&(w, h1, _)| {
            h1.is_some() && reference.logprob(w, h1, None) != reference.logprob(w, None, None)
        })
        .count();
    assert!(distinct > 100, "the questions must tell histories apart");
    for round in 0..2 {
        for &(w, h1, h2) in &questions {
            let expected = reference.logprob(w, h1, h2);
            assert_eq!(
                memo.logprob(reference, w, h1, h2),
                expected,
                "round {round}: ({w}, {h1:?}, {h2:?})"
            );
        }
        memo.bound();
    }
}

#[test]
fn judge_window_picks_the_first_highest_statistic_and_its_p_value() {
    let config = Config::default();
    let memo = Memo::default();
    let scorer = scorer(&memo, &config);
    let null = &detector().models().null;
    let mut judged = 0;
    for (window, proposal) in windows() {
        let candidates = &proposal.candidates;
        let judgement = scorer.judge_window(candidates, &window);
        let tail = window.following.clone();
        let written = chain_logprob(&window.history, &joined(&window.words, &tail));
        let written_unigram: f64 = window.words.iter().map(|&w| reference().unigram(w)).sum();
        let statistics: Vec<(f64, f64)> = candidates
            .scorable
            .iter()
            .map(|candidate| {
                let gain = chain_logprob(&window.history, &joined(&candidate.ids, &tail)) - written;
                let unigram: f64 = candidate.ids.iter().map(|&w| reference().unigram(w)).sum();
                let closeness = candidates.options[candidate.option]
                    .closeness
                    .max(0.001)
                    .log10();
                let statistic = gain - config.frequency_discount * (unigram - written_unigram)
                    + config.closeness_weight * closeness;
                (statistic, gain)
            })
            .collect();
        let Some(top) = statistics
            .iter()
            .map(|&(statistic, _)| statistic)
            .reduce(f64::max)
        else {
            assert_eq!(judgement.best, None);
            continue;
        };
        let best = judgement.best.expect("a scorable candidate");
        let (statistic, gain) = statistics[best];
        assert!((judgement.statistic - statistic).abs() < 1e-9);
        assert!((judgement.gain - gain).abs() < 1e-9);
        assert!((statistic - top).abs() < 1e-9, "not the highest statistic");
        let first = statistics
            .iter()
            .position(|&(s, _)| (s - top).abs() < 1e-9)
            .unwrap();
        assert_eq!(best, first, "not the first of the highest");
        assert_eq!(judgement.p_value, null.p_value(judgement.statistic));
        // The runners-up: the next best statistics, best first, never the best itself.
        let mut ranked: Vec<f64> = statistics.iter().map(|&(s, _)| s).collect();
        ranked.sort_by(|a, b| b.total_cmp(a));
        let others: Vec<(usize, f64)> = judgement.others.iter().flatten().copied().collect();
        assert_eq!(others.len(), (statistics.len() - 1).min(OTHERS));
        for (rank, &(index, statistic)) in others.iter().enumerate() {
            assert_ne!(index, best);
            assert!((statistic - statistics[index].0).abs() < 1e-9);
            assert!(
                (statistic - ranked[rank + 1]).abs() < 1e-9,
                "not the next best"
            );
        }
        assert!(others
            .iter()
            .all(|&(_, statistic)| statistic <= judgement.statistic));
        judged += 1;
    }
    assert!(judged > 500);
}

#[test]
fn without_a_scorable_candidate_there_is_no_best_and_the_statistic_is_minus_infinity() {
    let config = Config::default();
    let memo = Memo::default();
    let scorer = scorer(&memo, &config);
    let doc = Doc::new(&spun_seed());
    let (number, at) = doc.find(&["protection", "chief"]);
    let slots = Slots::new(&doc.sentences[number]);
    let window = slots.window(at, at + 1, start_id(), end_id());
    // "shangfu" (a name in the page) is not in the reference: the option is not scorable.
    let options = vec![Candidate {
        words: vec!["shangfu".to_owned()],
        origin: Origin::Thesaurus,
        closeness: 1.0,
    }];
    let candidates = Candidates::new(options, reference());
    assert!(candidates.scorable.is_empty());
    let judgement = scorer.judge_window(&candidates, &window);
    assert_eq!(judgement.best, None);
    assert_eq!(judgement.statistic, f64::NEG_INFINITY);
    assert_eq!(judgement.gain, f64::NEG_INFINITY);
    let null = &detector().models().null;
    assert_eq!(judgement.p_value, null.p_value(f64::NEG_INFINITY));
}

/// The gain of `replacement` over the written word at `words[0]` of the first place where the
/// positions read `words`.
fn gain_at(text: &str, words: &[&str], replacement: &[&str]) -> f64 {
    let config = Config::default();
    let memo = Memo::default();
    let scorer = scorer(&memo, &config);
    let doc = Doc::new(text);
    let (number, at) = doc.find(words);
    let slots = Slots::new(&doc.sentences[number]);
    let options = vec![Candidate {
        words: replacement.iter().map(|w| (*w).to_owned()).collect(),
        origin: Origin::Thesaurus,
        closeness: 1.0,
    }];
    let candidates = Candidates::new(options, reference());
    let proposal = Proposal {
        sentence: number,
        first: at,
        end: at + 1,
        candidates: candidates.into(),
        kind: ProposalKind::Thesaurus,
    };
    scorer.judge(&proposal, &slots).gain
}

#[test]
fn the_gain_prefers_the_original_in_the_spun_context_and_not_in_a_clean_one() {
    // The spun page's "Chilly Warfare" stood for "Cold War", its "mentioned final week" for
    // "said last week".
    let spun = spun_seed();
    assert!(gain_at(&spun, &["chilly", "warfare"], &["cold"]) > 1.0);
    assert!(gain_at(&spun, &["mentioned", "final"], &["said"]) > 1.0);
    // "It takes about two weeks for the vaccine to give full protection": written right.
    let flu = std::fs::read_to_string(repo_root().join("corpus/news/14-health-flu.txt"))
        .expect("news text");
    assert!(gain_at(&flu, &["full", "protection"], &["final"]) < 0.0);
    assert!(gain_at(&flu, &["protection"], &["security"]) < 0.5);
}

#[test]
fn the_statistic_discounts_frequency_and_adds_closeness_as_configured() {
    let memo = Memo::default();
    let plain = Config {
        frequency_discount: 0.0,
        closeness_weight: 0.0,
        ..Config::default()
    };
    let scorer = scorer(&memo, &plain);
    for (window, proposal) in windows().into_iter().take(300) {
        let judgement = scorer.judge_window(&proposal.candidates, &window);
        if judgement.best.is_some() {
            assert_eq!(judgement.statistic, judgement.gain);
        }
    }
}

#[test]
fn context_gain_is_how_much_the_history_predicts_a_word_as_written() {
    let reference = reference();
    let mut positive = 0;
    for text in [spun_seed(), clean_seeds().remove(1).1] {
        let doc = Doc::new(&text);
        for sentence in &doc.sentences {
            let written = &sentence.written;
            for position in 0..=written.len() {
                let got = context_gain(reference, written, position, start_id(), end_id());
                let word = if position == written.len() {
                    Some(end_id())
                } else {
                    written[position]
                };
                let Some(word) = word else {
                    assert_eq!(got, 0.0);
                    continue;
                };
                let (h1, h2) = match position {
                    0 => (Some(start_id()), None),
                    1 => (written[0], written[0].map(|_| start_id())),
                    _ => (
                        written[position - 1],
                        written[position - 1].and(written[position - 2]),
                    ),
                };
                let expected = reference.logprob(word, h1, h2) - reference.unigram(word);
                assert_eq!(
                    got, expected,
                    "position {position} of {:?}",
                    sentence.token_indices
                );
                positive += usize::from(got > 0.0);
            }
        }
    }
    assert!(positive > 100);
    // The first word of a sentence is predicted by `<s>`: "china" opens the spun page's title.
    let doc = Doc::new(&spun_seed());
    let china = ids(&["china"])[0];
    let at_start = context_gain(
        reference,
        &doc.sentences[0].written,
        0,
        start_id(),
        end_id(),
    );
    let expected = reference.logprob(china, Some(start_id()), None) - reference.unigram(china);
    assert_eq!(at_start, expected);
    assert_ne!(at_start, 0.0);
}
