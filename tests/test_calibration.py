"""False-discovery control as a user sees it: thesaurus findings need a document that departs
from clean text.  The null distribution's p-values and the Benjamini-Hochberg q-values are
tested in the core against the Python implementation (``rust/engine/tests/models_parity.rs``:
``p_values_match_python``, ``q_values_match_python``; broken tables in ``models_errors.rs``)."""

from dataclasses import replace

import pytest

import spindetect
from spindetect.api import DEFAULT_CONFIG, get_detector


def _thesaurus(report) -> set[tuple[int, str]]:
    return {(f.start, f.suggestion) for f in report.findings if f.source == "thesaurus"}


@pytest.fixture(scope="module")
def spun_report(spun_text):
    return spindetect.scan(spun_text)


def test_clean_articles_get_no_thesaurus_discoveries_and_the_spun_one_does(
    spun_report, clean_texts
):
    for name, text in clean_texts.items():
        report = spindetect.scan(text)
        assert not _thesaurus(report), name
        assert report.meta["evidence"]["suspects"] > 200, name  # many places were examined
    assert len(_thesaurus(spun_report)) >= 10


@pytest.mark.parametrize(
    "change", [{"min_suspects": 10**6}, {"max_p_value": 1e-12}], ids=["min_suspects", "max_p"]
)
def test_stricter_control_keeps_only_a_subset_of_the_thesaurus_findings(
    spun_text, spun_report, change
):
    strict = spindetect.scan(spun_text, config=replace(DEFAULT_CONFIG, **change))
    kept, default = _thesaurus(strict), _thesaurus(spun_report)
    assert kept < default and len(kept) <= len(default) // 4
    others = {(f.start, f.suggestion) for f in spun_report.findings if f.source != "thesaurus"}
    assert others <= {(f.start, f.suggestion) for f in strict.findings}  # the phrasebook stays


def test_suspect_statistics_of_a_spun_text_lean_to_the_tail(spun_text, clean_texts):
    """The core's statistic (candidate gain over the written words) is higher, on average, where
    words were swapped."""
    core = get_detector().core
    spun = core.statistics(spun_text)
    clean = [value for text in clean_texts.values() for value in core.statistics(text)]
    assert len(spun) > 300 and len(clean) > 1000
    assert sum(spun) / len(spun) > sum(clean) / len(clean)
