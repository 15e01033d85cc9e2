"""Curated spun -> original pairs, matched in one pass over the tokens.

File format (``corpus/phrasebook.tsv``): UTF-8, tab-separated ``spun  original  mode  note``;
lines starting with ``#`` are comments.  ``mode`` is ``always`` (the spun form hardly occurs in
honest English: flag it on sight) or ``context`` (flag it only where the reference prefers the
original in context).  Patterns are tokenized like the text, so hyphens must match and
whitespace need not; matching is case-insensitive, longest match first.

Spintax leftovers (``{hardware}``, ``{big|large}``) are found here too, by :func:`spintax_matches`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

import regex

from .data import data_path
from .tokens import Token, tokenize

Mode = Literal["always", "context"]
MODES: tuple[str, ...] = ("always", "context")


class PhrasebookError(ValueError):
    """A phrasebook file that cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class Entry:
    """One curated pair."""

    spun: str
    original: str
    mode: Mode
    note: str = ""
    source: str = "phrasebook"


class PhraseMatch(NamedTuple):
    """An entry matched on tokens ``first .. last`` (inclusive indices into the token list)."""

    first: int
    last: int
    entry: Entry


class Phrasebook:
    """A set of entries indexed by their first token for a single left-to-right pass."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = list(entries)
        self._by_first: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        for entry in self.entries:
            key = tuple(token.lower for token in tokenize(entry.spun))
            if key:
                self._by_first.setdefault(key[0], []).append((key, entry))
        for patterns in self._by_first.values():
            patterns.sort(key=lambda item: -len(item[0]))

    def __len__(self) -> int:
        return len(self.entries)

    def merged(self, other: Phrasebook) -> Phrasebook:
        """A phrasebook holding both sets of entries."""
        return Phrasebook(self.entries + other.entries)

    def matches(self, tokens: list[Token]) -> list[PhraseMatch]:
        """Leftmost-longest, non-overlapping matches over ``tokens``."""
        found = []
        index, count = 0, len(tokens)
        while index < count:
            patterns = self._by_first.get(tokens[index].lower)
            matched = None
            if patterns:
                for key, entry in patterns:
                    end = index + len(key)
                    if end <= count and all(
                        tokens[index + offset].lower == part for offset, part in enumerate(key)
                    ):
                        matched = PhraseMatch(index, end - 1, entry)
                        break
            if matched:
                found.append(matched)
                index = matched.last + 1
            else:
                index += 1
        return found

    @classmethod
    def from_file(cls, path: str | Path, source: str = "phrasebook") -> Phrasebook:
        """Read a phrasebook TSV; raises :class:`PhrasebookError` naming the bad line."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise PhrasebookError(f"{path}: cannot read phrasebook: {error}") from None
        return cls(parse_entries(text, f"{path}", source))


def parse_entries(text: str, origin: str, source: str = "phrasebook") -> list[Entry]:
    """Parse phrasebook lines; ``origin`` names the file in error messages."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 3 or not cells[0].strip() or not cells[1].strip():
            raise PhrasebookError(
                f"{origin}:{number}: expected 'spun<TAB>original<TAB>mode[<TAB>note]'"
            )
        mode = cells[2].strip()
        if mode not in MODES:
            raise PhrasebookError(f"{origin}:{number}: mode must be one of {', '.join(MODES)}")
        note = cells[3].strip() if len(cells) > 3 else ""
        entries.append(Entry(cells[0].strip(), cells[1].strip(), mode, note, source))  # type: ignore[arg-type]
    return entries


@lru_cache(maxsize=1)
def default_phrasebook() -> Phrasebook:
    """The curated phrasebook bundled with spindetect, loaded once per process."""
    return Phrasebook.from_file(data_path("phrasebook.tsv"))


_SPINTAX_RE = regex.compile(r"\{([^{}|\n]{1,80})((?:\|[^{}|\n]{0,80}){0,20})\}")


class SpintaxMatch(NamedTuple):
    """A ``{a|b}`` group left in the text: its span and the first alternative."""

    start: int
    end: int
    choice: str


def spintax_matches(text: str) -> list[SpintaxMatch]:
    """Spintax groups left in ``text``; ``{a|b}`` restores to ``a``, ``{a}`` to ``a``.

    A lone ``{word}`` is also how templates write placeholders (``"{message}"``,
    ``module.{version}.pyc``), so it counts only where it stands as a word in prose: whitespace
    before it, and whitespace or sentence punctuation after it.
    """
    if "{" not in text:
        return []
    found = []
    for match in _SPINTAX_RE.finditer(text):
        choice = match.group(1).strip()
        if not choice or not any(char.isalpha() for char in choice):
            continue
        if not match.group(2):
            before = text[match.start() - 1] if match.start() else " "
            after = text[match.end()] if match.end() < len(text) else " "
            if not before.isspace() or not (after.isspace() or after in ".,;:!?)"):
                continue
        found.append(SpintaxMatch(match.start(), match.end(), choice))
    return found
