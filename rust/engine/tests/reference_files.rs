//! Missing, corrupt and truncated model files are `Error::Model` naming the file, never a
//! panic or an out-of-bounds read; queries on whatever opens never panic either.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use spindetect_engine::reference::{CmuTrie, Reference, SprefModel};
use spindetect_engine::Error;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// A fresh file in the temp folder holding `bytes`.
fn temp_file(bytes: &[u8], suffix: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "spindetect-ref-{}-{}{suffix}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let path = std::env::temp_dir().join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    path
}

fn model_error(result: Result<impl Sized, Error>, path: &Path) -> String {
    match result {
        Ok(_) => panic!("{} opened", path.display()),
        Err(Error::Model(message)) => {
            assert!(
                message.starts_with(&path.display().to_string()),
                "{message}"
            );
            message
        }
        Err(other) => panic!("not a model error: {other:?}"),
    }
}

/// Every word of a model asked in a few contexts: must not panic, values must be numbers.
fn exercise(model: &dyn Reference) {
    let size = model.vocabulary_size().min(5000) as u32;
    for w in 0..size {
        for value in [
            model.unigram(w),
            model.logprob(w, Some(w / 2), None),
            model.logprob(w, Some(w / 3), Some(size - 1 - w)),
            model.logprob(u32::MAX, Some(w), Some(u32::MAX)),
            model.logprob_unknown(Some(w), Some(w + 1)),
        ] {
            assert!(!value.is_nan());
        }
    }
}

#[test]
fn missing_files_say_so() {
    let path = std::env::temp_dir().join("spindetect-no-such-model.spref");
    let message = model_error(SprefModel::open(&path), &path);
    assert!(
        message.ends_with("cannot read: No such file or directory"),
        "{message}"
    );
    let message = model_error(CmuTrie::open(&path), &path);
    assert!(message.contains("cannot read"), "{message}");
}

#[test]
fn tiny_spref_opens_and_answers() {
    let model = SprefModel::open(&data("tiny.spref")).expect("tiny.spref");
    assert_eq!(model.name(), "tiny");
    assert_eq!(model.order(), 3);
    let the = model.id("the").expect("the is in the tiny corpus");
    assert!(model.knows("the") && !model.knows("<s>"));
    assert!(model.unigram(the) > -2.0);
    exercise(&model);
}

#[test]
fn spref_damage_is_reported() {
    let good = std::fs::read(data("tiny.spref")).expect("tiny.spref");
    let header_len = u64::from_le_bytes(good[8..16].try_into().expect("8 bytes")) as usize;
    let mut cases: Vec<(Vec<u8>, &str)> = vec![
        (b"NOTMAGIC".to_vec(), "not a spindetect reference model"),
        (
            good[..good.len() - 1].to_vec(),
            "buffer is smaller than requested size",
        ),
        (good[..16 + header_len / 2].to_vec(), "damaged model header"),
        (good[..12].to_vec(), "damaged model header"),
    ];
    let mut no_order = good.clone();
    let text = String::from_utf8_lossy(&good[16..16 + header_len]).into_owned();
    let renamed = text.replacen("\"order\"", "\"ordeR\"", 1);
    no_order[16..16 + header_len].copy_from_slice(renamed.as_bytes());
    cases.push((no_order, "damaged model ('order')"));
    let mut wrong_type = good.clone();
    let retyped = text.replacen("\"<u8\"", "\"<u4\"", 1);
    wrong_type[16..16 + header_len].copy_from_slice(retyped.as_bytes());
    cases.push((wrong_type, "expected <u8"));
    for (bytes, expected) in cases {
        let path = temp_file(&bytes, ".spref");
        let message = model_error(SprefModel::open(&path), &path);
        assert!(message.contains(expected), "{message} lacks {expected}");
        std::fs::remove_file(&path).ok();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Truncations and byte flips anywhere in a real model: an error or a working model.
    #[test]
    fn spref_never_panics(cut in 0usize..7000, flips in prop::collection::vec((0usize..7000, any::<u8>()), 0..6)) {
        let mut bytes = std::fs::read(data("tiny.spref")).expect("tiny.spref");
        for (at, value) in flips {
            if let Some(byte) = bytes.get_mut(at) { *byte ^= value; }
        }
        bytes.truncate(cut);
        let path = temp_file(&bytes, ".spref");
        if let Ok(model) = SprefModel::open(&path) {
            exercise(&model);
        }
        std::fs::remove_file(&path).ok();
    }
}

/// Truncated or corrupted copies of the real CMU model.
#[test]
fn cmu_damage_is_reported() {
    let Some(lm) = std::env::var_os("SPINDETECT_CMU_LM") else {
        panic!("SPINDETECT_CMU_LM is not set: point it at pocketsphinx's en-us.lm.bin");
    };
    let good = std::fs::read(&lm).expect("read the CMU LM");
    let unigrams = 36 + 3 * 65536 * 4;
    let strings_start = good.len() - 600_000;
    for (cut, expected) in [
        (0, "bad magic"),
        (19, "truncated"),
        (30, "truncated"),
        (unigrams + 100, "truncated"),
        (good.len() / 2, "truncated"),
        (strings_start, "truncated"),
        (good.len() - 10, "truncated"),
    ] {
        let path = temp_file(&good[..cut], ".lm.bin");
        let message = model_error(CmuTrie::open(&path), &path);
        assert!(message.contains(expected), "cut at {cut}: {message}");
        std::fs::remove_file(&path).ok();
    }
    let mut wrong_order = good.clone();
    wrong_order[19] = 4;
    let path = temp_file(&wrong_order, ".lm.bin");
    let message = model_error(CmuTrie::open(&path), &path);
    assert!(
        message.contains("only trigram models are supported (order 4)"),
        "{message}"
    );
    std::fs::remove_file(&path).ok();
    // A unigram's bigram pointer that runs backwards.
    let mut backwards = good.clone();
    backwards[unigrams + 12 * 1000 + 8..unigrams + 12 * 1000 + 12]
        .copy_from_slice(&u32::MAX.to_le_bytes());
    let path = temp_file(&backwards, ".lm.bin");
    let message = model_error(CmuTrie::open(&path), &path);
    assert!(message.contains("corrupt unigram record"), "{message}");
    std::fs::remove_file(&path).ok();
    // Garbage in the trigram array (words and probability bins): it opens, and queries that
    // search the scrambled ranges never panic.
    let count = |at: usize| u32::from_le_bytes(good[at..at + 4].try_into().expect("4 bytes"));
    let (n1, n2) = (count(20) as usize, count(24) as usize);
    let bigram_bits = (usize::BITS - n1.leading_zeros()) as usize + 32 + 21;
    let start = unigrams + 12 * (n1 + 1) + ((1 + n2) * bigram_bits).div_ceil(8) + 8;
    let mut scrambled = good;
    for at in (start..start + 6_000_000).step_by(7) {
        scrambled[at] = scrambled[at].rotate_left(3) ^ 0x5a;
    }
    let path = temp_file(&scrambled, ".lm.bin");
    let model = CmuTrie::open(&path).expect("a scrambled trigram array still opens");
    exercise(&model);
    std::fs::remove_file(&path).ok();
}
