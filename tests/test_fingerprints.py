"""Fingerprint queries: each operator with its real semantics, on real sentences."""

import pytest

from spindetect.fingerprints import QueryError, parse
from spindetect.phrasebook import Entry, Phrasebook
from spindetect.tokens import tokenize


def _flagged(fingerprint: str, text: str, expected: str = "x") -> list[tuple[str, str]]:
    """(flagged text, suggestion) of a one-fingerprint phrasebook on ``text``."""
    query = parse(fingerprint)
    phrasebook = Phrasebook([Entry(str(query), expected, "always", "test", "pps", query)])
    tokens = tokenize(text)
    return [
        (text[tokens[m.first].start : tokens[m.last].end], m.entry.original)
        for m in phrasebook.matches(tokens)
    ]


def test_plain_fingerprint_quoted_or_not():
    text = "We train a Profound Learning model; profound learning is popular."
    for fingerprint in ('"profound learning"', "profound learning"):
        assert _flagged(fingerprint, text, "deep learning") == [
            ("Profound Learning", "deep learning"),
            ("profound learning", "deep learning"),
        ]
    assert _flagged('"profound learning"', "a profound, learning experience") == []


def test_and_fires_only_when_the_other_term_is_in_the_document():
    fingerprint = '"profound learning" AND "deep learning"'
    with_other = "Profound learning differs from deep learning in this survey."
    without = "Teachers aim for profound learning in the classroom."
    assert _flagged(fingerprint, with_other, "deep learning") == [
        ("Profound learning", "deep learning")
    ]
    assert _flagged(fingerprint, without) == []


def test_and_never_flags_its_condition_term():
    # Flattening the query into two phrases would make "neural network" itself a finding.
    fingerprint = '"neural organization" AND "neural network"'
    text = "A neural network, also called a neural organization here, was trained."
    assert _flagged(fingerprint, text, "neural network") == [
        ("neural organization", "neural network")
    ]
    assert _flagged(fingerprint, "A neural network was trained.") == []


def test_not_suppresses_anywhere_in_the_document():
    fingerprint = '"surface highlights" NOT specular'
    assert _flagged(fingerprint, "We extract surface highlights from each image.", "f") == [
        ("surface highlights", "f")
    ]
    text = "Specular reflection produces surface highlights on glossy objects."
    assert _flagged(fingerprint, text) == []
    assert _flagged('"surface highlights" AND NOT specular', text) == []


def test_proximity_within_the_slop_and_lucene_order_cost():
    fingerprint = '"exactness accuracy"~3'
    near = "The exactness of the accuracy figures was checked."
    assert _flagged(fingerprint, near, "accuracy") == [
        ("exactness of the accuracy", "exactness of the accuracy")  # flagged, not rewritten
    ]
    far = "The exactness of the reported test set accuracy was checked."
    assert _flagged(fingerprint, far) == []
    # Reversed order costs two more than in order (Lucene's sloppy phrase).
    assert _flagged('"exactness accuracy"~1', "accuracy exactness") == []
    assert _flagged('"exactness accuracy"~2', "accuracy exactness", "a") == [
        ("accuracy exactness", "accuracy exactness")
    ]
    # Adjacent and in order: the phrase itself, rewritten to the expected text.
    assert _flagged(fingerprint, "its exactness accuracy is high", "accuracy") == [
        ("exactness accuracy", "accuracy")
    ]


def test_or_and_brackets_flag_each_head():
    fingerprint = '("profound learning" OR "profound neural organization") AND training'
    text = "A profound neural organization needs training, like any profound learning model."
    assert [span for span, _ in _flagged(fingerprint, text)] == [
        "profound neural organization",
        "profound learning",
    ]
    assert _flagged(fingerprint, "A profound neural organization was used.") == []


def test_canonical_form_round_trips():
    for fingerprint in (
        '"a b" AND "c"',
        '"a b" NOT "c" NOT "d"',
        '("a" OR "b") AND "c"',
        '"a" OR ("b" AND "c")',
        '"x y"~4',
    ):
        assert str(parse(str(parse(fingerprint)))) == str(parse(fingerprint)) == fingerprint


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
def test_bad_queries_are_errors(fingerprint, message):
    with pytest.raises(QueryError, match=message):
        parse(fingerprint)
