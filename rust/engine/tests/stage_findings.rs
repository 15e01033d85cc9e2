//! The findings stage (`findings.rs`): an accepted edit as a span of the text with its
//! suggestion, source and reason; ratios as the reasons write them; adjacent findings joined, a
//! lone digit before one spelled out, an article the suggestion makes wrong taken in; on the
//! spun seed page.

mod stage_support;

use std::sync::Arc;

use spindetect_engine::accept::Edit;
use spindetect_engine::candidates::{Candidate, Origin};
use spindetect_engine::findings::{finding_of, merge_adjacent, times, with_article, Finding};
use spindetect_engine::phrasebook::{Entry, Mode};
use stage_support::{detector, spun_seed, Doc};

/// An edit of positions `first..end` of sentence `number` back to `words`.
fn edit(number: usize, first: usize, end: usize, words: &[&str], origin: Origin) -> Edit {
    Edit {
        sentence: number,
        first,
        end,
        option: Candidate {
            words: words.iter().map(|w| (*w).to_owned()).collect(),
            origin,
            closeness: 1.0,
        },
        gain: 3.0,
        score: 0.97,
        consistent: false,
        alternatives: Vec::new(),
        held: false,
    }
}

/// A finding of the first place where the positions read `words`, suggesting `suggestion`.
fn finding(doc: &Doc, words: &[&str], suggestion: &str, source: &str) -> Finding {
    finding_in(doc, words, (0, words.len()), suggestion, source)
}

/// A finding of positions `within` (relative) of the first place where the positions read
/// `context`.
fn finding_in(
    doc: &Doc,
    context: &[&str],
    within: (usize, usize),
    suggestion: &str,
    source: &str,
) -> Finding {
    let (number, at) = doc.find(context);
    let (start, end) = doc.span(number, at + within.0, at + within.1);
    Finding {
        start,
        end,
        suggestion: suggestion.to_owned(),
        score: 0.96,
        source: source.to_owned(),
        reason: format!("{source} says so"),
        alternatives: Vec::new(),
        restore: true,
    }
}

/// The first phrasebook entry in this mode.
fn entry(mode: Mode) -> Entry {
    detector()
        .models()
        .phrasebook
        .entries()
        .iter()
        .find(|entry| entry.mode == mode && !entry.note.is_empty())
        .expect("a phrasebook entry")
        .clone()
}

#[test]
fn a_thesaurus_edit_becomes_a_finding_of_its_words_in_the_case_of_the_text() {
    let doc = Doc::new(&spun_seed());
    let (number, at) = doc.find(&["chilly", "warfare"]);
    let (start, end) = doc.span(number, at, at + 2);
    assert_eq!(&doc.text[start..end], "Chilly Warfare");
    let mut made = edit(number, at, at + 2, &["cold", "war"], Origin::Thesaurus);
    let found = finding_of(&doc.text, &doc.tokens, &doc.sentences, &made, 0.0);
    assert_eq!((found.start, found.end), (start, end));
    assert_eq!(found.suggestion, "Cold War");
    assert_eq!(found.score, 0.97);
    assert_eq!(found.source, "thesaurus");
    assert!(
        found
            .reason
            .starts_with("'cold war' is 1,000x more likely here than 'chilly warfare'"),
        "{}",
        found.reason
    );
    made.consistent = true;
    let followed = finding_of(&doc.text, &doc.tokens, &doc.sentences, &made, 0.0);
    assert!(followed
        .reason
        .starts_with("this text swaps 'cold war' for 'chilly warfare' elsewhere"));
}

#[test]
fn a_finding_is_restored_only_when_its_runner_up_is_far_enough_behind() {
    let doc = Doc::new(&spun_seed());
    let (number, at) = doc.find(&["chilly", "warfare"]);
    let mut made = edit(number, at, at + 2, &["cold", "war"], Origin::Thesaurus);
    let alone = finding_of(&doc.text, &doc.tokens, &doc.sentences, &made, 0.5);
    assert!(alone.restore && alone.alternatives.is_empty());
    made.alternatives = vec![
        (vec!["hot".to_owned(), "war".to_owned()], 0.3),
        (vec!["cold".to_owned(), "battle".to_owned()], 0.9),
    ];
    let close = finding_of(&doc.text, &doc.tokens, &doc.sentences, &made, 0.5);
    assert!(!close.restore);
    assert_eq!(close.suggestion, "Cold War");
    assert_eq!(close.alternatives, ["Hot War", "Cold Battle"]);
    let clear = finding_of(&doc.text, &doc.tokens, &doc.sentences, &made, 0.25);
    assert!(clear.restore);
}

#[test]
fn only_findings_restored_alike_are_joined_and_their_alternatives_interleave() {
    let doc = Doc::new(&spun_seed());
    let held = |within, suggestion: &str, alternatives: &[&str]| Finding {
        alternatives: alternatives.iter().map(|a| (*a).to_owned()).collect(),
        restore: false,
        ..finding_in(
            &doc,
            &["chilly", "warfare"],
            within,
            suggestion,
            "thesaurus",
        )
    };
    let left = held((0, 1), "Cold", &["Warm", "Cool"]);
    let right = held((1, 2), "War", &["Battle"]);
    let merged = merge_adjacent(&doc.text, &doc.tokens, vec![left.clone(), right.clone()]);
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].suggestion, "Cold War");
    assert_eq!(
        merged[0].alternatives,
        ["Warm War", "Cold Battle", "Cool War"]
    );
    assert!(!merged[0].restore);
    // A finding to restore is never held back by a neighbour that is not.
    let restored = Finding {
        restore: true,
        ..right
    };
    let apart = merge_adjacent(&doc.text, &doc.tokens, vec![left.clone(), restored.clone()]);
    assert_eq!(apart, vec![left, restored]);
}

#[test]
fn a_phrasebook_edit_names_its_source_and_note() {
    let doc = Doc::new(&spun_seed());
    let (number, at) = doc.find(&["international", "locations"]);
    let certain = entry(Mode::Always);
    let made = edit(
        number,
        at,
        at + 2,
        &["countries"],
        Origin::Entry(Arc::new(certain.clone())),
    );
    let found = finding_of(&doc.text, &doc.tokens, &doc.sentences, &made, 0.0);
    assert_eq!(found.source, certain.source);
    assert_eq!(found.suggestion, certain.original);
    assert_eq!(
        found.reason,
        format!("known spinner artefact ({})", certain.note)
    );
    let judged = entry(Mode::Context);
    let made = edit(
        number,
        at,
        at + 2,
        &["countries"],
        Origin::Entry(Arc::new(judged.clone())),
    );
    let found = finding_of(&doc.text, &doc.tokens, &doc.sentences, &made, 0.0);
    assert_eq!(
        found.reason,
        format!(
            "phrasebook pair, '{}' is 1,000x more likely here ({})",
            judged.original, judged.note
        )
    );
}

#[test]
fn times_writes_ten_to_the_gain() {
    let mut gain = -3.0;
    while gain < 14.0 {
        let written = times(gain);
        let number: f64 = written
            .strip_suffix('x')
            .expect("ends in x")
            .replace(',', "")
            .parse()
            .expect("a number");
        let ratio = 10f64.powf(gain.clamp(-12.0, 12.0));
        if ratio >= 10.0 {
            assert!((number - ratio).abs() <= 0.5, "{gain}: {written}");
            let whole = written.trim_end_matches('x');
            for group in whole.split(',').skip(1) {
                assert_eq!(group.len(), 3, "{written}");
            }
            assert!(whole.split(',').next().unwrap().len() <= 3, "{written}");
        } else {
            assert!((number - ratio).abs() <= 0.05, "{gain}: {written}");
            assert!(written.contains('.'), "{written}");
        }
        gain += 0.37;
    }
}

#[test]
fn findings_one_space_apart_are_joined_and_others_are_not() {
    let doc = Doc::new(&spun_seed());
    // "... turned to the Chinese language financial system to backstop ...".
    let context = ["chinese", "language", "financial", "system"];
    let chinese = finding_in(&doc, &context, (0, 2), "Chinese", "phrasebook");
    let economy = Finding {
        score: 0.99,
        source: "thesaurus+phrasebook".to_owned(),
        ..finding_in(&doc, &context, (2, 4), "economy", "thesaurus")
    };
    let merged = merge_adjacent(
        &doc.text,
        &doc.tokens,
        vec![chinese.clone(), economy.clone()],
    );
    assert_eq!(merged.len(), 1);
    let joined = &merged[0];
    assert_eq!((joined.start, joined.end), (chinese.start, economy.end));
    assert_eq!(
        &doc.text[joined.start..joined.end],
        "Chinese language financial system"
    );
    assert_eq!(joined.suggestion, "Chinese economy");
    assert_eq!(joined.score, 0.96);
    assert_eq!(joined.source, "phrasebook+thesaurus");
    assert_eq!(joined.reason, "phrasebook says so; thesaurus says so");

    // "... in Moscow, in an additional signal ...": a comma between, not joined.
    let context = ["moscow", "in", "an", "additional"];
    let moscow = finding_in(&doc, &context, (0, 1), "Moscow", "thesaurus");
    let within = finding_in(&doc, &context, (1, 2), "within", "thesaurus");
    assert_eq!(&doc.text[moscow.end..within.start], ", ");
    let apart = merge_adjacent(&doc.text, &doc.tokens, vec![moscow.clone(), within.clone()]);
    assert_eq!(apart, vec![moscow, within]);
}

#[test]
fn a_lone_digit_before_a_finding_is_spelled_out() {
    let doc = Doc::new(&spun_seed());
    // "... navy ties between the 2 international locations.".
    let countries = finding(
        &doc,
        &["international", "locations"],
        "countries",
        "phrasebook",
    );
    let merged = merge_adjacent(&doc.text, &doc.tokens, vec![countries.clone()]);
    assert_eq!(merged.len(), 1);
    let spelled = &merged[0];
    assert_eq!(
        &doc.text[spelled.start..spelled.end],
        "2 international locations"
    );
    assert_eq!(spelled.suggestion, "two countries");
    assert_eq!(spelled.end, countries.end);
    assert_eq!(
        spelled.reason,
        "digit written for a number word; phrasebook says so"
    );
    // "almost 14 months in the past": 14 is no single digit, the finding stays as it is.
    let ago = finding(&doc, &["in", "the", "past"], "ago", "phrasebook");
    let (number, at) = doc.find(&["in", "the", "past"]);
    assert_eq!(
        doc.keys(number)[at - 2],
        "14",
        "{:?}",
        &doc.keys(number)[at - 4..at + 3]
    );
    assert_eq!(
        merge_adjacent(&doc.text, &doc.tokens, vec![ago.clone()]),
        vec![ago]
    );
}

#[test]
fn an_article_the_suggestion_makes_wrong_is_taken_in() {
    let doc = Doc::new(&spun_seed());
    // "in an additional signal": "an further" would be wrong, "an extra" is right.
    let further = Finding {
        alternatives: vec!["extra".to_owned(), "another".to_owned()],
        ..finding_in(&doc, &["an", "additional"], (1, 2), "further", "thesaurus")
    };
    let fixed = with_article(&doc.text, &doc.tokens, further.clone());
    assert_eq!(&doc.text[fixed.start..fixed.end], "an additional");
    assert_eq!(fixed.suggestion, "a further");
    assert_eq!(fixed.end, further.end);
    // The alternatives now replace the article too, each with the article it needs.
    assert_eq!(fixed.alternatives, ["an extra", "another"]);
    // A suggestion that fits the article is widened all the same when an alternative needs
    // another one, so every alternative replaces exactly the finding's span.
    let extra_first = Finding {
        alternatives: vec!["further".to_owned()],
        ..finding_in(&doc, &["an", "additional"], (1, 2), "extra", "thesaurus")
    };
    let widened = with_article(&doc.text, &doc.tokens, extra_first);
    assert_eq!(&doc.text[widened.start..widened.end], "an additional");
    assert_eq!(widened.suggestion, "an extra");
    assert_eq!(widened.alternatives, ["a further"]);
    let extra = finding_in(&doc, &["an", "additional"], (1, 2), "extra", "thesaurus");
    assert_eq!(with_article(&doc.text, &doc.tokens, extra.clone()), extra);
    // A determiner takes the article's place: "an additional" -> "another".
    let another = finding_in(&doc, &["an", "additional"], (1, 2), "another", "thesaurus");
    let fixed = with_article(&doc.text, &doc.tokens, another);
    assert_eq!(&doc.text[fixed.start..fixed.end], "an additional");
    assert_eq!(fixed.suggestion, "another");
    // "A month earlier": the article keeps its capital.
    let hour = finding_in(
        &doc,
        &["a", "month", "earlier"],
        (1, 2),
        "hour",
        "thesaurus",
    );
    let fixed = with_article(&doc.text, &doc.tokens, hour);
    assert_eq!(&doc.text[fixed.start..fixed.end], "A month");
    assert_eq!(fixed.suggestion, "An hour");
    // A word with no article before it is left alone.
    let chilly = finding(&doc, &["chilly"], "cold", "thesaurus");
    assert_eq!(with_article(&doc.text, &doc.tokens, chilly.clone()), chilly);
}
