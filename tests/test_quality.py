"""Quality gate: the detector must not get worse on the fixed held-out set without anyone noticing.

The recorded figures are read from ``docs/figures.json`` (sets ``heldout`` and ``consistent``),
the same file the docs' figures are generated from. A change that lowers recall, precision,
recovery or the document AUC by more than the stated margin fails CI; improve the detector, or,
if a trade-off is intended, re-measure and record the new figures in the same commit
(``python scripts/figures.py --record-eval heldout EVAL.json --write``; docs/evaluation.md).
"""

import json
from pathlib import Path

import pytest

from spindetect.tools.evaluate import Pair, evaluate

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "corpus" / "eval" / "heldout.jsonl"
FIGURES = ROOT / "docs" / "figures.json"


def _recorded(name: str, keys: tuple[str, ...]) -> dict[str, float]:
    """The figures ``keys`` of the evaluation set ``name`` as recorded in docs/figures.json."""
    with FIGURES.open(encoding="utf-8") as handle:
        figures = json.load(handle)["quality"][name]["figures"]
    return {key: figures[key] for key in keys}


# document_auc: spun texts identical to their original are not counted as spun
RECORDED = _recorded("heldout", ("phrase_recall", "phrase_precision", "recovery", "document_auc"))
MARGIN = 0.015  # absolute; the set is fixed and the detector deterministic, so this is slack
MAX_FALSE_POSITIVES_PER_1000_WORDS = 0.5  # a bound, not a recorded figure


def _figures(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    return evaluate(Pair(r["name"], r["spun"], r["original"]) for r in records).summary()


@pytest.fixture(scope="module")
def heldout_figures():
    return _figures(HELDOUT)


@pytest.mark.parametrize("figure", sorted(RECORDED))
def test_no_quality_regression_on_the_heldout_set(heldout_figures, figure):
    assert heldout_figures[figure] >= RECORDED[figure] - MARGIN, heldout_figures


def test_false_positive_density_stays_low(heldout_figures):
    assert heldout_figures["false_positives_per_1000_words"] <= MAX_FALSE_POSITIVES_PER_1000_WORDS


CONSISTENT = HELDOUT.with_name("consistent.jsonl")
# A consistent spinner (one synonym per word for the whole text, like seed 002's): the set on
# which following confirmed swaps is measured (docs/evaluation.md).
RECORDED_CONSISTENT = _recorded(
    "consistent", ("phrase_recall", "phrase_precision", "recovery", "exact_restoration")
)


@pytest.fixture(scope="module")
def consistent_figures():
    return _figures(CONSISTENT)


@pytest.mark.parametrize("figure", sorted(RECORDED_CONSISTENT))
def test_no_quality_regression_on_consistent_spinning(consistent_figures, figure):
    assert consistent_figures[figure] >= RECORDED_CONSISTENT[figure] - MARGIN, consistent_figures
