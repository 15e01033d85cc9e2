"""``spindetect scan --format html`` and ``-o`` on the command line (in-process)."""

import json

from typer.testing import CliRunner

from conftest import SEEDS, SPUN_SEED
from spindetect.cli import app


def run(*args):
    return CliRunner().invoke(app, [str(arg) for arg in args], prog_name="spindetect")


def test_html_report_to_a_file(tmp_path):
    out = tmp_path / "report.html"
    result = run("scan", SEEDS, "--format", "html", "-o", out)
    assert result.exit_code == 1 and result.stdout == "" and result.stderr == ""
    page = out.read_text(encoding="utf-8")
    count = len(list(SEEDS.glob("*.txt")))
    assert page.startswith("<!DOCTYPE html>") and f"{count} documents scanned" in page
    assert page.count("<details class='doc'") == count
    assert "<mark class='spun'" in page


def test_output_option_writes_every_format(tmp_path):
    for output_format in ("text", "json", "jsonl", "html"):
        out = tmp_path / f"report.{output_format}"
        to_file = run("scan", SPUN_SEED, "--format", output_format, "-o", out)
        to_stdout = run("scan", SPUN_SEED, "--format", output_format)
        assert to_file.exit_code == to_stdout.exit_code == 1 and to_file.stdout == ""
        assert out.read_bytes() == to_stdout.stdout_bytes
    assert json.loads((tmp_path / "report.json").read_text())["files"][0]["verdict"] == "spun"


def test_html_report_lists_inputs_it_could_not_scan(tmp_path):
    out = tmp_path / "report.html"
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = run("scan", SPUN_SEED, empty, "--format", "html", "-o", out)
    assert result.exit_code == 2
    expected = f"spindetect: error: {empty}: empty input, nothing to scan"
    assert result.stderr.strip() == expected
    page = out.read_text(encoding="utf-8")
    assert "1 document scanned" in page and "1 not scanned" in page
    assert f"{empty}: empty input, nothing to scan" in page


def test_unwritable_output_is_an_error_before_scanning(tmp_path):
    result = run("scan", SPUN_SEED, "-o", tmp_path / "no-such-dir" / "report.txt")
    assert result.exit_code == 2
    message = result.stderr
    assert message.startswith("spindetect: error: ") and "cannot write" in message
    assert message.count("\n") == 1 and result.stdout == ""
