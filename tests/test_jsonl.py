"""The one JSON Lines reader: the repository's eval sets, bad lines named as the filter names
them, blank lines, a byte-order mark, U+2028 inside a string."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spindetect.jsonfilter import FilterSettings, filter_line
from spindetect.jsonl import JsonlError, LineError, parse_line, read_jsonl
from spindetect.tools.evaluate import read_pairs

EVAL = Path(__file__).resolve().parents[1] / "corpus" / "eval"
BAD_LINES = [
    b"not json at all\n",
    b'{"text": "cut off\n',
    b'{"text": "caf\xe9"}\n',
    b'{"text": "a", "x": NaN}\n',
    b'{"text": "a", "x": 1e400}\n',
    b'{"text": "a", "x": Infinity}\n',
    b"[" * 100_000 + b"\n",
]


@pytest.mark.parametrize("path", sorted(EVAL.glob("*.jsonl")), ids=lambda path: path.name)
def test_every_eval_set_reads_as_its_lines(path):
    lines = path.read_bytes().split(b"\n")
    expected = [(n, json.loads(line)) for n, line in enumerate(lines, 1) if line.strip()]
    assert list(read_jsonl(path)) == expected
    assert len(expected) > 0


def test_eval_pairs_come_through_the_reader():
    path = EVAL / "heldout.jsonl"
    names = [str(record.get("name", number)) for number, record in read_jsonl(path)]
    assert [pair.name for pair in read_pairs(path)] == names


@pytest.mark.parametrize("line", BAD_LINES, ids=range(len(BAD_LINES)))
def test_a_bad_line_is_named_with_the_filters_words(tmp_path, line):
    path = tmp_path / "records.jsonl"
    path.write_bytes(b'{"text": "fine"}\n\n' + line + b'{"text": "after"}\n')
    records = read_jsonl(path)
    assert next(records) == (1, {"text": "fine"})
    with pytest.raises(JsonlError) as raised:
        next(records)
    prefix = f"{path}:3: "
    assert str(raised.value).startswith(prefix)
    filtered = filter_line((3, line), {}, FilterSettings())
    assert filtered.status == "error"
    assert str(raised.value) == prefix + filtered.message
    with pytest.raises(LineError, match=f"^{filtered.message.split(' (')[0]}"):
        parse_line(line)


def test_blank_lines_bom_and_line_separator_inside_a_string(tmp_path):
    path = tmp_path / "texts.jsonl"
    records = [{"text": "one\u2028two"}, {"text": "three"}]
    body = "\ufeff" + json.dumps(records[0], ensure_ascii=False) + "\n \t\n\r\n"
    body += json.dumps(records[1]) + "\r\n"
    path.write_text(body, encoding="utf-8")
    assert list(read_jsonl(path)) == [(1, records[0]), (4, records[1])]


def test_a_file_that_cannot_be_read_is_one_error(tmp_path):
    with pytest.raises(JsonlError, match=r"missing\.jsonl: cannot read: No such file"):
        list(read_jsonl(tmp_path / "missing.jsonl"))
    with pytest.raises(JsonlError, match=r": cannot read: Is a directory"):
        list(read_jsonl(tmp_path))
