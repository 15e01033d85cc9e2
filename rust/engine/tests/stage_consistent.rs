//! Following confirmed swaps (`consistent.rs`, through `Detector::examine`): which one-word swaps
//! the thesaurus edits confirm, the other places of a swap, and what following them does to the
//! spun seed page and to the clean ones.

mod stage_support;

use std::collections::HashSet;

use spindetect_engine::accept::Edit;
use spindetect_engine::candidates::{Candidate, Origin, Proposal, ProposalKind};
use spindetect_engine::config::Config;
use spindetect_engine::consistent::{confirmed_swaps, swap_places};
use spindetect_engine::findings::Finding;
use spindetect_engine::phrasebook::Mode;
use spindetect_engine::tokenize::{tokenize, Kind};
use stage_support::{clean_seeds, detector, detector_with, proposals, reference, spun_seed, Doc};

const FOLLOWED: &str = "this text swaps";

/// A thesaurus edit of the first place where the positions read `observed`, back to `original`.
fn edit(doc: &Doc, observed: &[&str], original: &[&str]) -> Edit {
    let (number, at) = doc.find(observed);
    Edit {
        sentence: number,
        first: at,
        end: at + observed.len(),
        option: Candidate {
            words: original.iter().map(|w| (*w).to_owned()).collect(),
            origin: Origin::Thesaurus,
            closeness: 1.0,
        },
        gain: 3.0,
        score: 0.99,
        consistent: false,
        alternatives: Vec::new(),
        held: false,
    }
}

fn swaps(doc: &Doc, edits: &[Edit]) -> Vec<(String, String)> {
    let lexicon = &detector().models().lexicon;
    confirmed_swaps(edits, &doc.tokens, &doc.sentences, lexicon)
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(w, o)| ((*w).to_owned(), (*o).to_owned()))
        .collect()
}

/// True when the thesaurus lists `original` for `word`.
fn listed(word: &str, original: &str) -> bool {
    detector().models().lexicon.lists(word, original)
}

#[test]
fn a_phrase_edit_confirms_its_words_only_where_the_thesaurus_lists_the_original() {
    let doc = Doc::new(&spun_seed());
    assert!(listed("mentioned", "said") && listed("final", "last"));
    assert!(listed("protection", "security") && !listed("minister", "come"));
    assert!(!listed("protection", "kingdom") && !listed("chief", "come"));
    let edits = [
        edit(&doc, &["mentioned", "final"], &["said", "last"]),
        edit(&doc, &["protection", "chief"], &["kingdom", "come"]),
        edit(&doc, &["protection", "minister"], &["security", "come"]),
    ];
    assert_eq!(
        swaps(&doc, &edits),
        pairs(&[
            ("mentioned", "said"),
            ("final", "last"),
            ("protection", "security")
        ])
    );
    // A one-word edit is a swap as it stands (the thesaurus proposed it).
    assert!(!listed("alignment", "kingdom"));
    let single = [edit(&doc, &["alignment"], &["kingdom"])];
    assert_eq!(swaps(&doc, &single), pairs(&[("alignment", "kingdom")]));
}

#[test]
fn edits_that_are_not_word_for_word_or_not_from_the_thesaurus_confirm_nothing() {
    let doc = Doc::new(&spun_seed());
    let mut phrasebook = edit(&doc, &["chinese", "language"], &["chinese", "tongue"]);
    let entry = detector()
        .models()
        .phrasebook
        .entries()
        .iter()
        .find(|e| e.mode == Mode::Context)
        .expect("an entry")
        .clone();
    phrasebook.option.origin = Origin::Entry(entry.into());
    let mut followed = edit(&doc, &["mentioned"], &["said"]);
    followed.consistent = true;
    let edits = [
        edit(&doc, &["international", "locations"], &["countries"]),
        phrasebook,
        followed,
        // "the" restored as "the" is no swap.
        edit(&doc, &["the", "topic"], &["the", "subject"]),
    ];
    let found = swaps(&doc, &edits);
    assert!(listed("topic", "subject"));
    assert_eq!(found, pairs(&[("topic", "subject")]));
}

#[test]
fn a_word_restored_two_ways_keeps_the_more_frequent_and_neither_on_a_tie() {
    let doc = Doc::new(&spun_seed());
    let marine = edit(&doc, &["navy", "ties"], &["marine", "ties"]);
    let fleet = edit(&doc, &["navy", "ties"], &["fleet", "ties"]);
    assert!(listed("navy", "marine") && listed("navy", "fleet"));
    assert_eq!(swaps(&doc, &[marine.clone(), fleet.clone()]), vec![]);
    assert_eq!(
        swaps(&doc, &[marine.clone(), fleet.clone(), marine.clone()]),
        pairs(&[("navy", "marine")])
    );
    assert_eq!(
        swaps(&doc, &[fleet.clone(), marine, fleet]),
        pairs(&[("navy", "fleet")])
    );
}

fn suspects(doc: &Doc) -> Vec<Proposal> {
    proposals(doc)
        .into_iter()
        .filter(|p| p.kind == ProposalKind::Thesaurus)
        .collect()
}

#[test]
fn a_swap_is_proposed_at_the_other_unedited_places_of_its_word() {
    let doc = Doc::new(&spun_seed());
    let owned = suspects(&doc);
    let open: Vec<&Proposal> = owned.iter().collect();
    let key = |p: &Proposal| doc.sentences[p.sentence].key(&doc.tokens, p.first);
    let mentioned: Vec<&Proposal> = open
        .iter()
        .copied()
        .filter(|p| p.end == p.first + 1 && key(p) == Some("mentioned"))
        .collect();
    assert!(mentioned.len() >= 5, "{} places", mentioned.len());
    assert!(open
        .iter()
        .any(|p| p.end > p.first + 1 && key(p) == Some("mentioned")));
    let done = edit(&doc, &["mentioned", "final"], &["said", "last"]);
    let places = swap_places(
        pairs(&[("mentioned", "said")]),
        std::slice::from_ref(&done),
        &open,
        &doc.tokens,
        &doc.sentences,
        reference(),
    );
    let expected: Vec<(usize, usize)> = mentioned
        .iter()
        .filter(|p| !done.overlaps(p.sentence, p.first, p.end))
        .map(|p| (p.sentence, p.first))
        .collect();
    assert_eq!(expected.len(), mentioned.len() - 1);
    let got: Vec<(usize, usize)> = places.iter().map(|p| (p.sentence, p.first)).collect();
    assert_eq!(got, expected);
    for place in &places {
        assert_eq!(place.kind, ProposalKind::Swap);
        assert_eq!(place.end, place.first + 1);
        assert_eq!(place.candidates.options.len(), 1);
        assert_eq!(place.candidates.options[0].words, vec!["said"]);
        assert_eq!(place.candidates.scorable.len(), 1);
    }
    // Where the original stands in the text, the swap is not the spinner's habit.
    let honest = Doc::new(&(spun_seed() + "\n\nA spokesman said nothing more about the talks.\n"));
    let owned = suspects(&honest);
    let open: Vec<&Proposal> = owned.iter().collect();
    let places = swap_places(
        pairs(&[("mentioned", "said")]),
        &[],
        &open,
        &honest.tokens,
        &honest.sentences,
        reference(),
    );
    assert!(places.is_empty());
}

#[test]
fn examine_follows_the_spun_pages_confirmed_swaps_to_their_other_places() {
    let text = spun_seed();
    let tokens = tokenize(&text);
    let examined = detector().examine(&text, &tokens).expect("examine");
    assert!(examined.evidence.followed > 0);
    let standing: HashSet<&str> = tokens
        .iter()
        .filter(|t| t.kind == Kind::Word)
        .map(|t| t.lower.as_str())
        .collect();
    let followed: Vec<_> = examined
        .findings
        .iter()
        .filter(|f| f.reason.starts_with(FOLLOWED))
        .collect();
    assert!(!followed.is_empty());
    let said = followed
        .iter()
        .filter(|f| &text[f.start..f.end] == "mentioned" && f.suggestion == "said")
        .count();
    assert!(said >= 3, "{said} followed 'mentioned' -> 'said'");
    for finding in &followed {
        assert!(finding.score >= detector().config().threshold);
        assert!(!standing.contains(finding.suggestion.to_lowercase().as_str()));
        assert_eq!(finding.source, "thesaurus");
    }
    // Off, the same page has exactly `followed` findings fewer and none followed.
    let off = detector_with(Config {
        consistent_at: 2.0,
        ..Config::default()
    });
    let without = off.examine(&text, &tokens).expect("examine");
    assert_eq!(without.evidence.followed, 0);
    assert_eq!(
        without.findings.len() + examined.evidence.followed,
        examined.findings.len()
    );
    assert!(!without
        .findings
        .iter()
        .any(|f| f.reason.starts_with(FOLLOWED)));
}

#[test]
fn examine_finds_nothing_from_the_thesaurus_in_the_clean_seeds() {
    for (name, text) in clean_seeds() {
        let examined = detector()
            .examine(&text, &tokenize(&text))
            .expect("examine");
        assert_eq!(examined.evidence.followed, 0, "{name}");
        let thesaurus: Vec<&str> = examined
            .findings
            .iter()
            .filter(|f| f.source.split('+').any(|s| s == "thesaurus"))
            .map(|f| &text[f.start..f.end])
            .collect();
        assert!(thesaurus.is_empty(), "{name}: {thesaurus:?}");
        assert!(
            examined.evidence.suspects > 50,
            "{name}: too few suspects to mean much"
        );
    }
}

#[test]
fn a_followed_swap_is_held_back_where_the_edit_that_confirmed_it_is() {
    let text = spun_seed();
    let tokens = tokenize(&text);
    // With a margin no runner-up can clear, every swap with a rival is held back, and so is
    // each of its other places.
    let strict = detector_with(Config {
        restore_margin: 100.0,
        ..Config::default()
    });
    let examined = strict.examine(&text, &tokens).expect("examine");
    let lower = |finding: &Finding| {
        (
            text[finding.start..finding.end].to_lowercase(),
            finding.suggestion.to_lowercase(),
        )
    };
    let followed: Vec<&Finding> = examined
        .findings
        .iter()
        .filter(|f| f.reason.starts_with(FOLLOWED))
        .collect();
    assert!(!followed.is_empty());
    let alternatives =
        |f: &Finding| -> Vec<String> { f.alternatives.iter().map(|a| a.to_lowercase()).collect() };
    let mut held = 0;
    for finding in followed {
        assert!(!finding.restore || finding.alternatives.is_empty());
        held += usize::from(!finding.restore);
        // The edit that confirmed the swap, where it stands as a finding of its own (it may
        // also be part of a phrase or joined with a neighbour).
        let Some(confirming) = examined
            .findings
            .iter()
            .find(|f| !f.reason.starts_with(FOLLOWED) && lower(f) == lower(finding))
        else {
            continue;
        };
        assert_eq!(finding.restore, confirming.restore);
        assert_eq!(alternatives(finding), alternatives(confirming));
    }
    // On this page the swaps are confirmed by phrase edits ("mentioned final" -> "said last")
    // whose runners-up ("reported last") are close: their other places are held back too.
    assert!(held > 0);
}
