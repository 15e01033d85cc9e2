"""A spinner swaps a word the same way throughout: swaps a spun text confirms are followed to the
word's other places (``rust/engine/src/consistent.rs``, with its stage tests in
``rust/engine/tests/stage_consistent.rs``)."""

from dataclasses import replace

import pytest

import spindetect
from spindetect.api import DEFAULT_CONFIG

SWAP_REASON = "this text swaps"


def _swapped(report):
    return [f for f in report.findings if f.reason.startswith(SWAP_REASON)]


@pytest.fixture(scope="module")
def spun_report(spun_text):
    return spindetect.scan(spun_text)


def test_a_confirmed_swap_is_followed_through_a_spun_article(spun_text, spun_report):
    followed = _swapped(spun_report)
    said = [f for f in followed if (f.text, f.suggestion) == ("mentioned", "said")]
    assert len(said) >= 5  # "he mentioned." after quotes, confirmed once by "mentioned final"
    words = {w.lower() for w in spun_text.split()}
    for finding in followed:
        assert spun_text[finding.start : finding.end] == finding.text
        assert finding.score >= 0.95
        assert finding.suggestion.lower() not in words  # the original never stands in the text


def test_following_swaps_moves_the_article_towards_its_original(spun_text, restored_text):
    from spindetect.tools.evaluate import Pair, evaluate

    off = replace(DEFAULT_CONFIG, consistent_at=2.0)
    pair = [Pair("002", spun_text, restored_text)]
    without = evaluate(pair, lambda text: spindetect.scan(text, config=off))
    with_swaps = evaluate(pair)
    # Measured: recall 0.161 -> 0.216, precision 0.939 -> 0.955, recovery 0.168 -> 0.199.
    assert with_swaps.runs_found > without.runs_found
    assert with_swaps.phrase_precision >= without.phrase_precision
    assert with_swaps.recovery > without.recovery


def test_an_original_standing_in_the_text_stops_the_swap(spun_text, spun_report):
    honest = spun_text + "\n\nA spokesman said nothing more about the talks.\n"
    report = spindetect.scan(honest)
    assert report.is_spun
    assert not [f for f in _swapped(report) if f.suggestion == "said"]
    assert [f for f in _swapped(spun_report) if f.suggestion == "said"]


def test_clean_texts_get_no_followed_swaps(clean_texts):
    for name, text in clean_texts.items():
        assert not _swapped(spindetect.scan(text)), name


def test_the_verdict_counts_the_findings_made_before_swaps_were_followed(spun_text, spun_report):
    """The classifier was trained without this step: its score must not move with it."""
    off = spindetect.scan(spun_text, config=replace(DEFAULT_CONFIG, consistent_at=2.0))
    assert len(spun_report.findings) > len(off.findings)
    assert spun_report.meta["evidence"]["followed"] == len(spun_report.findings) - len(off.findings)
    assert spun_report.score == pytest.approx(off.score)
