//! Spintax leftovers (`{hardware}`, `{big|large}`): the groups a spinner forgot to resolve.
//!
//! Equivalent to the Python reference's `\{([^{}|\n]{1,80})((?:\|[^{}|\n]{0,80}){0,20})\}`
//! followed by its checks; written by hand because the group structure never needs to backtrack.

use crate::pystr::{self, regex_class, Class};

/// A `{a|b}` group left in the text: its byte span and the first alternative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpintaxMatch {
    /// Byte offset of the `{`.
    pub start: usize,
    /// Byte offset one past the `}`.
    pub end: usize,
    /// The first alternative, stripped: what the group restores to.
    pub choice: String,
}

/// Longest alternative, in characters.
const MAX_ALTERNATIVE: usize = 80;
/// Most alternatives after the first.
const MAX_MORE_ALTERNATIVES: usize = 20;

/// Spintax groups left in `text`; `{a|b}` restores to `a`, `{a}` to `a`.
///
/// A lone `{word}` is also how templates write placeholders (`"{message}"`), so it counts only
/// where it stands as a word in prose: whitespace before it, and whitespace or sentence
/// punctuation after it. Every alternative must look like words (not a dict or JSON literal).
pub fn spintax_matches(text: &str) -> Vec<SpintaxMatch> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text.get(from..).and_then(|rest| rest.find('{')) {
        let start = from + offset;
        match group_at(text, start) {
            Some((end, first, more)) => {
                if let Some(choice) = accepted(text, start, end, first, more) {
                    found.push(SpintaxMatch { start, end, choice });
                }
                from = end;
            }
            None => from = start + 1,
        }
    }
    found
}

/// The run of `[^{}|\n]` from `at` if it has at most `limit` characters: its end.
fn alternative_end(text: &str, at: usize, limit: usize) -> Option<usize> {
    let mut count = 0;
    for (offset, c) in text[at..].char_indices() {
        if matches!(c, '{' | '}' | '|' | '\n') {
            return Some(at + offset);
        }
        count += 1;
        if count > limit {
            return None;
        }
    }
    Some(text.len())
}

/// The group that starts with `{` at `start`: its end, the first alternative and the text of
/// the further alternatives (each with its leading `|`).
fn group_at(text: &str, start: usize) -> Option<(usize, &str, &str)> {
    let first_start = start + 1;
    let first_end = alternative_end(text, first_start, MAX_ALTERNATIVE)?;
    if first_end == first_start {
        return None;
    }
    let mut end = first_end;
    let mut more = 0;
    while text[end..].starts_with('|') {
        if more == MAX_MORE_ALTERNATIVES {
            return None;
        }
        end = alternative_end(text, end + 1, MAX_ALTERNATIVE)?;
        more += 1;
    }
    if !text[end..].starts_with('}') {
        return None;
    }
    Some((
        end + 1,
        &text[first_start..first_end],
        &text[first_end..end],
    ))
}

/// The choice of a syntactic group if it passes the checks of the reference.
fn accepted(text: &str, start: usize, end: usize, first: &str, more: &str) -> Option<String> {
    let choice = pystr::strip(first);
    if !choice.chars().any(pystr::is_alpha) {
        return None;
    }
    let mut alternatives = std::iter::once(choice).chain(more.split('|').skip(1).map(pystr::strip));
    if !alternatives.all(|alternative| alternative.is_empty() || looks_like_words(alternative)) {
        return None;
    }
    if more.is_empty() {
        let before = text[..start].chars().next_back().unwrap_or(' ');
        let after = text[end..].chars().next().unwrap_or(' ');
        let after_ok =
            pystr::is_space(after) || matches!(after, '.' | ',' | ';' | ':' | '!' | '?' | ')');
        if !pystr::is_space(before) || !after_ok {
            return None;
        }
    }
    Some(choice.to_string())
}

/// `[\p{L}\p{N}][\p{L}\p{N}\s'’&.,-]*` over the whole alternative.
fn looks_like_words(alternative: &str) -> bool {
    let mut chars = alternative.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| matches!(regex_class(c), Class::Letter | Class::Number));
    first_ok
        && chars.all(|c| {
            matches!(regex_class(c), Class::Letter | Class::Number | Class::Space)
                || matches!(c, '\'' | '\u{2019}' | '&' | '.' | ',' | '-')
        })
}
