//! Time the engine alone on text files: `cargo run --release --example throughput -- FILE...`
//! (a profiling aid; `scripts/benchmark.py` gives the project's figures). Reads the models from
//! the repository (`corpus/`, `src/spindetect/data/`) and the CMU LM from `SPINDETECT_CMU_LM`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use spindetect_engine::config::Config;
use spindetect_engine::load::{detector, RawEntry};
use spindetect_engine::tokenize::tokenize;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let lm = PathBuf::from(std::env::var("SPINDETECT_CMU_LM")?);
    let entries: Vec<RawEntry> = std::fs::read_to_string(root.join("corpus/phrasebook.tsv"))?
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            (cells.len() >= 3).then(|| {
                let note = cells.get(3).copied().unwrap_or("").to_owned();
                let (spun, original, mode) = (cells[0], cells[1], cells[2]);
                let source = "phrasebook".to_owned();
                (
                    spun.into(),
                    original.into(),
                    mode.into(),
                    note,
                    source,
                    None,
                )
            })
        })
        .collect();
    let started = Instant::now();
    let detector = detector(
        &lm,
        &[],
        &[("moby".to_owned(), root.join("corpus/thesaurus.table"))],
        &root.join("corpus/null_statistics.json"),
        &root.join("corpus/suspect_model.json"),
        &root.join("corpus/document_model.json"),
        entries,
        Config::default(),
    )?;
    eprintln!("models loaded in {:.3} s", started.elapsed().as_secs_f64());
    let texts: Vec<String> = std::env::args()
        .skip(1)
        .map(std::fs::read_to_string)
        .collect::<Result<_, _>>()?;
    let bytes: usize = texts.iter().map(String::len).sum();
    let started = Instant::now();
    let mut findings = 0;
    for text in &texts {
        findings += detector.examine(text, &tokenize(text))?.findings.len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} texts, {:.2} MB, {findings} findings, {seconds:.3} s, {:.3} MB/s",
        texts.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds
    );
    Ok(())
}
