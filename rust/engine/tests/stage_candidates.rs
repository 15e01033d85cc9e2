//! The candidate stage (`candidates.rs`): phrasebook proposals first, thesaurus suspects with
//! the thesaurus's candidates in its order, pairs of adjacent suspects tried together, blocked
//! spans left out, and a cache that never changes a proposal; on the seed pages and eval texts.

mod stage_support;

use spindetect_engine::candidates::{
    inside, CandidateCache, Origin, Proposal, ProposalKind, Sources,
};
use spindetect_engine::config::Config;
use stage_support::{detector, reference, spun_seed, texts, Doc};

fn sources(config: &Config) -> Sources<'_> {
    let models = detector().models();
    Sources {
        reference: reference(),
        lexicon: &models.lexicon,
        phrasebook: &models.phrasebook,
        config,
    }
}

fn proposals_with(doc: &Doc, config: &Config, blocked: &[(usize, usize)]) -> Vec<Proposal> {
    let mut cache = CandidateCache::default();
    sources(config).proposals(&doc.text, &doc.tokens, &doc.sentences, blocked, &mut cache)
}

/// What a proposal is, to compare two runs: place, kind, candidate words and closeness.
type Shape = (usize, usize, usize, ProposalKind, Vec<(Vec<String>, f64)>);

fn shape(proposals: &[Proposal]) -> Vec<Shape> {
    proposals
        .iter()
        .map(|p| {
            let options = p
                .candidates
                .options
                .iter()
                .map(|o| (o.words.clone(), o.closeness))
                .collect();
            (p.sentence, p.first, p.end, p.kind, options)
        })
        .collect()
}

fn observed(doc: &Doc, p: &Proposal) -> String {
    doc.keys(p.sentence)[p.first..p.end].join(" ")
}

fn frequent(word: &str, config: &Config) -> bool {
    reference()
        .id(word)
        .is_some_and(|id| reference().unigram(id) > config.frequent_logprob)
}

/// The thesaurus's candidates for `phrase` that a suspect offers: the first `max_candidates`,
/// known to the reference, no frequent single word.
fn usable(phrase: &str, config: &Config) -> Vec<(Vec<String>, f64)> {
    detector()
        .models()
        .lexicon
        .candidates(phrase, config.max_candidates)
        .into_iter()
        .map(|c| {
            (
                c.phrase.split(' ').map(str::to_owned).collect::<Vec<_>>(),
                c.closeness,
            )
        })
        .filter(|(words, _)| {
            words.iter().all(|w| reference().knows(w))
                && !(words.len() == 1 && frequent(&words[0], config))
        })
        .collect()
}

#[test]
fn suspects_offer_the_thesaurus_candidates_in_order_and_adjacent_pairs_their_products() {
    let config = Config::default();
    let (mut phrases, mut pairs) = (0, 0);
    for text in texts() {
        let doc = Doc::new(&text);
        let proposals = proposals_with(&doc, &config, &[]);
        let suspects: Vec<&Proposal> = proposals
            .iter()
            .filter(|p| p.kind == ProposalKind::Thesaurus)
            .collect();
        let single = |sentence: usize, first: usize| {
            suspects
                .iter()
                .find(|p| p.sentence == sentence && p.first == first && p.end == first + 1)
        };
        for p in &suspects {
            let options = shape(std::slice::from_ref(*p)).remove(0).4;
            assert_eq!(p.candidates.scorable.len(), options.len());
            assert!(p
                .candidates
                .options
                .iter()
                .all(|o| o.origin == Origin::Thesaurus));
            let phrase = observed(&doc, p);
            if options == usable(&phrase, &config) {
                assert!(!options.is_empty());
                assert!(
                    p.end > p.first + 1 || !frequent(&phrase, &config),
                    "{phrase}"
                );
                phrases += 1;
                continue;
            }
            // Otherwise a pair of adjacent one-word suspects, tried together.
            let (Some(left), Some(right)) =
                (single(p.sentence, p.first), single(p.sentence, p.first + 1))
            else {
                panic!("{phrase:?}: neither the thesaurus's candidates nor a pair");
            };
            assert_eq!(p.end, p.first + 2);
            let width = config.pair_candidates;
            let mut product = Vec::new();
            for a in left.candidates.options.iter().take(width) {
                for b in right.candidates.options.iter().take(width) {
                    let words = a.words.iter().chain(&b.words).cloned().collect();
                    product.push((words, a.closeness * b.closeness));
                }
            }
            assert_eq!(options, product, "{phrase:?}");
            pairs += 1;
        }
        // Every word the thesaurus has usable candidates for is a suspect, unless frequent or
        // taken by the phrasebook.
        let taken = |sentence: usize, position: usize| {
            proposals.iter().any(|p| {
                p.kind != ProposalKind::Thesaurus && p.overlaps(sentence, position, position + 1)
            })
        };
        for (number, sentence) in doc.sentences.iter().enumerate() {
            for position in 0..sentence.len() {
                let Some(key) = sentence.key(&doc.tokens, position) else {
                    continue;
                };
                let expected = !frequent(key, &config)
                    && !usable(key, &config).is_empty()
                    && !taken(number, position);
                assert_eq!(single(number, position).is_some(), expected, "{key:?}");
            }
        }
    }
    assert!(
        phrases > 1000 && pairs > 100,
        "phrases {phrases}, pairs {pairs}"
    );
}

#[test]
fn without_pair_candidates_only_the_pairs_go() {
    let config = Config::default();
    let no_pairs = Config {
        pair_candidates: 0,
        ..Config::default()
    };
    let doc = Doc::new(&spun_seed());
    let with = shape(&proposals_with(&doc, &config, &[]));
    let without = shape(&proposals_with(&doc, &no_pairs, &[]));
    assert!(without.len() < with.len());
    let kept: Vec<&Shape> = with.iter().filter(|s| without.contains(s)).collect();
    assert_eq!(kept.len(), without.len());
    for gone in with.iter().filter(|s| !without.contains(s)) {
        assert_eq!(gone.2, gone.1 + 2);
        assert_eq!(gone.3, ProposalKind::Thesaurus);
    }
}

#[test]
fn phrasebook_proposals_come_first_and_keep_their_words_from_the_thesaurus() {
    let config = Config::default();
    let doc = Doc::new(&spun_seed());
    let proposals = proposals_with(&doc, &config, &[]);
    let count = proposals
        .iter()
        .take_while(|p| matches!(p.kind, ProposalKind::Always | ProposalKind::Context))
        .count();
    assert!(count >= 10, "{count} phrasebook proposals");
    assert!(proposals[count..]
        .iter()
        .all(|p| p.kind == ProposalKind::Thesaurus));
    for book in &proposals[..count] {
        let Origin::Entry(entry) = &book.candidates.options[0].origin else {
            panic!("a phrasebook proposal from the thesaurus");
        };
        let original: Vec<String> = entry
            .original
            .to_lowercase()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        assert_eq!(book.candidates.options[0].words, original);
        assert_eq!(book.candidates.options[0].closeness, 1.0);
        for suspect in &proposals[count..] {
            assert!(
                !suspect.overlaps(book.sentence, book.first, book.end),
                "{:?} inside {:?}",
                observed(&doc, suspect),
                observed(&doc, book)
            );
        }
    }
    let (number, at) = doc.find(&["international", "locations"]);
    assert!(proposals[..count].iter().any(
        |p| (p.sentence, p.first, p.end, p.kind) == (number, at, at + 2, ProposalKind::Always)
    ));
}

#[test]
fn places_starting_inside_a_blocked_span_are_left_out_and_no_others() {
    let config = Config::default();
    let doc = Doc::new(&spun_seed());
    let all = proposals_with(&doc, &config, &[]);
    // Block the page's second paragraph.
    let (number, _) = doc.find(&["deepening", "navy", "ties"]);
    let blocked = [doc.span(number, 0, doc.sentences[number].len())];
    let (number_b, at) = doc.find(&["chilly", "warfare"]);
    let blocked = [blocked[0], doc.span(number_b, at, at + 1)];
    let left = proposals_with(&doc, &config, &blocked);
    let start = |p: &Proposal| doc.tokens[doc.sentences[p.sentence].token_indices[p.first]].start;
    let expected: Vec<Proposal> = all
        .iter()
        .filter(|p| !inside(start(p), &blocked))
        .cloned()
        .collect();
    assert!(
        expected.len() + 5 < all.len(),
        "{} of {}",
        expected.len(),
        all.len()
    );
    assert_eq!(shape(&left), shape(&expected));
    assert!(all
        .iter()
        .any(|p| p.sentence == number_b && p.first == at && p.end == at + 2));
}

#[test]
fn the_candidate_cache_never_changes_a_proposal() {
    let config = Config::default();
    let sources = sources(&config);
    let mut warm = CandidateCache::default();
    let texts = texts();
    let fresh: Vec<Vec<Shape>> = texts
        .iter()
        .map(|text| shape(&proposals_with(&Doc::new(text), &config, &[])))
        .collect();
    for round in 0..2 {
        for (text, expected) in texts.iter().zip(&fresh).rev() {
            let doc = Doc::new(text);
            warm.next_document();
            let got = sources.proposals(&doc.text, &doc.tokens, &doc.sentences, &[], &mut warm);
            assert_eq!(&shape(&got), expected, "round {round}");
        }
    }
}
