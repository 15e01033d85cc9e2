"""Fingerprint queries of tortured-phrase lists (the Problematic Paper Screener's syntax).

A fingerprint is a query over one document, not always a bare phrase::

    profound learning                          a plain phrase (quoted or not)
    "profound learning" AND "deep learning"    fires only if "deep learning" is also in the text
    "surface highlights" NOT specular          suppressed wherever "specular" is in the text
    "exactness accuracy"~5                     both words within a slop of 5 (Lucene proximity)
    ("a b" OR "c d") AND e                     OR and brackets, with the usual precedence

Grammar (operators upper-case, as in Lucene; ``NOT`` binds like ``AND NOT``)::

    query   := and ( "OR" and )*
    and     := unary ( ( "AND" | "AND NOT" | "NOT" ) unary )*
    unary   := "(" query ")" | term
    term    := '"' words '"' [ "~" N ]  |  bare words (a run of them is one phrase)

A query is *true* on a document when its boolean expression holds, a term counting as present
when it occurs anywhere in the document.  Only the **head** terms are flagged: the terms reached
from the top through ``OR`` (both sides) and the left side of ``AND``/``NOT``; the other terms
are conditions and are never flagged themselves, so ``"profound learning" AND "deep learning"``
never turns "deep learning" into a finding.

Terms are matched on tokens like the phrasebook (:mod:`spindetect.tokens`: case-insensitive,
hyphens must match, whitespace need not).  Proximity follows Lucene's sloppy phrase: the words
of the phrase, each at a distinct word position, with ``max(p_i - i) - min(p_i - i) <= N``
(in order with N words between them costs N; reversed order costs more).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import NamedTuple

from .tokens import Kind, Token, tokenize

OPERATORS = ("AND", "OR", "NOT")
_POSITIONAL = (Kind.WORD, Kind.NUMBER, Kind.URL, Kind.EMAIL)
_MAX_COMBINATIONS = 4096


class QueryError(ValueError):
    """A fingerprint that cannot be parsed; the message says what is wrong."""


@dataclass(frozen=True)
class Term:
    """A phrase (lookup keys of its tokens), exact or with a proximity slop."""

    phrase: str
    keys: tuple[str, ...]
    slop: int | None = None

    @property
    def words(self) -> tuple[str, ...]:
        """Keys of the tokens that take a word position (hyphens and marks do not)."""
        return tuple(k for k in self.keys if any(c.isalnum() for c in k))

    def __str__(self) -> str:
        return f'"{self.phrase}"' + (f"~{self.slop}" if self.slop is not None else "")


@dataclass(frozen=True)
class Binary:
    """``left OP right`` with OP one of AND, OR, NOT (= AND NOT)."""

    op: str
    left: Node
    right: Node

    def __str__(self) -> str:
        return f"{_wrap(self.left, self.op)} {self.op} {_wrap(self.right, self.op, right=True)}"


Node = Term | Binary


def _wrap(node: Node, op: str, right: bool = False) -> str:
    if isinstance(node, Binary) and ((node.op == "OR" and op != "OR") or right):
        return f"({node})"
    return str(node)


class Hit(NamedTuple):
    """A head term found in a document: tokens ``first..last``; ``exact`` when the tokens are
    the phrase itself (contiguous, in order), so that it may be rewritten."""

    first: int
    last: int
    exact: bool


@dataclass(frozen=True)
class Query:
    """A parsed fingerprint."""

    root: Node

    @property
    def heads(self) -> tuple[Term, ...]:
        """Terms that are flagged when the query is true."""
        return tuple(_heads(self.root))

    @property
    def is_plain(self) -> bool:
        """A single exact phrase: no operator, no proximity."""
        return isinstance(self.root, Term) and self.root.slop is None

    def __str__(self) -> str:
        return str(self.root)

    def hits(self, document: DocumentIndex) -> list[Hit]:
        """Occurrences of the head terms, if the query is true on ``document``; else none."""
        if not document.holds(self.root):
            return []
        return [hit for term in self.heads for hit in document.occurrences(term)]


def _heads(node: Node) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    if node.op == "OR":
        return _heads(node.left) + _heads(node.right)
    return _heads(node.left)


def parse(text: str) -> Query:
    """Parse a fingerprint; raises :class:`QueryError` on bad syntax."""
    parser = _Parser(_lex(text))
    root = parser.query()
    if parser.peek() is not None:
        raise QueryError(f"unexpected {parser.peek()[1]!r}")  # type: ignore[index]
    return Query(root)


def _lex(text: str) -> list[tuple[str, str]]:
    """Lexical items: (kind, text) with kind phrase, word, slop, op, ( or )."""
    items: list[tuple[str, str]] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
        elif char == '"':
            end = text.find('"', index + 1)
            if end == -1:
                raise QueryError("unbalanced double quote")
            items.append(("phrase", text[index + 1 : end]))
            index = end + 1
        elif char in "()":
            items.append((char, char))
            index += 1
        elif char == "~":
            end = index + 1
            while end < len(text) and text[end].isdigit():
                end += 1
            if end == index + 1:
                raise QueryError("'~' must be followed by a whole number (proximity)")
            items.append(("slop", text[index + 1 : end]))
            index = end
        else:
            end = index
            while end < len(text) and not text[end].isspace() and text[end] not in '"()~':
                end += 1
            word = text[index:end]
            items.append(("op", word) if word in OPERATORS else ("word", word))
            index = end
    return items


class _Parser:
    def __init__(self, items: list[tuple[str, str]]) -> None:
        self.items = items
        self.index = 0

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.index] if self.index < len(self.items) else None

    def take(self) -> tuple[str, str]:
        item = self.peek()
        if item is None:
            raise QueryError("query ends where a term was expected")
        self.index += 1
        return item

    def query(self) -> Node:
        node = self.conjunction()
        while self.peek() == ("op", "OR"):
            self.take()
            node = Binary("OR", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.unary()
        while self.peek() in (("op", "AND"), ("op", "NOT")):
            op = self.take()[1]
            if op == "AND" and self.peek() == ("op", "NOT"):
                self.take()
                op = "NOT"
            node = Binary(op, node, self.unary())
        return node

    def unary(self) -> Node:
        kind, value = self.take()
        if kind == "(":
            node = self.query()
            if self.peek() is None or self.take()[0] != ")":
                raise QueryError("missing ')'")
            return node
        if kind == "phrase":
            slop = None
            if self.peek() is not None and self.peek()[0] == "slop":  # type: ignore[index]
                slop = int(self.take()[1])
            return _term(value, slop)
        if kind == "word":
            words = [value]
            while self.peek() is not None and self.peek()[0] == "word":  # type: ignore[index]
                words.append(self.take()[1])
            if self.peek() is not None and self.peek()[0] == "slop":  # type: ignore[index]
                raise QueryError("'~N' after an unquoted word (fuzzy search) is not supported")
            return _term(" ".join(words), None)
        if kind == "slop":
            raise QueryError("'~N' must follow a quoted phrase")
        raise QueryError(f"expected a term, found {value!r}")


def _term(phrase: str, slop: int | None) -> Term:
    phrase = " ".join(phrase.split())
    keys = tuple(token.lower for token in tokenize(phrase))
    if not keys:
        raise QueryError(f"empty term {phrase!r}")
    return Term(phrase, keys, slop)


class DocumentIndex:
    """The tokens of one document, indexed for term look-ups (built once per document)."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self._by_key: dict[str, list[int]] = {}
        self._position_of: dict[int, int] = {}
        self._token_at: list[int] = []
        for index, token in enumerate(tokens):
            self._by_key.setdefault(token.lower, []).append(index)
            if token.kind in _POSITIONAL:
                self._position_of[index] = len(self._token_at)
                self._token_at.append(index)
        self._present: dict[Term, bool] = {}

    def holds(self, node: Node) -> bool:
        """Truth of a query expression on this document."""
        if isinstance(node, Term):
            present = self._present.get(node)
            if present is None:
                present = bool(self.occurrences(node, first_only=True))
                self._present[node] = present
            return present
        if node.op == "AND":
            return self.holds(node.left) and self.holds(node.right)
        if node.op == "NOT":
            return self.holds(node.left) and not self.holds(node.right)
        return self.holds(node.left) or self.holds(node.right)

    def occurrences(self, term: Term, first_only: bool = False) -> list[Hit]:
        """Non-overlapping occurrences of ``term``, leftmost first."""
        exact = self._exact(term.keys)
        if term.slop is None:
            return exact[:1] if first_only else exact
        hits = exact + self._sloppy(term, {hit.first for hit in exact})
        hits.sort()
        chosen: list[Hit] = []
        for hit in hits:
            if not chosen or hit.first > chosen[-1].last:
                chosen.append(hit)
                if first_only:
                    break
        return chosen

    def _exact(self, keys: tuple[str, ...]) -> list[Hit]:
        tokens, found, end_of_last = self.tokens, [], -1
        for start in self._by_key.get(keys[0], ()):
            end = start + len(keys)
            if (
                start > end_of_last
                and end <= len(tokens)
                and all(tokens[start + k].lower == key for k, key in enumerate(keys))
            ):
                found.append(Hit(start, end - 1, True))
                end_of_last = end - 1
        return found

    def _sloppy(self, term: Term, exact_starts: set[int]) -> list[Hit]:
        words = term.words
        if not words:
            return []
        slop, size = term.slop or 0, len(words)
        lists = [
            [self._position_of[i] for i in self._by_key.get(word, ()) if i in self._position_of]
            for word in words
        ]
        if any(not positions for positions in lists):
            return []
        found = []
        reach = slop + size
        for anchor in lists[0]:
            window = [[p for p in positions if abs(p - anchor) <= reach] for positions in lists]
            window[0] = [anchor]
            best = None
            for count, combo in enumerate(itertools.product(*window)):
                if count >= _MAX_COMBINATIONS:
                    break
                if len(set(combo)) < size:
                    continue
                shifted = [p - i for i, p in enumerate(combo)]
                spread = max(shifted) - min(shifted)
                if spread <= slop and (best is None or spread < best[0]):
                    best = (spread, min(combo), max(combo))
            if best is not None:
                first, last = self._token_at[best[1]], self._token_at[best[2]]
                if first not in exact_starts:
                    found.append(Hit(first, last, False))
        return found
