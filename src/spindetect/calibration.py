"""The null distribution of suspect statistics on clean English, and false-discovery control.

A trigram reference cannot tell an honest rare word ("a fervent supporter") from a spun one
("navy ties") by local evidence alone: both lose to a frequent synonym.  What tells a spun
document apart is an *excess* of high statistics over what clean text produces.  So the
detector converts each thesaurus suspect's statistic into a p-value against the distribution
measured on clean English and keeps the findings that pass the Benjamini-Hochberg procedure
within the document.  A clean document's statistics look like the null and nothing passes; a
spun document has many more high values than expected and the bar drops.

Data file ``null_statistics.json`` (built by ``scripts/build_null.py``): ``{"source": str,
"suspects": int, "values": [float...], "survival": [float...]}``: ``survival[i]`` is the share
of clean-text suspects whose statistic is at least ``values[i]`` (values ascending).
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .data import data_path


@dataclass(frozen=True)
class NullDistribution:
    """Survival function of the suspect statistic on clean text, interpolated in log space."""

    values: tuple[float, ...]
    survival: tuple[float, ...]
    source: str = ""
    suspects: int = 0

    def p_value(self, statistic: float) -> float:
        """P(statistic >= x) on clean text; beyond the table the last log-slope is extended."""
        return float(self.p_values(np.array([statistic], dtype=np.float64))[0])

    def p_values(self, statistics: np.ndarray) -> np.ndarray:
        """:meth:`p_value` of every element of an array."""
        values = np.asarray(self.values, dtype=np.float64)
        log_survival = np.log(np.asarray(self.survival, dtype=np.float64))
        statistics = np.asarray(statistics, dtype=np.float64)
        index = np.searchsorted(values, statistics, side="right")
        high = np.clip(index, 1, values.size - 1)
        low = high - 1
        span = values[high] - values[low]
        flat = span <= 0
        fraction = (statistics - values[low]) / np.where(flat, 1.0, span)
        log_p = log_survival[low] + fraction * (log_survival[high] - log_survival[low])
        result = np.where(flat, np.exp(log_survival[high]), np.exp(np.minimum(log_p, 0.0)))
        result = np.minimum(result, 1.0)
        result[~(statistics > values[0])] = 1.0
        return result

    @classmethod
    def from_file(cls, path: str | Path) -> NullDistribution:
        """Load a table in the format above."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            tuple(data["values"]),
            tuple(data["survival"]),
            data.get("source", ""),
            int(data.get("suspects", 0)),
        )

    @classmethod
    def from_sample(
        cls, sample: Sequence[float], points: int = 400, source: str = ""
    ) -> NullDistribution:
        """Summarise observed statistics as a table of ``points`` quantiles (dense in the tail)."""
        ordered = sorted(sample)
        count = len(ordered)
        if count < 2:
            raise ValueError("need at least two statistics to build a null distribution")
        # Survival levels from 1 down to 1/count, evenly spaced in log space.
        levels = [10 ** (-(i / (points - 1)) * math.log10(count)) for i in range(points)]
        values, survival = [], []
        for level in levels:
            rank = min(count - 1, max(0, round(count * (1 - level))))
            value = ordered[rank]
            share = (count - bisect.bisect_left(ordered, value)) / count
            if values and value <= values[-1]:
                continue
            values.append(round(value, 4))
            survival.append(share)
        return cls(tuple(values), tuple(survival), source, count)

    def to_json(self) -> str:
        """Serialise in the data-file format."""
        return json.dumps(
            {
                "source": self.source,
                "suspects": self.suspects,
                "values": list(self.values),
                "survival": list(self.survival),
            },
            indent=0,
        )


class FalseDiscoveryControl:
    """Benjamini-Hochberg q-values for one document's suspects, from their p-values.

    With ``n`` suspects, ``q(p) = min over p-values p' >= p (and p itself) of
    p' * n / #{suspects with p-value <= p'}``: the false-discovery rate of accepting every
    suspect at least as strong as the weakest one accepted.  q never falls as p rises.

    ``certain`` counts discoveries made with p ~ 0 in the same document (phrasebook artefacts):
    they join the family as tests that are always rejected, so a document that visibly went
    through a spinner lends power to its thesaurus suspects.  With fewer than ``min_suspects``
    suspects there is no sample to speak of and every q is 1.
    """

    def __init__(self, p_values: Sequence[float], certain: int = 0, min_suspects: int = 0) -> None:
        self.certain = certain
        self.count = len(p_values) if len(p_values) >= min_suspects else 0
        self._ordered = sorted(p_values) if self.count else []
        # q at each observed p-value, taking the minimum over all larger p-values.
        self._q_from: list[float] = [1.0] * self.count
        best = 1.0
        for index in range(self.count - 1, -1, -1):
            best = min(best, self._direct(self._ordered[index], index + 1))
            self._q_from[index] = best

    def _direct(self, p_value: float, at_most: int) -> float:
        return p_value * (self.count + self.certain) / max(at_most + self.certain, 1)

    def q_value(self, p_value: float) -> float:
        """Estimated false-discovery rate of accepting every suspect with a p-value this small."""
        if not self.count:
            return 1.0
        at_most = bisect.bisect_right(self._ordered, p_value)
        q = self._direct(p_value, at_most)
        above = bisect.bisect_left(self._ordered, p_value)
        if above < self.count:
            q = min(q, self._q_from[above])
        return min(1.0, q)


@lru_cache(maxsize=1)
def default_null() -> NullDistribution:
    """The bundled null distribution, loaded once per process."""
    return NullDistribution.from_file(data_path("null_statistics.json"))
