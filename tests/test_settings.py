"""``[tool.spindetect]`` in the nearest pyproject.toml: read, checked, and overridden by the
command line."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from conftest import CLEAN_SEEDS, SPUN_SEED
from spindetect.cli import app
from spindetect.errors import SpindetectError
from spindetect.settings import SettingsError, find_pyproject, load_settings


def run(*args):
    result = CliRunner().invoke(app, [str(arg) for arg in args], prog_name="spindetect")
    return result


def write_project(folder, table: str):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pyproject.toml"
    path.write_text(f'[project]\nname = "demo"\n\n[tool.spindetect]\n{table}\n', encoding="utf-8")
    return path


def findings(result) -> list[dict]:
    return json.loads(result.stdout)["files"][0]["findings"]


def test_the_nearest_pyproject_is_found_upward(tmp_path):
    outer = write_project(tmp_path / "outer", "threshold = 0.5")
    deep = tmp_path / "outer" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_pyproject(deep) == outer
    assert load_settings(deep).threshold == 0.5 and load_settings(deep).source == outer
    inner = deep / "pyproject.toml"
    inner.write_text('[project]\nname = "inner"\n', encoding="utf-8")
    assert find_pyproject(deep) == inner
    assert load_settings(deep).threshold is None  # the nearest file has no table: defaults


def test_every_key_is_read_and_paths_are_relative_to_the_file(tmp_path):
    path = write_project(
        tmp_path,
        'threshold = 0.9\nverdict-threshold = 1\nphrasebooks = ["books/a.tsv"]\n'
        'references = ["news.spref"]\nglobs = ["*.rst", "*.txt"]',
    )
    settings = load_settings(tmp_path)
    assert settings.threshold == 0.9 and settings.verdict_threshold == 1.0
    assert settings.phrasebooks == (str(tmp_path / "books" / "a.tsv"),)
    assert settings.references == (str(tmp_path / "news.spref"),)
    assert settings.globs == ("*.rst", "*.txt") and settings.source == path


@pytest.mark.parametrize(
    ("table", "fragments"),
    [
        ('threshold = "high"', ["threshold", "'high'", "from 0 to 1"]),
        ("threshold = 1.5", ["threshold", "1.5"]),
        ("verdict-threshold = true", ["verdict-threshold", "True"]),
        ('phrasebooks = "a.tsv"', ["phrasebooks", "list of non-empty strings"]),
        ("globs = [1]", ["globs", "list"]),
        ("treshold = 0.5", ["unknown key 'treshold'", "threshold"]),
        ("threshold = ", ["not valid TOML"]),
    ],
)
def test_a_bad_table_is_one_error_naming_the_file_and_key(tmp_path, monkeypatch, table, fragments):
    path = write_project(tmp_path, table)
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    assert isinstance(caught.value, SpindetectError)
    for fragment in [str(path), *fragments]:
        assert fragment in str(caught.value)
    monkeypatch.chdir(tmp_path)
    result = run("scan", SPUN_SEED)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip() == f"spindetect: error: {caught.value}"


def test_the_threshold_of_the_table_applies_and_the_command_line_wins(tmp_path, monkeypatch):
    default = findings(run("scan", SPUN_SEED, "--format", "json"))
    loose = findings(run("scan", SPUN_SEED, "--format", "json", "--threshold", "0.5"))
    assert len(loose) > len(default)
    write_project(tmp_path, "threshold = 0.5")
    monkeypatch.chdir(tmp_path)
    assert findings(run("scan", SPUN_SEED, "--format", "json")) == loose
    strict = findings(run("scan", SPUN_SEED, "--format", "json", "--threshold", "0.95"))
    assert strict == default


def test_the_verdict_threshold_of_the_table_applies_and_the_command_line_wins(
    tmp_path, monkeypatch
):
    clean = CLEAN_SEEDS[0]
    assert run("scan", clean).exit_code == 0
    write_project(tmp_path, "verdict-threshold = 0.0")  # every file is judged spun
    monkeypatch.chdir(tmp_path)
    assert run("scan", clean).exit_code == 1
    assert run("scan", clean, "--verdict-threshold", "0.8").exit_code == 0


def test_phrasebooks_and_globs_of_the_table(tmp_path, monkeypatch):
    (tmp_path / "books").mkdir()
    book = tmp_path / "books" / "science.tsv"
    book.write_text("cerulean planet\tblue planet\talways\tnot built in\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "abstract.text").write_text("We study the cerulean planet.\n", encoding="utf-8")
    shutil.copy(CLEAN_SEEDS[0], docs / "ignored.txt")
    write_project(tmp_path, 'phrasebooks = ["books/science.tsv"]\nglobs = ["*.text"]')
    monkeypatch.chdir(docs)  # the table is found from a subfolder; its paths stay its own
    result = run("scan", ".", "--format", "jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [record["path"] for record in records] == ["./abstract.text"]
    found = [(f["text"], f["suggestion"]) for f in records[0]["findings"]]
    assert found == [("cerulean planet", "blue planet")]
    by_option = run("scan", ".", "--glob", "*.txt", "--format", "jsonl")  # the option wins
    assert [json.loads(line)["path"] for line in by_option.stdout.splitlines()] == ["./ignored.txt"]
    other = tmp_path / "other.tsv"
    other.write_text("We study\tWe read\talways\tx\n", encoding="utf-8")
    replaced = run("scan", "abstract.text", "--phrasebook", other, "--format", "json")
    assert [f["suggestion"] for f in findings(replaced)] == ["We read"]  # not the table's too
