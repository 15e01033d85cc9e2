"""Apply findings to text: every character outside the reported spans stays as it was."""

from __future__ import annotations

from collections.abc import Iterable

from .findings import Finding


def apply_findings(text: str, findings: Iterable[Finding], offset: int = 0) -> str:
    """Replace the span of each finding marked ``restore`` by its suggestion (a finding whose
    best original is not clearly ahead of the next is reported, not written back); spans must
    not overlap.

    ``offset`` is where ``text`` starts in the text the findings index (a piece of a long
    document).  Raises ``ValueError`` if a finding does not describe ``text`` (offsets that do
    not slice back to the finding's text), so a stale report can never corrupt a document.
    """
    pieces = []
    cursor = 0
    for finding in sorted(findings, key=lambda f: f.start):
        start, end = finding.start - offset, finding.end - offset
        if start < cursor or text[start:end] != finding.text:
            raise ValueError(f"finding at {finding.start}-{finding.end} does not match the text")
        if not finding.restore:
            continue
        pieces.append(text[cursor:start])
        pieces.append(finding.suggestion)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
