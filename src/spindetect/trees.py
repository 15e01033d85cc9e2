"""A boosted tree ensemble kept as plain arrays: stored without pickle, evaluated with numpy.

Every tree's nodes sit in shared arrays; a node either splits (go to ``left`` when the row's
``feature`` is at most ``threshold``, or is missing and ``missing_left`` holds; else to
``right``) or is a leaf (``left`` is -1) whose ``value`` adds to the row's score.  The score is
``baseline`` plus one leaf value per tree: the raw decision value of a fitted scikit-learn
``HistGradientBoostingClassifier`` (:meth:`TreeEnsemble.from_sklearn`), which is a log-odds for
a binary classifier.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

FIELDS = ("feature", "threshold", "missing_left", "left", "right", "value")


@dataclass(frozen=True, eq=False)
class TreeEnsemble:
    """Sum-of-trees regression: ``baseline + sum(leaf value of each tree)``."""

    roots: np.ndarray  # node index of each tree's root
    feature: np.ndarray
    threshold: np.ndarray
    missing_left: np.ndarray
    left: np.ndarray  # -1 for a leaf
    right: np.ndarray
    value: np.ndarray
    baseline: float

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TreeEnsemble) and self.to_dict() == other.to_dict()

    @property
    def depth(self) -> int:
        """Most splits on any path from a root to a leaf."""
        depth = 0
        nodes = self.roots
        while True:
            nodes = nodes[self.left[nodes] >= 0]
            if not nodes.size:
                return depth
            depth += 1
            nodes = np.concatenate([self.left[nodes], self.right[nodes]])

    def decision(self, rows: np.ndarray) -> np.ndarray:
        """Score of each row of ``rows`` (one column per feature)."""
        rows = np.ascontiguousarray(rows, dtype=np.float64)
        if rows.ndim != 2:
            raise ValueError("rows must be a 2-D array")
        count, width = rows.shape
        flat = rows.ravel()
        # (row, node) pairs still on their way down; each step retires those at a leaf.
        owner = np.repeat(np.arange(count, dtype=np.int64), self.roots.size)
        nodes = np.tile(self.roots, count)
        score = np.full(count, self.baseline)
        while nodes.size:
            left = self.left[nodes]
            leaf = left < 0
            if leaf.any():
                score += np.bincount(owner[leaf], self.value[nodes[leaf]], minlength=count)
                inner = ~leaf
                owner, nodes, left = owner[inner], nodes[inner], left[inner]
            values = flat[owner * width + self.feature[nodes]]
            go_left = values <= self.threshold[nodes]
            missing = np.isnan(values)
            if missing.any():
                go_left |= missing & self.missing_left[nodes]
            nodes = np.where(go_left, left, self.right[nodes])
        return score

    def to_dict(self) -> dict[str, Any]:
        """Plain lists and numbers (for JSON)."""
        data: dict[str, Any] = {"baseline": self.baseline, "roots": self.roots.tolist()}
        for name in FIELDS:
            data[name] = getattr(self, name).tolist()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], features: int) -> TreeEnsemble:
        """Check and load :meth:`to_dict`'s output; :class:`ValueError` if it is inconsistent."""
        try:
            arrays = {
                "roots": np.asarray(data["roots"], dtype=np.int64),
                "feature": np.asarray(data["feature"], dtype=np.int64),
                "threshold": np.asarray(data["threshold"], dtype=np.float64),
                "missing_left": np.asarray(data["missing_left"], dtype=bool),
                "left": np.asarray(data["left"], dtype=np.int64),
                "right": np.asarray(data["right"], dtype=np.int64),
                "value": np.asarray(data["value"], dtype=np.float64),
            }
            baseline = float(data["baseline"])
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"tree ensemble: {error}") from error
        size = arrays["feature"].size
        if any(arrays[name].shape != (size,) for name in FIELDS) or not arrays["roots"].size:
            raise ValueError("tree ensemble: node arrays of unequal length, or no tree")
        inner = arrays["left"] >= 0
        children = np.concatenate([arrays["left"][inner], arrays["right"][inner]])
        if (
            (arrays["roots"] < 0).any()
            or (arrays["roots"] >= size).any()
            or (children >= size).any()
            or (arrays["right"][inner] < 0).any()
            or (arrays["feature"][inner] < 0).any()
            or (arrays["feature"][inner] >= features).any()
        ):
            raise ValueError("tree ensemble: a node points outside the ensemble")
        parents = np.concatenate([np.flatnonzero(inner)] * 2)
        if (children <= parents).any():
            raise ValueError("tree ensemble: a child must come after its parent")
        return cls(baseline=baseline, **arrays)

    @classmethod
    def from_sklearn(cls, model: Any) -> TreeEnsemble:
        """The trees of a fitted binary ``HistGradientBoostingClassifier`` (numeric features)."""
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
        return cls(
            np.asarray(roots, dtype=np.int64),
            *columns,
            baseline=float(np.ravel(model._baseline_prediction)[0]),
        )
