"""Quality gate on scientific text: the science set with the science reference.

``corpus/science_reference.spref`` is the reference of the ``science`` figures in
``docs/figures.json`` (built by ``spindetect reference build`` from the scikit-learn pages that
are not in the set); ``corpus/eval/science.jsonl`` is the fixed science set.  The recorded figures
are read from that file.  A change that lowers them by more than the margin fails; re-measure and
record the new figures in the same commit (docs/evaluation.md, "The quality gates").
"""

import json
from pathlib import Path

import pytest

import spindetect
from spindetect.tools.evaluate import Pair, evaluate

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SCIENCE = CORPUS / "eval" / "science.jsonl"
REFERENCE = CORPUS / "science_reference.spref"
FIGURES = ROOT / "docs" / "figures.json"


def _recorded(name: str, keys: tuple[str, ...]) -> dict[str, float]:
    """The figures ``keys`` of the evaluation set ``name`` as recorded in docs/figures.json."""
    with FIGURES.open(encoding="utf-8") as handle:
        figures = json.load(handle)["quality"][name]["figures"]
    return {key: figures[key] for key in keys}


RECORDED = _recorded("science", ("phrase_recall", "phrase_precision", "recovery"))
MARGIN = 0.015
MAX_FALSE_POSITIVES_PER_1000_WORDS = 0.5  # a bound, not a recorded figure


def _pairs() -> list[Pair]:
    with SCIENCE.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    return [Pair(r["name"], r["spun"], r["original"]) for r in records]


def _with_reference(text: str):
    return spindetect.scan(text, references=[REFERENCE])


@pytest.fixture(scope="module")
def science_figures():
    return evaluate(_pairs(), _with_reference).summary()


@pytest.mark.parametrize("figure", sorted(RECORDED))
def test_no_quality_regression_on_the_science_set(science_figures, figure):
    assert science_figures[figure] >= RECORDED[figure] - MARGIN, science_figures


def test_no_false_positives_on_clean_science(science_figures):
    assert science_figures["false_positives_per_1000_words"] <= MAX_FALSE_POSITIVES_PER_1000_WORDS


def test_the_domain_reference_is_more_precise_than_the_default(science_figures):
    # docs/figures.json, sets "science-default" -> "science": precision, exact restoration and
    # false positives improve; recall falls: the suspect model was trained with the default
    # reference alone, and is less sure of itself with a mixture.
    before, after = evaluate(_pairs()).summary(), science_figures
    assert after["phrase_precision"] > before["phrase_precision"] + 0.01, (before, after)
    assert after["exact_restoration"] > before["exact_restoration"] + 0.03, (before, after)
    assert after["recovery"] >= before["recovery"] - 0.01, (before, after)
    fp = "false_positives_per_1000_words"
    assert after[fp] < before[fp], (before, after)
