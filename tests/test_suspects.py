import json

import numpy as np
import pytest

from spindetect.api import get_detector
from spindetect.suspects import SUSPECT_FEATURES, SuspectModel, default_suspect_model
from spindetect.tokens import tokenize


def test_bundled_model_loads_as_plain_numbers():
    model = default_suspect_model()
    assert len(model.grids) == len(model.values) == len(SUSPECT_FEATURES)
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
        (lambda d: d["grids"][0].reverse(), "ascending"),
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


def test_terms_are_interpolated_and_held_constant_beyond_the_grid():
    model = SuspectModel(
        grids=tuple((0.0, 1.0) for _ in SUSPECT_FEATURES),
        values=((0.0, 2.0), *((0.0, 0.0) for _ in SUSPECT_FEATURES[1:])),
        intercept=-1.0,
        prior_log_odds=-1.0,
        mixture_share=0.5,
    )
    rows = np.zeros((3, len(SUSPECT_FEATURES)))
    rows[:, 0] = [0.5, 1.0, 7.0]
    assert model.log_odds(rows).tolist() == [0.0, 1.0, 1.0]
    assert model.log_ratios(rows).tolist() == [1.0, 2.0, 2.0]
    # log(0.5 + 0.5 * e^r) summed; no suspects and no artefacts: no evidence
    expected = sum(np.log(0.5 + 0.5 * np.exp(r)) for r in (1.0, 2.0, 2.0))
    assert model.evidence(rows) == pytest.approx(expected)
    assert model.evidence(np.zeros((0, len(SUSPECT_FEATURES)))) == 0.0


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
        return model.evidence(table)

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
