//! Python's `str` semantics where the engine must agree with the Python reference character for
//! character: case mapping (`str.lower`, `str.upper`), the character predicates (`isspace`,
//! `isalpha`, `isupper`, `isdigit`, `isalnum`, `isprintable`), `repr`, and the `\p{L}`, `\p{N}`,
//! `\p{M}`, `\s` classes of the `regex` module the tokenizer was written with.
//!
//! Rust's own methods differ in a few places (`char::is_alphabetic` is broader than `isalpha`,
//! `\x1c`..`\x1f` are Python whitespace, newer Unicode versions): the functions here do not.

mod repr;
mod tables;

pub use repr::repr;

use unicode_general_category::{get_general_category, GeneralCategory as Category};

/// The class of a character in the tokenizer's regular expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// `\p{L}`: a letter.
    Letter,
    /// `\p{N}`: a number.
    Number,
    /// `\p{M}`: a combining mark.
    Mark,
    /// `\s`: white space.
    Space,
    /// Anything else.
    Other,
}

fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let code = u32::from(c);
    ranges
        .binary_search_by(|&(low, high)| {
            if high < code {
                std::cmp::Ordering::Less
            } else if low > code {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// True for characters that Python's `str` methods (Unicode 14.0) treat as unassigned.
fn newer_than_python(c: char) -> bool {
    !c.is_ascii() && in_ranges(tables::NEWER_THAN_PYTHON, c)
}

/// The `regex` module's class of `c` (Unicode 17.0 general categories).
pub fn regex_class(c: char) -> Class {
    if c.is_ascii() {
        return if c.is_ascii_alphabetic() {
            Class::Letter
        } else if c.is_ascii_digit() {
            Class::Number
        } else if matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r') {
            Class::Space
        } else {
            Class::Other
        };
    }
    match get_general_category(c) {
        Category::UppercaseLetter
        | Category::LowercaseLetter
        | Category::TitlecaseLetter
        | Category::ModifierLetter
        | Category::OtherLetter => Class::Letter,
        Category::DecimalNumber | Category::LetterNumber | Category::OtherNumber => Class::Number,
        Category::NonspacingMark | Category::SpacingMark | Category::EnclosingMark => Class::Mark,
        Category::Unassigned => extra_class(c),
        _ if c.is_whitespace() => Class::Space,
        _ => Class::Other,
    }
}

fn extra_class(c: char) -> Class {
    let code = u32::from(c);
    let table = tables::REGEX_CLASS_EXTRA;
    let index = table.partition_point(|&(_, high, _)| high < code);
    match table.get(index) {
        Some(&(low, _, class)) if low <= code => class,
        _ => Class::Other,
    }
}

/// Python's `str.isspace` for one character (includes `\x1c`..`\x1f`).
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Python's `str.isalpha` for one character (general category L*).
pub fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    regex_class(c) == Class::Letter && !newer_than_python(c)
}

/// Python's `str.isupper` for one character (the Uppercase property).
pub fn is_upper(c: char) -> bool {
    c.is_uppercase() && !newer_than_python(c)
}

/// Python's `str.isdecimal` for one character (general category Nd).
pub fn is_decimal(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    get_general_category(c) == Category::DecimalNumber && !newer_than_python(c)
}

/// Python's `str.isdigit` for one character (decimal digits, superscripts, circled digits...).
pub fn is_digit(c: char) -> bool {
    is_decimal(c) || (!c.is_ascii() && in_ranges(tables::NON_DECIMAL_DIGITS, c))
}

/// Python's `str.isalnum` for one character.
pub fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    matches!(regex_class(c), Class::Letter | Class::Number) && !newer_than_python(c)
}

/// Python's `str.isprintable` for one character.
pub fn is_printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    !newer_than_python(c)
        && !matches!(
            get_general_category(c),
            Category::Control
                | Category::Format
                | Category::Surrogate
                | Category::PrivateUse
                | Category::Unassigned
                | Category::LineSeparator
                | Category::ParagraphSeparator
                | Category::SpaceSeparator
        )
}

/// The value of a decimal digit as Python's `int()` reads it (`'٣'` is 3), `None` otherwise.
pub fn decimal_value(c: char) -> Option<u32> {
    if !is_decimal(c) {
        return None;
    }
    // Unicode encodes every set of decimal digits as a contiguous run 0..9, runs back to back:
    // the value is the distance from the start of the run of Nd characters, modulo 10.
    let mut code = u32::from(c);
    let mut distance = 0;
    while let Some(before) = code.checked_sub(1).and_then(char::from_u32) {
        if !is_decimal(before) {
            break;
        }
        code -= 1;
        distance += 1;
    }
    Some(distance % 10)
}

/// True where Python maps `c` differently from Rust: characters Python does not know, and
/// characters whose Rust mapping leads to one (`'ƛ'.upper()` is `'ƛ'` in Python 3.11).
fn case_frozen(c: char, mapping: impl Iterator<Item = char>) -> bool {
    newer_than_python(c) || mapping.into_iter().any(newer_than_python)
}

/// Python's `str.lower` (full case mapping, final sigma, `'İ'` -> `"i̇"`).
pub fn lower(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut lowered = String::with_capacity(text.len());
    let mut segment_start = 0;
    for (index, c) in text.char_indices() {
        if !c.is_ascii() && case_frozen(c, c.to_lowercase()) {
            // Python sees an unassigned character: no mapping, and it ends a final-sigma context.
            lowered.push_str(&text[segment_start..index].to_lowercase());
            lowered.push(c);
            segment_start = index + c.len_utf8();
        }
    }
    lowered.push_str(&text[segment_start..].to_lowercase());
    lowered
}

/// Python's `str.upper` (full case mapping: `'ß'` -> `"SS"`).
pub fn upper(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_uppercase();
    }
    let mut uppered = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            uppered.push(c.to_ascii_uppercase());
        } else if case_frozen(c, c.to_uppercase()) {
            uppered.push(c);
        } else {
            uppered.extend(c.to_uppercase());
        }
    }
    uppered
}

/// Python's `str.split()` without arguments: runs of non-whitespace.
pub fn split_whitespace(text: &str) -> impl Iterator<Item = &str> {
    text.split(is_space).filter(|part| !part.is_empty())
}

/// Python's `str.strip()` without arguments.
pub fn strip(text: &str) -> &str {
    text.trim_matches(is_space)
}

/// The text up to the end of its first character (Python's `text[:1]`).
pub fn first_char(text: &str) -> &str {
    text.chars().next().map_or("", |c| &text[..c.len_utf8()])
}
