//! Robustness of the core, by fuzzing: the tokenizer and `Detector::examine` on the real models
//! take any text (arbitrary Unicode, control characters, NUL, combining marks, emoji, RTL text,
//! braces, URLs, megabytes without a space) without a panic, and every offset they return is a
//! character boundary of the input, in order.
//!
//! Needs `SPINDETECT_CMU_LM`: the CMU language model inside the pocketsphinx wheel
//! (`.../site-packages/pocketsphinx/model/en-us/en-us.lm.bin`). Run with `--nocapture` to see
//! how many inputs ran.

use std::path::PathBuf;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use spindetect_engine::tokenize::tokenize;

mod stage_support;
use stage_support::{detector, repo_root};

/// The spun and original texts of every eval file.
fn eval_texts() -> &'static [String] {
    static TEXTS: OnceLock<Vec<String>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(repo_root().join("corpus/eval"))
            .expect("corpus/eval")
            .map(|entry| entry.expect("entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
            .collect();
        paths.sort();
        let mut texts = Vec::new();
        for path in paths {
            let body = std::fs::read_to_string(&path).expect("eval file");
            for line in body.lines() {
                let record: serde_json::Value = serde_json::from_str(line).expect("JSON line");
                for field in ["spun", "original"] {
                    if let Some(text) = record[field].as_str() {
                        texts.push(text.to_owned());
                    }
                }
            }
        }
        assert!(texts.len() > 100, "too few eval texts: {}", texts.len());
        texts
    })
}

/// Sentences and runs of up to eight words of the eval texts.
fn fragments() -> Vec<String> {
    let mut out = Vec::new();
    for text in eval_texts() {
        out.extend(
            text.split_inclusive(". ")
                .map(str::to_owned)
                .filter(|s| !s.is_empty()),
        );
        let words: Vec<&str> = text.split_whitespace().collect();
        out.extend(words.chunks(8).map(|run| run.join(" ")));
    }
    out
}

/// Awkward pieces: control characters, NUL, combining marks, emoji, RTL text and marks,
/// spintax braces, URLs, e-mail addresses, numbers, apostrophes, dashes, odd spaces.
const JUNK: &[&str] = &[
    "\0",
    "\u{1}",
    "\u{7}",
    "\u{8}",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\u{b}",
    "\u{c}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{fffd}",
    "\u{fffe}",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{301}",
    "\u{308}\u{301}\u{327}",
    "\u{20dd}",
    "e\u{301}",
    "\u{301}\u{301}\u{301}",
    "😀",
    "👩\u{200d}💻",
    "👍🏽",
    "🇫🇷",
    "🏳\u{fe0f}\u{200d}🌈",
    "שלום",
    "مرحبا بالعالم",
    "\u{202e}",
    "\u{202d}",
    "\u{200f}",
    "\u{200e}",
    "\u{2066}",
    "{",
    "}",
    "|",
    "{a|b}",
    "{the|a|one} ",
    "{{",
    "}}",
    "{|}",
    "{x|}",
    "{|y}",
    "{a|{b|c}}",
    "http://",
    "https://example.com/a{b|c}d",
    "www.",
    "www.ex.com/path?q=1&r={x|y}",
    "mailto:a@b.c",
    "user@example.com",
    "@",
    "a@",
    "1",
    "2,000",
    "3.14",
    "1st",
    "۳۴",
    "٣",
    "Ⅻ",
    "½",
    "'",
    "\u{2019}",
    "\u{2bc}",
    "\u{2018}",
    "rock'n'roll",
    "-",
    "--",
    "—",
    "–",
    "U.S.",
    "e.g.",
    ".",
    "...",
    "!?",
    ";",
    ":",
    "(",
    ")",
    "\"",
    "«",
    "»",
    " ",
    "  ",
    "\u{3000}",
    "İ",
    "ß",
    "ﬁ",
    "Σ",
    "ǅ",
    "ŉ",
    "ΐ",
    "\u{10ffff}",
    "\u{e000}",
    "𝔘𝔫𝔦",
];

/// One piece of a mixed text: a real fragment, a word of one, junk, or arbitrary characters.
fn piece(fragments: &'static [String]) -> BoxedStrategy<String> {
    prop_oneof![
        4 => prop::sample::select(fragments),
        3 => prop::sample::select(JUNK).prop_map(str::to_owned),
        1 => prop::collection::vec(any::<char>(), 1..8).prop_map(String::from_iter),
        1 => "[a-zA-Z]{1,12}",
    ]
    .boxed()
}

/// Pieces joined with nothing, a space or a newline between them.
fn mixed(fragments: &'static [String], pieces: std::ops::Range<usize>) -> BoxedStrategy<String> {
    prop::collection::vec(
        (
            piece(fragments),
            prop::sample::select(&["", " ", " ", "\n"][..]),
        ),
        pieces,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(piece, separator)| piece + separator)
            .collect()
    })
    .boxed()
}

/// A real eval text with junk put in at character boundaries.
fn mutated() -> BoxedStrategy<String> {
    let count = eval_texts().len();
    (
        0..count,
        prop::collection::vec(
            (any::<prop::sample::Index>(), prop::sample::select(JUNK)),
            0..12,
        ),
    )
        .prop_map(|(which, inserts)| {
            let mut text = eval_texts()[which].clone();
            for (index, junk) in inserts {
                let boundaries: Vec<usize> = text
                    .char_indices()
                    .map(|(at, _)| at)
                    .chain([text.len()])
                    .collect();
                text.insert_str(boundaries[index.index(boundaries.len())], junk);
            }
            text
        })
        .boxed()
}

/// Arbitrary Unicode scalar values.
fn arbitrary(chars: std::ops::Range<usize>) -> BoxedStrategy<String> {
    prop::collection::vec(any::<char>(), chars)
        .prop_map(String::from_iter)
        .boxed()
}

/// The tokenizer's offsets: char boundaries within the text, in order, not overlapping.
fn check_tokens(text: &str) -> Result<usize, TestCaseError> {
    let tokens = tokenize(text);
    let mut previous_end = 0;
    for token in &tokens {
        prop_assert!(token.start <= token.end && token.end <= text.len());
        prop_assert!(
            token.start >= previous_end,
            "tokens out of order in {:?}",
            text
        );
        prop_assert!(
            text.is_char_boundary(token.start) && text.is_char_boundary(token.end),
            "token {}..{} not on a char boundary of {:?}",
            token.start,
            token.end,
            text
        );
        previous_end = token.end;
    }
    Ok(tokens.len())
}

/// `examine` gives `Ok`, and findings that slice the text: non-empty, on char boundaries, in
/// order, not overlapping, scored in [0, 1]. Returns the number of findings.
fn check_scan(text: &str) -> Result<usize, TestCaseError> {
    check_tokens(text)?;
    let examined = detector().examine(text, &tokenize(text));
    let examined = match examined {
        Ok(examined) => examined,
        Err(error) => return Err(TestCaseError::fail(format!("{error:?} on {text:?}"))),
    };
    let mut previous_end = 0;
    for finding in &examined.findings {
        let (start, end) = (finding.start, finding.end);
        prop_assert!(start < end && end <= text.len(), "finding {start}..{end}");
        prop_assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "finding {}..{} not on a char boundary of {:?}",
            start,
            end,
            text
        );
        prop_assert!(
            start >= previous_end,
            "findings overlap or out of order at {start} in {text:?}"
        );
        prop_assert!(!text[start..end].is_empty());
        prop_assert!(
            (0.0..=1.0).contains(&finding.score),
            "score {}",
            finding.score
        );
        previous_end = end;
    }
    Ok(examined.findings.len())
}

/// Run `check` on `cases` inputs of `strategy`; returns (inputs run, sum of what `check` counted).
fn fuzz(
    name: &str,
    cases: u32,
    strategy: BoxedStrategy<String>,
    check: fn(&str) -> Result<usize, TestCaseError>,
) -> (usize, usize) {
    let config = ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let mut runner = TestRunner::new(config);
    let ran = std::sync::atomic::AtomicUsize::new(0);
    let counted = std::sync::atomic::AtomicUsize::new(0);
    let bytes = std::sync::atomic::AtomicUsize::new(0);
    let result = runner.run(&strategy, |text| {
        ran.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        bytes.fetch_add(text.len(), std::sync::atomic::Ordering::Relaxed);
        counted.fetch_add(check(&text)?, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    });
    if let Err(error) = result {
        panic!("{name}: {error}");
    }
    let (ran, counted) = (ran.into_inner(), counted.into_inner());
    eprintln!(
        "{name}: {ran} inputs ({} bytes), no panic, every offset on a char boundary; {counted} \
         counted",
        bytes.into_inner()
    );
    assert_eq!(ran, cases as usize, "{name}: every case ran once");
    (ran, counted)
}

fn leaked_fragments() -> &'static [String] {
    static FRAGMENTS: OnceLock<Vec<String>> = OnceLock::new();
    FRAGMENTS.get_or_init(fragments)
}

#[test]
fn tokenizer_offsets_are_char_boundaries_on_any_text() {
    let (_, tokens) = fuzz(
        "tokenizer, arbitrary",
        10_000,
        arbitrary(0..200),
        check_tokens,
    );
    assert!(tokens > 0);
    let (_, tokens) = fuzz(
        "tokenizer, mixed",
        10_000,
        mixed(leaked_fragments(), 1..30),
        check_tokens,
    );
    assert!(tokens > 0);
}

#[test]
fn scan_of_arbitrary_unicode_is_ok() {
    fuzz(
        "scan, arbitrary Unicode",
        1_000,
        arbitrary(0..300),
        check_scan,
    );
}

#[test]
fn scan_of_mixed_real_and_awkward_text_is_ok() {
    fuzz(
        "scan, mixed",
        1_000,
        mixed(leaked_fragments(), 1..60),
        check_scan,
    );
}

#[test]
fn scan_of_mutated_eval_texts_is_ok_and_finds() {
    let (_, findings) = fuzz("scan, mutated eval texts", 400, mutated(), check_scan);
    // The offsets checked are real ones: spun eval texts give findings.
    assert!(findings > 0, "no finding in any mutated eval text");
}

#[test]
fn scan_of_long_inputs_is_ok() {
    fuzz(
        "scan, long",
        20,
        mixed(leaked_fragments(), 500..3000),
        check_scan,
    );
}

/// `len` bytes of `unit` repeated (cut at a char boundary).
fn repeated(unit: &str, len: usize) -> String {
    let mut text = unit.repeat(len / unit.len() + 1);
    let mut cut = len.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text
}

#[test]
fn five_megabytes_without_a_newline_or_space_completes() {
    const SIZE: usize = 5 << 20;
    // Real words joined by punctuation, so the tokenizer sees words, numbers and breaks.
    let words: String = eval_texts()[..50]
        .iter()
        .flat_map(|text| text.split_whitespace())
        .collect::<Vec<_>>()
        .join(",");
    let cases = [
        ("eval words joined by commas", repeated(&words, SIZE)),
        ("one letter", repeated("a", SIZE)),
        ("NUL", repeated("\0", SIZE)),
        ("combining marks", repeated("\u{301}", SIZE)),
        ("spintax", repeated("{a|b}", SIZE)),
        ("only spaces", repeated(" ", SIZE)),
    ];
    for (name, text) in cases {
        assert!(!text.contains('\n'));
        let started = std::time::Instant::now();
        let findings = check_scan(&text).unwrap_or_else(|error| panic!("{name}: {error}"));
        eprintln!(
            "5 MB, {name}: {findings} findings in {:.2} s",
            started.elapsed().as_secs_f64()
        );
    }
}
