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


def normalize(word: str) -> str:
    """The lookup key of a word: lower case, straight apostrophes."""
    lower = word.lower()
    if "’" in lower or "ʼ" in lower or "‘" in lower:
        return lower.translate(_APOSTROPHE_TABLE)
    return lower


_APOSTROPHE_TABLE = str.maketrans({mark: "'" for mark in APOSTROPHES})


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens (the compiled core's tokenizer); whitespace other than
    newlines is dropped."""
    from ._core import tokenize as core_tokenize

    return [
        Token(text[start:end], start, end, lower, Kind(kind))
        for start, end, lower, kind in core_tokenize(text)
    ]


def words(text: str) -> list[str]:
    """The lookup keys of the word tokens of ``text`` (used to count words and match phrases)."""
    return [token.lower for token in tokenize(text) if token.kind is Kind.WORD]
