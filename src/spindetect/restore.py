"""Apply findings to text: every character outside the reported spans stays as it was."""

from __future__ import annotations

from collections.abc import Iterable

from .findings import Finding


def apply_findings(text: str, findings: Iterable[Finding]) -> str:
    """Replace each finding's span by its suggestion; spans must not overlap.

    Raises ``ValueError`` if a finding does not describe ``text`` (offsets that do not slice back
    to the finding's text), so a stale report can never corrupt a document.
    """
    pieces = []
    cursor = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < cursor or text[finding.start : finding.end] != finding.text:
            raise ValueError(f"finding at {finding.start}-{finding.end} does not match the text")
        pieces.append(text[cursor : finding.start])
        pieces.append(finding.suggestion)
        cursor = finding.end
    pieces.append(text[cursor:])
    return "".join(pieces)
