//! Tokenizer with byte offsets into the original string.
//!
//! A hand-written scanner equivalent to the regular expression of the Python reference
//! (`spindetect.tokens`): at each position the alternatives are tried in order (URL, e-mail,
//! abbreviation, number, word, hyphen, newline, break, other) and the first that matches makes a
//! token; whitespace other than newlines is skipped. A word's trailing apostrophe becomes a token
//! of its own. `lower` is the lookup key: Python's `str.lower`, typographic apostrophes straight.

use crate::pystr::{self, regex_class, Class};

/// What a token is; only [`Kind::Word`] tokens are ever flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Letters (with marks and inner apostrophes), or an abbreviation such as "U.S.".
    Word,
    /// Digits with inner separators and an optional ordinal suffix ("2,000", "1st").
    Number,
    /// `http://`, `https://` or `www.` up to the next space or closing mark.
    Url,
    /// An e-mail address.
    Email,
    /// A hyphen between two letters or digits.
    Hyphen,
    /// Ends a sentence or clause for the reference: `. ! ? ; : ( )`, dashes, newlines.
    Break,
    /// Commas, quotes and other marks the reference treats as transparent.
    Other,
}

impl Kind {
    /// The kind's name as Python's `spindetect.tokens.Kind` values spell it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Word => "word",
            Kind::Number => "number",
            Kind::Url => "url",
            Kind::Email => "email",
            Kind::Hyphen => "hyphen",
            Kind::Break => "break",
            Kind::Other => "other",
        }
    }
}

/// One token: its byte offsets in the source, its lookup key and its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The lookup key ([`normalize`] of the text; a split-off apostrophe as it is).
    pub lower: String,
    /// What the token is.
    pub kind: Kind,
}

/// Apostrophes a word may hold inside or at its end.
const WORD_APOSTROPHES: [char; 3] = ['\'', '\u{2019}', '\u{2bc}'];
/// Apostrophes made straight in lookup keys.
const APOSTROPHES: [char; 4] = ['\'', '\u{2019}', '\u{2bc}', '\u{2018}'];

/// The lookup key of a word: Python's lower case, straight apostrophes.
pub fn normalize(word: &str) -> String {
    let lowered = pystr::lower(word);
    if lowered.contains(&APOSTROPHES[1..]) {
        return lowered.replace(&APOSTROPHES[1..], "'");
    }
    lowered
}

/// Split `text` into tokens; whitespace other than newlines is dropped.
pub fn tokenize(text: &str) -> Vec<Token> {
    Scanner::new(text).run()
}

/// The character at byte `at`, if any.
fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..).and_then(|rest| rest.chars().next())
}

fn is_class(c: Option<char>, wanted: fn(Class) -> bool) -> bool {
    c.is_some_and(|c| wanted(regex_class(c)))
}

fn letter(class: Class) -> bool {
    class == Class::Letter
}

fn number(class: Class) -> bool {
    class == Class::Number
}

fn letter_or_number(class: Class) -> bool {
    matches!(class, Class::Letter | Class::Number)
}

/// Byte offset after the run of characters from `at` that satisfy `wanted`.
fn run_end(text: &str, at: usize, wanted: impl Fn(char) -> bool) -> usize {
    text.get(at..).map_or(at, |rest| {
        rest.char_indices()
            .find(|&(_, c)| !wanted(c))
            .map_or(text.len(), |(offset, _)| at + offset)
    })
}

struct Scanner<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    /// The e-mail local part run last scanned: (end of the run, end of the match if any). Every
    /// start inside a run shares its end, so the run is scanned once, not once per start.
    local_run: Option<(usize, Option<usize>)>,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            text,
            tokens: Vec::with_capacity(text.len() / 5 + 1),
            local_run: None,
        }
    }

    fn run(mut self) -> Vec<Token> {
        let text = self.text;
        let mut at = 0;
        while let Some(c) = char_at(text, at) {
            match self.token_at(at, c) {
                Some((end, kind)) => {
                    self.push(at, end, kind);
                    at = end;
                }
                None => at += c.len_utf8(),
            }
        }
        self.tokens
    }

    fn push(&mut self, start: usize, end: usize, kind: Kind) {
        let surface = &self.text[start..end];
        if kind == Kind::Word && surface.ends_with(WORD_APOSTROPHES) {
            // A trailing apostrophe closes a quote (or a plural possessive): not part of it.
            let mark = surface.chars().next_back().map_or(0, char::len_utf8);
            let split = end - mark;
            self.tokens.push(Token {
                start,
                end: split,
                lower: normalize(&self.text[start..split]),
                kind,
            });
            self.tokens.push(Token {
                start: split,
                end,
                lower: self.text[split..end].to_string(),
                kind: Kind::Other,
            });
            return;
        }
        self.tokens.push(Token {
            start,
            end,
            lower: normalize(surface),
            kind,
        });
    }

    /// The end and kind of the token that starts at `at` with `c`, or `None` for whitespace.
    fn token_at(&mut self, at: usize, c: char) -> Option<(usize, Kind)> {
        let class = regex_class(c);
        if c == 'h' || c == 'w' {
            if let Some(end) = self.url(at) {
                return Some((end, Kind::Url));
            }
        }
        if letter_or_number(class) || matches!(c, '.' | '_' | '%' | '+' | '-') {
            if let Some(end) = self.email(at) {
                return Some((end, Kind::Email));
            }
        }
        match class {
            Class::Letter => Some(
                self.abbreviation(at)
                    .map_or_else(|| (self.word(at), Kind::Word), |end| (end, Kind::Word)),
            ),
            Class::Number => Some((self.number(at), Kind::Number)),
            Class::Space if c == '\n' => Some((at + 1, Kind::Break)),
            Class::Space => None,
            _ if c == '-' && self.hyphen(at) => Some((at + 1, Kind::Hyphen)),
            _ if is_break(c) => Some((run_end(self.text, at, is_break), Kind::Break)),
            _ => Some((at + c.len_utf8(), Kind::Other)),
        }
    }

    /// `(?:https?://|www\.)[^\s<>"'’”)\]]+[^\s<>"'’”)\].,;:!?]`
    fn url(&self, at: usize) -> Option<usize> {
        let rest = &self.text[at..];
        let prefix = ["https://", "http://", "www."]
            .iter()
            .find(|prefix| rest.starts_with(*prefix))?;
        let body = at + prefix.len();
        let in_body = |c: char| {
            !matches!(
                c,
                '<' | '>' | '"' | '\'' | '\u{2019}' | '\u{201d}' | ')' | ']'
            ) && regex_class(c) != Class::Space
        };
        let mut end = None;
        for (index, (offset, c)) in self.text[body..].char_indices().enumerate() {
            if !in_body(c) {
                break;
            }
            if index >= 1 && !matches!(c, '.' | ',' | ';' | ':' | '!' | '?') {
                end = Some(body + offset + c.len_utf8());
            }
        }
        end
    }

    /// `[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+`
    fn email(&mut self, at: usize) -> Option<usize> {
        if let Some((run_end, matched)) = self.local_run {
            if at < run_end {
                return matched;
            }
        }
        let text = self.text;
        let local_end = run_end(text, at, |c| {
            letter_or_number(regex_class(c)) || matches!(c, '.' | '_' | '%' | '+' | '-')
        });
        let matched = if text[local_end..].starts_with('@') {
            domain_end(text, local_end + 1)
        } else {
            None
        };
        self.local_run = Some((local_end, matched));
        matched
    }

    /// `(?:\p{L}\.){2,}`
    fn abbreviation(&self, at: usize) -> Option<usize> {
        let mut end = at;
        let mut count = 0;
        while let Some(c) = char_at(self.text, end) {
            if regex_class(c) != Class::Letter
                || char_at(self.text, end + c.len_utf8()) != Some('.')
            {
                break;
            }
            end += c.len_utf8() + 1;
            count += 1;
        }
        (count >= 2).then_some(end)
    }

    /// `\p{N}+(?:[.,:/]\p{N}+)*(?:st|nd|rd|th|s)?`
    fn number(&self, at: usize) -> usize {
        let text = self.text;
        let is_number = |c: char| regex_class(c) == Class::Number;
        let mut end = run_end(text, at, is_number);
        while matches!(char_at(text, end), Some('.' | ',' | ':' | '/'))
            && is_class(char_at(text, end + 1), number)
        {
            end = run_end(text, end + 1, is_number);
        }
        let rest = &text[end..];
        if ["st", "nd", "rd", "th"]
            .iter()
            .any(|suffix| rest.starts_with(suffix))
        {
            end + 2
        } else if rest.starts_with('s') {
            end + 1
        } else {
            end
        }
    }

    /// `\p{L}[\p{L}\p{M}]*(?:[’'ʼ]\p{L}[\p{L}\p{M}]*)*[’'ʼ]?`
    fn word(&self, at: usize) -> usize {
        let text = self.text;
        let letter_or_mark = |c: char| matches!(regex_class(c), Class::Letter | Class::Mark);
        let mut end = run_end(text, at, letter_or_mark);
        while let Some(mark) = char_at(text, end).filter(|c| WORD_APOSTROPHES.contains(c)) {
            let after = end + mark.len_utf8();
            if is_class(char_at(text, after), letter) {
                end = run_end(text, after, letter_or_mark);
            } else {
                return after;
            }
        }
        end
    }

    /// `(?<=[\p{L}\p{N}])-(?=[\p{L}\p{N}])`
    fn hyphen(&self, at: usize) -> bool {
        let before = self.text[..at].chars().next_back();
        is_class(before, letter_or_number) && is_class(char_at(self.text, at + 1), letter_or_number)
    }
}

/// `[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+` from `at`: the end of the domain, if it is one.
fn domain_end(text: &str, at: usize) -> Option<usize> {
    let in_label = |c: char| c == '-' || letter_or_number(regex_class(c));
    let mut end = run_end(text, at, in_label);
    if end == at {
        return None;
    }
    let mut labels = 0;
    while text[end..].starts_with('.') && char_at(text, end + 1).is_some_and(in_label) {
        end = run_end(text, end + 1, in_label);
        labels += 1;
    }
    (labels >= 1).then_some(end)
}

/// `[.!?;:()\[\]{}…–—]`
fn is_break(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | ';' | ':' | '(' | ')' | '[' | ']' | '{' | '}' | '…' | '–' | '—'
    )
}
