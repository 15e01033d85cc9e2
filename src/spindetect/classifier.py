"""The document classifier: how likely a whole text is to be spun, from the detector's evidence.

Features (:func:`features`): findings per 1,000 words, the log length, and the suspects'
mixture log-likelihood ratio of spun over clean (:mod:`.suspects`) divided by the square root
of the length (a sum of per-suspect evidence, scaled like a z-score: on clean text it stays near
zero or below whatever the length).  Certain artefacts (phrasebook ``always`` hits, spintax)
count inside that ratio, each as a suspect with the suspect model's artefact ratio; they are
not a feature of their own as well, where the simulated training text, which has few of them,
gave them a weight below zero.
The model is a scikit-learn logistic regression on standardised features, trained by
``scripts/train_classifier.py`` on simulated spun and clean documents; logistic regression fits
calibrated probabilities directly (log loss).

Data file ``document_model.json``: ``{"features": [names], "mean": [...], "scale": [...],
"coef": [...], "intercept": float, "trained_on": str}``: plain numbers, loaded without pickle.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .data import data_path
from .detect import Evidence

FEATURE_NAMES = (
    "findings_per_1000_words",
    "log_words",
    "suspect_log_ratio_per_sqrt_word",
)


def features(findings: int, evidence: Evidence, words: int) -> list[float]:
    """The classifier's inputs for one document with ``findings`` findings (their number is
    all it needs, so a long document's findings need not be kept to judge it)."""
    per_1000 = 1000.0 / max(words, 50)
    return [
        math.log1p(findings * per_1000),
        math.log1p(words),
        evidence.suspect_log_ratio / math.sqrt(max(words, 1)),
    ]


@dataclass(frozen=True)
class DocumentModel:
    """A logistic regression stored as plain numbers."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    trained_on: str = ""

    def probability(self, values: Sequence[float]) -> float:
        """P(spun) for one feature vector."""
        z = self.intercept + sum(
            c * (v - m) / s
            for c, v, m, s in zip(self.coef, values, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def to_json(self) -> str:
        """Serialise in the data-file format."""
        return json.dumps(
            {
                "features": list(FEATURE_NAMES),
                "mean": list(self.mean),
                "scale": list(self.scale),
                "coef": list(self.coef),
                "intercept": self.intercept,
                "trained_on": self.trained_on,
            },
            indent=1,
        )

    @classmethod
    def from_file(cls, path: str | Path) -> DocumentModel:
        """Load and check a model file."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURE_NAMES:
            raise ValueError(f"{path}: model features {data['features']} do not match this version")
        return cls(
            tuple(data["mean"]),
            tuple(data["scale"]),
            tuple(data["coef"]),
            float(data["intercept"]),
            data.get("trained_on", ""),
        )


@lru_cache(maxsize=1)
def default_model() -> DocumentModel:
    """The bundled document model, loaded once per process."""
    return DocumentModel.from_file(data_path("document_model.json"))
