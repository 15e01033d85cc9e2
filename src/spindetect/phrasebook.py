"""Curated spun -> original pairs: the phrasebook file format and its reader.

File format (``corpus/phrasebook.tsv``): UTF-8, tab-separated ``spun  original  mode  note``;
lines starting with ``#`` are comments.  ``mode`` is ``always`` (the spun form hardly occurs in
honest English: flag it on sight) or ``context`` (flag it only where the reference prefers the
original in context).  Patterns are tokenized like the text, so hyphens must match and
whitespace need not; matching is case-insensitive, longest match first.

An entry may instead carry a *query* (an imported fingerprint such as ``"profound learning" AND
"deep learning"``, see :mod:`spindetect.pps`): it is matched per document with its
AND / NOT / OR / proximity semantics.  :meth:`Phrasebook.from_file` reads the TSV format above or
an export of the Problematic Paper Screener's list (:mod:`spindetect.pps`), told apart by the
header; :attr:`Phrasebook.provenance` records each file read (path, sha256, row count).

The compiled core (:mod:`spindetect._core`) matches the entries, leftmost-longest in one pass
over the tokens, and finds spintax leftovers (``{hardware}``, ``{big|large}``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .data import data_path
from .entries import MODES, Entry, Mode, PhrasebookError

__all__ = [
    "MODES",
    "Entry",
    "Mode",
    "Phrasebook",
    "PhrasebookError",
    "default_phrasebook",
    "parse_entries",
]


class Phrasebook:
    """A list of entries and where they came from; the compiled core matches them."""

    def __init__(self, entries: list[Entry], provenance: tuple[dict[str, Any], ...] = ()) -> None:
        self.entries = list(entries)
        self.provenance = provenance

    def __len__(self) -> int:
        return len(self.entries)

    def merged(self, other: Phrasebook) -> Phrasebook:
        """A phrasebook holding both sets of entries (and both provenances); on the same span,
        an entry of ``other`` wins, so a user's file overrides the bundled phrasebook."""
        return Phrasebook(other.entries + self.entries, self.provenance + other.provenance)

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
