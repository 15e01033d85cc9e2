"""spindetect filter: JSON Lines in, JSON Lines out, in order, nothing lost, bytes kept, streaming.

The command runs in-process (typer's CliRunner); one test sends a real Ctrl-C (SIGINT) to a
``python -m spindetect filter`` process.
"""

import contextlib
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CLEAN_SEEDS, SPUN_SEED
from spindetect.api import clean, scan
from spindetect.cli import app
from spindetect.jsonedit import member_spans, value_span
from spindetect.jsonfilter import FilterSettings, FilterStopped, get_field, run_filter, tag

EVAL = Path(__file__).parent.parent / "corpus" / "eval"
SHORT_SPUN = (
    "It was the primary Chinese language protection minister to go to the 2 international "
    "locations."
)
SUMMARY = re.compile(
    r"records in (\d+): kept (\d+), dropped (\d+), errors (\d+) \((\d+) judged spun\)"
)


def _record(number, text):
    return json.dumps({"id": number, "doc": {"text": text}}, ensure_ascii=False).encode() + b"\n"


def opened(line: bytes) -> bytes:
    """A JSON object's line up to (not with) its closing brace."""
    return line[: line.rstrip(b" \t\r\n").rindex(b"}")]


def eval_lines(name: str, count: int) -> list[bytes]:
    """The first ``count`` records of a corpus/eval file, as they are written there."""
    with (EVAL / name).open("rb") as lines:
        return [line for _, line in zip(range(count), lines, strict=False)]


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


class StdinRunner(CliRunner):
    """A CliRunner whose standard input is a given binary stream (CliRunner takes bytes)."""

    def __init__(self, stream: io.IOBase):
        super().__init__()
        self.stream = stream

    @contextlib.contextmanager
    def isolation(self, *args, **kwargs):
        with super().isolation(*args, **kwargs) as streams:
            sys.stdin = io.TextIOWrapper(self.stream, encoding="utf-8")
            yield streams


def invoke(tmp_path, monkeypatch, *args, lines=None, stdin=None, field="doc.text"):
    """Run ``spindetect filter`` in ``tmp_path`` on ``in.jsonl`` (``lines``) or on ``stdin``."""
    monkeypatch.chdir(tmp_path)
    command = ["filter", "--field", field, *args]
    if stdin is None:
        (tmp_path / "in.jsonl").write_bytes(b"".join(lines or [line for line, _ in LINES]))
        command.insert(1, "in.jsonl")
    runner = CliRunner()
    if isinstance(stdin, io.IOBase):
        runner, stdin = StdinRunner(stdin), None
    result = runner.invoke(app, command, input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result, result.stderr.splitlines()


def summary_counts(stderr_lines):
    match = SUMMARY.search(stderr_lines[-1])
    assert match, stderr_lines
    return tuple(int(group) for group in match.groups())


def ids(data: bytes):
    return [json.loads(line)["id"] for line in data.splitlines()]


def test_tag_mode_keeps_order_and_accounts_for_every_line(tmp_path, monkeypatch):
    result, err = invoke(
        tmp_path,
        monkeypatch,
        *("-o", "out.jsonl", "--rejects", "rejects.jsonl", "-j", "2", "--batch-size", "1"),
    )
    assert result.exit_code == 2  # bad lines are input errors
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
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "in.jsonl",
        "out.jsonl",
        "rejects.jsonl",
    ]  # no temporary file left behind


def test_drop_mode_passes_clean_records_and_bad_lines_through_verbatim(tmp_path, monkeypatch):
    result, err = invoke(
        tmp_path,
        monkeypatch,
        *("--mode", "drop", "--on-error", "pass", "--rejects", "spun.jsonl", "-j", "2"),
    )
    records, kept, dropped, errors, _ = summary_counts(err)
    assert (kept, dropped, errors) == (len(GOOD) - len(SPUN), len(SPUN), len(BAD))
    assert records == kept + dropped + errors == RECORDS
    expected = [line for n, (line, _) in enumerate(LINES, 1) if n not in SPUN and n != 4]
    expected[-1] += b"\n"  # the last line is terminated
    assert result.stdout_bytes.splitlines(keepends=True) == expected
    spun_lines = (tmp_path / "spun.jsonl").read_bytes().splitlines(keepends=True)
    dropped_records = [json.loads(line) for line in spun_lines]
    assert [r["id"] for r in dropped_records] == SPUN
    assert all(r["spindetect"]["verdict"] == "spun" for r in dropped_records)
    for line, number in zip(spun_lines, SPUN, strict=True):  # the record's bytes, then the tag
        assert line.startswith(opened(LINES[number - 1][0]) + b', "spindetect": ')


def test_clean_mode_restores_the_field_and_lists_findings_on_request(tmp_path, monkeypatch):
    result, err = invoke(tmp_path, monkeypatch, "--mode", "clean", "--findings", "-j", "1")
    records, kept, dropped, errors, _ = summary_counts(err)
    assert (records, kept, dropped, errors) == (RECORDS, len(GOOD), 0, len(BAD))
    out = {record["id"]: record for record in map(json.loads, result.stdout_bytes.splitlines())}
    spun_text = SPUN_SEED.read_text(encoding="utf-8")
    assert "2 international locations" in spun_text
    assert "two countries" in out[1]["doc"]["text"]
    assert "2 international locations" not in out[1]["doc"]["text"]
    finding = out[1]["spindetect"]["findings"][0]
    assert spun_text[finding["start"] : finding["end"]] == finding["text"]  # offsets: as read
    assert out[2]["doc"]["text"] == CLEAN_SEEDS[0].read_text(encoding="utf-8")


def test_on_error_fail_stops_at_the_first_bad_line_and_says_where(tmp_path, monkeypatch):
    stdin = b"".join(line for line, _ in LINES)
    result, err = invoke(tmp_path, monkeypatch, "--on-error", "fail", "-j", "2", stdin=stdin)
    assert result.exit_code == 2
    assert err[0].startswith("spindetect: error: <stdin>:3: bad JSON")
    assert summary_counts(err)[:4] == (3, 2, 0, 1)
    assert "stopped at line 3 (--on-error fail)" in err[-1]
    assert "2 lines written to standard output" in err[-1]
    assert ids(result.stdout_bytes) == [1, 2]


def test_on_error_fail_leaves_no_output_file(tmp_path, monkeypatch):
    (tmp_path / "out.jsonl").write_bytes(b"an older output\n")
    result, err = invoke(tmp_path, monkeypatch, "--on-error", "fail", "-o", "out.jsonl")
    assert result.exit_code == 2
    assert "stopped at line 3 (--on-error fail)" in err[-1] and "out.jsonl not written" in err[-1]
    assert summary_counts(err)[:4] == (3, 2, 0, 1)
    assert (tmp_path / "out.jsonl").read_bytes() == b"an older output\n"  # untouched
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_a_device_as_output_is_written_as_it_is(tmp_path, monkeypatch):
    result, err = invoke(tmp_path, monkeypatch, "-o", os.devnull, "--on-error", "fail")
    assert result.exit_code == 2 and "2 lines written to /dev/null" in err[-1], err
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)  # not replaced by a regular file
    assert not list(Path(os.devnull).parent.glob(".tmp-*"))


def test_usage_errors_are_one_line(tmp_path, monkeypatch):
    for args, fragment in [
        (["--mode", "shred"], "'shred' is not one of 'tag', 'drop', 'clean'"),
        (["--on-error", "ignore"], "'ignore' is not one of 'skip', 'fail', 'pass'"),
        (["--field", "doc..text"], "bad field path"),
        (["--field", "spindetect.verdict"], "bad field path"),
        (["-o", "in.jsonl"], "is also the input"),
    ]:
        result, err = invoke(tmp_path, monkeypatch, *args)
        assert result.exit_code == 2 and len(err) == 1 and fragment in err[0], err


# ---- bytes kept -------------------------------------------------------------------------


def variants(line: bytes) -> list[bytes]:
    """One real record written in ways a re-serialisation would not keep."""
    record = json.loads(line)
    body = line.rstrip(b"\n")
    assert body.endswith(b"}")
    escaped = json.dumps(record, ensure_ascii=True).encode()
    return [
        line,
        json.dumps(record, separators=(",", ":")).encode() + b"\n",  # compact
        escaped[:-1] + b', "note": "caf\\u00e9 \\ud83d\\ude00", "rate": 1.10}\n',  # escapes
        body[:-1] + b', "kind": "again", "score": 1.0E+2, "tiny": 1e-400}\r\n',  # repeated key
        b'{ "first" :[ 1 , 2 ] ,' + body[1:] + b"  ",  # spacing, no line end
    ]


def test_tag_mode_keeps_every_byte_and_only_adds_the_tag(tmp_path, monkeypatch):
    lines = [form for line in eval_lines("news-mixed.jsonl", 6) for form in variants(line)]
    lines = [line if line.endswith(b"\n") else line + b"\n" for line in lines]
    lines[-1] = lines[-1].rstrip(b"\n")  # the last line of the input has no line end
    result, err = invoke(
        tmp_path, monkeypatch, "-j", "2", "--batch-size", "2", lines=lines, field="spun"
    )
    assert result.exit_code == 0, err
    out = result.stdout_bytes.splitlines(keepends=True)
    assert len(out) == len(lines)
    verdicts = set()
    for read, written in zip(lines, out, strict=True):
        close = read.rstrip(b" \t\r\n").rindex(b"}")
        head, tail = read[:close], read[close:]
        tail = tail if tail.endswith(b"\n") else tail + b"\n"
        assert written.startswith(head + b', "spindetect": ') and written.endswith(tail)
        added = json.loads(written[len(head) + len(b', "spindetect": ') : -len(tail)])
        text = json.loads(read)["spun"]
        assert added == tag(scan(text))
        verdicts.add(added["verdict"])
    assert verdicts == {"spun", "clean"}


def test_an_existing_tag_is_replaced_where_it_stands(tmp_path, monkeypatch):
    real = eval_lines("news-mixed.jsonl", 3)
    lines = [
        opened(real[0]) + b', "spindetect": "stale", "after": 1}\n',
        b'{"spindetect": {"verdict": "old"}, ' + opened(real[1])[1:] + b', "spindetect": [1, 2]}\n',
        b'{"spindetect":{}}\n',  # the field is missing: a bad line, kept as it was
    ]
    result, err = invoke(tmp_path, monkeypatch, "--on-error", "pass", lines=lines, field="spun")
    assert summary_counts(err)[:4] == (3, 2, 0, 1)
    out = result.stdout_bytes.splitlines(keepends=True)
    assert out[2] == lines[2]
    for read, written in zip(lines[:2], out[:2], strict=True):
        expected = tag(scan(json.loads(read)["spun"]))
        spans = member_spans(read.decode(), "spindetect")
        assert len(member_spans(written.decode(), "spindetect")) == len(spans)  # none added
        values = [json.loads(written[a:b]) for a, b in member_spans(written.decode(), "spindetect")]
        assert values == [expected] * len(spans)
        # outside the tag's values every byte is the same
        assert written.decode().replace(json.dumps(expected), "") == re.sub(
            r'"stale"|\{"verdict": "old"\}|\[1, 2\]', "", read.decode()
        )
    again, _ = invoke(tmp_path, monkeypatch, "--on-error", "pass", lines=out, field="spun")
    assert again.stdout_bytes == result.stdout_bytes  # filtering twice changes nothing more


def test_clean_mode_changes_only_the_field_value(tmp_path, monkeypatch):
    real = [
        line
        for line in eval_lines("news-mixed.jsonl", 12)
        if scan(json.loads(line)["spun"]).findings
    ]
    assert len(real) >= 3
    escaped = json.dumps(json.loads(real[0]), ensure_ascii=True).encode()
    lines = [
        opened(escaped) + b', "rate": 1.10, "note": "caf\\u00e9"}\n',  # \\u escapes throughout
        real[1],
        json.dumps(json.loads(real[2]), separators=(",", ":")).encode() + b"\n",
    ]
    result, err = invoke(tmp_path, monkeypatch, "--mode", "clean", lines=lines, field="spun")
    assert result.exit_code == 0, err
    for read, written in zip(lines, result.stdout_bytes.splitlines(keepends=True), strict=True):
        source, output = read.decode(), written.decode()
        start, end = value_span(source, ("spun",))
        close = len(opened(read).decode())
        assert output.startswith(source[:start])
        value, new_end = json.JSONDecoder().raw_decode(output, start)
        text = json.loads(source[start:end])
        assert value == clean(text) != text
        assert output[start:new_end].isascii() == source[start:end].isascii()  # escapes kept
        assert output[new_end:].startswith(source[end:close] + ', "spindetect": ')
        assert output.endswith(source[close:])


# ---- only valid JSON ------------------------------------------------------------------------


def test_nan_infinity_and_out_of_range_numbers_are_bad_lines(tmp_path, monkeypatch):
    real = opened(eval_lines("news-mixed.jsonl", 1)[0])
    values = [b"NaN", b"Infinity", b"-Infinity", b"1e400", b"-1E+400", b"1e-400"]
    lines = [real + b', "x": ' + value + b"}\n" for value in values]
    lines.append(b'{"spun": "cut off')  # the last line, not terminated
    result, err = invoke(tmp_path, monkeypatch, "--on-error", "skip", lines=lines, field="spun")
    assert summary_counts(err)[:4] == (7, 1, 0, 6)
    errors = [line for line in err if line.startswith("spindetect: error:")]
    assert [int(line.split(":")[3]) for line in errors] == [1, 2, 3, 4, 5, 7]
    for line, value in zip(errors[:5], values[:5], strict=True):
        assert f"bad JSON ({value.decode()}" in line or f"number {value.decode()}" in line
    assert "Unterminated string starting at column" in errors[-1] and "at at" not in errors[-1]
    out = result.stdout_bytes
    assert out.startswith(opened(lines[5]))  # 1e-400 is valid JSON, kept as written
    json.loads(out, parse_constant=pytest.fail)  # the output is strict JSON


def test_an_unpaired_surrogate_in_the_field_is_a_bad_line(tmp_path, monkeypatch):
    real = eval_lines("news-mixed.jsonl", 1)[0]
    text = json.loads(real)["spun"]
    lines = [
        json.dumps({"spun": text[:40] + "\ud800" + text[40:]}).encode() + b"\n",
        opened(real) + b', "other": "\\udc00"}\n',  # not the field: kept, byte for byte
    ]
    result, err = invoke(tmp_path, monkeypatch, lines=lines, field="spun")
    assert err[0] == (
        "spindetect: error: in.jsonl:1: field 'spun' holds an unpaired surrogate (\\ud800) "
        "at character 40: not Unicode text"
    )
    assert result.stdout_bytes.startswith(opened(lines[1]) + b', "spindetect": ')


def test_value_span_finds_what_the_decoded_record_holds():
    lines = [line.decode() for line in eval_lines("dev.jsonl", 4)]
    lines += [
        '{"a": [{"b": "first"}, {"b": "s\\u0065cond", "b": "third"}], "c": {}}',
        '{"a": [{"b": "first"}], "\\u0061": {"0": {"b": "keyed"}}}',  # "a" again, escaped
    ]
    found = []
    for line in lines:
        record = json.loads(line)
        for path in [("spun",), ("name",), ("a", "1", "b"), ("a", "0", "b"), ("c", "d")]:
            try:
                value = get_field(record, path)
            except ValueError:
                assert value_span(line, path) is None
                continue
            start, end = value_span(line, path)
            assert json.loads(line[start:end]) == value
            found.append(value)
    assert found[-3:] == ["third", "first", "keyed"]


# ---- -o, Ctrl-C --------------------------------------------------------------------------


class InterruptedInput(io.BytesIO):
    """Standard input on which Ctrl-C is pressed while line ``after + 1`` is read."""

    def __init__(self, data: bytes, after: int):
        super().__init__(data)
        self.after, self.read_lines = after, 0

    def __next__(self):
        if self.read_lines == self.after:
            raise KeyboardInterrupt
        self.read_lines += 1
        return super().__next__()


def test_ctrl_c_keeps_the_old_output_and_says_where_it_stopped(tmp_path, monkeypatch):
    (tmp_path / "out.jsonl").write_bytes(b"an older output\n")
    stdin = InterruptedInput(b"".join(line for line, _ in LINES), after=5)
    result, err = invoke(
        tmp_path, monkeypatch, *("-o", "out.jsonl", "--rejects", "r.jsonl", "-j", "1"), stdin=stdin
    )
    assert result.exit_code == 130
    assert err[-1].startswith("spindetect: filter: interrupted after line 5; ")
    assert err[-1].endswith("; out.jsonl not written, r.jsonl not written")
    assert summary_counts(err) == (4, 2, 0, 2, 1)  # lines 1-5: two records, two bad, a blank
    assert (tmp_path / "out.jsonl").read_bytes() == b"an older output\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.jsonl"]


def test_ctrl_c_on_stdout_says_what_was_written(tmp_path, monkeypatch):
    stdin = InterruptedInput(b"".join(line for line, _ in LINES), after=14)
    result, err = invoke(tmp_path, monkeypatch, "-j", "2", "--batch-size", "1", stdin=stdin)
    assert result.exit_code == 130
    line = int(re.search(r"interrupted after line (\d+);", err[-1]).group(1))
    assert line <= 14  # results read ahead by the workers are not written
    written = ids(result.stdout_bytes)
    assert written == [n for n in GOOD if n <= line]
    assert f"{len(written)} line{'s' * (len(written) != 1)} written to standard output" in err[-1]
    records, kept, _, errors, _ = summary_counts(err)
    bad = [n for n in BAD if n <= line]
    assert (records, kept, errors) == (line - (line >= 4), len(written), len(bad))


def test_sigint_leaves_no_half_file(tmp_path):
    command = [sys.executable, "-m", "spindetect", "filter", "-o", "out.jsonl", "--field", "spun"]
    process = subprocess.Popen(
        [*command, "-j", "1"], cwd=tmp_path, stdin=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdin.write(b"".join(eval_lines("news-mixed.jsonl", 40)))
    process.stdin.flush()  # and kept open: the filter waits for more
    deadline = time.monotonic() + 120
    # records are being written (past start-up) once the temporary file has its first bytes
    while not any(path.stat().st_size for path in tmp_path.glob(".tmp-*")):
        assert time.monotonic() < deadline and process.poll() is None, "nothing written"
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    last = stderr.decode().splitlines()[-1]
    assert process.returncode == 130, stderr
    stopped = re.match(r"spindetect: filter: interrupted after line (\d+); ", last)
    assert stopped and int(stopped.group(1)) == summary_counts([last])[1] > 0, last
    assert last.endswith("out.jsonl not written")
    assert list(tmp_path.iterdir()) == []


# ---- streaming ---------------------------------------------------------------------------


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
    lines = [_record(1, "Rain is expected."), b"\n", b"{oops\n", _record(4, "More rain.")]
    with pytest.raises(FilterStopped, match="stopped at line 3") as stopped:
        run_filter(
            iter(lines), CountingWriter(), FilterSettings.parse("doc.text"), {}, on_error="fail"
        )
    counts = stopped.value.counts
    assert (counts.records, counts.errors, counts.blank, counts.line) == (2, 1, 1, 3)


def test_dotted_paths_reach_into_objects_and_arrays():
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
