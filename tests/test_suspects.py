import json

import numpy as np
import pytest

from spindetect.api import get_detector
from spindetect.suspects import SUSPECT_FEATURES, SuspectModel, default_suspect_model
from spindetect.tokens import tokenize
from spindetect.trees import TreeEnsemble


def test_bundled_model_loads_as_plain_numbers():
    model = default_suspect_model()
    assert model.trees.roots.size >= 50
    assert int(model.trees.feature.max()) < len(SUSPECT_FEATURES)
    assert 0.0 < model.mixture_share < 1.0
    assert model.artefact_log_ratio > 0  # artefacts are commoner in spun text
    assert "suspects" in model.trained_on


def test_round_trip(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(default_suspect_model().to_json(), encoding="utf-8")
    assert SuspectModel.from_file(path) == default_suspect_model()


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(features=["x"]), "do not match"),
        (lambda d: d["trees"]["left"].pop(), "unequal length"),
        (lambda d: d["trees"]["feature"].__setitem__(0, 99), "outside"),
        (lambda d: d.pop("trees"), "trees"),
        (lambda d: d.update(mixture_share=1.5), "between 0 and 1"),
    ],
)
def test_malformed_model_files_are_refused(tmp_path, change, message):
    data = json.loads(default_suspect_model().to_json())
    change(data)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        SuspectModel.from_file(path)


def _stump(threshold: float, low: float, high: float) -> TreeEnsemble:
    """One tree: feature 0 at most ``threshold`` scores ``low``, else ``high``."""
    return TreeEnsemble(
        roots=np.array([0]),
        feature=np.array([0, 0, 0]),
        threshold=np.array([threshold, 0.0, 0.0]),
        missing_left=np.array([True, False, False]),
        left=np.array([1, -1, -1]),
        right=np.array([2, -1, -1]),
        value=np.array([0.0, low, high]),
        baseline=-1.0,
    )


def test_log_odds_ratios_and_evidence_of_a_known_model():
    model = SuspectModel(trees=_stump(0.5, 1.0, 2.0), prior_log_odds=-1.0, mixture_share=0.5)
    rows = np.zeros((3, len(SUSPECT_FEATURES)))
    rows[:, 0] = [0.5, 1.0, 7.0]
    assert model.log_odds(rows).tolist() == [0.0, 1.0, 1.0]
    ratios = model.log_ratios(rows)
    assert ratios.tolist() == [1.0, 2.0, 2.0]
    # log(0.5 + 0.5 * e^r) summed; no suspects and no artefacts: no evidence
    expected = sum(np.log(0.5 + 0.5 * np.exp(r)) for r in (1.0, 2.0, 2.0))
    assert model.evidence(ratios) == pytest.approx(expected)
    assert model.evidence(np.zeros(0)) == 0.0


def test_suspect_table_rows_and_spans_match_the_text():
    text = "The primary protection minister met officials of the two countries yesterday."
    tokens = tokenize(text)
    table, spans = get_detector().suspect_table(tokens)
    assert table.shape == (len(spans), len(SUSPECT_FEATURES))
    assert np.isfinite(table).all()
    words = {text[start:end].lower() for start, end in spans}
    assert {"primary", "protection"} <= words
    assert "the" not in words  # frequent words are never suspects


def test_spun_suspects_look_more_spun_than_their_originals():
    detector = get_detector()
    model = default_suspect_model()

    def evidence(text: str) -> float:
        table, _ = detector.suspect_table(tokenize(text))
        return model.evidence(model.log_ratios(table))

    original = (
        "The defense minister said the two countries would hold joint military exercises "
        "next year, the first since the end of the Cold War."
    )
    spun = (
        "The protection minister mentioned the 2 international locations would maintain "
        "collective navy workouts subsequent yr, the primary since the finish of the "
        "Chilly Warfare."
    )
    assert evidence(spun) > evidence(original)


@pytest.mark.parametrize("center", [-3.0, -1.0, 0.5, 3.0])
def test_estimated_share_maximises_the_posterior(center):
    ratios = np.random.default_rng(7).normal(center, 2.0, 300)
    grid = np.linspace(0.0005, 0.9, 20_000)
    log_posterior = np.logaddexp(
        np.log1p(-grid)[:, None], np.log(grid)[:, None] + ratios[None, :]
    ).sum(axis=1) + 19 * np.log1p(-grid)
    share = SuspectModel.estimate_share(ratios, 19.0)
    assert share == pytest.approx(grid[np.argmax(log_posterior)], abs=1e-4)


def test_posteriors_grow_with_the_ratio_and_the_share():
    ratios = np.array([-2.0, 0.0, 2.0])
    low, high = SuspectModel.posteriors(ratios, 0.05), SuspectModel.posteriors(ratios, 0.3)
    assert list(low) == sorted(low) and (high > low).all()
    assert low[1] == pytest.approx(0.05)  # a ratio of 1 leaves the prior as it is
