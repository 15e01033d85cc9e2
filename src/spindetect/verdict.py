"""Document verdict from findings: a density rule (findings per 1,000 words, weighted by score)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .findings import Finding, Verdict


@dataclass(frozen=True)
class DensityRule:
    """``score = 1 - exp(-weighted_density / scale)``; spun when ``score >= cutoff`` and at least
    ``min_findings`` findings were made (one stray finding never condemns a document).

    With the defaults, 3 confident findings per 1,000 words give a score of about 0.5.
    """

    scale: float = 4.0
    cutoff: float = 0.5
    min_findings: int = 2

    def score(self, findings: Sequence[Finding], words: int) -> float:
        """Document score in [0, 1]."""
        if not findings or words <= 0:
            return 0.0
        density = 1000.0 * sum(f.score * max(1, len(f.text.split())) ** 0.5 for f in findings)
        density /= max(words, 100)
        return 1.0 - math.exp(-density / self.scale)

    def verdict(self, findings: Sequence[Finding], words: int) -> tuple[Verdict, float]:
        """``("spun" | "clean", score)``."""
        score = self.score(findings, words)
        spun = score >= self.cutoff and len(findings) >= self.min_findings
        return ("spun" if spun else "clean"), score
