//! Evaluating fingerprint queries on one document: term occurrences (exact, and Lucene-style
//! sloppy proximity), truth of the expression, and the hits of the head terms.
//!
//! Proximity follows Lucene's sloppy phrase: the words of the phrase, each at a distinct word
//! position, with `max(p_i - i) - min(p_i - i) <= N` (in order with N words between them costs
//! N; reversed order costs more).

use std::collections::HashMap;

use super::query::{Node, Op, Query, Term};
use crate::tokenize::{Kind, Token};

/// Most position combinations tried per anchor of a sloppy phrase, as in the reference.
const MAX_COMBINATIONS: usize = 4096;

/// A head term found in a document: tokens `first..=last`; `exact` when the tokens are the
/// phrase itself (contiguous, in order), so that it may be rewritten. Ordered as the reference
/// sorts hits: by `first`, then `last`, then inexact before exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hit {
    /// Index of the first token.
    pub first: usize,
    /// Index of the last token (inclusive).
    pub last: usize,
    /// The tokens are the phrase itself.
    pub exact: bool,
}

/// The tokens of one document, indexed for term look-ups (built once per document).
#[derive(Debug)]
pub struct DocumentIndex<'t> {
    tokens: &'t [Token],
    by_key: HashMap<&'t str, Vec<usize>>,
    /// Word position of each token that takes one (words, numbers, URLs, e-mails).
    position_of: Vec<Option<usize>>,
    /// Token index of each word position.
    token_at: Vec<usize>,
}

impl<'t> DocumentIndex<'t> {
    /// Index the tokens of a document.
    pub fn new(tokens: &'t [Token]) -> Self {
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut position_of = Vec::with_capacity(tokens.len());
        let mut token_at = Vec::new();
        for (index, token) in tokens.iter().enumerate() {
            by_key.entry(token.lower.as_str()).or_default().push(index);
            if matches!(
                token.kind,
                Kind::Word | Kind::Number | Kind::Url | Kind::Email
            ) {
                position_of.push(Some(token_at.len()));
                token_at.push(index);
            } else {
                position_of.push(None);
            }
        }
        DocumentIndex {
            tokens,
            by_key,
            position_of,
            token_at,
        }
    }

    /// Occurrences of the head terms of `query` if it is true on this document, else none.
    pub fn hits(&self, query: &Query) -> Vec<Hit> {
        if !self.holds(&query.root) {
            return Vec::new();
        }
        query
            .heads()
            .into_iter()
            .flat_map(|term| self.occurrences(term))
            .collect()
    }

    /// Truth of a query expression on this document.
    pub fn holds(&self, node: &Node) -> bool {
        match node {
            Node::Term(term) => self.present(term),
            Node::Binary { op, left, right } => match op {
                Op::And => self.holds(left) && self.holds(right),
                Op::Not => self.holds(left) && !self.holds(right),
                Op::Or => self.holds(left) || self.holds(right),
            },
        }
    }

    fn present(&self, term: &Term) -> bool {
        !self.exact(&term.keys).is_empty()
            || (term.slop.is_some() && !self.sloppy(term, &[]).is_empty())
    }

    /// Non-overlapping occurrences of `term`, leftmost first.
    pub fn occurrences(&self, term: &Term) -> Vec<Hit> {
        let exact = self.exact(&term.keys);
        if term.slop.is_none() {
            return exact;
        }
        let exact_starts: Vec<usize> = exact.iter().map(|hit| hit.first).collect();
        let mut hits = self.sloppy(term, &exact_starts);
        hits.extend(exact);
        hits.sort();
        let mut chosen: Vec<Hit> = Vec::with_capacity(hits.len());
        for hit in hits {
            if chosen.last().is_none_or(|last| hit.first > last.last) {
                chosen.push(hit);
            }
        }
        chosen
    }

    /// Contiguous occurrences of the keys, leftmost first, non-overlapping.
    fn exact(&self, keys: &[String]) -> Vec<Hit> {
        let Some(first_key) = keys.first() else {
            return Vec::new();
        };
        let mut found = Vec::new();
        let mut end_of_last: Option<usize> = None;
        for &start in self.by_key.get(first_key.as_str()).into_iter().flatten() {
            let end = start + keys.len();
            if end_of_last.is_none_or(|last| start > last)
                && end <= self.tokens.len()
                && self.tokens[start..end]
                    .iter()
                    .zip(keys)
                    .all(|(token, key)| token.lower == *key)
            {
                found.push(Hit {
                    first: start,
                    last: end - 1,
                    exact: true,
                });
                end_of_last = Some(end - 1);
            }
        }
        found
    }

    /// Word positions of the tokens whose key is `word`, ascending.
    fn positions(&self, word: &str) -> Vec<i64> {
        self.by_key
            .get(word)
            .into_iter()
            .flatten()
            .filter_map(|&index| self.position_of[index])
            .map(|position| position as i64)
            .collect()
    }

    /// Sloppy occurrences (one per anchor position of the first word), skipping those that
    /// start where an exact occurrence starts.
    fn sloppy(&self, term: &Term, exact_starts: &[usize]) -> Vec<Hit> {
        let lists: Vec<Vec<i64>> = term.words().map(|word| self.positions(word)).collect();
        if lists.is_empty() || lists.iter().any(Vec::is_empty) {
            return Vec::new();
        }
        // Any slop beyond a quarter of i64 admits every combination, as an unbounded one does.
        let slop = i64::try_from(term.slop.unwrap_or(0))
            .unwrap_or(i64::MAX)
            .min(i64::MAX / 4);
        let reach = slop + lists.len() as i64;
        let mut found = Vec::new();
        for &anchor in &lists[0] {
            let window: Vec<&[i64]> = std::iter::once(std::slice::from_ref(&anchor))
                .chain(lists[1..].iter().map(|positions| {
                    let low = positions.partition_point(|&p| p < anchor.saturating_sub(reach));
                    let high = positions.partition_point(|&p| p <= anchor.saturating_add(reach));
                    &positions[low..high]
                }))
                .collect();
            if let Some((first, last)) = best_combination(&window, slop) {
                let (first, last) = (self.token_at[first], self.token_at[last]);
                if !exact_starts.contains(&first) {
                    found.push(Hit {
                        first,
                        last,
                        exact: false,
                    });
                }
            }
        }
        found
    }
}

/// The tightest combination of one position per list (all distinct, spread within `slop`),
/// tried in `itertools.product` order up to [`MAX_COMBINATIONS`]: its lowest and highest
/// positions.
fn best_combination(window: &[&[i64]], slop: i64) -> Option<(usize, usize)> {
    if window.iter().any(|positions| positions.is_empty()) {
        return None;
    }
    let size = window.len();
    let mut choice = vec![0usize; size];
    let mut combo = vec![0i64; size];
    let mut best: Option<(i64, i64, i64)> = None;
    for _ in 0..MAX_COMBINATIONS {
        for (slot, (positions, &pick)) in combo.iter_mut().zip(window.iter().zip(&choice)) {
            *slot = positions[pick];
        }
        let distinct = (1..size).all(|i| !combo[..i].contains(&combo[i]));
        if distinct {
            let shifted = combo.iter().enumerate().map(|(i, &p)| p - i as i64);
            let (low, high) = shifted.fold((i64::MAX, i64::MIN), |(low, high), s| {
                (low.min(s), high.max(s))
            });
            let spread = high - low;
            if spread <= slop && best.is_none_or(|(best_spread, _, _)| spread < best_spread) {
                let first = combo.iter().copied().min().unwrap_or(0);
                let last = combo.iter().copied().max().unwrap_or(0);
                best = Some((spread, first, last));
            }
        }
        // Advance the odometer, the last list fastest.
        let mut slot = size;
        loop {
            if slot == 0 {
                return best.map(|(_, first, last)| (first as usize, last as usize));
            }
            slot -= 1;
            choice[slot] += 1;
            if choice[slot] < window[slot].len() {
                break;
            }
            choice[slot] = 0;
        }
    }
    best.map(|(_, first, last)| (first as usize, last as usize))
}
