//! Shared helpers of the tokenizer / phrasebook parity tests: the real texts and golden files.

#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;

/// The repository root (`SPINDETECT_ROOT` overrides, for a copy of the crate elsewhere).
pub fn repo_root() -> PathBuf {
    std::env::var_os("SPINDETECT_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

/// `(name, text)` of every eval text (spun, original) and seed, in the order of
/// `tests/data/corpus_texts.py`.
pub fn corpus_texts() -> Vec<(String, String)> {
    let root = repo_root();
    let mut out = Vec::new();
    let mut eval: Vec<PathBuf> = std::fs::read_dir(root.join("corpus/eval"))
        .expect("corpus/eval")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
        .collect();
    eval.sort();
    for path in eval {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let body = std::fs::read_to_string(&path).expect("eval file");
        for (number, line) in body.lines().enumerate() {
            let record: serde_json::Value = serde_json::from_str(line).expect("json");
            for field in ["spun", "original"] {
                if let Some(text) = record[field].as_str() {
                    out.push((format!("{name}:{number}:{field}"), text.to_string()));
                }
            }
        }
    }
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures/seeds"))
        .expect("seeds")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    seeds.sort();
    for path in seeds {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        out.push((name, std::fs::read_to_string(&path).expect("seed")));
    }
    out
}

/// Text of a gzip'd golden file under `tests/data`.
pub fn golden_text(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let file = std::fs::File::open(&path).unwrap_or_else(|_| panic!("{}", path.display()));
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .expect("gzip");
    text
}

/// The records of a gzip'd JSON-lines golden file.
pub fn golden_lines(name: &str) -> Vec<serde_json::Value> {
    golden_text(name)
        .lines()
        .map(|line| serde_json::from_str(line).expect("json line"))
        .collect()
}

/// Character offset of each byte offset that starts a character (and of the end).
pub fn char_offsets(text: &str) -> Vec<usize> {
    let mut offsets = vec![usize::MAX; text.len() + 1];
    for (number, (byte, _)) in text.char_indices().enumerate() {
        offsets[byte] = number;
    }
    offsets[text.len()] = text.chars().count();
    offsets
}

/// Byte offset of each character offset (and of the end).
pub fn byte_offsets(text: &str) -> Vec<usize> {
    let mut offsets: Vec<usize> = text.char_indices().map(|(byte, _)| byte).collect();
    offsets.push(text.len());
    offsets
}

/// The text of a golden record: its own, or the corpus text of the same name.
pub fn record_text<'a>(
    record: &'a serde_json::Value,
    corpus: &'a std::collections::HashMap<String, String>,
) -> &'a str {
    match record["text"].as_str() {
        Some(text) => text,
        None => corpus[record["name"].as_str().expect("name")].as_str(),
    }
}
