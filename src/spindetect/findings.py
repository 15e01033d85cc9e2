"""What spindetect returns: a :class:`Finding` per spun phrase, a :class:`Report` per text."""

from __future__ import annotations

from dataclasses import asdict, astuple, dataclass, field
from typing import Any, Literal

Verdict = Literal["spun", "clean"]


@dataclass(frozen=True)
class Evidence:
    """Counts behind a document's verdict: thesaurus suspects, how many are unusual against
    clean text (p <= 0.01, p <= 0.05), certain artefacts (phrasebook ``always``, spintax),
    Fisher's sum ``-sum(ln p)`` over the suspects, the suspects' mixture log-likelihood ratio of
    spun over clean, and the findings added by following confirmed swaps."""

    suspects: int = 0
    p_below_001: int = 0
    p_below_005: int = 0
    artefacts: int = 0
    neg_log_p: float = 0.0
    suspect_log_ratio: float = 0.0
    followed: int = 0

    def __add__(self, other: Evidence) -> Evidence:
        return Evidence(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


@dataclass(frozen=True)
class Finding:
    """A phrase judged spun.

    ``start``/``end`` are character offsets into the scanned text
    (``text[start:end] == finding.text``), ``suggestion`` the likely original, ``score`` a
    confidence in [0, 1], ``source`` what produced it (``thesaurus``, ``phrasebook``,
    ``spintax``, or an imported list's name) and ``reason`` a sentence a user can check.
    ``alternatives`` are the next likeliest originals, best first; ``restore`` is False where
    the best original is not clearly ahead of them: the phrase is reported as spun, and
    restoring leaves it as written.
    """

    start: int
    end: int
    text: str
    suggestion: str
    score: float
    source: str
    reason: str = ""
    alternatives: tuple[str, ...] = ()
    restore: bool = True

    @property
    def shown_suggestion(self) -> str:
        """The suggestion as the text and HTML reports show it: the best original, and the
        next one too where the two are too close to restore."""
        if self.restore or not self.alternatives:
            return self.suggestion
        return f"{self.suggestion} or {self.alternatives[0]}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping with the score rounded for display."""
        data = asdict(self)
        data["score"] = round(self.score, 4)
        data["alternatives"] = list(self.alternatives)
        return data


@dataclass(frozen=True)
class Report:
    """What :func:`spindetect.scan` found in one text."""

    findings: tuple[Finding, ...]
    verdict: Verdict
    score: float
    words: int
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def is_spun(self) -> bool:
        """True when the verdict is ``"spun"``."""
        return self.verdict == "spun"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping (the ``--format json`` file object without its path).

        User files the scan used (extra phrasebooks, reference models) are listed with their
        sha256 and row count under ``phrasebooks`` / ``references``.
        """
        data: dict[str, Any] = {
            "verdict": self.verdict,
            "score": round(self.score, 4),
            "words": self.words,
            "findings": [finding.to_dict() for finding in self.findings],
        }
        for key in ("phrasebooks", "references"):
            if self.meta.get(key):
                data[key] = self.meta[key]
        return data
