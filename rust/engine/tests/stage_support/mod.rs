//! Shared helpers of the per-stage tests (`stage_*.rs`): the real detector (its reference,
//! thesaurus and phrasebook), the repository's texts, and sentences found by their words.
//!
//! Needs `SPINDETECT_CMU_LM`: the CMU language model inside the pocketsphinx wheel
//! (`.../site-packages/pocketsphinx/model/en-us/en-us.lm.bin`); fails (never skips) without it.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use spindetect_engine::candidates::{CandidateCache, Proposal, Sources};
use spindetect_engine::config::Config;
use spindetect_engine::detect::Detector;
use spindetect_engine::load::{self, RawEntry};
use spindetect_engine::reference::{Reference, WordId, SENTENCE_END, SENTENCE_START};
use spindetect_engine::sentences::{sentences, Sentence};
use spindetect_engine::tokenize::{tokenize, Token};

/// The seed page a spinner rewrote (the others are clean).
pub const SPUN_SEED: &str = "002_f398e4ffd186d12f.txt";

/// The repository root (`SPINDETECT_ROOT` overrides, for a copy of the crate elsewhere).
pub fn repo_root() -> PathBuf {
    std::env::var_os("SPINDETECT_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

/// The entries of the bundled phrasebook TSV (spun, original, mode, note; `#` comments).
fn phrasebook_entries() -> Vec<RawEntry> {
    let path = repo_root().join("corpus/phrasebook.tsv");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert!(cells.len() >= 3, "phrasebook line {line:?}");
            (
                cells[0].trim().to_owned(),
                cells[1].trim().to_owned(),
                cells[2].trim().to_owned(),
                cells.get(3).map_or("", |note| note.trim()).to_owned(),
                "phrasebook".to_owned(),
                None,
            )
        })
        .collect()
}

/// A detector on the real models with these settings (loaded afresh).
pub fn detector_with(config: Config) -> Detector {
    let lm = std::env::var_os("SPINDETECT_CMU_LM").unwrap_or_else(|| {
        panic!(
            "set SPINDETECT_CMU_LM to the CMU language model of the pocketsphinx wheel \
             (.../site-packages/pocketsphinx/model/en-us/en-us.lm.bin)"
        )
    });
    let root = repo_root();
    let corpus = root.join("corpus");
    load::detector(
        &PathBuf::from(lm),
        &[],
        &candidate_tables(&corpus),
        &corpus.join("null_statistics.json"),
        &corpus.join("suspect_model.json"),
        &corpus.join("document_model.json"),
        phrasebook_entries(),
        config,
    )
    .unwrap_or_else(|error| panic!("cannot load the real models: {error:?}"))
}

/// The detector on the real models and the default settings, loaded once per test binary.
pub fn detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(|| detector_with(Config::default()))
}

/// The real reference.
pub fn reference() -> &'static dyn Reference {
    detector().models().reference.as_ref()
}

/// Id of a word the reference has (`<s>` and `</s>` included); panics naming it otherwise.
pub fn id(word: &str) -> WordId {
    reference()
        .id(word)
        .unwrap_or_else(|| panic!("the reference lacks {word:?}"))
}

/// Id of `<s>`.
pub fn start_id() -> WordId {
    id(SENTENCE_START)
}

/// Id of `</s>`.
pub fn end_id() -> WordId {
    id(SENTENCE_END)
}

/// Ids of words the reference knows.
pub fn ids(words: &[&str]) -> Vec<WordId> {
    words.iter().map(|word| id(word)).collect()
}

/// A seed text of `tests/fixtures/seeds` by file name.
pub fn seed(name: &str) -> String {
    let path = repo_root().join("tests/fixtures/seeds").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The spun seed page.
pub fn spun_seed() -> String {
    seed(SPUN_SEED)
}

/// The clean seed pages, by file name.
pub fn clean_seeds() -> Vec<(String, String)> {
    let mut names: Vec<String> = std::fs::read_dir(repo_root().join("tests/fixtures/seeds"))
        .expect("tests/fixtures/seeds")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".txt") && name != SPUN_SEED)
        .collect();
    names.sort();
    assert!(names.len() >= 4, "too few clean seeds: {names:?}");
    names
        .into_iter()
        .map(|name| {
            let text = seed(&name);
            (name, text)
        })
        .collect()
}

/// The (spun, original) texts of the first `limit` records of `corpus/eval/<name>`.
pub fn eval_pairs(name: &str, limit: usize) -> Vec<(String, String)> {
    let path = repo_root().join("corpus/eval").join(name);
    let body = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let pairs: Vec<(String, String)> = body
        .lines()
        .take(limit)
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            let field = |name: &str| record[name].as_str().expect("text field").to_owned();
            (field("spun"), field("original"))
        })
        .collect();
    assert!(!pairs.is_empty(), "{} has no records", path.display());
    pairs
}

/// Every text the stage tests walk: the seeds and a few eval pairs (spun and original sides).
pub fn texts() -> Vec<String> {
    let mut texts = vec![spun_seed()];
    texts.extend(clean_seeds().into_iter().map(|(_, text)| text));
    for (spun, original) in eval_pairs("news-mixed.jsonl", 4)
        .into_iter()
        .chain(eval_pairs("heldout.jsonl", 4))
    {
        texts.push(spun);
        texts.push(original);
    }
    texts
}

/// A text with its tokens and its sentences as the real reference splits them.
pub struct Doc {
    pub text: String,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
}

impl Doc {
    /// Tokenize and split `text`.
    pub fn new(text: &str) -> Doc {
        let tokens = tokenize(text);
        let sentences = sentences(&tokens, reference());
        Doc {
            text: text.to_owned(),
            tokens,
            sentences,
        }
    }

    /// The lookup key of each position of sentence `number` (numbers and URLs as written).
    pub fn keys(&self, number: usize) -> Vec<&str> {
        self.sentences[number]
            .token_indices
            .iter()
            .map(|&index| self.tokens[index].lower.as_str())
            .collect()
    }

    /// (sentence, position) of the first place where the positions read `words` in a row.
    pub fn find(&self, words: &[&str]) -> (usize, usize) {
        for number in 0..self.sentences.len() {
            let keys = self.keys(number);
            if let Some(at) = keys.windows(words.len()).position(|run| run == words) {
                return (number, at);
            }
        }
        panic!("{words:?} is not a run of positions of the text");
    }

    /// The text of positions `first..end` of sentence `number`.
    pub fn span_text(&self, number: usize, first: usize, end: usize) -> &str {
        let indices = &self.sentences[number].token_indices;
        &self.text[self.tokens[indices[first]].start..self.tokens[indices[end - 1]].end]
    }

    /// Byte span of positions `first..end` of sentence `number`.
    pub fn span(&self, number: usize, first: usize, end: usize) -> (usize, usize) {
        let indices = &self.sentences[number].token_indices;
        (
            self.tokens[indices[first]].start,
            self.tokens[indices[end - 1]].end,
        )
    }
}

/// log10 P(words) given `history` (oldest first), by the chain rule on the reference's own
/// `logprob`: each word conditioned on the (up to) two words before it; the word before the
/// first of a one-word history has none.
pub fn chain_logprob(history: &[WordId], words: &[WordId]) -> f64 {
    let reference = reference();
    let mut context: Vec<WordId> = history.to_vec();
    let mut total = 0.0;
    for &word in words {
        let h1 = context.last().copied();
        let h2 = if context.len() >= 2 {
            Some(context[context.len() - 2])
        } else {
            None
        };
        total += reference.logprob(word, h1, h2);
        context.push(word);
    }
    total
}

/// Every proposal of `doc` (phrasebook, then thesaurus) on the real models, with a fresh cache.
pub fn proposals(doc: &Doc) -> Vec<Proposal> {
    let detector = detector();
    let models = detector.models();
    let sources = Sources {
        reference: reference(),
        lexicon: &models.lexicon,
        phrasebook: &models.phrasebook,
        config: detector.config(),
    };
    let mut cache = CandidateCache::default();
    sources.proposals(&doc.text, &doc.tokens, &doc.sentences, &[], &mut cache)
}

/// The bundled candidate tables, named as the package names them.
pub fn candidate_tables(corpus: &std::path::Path) -> Vec<(String, PathBuf)> {
    vec![("moby".to_owned(), corpus.join("thesaurus.table"))]
}
