"""A boosted tree ensemble kept as plain arrays: stored without pickle, evaluated with numpy.

Every tree's nodes sit in shared arrays; a node either splits (go to ``left`` when the row's
``feature`` is at most ``threshold``, or is missing and ``missing_left`` holds; else to
``right``) or is a leaf (``left`` is -1) whose ``value`` adds to the row's score.  The score is
``baseline`` plus one leaf value per tree: the raw decision value of a fitted scikit-learn
``HistGradientBoostingClassifier`` (:meth:`TreeEnsemble.from_sklearn`), which is a log-odds for
a binary classifier.  Scoring walks no tree: per-feature tables of the leaves each split rules
out give every row's exit leaves at once (:class:`_ExitTables`), which allows at most 64 leaves
per tree: an ensemble with more is refused when it is made or loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
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

    def __post_init__(self) -> None:
        if (self._layout.leaves_under[self.roots] > MAX_LEAVES).any():
            raise ValueError(f"tree ensemble: a tree has more than {MAX_LEAVES} leaves")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TreeEnsemble) and self.to_dict() == other.to_dict()

    @property
    def depth(self) -> int:
        """Most splits on any path from a root to a leaf."""
        return len(self._layout.levels) - 1

    def decision(self, rows: np.ndarray) -> np.ndarray:
        """Score of each row of ``rows`` (one column per feature)."""
        rows = np.asarray(rows, dtype=np.float64)
        if rows.ndim != 2:
            raise ValueError("rows must be a 2-D array")
        return self._exits.score(rows, self.baseline)

    @cached_property
    def _exits(self) -> _ExitTables:
        return _ExitTables.build(self)

    @cached_property
    def _layout(self) -> _Layout:
        return _Layout.of(self)

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
        if np.unique(np.concatenate([arrays["roots"], children])).size != children.size + len(
            arrays["roots"]
        ):
            raise ValueError("tree ensemble: a node has two parents, or a root has one")
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


MAX_LEAVES = 64  # one bit per leaf of a tree in a uint64


@dataclass(frozen=True, eq=False)
class _Layout:
    """Where each node sits: the nodes level by level from the roots, each node's tree and the
    number of leaves under it."""

    levels: list[np.ndarray]
    tree_of: np.ndarray
    leaves_under: np.ndarray

    @classmethod
    def of(cls, ensemble: TreeEnsemble) -> _Layout:
        inner = ensemble.left >= 0
        tree_of = np.zeros(ensemble.feature.size, dtype=np.int64)
        leaves_under = np.ones(ensemble.feature.size, dtype=np.int64)
        levels = [ensemble.roots]
        tree_of[ensemble.roots] = np.arange(ensemble.roots.size)
        while True:
            parents = levels[-1][inner[levels[-1]]]
            if not parents.size:
                break
            if len(levels) > ensemble.feature.size:  # deeper than the nodes allow: a cycle
                raise ValueError("tree ensemble: a node is its own descendant")
            for children in (ensemble.left[parents], ensemble.right[parents]):
                tree_of[children] = tree_of[parents]
            levels.append(np.concatenate([ensemble.left[parents], ensemble.right[parents]]))
        for nodes in reversed(levels):
            split = nodes[inner[nodes]]
            leaves_under[split] = (
                leaves_under[ensemble.left[split]] + leaves_under[ensemble.right[split]]
            )
        return cls(levels, tree_of, leaves_under)


@dataclass(frozen=True, eq=False)
class _ExitTables:
    """Every tree walked at once, with no loop over depth (the QuickScorer idea).

    A tree's leaves are numbered left to right, one bit each.  A split that sends a row right
    rules out every leaf under its left child; the row's exit leaf is the leftmost leaf no split
    ruled out.  Which splits send a row right depends, per feature, only on how many of that
    feature's thresholds lie below the row's value, so each feature keeps its sorted thresholds
    and, for each count, the AND of the masks those splits apply to each tree (plus one entry for
    a missing value).  Scoring a row is one ``searchsorted`` and one AND per feature.
    """

    thresholds: tuple[np.ndarray, ...]  # per feature, its split thresholds in order
    masks: tuple[np.ndarray, ...]  # per feature, (thresholds + 2, trees) leaves still possible
    leaf_values: np.ndarray  # (trees, MAX_LEAVES) value of each tree's n-th leaf from the left
    bits: type[np.unsignedinteger]  # np.uint32 or np.uint64: the masks' words

    @classmethod
    def build(cls, ensemble: TreeEnsemble) -> _ExitTables:
        size, trees = ensemble.feature.size, ensemble.roots.size
        inner = ensemble.left >= 0
        layout = ensemble._layout
        levels, tree_of, leaves_under = layout.levels, layout.tree_of, layout.leaves_under
        first_leaf = np.zeros(size, dtype=np.int64)  # leftmost leaf under a node, in its tree
        for nodes in levels:
            split = nodes[inner[nodes]]
            first_leaf[ensemble.left[split]] = first_leaf[split]
            first_leaf[ensemble.right[split]] = (
                first_leaf[split] + leaves_under[ensemble.left[split]]
            )
        leaf_values = np.zeros((trees, MAX_LEAVES))
        reached = np.concatenate(levels)
        leaf = reached[~inner[reached]]
        leaf_values[tree_of[leaf], first_leaf[leaf]] = ensemble.value[leaf]

        split = np.flatnonzero(inner)
        left = ensemble.left[split]
        width = leaves_under[left].astype(np.uint64)
        ruled_out = ((np.uint64(1) << width) - np.uint64(1)) << first_leaf[left].astype(np.uint64)
        # One bit per leaf: 32-bit words when every tree has at most 32 leaves (scikit-learn's
        # default is 31), which halves the tables and the work of scoring.
        bits = np.uint32 if leaves_under[ensemble.roots].max() <= 32 else np.uint64
        keeps = (~ruled_out).astype(bits)
        everything = np.full(trees, np.iinfo(bits).max, dtype=bits)
        thresholds, masks = [], []
        features = int(ensemble.feature[split].max(initial=-1)) + 1
        for feature in range(features):
            on_feature = ensemble.feature[split] == feature
            mine = split[on_feature]
            order = np.argsort(ensemble.threshold[mine], kind="stable")
            mine, keep = mine[order], keeps[on_feature][order]
            table = np.tile(everything, (mine.size + 2, 1))
            table[np.arange(1, mine.size + 1), tree_of[mine]] = keep
            table[: mine.size + 1] = np.bitwise_and.accumulate(table[: mine.size + 1], axis=0)
            right_when_missing = ~ensemble.missing_left[mine]
            np.bitwise_and.at(
                table[-1], tree_of[mine][right_when_missing], keep[right_when_missing]
            )
            thresholds.append(ensemble.threshold[mine])
            masks.append(table)
        return cls(tuple(thresholds), tuple(masks), leaf_values, bits)

    def score(self, rows: np.ndarray, baseline: float) -> np.ndarray:
        """``baseline`` plus each row's exit-leaf value in every tree."""
        bits = self.bits
        possible = np.full((rows.shape[0], self.leaf_values.shape[0]), np.iinfo(bits).max, bits)
        for feature, (thresholds, table) in enumerate(
            zip(self.thresholds, self.masks, strict=True)
        ):
            values = rows[:, feature]
            where = np.searchsorted(thresholds, values, side="left")
            where[np.isnan(values)] = thresholds.size + 1
            possible &= table[where]
        leftmost = possible & (~possible + bits(1))
        exit_leaf = np.frexp(leftmost.astype(np.float64))[1] - 1
        trees = np.arange(self.leaf_values.shape[0])
        return baseline + self.leaf_values[trees, exit_leaf].sum(axis=1)
