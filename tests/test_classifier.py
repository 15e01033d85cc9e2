import json

import pytest

import spindetect
from spindetect.classifier import FEATURE_NAMES, DocumentModel, default_model, features
from spindetect.detect import Evidence


def test_bundled_model_loads_as_plain_numbers():
    model = default_model()
    assert len(model.coef) == len(model.mean) == len(model.scale) == len(FEATURE_NAMES)
    assert all(scale > 0 for scale in model.scale)
    assert "simulated documents" in model.trained_on


def test_more_evidence_means_more_likely_spun():
    model = default_model()
    quiet = features(0, Evidence(suspects=300, suspect_log_ratio=-20.0), 1000)
    loud = features(30, Evidence(300, artefacts=10, suspect_log_ratio=40.0), 1000)
    assert model.probability(quiet) < 0.5 < model.probability(loud)


def test_model_file_with_other_features_is_refused(tmp_path):
    data = json.loads(default_model().to_json())
    data["features"] = ["something", "else"]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="do not match"):
        DocumentModel.from_file(path)


def test_round_trip(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(default_model().to_json(), encoding="utf-8")
    assert DocumentModel.from_file(path) == default_model()


def test_verdict_threshold_option(spun_text, clean_texts):
    spun_score = spindetect.scan(spun_text).score
    assert spindetect.scan(spun_text, verdict_threshold=spun_score).verdict == "spun"
    assert spindetect.scan(spun_text, verdict_threshold=min(1.0, spun_score + 0.01)).verdict == (
        "clean"
    )
    clean = next(iter(clean_texts.values()))
    score = spindetect.scan(clean).score
    assert spindetect.scan(clean, verdict_threshold=score / 2).verdict == "spun"
    assert spindetect.scan(clean).verdict == "clean"
    with pytest.raises(ValueError):
        spindetect.scan(clean, verdict_threshold=2.0)
