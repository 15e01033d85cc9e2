"""Tokenizer with character offsets into the original string.

Every token keeps ``start``/``end`` offsets so that ``text[start:end] == token.text``; ``lower``
is the lookup key (lower-cased, typographic apostrophes made straight).  Hyphens are tokens of
their own so that "Chinese language-made" exposes "Chinese language" to the phrasebook, while
the reference treats them like spaces.  URLs, e-mail addresses and numbers are single tokens
that the detector never touches.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

import regex

APOSTROPHES = "'’ʼ‘"


class Kind(str, Enum):
    """What a token is; only WORD tokens are ever flagged."""

    WORD = "word"
    NUMBER = "number"
    URL = "url"
    EMAIL = "email"
    HYPHEN = "hyphen"
    BREAK = "break"  # ends a sentence or clause for the reference: . ! ? ; : ( ) dashes, newlines
    OTHER = "other"  # commas, quotes and other marks the reference treats as transparent


class Token(NamedTuple):
    """One token: its text, its offsets in the source, its lookup key and its kind."""

    text: str
    start: int
    end: int
    lower: str
    kind: Kind


_TOKEN_RE = regex.compile(
    r"""
    (?P<url>(?:https?://|www\.)[^\s<>"'’”)\]]+[^\s<>"'’”)\].,;:!?])
  | (?P<email>[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+)
  | (?P<abbrev>(?:\p{L}\.){2,})                                   # U.S., e.g.
  | (?P<number>\p{N}+(?:[.,:/]\p{N}+)*(?:st|nd|rd|th|s)?)
  | (?P<word>\p{L}[\p{L}\p{M}]*(?:[’'ʼ]\p{L}[\p{L}\p{M}]*)*[’'ʼ]?)
  | (?P<hyphen>(?<=[\p{L}\p{N}])-(?=[\p{L}\p{N}]))
  | (?P<newline>\n)
  | (?P<break>[.!?;:()\[\]{}…–—]+)
  | (?P<other>[^\s\p{L}\p{N}])
    """,
    regex.VERBOSE | regex.UNICODE,
)

_KIND_OF_GROUP = {
    "url": Kind.URL,
    "email": Kind.EMAIL,
    "abbrev": Kind.WORD,
    "number": Kind.NUMBER,
    "word": Kind.WORD,
    "hyphen": Kind.HYPHEN,
    "newline": Kind.BREAK,
    "break": Kind.BREAK,
    "other": Kind.OTHER,
}

_APOSTROPHE_TABLE = str.maketrans({mark: "'" for mark in APOSTROPHES})


def normalize(word: str) -> str:
    """The lookup key of a word: lower case, straight apostrophes."""
    lower = word.lower()
    if "’" in lower or "ʼ" in lower or "‘" in lower:
        return lower.translate(_APOSTROPHE_TABLE)
    return lower


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; whitespace other than newlines is dropped."""
    tokens: list[Token] = []
    append = tokens.append
    make = tuple.__new__  # Token(...) without NamedTuple's argument parsing: the hot loop
    kinds = _KIND_OF_GROUP
    word = Kind.WORD
    for match in _TOKEN_RE.finditer(text):
        surface = match.group()
        start, end = match.span()
        kind = kinds[match.lastgroup]
        if kind is word:
            if surface[-1] in APOSTROPHES:
                # A trailing apostrophe closes a quote (or a plural possessive): not part of it.
                surface = surface[:-1]
                append(make(Token, (surface, start, end - 1, normalize(surface), kind)))
                mark = text[end - 1]
                append(make(Token, (mark, end - 1, end, mark, Kind.OTHER)))
                continue
            append(make(Token, (surface, start, end, normalize(surface), kind)))
        else:
            append(make(Token, (surface, start, end, normalize(surface), kind)))
    return tokens


def words(text: str) -> list[str]:
    """The lookup keys of the word tokens of ``text`` (used to count words and match phrases)."""
    return [token.lower for token in tokenize(text) if token.kind is Kind.WORD]
