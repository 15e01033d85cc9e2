//! Parity of the Rust reference models with the Python ones (`spindetect.reference`), on the
//! golden values of `tests/data/make_reference.py`: every window of real eval texts and seeds,
//! random vocabulary triples (unknown history words, `<s>` history, `</s>` predicted), and the
//! two unsorted trie ranges ("whips and bullhorns").
//!
//! Needs the pocketsphinx LM: set `SPINDETECT_CMU_LM` to the path of `en-us.lm.bin`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde_json::Value;
use spindetect_engine::reference::{
    combine, CmuTrie, Mixture, Reference, SprefModel, WordId, LOG_ZERO_LOG10, SENTENCE_END,
    SENTENCE_START,
};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The CMU LM path from `SPINDETECT_CMU_LM`; fails (never skips) when it is unset.
fn cmu_path() -> PathBuf {
    match std::env::var_os("SPINDETECT_CMU_LM") {
        Some(path) => PathBuf::from(path),
        None => panic!(
            "SPINDETECT_CMU_LM is not set: point it at pocketsphinx's en-us.lm.bin \
             (site-packages/pocketsphinx/model/en-us/en-us.lm.bin)"
        ),
    }
}

fn science_spref() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/science_reference.spref")
}

struct Models {
    cmu: Arc<CmuTrie>,
    spref: SprefModel,
    mix: Mixture,
}

fn models() -> &'static Models {
    static MODELS: OnceLock<Models> = OnceLock::new();
    MODELS.get_or_init(|| {
        let cmu = Arc::new(CmuTrie::open(&cmu_path()).expect("open the CMU LM"));
        let spref = SprefModel::open(&science_spref()).expect("open science_reference.spref");
        let mix = combine(cmu.clone(), &[science_spref()]).expect("combine");
        Models { cmu, spref, mix }
    })
}

fn golden_rows(name: &str) -> Vec<Vec<Value>> {
    let file = std::fs::File::open(data(name)).expect("golden file");
    BufReader::new(flate2::read::GzDecoder::new(file))
        .lines()
        .map(|line| serde_json::from_str(&line.expect("line")).expect("json row"))
        .collect()
}

fn text(value: &Value) -> Option<&str> {
    value.as_str()
}

/// The value a model gives for the query (w, h2 h1) by words, through the id interface: a
/// word the model lacks is `None` in the history, and an unknown predicted word is asked with
/// `logprob_unknown`.
fn by_words(model: &dyn Reference, w: &str, h1: Option<&str>, h2: Option<&str>) -> f64 {
    let h1 = h1.and_then(|word| model.id(word));
    let h2 = h2.and_then(|word| model.id(word));
    match model.id(w) {
        Some(w) => model.logprob(w, h1, h2),
        None => model.logprob_unknown(h1, h2),
    }
}

#[test]
fn queries_match_python_exactly() {
    let models = models();
    let rows = golden_rows("reference_queries.jsonl.gz");
    assert!(rows.len() > 30_000, "golden file too small: {}", rows.len());
    let mut mismatches = Vec::new();
    let mut largest_batch_difference = 0.0f64;
    for row in &rows {
        let (w, h2, h1) = (text(&row[0]).expect("word"), text(&row[1]), text(&row[2]));
        let expected: Vec<f64> = row[3..]
            .iter()
            .map(|v| v.as_f64().expect("number"))
            .collect();
        let cmu = by_words(models.cmu.as_ref(), w, h1, h2);
        let spref = by_words(&models.spref, w, h1, h2);
        let mix = by_words(&models.mix, w, h1, h2);
        if models.cmu.id(w).is_none() {
            assert_eq!(cmu, LOG_ZERO_LOG10);
        }
        for (label, got, want) in [
            ("cmu", cmu, expected[0]),
            ("spref", spref, expected[1]),
            ("mix", mix, expected[3]),
        ] {
            if got.to_bits() != want.to_bits() {
                mismatches.push(format!(
                    "{label} {w:?} | {h2:?} {h1:?}: rust {got} python {want}"
                ));
            }
        }
        largest_batch_difference = largest_batch_difference.max((mix - expected[2]).abs());
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} queries differ, e.g.\n{}",
        mismatches.len(),
        rows.len(),
        mismatches[..mismatches.len().min(20)].join("\n")
    );
    // Python's batch path (numpy log10/power) may differ from libm in the last bit.
    assert!(
        largest_batch_difference < 1e-12,
        "batch difference {largest_batch_difference}"
    );
}

#[test]
fn unsorted_trie_ranges_back_off_like_pocketsphinx() {
    let cmu = models().cmu.as_ref();
    let id = |word: &str| cmu.id(word).expect("known word");
    let (w, h1, h2) = (id("bullhorns"), id("and"), id("whips"));
    // The trigram is stored, but sphinxbase's search cannot reach it (see the unit test in
    // cmu_trie), so pocketsphinx and Python back off; so must we.
    let stored = cmu.logprob(w, Some(h1), Some(h2));
    let rows = golden_rows("reference_queries.jsonl.gz");
    let golden = rows
        .iter()
        .find(|row| row[0] == "bullhorns" && row[1] == "whips" && row[2] == "and")
        .expect("golden row for whips and bullhorns");
    assert_eq!(stored, golden[3].as_f64().expect("number"));
}

#[test]
fn vocabulary_matches_python() {
    let models = models();
    let mut checked = 0;
    for row in golden_rows("reference_words.jsonl.gz") {
        let word = text(&row[0]).expect("word");
        let cmu_id = row[1].as_i64().expect("id");
        let spref_id = row[3].as_i64().expect("id");
        let as_python = |id: Option<WordId>| id.map_or(-1, i64::from);
        assert_eq!(as_python(models.cmu.id(word)), cmu_id, "cmu id of {word:?}");
        assert_eq!(models.cmu.knows(word), row[2] == true, "cmu knows {word:?}");
        assert_eq!(
            as_python(models.spref.id(word)),
            spref_id,
            "spref id of {word:?}"
        );
        assert_eq!(
            models.spref.knows(word),
            row[4] == true,
            "spref knows {word:?}"
        );
        assert_eq!(
            models.mix.knows(word),
            row[5] == true,
            "mixture knows {word:?}"
        );
        // Python's id adapter gives ids to the words the mixture knows, and to <s> and </s>.
        let has_id = row[5] == true || word == SENTENCE_START || word == SENTENCE_END;
        assert_eq!(
            models.mix.id(word).is_some(),
            has_id,
            "mixture id of {word:?}"
        );
        if let Some(id) = models.cmu.id(word) {
            assert_eq!(models.cmu.word(id), Some(word));
        }
        checked += 1;
    }
    assert!(checked > 10_000);
}

#[test]
fn unigram_equals_logprob_without_history() {
    let models = models();
    let references: [&dyn Reference; 3] = [models.cmu.as_ref(), &models.spref, &models.mix];
    for reference in references {
        let size = reference.vocabulary_size() as WordId;
        assert!(size > 1000, "{}: {size} words", reference.name());
        for w in (0..size).step_by(7) {
            let (unigram, logprob) = (reference.unigram(w), reference.logprob(w, None, None));
            assert_eq!(
                unigram.to_bits(),
                logprob.to_bits(),
                "{} word {w}",
                reference.name()
            );
            // h2 is ignored without h1
            assert_eq!(logprob, reference.logprob(w, None, Some(w)));
        }
    }
}

#[test]
fn mixture_names_weights_and_extra_words() {
    let models = models();
    assert_eq!(models.cmu.name(), "cmu-en-us");
    assert_eq!(models.spref.name(), "science_reference");
    assert_eq!(models.mix.name(), "cmu-en-us+science_reference");
    let weights: Vec<f64> = models
        .mix
        .log_weights()
        .iter()
        .map(|w| 10f64.powf(*w))
        .collect();
    assert!((weights[0] - 0.5).abs() < 1e-12 && (weights[1] - 0.5).abs() < 1e-12);
    // The mixture's ids start with the CMU ids; science words CMU lacks get ids after them.
    let cmu_size = models.cmu.vocabulary_size();
    assert!(models.mix.vocabulary_size() > cmu_size);
    for word in ["the", "probability", SENTENCE_START, SENTENCE_END] {
        assert_eq!(models.mix.id(word), models.cmu.id(word), "{word}");
    }
    let extras: Vec<WordId> =
        (cmu_size as WordId..models.mix.vocabulary_size() as WordId).collect();
    for &id in &extras[..extras.len().min(50)] {
        let value = models.mix.unigram(id);
        assert!(
            value.is_finite() && value < 0.0 && value > -30.0,
            "extra word {id}: {value}"
        );
    }
    // Bad construction is an error, not a panic.
    assert!(Mixture::new(vec![], vec![]).is_err());
    assert!(Mixture::new(vec![models.cmu.clone()], vec![1.0, 2.0]).is_err());
    assert!(Mixture::new(vec![models.cmu.clone()], vec![0.0]).is_err());
}

#[test]
fn models_are_shareable_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<CmuTrie>();
    shareable::<SprefModel>();
    shareable::<Mixture>();
    let models = models();
    let the = models.mix.id("the").expect("the");
    let values: Vec<f64> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| models.mix.logprob(the, Some(the), None)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    assert!(values.windows(2).all(|pair| pair[0] == pair[1]));
}

/// Resident memory of this process in kB (Linux), 0 elsewhere.
fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

/// Open time, RSS and ns per query on the trigrams of the eval texts. Run with
/// `cargo test --release --test reference_parity -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn measure_open_and_query_speed() {
    let before = rss_kb();
    let started = std::time::Instant::now();
    let cmu = Arc::new(CmuTrie::open(&cmu_path()).expect("open"));
    let opened = started.elapsed();
    let after = rss_kb();
    let started = std::time::Instant::now();
    let mix = combine(cmu.clone(), &[science_spref()]).expect("combine");
    let combined = started.elapsed();
    println!("CmuTrie::open {opened:?}; RSS {before} kB -> {after} kB; combine {combined:?}");

    let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/eval");
    let mut text = String::new();
    for name in ["dev", "heldout", "science", "consistent"] {
        let lines = std::fs::read_to_string(eval.join(format!("{name}.jsonl"))).expect("eval");
        for line in lines.lines() {
            let row: Value = serde_json::from_str(line).expect("row");
            text.push_str(row["original"].as_str().unwrap_or(""));
            text.push('\n');
        }
    }
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|word| !word.is_empty())
        .collect();
    let references: [(&str, &dyn Reference); 2] = [("cmu", cmu.as_ref()), ("mixture", &mix)];
    for (label, reference) in references {
        let ids: Vec<Option<WordId>> = words.iter().map(|word| reference.id(word)).collect();
        let windows: Vec<(WordId, Option<WordId>, Option<WordId>)> = ids
            .windows(3)
            .filter_map(|window| Some((window[2]?, window[1], window[0])))
            .collect();
        let rounds = 3_000_000 / windows.len().max(1) + 1;
        let started = std::time::Instant::now();
        let mut total = 0.0;
        for _ in 0..rounds {
            for &(w, h1, h2) in &windows {
                total += reference.logprob(w, h1, h2);
            }
        }
        let queries = rounds * windows.len();
        let per_query = started.elapsed().as_nanos() as f64 / queries as f64;
        println!(
            "{label}: {queries} trigram queries, {per_query:.0} ns each (checksum {total:.3})"
        );
        let started = std::time::Instant::now();
        let found = words
            .iter()
            .filter(|word| reference.id(word).is_some())
            .count();
        let per_id = started.elapsed().as_nanos() as f64 / words.len() as f64;
        println!(
            "{label}: id() {per_id:.0} ns per word ({found} of {} known)",
            words.len()
        );
    }
    println!("RSS after queries {} kB", rss_kb());
}
