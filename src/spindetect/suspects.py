"""How spun each thesaurus suspect looks, and what a document's suspects say together.

Every thesaurus suspect (a word or phrase the reversed thesaurus knows) carries evidence: its
statistic, p-value and likelihood gain (:mod:`.detect`), how much rarer it is than its best
candidate, how well its context predicts it and the word after it, its length, the closeness of
the best candidate and how many candidates it has (:data:`SUSPECT_FEATURES`).  Gradient-boosted
trees, trained by ``scripts/train_classifier.py`` on simulated spun text whose substitutions
are known, turn that into the log-odds that the suspect was substituted.  Minus the log-odds of
the training prior, that is a likelihood ratio *spun suspect : clean suspect*.

A document's evidence is the mixture log-likelihood ratio ``sum(log(1 - s + s * ratio_i))``: how
much more likely its suspects are if a share ``s`` of them were substituted than if none were.
It is about zero or below on clean text, grows with every unusual suspect, and adds over the
pieces of a long text.  Certain artefacts (phrasebook ``always`` hits, spintax) join it as
suspects with one fixed ratio, estimated on the same training texts: their rate among
substituted suspects over their (smoothed) rate among the suspects of the clean texts.

The same ratios, with the share that fits the document best, give each suspect a posterior
probability of being substituted (:meth:`SuspectModel.posteriors`), which the detector uses
beside the Benjamini-Hochberg q-value.

Data file ``suspect_model.json``: ``{"features": [names], "trees": {...}, "prior_log_odds":
float, "mixture_share": float, "artefact_log_ratio": float, "trained_on": str}``; the trees are
a gradient-boosted ensemble kept as plain node arrays (:mod:`.trees`), whose score is the
log-odds: numbers only, no pickle.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .data import data_path
from .trees import TreeEnsemble

SUSPECT_FEATURES = (
    "statistic",
    "gain",
    "neg_log_p",
    "unigram_gap",
    "written_unigram",
    "context_gain",
    "next_context_gain",
    "span_words",
    "log_closeness",
    "candidates",
)
MIN_SHARE, MAX_SHARE = 0.0005, 0.9  # bounds of a document's estimated share of substitutions
BISECTION_STEPS = 40
MISSING_SCORE = -5.0  # statistic and gain of a suspect without a scorable candidate


@dataclass(frozen=True)
class SuspectModel:
    """A tree model of "this suspect was substituted", and the document evidence built on it."""

    trees: TreeEnsemble
    prior_log_odds: float
    mixture_share: float
    artefact_log_ratio: float = 0.0
    trained_on: str = ""

    def log_odds(self, features: np.ndarray) -> np.ndarray:
        """Log-odds that each suspect (a row of ``features``, columns as
        :data:`SUSPECT_FEATURES`) was substituted."""
        features = np.asarray(features, dtype=np.float64).reshape(-1, len(SUSPECT_FEATURES))
        return self.trees.decision(features)

    def log_ratios(self, features: np.ndarray) -> np.ndarray:
        """log of P(evidence | substituted) / P(evidence | honest) for each suspect."""
        return self.log_odds(features) - self.prior_log_odds

    def evidence(self, ratios: np.ndarray, artefacts: int = 0) -> float:
        """Mixture log-likelihood ratio of a set of suspects (their :meth:`log_ratios`) and
        certain artefacts (0.0 for none)."""
        ratios = np.append(ratios, [self.artefact_log_ratio] * artefacts)
        share = self.mixture_share
        return float(np.logaddexp(math.log1p(-share), math.log(share) + ratios).sum())

    @staticmethod
    def posteriors(ratios: np.ndarray, share: float) -> np.ndarray:
        """Posterior probability that each suspect was substituted when a ``share`` of its
        document's suspects were (1 - posterior is the local false-discovery rate)."""
        odds = share / (1.0 - share) * np.exp(np.minimum(ratios, 50.0))
        return odds / (1.0 + odds)

    @staticmethod
    def estimate_share(ratios: np.ndarray, prior_weight: float) -> float:
        """Maximum a posteriori share of substituted suspects among those with these log ratios,
        in [:data:`MIN_SHARE`, :data:`MAX_SHARE`], under a Beta(1, 1 + prior_weight) prior that
        keeps it near zero in short texts.

        The log posterior ``sum(log(1 + s (r_i - 1))) + prior_weight log(1 - s)`` is concave in
        ``s``, so its maximum is where the derivative changes sign: found by bisection.
        """
        excess = np.exp(np.minimum(ratios, 50.0)) - 1.0

        def slope(share: float) -> float:
            return float((excess / (1.0 + share * excess)).sum()) - prior_weight / (1.0 - share)

        low, high = MIN_SHARE, MAX_SHARE
        if slope(low) <= 0.0:
            return low
        if slope(high) >= 0.0:
            return high
        for _ in range(BISECTION_STEPS):
            middle = 0.5 * (low + high)
            if slope(middle) > 0.0:
                low = middle
            else:
                high = middle
        return 0.5 * (low + high)

    def to_json(self) -> str:
        """Serialise in the data-file format."""
        return json.dumps(
            {
                "features": list(SUSPECT_FEATURES),
                "trees": self.trees.to_dict(),
                "prior_log_odds": self.prior_log_odds,
                "mixture_share": self.mixture_share,
                "artefact_log_ratio": self.artefact_log_ratio,
                "trained_on": self.trained_on,
            }
        )

    @classmethod
    def from_file(cls, path: str | Path) -> SuspectModel:
        """Load and check a model file."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if tuple(data["features"]) != SUSPECT_FEATURES:
            raise ValueError(f"{path}: suspect features {data['features']} do not match")
        try:
            trees = TreeEnsemble.from_dict(data["trees"], len(SUSPECT_FEATURES))
        except (KeyError, ValueError) as error:
            raise ValueError(f"{path}: {error}") from error
        share = float(data["mixture_share"])
        if not 0.0 < share < 1.0:
            raise ValueError(f"{path}: mixture_share must be between 0 and 1")
        return cls(
            trees,
            float(data["prior_log_odds"]),
            share,
            float(data.get("artefact_log_ratio", 0.0)),
            data.get("trained_on", ""),
        )


@lru_cache(maxsize=1)
def default_suspect_model() -> SuspectModel:
    """The bundled suspect model, loaded once per process."""
    return SuspectModel.from_file(data_path("suspect_model.json"))
