"""Thesaurus suspects as the core finds and weighs them.  The suspect model itself (trees, log
ratios, mixture evidence, estimated share, posteriors) is tested in the core against the Python
implementation (``rust/engine/tests/models_parity.rs``: ``suspect_model_matches_python``; broken
files and tree limits in ``models_errors.rs``)."""

import json
import math

from spindetect.api import get_detector
from spindetect.data import data_path

ORIGINAL = (
    "The defense minister said the two countries would hold joint military exercises "
    "next year, the first since the end of the Cold War."
)
SPUN = (
    "The protection minister mentioned the 2 international locations would maintain "
    "collective navy workouts subsequent yr, the primary since the finish of the "
    "Chilly Warfare."
)


def test_suspect_table_rows_and_spans_match_the_text():
    text = "The primary protection minister met officials of the two countries yesterday."
    rows, spans = get_detector().core.suspect_table(text)
    features = json.loads(data_path("suspect_model.json").read_text(encoding="utf-8"))["features"]
    assert len(rows) == len(spans) > 0
    assert all(len(row) == len(features) and all(map(math.isfinite, row)) for row in rows)
    words = {text[start:end].lower() for start, end in spans}
    assert {"primary", "protection"} <= words
    assert "the" not in words  # frequent words are never suspects
    assert all(0 <= start < end <= len(text) for start, end in spans)


def test_spans_are_character_offsets_past_wide_characters():
    text = "Café “naïve” talks 😀: the primary protection minister met officials."
    _, spans = get_detector().core.suspect_table(text)
    assert "protection" in {text[start:end].lower() for start, end in spans}


def test_spun_suspects_look_more_spun_than_their_originals():
    detector = get_detector()
    [(_, spun, _), (_, original, _)] = detector.examine([SPUN, ORIGINAL])
    assert spun.suspect_log_ratio > original.suspect_log_ratio
    assert spun.suspects > 0 and original.suspects > 0


def test_spun_seed_has_more_spun_evidence_than_every_clean_seed(spun_text, clean_texts):
    detector = get_detector()
    [(_, spun, words)] = detector.examine([spun_text])
    for name, text in clean_texts.items():
        [(_, clean, clean_words)] = detector.examine([text])
        assert spun.suspect_log_ratio / words > clean.suspect_log_ratio / clean_words, name
