"""Stand-ins for the detector where a test measures the measuring, not the detector."""

from __future__ import annotations

from collections.abc import Callable

from spindetect.findings import Finding, Report


def phrase_scanner(found: list[tuple[str, str]]) -> Callable[[str], Report]:
    """A scanner that reports the (phrase, suggestion) pairs ``found`` at their first place in
    a text, judging a text spun when it reports anything."""

    def scan(text: str) -> Report:
        findings = []
        for phrase, suggestion in found:
            start = text.find(phrase)
            if start >= 0:
                findings.append(Finding(start, start + len(phrase), phrase, suggestion, 0.95, "t"))
        verdict = "spun" if findings else "clean"
        return Report(tuple(findings), verdict, 0.9 if findings else 0.1, len(text.split()))

    return scan
