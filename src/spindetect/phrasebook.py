"""Curated spun -> original pairs, matched in one pass over the tokens.

File format (``corpus/phrasebook.tsv``): UTF-8, tab-separated ``spun  original  mode  note``;
lines starting with ``#`` are comments.  ``mode`` is ``always`` (the spun form hardly occurs in
honest English: flag it on sight) or ``context`` (flag it only where the reference prefers the
original in context).  Patterns are tokenized like the text, so hyphens must match and
whitespace need not; matching is case-insensitive, longest match first.

An entry may instead carry a *query* (an imported fingerprint such as ``"profound learning" AND
"deep learning"``, see :mod:`spindetect.fingerprints`): it is matched per document with its
AND / NOT / OR / proximity semantics.  :meth:`Phrasebook.from_file` reads the TSV format above or
an export of the Problematic Paper Screener's list (:mod:`spindetect.pps`), told apart by the
header; :attr:`Phrasebook.provenance` records each file read (path, sha256, row count).

Spintax leftovers (``{hardware}``, ``{big|large}``) are found here too, by :func:`spintax_matches`.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import regex

from .data import data_path
from .entries import MODES, Entry, Mode, PhrasebookError
from .fingerprints import DocumentIndex, Hit
from .tokens import Token, tokenize

__all__ = [
    "MODES",
    "Entry",
    "Mode",
    "PhraseMatch",
    "Phrasebook",
    "PhrasebookError",
    "SpintaxMatch",
    "default_phrasebook",
    "parse_entries",
    "spintax_matches",
]


class PhraseMatch(NamedTuple):
    """An entry matched on tokens ``first .. last`` (inclusive indices into the token list)."""

    first: int
    last: int
    entry: Entry


class Phrasebook:
    """A set of entries indexed by their first token for a single left-to-right pass."""

    def __init__(self, entries: list[Entry], provenance: tuple[dict[str, Any], ...] = ()) -> None:
        self.entries = list(entries)
        self.provenance = provenance
        self._by_first: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        self._queries = [entry for entry in self.entries if entry.query is not None]
        self._rank = {id(entry): rank for rank, entry in enumerate(self.entries)}
        for entry in self.entries:
            if entry.query is not None:
                continue
            key = tuple(token.lower for token in tokenize(entry.spun))
            if key:
                self._by_first.setdefault(key[0], []).append((key, entry))
        for patterns in self._by_first.values():
            patterns.sort(key=lambda item: -len(item[0]))

    def __len__(self) -> int:
        return len(self.entries)

    def merged(self, other: Phrasebook) -> Phrasebook:
        """A phrasebook holding both sets of entries (and both provenances); on the same span,
        an entry of ``other`` wins, so a user's file overrides the bundled phrasebook."""
        return Phrasebook(other.entries + self.entries, self.provenance + other.provenance)

    def matches(self, tokens: list[Token]) -> list[PhraseMatch]:
        """Leftmost-longest, non-overlapping matches over ``tokens`` (one document)."""
        found = self._phrase_matches(tokens)
        if not self._queries:
            return found
        document = DocumentIndex(tokens)
        ranked = [(match, self._rank[id(match.entry)]) for match in found]
        for entry in self._queries:
            rank = self._rank[id(entry)]
            ranked.extend(
                (_query_match(tokens, entry, hit), rank)
                for hit in entry.query.hits(document)  # type: ignore[union-attr]
            )
        # Leftmost, then longest, then the entry listed first.
        ranked.sort(key=lambda item: (item[0].first, item[0].first - item[0].last, item[1]))
        chosen: list[PhraseMatch] = []
        for match, _ in ranked:
            if not chosen or match.first > chosen[-1].last:
                chosen.append(match)
        return chosen

    def _phrase_matches(self, tokens: list[Token]) -> list[PhraseMatch]:
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
        """Read a phrasebook TSV or a PPS export; raises :class:`PhrasebookError` naming the
        bad line or row.  Findings from a PPS export get the source ``pps:FILENAME``."""
        import hashlib  # user files only: kept out of start-up, like the PPS reader

        from .pps import looks_like_pps, parse_pps

        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise PhrasebookError(f"{path}: cannot read phrasebook: {error}") from None
        if looks_like_pps(data, path):
            imported = parse_pps(data, str(path), f"pps:{path.name}")
            return cls(imported.entries, (imported.provenance,))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise PhrasebookError(f"{path}: cannot read phrasebook: {error}") from None
        entries = parse_entries(text, f"{path}", source)
        provenance = {
            "path": str(path),
            "format": "tsv",
            "sha256": hashlib.sha256(data).hexdigest(),
            "rows": len(entries),
        }
        return cls(entries, (provenance,))


def _query_match(tokens: list[Token], entry: Entry, hit: Hit) -> PhraseMatch:
    """A query hit as a match.  An exact hit with an expected text is rewritten to it; any other
    hit (words spread by proximity, or no expected text) is flagged with the text kept as is."""
    if hit.exact and entry.original:
        return PhraseMatch(hit.first, hit.last, entry)
    observed = tokens[hit.first].text
    for index in range(hit.first + 1, hit.last + 1):
        gap = tokens[index].start - tokens[index - 1].end
        observed += " " * gap + tokens[index].text
    why = "words not adjacent" if entry.original else "no expected text"
    note = f"{entry.note}; flagged, not rewritten ({why}" + (
        f"; expected: {entry.original})" if entry.original else ")"
    )
    return PhraseMatch(hit.first, hit.last, replace(entry, original=observed, note=note))


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
    """The curated phrasebook bundled with spindetect, loaded once per process (a TSV; read
    without the PPS and sha256 steps of :meth:`Phrasebook.from_file`, which only user files
    need)."""
    path = data_path("phrasebook.tsv")
    return Phrasebook(parse_entries(path.read_text(encoding="utf-8"), str(path)))


_SPINTAX_RE = regex.compile(r"\{([^{}|\n]{1,80})((?:\|[^{}|\n]{0,80}){0,20})\}")
# What a spinner's alternative looks like: words, not code ("{'page': 2}", '{"a": 1}').
_SPINTAX_ALTERNATIVE = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}\s'’&.,-]*")


class SpintaxMatch(NamedTuple):
    """A ``{a|b}`` group left in the text: its span and the first alternative."""

    start: int
    end: int
    choice: str


def spintax_matches(text: str) -> list[SpintaxMatch]:
    """Spintax groups left in ``text``; ``{a|b}`` restores to ``a``, ``{a}`` to ``a``.

    A lone ``{word}`` is also how templates write placeholders (``"{message}"``,
    ``module.{version}.pyc``), so it counts only where it stands as a word in prose: whitespace
    before it, and whitespace or sentence punctuation after it.  Every alternative must look
    like words (a dict or JSON literal in a code sample is not spintax).
    """
    if "{" not in text:
        return []
    found = []
    for match in _SPINTAX_RE.finditer(text):
        choice = match.group(1).strip()
        if not choice or not any(char.isalpha() for char in choice):
            continue
        alternatives = [choice, *(a.strip() for a in match.group(2).split("|")[1:])]
        if not all(not a or _SPINTAX_ALTERNATIVE.fullmatch(a) for a in alternatives):
            continue
        if not match.group(2):
            before = text[match.start() - 1] if match.start() else " "
            after = text[match.end()] if match.end() < len(text) else " "
            if not before.isspace() or not (after.isspace() or after in ".,;:!?)"):
                continue
        found.append(SpintaxMatch(match.start(), match.end(), choice))
    return found
