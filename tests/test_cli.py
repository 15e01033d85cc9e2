"""The command line: exit codes, output formats and bad input, run as a user runs it."""

import json
import subprocess
import sys

import pytest

from conftest import CLEAN_SEEDS, SEEDS, SPUN_SEED


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "spindetect", *map(str, args)],
        input=stdin,
        capture_output=True,
        timeout=120,
    )


def test_scan_folder_text_format_reads_like_a_linter():
    result = run("scan", SEEDS)
    assert result.returncode == 1
    out = result.stdout.decode()
    assert f"{SPUN_SEED}: spun" in out
    for path in CLEAN_SEEDS:
        assert f"{path}: clean" in out
    finding_lines = [line for line in out.splitlines() if " -> " in line]
    assert finding_lines
    path, line, column, rest = finding_lines[0].split(":", 3)
    assert path == str(SPUN_SEED) and int(line) >= 1 and int(column) >= 1
    assert "(score " in rest
    assert result.stderr == b""


def test_line_and_column_point_at_the_phrase():
    result = run("scan", SPUN_SEED)
    text = SPUN_SEED.read_text(encoding="utf-8").splitlines()
    for line in result.stdout.decode().splitlines():
        if " -> " not in line:
            continue
        _, number, column, rest = line.split(":", 3)
        phrase = rest.strip().split(" -> ")[0]
        start = int(column) - 1
        assert text[int(number) - 1][start : start + len(phrase)] == phrase.split("\n")[0]


def test_clean_files_exit_zero():
    assert run("scan", *CLEAN_SEEDS).returncode == 0


def test_json_format_has_the_documented_shape():
    result = run("scan", SEEDS, "--format", "json")
    data = json.loads(result.stdout)
    assert [entry["path"] for entry in data["files"]] == [
        str(p) for p in sorted(SEEDS.glob("*.txt"))
    ]
    spun = next(entry for entry in data["files"] if entry["path"] == str(SPUN_SEED))
    assert spun["verdict"] == "spun" and spun["words"] > 900 and 0 <= spun["score"] <= 1
    text = SPUN_SEED.read_text(encoding="utf-8")
    for finding in spun["findings"]:
        assert set(finding) >= {"start", "end", "text", "suggestion", "score", "source"}
        assert text[finding["start"] : finding["end"]] == finding["text"]


def test_jsonl_format_is_one_file_object_per_line():
    result = run("scan", SEEDS, "--format", "jsonl")
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 5
    assert {json.loads(line)["verdict"] for line in lines} == {"spun", "clean"}


def test_stdin_and_clean_to_file(tmp_path):
    text = SPUN_SEED.read_bytes()
    scanned = run("scan", "-", stdin=text)
    assert scanned.returncode == 1 and b"<stdin>: spun" in scanned.stdout
    out = tmp_path / "cleaned.txt"
    cleaned = run("clean", SPUN_SEED, "-o", out)
    assert cleaned.returncode == 0
    assert "two countries" in out.read_text(encoding="utf-8")
    assert run("clean", "-", stdin=text).stdout.decode() == out.read_text(encoding="utf-8")


def test_clean_of_clean_text_is_byte_identical():
    path = CLEAN_SEEDS[0]
    assert run("clean", path).stdout == path.read_bytes()


def test_threshold_option():
    loose = run("scan", SPUN_SEED, "--format", "json", "--threshold", "0.5")
    strict = run("scan", SPUN_SEED, "--format", "json", "--threshold", "0.99")
    count = lambda r: len(json.loads(r.stdout)["files"][0]["findings"])  # noqa: E731
    assert count(strict) < count(loose)
    assert run("scan", SPUN_SEED, "--threshold", "7").returncode == 2


def _one_line_error(result, *fragments):
    assert result.returncode == 2
    err = result.stderr.decode().strip()
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


def test_missing_path(tmp_path):
    _one_line_error(run("scan", tmp_path / "nope.txt"), "no such file")


def test_clean_refuses_a_directory(tmp_path):
    (tmp_path / "only.txt").write_text("hello there\n", encoding="utf-8")
    _one_line_error(run("clean", tmp_path), "is a directory")


def test_directory_without_text(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    _one_line_error(run("scan", tmp_path), "no files matching")


def test_binary_file(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x00\x01\x02binary\x00")
    _one_line_error(run("scan", path), "binary")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    _one_line_error(run("scan", path), "empty")


def test_unknown_option():
    _one_line_error(run("scan", SPUN_SEED, "--frobnicate"), "--frobnicate")


def test_unknown_format():
    _one_line_error(run("scan", SPUN_SEED, "--format", "xml"), "xml")


def test_invalid_utf8_is_decoded_with_replacement_and_a_warning(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 owners met the protection chief. ".encode("latin-1") * 3)
    result = run("scan", path, "--format", "json")
    assert result.returncode in (0, 1)
    assert b"invalid UTF-8" in result.stderr and b"replacement" in result.stderr
    assert json.loads(result.stdout)["files"][0]["words"] > 0


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    result = run("scan", bad, CLEAN_SEEDS[0])
    assert result.returncode == 2
    assert f"{CLEAN_SEEDS[0]}: clean".encode() in result.stdout


def test_bad_phrasebook_is_a_usage_error(tmp_path):
    book = tmp_path / "book.tsv"
    book.write_text("only one cell\n", encoding="utf-8")
    _one_line_error(run("scan", SPUN_SEED, "--phrasebook", book), "book.tsv:1")


def test_user_phrasebook_adds_findings(tmp_path):
    book = tmp_path / "science.tsv"
    book.write_text("profound learning\tdeep learning\talways\tPPS pair\n", encoding="utf-8")
    doc = tmp_path / "abstract.txt"
    doc.write_text("We train a profound learning model on images.\n", encoding="utf-8")
    result = run("scan", doc, "--phrasebook", book, "--format", "json")
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert [(f["text"], f["suggestion"]) for f in findings] == [
        ("profound learning", "deep learning")
    ]


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["scan", "--help"]])
def test_help_and_version(args):
    result = run(*args)
    assert result.returncode == 0 and result.stdout


def test_eval_command_reports_the_metrics(tmp_path):
    from conftest import FIXTURES

    result = run("eval", FIXTURES / "pairs", "--format", "json")
    assert result.returncode == 0
    figures = json.loads(result.stdout)
    assert figures["pairs"] == 1 and figures["spun_runs"] > 100
    assert 0 < figures["phrase_recall"] < 1 and figures["phrase_precision"] > 0.8
    assert figures["document_auc"] == 1.0
    assert figures["document_auc_low"] is None  # one pair: no interval
    text = run("eval", FIXTURES / "pairs").stdout.decode()
    assert "phrase recall" in text and "recovery" in text
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    _one_line_error(run("eval", bad), "bad.jsonl:1")


def test_clean_keeps_a_byte_order_mark_and_writes_utf8_whatever_the_locale(tmp_path):
    import os

    path = tmp_path / "bom.txt"
    data = "\ufeffCafé owners met the reporters – twice.\n".encode()
    path.write_bytes(data)
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    result = subprocess.run(
        [sys.executable, "-m", "spindetect", "clean", str(path)], capture_output=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == data


def test_a_pipe_given_as_a_path_is_read_once_and_whole(tmp_path):
    """A FIFO (like ``<(cat file)`` or ``/dev/stdin``) cannot be read twice: it is held."""
    import os
    import threading

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
    assert result.returncode == 0
    assert result.stdout == run("clean", SPUN_SEED).stdout
    assert len(result.stdout) > len(text) // 2


def test_clean_in_place_and_through_a_hard_link_never_truncates_the_input(tmp_path):
    import os

    expected = run("clean", SPUN_SEED).stdout
    in_place = tmp_path / "in_place.txt"
    in_place.write_bytes(SPUN_SEED.read_bytes())
    in_place.chmod(0o640)
    assert run("clean", in_place, "-o", in_place).returncode == 0
    assert in_place.read_bytes() == expected
    assert in_place.stat().st_mode & 0o777 == 0o640  # the file keeps its permissions

    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    out.mkdir()
    (source / "a.txt").write_bytes(SPUN_SEED.read_bytes())
    os.link(source / "a.txt", out / "a.txt")  # the output is the input under another name
    assert run("clean", source, "--out-dir", out).returncode == 0
    assert (source / "a.txt").read_bytes() == SPUN_SEED.read_bytes()
    assert (out / "a.txt").read_bytes() == expected
    assert sorted(p.name for p in out.iterdir()) == ["a.txt"]  # no temporary file left


def test_a_file_name_that_is_not_utf8_is_reported_as_given(tmp_path):
    import os

    folder = tmp_path / "names"
    folder.mkdir()
    name = os.path.join(os.fsencode(folder), b"bad\xffname.txt")
    with open(name, "wb") as handle:
        handle.write(SPUN_SEED.read_bytes())
    result = run("scan", folder)
    assert result.returncode == 1
    assert b"bad\xffname.txt: spun" in result.stdout
