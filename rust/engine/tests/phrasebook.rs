//! Parity of phrasebook matching, fingerprint queries and spintax with the Python reference,
//! on the bundled phrasebook, real texts and golden queries (`tests/data/make_phrasebook.py`).

mod tok_common;

use serde_json::{json, Value};
use spindetect_engine::phrasebook::{
    parse_query, spintax_matches, DocumentIndex, Entry, Mode, Phrasebook,
};
use spindetect_engine::tokenize::tokenize;
use spindetect_engine::Error;
use tok_common::{char_offsets, corpus_texts, golden_text};

struct Golden {
    data: Value,
    texts: Vec<(String, String)>,
}

fn golden() -> Golden {
    let data: Value = serde_json::from_str(&golden_text("phrasebook.json.gz")).expect("json");
    let covered: Vec<&str> = data["names"]
        .as_array()
        .expect("names")
        .iter()
        .map(|name| name.as_str().unwrap())
        .collect();
    let mut texts: Vec<(String, String)> = corpus_texts()
        .into_iter()
        .filter(|(name, _)| covered.contains(&name.as_str()))
        .collect();
    assert_eq!(
        texts.len(),
        covered.len(),
        "corpus texts of the golden file are missing"
    );
    let extra = data["texts"].as_object().expect("texts");
    texts.extend(
        extra
            .iter()
            .map(|(name, text)| (name.clone(), text.as_str().unwrap().to_string())),
    );
    Golden { data, texts }
}

fn bundled_entries(data: &Value) -> Vec<Entry> {
    data["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|row| Entry {
            spun: row[0].as_str().unwrap().to_string(),
            original: row[1].as_str().unwrap().to_string(),
            mode: if row[2] == "always" {
                Mode::Always
            } else {
                Mode::Context
            },
            note: row[3].as_str().unwrap().to_string(),
            source: row[4].as_str().unwrap().to_string(),
            query: None,
        })
        .collect()
}

fn query_entries(data: &Value) -> Vec<Entry> {
    data["query_entries"]
        .as_array()
        .expect("query entries")
        .iter()
        .map(|row| {
            let query = parse_query(row[0].as_str().unwrap()).expect("valid query");
            Entry {
                spun: query.to_string(),
                original: row[1].as_str().unwrap().to_string(),
                mode: Mode::Always,
                note: "n".to_string(),
                source: "pps".to_string(),
                query: Some(query),
            }
        })
        .collect()
}

fn expected<'a>(data: &'a Value, key: &str, name: &str) -> &'a [Value] {
    data[key][name].as_array().map_or(&[], Vec::as_slice)
}

#[test]
fn bundled_phrasebook_matches_as_in_python() {
    let golden = golden();
    let phrasebook = Phrasebook::new(bundled_entries(&golden.data));
    let mut matched = 0;
    for (name, text) in &golden.texts {
        let tokens = tokenize(text);
        let got: Vec<Value> = phrasebook
            .matches(&tokens)
            .iter()
            .map(|m| json!([m.first, m.last, m.entry]))
            .collect();
        assert_eq!(got, expected(&golden.data, "plain", name), "{name}");
        matched += got.len();
    }
    assert!(matched > 100, "only {matched} matches");
}

#[test]
fn query_entries_before_the_bundled_ones_match_as_in_python() {
    let golden = golden();
    let mut entries = query_entries(&golden.data);
    let user_count = entries.len();
    entries.extend(bundled_entries(&golden.data));
    let phrasebook = Phrasebook::new(entries);
    let (mut flagged, mut rewritten) = (0, 0);
    for (name, text) in &golden.texts {
        let tokens = tokenize(text);
        let found = phrasebook.matches(&tokens);
        let want = expected(&golden.data, "merged", name);
        assert_eq!(found.len(), want.len(), "{name}");
        for (m, row) in found.iter().zip(want) {
            let entry = phrasebook.matched_entry(text, &tokens, m).expect("entry");
            assert_eq!(
                (m.first, m.last),
                (
                    row[0].as_u64().unwrap() as usize,
                    row[1].as_u64().unwrap() as usize
                ),
                "{name}"
            );
            if row[2].as_i64() == Some(-1) {
                assert!(m.flag_only && m.entry < user_count, "{name}");
                flagged += 1;
            } else {
                assert_eq!(m.entry as i64, row[2].as_i64().unwrap(), "{name}");
                assert!(!m.flag_only);
                rewritten += 1;
            }
            assert_eq!(
                (entry.original.as_str(), entry.note.as_str()),
                (row[3].as_str().unwrap(), row[4].as_str().unwrap()),
                "{name}"
            );
        }
    }
    assert!(
        flagged > 50 && rewritten > 50,
        "flagged {flagged}, rewritten {rewritten}"
    );
}

#[test]
fn query_hits_are_those_of_python() {
    let golden = golden();
    let entries = query_entries(&golden.data);
    let mut inexact = 0;
    for (name, text) in &golden.texts {
        let tokens = tokenize(text);
        let document = DocumentIndex::new(&tokens);
        let mut got = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            for hit in document.hits(entry.query.as_ref().unwrap()) {
                inexact += usize::from(!hit.exact);
                got.push(json!([index, hit.first, hit.last, hit.exact]));
            }
        }
        assert_eq!(got, expected(&golden.data, "hits", name), "{name}");
    }
    assert!(inexact > 20, "only {inexact} sloppy hits");
}

#[test]
fn queries_parse_print_and_fail_as_in_python() {
    let golden = golden();
    for case in golden.data["queries"].as_array().unwrap() {
        let text = case["text"].as_str().unwrap();
        match (parse_query(text), case["canonical"].as_str()) {
            (Ok(query), Some(canonical)) => {
                assert_eq!(query.to_string(), canonical, "{text:?}");
                // The canonical form parses to the same query.
                assert_eq!(parse_query(canonical).unwrap(), query, "{text:?}");
            }
            (Err(Error::Phrasebook(message)), None) => {
                assert_eq!(message, case["error"].as_str().unwrap(), "{text:?}")
            }
            (got, _) => panic!("{text:?}: got {got:?}, python {case}"),
        }
    }
}

#[test]
fn fingerprint_semantics_of_the_python_tests() {
    let flagged = |fingerprint: &str, text: &str, expected: &str| -> Vec<(String, String)> {
        let query = parse_query(fingerprint).unwrap();
        let entry = Entry {
            spun: query.to_string(),
            original: expected.to_string(),
            mode: Mode::Always,
            note: "test".to_string(),
            source: "pps".to_string(),
            query: Some(query),
        };
        let phrasebook = Phrasebook::new(vec![entry]);
        let tokens = tokenize(text);
        phrasebook
            .matches(&tokens)
            .iter()
            .map(|m| {
                let entry = phrasebook.matched_entry(text, &tokens, m).unwrap();
                (
                    text[tokens[m.first].start..tokens[m.last].end].to_string(),
                    entry.original,
                )
            })
            .collect()
    };
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    let text = "We train a Profound Learning model; profound learning is popular.";
    for fingerprint in ["\"profound learning\"", "profound learning"] {
        assert_eq!(
            flagged(fingerprint, text, "deep learning"),
            [
                pair("Profound Learning", "deep learning"),
                pair("profound learning", "deep learning")
            ]
        );
    }
    assert!(flagged(
        "\"profound learning\"",
        "a profound, learning experience",
        "x"
    )
    .is_empty());
    let and = "\"neural organization\" AND \"neural network\"";
    let text = "A neural network, also called a neural organization here, was trained.";
    assert_eq!(
        flagged(and, text, "neural network"),
        [pair("neural organization", "neural network")]
    );
    assert!(flagged(and, "A neural network was trained.", "x").is_empty());
    let not = "\"surface highlights\" NOT specular";
    let text = "Specular reflection produces surface highlights on glossy objects.";
    assert!(flagged(not, text, "x").is_empty());
    assert!(flagged("\"surface highlights\" AND NOT specular", text, "x").is_empty());
    let near = "The exactness of the accuracy figures was checked.";
    assert_eq!(
        flagged("\"exactness accuracy\"~3", near, "accuracy"),
        [pair(
            "exactness of the accuracy",
            "exactness of the accuracy"
        )]
    );
    assert!(flagged("\"exactness accuracy\"~1", "accuracy exactness", "x").is_empty());
    assert_eq!(
        flagged("\"exactness accuracy\"~2", "accuracy exactness", "a"),
        [pair("accuracy exactness", "accuracy exactness")]
    );
    let or = "(\"profound learning\" OR \"profound neural organization\") AND training";
    let text = "A profound neural organization needs training, like any profound learning model.";
    let spans: Vec<String> = flagged(or, text, "x")
        .into_iter()
        .map(|(span, _)| span)
        .collect();
    assert_eq!(spans, ["profound neural organization", "profound learning"]);
    for fingerprint in [
        "\"a b\" AND \"c\"",
        "\"a b\" NOT \"c\" NOT \"d\"",
        "(\"a\" OR \"b\") AND \"c\"",
        "\"a\" OR (\"b\" AND \"c\")",
        "\"x y\"~4",
    ] {
        assert_eq!(parse_query(fingerprint).unwrap().to_string(), fingerprint);
    }
}

#[test]
fn spintax_groups_are_those_of_python() {
    let golden = golden();
    let mut found = 0;
    for (name, text) in &golden.texts {
        let chars = char_offsets(text);
        let got: Vec<Value> = spintax_matches(text)
            .into_iter()
            .map(|m| json!([chars[m.start], chars[m.end], m.choice]))
            .collect();
        assert_eq!(got, expected(&golden.data, "spintax", name), "{name}");
        found += got.len();
    }
    assert!(found >= 5, "only {found} spintax groups");
}

#[test]
fn deep_or_long_queries_are_errors_not_crashes() {
    let deep = format!("{}\"a\"{}", "(".repeat(5000), ")".repeat(5000));
    assert!(matches!(parse_query(&deep), Err(Error::Phrasebook(_))));
    let long = vec!["\"a\""; 3000].join(" AND ");
    assert!(matches!(parse_query(&long), Err(Error::Phrasebook(_))));
    let fine = vec!["\"a\""; 200].join(" AND ");
    assert!(parse_query(&fine).is_ok());
}
