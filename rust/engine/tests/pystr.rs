//! Python `str` semantics, checked for every code point against Python 3.11 and the `regex`
//! module (`tests/data/make_unicode.py`).

mod tok_common;

use std::collections::HashMap;

use serde_json::Value;
use spindetect_engine::pystr::{self, regex_class, Class};
use tok_common::golden_text;

/// A character predicate under test.
type Predicate = fn(char) -> bool;

fn all_chars() -> impl Iterator<Item = char> {
    (0..0x11_0000u32).filter_map(char::from_u32)
}

fn in_ranges(golden: &Value, name: &str) -> Vec<bool> {
    let mut set = vec![false; 0x11_0000];
    for range in golden[name].as_array().unwrap() {
        let (low, high) = (
            range[0].as_u64().unwrap() as usize,
            range[1].as_u64().unwrap() as usize,
        );
        set[low..=high].iter_mut().for_each(|slot| *slot = true);
    }
    set
}

#[test]
fn predicates_and_classes_agree_with_python_for_every_code_point() {
    let golden: Value = serde_json::from_str(&golden_text("unicode.json.gz")).unwrap();
    let checks: [(&str, Predicate); 11] = [
        ("isspace", pystr::is_space),
        ("isalpha", pystr::is_alpha),
        ("isupper", pystr::is_upper),
        ("isdecimal", pystr::is_decimal),
        ("isdigit", pystr::is_digit),
        ("isalnum", pystr::is_alnum),
        ("isprintable", pystr::is_printable),
        ("regex_L", |c| regex_class(c) == Class::Letter),
        ("regex_N", |c| regex_class(c) == Class::Number),
        ("regex_M", |c| regex_class(c) == Class::Mark),
        ("regex_s", |c| regex_class(c) == Class::Space),
    ];
    for (name, predicate) in checks {
        let expected = in_ranges(&golden, name);
        let wrong: Vec<String> = all_chars()
            .filter(|&c| predicate(c) != expected[c as usize])
            .take(10)
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        assert!(wrong.is_empty(), "{name} differs at {wrong:?}");
    }
}

#[test]
fn case_mappings_and_digit_values_agree_with_python() {
    let golden: Value = serde_json::from_str(&golden_text("unicode.json.gz")).unwrap();
    for (name, map) in [
        ("lower", pystr::lower as fn(&str) -> String),
        ("upper", pystr::upper),
    ] {
        let expected: HashMap<u32, &str> = golden[name]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| (row[0].as_u64().unwrap() as u32, row[1].as_str().unwrap()))
            .collect();
        for c in all_chars() {
            let single = c.to_string();
            let want = expected.get(&(c as u32)).copied().unwrap_or(&single);
            assert_eq!(map(&single), want, "{name} of U+{:04X}", c as u32);
        }
    }
    for row in golden["decimal"].as_array().unwrap() {
        let c = char::from_u32(row[0].as_u64().unwrap() as u32).unwrap();
        assert_eq!(
            pystr::decimal_value(c),
            Some(row[1].as_u64().unwrap() as u32),
            "U+{:04X}",
            c as u32
        );
    }
}

#[test]
fn lower_handles_final_sigma_in_context() {
    assert_eq!(
        pystr::lower("\u{39f}\u{394}\u{39f}\u{3a3}"),
        "\u{3bf}\u{3b4}\u{3bf}\u{3c2}"
    );
    assert_eq!(pystr::lower("\u{3a3}"), "\u{3c3}");
    assert_eq!(pystr::lower("A\u{3a3}B"), "a\u{3c3}b");
    assert_eq!(pystr::lower("\u{130}"), "i\u{307}");
    assert_eq!(pystr::upper("stra\u{df}e"), "STRASSE");
    assert_eq!(pystr::repr("it's"), "\"it's\"");
    assert_eq!(pystr::repr("a\tb\u{a0}\\"), "'a\\tb\\xa0\\\\'");
}
