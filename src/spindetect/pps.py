"""Reading an export of the Problematic Paper Screener's tortured-phrase fingerprint list.

The export is CSV (comma-separated, cells quoted or not, ``""`` for a quote inside a quoted
cell), UTF-8, with a header row::

    "Fingerprint - Tortured Phrase","Expected Text","Nb Retrieved Papers"
    "profound learning","deep learning","1134"
    irregular timberland,random forest,87

A fingerprint with quotes of its own is a quoted cell with the inner quotes doubled, as CSV
does: the cell for ``"profound learning" AND "deep learning"`` starts with three quotes.

The fingerprint is a query over one document, not always a bare phrase::

    profound learning                          a plain phrase (quoted or not)
    "profound learning" AND "deep learning"    fires only if "deep learning" is also in the text
    "surface highlights" NOT specular          suppressed wherever "specular" is in the text
    "exactness accuracy"~5                     both words within a slop of 5 (Lucene proximity)
    ("a b" OR "c d") AND e                     OR and brackets, with the usual precedence

Only the head terms (reached through OR, and the left side of AND/NOT) are flagged.  The
compiled core parses and matches queries (``rust/engine/src/phrasebook/query.rs`` has the
grammar).  The expected text is what the
tortured phrase stands for (it may be empty: the phrase is then flagged but not rewritten); the
paper count is kept in each entry's note.  The list itself is not bundled with spindetect: its
licence is unclear, so users load their own copy.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .entries import Entry, PhrasebookError

HEADER = ("Fingerprint - Tortured Phrase", "Expected Text", "Nb Retrieved Papers")
FORMAT = "pps-csv"


@dataclass
class PPSList:
    """The entries read from one export, and what a user needs to know about the file."""

    entries: list[Entry]
    path: str
    sha256: str
    rows: int
    kinds: Counter = field(default_factory=Counter)
    duplicates: int = 0
    records: list[tuple[str, str, str]] = field(default_factory=list)  # normalised rows

    def summary(self) -> dict:
        """What ``spindetect phrases import`` prints: counts by query kind, the file's hash."""
        return {
            **self.provenance,
            "fingerprints": len(self.entries),
            "kinds": dict(sorted(self.kinds.items())),
            "duplicates": self.duplicates,
            "flag_only": sum(1 for entry in self.entries if not entry.original),
        }

    @property
    def provenance(self) -> dict:
        """What a report records about the list it used."""
        return {"path": self.path, "format": FORMAT, "sha256": self.sha256, "rows": self.rows}


def looks_like_pps(data: bytes, path: str | Path) -> bool:
    """True for a ``.csv`` file or a file whose header names the PPS fingerprint column."""
    head = data[:200].lstrip(b"\xef\xbb\xbf").lstrip().lstrip(b'"').lower()
    return str(path).lower().endswith(".csv") or head.startswith(b"fingerprint")


def read_pps(path: str | Path, source: str | None = None) -> PPSList:
    """Read and validate an export; raises :class:`PhrasebookError` naming the bad row."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PhrasebookError(f"{path}: cannot read: {error.strerror or error}") from None
    return parse_pps(data, str(path), source or f"pps:{path.name}")


def parse_pps(data: bytes, origin: str, source: str = "pps") -> PPSList:
    """Parse export bytes; ``origin`` names the file in messages, ``source`` goes on findings."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PhrasebookError(f"{origin}: not UTF-8 (byte {error.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    result = PPSList([], origin, digest, 0)
    seen: set[tuple[str, str]] = set()
    row_number = 0
    try:
        for row_number, row in enumerate(reader, start=1):
            if not row or not any(cell.strip() for cell in row):
                continue
            if row_number == 1 and row[0].strip().lower().startswith("fingerprint"):
                continue  # the header
            entry, kind, papers = _entry(row, f"{origin}: row {row_number}", source)
            result.rows += 1
            canonical = entry.query if entry.query else f'"{entry.spun}"'
            if (canonical.lower(), entry.original) in seen:
                result.duplicates += 1
                continue
            seen.add((canonical.lower(), entry.original))
            result.kinds[kind] += 1
            result.entries.append(entry)
            result.records.append((canonical, entry.original, papers))
    except csv.Error as error:
        raise PhrasebookError(
            f"{origin}: row {row_number + 1} (line {reader.line_num}): malformed CSV: {error}"
        ) from None
    if not result.rows:
        raise PhrasebookError(f"{origin}: no fingerprint rows")
    return result


def _entry(row: list[str], where: str, source: str) -> tuple[Entry, str, str]:
    if len(row) < 2:
        raise PhrasebookError(
            f"{where}: expected 'fingerprint,expected text[,papers]', found {len(row)} cell"
        )
    fingerprint, expected = row[0].strip(), " ".join(row[1].split())
    papers = row[2].strip() if len(row) > 2 else ""
    if not fingerprint:
        raise PhrasebookError(f"{where}: empty fingerprint")
    if papers and not papers.isdigit():
        raise PhrasebookError(f"{where}: paper count {papers!r} is not a whole number")
    from ._core import PhrasebookError as QueryError
    from ._core import parse_query

    try:
        query, phrase = parse_query(fingerprint)
    except QueryError as error:
        raise PhrasebookError(f"{where}: fingerprint {fingerprint!r}: {error}") from None
    note = f"Problematic Paper Screener fingerprint {query}" + (
        f", {papers} papers" if papers else ""
    )
    if phrase is not None and expected:
        return Entry(phrase, expected, "always", note, source), "plain", papers
    kind = "plain" if phrase is not None else _kind(query)
    return Entry(query, expected, "always", note, source, query), kind, papers


def _kind(text: str) -> str:
    """Operators a query uses, for the import summary (``AND+NOT``, ``proximity``...)."""
    parts = [op for op in ("AND", "OR", "NOT") if f" {op} " in text]
    if "~" in text:
        parts.append("proximity")
    return "+".join(parts) or "plain"


def write_pps(path: str | Path, records: list[tuple[str, str, str]]) -> None:
    """Write ``(fingerprint, expected, papers)`` rows as a normalised export: the header, every
    cell quoted, fingerprints in canonical query form."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(records)
