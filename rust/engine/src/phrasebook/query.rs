//! Fingerprint queries of tortured-phrase lists (the Problematic Paper Screener's syntax):
//! the query tree, its parser and its canonical text.
//!
//! ```text
//! query   := and ( "OR" and )*
//! and     := unary ( ( "AND" | "AND NOT" | "NOT" ) unary )*
//! unary   := "(" query ")" | term
//! term    := '"' words '"' [ "~" N ]  |  bare words (a run of them is one phrase)
//! ```
//!
//! Only the *head* terms are flagged: those reached from the top through `OR` (both sides) and
//! the left side of `AND`/`NOT`; the other terms are conditions.

use std::fmt;

use crate::error::{Error, Result};
use crate::pystr;
use crate::tokenize::tokenize;

/// Deepest tree a query may build (brackets and chained operators); Python's own recursion
/// limit stops deeper queries too.
const MAX_DEPTH: usize = 256;

/// A phrase (lookup keys of its tokens), exact or with a proximity slop.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Term {
    /// The phrase as written, whitespace collapsed.
    pub phrase: String,
    /// Lookup keys of the phrase's tokens.
    pub keys: Vec<String>,
    /// Lucene slop of `"..."~N` (saturated at `u64::MAX`), `None` for an exact phrase.
    pub slop: Option<u64>,
    /// The slop as the canonical text writes it (Python's `str(int(N))`: ASCII digits, no
    /// leading zeros, never saturated), `None` for an exact phrase.
    pub slop_text: Option<String>,
}

impl Term {
    /// Keys of the tokens that take a word position (hyphens and marks do not).
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.keys
            .iter()
            .map(String::as_str)
            .filter(|key| key.chars().any(pystr::is_alnum))
    }
}

/// A boolean operator; `Not` is `AND NOT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// Both sides hold.
    And,
    /// Either side holds.
    Or,
    /// The left side holds and the right side does not.
    Not,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::And => "AND",
            Op::Or => "OR",
            Op::Not => "NOT",
        }
    }
}

/// A node of the query tree.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    /// A phrase.
    Term(Term),
    /// `left OP right`.
    Binary {
        /// The operator.
        op: Op,
        /// Left operand.
        left: Box<Node>,
        /// Right operand.
        right: Box<Node>,
    },
}

/// A parsed fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Query {
    /// The expression.
    pub root: Node,
}

impl Query {
    /// Terms that are flagged when the query is true, left to right.
    pub fn heads(&self) -> Vec<&Term> {
        let mut heads = Vec::new();
        let mut pending = vec![&self.root];
        while let Some(node) = pending.pop() {
            match node {
                Node::Term(term) => heads.push(term),
                Node::Binary {
                    op: Op::Or,
                    left,
                    right,
                } => {
                    pending.push(right);
                    pending.push(left);
                }
                Node::Binary { left, .. } => pending.push(left),
            }
        }
        heads
    }

    /// A single exact phrase: no operator, no proximity.
    pub fn is_plain(&self) -> bool {
        matches!(&self.root, Node::Term(term) if term.slop.is_none())
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.phrase)?;
        if let Some(slop) = &self.slop_text {
            write!(f, "~{slop}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Term(term) => fmt::Display::fmt(term, f),
            Node::Binary { op, left, right } => {
                write_operand(f, left, *op, false)?;
                write!(f, " {} ", op.as_str())?;
                write_operand(f, right, *op, true)
            }
        }
    }
}

/// An operand, bracketed where the canonical form needs it.
fn write_operand(f: &mut fmt::Formatter<'_>, node: &Node, op: Op, right: bool) -> fmt::Result {
    match node {
        Node::Binary { op: inner, .. } if (*inner == Op::Or && op != Op::Or) || right => {
            write!(f, "({node})")
        }
        _ => fmt::Display::fmt(node, f),
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.root, f)
    }
}

/// A lexical item of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    Phrase(String),
    Word(String),
    Slop(String),
    Op(Op),
    Open,
    Close,
}

impl Item {
    /// The item's text, as the reference quotes it in messages.
    fn text(&self) -> String {
        match self {
            Item::Phrase(text) | Item::Word(text) | Item::Slop(text) => text.clone(),
            Item::Op(op) => op.as_str().to_string(),
            Item::Open => "(".to_string(),
            Item::Close => ")".to_string(),
        }
    }
}

fn query_error(message: impl Into<String>) -> Error {
    Error::Phrasebook(message.into())
}

/// Parse a fingerprint; bad syntax is an [`Error::Phrasebook`] with the reference's message.
pub fn parse_query(text: &str) -> Result<Query> {
    let mut parser = Parser {
        items: lex(text)?,
        next: 0,
    };
    let root = parser.query(0)?;
    if let Some(item) = parser.peek() {
        return Err(query_error(format!(
            "unexpected {}",
            pystr::repr(&item.text())
        )));
    }
    Ok(Query { root })
}

fn lex(text: &str) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        if pystr::is_space(c) {
            rest = after;
        } else if c == '"' {
            let end = after
                .find('"')
                .ok_or_else(|| query_error("unbalanced double quote"))?;
            items.push(Item::Phrase(after[..end].to_string()));
            rest = &after[end + 1..];
        } else if c == '(' || c == ')' {
            items.push(if c == '(' { Item::Open } else { Item::Close });
            rest = after;
        } else if c == '~' {
            let end = after.find(|c| !pystr::is_digit(c)).unwrap_or(after.len());
            if end == 0 {
                return Err(query_error(
                    "'~' must be followed by a whole number (proximity)",
                ));
            }
            items.push(Item::Slop(after[..end].to_string()));
            rest = &after[end..];
        } else {
            let end = rest
                .find(|c| pystr::is_space(c) || matches!(c, '"' | '(' | ')' | '~'))
                .unwrap_or(rest.len());
            let word = &rest[..end];
            items.push(match word {
                "AND" => Item::Op(Op::And),
                "OR" => Item::Op(Op::Or),
                "NOT" => Item::Op(Op::Not),
                _ => Item::Word(word.to_string()),
            });
            rest = &rest[end..];
        }
    }
    Ok(items)
}

/// Python's `int()` of a run of digits (saturated at `u64::MAX`) and `str()` of it.
fn slop_value(digits: &str) -> Result<(u64, String)> {
    let mut value: u64 = 0;
    let mut text = String::with_capacity(digits.len());
    for c in digits.chars() {
        let digit = pystr::decimal_value(c).ok_or_else(|| {
            query_error(format!(
                "invalid literal for int() with base 10: {}",
                pystr::repr(digits)
            ))
        })?;
        value = value.saturating_mul(10).saturating_add(u64::from(digit));
        if !(text.is_empty() && digit == 0) {
            text.extend(char::from_digit(digit, 10));
        }
    }
    if text.is_empty() {
        text.push('0');
    }
    Ok((value, text))
}

fn term(phrase: &str, slop: Option<(u64, String)>) -> Result<Node> {
    let phrase = pystr::split_whitespace(phrase)
        .collect::<Vec<_>>()
        .join(" ");
    let keys: Vec<String> = tokenize(&phrase)
        .into_iter()
        .map(|token| token.lower)
        .collect();
    if keys.is_empty() {
        return Err(query_error(format!("empty term {}", pystr::repr(&phrase))));
    }
    let (slop, slop_text) = slop.unzip();
    Ok(Node::Term(Term {
        phrase,
        keys,
        slop,
        slop_text,
    }))
}

struct Parser {
    items: Vec<Item>,
    next: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Item> {
        self.items.get(self.next)
    }

    fn take(&mut self) -> Result<Item> {
        let item = self
            .peek()
            .cloned()
            .ok_or_else(|| query_error("query ends where a term was expected"))?;
        self.next += 1;
        Ok(item)
    }

    fn deeper(depth: usize) -> Result<usize> {
        if depth >= MAX_DEPTH {
            return Err(query_error("query nested too deeply"));
        }
        Ok(depth + 1)
    }

    fn query(&mut self, depth: usize) -> Result<Node> {
        let mut depth = Self::deeper(depth)?;
        let mut node = self.conjunction(depth)?;
        while self.peek() == Some(&Item::Op(Op::Or)) {
            self.take()?;
            depth = Self::deeper(depth)?;
            let right = self.conjunction(depth)?;
            node = binary(Op::Or, node, right);
        }
        Ok(node)
    }

    fn conjunction(&mut self, depth: usize) -> Result<Node> {
        let mut depth = depth;
        let mut node = self.unary(depth)?;
        while let Some(Item::Op(op @ (Op::And | Op::Not))) = self.peek().cloned() {
            self.take()?;
            let op = if op == Op::And && self.peek() == Some(&Item::Op(Op::Not)) {
                self.take()?;
                Op::Not
            } else {
                op
            };
            depth = Self::deeper(depth)?;
            let right = self.unary(depth)?;
            node = binary(op, node, right);
        }
        Ok(node)
    }

    fn unary(&mut self, depth: usize) -> Result<Node> {
        match self.take()? {
            Item::Open => {
                let node = self.query(depth)?;
                match self.peek() {
                    Some(Item::Close) => {
                        self.take()?;
                        Ok(node)
                    }
                    Some(_) => {
                        // The reference takes the item before it complains.
                        self.take()?;
                        Err(query_error("missing ')'"))
                    }
                    None => Err(query_error("missing ')'")),
                }
            }
            Item::Phrase(phrase) => {
                let slop = match self.peek() {
                    Some(Item::Slop(digits)) => {
                        let value = slop_value(digits)?;
                        self.take()?;
                        Some(value)
                    }
                    _ => None,
                };
                term(&phrase, slop)
            }
            Item::Word(word) => {
                let mut words = vec![word];
                while let Some(Item::Word(next)) = self.peek().cloned() {
                    self.take()?;
                    words.push(next);
                }
                if matches!(self.peek(), Some(Item::Slop(_))) {
                    return Err(query_error(
                        "'~N' after an unquoted word (fuzzy search) is not supported",
                    ));
                }
                term(&words.join(" "), None)
            }
            Item::Slop(_) => Err(query_error("'~N' must follow a quoted phrase")),
            other => Err(query_error(format!(
                "expected a term, found {}",
                pystr::repr(&other.text())
            ))),
        }
    }
}

fn binary(op: Op, left: Node, right: Node) -> Node {
    Node::Binary {
        op,
        left: Box::new(left),
        right: Box::new(right),
    }
}
