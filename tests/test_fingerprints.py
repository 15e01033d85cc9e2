"""Fingerprint queries: each operator with its real semantics, on real sentences, through a
one-row Problematic Paper Screener export scanned with :func:`spindetect.scan`.  The parser and
matcher are tested in the core too (``rust/engine/tests/phrasebook.rs``)."""

import csv

import pytest

import spindetect
from spindetect._core import parse_query
from spindetect.config import DetectorConfig
from spindetect.entries import PhrasebookError
from spindetect.pps import read_pps

PHRASEBOOK_ONLY = DetectorConfig(max_candidates=0, pair_candidates=0)


@pytest.fixture
def flagged(tmp_path):
    """(flagged text, suggestion) of a one-fingerprint export on a text (the findings of the
    bundled phrasebook, which knows some of these phrases too, left out)."""

    def scan(fingerprint: str, text: str, expected: str = "x") -> list[tuple[str, str]]:
        path = tmp_path / "one.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerow([fingerprint, expected, "1"])
        report = spindetect.scan(text, phrasebooks=[path], config=PHRASEBOOK_ONLY)
        return [(f.text, f.suggestion) for f in report.findings if f.source == "pps:one.csv"]

    return scan


def parse(fingerprint: str) -> str:
    """The canonical text of a fingerprint query."""
    return parse_query(fingerprint)[0]


def test_plain_fingerprint_quoted_or_not(flagged):
    text = "We train a Profound Learning model; profound learning is popular."
    for fingerprint in ('"profound learning"', "profound learning"):
        assert flagged(fingerprint, text, "deep learning") == [
            ("Profound Learning", "Deep Learning"),  # the suggestion takes the text's case
            ("profound learning", "deep learning"),
        ]
    assert flagged('"profound learning"', "a profound, learning experience") == []


def test_and_fires_only_when_the_other_term_is_in_the_document(flagged):
    fingerprint = '"profound learning" AND "deep learning"'
    with_other = "Profound learning differs from deep learning in this survey."
    without = "Teachers aim for profound learning in the classroom."
    assert flagged(fingerprint, with_other, "deep learning") == [
        ("Profound learning", "Deep learning")
    ]
    assert flagged(fingerprint, without) == []


def test_and_never_flags_its_condition_term(flagged):
    # Flattening the query into two phrases would make "neural network" itself a finding.
    fingerprint = '"neural organization" AND "neural network"'
    text = "A neural network, also called a neural organization here, was trained."
    assert flagged(fingerprint, text, "neural network") == [
        ("neural organization", "neural network")
    ]
    assert flagged(fingerprint, "A neural network was trained.") == []


def test_not_suppresses_anywhere_in_the_document(flagged):
    fingerprint = '"surface highlights" NOT specular'
    assert flagged(fingerprint, "We extract surface highlights from each image.", "f") == [
        ("surface highlights", "f")
    ]
    text = "Specular reflection produces surface highlights on glossy objects."
    assert flagged(fingerprint, text) == []
    assert flagged('"surface highlights" AND NOT specular', text) == []


def test_proximity_within_the_slop_and_lucene_order_cost(flagged):
    fingerprint = '"exactness accuracy"~3'
    near = "The exactness of the accuracy figures was checked."
    assert flagged(fingerprint, near, "accuracy") == [
        ("exactness of the accuracy", "exactness of the accuracy")  # flagged, not rewritten
    ]
    far = "The exactness of the reported test set accuracy was checked."
    assert flagged(fingerprint, far) == []
    # Reversed order costs two more than in order (Lucene's sloppy phrase).
    assert flagged('"exactness accuracy"~1', "accuracy exactness") == []
    assert flagged('"exactness accuracy"~2', "accuracy exactness", "a") == [
        ("accuracy exactness", "accuracy exactness")
    ]
    # Adjacent and in order: the phrase itself, rewritten to the expected text.
    assert flagged(fingerprint, "its exactness accuracy is high", "accuracy") == [
        ("exactness accuracy", "accuracy")
    ]


def test_or_and_brackets_flag_each_head(flagged):
    fingerprint = '("profound learning" OR "profound neural organization") AND training'
    text = "A profound neural organization needs training, like any profound learning model."
    assert [span for span, _ in flagged(fingerprint, text)] == [
        "profound neural organization",
        "profound learning",
    ]
    assert flagged(fingerprint, "A profound neural organization was used.") == []


def test_canonical_form_round_trips():
    for fingerprint in (
        '"a b" AND "c"',
        '"a b" NOT "c" NOT "d"',
        '("a" OR "b") AND "c"',
        '"a" OR ("b" AND "c")',
        '"x y"~4',
    ):
        assert parse(parse(fingerprint)) == parse(fingerprint) == fingerprint


@pytest.mark.parametrize(
    ("fingerprint", "message"),
    [
        ('"profound learning', "unbalanced"),
        ('"a" AND', "ends where a term"),
        ('"a" AND )', "expected a term"),
        ('("a" OR "b"', "missing"),
        ("learning~2", "fuzzy"),
        ('"a b"~', "whole number"),
        ('"  "', "empty term"),
    ],
)
def test_bad_queries_are_errors_naming_the_row(tmp_path, fingerprint, message):
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["good phrase", "x", "1"], [fingerprint, "x", "1"]])
    with pytest.raises(PhrasebookError, match=f"row 2: fingerprint .*{message}"):
        read_pps(path)
