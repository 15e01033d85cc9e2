"""A spinner whose every substitution records its source and kind.

Like :func:`.simulate.spin`, it walks the text, finds the longest phrase (up to three
words, or number tokens for the digit rules) that one of its sources knows, and replaces it with
probability ``rate``.  The source is drawn first (uniformly among the sources that know the
phrase), then the replacement; so a mixed spinner records the true source of each swap.  With
``consistent``, each phrase's fate is drawn once per text and every occurrence is swapped alike
(seed 002's spinner).  Words capitalised inside a sentence (names) are left alone.  Everything
is seeded: the same text, sources, rate and seed give the same output.

Each substitution also records ``known``: which of the *detector's* candidate sources already
list the pair (``moby``: the reversed thesaurus within the detector's cut of candidates,
``moby-uncut``: in its list but beyond the cut, ``phrasebook``: an entry), so a figure can be
split into swaps the detector could know and swaps it cannot.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..grammar import transfer_case
from ..tokens import Kind, Token, tokenize
from .simulate import undo
from .sources import Option, Source

UNITS = (Kind.WORD, Kind.NUMBER)


@dataclass(frozen=True)
class LabelledSubstitution:
    """``text[start:end] == spun`` stands where the source text had ``original``."""

    start: int
    end: int
    spun: str
    original: str
    source: str
    kind: str
    known: tuple[str, ...] = ()

    def as_list(self) -> list:
        """The JSONL form: ``[start, end, spun, original, source, kind, known]`` (the held-out
        sets' four fields first)."""
        return [
            self.start,
            self.end,
            self.spun,
            self.original,
            self.source,
            self.kind,
            [*self.known],
        ]


@dataclass(frozen=True)
class LabelledSpin:
    """A spun text, its source text and every substitution."""

    text: str
    source_text: str
    substitutions: tuple[LabelledSubstitution, ...]

    def restore(self) -> str:
        """Undo every substitution (gives back :attr:`source_text` exactly)."""
        return undo(self.text, self.substitutions)


def spin_labelled(
    text: str,
    sources: Sequence[Source],
    rate: float = 0.3,
    seed: int = 0,
    *,
    consistent: bool = False,
) -> LabelledSpin:
    """Spin ``text`` with ``sources``; see the module docstring."""
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be between 0 and 1, got {rate}")
    rng = random.Random(seed)
    tokens = tokenize(text)
    units = [i for i, token in enumerate(tokens) if token.kind in UNITS]
    longest = max((source.max_words for source in sources), default=1)
    pieces: list[str] = []
    substitutions: list[LabelledSubstitution] = []
    cursor = shift = position = 0
    fates: dict[tuple[str, ...], Option | None] = {}
    while position < len(units):
        match = _longest_match(text, tokens, units, position, sources, longest)
        if match is None:
            position += 1
            continue
        key, by_source = match
        if consistent and key in fates:
            choice = fates[key]
        else:
            choice = _draw(rng, by_source) if rng.random() < rate else None
            fates[key] = choice
        if choice is None:
            position += 1
            continue
        first, last = tokens[units[position]], tokens[units[position + len(key) - 1]]
        original = text[first.start : last.end]
        spun = transfer_case(original, choice.text)
        if spun == original:
            position += len(key)
            continue
        pieces.append(text[cursor : first.start])
        pieces.append(spun)
        start = first.start + shift
        known = detector_knows(spun.lower(), original.lower())
        substitutions.append(
            LabelledSubstitution(
                start, start + len(spun), spun, original, choice.source, choice.kind, known
            )
        )
        shift += len(spun) - len(original)
        cursor = last.end
        position += len(key)
    pieces.append(text[cursor:])
    return LabelledSpin("".join(pieces), text, tuple(substitutions))


def _draw(rng: random.Random, by_source: list[list[Option]]) -> Option:
    options = rng.choice(by_source)
    return rng.choice(options)


def _longest_match(
    text: str,
    tokens: list[Token],
    units: list[int],
    position: int,
    sources: Sequence[Source],
    longest: int,
) -> tuple[tuple[str, ...], list[list[Option]]] | None:
    """The longest phrase at ``position`` some source knows, with each source's options."""
    if not _swappable(tokens, units[position]):
        return None
    for length in range(min(longest, len(units) - position), 0, -1):
        span = units[position : position + length]
        if any(text[tokens[a].end : tokens[b].start] != " " for a, b in itertools.pairwise(span)):
            continue
        if any(not _swappable(tokens, index) for index in span[1:]):
            continue
        key = tuple(tokens[i].lower for i in span)
        by_source = [options for source in sources if (options := source.options(key))]
        if by_source:
            return key, by_source
    return None


def _swappable(tokens: list[Token], index: int) -> bool:
    """Not a name: lower-case, "I", or capitalised only because it starts a sentence."""
    token = tokens[index]
    if token.kind is Kind.NUMBER or token.text == "I" or not token.text[:1].isupper():
        return True
    for previous in reversed(tokens[:index]):
        if previous.kind is Kind.BREAK:
            return previous.text in ".!?\n" or previous.text.endswith((".", "!", "?"))
        if previous.kind is Kind.OTHER and previous.text in "\"“‘'":
            continue
        return False
    return True


@lru_cache(maxsize=100_000)
def detector_knows(spun: str, original: str) -> tuple[str, ...]:
    """Which of the detector's candidate sources list ``original`` for ``spun`` (lower-case)."""
    from ..config import DetectorConfig
    from ..thesaurus import default_thesaurus

    known = []
    if " " not in spun:
        thesaurus = default_thesaurus()
        if spun in thesaurus:
            listed = [" ".join(words) for words, _ in thesaurus.candidates(spun)]
            if original in listed:
                cut = DetectorConfig().max_candidates
                known.append("moby" if listed.index(original) < cut else "moby-uncut")
    if (spun, original) in _phrasebook_pairs():
        known.append("phrasebook")
    return tuple(known)


@lru_cache(maxsize=1)
def _phrasebook_pairs() -> frozenset[tuple[str, str]]:
    from ..phrasebook import default_phrasebook

    return frozenset(
        (" ".join(entry.spun.lower().split()), " ".join(entry.original.lower().split()))
        for entry in default_phrasebook().entries
    )
