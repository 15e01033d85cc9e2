"""spindetect filter: JSON Lines in, JSON Lines out, in order, nothing lost, streaming."""

import json
import re
import subprocess
import sys

import pytest

from conftest import CLEAN_SEEDS, SPUN_SEED
from spindetect.jsonfilter import FilterSettings, FilterStopped, run_filter

SHORT_SPUN = (
    "It was the primary Chinese language protection minister to go to the 2 international "
    "locations."
)


def _record(number, text):
    return json.dumps({"id": number, "doc": {"text": text}}, ensure_ascii=False).encode() + b"\n"


# (line, what it is): every kind of bad line between good ones; ids equal line numbers.
LINES = [
    (_record(1, SPUN_SEED.read_text(encoding="utf-8")), "spun"),
    (_record(2, CLEAN_SEEDS[0].read_text(encoding="utf-8")), "clean"),
    (b"not json at all\n", "bad JSON"),
    (b"   \n", "blank"),
    (b"[1, 2]\n", "not a JSON object but an array"),
    (b'"just a string"\n', "not a JSON object but a string"),
    (b'{"id": 7}\n', "no field 'doc.text'"),
    (b'{"id": 8, "doc": "flat"}\n', "no field 'doc.text'"),
    (b'{"id": 9, "doc": {"text": 42}}\n', "is a number, not a string"),
    (b'{"id": 10, "doc": {"text": null}}\n', "is null, not a string"),
    (b'{"id": 11, "doc": {"text": ["a"]}}\n', "is an array, not a string"),
    (b'{"id": 12, "doc": {"text": "caf\xe9 au lait"}}\n', "not valid UTF-8"),
    (b'{"id": 13, "doc": {"text": "cut off\n', "bad JSON"),
    (_record(14, SHORT_SPUN), "spun"),
    (_record(15, ""), "clean"),
    (_record(16, "Rain is expected in the capital on Sunday."), "clean"),
    (_record(17, CLEAN_SEEDS[1].read_text(encoding="utf-8")).rstrip(b"\n"), "clean"),  # no \n
]
GOOD = [n for n, (_, kind) in enumerate(LINES, 1) if kind in ("spun", "clean")]
SPUN = [n for n, (_, kind) in enumerate(LINES, 1) if kind == "spun"]
BAD = [n for n, (_, kind) in enumerate(LINES, 1) if kind not in ("spun", "clean", "blank")]
RECORDS = len(LINES) - 1  # the blank line is not a record


def run_filter_cli(tmp_path, *args, stdin_lines=None):
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"".join(line for line, _ in LINES))
    command = [sys.executable, "-m", "spindetect", "filter", "--field", "doc.text", *args]
    if stdin_lines is None:
        command.insert(4, source.name)
    result = subprocess.run(
        command, input=stdin_lines, capture_output=True, timeout=300, cwd=tmp_path
    )
    return result, result.stderr.decode().splitlines()


def summary_counts(stderr_lines):
    match = re.search(
        r"records in (\d+): kept (\d+), dropped (\d+), errors (\d+) \((\d+) judged spun\)",
        stderr_lines[-1],
    )
    assert match, stderr_lines
    return tuple(int(group) for group in match.groups())


def ids(data: bytes):
    return [json.loads(line)["id"] for line in data.splitlines()]


def test_tag_mode_keeps_order_and_accounts_for_every_line(tmp_path):
    result, err = run_filter_cli(
        tmp_path, "-o", "out.jsonl", "--rejects", "rejects.jsonl", "-j", "2", "--batch-size", "1"
    )
    assert result.returncode == 2  # bad lines are input errors
    records, kept, dropped, errors, spun = summary_counts(err)
    assert (records, kept, dropped, errors, spun) == (RECORDS, len(GOOD), 0, len(BAD), len(SPUN))
    assert records == kept + dropped + errors
    assert "1 blank line skipped" in err[-1]
    # each bad line reported once, with its line number and what is wrong
    reported = [line for line in err if line.startswith("spindetect: error: in.jsonl:")]
    assert [int(line.split(":")[3]) for line in reported] == BAD
    for line in reported:
        assert LINES[int(line.split(":")[3]) - 1][1] in line
    out = (tmp_path / "out.jsonl").read_bytes()
    assert ids(out) == GOOD
    tags = {json.loads(line)["id"]: json.loads(line)["spindetect"] for line in out.splitlines()}
    assert [n for n, tag in tags.items() if tag["verdict"] == "spun"] == SPUN
    assert tags[1]["count"] > 10 and set(tags[1]) == {"verdict", "score", "words", "count"}
    rejects = (tmp_path / "rejects.jsonl").read_bytes().splitlines(keepends=True)
    assert rejects == [LINES[n - 1][0] for n in BAD]  # bad lines exactly as read


def test_drop_mode_passes_clean_records_and_bad_lines_through_verbatim(tmp_path):
    result, err = run_filter_cli(
        tmp_path, "--mode", "drop", "--on-error", "pass", "--rejects", "spun.jsonl", "-j", "2"
    )
    records, kept, dropped, errors, _ = summary_counts(err)
    assert (kept, dropped, errors) == (len(GOOD) - len(SPUN), len(SPUN), len(BAD))
    assert records == kept + dropped + errors == RECORDS
    expected = [line for n, (line, _) in enumerate(LINES, 1) if n not in SPUN and n != 4]
    expected[-1] += b"\n"  # the last line is terminated
    assert result.stdout.splitlines(keepends=True) == expected
    dropped_records = [
        json.loads(line) for line in (tmp_path / "spun.jsonl").read_bytes().split(b"\n") if line
    ]
    assert [r["id"] for r in dropped_records] == SPUN
    assert all(r["spindetect"]["verdict"] == "spun" for r in dropped_records)


def test_clean_mode_restores_the_field_and_lists_findings_on_request(tmp_path):
    result, err = run_filter_cli(tmp_path, "--mode", "clean", "--findings", "-j", "1")
    records, kept, dropped, errors, _ = summary_counts(err)
    assert (records, kept, dropped, errors) == (RECORDS, len(GOOD), 0, len(BAD))
    out = {record["id"]: record for record in map(json.loads, result.stdout.splitlines())}
    spun_text = SPUN_SEED.read_text(encoding="utf-8")
    assert "2 international locations" in spun_text
    assert "two countries" in out[1]["doc"]["text"]
    assert "2 international locations" not in out[1]["doc"]["text"]
    finding = out[1]["spindetect"]["findings"][0]
    assert spun_text[finding["start"] : finding["end"]] == finding["text"]  # offsets: as read
    assert out[2]["doc"]["text"] == CLEAN_SEEDS[0].read_text(encoding="utf-8")


def test_on_error_fail_stops_at_the_first_bad_line(tmp_path):
    stdin = b"".join(line for line, _ in LINES)
    result, err = run_filter_cli(tmp_path, "--on-error", "fail", "-j", "2", stdin_lines=stdin)
    assert result.returncode == 2
    assert err[0].startswith("spindetect: error: <stdin>:3: bad JSON")
    assert summary_counts(err)[:4] == (3, 2, 0, 1)
    assert ids(result.stdout) == [1, 2]


def test_usage_errors_are_one_line(tmp_path):
    for args, fragment in [
        (["--mode", "shred"], "unknown mode"),
        (["--on-error", "ignore"], "unknown --on-error"),
        (["--field", "doc..text"], "bad field path"),
        (["-o", "in.jsonl"], "is also the input"),
    ]:
        result, err = run_filter_cli(tmp_path, *args)
        assert result.returncode == 2 and len(err) == 1 and fragment in err[0], err


class CountingWriter:
    """An output that counts the records written to it."""

    def __init__(self):
        self.records = 0

    def write(self, data: bytes) -> None:
        self.records += data.count(b"\n")


def endless_jsonl(written: CountingWriter, slack: int):
    """JSON Lines without end; fails if read more than ``slack`` lines ahead of the output."""
    number = 0
    while True:
        assert number - written.records <= slack, f"read {number} lines, wrote {written.records}"
        yield _record(number, f"Report {number}: the talks will continue next week, he said.")
        number += 1


@pytest.mark.parametrize("workers", [1, 2])
def test_filter_streams_in_bounded_memory(workers):
    out, batch = CountingWriter(), 4
    slack = (2 * workers + 1) * batch if workers > 1 else 1
    lines = endless_jsonl(out, slack)
    limited = (line for _, line in zip(range(60), lines, strict=False))
    settings = FilterSettings.parse("doc.text")
    counts = run_filter(limited, out, settings, {}, workers=workers, batch_size=batch)
    assert counts.records == counts.kept == out.records == 60


def test_run_filter_fail_carries_the_counts():
    lines = [_record(1, "Rain is expected."), b"{oops\n", _record(3, "More rain.")]
    with pytest.raises(FilterStopped) as stopped:
        run_filter(
            iter(lines), CountingWriter(), FilterSettings.parse("doc.text"), {}, on_error="fail"
        )
    assert (stopped.value.counts.records, stopped.value.counts.errors) == (2, 1)


def test_dotted_paths_reach_into_objects_and_arrays():
    import io

    lines = [
        json.dumps({"pages": [{"text": "Cover."}, {"text": SHORT_SPUN}]}).encode() + b"\n",
        json.dumps({"pages": [{"text": "Only one page."}]}).encode() + b"\n",
    ]
    out, errors = io.BytesIO(), []
    settings = FilterSettings.parse("pages.1.text", "clean")
    counts = run_filter(iter(lines), out, settings, {}, report_error=errors.append)
    assert (counts.records, counts.kept, counts.errors, counts.spun) == (2, 1, 1, 1)
    assert errors == ["<stdin>:2: no field 'pages.1.text'"]
    record = json.loads(out.getvalue())
    assert record["pages"][0] == {"text": "Cover."}
    assert "two countries" in record["pages"][1]["text"]
    assert record["spindetect"]["verdict"] == "spun"
