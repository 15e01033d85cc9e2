//! Findings: accepted edits as spans of the text with the suggested original, a score, a source
//! and a reason a user can check; adjacent ones joined, a lone digit before one spelled out, and
//! an article that the suggestion makes wrong taken in.

use crate::accept::Edit;
use crate::candidates::Origin;
use crate::grammar::{article_for, digit_word, is_determiner, match_case, transfer_case};
use crate::phrasebook::Mode;
use crate::sentences::Sentence;
use crate::tokenize::{Kind, Token};

/// A phrase judged spun; `start`/`end` are byte offsets into the scanned text.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
    /// The suggested original, in the case pattern of the text.
    pub suggestion: String,
    /// Confidence in [0, 1].
    pub score: f64,
    /// What produced it (`thesaurus`, `phrasebook`, `spintax`, a list's name; joined with `+`).
    pub source: String,
    /// Why, in a sentence.
    pub reason: String,
    /// The next likeliest originals, best first, in the case pattern of the text.
    pub alternatives: Vec<String>,
    /// Whether restoring writes the suggestion back: false where the best original is not
    /// clearly ahead of the next (the phrase is still reported as spun).
    pub restore: bool,
}

/// The finding of an accepted edit; it is restored unless its runner-up original comes within
/// `restore_margin` (log10 of the statistic) of the chosen one.
pub fn finding_of(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    edit: &Edit,
    restore_margin: f64,
) -> Finding {
    let sentence = &sentences[edit.sentence];
    let first = &tokens[sentence.token_indices[edit.first]];
    let last = &tokens[sentence.token_indices[edit.end - 1]];
    let observed = &text[first.start..last.end];
    let entry = match &edit.option.origin {
        Origin::Entry(entry) => Some(entry.as_ref()),
        Origin::Thesaurus => None,
    };
    let original = match entry {
        Some(entry) => entry.original.clone(),
        None => edit.option.words.join(" "),
    };
    let suggestion = transfer_case(observed, &original);
    let lower = python_lower(observed);
    let (source, reason) = match entry {
        None if edit.consistent => (
            "thesaurus".to_owned(),
            format!(
                "this text swaps '{original}' for '{lower}' elsewhere, and '{original}' is {} \
                 more likely here under the reference",
                times(edit.gain)
            ),
        ),
        None => (
            "thesaurus".to_owned(),
            format!(
                "'{original}' is {} more likely here than '{lower}' under the reference, and \
                 this document has more such places than clean text",
                times(edit.gain)
            ),
        ),
        Some(entry) if entry.mode == Mode::Always => (
            entry.source.clone(),
            format!(
                "known spinner artefact ({})",
                if entry.note.is_empty() {
                    &entry.source
                } else {
                    &entry.note
                }
            ),
        ),
        Some(entry) => {
            let mut reason = format!(
                "phrasebook pair, '{original}' is {} more likely here",
                times(edit.gain)
            );
            if !entry.note.is_empty() {
                reason.push_str(&format!(" ({})", entry.note));
            }
            (entry.source.clone(), reason)
        }
    };
    let alternatives = edit
        .alternatives
        .iter()
        .map(|(words, _)| transfer_case(observed, &words.join(" ")))
        .collect();
    let restore = edit.restorable(restore_margin);
    Finding {
        start: first.start,
        end: last.end,
        suggestion,
        score: edit.score,
        source,
        reason,
        alternatives,
        restore,
    }
}

/// Python's `str.lower()` for the reason text (the tokenizer's rules).
fn python_lower(text: &str) -> String {
    crate::pystr::lower(text)
}

/// A likelihood ratio as the reasons write it: `1,234x` or `3.2x`.
pub fn times(gain: f64) -> String {
    let ratio = 10f64.powf(gain.clamp(-12.0, 12.0));
    if ratio >= 10.0 {
        let whole = format!("{ratio:.0}");
        let mut grouped = String::new();
        for (index, digit) in whole.chars().enumerate() {
            if index > 0 && (whole.len() - index) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        format!("{grouped}x")
    } else {
        format!("{ratio:.1}x")
    }
}

/// Index of the last token that ends at or before `offset`.
fn token_ending_before(tokens: &[Token], offset: usize) -> Option<usize> {
    let after = tokens.partition_point(|token| token.end <= offset);
    after.checked_sub(1)
}

/// Extend a finding over a preceding "a"/"an" that the suggestion makes wrong.
pub fn with_article(text: &str, tokens: &[Token], finding: Finding) -> Finding {
    let Some(index) = token_ending_before(tokens, finding.start) else {
        return finding;
    };
    let article = &tokens[index];
    if article.lower != "a" && article.lower != "an" {
        return finding;
    }
    if &text[article.end..finding.start] != " " {
        return finding;
    }
    let article_text = &text[article.start..article.end];
    let suggestion = after_article(article_text, &finding.suggestion);
    let alternatives: Vec<Option<String>> = finding
        .alternatives
        .iter()
        .map(|other| after_article(article_text, other))
        .collect();
    if suggestion.is_none() && alternatives.iter().all(Option::is_none) {
        return finding;
    }
    let kept = |replaced: Option<String>, phrase: &str| {
        replaced.unwrap_or_else(|| format!("{article_text} {phrase}"))
    };
    let alternatives = alternatives
        .into_iter()
        .zip(&finding.alternatives)
        .map(|(replaced, other)| kept(replaced, other))
        .collect();
    Finding {
        start: article.start,
        suggestion: kept(suggestion, &finding.suggestion),
        alternatives,
        ..finding
    }
}

/// What replaces "a"/"an" (`article_text`) and the phrase after it when the phrase becomes
/// `suggestion`: the suggestion alone when it starts with a determiner of its own, else the
/// suggestion behind the article it needs; None when the article as written fits.
fn after_article(article_text: &str, suggestion: &str) -> Option<String> {
    let first_word = suggestion.split(' ').next().unwrap_or("");
    if is_determiner(&python_lower(first_word)) {
        return Some(match_case(article_text, suggestion));
    }
    let new_article = match_case(article_text, article_for(first_word));
    (new_article != article_text).then(|| format!("{new_article} {suggestion}"))
}

/// Join findings separated by one space that are restored alike, and spell out a lone digit
/// that leads one.
pub fn merge_adjacent(text: &str, tokens: &[Token], findings: Vec<Finding>) -> Vec<Finding> {
    let mut merged: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings {
        match merged.last_mut() {
            Some(last)
                if text.get(last.end..finding.start) == Some(" ")
                    && last.restore == finding.restore =>
            {
                *last = join(text, last, &finding);
            }
            _ => merged.push(finding),
        }
    }
    merged
        .into_iter()
        .map(|finding| {
            let Some(index) = token_ending_before(tokens, finding.start) else {
                return finding;
            };
            let digit = &tokens[index];
            let spelled = match digit_word(&text[digit.start..digit.end]) {
                Some(word) if digit.kind == Kind::Number => word,
                _ => return finding,
            };
            let lone = index == 0 || tokens[index - 1].kind != Kind::Number;
            if text.get(digit.end..finding.start) != Some(" ") || !lone {
                return finding;
            }
            let spelled = Finding {
                start: digit.start,
                end: digit.end,
                suggestion: spelled.to_owned(),
                score: finding.score,
                source: finding.source.clone(),
                reason: "digit written for a number word".to_owned(),
                alternatives: Vec::new(),
                restore: finding.restore,
            };
            join(text, &spelled, &finding)
        })
        .collect()
}

fn join(text: &str, left: &Finding, right: &Finding) -> Finding {
    let mut sources: Vec<&str> = Vec::new();
    for part in left.source.split('+').chain(right.source.split('+')) {
        if !sources.contains(&part) {
            sources.push(part);
        }
    }
    let mut reasons: Vec<&str> = Vec::new();
    for part in [left.reason.as_str(), right.reason.as_str()] {
        if !part.is_empty() && !reasons.contains(&part) {
            reasons.push(part);
        }
    }
    let between = &text[left.end..right.start];
    let lefts = left
        .alternatives
        .iter()
        .map(|other| Some(format!("{other}{between}{}", right.suggestion)));
    let rights = right
        .alternatives
        .iter()
        .map(|other| Some(format!("{}{between}{other}", left.suggestion)));
    // Rank by rank: each part's runner-up before either part's third choice.
    let alternatives = lefts
        .chain(std::iter::repeat(None))
        .zip(rights.chain(std::iter::repeat(None)))
        .take(left.alternatives.len().max(right.alternatives.len()))
        .flat_map(|(a, b)| [a, b])
        .flatten()
        .collect();
    Finding {
        start: left.start,
        end: right.end,
        suggestion: format!("{}{between}{}", left.suggestion, right.suggestion),
        score: left.score.min(right.score),
        source: sources.join("+"),
        reason: reasons.join("; "),
        alternatives,
        restore: left.restore && right.restore,
    }
}
