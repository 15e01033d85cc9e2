//! Parity of the grammar helpers with the Python reference (`spindetect.grammar`), on words and
//! phrases of the corpus and adversarial strings (`tests/data/make_grammar.py`).

mod tok_common;

use spindetect_engine::grammar::{
    article_for, digit_word, is_determiner, match_case, transfer_case,
};
use tok_common::golden_lines;

#[test]
fn helpers_give_the_python_results() {
    let mut counts = [0usize; 3];
    for record in golden_lines("grammar.jsonl.gz") {
        let args: Vec<&str> = record["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        let expected = record["out"].as_str().unwrap();
        let (slot, got) = match record["fn"].as_str().unwrap() {
            "article_for" => (0, article_for(args[0]).to_string()),
            "match_case" => (1, match_case(args[0], args[1])),
            "transfer_case" => (2, transfer_case(args[0], args[1])),
            other => panic!("unknown function {other}"),
        };
        assert_eq!(got, expected, "{}{:?}", record["fn"], args);
        counts[slot] += 1;
    }
    assert!(counts.iter().all(|&count| count >= 500), "{counts:?}");
}

#[test]
fn determiners_and_digit_words() {
    for word in ["another", "the", "a", "an", "their", "every", "no"] {
        assert!(is_determiner(word), "{word}");
    }
    for word in ["The", "additional", "", "none"] {
        assert!(!is_determiner(word), "{word}");
    }
    assert_eq!(digit_word("1"), Some("one"));
    assert_eq!(digit_word("9"), Some("nine"));
    assert_eq!(digit_word("0"), None);
    assert_eq!(digit_word("10"), None);
    assert_eq!(article_for("hour"), "an");
    assert_eq!(article_for("university"), "a");
    assert_eq!(transfer_case("Chilly Warfare", "cold war"), "Cold War");
    assert_eq!(transfer_case("PROTECTION", "defense"), "DEFENSE");
}
