//! Parity of the reversed thesaurus with the Python reference (golden data from
//! `tests/data/make_thesaurus.py`: every form and prefix of the dev and science eval texts and
//! a sample of all forms), through the TSV parser and through the binary table; damaged tables
//! are refused or read without panicking.

mod models_support;

use std::path::PathBuf;
use std::time::Instant;

use models_support::{data_file, golden};
use spindetect_engine::thesaurus::Thesaurus;
use spindetect_engine::Error;

fn scratch(name: &str) -> PathBuf {
    let folder =
        std::env::temp_dir().join(format!("spindetect-thesaurus-test-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("temp folder");
    folder.join(name)
}

fn check_against_python(thesaurus: &Thesaurus, how: &str) {
    let records = golden("thesaurus.jsonl.gz");
    let header = &records[0];
    assert_eq!(
        thesaurus.max_words() as u64,
        header["max_words"].as_u64().expect("max")
    );
    assert_eq!(
        thesaurus.len() as u64,
        header["forms"].as_u64().expect("forms")
    );
    let mut found = 0;
    for record in &records[1..] {
        let phrase = record["phrase"].as_str().expect("phrase");
        assert_eq!(
            thesaurus.contains(phrase),
            record["contains"] == true,
            "{how}: contains {phrase:?}"
        );
        assert_eq!(
            thesaurus.is_prefix(phrase),
            record["is_prefix"] == true,
            "{how}: prefix {phrase:?}"
        );
        let want = record["candidates"].as_array().expect("candidates");
        let got: Vec<_> = thesaurus.candidates(phrase).collect();
        assert_eq!(got.len(), want.len(), "{how}: candidates of {phrase:?}");
        for (candidate, pair) in got.iter().zip(want) {
            assert_eq!(
                candidate.phrase,
                pair[0].as_str().expect("words"),
                "{how}: {phrase:?}"
            );
            assert_eq!(
                candidate.closeness,
                pair[1].as_f64().expect("closeness"),
                "{how}: {phrase:?}"
            );
        }
        let owned = thesaurus.candidates_owned(phrase);
        for ((words, closeness), candidate) in owned.iter().zip(&got) {
            assert_eq!(words.join(" "), candidate.phrase);
            assert_eq!(*closeness, candidate.closeness);
        }
        found += usize::from(!got.is_empty());
    }
    assert!(found > 3000, "{how}: only {found} phrases with candidates");
}

#[test]
fn thesaurus_matches_python_parsed_and_from_table() {
    let start = Instant::now();
    let parsed = Thesaurus::from_tsv_gz(&data_file("thesaurus_reverse.tsv.gz")).expect("parse");
    let parse_time = start.elapsed();
    check_against_python(&parsed, "parsed");
    let path = scratch("thesaurus.bin");
    let start = Instant::now();
    parsed.write_table(&path).expect("write");
    let write_time = start.elapsed();
    let start = Instant::now();
    let opened = Thesaurus::open_table(&path).expect("open");
    let open_time = start.elapsed();
    check_against_python(&opened, "table");
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("parse tsv.gz {parse_time:?}, write table {write_time:?} ({size} bytes), open table {open_time:?}");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn damaged_tables_are_refused_or_read_safely() {
    let source = Thesaurus::from_tsv_gz(&data_file("thesaurus_reverse.tsv.gz")).expect("parse");
    let path = scratch("damaged.bin");
    source.write_table(&path).expect("write");
    let bytes = std::fs::read(&path).expect("read");
    let probes = ["in the", "in the past", "thoroughly", "a belief", "zz top"];
    let mut refused = 0;
    let mut cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        bytes[..7].to_vec(),
        bytes[..bytes.len() - 1].to_vec(),
    ];
    cases.push([bytes.as_slice(), b"x"].concat());
    for position in (0..bytes.len())
        .step_by(bytes.len() / 23)
        .chain((8..48).step_by(4))
    {
        for flip in [0x01u8, 0xff] {
            let mut damaged = bytes.clone();
            damaged[position] ^= flip;
            cases.push(damaged);
        }
    }
    let total = cases.len();
    for damaged in cases {
        std::fs::write(&path, &damaged).expect("write damaged");
        match Thesaurus::open_table(&path) {
            Err(Error::Model(message)) => {
                assert!(message.contains("damaged.bin"), "{message}");
                refused += 1;
            }
            Err(other) => panic!("unexpected error {other:?}"),
            Ok(thesaurus) => {
                for probe in probes {
                    let _ = thesaurus.contains(probe);
                    let _ = thesaurus.is_prefix(probe);
                    let _ = thesaurus.candidates_owned(probe);
                }
            }
        }
    }
    assert!(
        refused > total / 3,
        "only {refused} of {total} damaged tables refused"
    );
    let _ = std::fs::remove_file(&path);
    assert!(matches!(Thesaurus::open_table(&path), Err(Error::Io(_))));
    assert!(matches!(
        Thesaurus::from_tsv_gz(&path),
        Err(Error::Model(_))
    ));
}

#[test]
fn tsv_edge_cases_follow_python() {
    use std::io::Write;
    let path = scratch("small.tsv.gz");
    // Universal newlines, a repeated form (last wins), an odd trailing cell, a form without
    // candidates, a line without a tab (ignored).
    let text =
        "b c d\tx y\t0.25\tz\t1\r\na\tq\t0.5\rno tab line\nb c d\tw\t0.125\tdangling\ne f\t\n";
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(text.as_bytes()).expect("gzip");
    std::fs::write(&path, encoder.finish().expect("gzip")).expect("write");
    let thesaurus = Thesaurus::from_tsv_gz(&path).expect("parse");
    assert_eq!(thesaurus.len(), 3);
    assert_eq!(thesaurus.max_words(), 3);
    assert_eq!(
        thesaurus.candidates_owned("b c d"),
        vec![(vec!["w".to_string()], 0.125)]
    );
    assert_eq!(
        thesaurus.candidates_owned("a"),
        vec![(vec!["q".to_string()], 0.5)]
    );
    assert!(thesaurus.contains("e f") && thesaurus.candidates("e f").len() == 0);
    assert!(thesaurus.is_prefix("b") && thesaurus.is_prefix("b c") && thesaurus.is_prefix("e"));
    assert!(!thesaurus.is_prefix("b c d") && !thesaurus.contains("no tab line"));
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(b"a\tb\tnot-a-number\n").expect("gzip");
    std::fs::write(&path, encoder.finish().expect("gzip")).expect("write");
    assert!(matches!(
        Thesaurus::from_tsv_gz(&path),
        Err(Error::Model(_))
    ));
    std::fs::write(&path, b"plain text, not gzip").expect("write");
    assert!(matches!(
        Thesaurus::from_tsv_gz(&path),
        Err(Error::Model(_))
    ));
    let _ = std::fs::remove_file(&path);
}
