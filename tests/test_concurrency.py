"""Concurrent scans equal serial ones, and awkward text (NUL, lone surrogates, combining marks,
megabytes without a line break) gives a Report whose offsets slice the text."""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import spindetect
from spindetect import Report

HELDOUT = Path(__file__).parent.parent / "corpus" / "eval" / "heldout.jsonl"
SURROGATE = re.compile("[\ud800-\udfff]")
THREADS = 8
ROUNDS = 3


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """40 spun held-out texts, spread over the file (paragraphs and articles)."""
    records = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines()]
    chosen = [record["spun"] for record in records[0::2]][:40]
    assert len(chosen) == 40
    return chosen


@pytest.fixture(scope="module")
def serial(texts: list[str]) -> list[Report]:
    reports = [spindetect.scan(text) for text in texts]
    # The comparison is not vacuous: the serial run finds things and calls texts spun.
    assert sum(len(report.findings) for report in reports) > 40
    assert any(report.is_spun for report in reports)
    return reports


def _differing(got: list[Report], want: list[Report]) -> list[int]:
    """Indices where two runs disagree (findings, verdict, score, words or evidence)."""
    assert len(got) == len(want)
    return [index for index, (a, b) in enumerate(zip(got, want, strict=True)) if a != b]


@pytest.mark.slow
def test_eight_threads_scanning_at_once_equal_the_serial_run(
    texts: list[str], serial: list[Report]
) -> None:
    start = threading.Barrier(THREADS)

    def worker(shift: int) -> list[Report]:
        """Every text, starting at a different one per thread so different texts overlap."""
        start.wait()
        order = [(shift + step) % len(texts) for step in range(len(texts))]
        reports: list[Report | None] = [None] * len(texts)
        for index in order:
            reports[index] = spindetect.scan(texts[index])
        return reports  # type: ignore[return-value]

    for round_ in range(ROUNDS):
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            runs = list(pool.map(worker, [5 * thread for thread in range(THREADS)]))
        for thread, reports in enumerate(runs):
            assert _differing(reports, serial) == [], f"round {round_}, thread {thread}"


def test_scan_many_on_two_threads_equals_the_serial_run(
    texts: list[str], serial: list[Report]
) -> None:
    # A small batch size: several batches, each one call into the core on two threads.
    reports = list(spindetect.scan_many(iter(texts), threads=2, batch_size=7))
    assert _differing(reports, serial) == []


def test_pipe_with_two_processes_equals_the_serial_run(
    texts: list[str], serial: list[Report]
) -> None:
    reports = list(spindetect.pipe(iter(texts), n_process=2, batch_size=5))
    assert _differing(reports, serial) == []


def _assert_offsets_slice(text: str, report: Report) -> None:
    """Every finding is a non-empty slice of ``text``, in order, not overlapping."""
    assert isinstance(report, Report)
    previous_end = 0
    for finding in report.findings:
        assert previous_end <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text
        assert 0.0 <= finding.score <= 1.0
        previous_end = finding.end


def _spans(report: Report) -> list[tuple[int, int, str]]:
    return [(finding.start, finding.end, finding.suggestion) for finding in report.findings]


def _with(text: str, insert: str, every: int) -> str:
    """``text`` with ``insert`` put after every ``every``-th character."""
    return insert.join(text[at : at + every] for at in range(0, len(text), every))


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda spun: "a\x00b", id="nul-alone"),
        pytest.param(lambda spun: _with(spun, "\x00", 37), id="nul-inside-spun-text"),
        pytest.param(lambda spun: "a\ud800b", id="lone-surrogate-alone"),
        pytest.param(lambda spun: _with(spun, "\udc00", 53), id="lone-surrogates-inside-spun-text"),
        pytest.param(lambda spun: "\ud83d\ude00 " + spun, id="surrogate-pair-as-two-code-points"),
        pytest.param(lambda spun: "\u0301" * 5000, id="only-combining-marks"),
        pytest.param(lambda spun: "\u0301\u20dd\u0308" * 3 + spun, id="combining-marks-before"),
        pytest.param(lambda spun: "", id="empty"),
        pytest.param(lambda spun: "\x00\x01\x7f\u2028\ufeff" * 200, id="only-control-characters"),
    ],
)
def test_awkward_text_gives_a_report_whose_offsets_slice_it(make, texts: list[str]) -> None:
    spun = max(texts, key=len)
    text = make(spun)
    report = spindetect.scan(text)
    _assert_offsets_slice(text, report)
    # A lone surrogate is one character, as U+FFFD is: the findings are those of the text with
    # U+FFFD in its place, at the same offsets.
    replaced = SURROGATE.sub("\ufffd", text)
    assert _spans(report) == _spans(spindetect.scan(replaced))


def test_spun_text_with_junk_inside_still_gives_findings(texts: list[str]) -> None:
    """NUL and lone surrogates do not hide the spun phrases around them; a lone surrogate is
    one character, as U+FFFD is, so the findings are those of the text with U+FFFD there."""
    spun = max(texts, key=len)
    assert spindetect.scan(spun).findings
    with_surrogates = _with(spun, "\ud800", 61)
    report = spindetect.scan(with_surrogates)
    _assert_offsets_slice(with_surrogates, report)
    assert report.findings
    replaced = spindetect.scan(with_surrogates.replace("\ud800", "\ufffd"))
    assert _spans(report) == _spans(replaced)
    with_nul = _with(spun, "\x00", 61)
    nul_report = spindetect.scan(with_nul)
    _assert_offsets_slice(with_nul, nul_report)
    assert nul_report.findings


@pytest.mark.slow
def test_two_megabytes_without_a_newline(texts: list[str]) -> None:
    unit = " ".join(text.replace("\n", " ") for text in texts)
    text = (unit + " ") * (2_000_000 // (len(unit) + 1) + 1)
    assert "\n" not in text and len(text) >= 2_000_000
    report = spindetect.scan(text)
    _assert_offsets_slice(text, report)
    # Spun text repeated is still found, all along its length.
    assert report.findings and report.findings[-1].start > len(text) // 2
