//! Small surface-grammar helpers for restored text: case patterns, a/an, spelled-out digits.
//!
//! Case tests and mappings follow Python's `str` methods (see [`crate::pystr`]), as the
//! Python reference does.

use crate::pystr;

/// Words that start with a vowel letter but take "a".
const VOWEL_LETTER_CONSONANT_SOUND: [&str; 10] = [
    "one", "once", "uni", "use", "usu", "uti", "eu", "ewe", "ure", "ura",
];
/// Silent-h words that take "an".
const SILENT_H: [&str; 5] = ["hour", "honest", "honor", "honour", "heir"];
/// Determiners that replace an article rather than follow one ("an additional" -> "another").
const DETERMINERS: [&str; 20] = [
    "another", "the", "a", "an", "this", "that", "these", "those", "my", "your", "his", "her",
    "its", "our", "their", "some", "any", "each", "every", "no",
];
/// Digits 1-9 and their spelled-out words.
const DIGIT_WORDS: [(&str, &str); 9] = [
    ("1", "one"),
    ("2", "two"),
    ("3", "three"),
    ("4", "four"),
    ("5", "five"),
    ("6", "six"),
    ("7", "seven"),
    ("8", "eight"),
    ("9", "nine"),
];

/// True if `word` (a lookup key, lower case) is a determiner that replaces an article.
pub fn is_determiner(word: &str) -> bool {
    DETERMINERS.contains(&word)
}

/// The spelled-out word of a single digit "1".."9", if `digit` is one.
pub fn digit_word(digit: &str) -> Option<&'static str> {
    DIGIT_WORDS
        .iter()
        .find(|(number, _)| *number == digit)
        .map(|&(_, word)| word)
}

/// `"a"` or `"an"` for the word that follows the article.
pub fn article_for(word: &str) -> &'static str {
    let lower = pystr::lower(word);
    if SILENT_H.iter().any(|prefix| lower.starts_with(prefix)) {
        return "an";
    }
    // Python's `lower[:1] in "aeiou"` also holds for the empty word.
    let starts_with_vowel = lower
        .chars()
        .next()
        .is_none_or(|c| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u'));
    if starts_with_vowel
        && !VOWEL_LETTER_CONSONANT_SOUND
            .iter()
            .any(|prefix| lower.starts_with(prefix))
    {
        return "an";
    }
    "a"
}

/// True if `text` has more than one letter and all its letters are upper case.
fn all_caps(text: &str) -> bool {
    let mut count = 0;
    for c in text.chars().filter(|&c| pystr::is_alpha(c)) {
        if !pystr::is_upper(c) {
            return false;
        }
        count += 1;
    }
    count > 1
}

/// True if the first character of `text` is upper case (Python's `text[:1].isupper()`).
fn starts_upper(text: &str) -> bool {
    text.chars().next().is_some_and(pystr::is_upper)
}

/// `word` with its first character upper-cased (Python's `word[:1].upper() + word[1:]`).
fn capitalize_first(word: &str) -> String {
    let first = pystr::first_char(word);
    let mut written = pystr::upper(first);
    written.push_str(&word[first.len()..]);
    written
}

/// `word` written in the case pattern of `pattern` (UPPER, Title or as it is).
pub fn match_case(pattern: &str, word: &str) -> String {
    if all_caps(pattern) {
        return pystr::upper(word);
    }
    if starts_upper(pattern) {
        return capitalize_first(word);
    }
    word.to_string()
}

/// Give `replacement` the case pattern of `observed`.
///
/// "Chilly Warfare" -> "Cold War"; "PROTECTION" -> "DEFENSE"; "Protection chief" ->
/// "Defense chief"; words the replacement already capitalises ("Chinese") stay capitalised.
pub fn transfer_case(observed: &str, replacement: &str) -> String {
    if all_caps(observed) {
        return pystr::upper(replacement);
    }
    let several_words = pystr::split_whitespace(observed).nth(1).is_some();
    if several_words && pystr::split_whitespace(observed).all(starts_upper) {
        let words: Vec<String> = replacement.split(' ').map(capitalize_first).collect();
        return words.join(" ");
    }
    if starts_upper(observed) {
        return capitalize_first(replacement);
    }
    replacement.to_string()
}
