"""Writers of the model files the compiled core reads, for the training scripts only.

Nothing here is imported at run time: ``scripts/train_classifier.py`` and
``scripts/build_null.py`` turn what they measured with the core into the files the core then
loads, in the formats ``rust/engine/src/{trees,suspects,verdict,calibration}.rs`` document:

* ``suspect_model.json``: a boosted tree ensemble (:func:`tree_dict`, the node arrays of a
  fitted scikit-learn ``HistGradientBoostingClassifier``) with the training prior, the mixture
  share and the artefact ratio (:func:`suspect_model_json`);
* ``document_model.json``: a standardised logistic regression (:func:`document_model_json`) on
  :func:`document_features`;
* ``null_statistics.json``: quantiles of the suspect statistic on clean text
  (:func:`null_json`).

:func:`engine` loads the core on the bundled data with any of these files swapped for a new
one, so a script can measure with the model it just wrote.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from .. import _core
from ..api import DEFAULT_CONFIG
from ..data import candidate_tables, data_path
from ..findings import Evidence
from ..phrasebook import default_phrasebook
from ..reference import cmu_model_path

SUSPECT_FEATURES: tuple[str, ...] = tuple(_core.SUSPECT_FEATURES)  # the core's feature order
DOCUMENT_FEATURES: tuple[str, ...] = tuple(_core.DOCUMENT_FEATURES)
TREE_FIELDS = ("feature", "threshold", "missing_left", "left", "right", "value")


def tree_dict(model: Any) -> dict[str, Any]:
    """The trees of a fitted binary ``HistGradientBoostingClassifier`` (numeric features) as
    the core's node arrays: every tree's nodes in shared lists, a leaf's ``left`` and
    ``right`` are -1 and its ``value`` adds to ``baseline``; the score is scikit-learn's
    ``decision_function``."""
    roots, parts, offset = [], [], 0
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        parts.append(
            (
                nodes["feature_idx"].astype(np.int64),
                nodes["num_threshold"].astype(np.float64),
                nodes["missing_go_to_left"].astype(bool),
                np.where(leaf, -1, nodes["left"].astype(np.int64) + offset),
                np.where(leaf, -1, nodes["right"].astype(np.int64) + offset),
                np.where(leaf, nodes["value"], 0.0).astype(np.float64),
            )
        )
        roots.append(offset)
        offset += len(nodes)
    columns = [np.concatenate(column) for column in zip(*parts, strict=True)]
    data: dict[str, Any] = {
        "baseline": float(np.ravel(model._baseline_prediction)[0]),
        "roots": roots,
    }
    for name, column in zip(TREE_FIELDS, columns, strict=True):
        data[name] = column.tolist()
    return data


def suspect_model_json(
    trees: dict[str, Any],
    prior_log_odds: float,
    mixture_share: float,
    artefact_log_ratio: float,
    trained_on: str,
) -> str:
    """The text of ``suspect_model.json`` (without the final newline)."""
    return json.dumps(
        {
            "features": list(SUSPECT_FEATURES),
            "trees": {key: trees[key] for key in ("baseline", "roots", *TREE_FIELDS)},
            "prior_log_odds": prior_log_odds,
            "mixture_share": mixture_share,
            "artefact_log_ratio": artefact_log_ratio,
            "trained_on": trained_on,
        }
    )


def document_features(findings: int, evidence: Evidence, words: int) -> list[float]:
    """The document classifier's inputs (:data:`DOCUMENT_FEATURES`), as the core computes them
    (``verdict.rs::features``): findings per 1,000 words (log1p, at least 50 words), the log
    length, and the suspects' mixture log-likelihood ratio over the square root of the length.
    ``findings`` counts those made before confirmed swaps were followed."""
    from .._core import document_features as core_features

    return list(core_features(findings, tuple(asdict(evidence).values()), words))


def document_model_json(
    mean: Sequence[float],
    scale: Sequence[float],
    coef: Sequence[float],
    intercept: float,
    trained_on: str,
) -> str:
    """The text of ``document_model.json`` (without the final newline): a logistic regression
    on the standardised :data:`DOCUMENT_FEATURES`."""
    return json.dumps(
        {
            "features": list(DOCUMENT_FEATURES),
            "mean": [float(x) for x in mean],
            "scale": [float(x) for x in scale],
            "coef": [float(x) for x in coef],
            "intercept": float(intercept),
            "trained_on": trained_on,
        },
        indent=1,
    )


def null_table(sample: Sequence[float], points: int = 400) -> tuple[list[float], list[float]]:
    """``(values, survival)``: ``points`` quantiles of ``sample``, evenly spaced in log survival
    from 1 down to 1/len(sample) (dense in the upper tail), repeated values dropped;
    ``survival[i]`` is the share of the sample at least ``values[i]`` (rounded to 4 places)."""
    ordered = sorted(sample)
    count = len(ordered)
    if count < 2:
        raise ValueError("need at least two statistics to build a null distribution")
    levels = [10 ** (-(i / (points - 1)) * math.log10(count)) for i in range(points)]
    values: list[float] = []
    survival: list[float] = []
    for level in levels:
        rank = min(count - 1, max(0, round(count * (1 - level))))
        value = ordered[rank]
        if values and value <= values[-1]:
            continue
        values.append(round(value, 4))
        survival.append((count - bisect.bisect_left(ordered, value)) / count)
    return values, survival


def null_json(
    values: Sequence[float], survival: Sequence[float], source: str, suspects: int
) -> str:
    """The text of ``null_statistics.json`` (without the final newline)."""
    return json.dumps(
        {
            "source": source,
            "suspects": suspects,
            "values": list(values),
            "survival": list(survival),
        },
        indent=0,
    )


def engine(
    *,
    suspects: str | Path | None = None,
    document: str | Path | None = None,
    null: str | Path | None = None,
    sources: tuple[str, ...] = ("moby",),
) -> Any:
    """A ``spindetect._core.Engine`` on the bundled data and default settings, with the given
    model files in place of the bundled ones and the candidate tables of ``sources``."""
    from .. import _core

    return _core.Engine(
        reference=cmu_model_path(),
        references=[],
        candidates=candidate_tables(sources),
        null=str(null or data_path("null_statistics.json")),
        suspects=str(suspects or data_path("suspect_model.json")),
        document=str(document or data_path("document_model.json")),
        entries=[entry.as_core() for entry in default_phrasebook().entries],
        config=DEFAULT_CONFIG.as_numbers(),
    )


def mixture_log_ratio(
    log_odds: np.ndarray,
    prior_log_odds: float,
    share: float,
    artefacts: int = 0,
    artefact_log_ratio: float = 0.0,
) -> float:
    """``sum(log(1 - s + s * ratio_i))`` over suspects with these log-odds and ``artefacts``
    certain artefacts: what the core's evidence should be for a model with these numbers (used
    to check a written model against the scikit-learn one it came from)."""
    ratios = np.append(np.asarray(log_odds) - prior_log_odds, [artefact_log_ratio] * artefacts)
    return float(np.logaddexp(math.log1p(-share), math.log(share) + ratios).sum())
