"""The document verdict.  The classifier's probabilities are tested in the core against the
Python implementation (``rust/engine/tests/models_parity.rs``:
``document_probabilities_match_python``; broken model files in ``models_errors.rs``)."""

import pytest

import spindetect
from spindetect.api import get_detector
from spindetect.findings import Evidence


def test_more_evidence_means_more_likely_spun():
    detector = get_detector()
    quiet = detector.probability(0, Evidence(suspects=300, suspect_log_ratio=-20.0), 1000)
    loud = detector.probability(30, Evidence(300, artefacts=10, suspect_log_ratio=40.0), 1000)
    assert 0.0 <= quiet < 0.5 < loud <= 1.0


def test_the_seeds_are_judged_right(spun_text, clean_texts):
    assert spindetect.scan(spun_text).verdict == "spun"
    for name, text in clean_texts.items():
        assert spindetect.scan(text).verdict == "clean", name


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


def test_an_empty_text_is_clean_with_no_words():
    report = spindetect.scan("  \n ")
    assert (report.verdict, report.score, report.words, report.findings) == ("clean", 0.0, 0, ())
