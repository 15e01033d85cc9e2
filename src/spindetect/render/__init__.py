"""Output formats of ``spindetect scan``: linter-style text, JSON, JSON Lines (here), HTML
(:mod:`spindetect.render.html`).

A file's report is written as each piece of the file is scanned (:meth:`FileReport.add`) and
completed with the verdict (:meth:`FileReport.finish`); text and JSON findings go to a
:class:`~spindetect.spool.Spool`, so a long file's report is not held in memory.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from ..findings import Report
from ..spool import Spool

if TYPE_CHECKING:
    from ..api import Piece

FORMATS = ("text", "json", "jsonl", "html")
FILES_DEPTH = 2  # --format json: a file's object is nested in {"files": [...]}
_MARK = "\x00"  # stands for the findings in a file object rendered by json.dumps


class FileReport(Protocol):
    """One file's report in one format, written piece by piece."""

    def add(self, piece: Piece) -> None:
        """Take the findings of the next piece of the file."""

    def finish(self, report: Report) -> Any:
        """The report, given the verdict (``report.findings`` are those added)."""


def file_report(output_format: str, path: str) -> FileReport:
    """The report of the file ``path`` in ``output_format`` (one of :data:`FORMATS`)."""
    if output_format == "text":
        return TextReport(path)
    if output_format == "html":
        return WholeDocument(path)
    return JsonRecord(path, indented=output_format == "json")


class LineCounter:
    """Offset -> (line, column), both 1-based, over a text read piece by piece, in order."""

    def __init__(self) -> None:
        self._line = 1  # number of the line the current piece starts in
        self._starts = [0]  # where that line and every later one in the piece start

    def feed(self, offset: int, text: str) -> None:
        """Move on to the next piece: ``text``, starting at ``offset``."""
        self._line += len(self._starts) - 1
        self._starts = self._starts[-1:]
        position = text.find("\n")
        while position != -1:
            self._starts.append(offset + position + 1)
            position = text.find("\n", position + 1)

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset in the current piece."""
        line = bisect.bisect_right(self._starts, offset) - 1
        return self._line + line, offset - self._starts[line] + 1


class TextReport:
    """``path:line:col: spun -> original (score 0.97, source)`` lines and a verdict line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lines = LineCounter()
        self._spool = Spool()
        self._count = 0

    def add(self, piece: Piece) -> None:
        """Write a line per finding of the piece."""
        self._lines.feed(piece.offset, piece.text)
        for finding in piece.findings:
            line, column = self._lines.locate(finding.start)
            self._spool.write(
                f"{self.path}:{line}:{column}: {finding.text} -> {finding.shown_suggestion} "
                f"(score {finding.score:.2f}, {finding.source}"
                f"{'' if finding.restore else ', left as written'})\n"
            )
            self._count += 1

    def finish(self, report: Report) -> tuple[Spool, str]:
        """The finding lines and the verdict line (without a final line break)."""
        count = self._count
        return self._spool, (
            f"{self.path}: {report.verdict} (score {report.score:.2f}, {count} finding"
            f"{'' if count == 1 else 's'} in {report.words} words)"
        )


class JsonRecord:
    """A file's JSON object, as ``json.dumps`` writes it: on one line (``--format jsonl``), or
    indented by 2 as an entry of the ``files`` list (``--format json``, :class:`JsonFiles`)."""

    def __init__(self, path: str, indented: bool) -> None:
        self.path = path
        self._indent = 2 if indented else None
        self._margin = "\n" + " " * (2 * FILES_DEPTH) if indented else ""
        self._item_margin = "\n" + " " * (2 * (FILES_DEPTH + 2))  # a finding, in its list
        self._spool = Spool()
        self._count = 0

    def add(self, piece: Piece) -> None:
        """Write the JSON object of each finding of the piece."""
        for finding in piece.findings:
            text = json.dumps(finding.to_dict(), ensure_ascii=False, indent=self._indent)
            if self._indent:
                text = text.replace("\n", self._item_margin)
            if self._count:
                self._spool.write("," + self._item_margin if self._indent else ", ")
            self._spool.write(text)
            self._count += 1

    def finish(self, report: Report) -> tuple[str | Spool, ...]:
        """The file's object: its first part, the findings, its last part."""
        record = {"path": self.path, **report.to_dict()}
        if not self._count:
            return (self._dumps(record),)
        record["findings"] = [_MARK]
        head, _, tail = self._dumps(record).partition(json.dumps(_MARK))
        return head, self._spool, tail

    def _dumps(self, record: dict[str, Any]) -> str:
        text = json.dumps(record, ensure_ascii=False, indent=self._indent)
        return text.replace("\n", self._margin) if self._indent else text


class JsonFiles:
    """``--format json``: ``{"files": [...]}`` laid out as ``json.dumps(indent=2)`` would, one
    file's object (:class:`JsonRecord`) at a time."""

    def __init__(self) -> None:
        self._files = 0

    def opening(self) -> str:
        """What comes before the next file's object."""
        self._files += 1
        return '{\n  "files": [\n    ' if self._files == 1 else ",\n    "

    def closing(self) -> str:
        """The end of the document (without a final line break)."""
        return "\n  ]\n}" if self._files else '{\n  "files": []\n}'


class WholeDocument:
    """``--format html``: keeps the whole text and every finding, for
    :class:`~spindetect.render.html.HtmlReport` (a page shows the text itself)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._texts: list[str] = []
        self._findings: list = []

    def add(self, piece: Piece) -> None:
        """Keep the piece's text and findings."""
        self._texts.append(piece.text)
        self._findings.extend(piece.findings)

    def finish(self, report: Report) -> tuple[str, str, Report]:
        """``(path, text, report)`` for :meth:`HtmlReport.add`."""
        return self.path, "".join(self._texts), replace(report, findings=tuple(self._findings))
