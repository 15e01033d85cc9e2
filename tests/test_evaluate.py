import json
import math

import pytest

from fakes import phrase_scanner
from spindetect.jsonl import JsonlError
from spindetect.tools.evaluate import Metrics, Pair, PairsError, evaluate, read_pairs

ORIGINAL = "The defense chief met the two countries in Moscow today."
SPUN = "The protection chief met the two international locations in Moscow today."


def test_perfect_detector():
    scanner = phrase_scanner([("protection", "defense"), ("international locations", "countries")])
    metrics = evaluate([Pair("a", SPUN, ORIGINAL)], scanner)
    assert metrics.spun_runs == 2
    assert metrics.phrase_recall == 1.0 and metrics.phrase_precision == 1.0
    assert metrics.recovery == 1.0 and metrics.exact_restoration == 1.0
    assert metrics.document_auc == 1.0
    assert metrics.false_positives_per_1000_words == 0.0


def test_half_found_one_false_finding_and_a_wrong_suggestion():
    scanner = phrase_scanner([("protection", "security"), ("Moscow", "Paris")])
    metrics = evaluate([Pair("a", SPUN, ORIGINAL)], scanner)
    assert metrics.phrase_recall == 0.5
    assert metrics.phrase_precision == 0.5
    assert metrics.exact_restoration == 0.0
    # spun -> original: 1 + 2 edits; cleaned: security (1) + locations (2) + Paris (1)
    assert metrics.distance_before == 3 and metrics.distance_after == 4
    assert metrics.recovery == pytest.approx(1 - 4 / 3)
    assert metrics.original_findings == 1  # "Moscow" flagged in the original too


def test_auc_counts_ties_half():
    metrics = Metrics(scores=[(0.5, 1), (0.5, 0), (0.9, 1), (0.1, 0)])
    assert metrics.document_auc == pytest.approx(0.875)
    assert math.isnan(Metrics().document_auc)


def test_auc_interval_by_hand():
    # Placements of the spun texts 0.75 and 1, of the originals 1 and 0.75: each variance
    # 0.03125, standard error sqrt(0.03125 / 2 + 0.03125 / 2) = 0.1768, so 0.875 -/+ 0.3465.
    metrics = Metrics(scores=[(0.5, 1), (0.5, 0), (0.9, 1), (0.1, 0)])
    low, high = metrics.document_auc_interval
    assert low == pytest.approx(0.875 - 1.959964 * math.sqrt(0.03125), abs=1e-6)
    assert high == 1.0  # clipped
    separated = Metrics(scores=[(0.9, 1), (0.8, 1), (0.2, 0), (0.1, 0)])
    assert separated.document_auc_interval == (1.0, 1.0)


def test_auc_interval_narrows_with_more_texts_and_needs_two_of_each():
    scores = [(0.5, 1), (0.5, 0), (0.9, 1), (0.1, 0), (0.3, 1), (0.6, 0)]
    few, many = Metrics(scores=scores), Metrics(scores=scores * 9)
    assert many.document_auc == pytest.approx(few.document_auc)
    few_low, few_high = few.document_auc_interval
    many_low, many_high = many.document_auc_interval
    assert few_low < many_low <= many.document_auc <= many_high < few_high
    assert all(math.isnan(v) for v in Metrics(scores=scores[:3]).document_auc_interval)
    summary = Metrics(scores=scores[:3]).summary()
    assert summary["document_auc_low"] is None and summary["document_auc"] == 0.75


def test_auc_matches_scikit_learn_on_tied_scores():
    from sklearn.metrics import roc_auc_score

    labels = [i % 3 == 0 for i in range(60)]
    scores = [round(((i * 37) % 11) / 10, 1) + 0.2 * label for i, label in enumerate(labels)]
    metrics = Metrics(scores=list(zip(scores, map(int, labels), strict=True)))
    assert metrics.document_auc == pytest.approx(roc_auc_score(labels, scores))


def test_a_spun_text_identical_to_its_original_is_not_a_spun_document():
    scanner = phrase_scanner([("protection", "defense")])
    pairs = [Pair("a", SPUN, ORIGINAL), Pair("b", ORIGINAL, ORIGINAL)]
    metrics = evaluate(pairs, scanner)
    assert metrics.pairs == 2 and metrics.unchanged == 1
    # Two originals against the one spun text: both rank below it.
    assert sorted(label for _, label in metrics.scores) == [0, 0, 1]
    assert metrics.document_auc == 1.0
    assert metrics.verdict_recall == 1.0


def test_a_spinner_that_only_dropped_words_changed_the_text():
    pair = Pair("a", "The chief met them.", "The defense chief met them.")
    metrics = evaluate([pair], phrase_scanner([]))
    assert metrics.unchanged == 0 and metrics.verdict_recall == 0.0


def test_read_pairs_from_folder_and_jsonl(tmp_path):
    (tmp_path / "x.spun.txt").write_text(SPUN, encoding="utf-8")
    (tmp_path / "x.orig.txt").write_text(ORIGINAL, encoding="utf-8")
    assert list(read_pairs(tmp_path)) == [Pair("x", SPUN, ORIGINAL)]
    jsonl = tmp_path / "pairs.jsonl"
    jsonl.write_text(json.dumps({"spun": SPUN, "original": ORIGINAL}) + "\n\n", encoding="utf-8")
    assert [p.spun for p in read_pairs(jsonl)] == [SPUN]


def test_bad_pairs_input_names_the_line(tmp_path):
    jsonl = tmp_path / "pairs.jsonl"
    jsonl.write_text('{"spun": "a", "original": "b"}\n{"spun": 1}\n', encoding="utf-8")
    with pytest.raises(PairsError, match=r"pairs.jsonl:2:"):
        list(read_pairs(jsonl))
    with pytest.raises(PairsError, match=r"no NAME\.spun\.txt"):
        list(read_pairs(tmp_path))
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n  \n", encoding="utf-8")
    with pytest.raises(PairsError, match=r"blank.jsonl: no pairs"):
        list(read_pairs(blank))
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b'{"spun": "a", "original": "b"}\r\n\xb9\x00\xff\n')
    with pytest.raises(JsonlError, match=r"binary.jsonl:2: not valid UTF-8 \(byte 0\)"):
        list(read_pairs(binary))


def test_every_substitution_of_a_long_repetitive_text_is_aligned():
    """In a 10k-word text of 997 repeating words with every seventh word swapped, the alignment
    finds each swap as a run of its own (speed is the benchmark's to measure, not a test's)."""
    words = [f"w{i % 997}" for i in range(10_000)]
    spun = words.copy()
    for i in range(0, 10_000, 7):
        spun[i] = "spun"
    metrics = evaluate([Pair("long", " ".join(spun), " ".join(words))], phrase_scanner([]))
    assert metrics.spun_runs == len(range(0, 10_000, 7))
