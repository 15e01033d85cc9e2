"""A deterministic article spinner, to measure spindetect on text whose originals are known.

It does what spinners do: walk the text, look words and phrases up in a synonym dictionary, and
replace a share of the matches with a random alternative, copying the capitalisation ("Cold War"
-> "Chilly Warfare").  A replaced span is never spun again.  Every replacement is recorded, so
the ground truth is exact: :meth:`SpunText.restore` gives back the source byte for byte.

The default dictionary is built from open sources only: the bundled reversed Moby thesaurus
turned forwards again (original -> the words that stand for it), the phrasebook's artefacts
turned around ("countries" -> "international locations"), and number words -> digits.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..grammar import DIGIT_WORDS, transfer_case
from ..phrasebook import default_phrasebook
from ..thesaurus import default_thesaurus
from ..tokens import Kind, tokenize


@dataclass(frozen=True)
class Substitution:
    """One replacement: ``text[start:end] == spun`` stands where the source had ``original``."""

    start: int
    end: int
    spun: str
    original: str


@dataclass(frozen=True)
class SpunText:
    """A spun text with its exact ground truth."""

    text: str
    source: str
    substitutions: tuple[Substitution, ...]

    def restore(self) -> str:
        """Undo every substitution (gives back :attr:`source` exactly)."""
        return undo(self.text, self.substitutions)


def undo(text: str, substitutions: Sequence[Substitution]) -> str:
    """``text`` with each substitution's span (``start``, ``end``; in order, not overlapping)
    replaced by its ``original``."""
    pieces, cursor = [], 0
    for item in substitutions:
        pieces.append(text[cursor : item.start])
        pieces.append(item.original)
        cursor = item.end
    pieces.append(text[cursor:])
    return "".join(pieces)


class SynonymDictionary:
    """Original phrase (lower-case words) -> alternatives a spinner may write instead."""

    def __init__(self, entries: dict[tuple[str, ...], list[str]]) -> None:
        self.entries = {key: sorted(set(values)) for key, values in entries.items() if values}
        self.max_words = max((len(key) for key in self.entries), default=1)

    def __len__(self) -> int:
        return len(self.entries)

    def alternatives(self, words: tuple[str, ...]) -> list[str]:
        """Alternatives for an original phrase (empty if the spinner does not know it)."""
        return self.entries.get(words, [])

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> SynonymDictionary:
        """Build from ``(original, spun)`` pairs."""
        entries: dict[tuple[str, ...], list[str]] = {}
        for original, spun in pairs:
            key = tuple(original.lower().split())
            if key and spun.lower() != original.lower():
                entries.setdefault(key, []).append(spun)
        return cls(entries)


@lru_cache(maxsize=1)
def _thesaurus_pairs() -> tuple[tuple[str, str, float], ...]:
    """(original, spun, closeness) of the reversed thesaurus turned forwards (top 10 each)."""
    thesaurus = default_thesaurus()
    return tuple(
        (" ".join(words), observed, closeness)
        for observed in thesaurus.observed_forms()
        for words, closeness in thesaurus.candidates(observed)[:10]
    )


@lru_cache(maxsize=1)
def default_dictionary() -> SynonymDictionary:
    """The open-source spinner dictionary described in the module docstring."""
    pairs: list[tuple[str, str]] = [(original, spun) for original, spun, _ in _thesaurus_pairs()]
    for entry in default_phrasebook().entries:
        if entry.mode == "always":
            pairs.append((entry.original, entry.spun))
    pairs.extend((word, digit) for digit, word in DIGIT_WORDS.items())
    return SynonymDictionary.from_pairs(pairs)


def spin(
    text: str,
    rate: float = 0.3,
    seed: int = 0,
    dictionary: SynonymDictionary | None = None,
    *,
    consistent: bool = False,
) -> SpunText:
    """Spin ``text``: each dictionary match is replaced with probability ``rate``.

    With ``consistent``, like a spinner that keeps one synonym per word (seed 002's: every
    "said" became "mentioned"): whether a phrase is swapped, and for what, is drawn once per
    text, and every occurrence of it is swapped the same way.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be between 0 and 1, got {rate}")
    dictionary = dictionary or default_dictionary()
    rng = random.Random(seed)
    tokens = tokenize(text)
    words = [index for index, token in enumerate(tokens) if token.kind is Kind.WORD]
    pieces: list[str] = []
    substitutions: list[Substitution] = []
    cursor = shift = 0
    position = 0
    chosen: dict[tuple[str, ...], str | None] = {}  # with ``consistent``: each phrase's fate
    while position < len(words):
        match = _longest_match(text, tokens, words, position, dictionary)
        if match is None:
            position += 1
            continue
        length, alternatives = match
        if consistent:
            key = tuple(tokens[index].lower for index in words[position : position + length])
            if key not in chosen:
                chosen[key] = rng.choice(alternatives) if rng.random() < rate else None
            alternative = chosen[key]
        else:
            alternative = rng.choice(alternatives) if rng.random() < rate else None
        if alternative is None:
            position += 1
            continue
        first, last = tokens[words[position]], tokens[words[position + length - 1]]
        original = text[first.start : last.end]
        spun = transfer_case(original, alternative)
        pieces.append(text[cursor : first.start])
        start = first.start + shift
        pieces.append(spun)
        substitutions.append(Substitution(start, start + len(spun), spun, original))
        shift += len(spun) - len(original)
        cursor = last.end
        position += length
    pieces.append(text[cursor:])
    return SpunText("".join(pieces), text, tuple(substitutions))


def _longest_match(
    text: str, tokens: list, words: list[int], position: int, dictionary: SynonymDictionary
) -> tuple[int, list[str]] | None:
    """Longest phrase starting at word ``position`` (words joined by single spaces only)."""
    limit = min(dictionary.max_words, len(words) - position)
    for length in range(limit, 0, -1):
        span = words[position : position + length]
        if any(text[tokens[a].end : tokens[b].start] != " " for a, b in itertools.pairwise(span)):
            continue
        alternatives = dictionary.alternatives(tuple(tokens[i].lower for i in span))
        if alternatives:
            return length, alternatives
    return None


# -- the scientific sibling: paper-mill paraphrasing ---------------------------------------------
SCIENCE_TERMS = "science_terms.txt"


def science_terms() -> list[str]:
    """The bundled list of multi-word technical terms (``corpus/science_terms.txt``)."""
    from ..data import data_path

    lines = data_path(SCIENCE_TERMS).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=4)
def science_dictionary(
    terms: tuple[str, ...] | None = None, per_term: int = 8
) -> SynonymDictionary:
    """The spinner dictionary of a paper-mill paraphrasing tool.

    Paraphrasing sites do not know that "deep learning" is a fixed term: they swap its words
    one by one for their closest synonyms ("profound learning", "irregular timberland").  So
    each multi-word term gets, as alternatives, up to ``per_term`` word-by-word paraphrases,
    built from each word's three closest single-word synonyms in the forwards thesaurus, the
    closest combinations first.  The published tortured phrases of the
    phrasebook are already in :func:`default_dictionary`, which supplies the single words.
    """
    closest: dict[str, list[tuple[float, str]]] = {}
    for original, spun, closeness in _thesaurus_pairs():
        if " " not in original and " " not in spun:
            closest.setdefault(original, []).append((-closeness, spun))
    entries = dict(default_dictionary().entries)
    for term in terms if terms is not None else science_terms():
        words = term.lower().split()
        if len(words) < 2:
            continue
        # (rank, word) choices per position: the closest synonyms, or the word itself, which
        # ranks like a second choice, so "profound learning" comes before rarer full swaps.
        options = [
            [(rank, word) for rank, (_, word) in enumerate(sorted(closest.get(w, []))[:3])]
            + [(1.5, w)]
            for w in words
        ]
        paraphrases = [
            " ".join(word for _, word in combo)
            for combo in sorted(
                itertools.product(*options), key=lambda c: (sum(r for r, _ in c), c)
            )
            if [word for _, word in combo] != words
        ]
        if paraphrases:
            known = [spun for spun in entries.get(tuple(words), []) if spun not in paraphrases]
            entries[tuple(words)] = known + paraphrases[:per_term]
    return SynonymDictionary(entries)


def spin_science(
    text: str, rate: float = 0.3, seed: int = 0, terms: tuple[str, ...] | None = None
) -> SpunText:
    """Paraphrase ``text`` like a paper mill: :func:`spin` with :func:`science_dictionary`,
    so technical terms come out tortured ("signal to noise" -> "flag to clamor") and other
    words are swapped as a spinner would.  Deterministic for a seed, exact ground truth."""
    return spin(text, rate=rate, seed=seed, dictionary=science_dictionary(terms))
