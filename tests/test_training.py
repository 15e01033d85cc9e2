"""The training writers (spindetect.tools.training): the files they write are the ones the core
reads, and the core scores with them as scikit-learn and the shipped files say."""

from __future__ import annotations

import json
import math
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from spindetect.api import get_detector
from spindetect.data import data_path
from spindetect.findings import Evidence
from spindetect.tools import training
from spindetect.tools.simulate import spin

sklearn = pytest.importorskip("sklearn.ensemble")

NEWS = sorted((Path(__file__).parents[1] / "corpus" / "news").glob("*.txt"))


def shipped(name: str) -> tuple[str, dict]:
    text = data_path(name).read_text(encoding="utf-8")
    return text, json.loads(text)


def test_shipped_suspect_model_is_rewritten_byte_for_byte() -> None:
    text, data = shipped("suspect_model.json")
    assert data["features"] == list(training.SUSPECT_FEATURES)
    rewritten = training.suspect_model_json(
        data["trees"],
        data["prior_log_odds"],
        data["mixture_share"],
        data["artefact_log_ratio"],
        data["trained_on"],
    )
    assert rewritten + "\n" == text


def test_shipped_document_model_is_rewritten_byte_for_byte() -> None:
    text, data = shipped("document_model.json")
    assert data["features"] == list(training.DOCUMENT_FEATURES)
    rewritten = training.document_model_json(
        data["mean"], data["scale"], data["coef"], data["intercept"], data["trained_on"]
    )
    assert rewritten + "\n" == text


def test_shipped_null_is_rewritten_byte_for_byte() -> None:
    text, data = shipped("null_statistics.json")
    rewritten = training.null_json(
        data["values"], data["survival"], data["source"], data["suspects"]
    )
    assert rewritten + "\n" == text


@pytest.fixture(scope="module")
def spun_news() -> tuple[str, list[tuple[int, int]]]:
    """A news article spun by the simulator, and the spans it substituted."""
    spun = spin(NEWS[0].read_text(encoding="utf-8"), rate=0.4, seed=3)
    return spun.text, [(item.start, item.end) for item in spun.substitutions]


def test_fitted_trees_written_and_loaded_score_as_scikit_learn(
    tmp_path: Path, spun_news: tuple[str, list[tuple[int, int]]]
) -> None:
    """A small ensemble fitted on real suspects, written and loaded by the core, gives the core's
    document evidence that scikit-learn's log-odds of the same suspects give."""
    core = get_detector().core
    rows, labels = [], []
    for path in NEWS[:4]:
        text = path.read_text(encoding="utf-8")
        spun = spin(text, rate=0.4, seed=len(text))
        for piece, substituted in ((text, []), (spun.text, spun.substitutions)):
            table, spans = core.suspect_table(piece)
            rows += table
            labels += [
                int(any(s.start < end and start < s.end for s in substituted))
                for start, end in spans
            ]
    data, target = np.asarray(rows), np.asarray(labels)
    assert 0 < target.mean() < 1
    fitted = sklearn.HistGradientBoostingClassifier(max_iter=8, max_depth=4, random_state=0)
    fitted.fit(data, target)
    prior = math.log(target.mean() / (1 - target.mean()))
    path = tmp_path / "suspect_model.json"
    trees = training.tree_dict(fitted)
    path.write_text(training.suspect_model_json(trees, prior, 0.2, 1.5, "test") + "\n")
    assert len(trees["roots"]) == 8

    engine = training.engine(suspects=path)
    text, _ = spun_news
    table, _ = engine.suspect_table(text)
    evidence = Evidence(*engine.scan(text)[1])
    assert evidence.suspects == len(table) > 20
    log_odds = fitted.decision_function(np.asarray(table))
    expected = training.mixture_log_ratio(log_odds, prior, 0.2, evidence.artefacts, 1.5)
    assert evidence.suspect_log_ratio == pytest.approx(expected, rel=1e-12, abs=1e-12)
    # The shipped model gives another evidence: the written file is the one in use.
    shipped_evidence = Evidence(*get_detector().core.scan(text)[1])
    assert shipped_evidence.suspect_log_ratio != pytest.approx(expected, rel=1e-6)


def test_a_damaged_tree_file_is_refused(tmp_path: Path) -> None:
    _, data = shipped("suspect_model.json")
    trees = dict(data["trees"])
    trees["left"] = trees["left"][:-1]
    path = tmp_path / "suspect_model.json"
    path.write_text(training.suspect_model_json(trees, -1.0, 0.2, 0.0, "damaged"))
    from spindetect import _core

    with pytest.raises(_core.ModelError, match="tree ensemble"):
        training.engine(suspects=path)


def test_document_features_are_the_cores(spun_news: tuple[str, list[tuple[int, int]]]) -> None:
    """The shipped logistic regression on :func:`document_features` gives the core's P(spun)."""
    core = get_detector().core
    _, data = shipped("document_model.json")
    text, _ = spun_news
    for piece in (text, NEWS[1].read_text(encoding="utf-8"), text[:300]):
        found, evidence, words = core.scan(piece)
        evidence = Evidence(*evidence)
        findings = len(found) - evidence.followed
        values = training.document_features(findings, evidence, words)
        z = data["intercept"] + sum(
            c * (v - m) / s
            for c, v, m, s in zip(data["coef"], values, data["mean"], data["scale"], strict=True)
        )
        expected = 1.0 / (1.0 + math.exp(-z))
        assert core.probability(findings, tuple(vars(evidence).values()), words) == (
            pytest.approx(expected, rel=1e-12)
        )


def test_null_table_from_real_statistics_loads_in_the_core(tmp_path: Path) -> None:
    core = get_detector().core
    sample = [s for path in NEWS[:3] for s in core.statistics(path.read_text(encoding="utf-8"))]
    values, survival = training.null_table(sample, points=50)
    # Ascending (two quantiles may meet once rounded to 4 places), survival descending.
    assert all(a <= b for a, b in pairwise(values))
    assert len(set(values)) > 30
    assert all(a >= b for a, b in pairwise(survival))
    assert survival[0] == 1.0 and values[0] == round(min(sample), 4)
    assert survival[-1] == pytest.approx(sample.count(max(sample)) / len(sample))
    assert len(values) <= 50
    path = tmp_path / "null.json"
    path.write_text(training.null_json(values, survival, "news", len(sample)) + "\n")
    training.engine(null=path)  # loads without error
    with pytest.raises(ValueError, match="at least two"):
        training.null_table([1.0])
