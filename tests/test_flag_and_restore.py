"""Flag and restore are two decisions: a phrase whose best original is not clearly ahead of the
next is reported with its ranked candidates, and restoring leaves it as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import spindetect
from spindetect.cli import app
from spindetect.config import DetectorConfig
from spindetect.tools.evaluate import fair_scanner, read_pairs

NEWS_WORDNET = Path(__file__).resolve().parents[1] / "corpus" / "eval" / "news-wordnet.jsonl"


@pytest.fixture(scope="module")
def scanned() -> list:
    """(pair, report) for the spun side of every pair of the news-wordnet set."""
    return [(pair, fair_scanner(pair)(pair.spun)) for pair in read_pairs(NEWS_WORDNET)]


def _withheld(scanned) -> tuple:
    for pair, report in scanned:
        if any(not f.restore for f in report.findings):
            return pair, report
    raise AssertionError("no finding left as written in the news-wordnet set")


def test_clean_writes_back_only_the_findings_marked_restore(scanned):
    pair, report = _withheld(scanned)
    config = DetectorConfig(sources=tuple(s for s in ("moby",) if s not in pair.exclude_sources))
    cleaned = spindetect.clean(pair.spun, config=config)
    shift = 0
    for finding in sorted(report.findings, key=lambda f: f.start):
        start = finding.start + shift
        if finding.restore:
            assert cleaned[start : start + len(finding.suggestion)] == finding.suggestion
            shift += len(finding.suggestion) - len(finding.text)
        else:
            assert cleaned[start : start + len(finding.text)] == finding.text
            assert finding.alternatives, "a withheld finding names what else it could be"


def test_reports_carry_the_ranked_candidates(scanned, tmp_path):
    pair, report = _withheld(scanned)
    withheld = next(f for f in report.findings if not f.restore)
    data = json.loads(json.dumps(report.to_dict()))
    as_json = next(f for f in data["findings"] if f["start"] == withheld.start)
    assert as_json["restore"] is False
    assert as_json["alternatives"] == list(withheld.alternatives)
    assert withheld.suggestion not in withheld.alternatives
    path = tmp_path / "news.txt"
    path.write_text(pair.spun, encoding="utf-8")
    text = CliRunner().invoke(app, ["scan", str(path)]).stdout
    line = next(line for line in text.splitlines() if f" {withheld.text} -> " in line)
    assert f"-> {withheld.suggestion} or {withheld.alternatives[0]} " in line
    assert "left as written" in line


def test_withheld_restorations_are_mostly_the_wrong_ones(scanned):
    """On substitutions the detector has no list of, a restored suggestion is right far more
    often than one the margin holds back (which is why it is held back)."""
    counts = {True: [0, 0], False: [0, 0]}
    for pair, report in scanned:
        for finding in report.findings:
            inside = [
                s for s in pair.substitutions if finding.start <= s.start and s.end <= finding.end
            ]
            if len(inside) != 1 or (inside[0].start, inside[0].end) != (finding.start, finding.end):
                continue
            right = finding.suggestion.lower() == inside[0].original.lower()
            counts[finding.restore][0] += right
            counts[finding.restore][1] += 1
    (restored_right, restored), (withheld_right, withheld) = counts[True], counts[False]
    assert restored >= 30 and withheld >= 5, counts
    assert restored_right / restored >= 0.6
    assert withheld_right / withheld <= 0.3


def test_a_margin_of_zero_restores_every_finding(scanned):
    pair, _ = _withheld(scanned)
    config = DetectorConfig(restore_margin=0.0)
    assert all(f.restore for f in spindetect.scan(pair.spun, config=config).findings)


def test_the_filter_cleans_as_clean_does(scanned, tmp_path):
    pair, report = _withheld(scanned)
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": pair.spun}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["filter", str(source), "--mode", "clean"])
    assert result.exit_code == 0, result.stderr
    cleaned = json.loads(result.stdout)["text"]
    assert cleaned == spindetect.clean(pair.spun)
    withheld = next(f for f in report.findings if not f.restore)
    assert withheld.text in cleaned


def test_the_html_report_says_what_is_left_as_written(scanned, tmp_path):
    pair, _ = _withheld(scanned)
    path = tmp_path / "news.txt"
    path.write_text(pair.spun, encoding="utf-8")
    page = CliRunner().invoke(app, ["scan", str(path), "--format", "html"]).stdout
    assert "left as written when cleaned" in page
    assert "also possible: " in page


def test_apply_findings_skips_a_finding_not_to_restore():
    from spindetect.findings import Finding
    from spindetect.restore import apply_findings

    text = "The land legislature approved a temporary spending plan."
    land = Finding(4, 8, "land", "state", 0.97, "thesaurus", "", ("country",), restore=False)
    plan = Finding(51, 55, "plan", "bill", 0.97, "thesaurus", "", (), restore=True)
    assert apply_findings(text, [land, plan]) == text.replace("plan", "bill")
