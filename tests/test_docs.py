"""The user docs: a short README with the two set-up commands, figures generated from one file."""

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SETUP_COMMANDS = (
    "pip install . && spindetect scan tests/fixtures/seeds",
    "pip install '.[test]' && pytest",
)


@pytest.fixture(scope="module")
def figures():
    """scripts/figures.py as a module."""
    spec = importlib.util.spec_from_file_location("figures", ROOT / "scripts" / "figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_is_short():
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 250


@pytest.mark.parametrize("command", SETUP_COMMANDS)
def test_readme_has_the_setup_commands(command):
    assert command in README.read_text(encoding="utf-8")


def test_readme_and_docs_show_the_recorded_figures(figures):
    assert figures.check() == []


def test_check_sees_a_figure_typed_by_hand(figures, tmp_path):
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "figures.json", tmp_path / "docs" / "figures.json")
    for document in figures.documents(ROOT):
        shutil.copy(document, tmp_path / document.relative_to(ROOT))
    evaluation = tmp_path / "docs" / "evaluation.md"
    recall = f"{figures.load()['quality']['heldout']['figures']['phrase_recall']:.3f}"
    text = evaluation.read_text(encoding="utf-8")
    evaluation.write_text(text.replace(f"| {recall} |", "| 0.999 |", 1), encoding="utf-8")

    assert figures.check(tmp_path) == ["evaluation.md: blocks differ from figures.json: quality"]
    assert figures.write(tmp_path) == [evaluation]
    assert figures.check(tmp_path) == []


def test_recorded_eval_figures_reach_the_docs(figures, tmp_path):
    path = tmp_path / "figures.json"
    shutil.copy(ROOT / "docs" / "figures.json", path)
    summary = dict(figures.load(path)["quality"]["heldout"]["figures"], phrase_recall=0.5)

    recorded = figures.merge_eval("heldout", summary, path=path)

    entry = json.loads(path.read_text(encoding="utf-8"))["quality"]["heldout"]
    assert entry["figures"]["phrase_recall"] == 0.5
    assert entry["command"] == recorded["quality"]["heldout"]["command"]
    assert "recall 0.500" in figures.render_headline(recorded)
    with pytest.raises(ValueError, match="description"):
        figures.merge_eval("a-new-set", summary, path=path)


def test_recorded_benchmark_keeps_the_rows_it_did_not_measure(figures, tmp_path):
    path = tmp_path / "figures.json"
    shutil.copy(ROOT / "docs" / "figures.json", path)
    speed = figures.load(path)["speed"]
    result = {key: speed[key] for key in ("startup", "corpus", "throughput", "regex", "commands")}
    result |= {"peak_rss_mb": 100.0, "cost_over_regex": 3.0, "cores": 2}
    result["throughput"] = dict(speed["throughput"], mb_per_s=5.0)
    result["commands"] = {"scan": {1: speed["commands"]["scan"]["1"]}}
    result["commands"]["filter"] = {1: speed["commands"]["filter"]["1"]}

    recorded = figures.merge_benchmark(result, implementation="compiled core", path=path)["speed"]

    assert recorded["large_file"] == speed["large_file"]
    assert recorded["filter_memory"] == speed["filter_memory"]
    assert recorded["throughput"]["mb_per_s"] == 5.0
    assert "threads" not in recorded  # a run on one core measures no threaded rate
    assert "5.0 MB/s of text on one thread" in figures.render_speed_summary({"speed": recorded})
    assert "compiled core" in figures.render_speed(figures.load(path))
    assert "| library `scan_many`, after the timed runs, peak RSS | 100 MB |" in (
        figures.render_memory(figures.load(path))
    )


def test_speed_summary_cites_the_library_on_one_and_n_threads(figures):
    speed = figures.load()["speed"]
    one, threaded = speed["throughput"], speed["threads"]
    summary = figures.render_speed_summary({"speed": speed})

    assert f"{figures._speed(one['mb_per_s'])} of text on one thread" in summary
    assert f"{figures._speed(threaded['mb_per_s'])} on {threaded['threads']} threads" in summary
    for runs in speed["commands"].values():  # end-to-end command rates belong in the docs
        for run in runs.values():
            assert figures._speed(run["mb_per_s"]) not in summary
    row = f"| library `scan_many`, {threaded['threads']} threads, warm |"
    assert row in figures.render_speed({"speed": speed})


def test_no_user_page_mentions_the_removed_cache_folder(figures):
    pages = [README, ROOT / "corpus" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for stale in ("SPINDETECT_CACHE", "XDG_CACHE_HOME", ".cache/spindetect"):
            assert stale not in text, f"{page.name} mentions {stale}"
    assert "first_run" not in figures.load()["speed"]
