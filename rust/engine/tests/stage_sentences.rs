//! The sentence stage (`sentences.rs`): where sentences break, which positions cut the history,
//! the windows an edit is scored on, and how `Slots` sees the accepted edits; on the seed pages
//! and eval texts of the repository.

mod stage_support;

use spindetect_engine::reference::WordId;
use spindetect_engine::sentences::{Slots, Window};
use spindetect_engine::tokenize::Kind;
use stage_support::{end_id, ids, reference, spun_seed, start_id, texts, Doc};

/// The history of position `p` as the reference trains on it: `<s>` before the first word,
/// nothing after a cut, at most two words.
fn expected_history(written: &[Option<WordId>], p: usize) -> Vec<WordId> {
    match p {
        0 => vec![start_id()],
        1 => match written[0] {
            Some(w0) => vec![start_id(), w0],
            None => vec![],
        },
        _ => match (written[p - 2], written[p - 1]) {
            (_, None) => vec![],
            (None, Some(w1)) => vec![w1],
            (Some(w2), Some(w1)) => vec![w2, w1],
        },
    }
}

/// The words after a span ending at `end`: up to two, `</s>` after the last word, none past a
/// cut.
fn expected_following(written: &[Option<WordId>], end: usize) -> Vec<WordId> {
    let mut following = Vec::new();
    for index in end..end + 2 {
        if index == written.len() {
            following.push(end_id());
            break;
        }
        match written[index] {
            Some(word) => following.push(word),
            None => break,
        }
    }
    following
}

#[test]
fn sentences_hold_every_word_once_and_no_break_inside() {
    for text in texts() {
        let doc = Doc::new(&text);
        let mut seen = Vec::new();
        for sentence in &doc.sentences {
            assert!(!sentence.is_empty());
            assert_eq!(sentence.token_indices.len(), sentence.written.len());
            let (first, last) = (
                sentence.token_indices[0],
                *sentence.token_indices.last().unwrap(),
            );
            let inside = &doc.tokens[first..=last];
            assert!(
                inside.iter().all(|token| token.kind != Kind::Break),
                "a break inside {:?}",
                &text[doc.tokens[first].start..doc.tokens[last].end]
            );
            seen.extend_from_slice(&sentence.token_indices);
        }
        // Every word, number, URL and address is one position, in order; nothing else is.
        let expected: Vec<usize> = (0..doc.tokens.len())
            .filter(|&i| !matches!(doc.tokens[i].kind, Kind::Break | Kind::Hyphen | Kind::Other))
            .collect();
        assert_eq!(seen, expected);
        // Two sentences in a row have a break between them.
        for pair in doc.sentences.windows(2) {
            let (left, right) = (
                *pair[0].token_indices.last().unwrap(),
                pair[1].token_indices[0],
            );
            assert!(doc.tokens[left..right]
                .iter()
                .any(|token| token.kind == Kind::Break));
        }
    }
}

#[test]
fn commas_do_not_split_a_sentence_but_a_stop_does() {
    let text = spun_seed();
    let doc = Doc::new(&text);
    // "President Vladimir Putin on Sunday met personally with China’s protection chief in
    // Moscow, in an additional signal of deepening navy ties between the 2 ...": one sentence.
    let (number, at) = doc.find(&["moscow", "in", "an", "additional"]);
    assert!(doc.keys(number).contains(&"president"));
    assert!(doc.keys(number)[at..].contains(&"locations"));
    let sentence_text = doc.span_text(number, 0, doc.sentences[number].len());
    assert!(sentence_text.contains(", in an additional"));
    assert!(!sentence_text.contains(". "));
    // "... started almost 14 months in the past. Li was greeted by Putin ...": the stop ends
    // the sentence.
    let (before, _) = doc.find(&["months", "in", "the", "past"]);
    let (after, at) = doc.find(&["li", "was", "greeted"]);
    assert_eq!((after, at), (before + 1, 0));
}

#[test]
fn numbers_and_unknown_words_have_no_id_and_known_words_their_reference_id() {
    let reference = reference();
    for text in texts() {
        let doc = Doc::new(&text);
        for sentence in &doc.sentences {
            for (position, &index) in sentence.token_indices.iter().enumerate() {
                let token = &doc.tokens[index];
                let expected = match token.kind {
                    Kind::Word => reference.known_id(&token.lower),
                    _ => None,
                };
                assert_eq!(sentence.written[position], expected, "{:?}", token.lower);
                assert_eq!(
                    sentence.key(&doc.tokens, position).is_some(),
                    expected.is_some()
                );
            }
        }
    }
    let doc = Doc::new(&spun_seed());
    let (number, at) = doc.find(&["the", "2", "international"]);
    assert_eq!(doc.sentences[number].written[at + 1], None);
    assert!(doc.sentences[number].written[at].is_some());
}

#[test]
fn windows_of_the_text_as_written_follow_the_history_rules() {
    let mut starts = 0;
    let mut cuts = 0;
    for text in texts() {
        let doc = Doc::new(&text);
        for sentence in &doc.sentences {
            let slots = Slots::new(sentence);
            let written = &sentence.written;
            for first in 0..sentence.len() {
                for end in first + 1..=(first + 3).min(sentence.len()) {
                    let window = slots.window(first, end, start_id(), end_id());
                    let words: Vec<WordId> =
                        written[first..end].iter().flatten().copied().collect();
                    let expected = Window {
                        history: expected_history(written, first),
                        words,
                        following: expected_following(written, end),
                    };
                    assert_eq!(window, expected);
                    starts += usize::from(window.history.first() == Some(&start_id()));
                    cuts += usize::from(first > 0 && window.history.is_empty());
                }
            }
        }
    }
    assert!(starts > 100 && cuts > 100, "starts {starts}, cuts {cuts}");
}

#[test]
fn a_number_cuts_the_history_and_a_sentence_start_has_s() {
    let doc = Doc::new(&spun_seed());
    let (number, at) = doc.find(&["the", "2", "international", "locations"]);
    let slots = Slots::new(&doc.sentences[number]);
    let after_number = slots.window(at + 2, at + 3, start_id(), end_id());
    assert!(after_number.history.is_empty());
    assert_eq!(after_number.following, ids(&["locations", "</s>"]));
    let before_number = slots.window(at - 1, at, start_id(), end_id());
    assert_eq!(before_number.following, ids(&["the"]));

    // The page's title: "China Defense Official Meets ...", its first sentence.
    assert_eq!(&doc.keys(0)[..2], &["china", "defense"]);
    let slots = Slots::new(&doc.sentences[0]);
    let first = slots.window(0, 1, start_id(), end_id());
    assert_eq!(first.history, vec![start_id()]);
    let second = slots.window(1, 2, start_id(), end_id());
    assert_eq!(second.history, ids(&["<s>", "china"]));
    let third = slots.window(2, 3, start_id(), end_id());
    assert_eq!(third.history, ids(&["china", "defense"]));
}

#[test]
fn after_replace_the_window_sees_the_new_words_and_the_text_is_no_longer_as_written() {
    let doc = Doc::new(&spun_seed());
    let (number, at) = doc.find(&["deepening", "navy", "ties", "between"]);
    let sentence = &doc.sentences[number];
    let mut slots = Slots::new(sentence);
    let navy = at + 1;
    assert!((0..sentence.len()).all(|p| slots.as_written_around(p, p + 1)));
    slots.replace(navy, navy + 1, &ids(&["military"]));
    assert_eq!(slots.current(navy, navy + 1), ids(&["military"]));
    let ties = slots.window(navy + 1, navy + 2, start_id(), end_id());
    assert_eq!(ties.history, ids(&["deepening", "military"]));
    let deepening = slots.window(at, at + 1, start_id(), end_id());
    assert_eq!(deepening.following, ids(&["military", "ties"]));
    for first in 0..sentence.len() {
        let near = first + 1 + 2 > navy && navy + 1 + 2 > first;
        assert_eq!(
            slots.as_written_around(first, first + 1),
            !near,
            "position {first}"
        );
    }

    // A two-word span replaced by one word: its later position holds nothing, and the word
    // after it sees the replacement as its history.
    let (number, at) = doc.find(&["of", "deepening", "navy", "ties"]);
    let mut slots = Slots::new(&doc.sentences[number]);
    slots.replace(at + 1, at + 3, &ids(&["military"]));
    assert_eq!(slots.current(at + 1, at + 3), ids(&["military"]));
    assert!(slots.current(at + 2, at + 3).is_empty());
    let next = slots.window(at + 3, at + 4, start_id(), end_id());
    assert_eq!(next.history, ids(&["of", "military"]));
    // A one-word span replaced by two words: the next word's history is those two.
    let mut slots = Slots::new(&doc.sentences[number]);
    slots.replace(at + 2, at + 3, &ids(&["armed", "forces"]));
    let next = slots.window(at + 3, at + 4, start_id(), end_id());
    assert_eq!(next.history, ids(&["armed", "forces"]));
    let before = slots.window(at + 1, at + 2, start_id(), end_id());
    assert_eq!(before.following, ids(&["armed", "forces"]));
}
