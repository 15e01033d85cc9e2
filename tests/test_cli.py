"""The command line: exit codes, output formats, help and bad input, run in-process (typer's
CliRunner) as a user runs it; two smoke tests start the real ``python -m spindetect``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from itertools import pairwise

import pytest
from typer.testing import CliRunner

from conftest import CLEAN_SEEDS, FIXTURES, SEEDS, SPUN_SEED
from spindetect import cli
from spindetect.cli import app, progress

HELP_WIDTH = 78  # click wraps help at min(terminal, 80) - 2; CliRunner's terminal is 80 wide
COMMANDS = [
    [],
    ["scan"],
    ["clean"],
    ["filter"],
    ["eval"],
    ["match"],
    ["phrases"],
    ["phrases", "import"],
    ["reference"],
    ["reference", "build"],
]


def run(*args, stdin: bytes | None = None):
    return CliRunner().invoke(app, [str(arg) for arg in args], input=stdin, prog_name="spindetect")


def one_line_error(result, *fragments: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("spindetect: error: ") and "Traceback" not in err
    for fragment in fragments:
        assert fragment in err
    return err


def test_scan_folder_text_format_reads_like_a_linter():
    result = run("scan", SEEDS)
    assert result.exit_code == 1
    out = result.stdout
    assert f"{SPUN_SEED}: spun" in out
    for path in CLEAN_SEEDS:
        assert f"{path}: clean" in out
    finding_lines = [line for line in out.splitlines() if " -> " in line]
    assert finding_lines
    path, line, column, rest = finding_lines[0].split(":", 3)
    assert path == str(SPUN_SEED) and int(line) >= 1 and int(column) >= 1
    assert "(score " in rest
    assert result.stderr == ""


def test_line_and_column_point_at_the_phrase():
    result = run("scan", SPUN_SEED)
    text = SPUN_SEED.read_text(encoding="utf-8").splitlines()
    checked = 0
    for line in result.stdout.splitlines():
        if " -> " not in line:
            continue
        _, number, column, rest = line.split(":", 3)
        phrase = rest.strip().split(" -> ")[0]
        start = int(column) - 1
        assert text[int(number) - 1][start : start + len(phrase)] == phrase.split("\n")[0]
        checked += 1
    assert checked


def test_clean_files_exit_zero():
    assert run("scan", *CLEAN_SEEDS).exit_code == 0


def test_json_format_has_the_documented_shape():
    result = run("scan", SEEDS, "--format", "json")
    data = json.loads(result.stdout)
    assert [entry["path"] for entry in data["files"]] == [
        str(p) for p in sorted(SEEDS.glob("*.txt"))
    ]
    spun = next(entry for entry in data["files"] if entry["path"] == str(SPUN_SEED))
    assert spun["verdict"] == "spun" and spun["words"] > 900 and 0 <= spun["score"] <= 1
    text = SPUN_SEED.read_text(encoding="utf-8")
    assert spun["findings"]
    for finding in spun["findings"]:
        assert set(finding) >= {"start", "end", "text", "suggestion", "score", "source"}
        assert text[finding["start"] : finding["end"]] == finding["text"]


def test_jsonl_format_is_one_file_object_per_line():
    lines = run("scan", SEEDS, "--format", "jsonl").stdout.splitlines()
    assert len(lines) == len(list(SEEDS.glob("*.txt")))
    assert {json.loads(line)["verdict"] for line in lines} == {"spun", "clean"}


def test_stdin_and_clean_to_file(tmp_path):
    text = SPUN_SEED.read_bytes()
    scanned = run("scan", "-", stdin=text)
    assert scanned.exit_code == 1 and "<stdin>: spun" in scanned.stdout
    out = tmp_path / "cleaned.txt"
    cleaned = run("clean", SPUN_SEED, "-o", out)
    assert cleaned.exit_code == 0 and cleaned.stdout == ""
    assert "two countries" in out.read_text(encoding="utf-8")
    assert run("clean", "-", stdin=text).stdout_bytes == out.read_bytes()


def test_clean_of_clean_text_is_byte_identical():
    path = CLEAN_SEEDS[0]
    assert run("clean", path).stdout_bytes == path.read_bytes()


def test_threshold_option():
    loose = run("scan", SPUN_SEED, "--format", "json", "--threshold", "0.5")
    strict = run("scan", SPUN_SEED, "--format", "json", "--threshold", "0.99")
    count = lambda r: len(json.loads(r.stdout)["files"][0]["findings"])  # noqa: E731
    assert count(strict) < count(loose)
    one_line_error(run("scan", SPUN_SEED, "--threshold", "7"), "--threshold", "less than")


def test_missing_path(tmp_path):
    one_line_error(run("scan", tmp_path / "nope.txt"), "no such file")


def test_clean_refuses_a_directory(tmp_path):
    (tmp_path / "only.txt").write_text("hello there\n", encoding="utf-8")
    one_line_error(run("clean", tmp_path), "is a directory", "--out-dir")


def test_directory_without_text(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    one_line_error(run("scan", tmp_path), "no files matching")


def test_binary_file(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x00\x01\x02binary\x00")
    one_line_error(run("scan", path), "binary")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    one_line_error(run("scan", path), "empty")


def test_unknown_option():
    one_line_error(run("scan", SPUN_SEED, "--frobnicate"), "--frobnicate", "spindetect scan --help")


def test_unknown_format_names_the_choices():
    one_line_error(run("scan", SPUN_SEED, "--format", "xml"), "xml", "jsonl", "html")
    one_line_error(run("eval", SPUN_SEED, "--format", "html"), "html", "'json'")


def test_invalid_utf8_is_decoded_with_replacement_and_a_warning(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 owners met the protection chief. ".encode("latin-1") * 3)
    result = run("scan", path, "--format", "json")
    assert result.exit_code in (0, 1)
    assert "invalid UTF-8" in result.stderr and "replacement" in result.stderr
    assert json.loads(result.stdout)["files"][0]["words"] > 0


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    result = run("scan", bad, CLEAN_SEEDS[0])
    assert result.exit_code == 2
    assert f"{CLEAN_SEEDS[0]}: clean" in result.stdout


def test_bad_phrasebook_is_a_usage_error(tmp_path):
    book = tmp_path / "book.tsv"
    book.write_text("only one cell\n", encoding="utf-8")
    one_line_error(run("scan", SPUN_SEED, "--phrasebook", book), "book.tsv:1")


def test_user_phrasebook_adds_findings(tmp_path):
    book = tmp_path / "science.tsv"
    book.write_text("cerulean planet\tblue planet\talways\tnot built in\n", encoding="utf-8")
    doc = tmp_path / "abstract.txt"
    doc.write_text("We map the cerulean planet from orbit.\n", encoding="utf-8")
    result = run("scan", doc, "--phrasebook", book, "--format", "json")
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert [(f["text"], f["suggestion"]) for f in findings] == [("cerulean planet", "blue planet")]


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("spindetect ")


def test_no_arguments_prints_the_help_and_exits_2():
    result = run()
    assert result.exit_code == 2 and "Usage: spindetect" in result.stderr


def _help(command: list[str]) -> str:
    result = run(*command, "--help")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _options(text: str) -> list[str]:
    """The entries of a help's Options section, each joined onto one line."""
    section = text.split("\nOptions:\n", 1)[1].split("\n\n", 1)[0]
    entries: list[str] = []
    for line in section.splitlines():
        if re.match(r"  -", line):
            entries.append(line.strip())
        else:
            entries[-1] += " " + line.strip()
    return entries


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "spindetect")
def test_help_shows_plain_placeholders_each_option_once_and_one_default(command):
    text = _help(command)
    assert not re.search(r"<(bool|str|int|float|path|list)", text), text
    assert "range>" not in text and "list[" not in text
    names = [re.findall(r"--[\w-]+", entry.split("  ")[0]) for entry in _options(text)]
    flat = [name for group in names for name in group]
    assert flat and len(flat) == len(set(flat)), flat
    for entry in _options(text):
        assert entry.lower().count("default") <= 1, entry


def test_help_shows_the_choices_of_each_format():
    assert "--format [text|json|jsonl|html]" in _help(["scan"])
    for command in (["eval"], ["match"], ["phrases", "import"]):
        assert "--format [text|json]" in _help(command)


@pytest.mark.parametrize("command", [["phrases", "import"], ["reference", "build"]])
def test_help_paragraphs_are_filled_not_broken_mid_sentence(command):
    """Every line of a description paragraph but its last is as full as the width allows."""
    description = _help(command).split("\n\n", 1)[1].split("\nArguments:", 1)[0]
    paragraphs = [p.splitlines() for p in description.strip("\n").split("\n\n")]
    assert len(paragraphs) >= 2
    for lines in paragraphs:
        for line, following in pairwise(lines):
            assert len(line) + 1 + len(following.split()[0]) > HELP_WIDTH, (line, following)


def test_eval_command_reports_the_metrics(tmp_path):
    result = run("eval", FIXTURES / "pairs", "--format", "json")
    assert result.exit_code == 0
    figures = json.loads(result.stdout)
    assert figures["pairs"] == 1 and figures["spun_runs"] > 100
    assert 0 < figures["phrase_recall"] < 1 and figures["phrase_precision"] > 0.8
    assert figures["document_auc"] == 1.0
    assert figures["document_auc_low"] is None  # one pair: no interval
    text = run("eval", FIXTURES / "pairs").stdout
    assert "phrase recall" in text and "recovery" in text
    out = tmp_path / "figures.txt"
    to_file = run("eval", FIXTURES / "pairs", "-o", out)
    assert to_file.exit_code == 0 and to_file.stdout == "" and out.read_text() == text
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    one_line_error(run("eval", bad), "bad.jsonl:1")


def test_match_writes_its_report_with_output(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "original.txt").write_bytes((FIXTURES / "pairs" / "002.orig.txt").read_bytes())
    for path in CLEAN_SEEDS[:2]:
        (sources / path.name).write_bytes(path.read_bytes())
    shown = run("match", SPUN_SEED, "--against", sources, "--format", "json")
    assert shown.exit_code == 0
    ranked = json.loads(shown.stdout)["queries"][0]
    assert json.dumps(ranked).find("original.txt") >= 0
    out = tmp_path / "match.json"
    written = run("match", SPUN_SEED, "--against", sources, "--format", "json", "-o", out)
    assert written.exit_code == 0 and written.stdout == ""
    assert out.read_text(encoding="utf-8") == shown.stdout


def test_clean_keeps_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.txt"
    data = "\ufeffCafé owners met the reporters – twice.\n".encode()
    path.write_bytes(data)
    result = run("clean", path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == data


def test_a_pipe_given_as_a_path_is_read_once_and_whole(tmp_path):
    """A FIFO (like ``<(cat file)`` or ``/dev/stdin``) cannot be read twice: it is held."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    text = SPUN_SEED.read_bytes()

    def feed():
        with open(fifo, "wb") as writer:
            writer.write(text)

    feeder = threading.Thread(target=feed)
    feeder.start()
    result = run("clean", fifo)
    feeder.join(timeout=10)
    assert result.exit_code == 0
    assert result.stdout_bytes == run("clean", SPUN_SEED).stdout_bytes
    assert len(result.stdout_bytes) > len(text) // 2


def test_clean_in_place_and_through_a_hard_link_never_truncates_the_input(tmp_path):
    expected = run("clean", SPUN_SEED).stdout_bytes
    in_place = tmp_path / "in_place.txt"
    in_place.write_bytes(SPUN_SEED.read_bytes())
    in_place.chmod(0o640)
    assert run("clean", in_place, "-o", in_place).exit_code == 0
    assert in_place.read_bytes() == expected
    assert in_place.stat().st_mode & 0o777 == 0o640  # the file keeps its permissions

    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    out.mkdir()
    (source / "a.txt").write_bytes(SPUN_SEED.read_bytes())
    os.link(source / "a.txt", out / "a.txt")  # the output is the input under another name
    assert run("clean", source, "--out-dir", out).exit_code == 0
    assert (source / "a.txt").read_bytes() == SPUN_SEED.read_bytes()
    assert (out / "a.txt").read_bytes() == expected
    assert sorted(p.name for p in out.iterdir()) == ["a.txt"]  # no temporary file left


def test_a_file_name_that_is_not_utf8_is_reported_as_given(tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    name = os.path.join(os.fsencode(folder), b"bad\xffname.txt")
    with open(name, "wb") as handle:
        handle.write(SPUN_SEED.read_bytes())
    result = run("scan", folder)
    assert result.exit_code == 1, result.stderr
    assert b"bad\xffname.txt: spun" in result.stdout_bytes


def test_progress_bar_on_a_terminal_only_when_the_report_goes_elsewhere(tmp_path, monkeypatch):
    out = tmp_path / "report.txt"
    quiet = run("scan", SEEDS, "-o", out)
    assert quiet.stderr == ""  # stderr is not a terminal here
    report = out.read_text(encoding="utf-8")
    monkeypatch.setattr(progress, "terminal", lambda stream: stream is sys.stderr)
    shown = run("scan", SEEDS, "-o", out)
    assert shown.exit_code == 1 and "scanning" in shown.stderr
    assert out.read_text(encoding="utf-8") == report  # the bar changes nothing else
    monkeypatch.setattr(progress, "terminal", lambda stream: True)  # the report on screen too
    on_screen = run("scan", SEEDS)
    assert on_screen.stderr == "" and on_screen.stdout == report
    assert run("scan", SPUN_SEED, "-o", out).stderr == ""  # one file: no bar either


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch):
    from spindetect import folders

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(folders, "scan_files", interrupted)
    result = run("scan", SPUN_SEED)
    assert result.exit_code == 130 and result.stderr == "spindetect: error: interrupted\n"


def test_every_error_maps_to_one_line_and_one_exit_code(capsys):
    from spindetect.errors import SpindetectError
    from spindetect.inputs import InputError

    assert issubclass(InputError, SpindetectError)
    cases = [
        (SpindetectError("book.tsv:3: bad row"), 2, "book.tsv:3: bad row"),
        (InputError("a.txt: empty input"), 2, "a.txt: empty input"),
        (PermissionError(13, "Permission denied", "out.txt"), 2, "out.txt: Permission denied"),
        (KeyboardInterrupt(), 130, "interrupted"),
        (RuntimeError("boom"), 2, "unexpected RuntimeError: boom"),
    ]
    for error, code, message in cases:
        assert cli.exit_code(error) == code
        assert capsys.readouterr().err == f"spindetect: error: {message}\n"
    assert cli.exit_code(BrokenPipeError()) == 0  # `spindetect scan ... | head`: quietly
    assert capsys.readouterr().err == ""


def python_m(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "spindetect", *map(str, args)],
        capture_output=True,
        timeout=120,
        env=env,
    )


def test_smoke_the_installed_command_scans_a_folder():
    result = python_m("scan", SEEDS)
    assert result.returncode == 1 and result.stderr == b""
    assert f"{SPUN_SEED}: spun".encode() in result.stdout


def test_smoke_clean_writes_utf8_whatever_the_locale(tmp_path):
    path = tmp_path / "bom.txt"
    data = "\ufeffCafé owners met the reporters – twice.\n".encode()
    path.write_bytes(data)
    result = python_m("clean", path, env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == data
