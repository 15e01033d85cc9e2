"""Output formats of ``spindetect scan``: linter-style text, JSON, JSON Lines (here), HTML
(:mod:`spindetect.render.html`)."""

from __future__ import annotations

import bisect
import json
from typing import Any

from ..findings import Report

FORMATS = ("text", "json", "jsonl", "html")


def file_record(path: str, report: Report) -> dict[str, Any]:
    """The JSON object for one scanned file."""
    return {"path": path, **report.to_dict()}


class LineIndex:
    """Offset -> (line, column), both 1-based, by binary search over line starts."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        position = text.find("\n")
        while position != -1:
            self._starts.append(position + 1)
            position = text.find("\n", position + 1)

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


def render_text(path: str, text: str, report: Report) -> str:
    """``path:line:col: spun -> original (score 0.97, source)`` lines and a verdict line."""
    index = LineIndex(text)
    lines = []
    for finding in report.findings:
        line, column = index.locate(finding.start)
        lines.append(
            f"{path}:{line}:{column}: {finding.text} -> {finding.suggestion} "
            f"(score {finding.score:.2f}, {finding.source})"
        )
    count = len(report.findings)
    lines.append(
        f"{path}: {report.verdict} (score {report.score:.2f}, {count} finding"
        f"{'' if count == 1 else 's'} in {report.words} words)"
    )
    return "\n".join(lines)


def render_json_line(path: str, report: Report) -> str:
    """One file object on one line (``--format jsonl``)."""
    return json.dumps(file_record(path, report), ensure_ascii=False)
