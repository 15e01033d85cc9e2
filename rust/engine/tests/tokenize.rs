//! Parity of the tokenizer with the Python reference (`spindetect.tokens`), and its invariants.

mod tok_common;

use std::collections::HashMap;

use proptest::prelude::*;
use spindetect_engine::tokenize::{normalize, tokenize, Kind};
use tok_common::{char_offsets, corpus_texts, golden_lines, record_text};

/// Tokens as the golden file writes them: character offsets, kind, lower if not the text.
fn encode(text: &str) -> Vec<serde_json::Value> {
    let chars = char_offsets(text);
    tokenize(text)
        .into_iter()
        .map(|token| {
            let mut row = vec![
                serde_json::json!(chars[token.start]),
                serde_json::json!(chars[token.end]),
                serde_json::json!(token.kind.name()),
            ];
            if token.lower != text[token.start..token.end] {
                row.push(serde_json::json!(token.lower));
            }
            serde_json::Value::Array(row)
        })
        .collect()
}

/// FNV-1a 64 of the lines `start,end,kind,lower` (character offsets), as `make_tokens.py`.
fn fnv(text: &str) -> (usize, String) {
    let chars = char_offsets(text);
    let tokens = tokenize(text);
    let mut digest: u64 = 0xcbf2_9ce4_8422_2325;
    for token in &tokens {
        let line = format!(
            "{},{},{},{}\n",
            chars[token.start],
            chars[token.end],
            token.kind.name(),
            token.lower
        );
        for byte in line.bytes() {
            digest = (digest ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    (tokens.len(), format!("{digest:016x}"))
}

#[test]
fn corpus_texts_tokenize_as_in_python() {
    let corpus: HashMap<String, String> = corpus_texts().into_iter().collect();
    let mut checked = 0;
    for record in golden_lines("tokens.jsonl.gz") {
        let Some(expected) = record["fnv"].as_str() else {
            continue;
        };
        let name = record["name"].as_str().expect("name");
        let text = corpus
            .get(name)
            .unwrap_or_else(|| panic!("{name} not in the corpus"));
        let (count, digest) = fnv(text);
        assert_eq!(
            (count as u64, digest.as_str()),
            (record["count"].as_u64().expect("count"), expected),
            "{name}: tokens differ from Python (regenerate with make_tokens.py and compare)"
        );
        checked += 1;
    }
    assert!(checked >= 525, "only {checked} corpus texts checked");
}

#[test]
fn adversarial_strings_tokenize_as_in_python() {
    let corpus = HashMap::new();
    let mut checked = 0;
    for record in golden_lines("tokens.jsonl.gz") {
        if record["text"].is_null() {
            continue;
        }
        let text = record_text(&record, &corpus);
        let expected = record["tokens"].as_array().expect("tokens");
        let got = encode(text);
        if &got != expected {
            let at = got.iter().zip(expected).position(|(a, b)| a != b);
            panic!(
                "{}: first difference at token {:?}: got {:?}, python {:?} (text {:?})",
                record["name"],
                at,
                at.map(|i| &got[i]),
                at.map(|i| &expected[i]),
                text
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 400);
}

#[test]
fn lookup_keys_follow_python_lower_and_straight_apostrophes() {
    let text = "Don\u{2019}t \u{39f}\u{394}\u{39f}\u{3a3} \u{130}stanbul STRA\u{df}E rock\u{2bc}n";
    let keys: Vec<String> = tokenize(text).into_iter().map(|t| t.lower).collect();
    assert_eq!(keys[0], "don't");
    assert_eq!(keys[1], normalize("\u{39f}\u{394}\u{39f}\u{3a3}"));
    assert!(keys[1].ends_with('\u{3c2}'), "final sigma: {}", keys[1]);
    assert_eq!(keys[2], "i\u{307}stanbul");
    assert_eq!(keys[4], "rock'n");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn tokens_are_ordered_on_char_boundaries_and_keys_match(text in "\\PC{0,60}|[a-z0-9 .,:/@'\u{2019}\u{2bc}\u{301}\\-{}|\n\u{3a3}\u{130}]{0,60}") {
        let tokens = tokenize(&text);
        let mut previous_end = 0;
        for (index, token) in tokens.iter().enumerate() {
            // 'ʼ' is a letter (Lm) and an apostrophe: as in Python, the word "ʼ" splits into an
            // empty word and its trailing apostrophe.
            let empty_word_before_apostrophe = token.kind == Kind::Word
                && tokens.get(index + 1).is_some_and(|next| next.start == token.end && next.kind == Kind::Other);
            prop_assert!(token.start < token.end || (token.start == token.end && empty_word_before_apostrophe));
            prop_assert!(token.start >= previous_end);
            prop_assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
            let surface = &text[token.start..token.end];
            if token.kind == Kind::Other {
                prop_assert!(token.lower == surface || token.lower == normalize(surface));
            } else {
                prop_assert_eq!(&token.lower, &normalize(surface));
            }
            let straight = |s: &str| s.replace(['\u{2019}', '\u{2bc}', '\u{2018}'], "'");
            prop_assert_eq!(straight(&token.lower), straight(&normalize(surface)));
            previous_end = token.end;
        }
        // Everything skipped is whitespace other than newlines.
        let mut covered = vec![false; text.len()];
        for token in &tokens {
            covered[token.start..token.end].iter_mut().for_each(|c| *c = true);
        }
        for (at, c) in text.char_indices() {
            if !covered[at] {
                prop_assert!(c.is_whitespace() && c != '\n', "skipped {:?}", c);
            }
        }
    }
}
