import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier

from spindetect.trees import TreeEnsemble


@pytest.fixture(scope="module")
def fitted():
    rows, labels = make_classification(n_samples=600, n_features=5, random_state=3)
    rows[::17, 2] = np.nan  # missing values take each node's learned side
    model = HistGradientBoostingClassifier(max_iter=30, random_state=0).fit(rows, labels)
    return model, rows


def test_exported_trees_score_as_scikit_learn_does(fitted):
    model, rows = fitted
    trees = TreeEnsemble.from_sklearn(model)
    assert np.allclose(trees.decision(rows), model.decision_function(rows), atol=1e-9)
    assert trees.roots.size == 30 and trees.depth >= 2


def test_round_trip_through_plain_lists(fitted):
    model, rows = fitted
    trees = TreeEnsemble.from_sklearn(model)
    again = TreeEnsemble.from_dict(trees.to_dict(), rows.shape[1])
    assert again == trees
    assert np.array_equal(again.decision(rows), trees.decision(rows))


def test_no_rows_give_no_scores(fitted):
    trees = TreeEnsemble.from_sklearn(fitted[0])
    assert trees.decision(np.zeros((0, 5))).shape == (0,)
    with pytest.raises(ValueError, match="2-D"):
        trees.decision(np.zeros(5))


def test_a_cycle_or_a_dangling_child_is_refused(fitted):
    data = TreeEnsemble.from_sklearn(fitted[0]).to_dict()
    inner = next(i for i, left in enumerate(data["left"]) if left >= 0)
    looping = {**data, "left": list(data["left"])}
    looping["left"][inner] = inner  # a node that is its own child would never reach a leaf
    with pytest.raises(ValueError, match="after its parent"):
        TreeEnsemble.from_dict(looping, 5)
    dangling = {**data, "right": list(data["right"])}
    dangling["right"][inner] = len(data["right"]) + 5
    with pytest.raises(ValueError, match="outside"):
        TreeEnsemble.from_dict(dangling, 5)


def test_a_shared_node_is_refused(fitted):
    data = TreeEnsemble.from_sklearn(fitted[0]).to_dict()
    inner = [i for i, left in enumerate(data["left"]) if left >= 0]
    shared = {**data, "right": list(data["right"])}
    # The second split's left child (after both splits) also becomes the first's right child.
    shared["right"][inner[0]] = data["left"][inner[1]]
    with pytest.raises(ValueError, match="two parents"):
        TreeEnsemble.from_dict(shared, 5)


def test_every_leaf_is_reachable_and_scored_once():
    rows, labels = make_classification(n_samples=2000, n_features=6, random_state=5)
    model = HistGradientBoostingClassifier(max_iter=5, max_leaf_nodes=64, random_state=0)
    model.fit(rows, labels)
    trees = TreeEnsemble.from_sklearn(model)
    # Values on both sides of every threshold, and exactly on it, all follow scikit-learn.
    probes = np.repeat(rows[:200], 3, axis=0)
    split = trees.left >= 0
    for i, (feature, threshold) in enumerate(
        zip(trees.feature[split], trees.threshold[split], strict=True)
    ):
        probes[3 * (i % 200) + i % 3, feature] = threshold + (i % 3 - 1) * 1e-9
    assert np.allclose(trees.decision(probes), model.decision_function(probes), atol=1e-9)


def test_a_tree_with_more_leaves_than_bits_is_refused():
    rows, labels = make_classification(n_samples=3000, n_features=6, random_state=5)
    model = HistGradientBoostingClassifier(max_iter=1, max_leaf_nodes=80, min_samples_leaf=2)
    model.fit(rows, labels)
    with pytest.raises(ValueError, match="more than 64 leaves"):
        TreeEnsemble.from_sklearn(model)


def _ladder(leaves: int) -> dict:
    """One tree of ``leaves`` leaves: each split has a leaf on its left and goes on right."""
    splits = leaves - 1
    size = 2 * splits + 1  # split 2i: its leaf 2i+1 and the next split (or last leaf) 2i+2
    left, right = [-1] * size, [-1] * size
    for i in range(splits):
        left[2 * i], right[2 * i] = 2 * i + 1, 2 * i + 2
    return {
        "baseline": 0.0,
        "roots": [0],
        "feature": [0] * size,
        "threshold": [float(i) for i in range(size)],
        "missing_left": [True] * size,
        "left": left,
        "right": right,
        "value": [float(i) for i in range(size)],
    }


def test_loading_checks_the_leaf_limit_before_any_scoring():
    ladder = TreeEnsemble.from_dict(_ladder(64), features=1)
    assert ladder.decision(np.array([[-1.0], [1000.0]])).tolist() == [1.0, 126.0]
    with pytest.raises(ValueError, match="more than 64 leaves"):
        TreeEnsemble.from_dict(_ladder(65), features=1)


def test_a_cycle_made_directly_is_refused_not_looped_on():
    data = _ladder(3)
    data["right"][2] = 0  # the second split goes back to the root
    arrays = {name: np.asarray(data[name]) for name in ("feature", "threshold", "left", "right")}
    with pytest.raises(ValueError, match="own descendant"):
        TreeEnsemble(
            np.asarray(data["roots"]),
            arrays["feature"],
            arrays["threshold"].astype(float),
            np.asarray(data["missing_left"]),
            arrays["left"],
            arrays["right"],
            np.asarray(data["value"], dtype=float),
            0.0,
        )
