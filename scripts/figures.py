"""The measured figures of spindetect: one JSON file, generated blocks in the docs, merge helpers.

``docs/figures.json`` is the one place where measured figures are recorded: quality per evaluation
set (the summaries ``spindetect eval --format json`` prints), figures measured outside the
repository, and speed and memory (``scripts/benchmark.py --json``).  README.md and ``docs/*.md``
show them inside generated blocks::

    <!-- figures:NAME -->
    ...text rendered from docs/figures.json, never edited by hand...
    <!-- /figures -->

and the quality gates (``tests/test_quality.py``, ``tests/test_science_quality.py``) read their
recorded figures from the same file.

Usage::

    python scripts/figures.py --check        # exit 1 if a block differs from the JSON
    python scripts/figures.py --write        # rewrite every block from the JSON
    spindetect eval corpus/eval/heldout.jsonl --format json > heldout.json
    python scripts/figures.py --record-eval heldout heldout.json --write
    python scripts/benchmark.py --json > bench.json
    python scripts/figures.py --record-benchmark bench.json --write

From Python (the evaluation and benchmark scripts), with ``scripts/`` on ``sys.path``::

    from figures import merge_benchmark, merge_eval
    merge_eval("heldout", metrics.summary())   # an entry of "quality"
    merge_benchmark(result)                    # the "speed" section
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / "docs" / "figures.json"
KEPT_ROWS = ("large_file", "filter_memory")  # speed rows a benchmark run may not measure
BLOCK = re.compile(r"(<!-- figures:([\w-]+) -->\n)(.*?)(<!-- /figures -->)", re.DOTALL)

# --------------------------------------------------------------------------------------------
# Reading and merging


def load(path: Path = FIGURES) -> dict[str, Any]:
    """The recorded figures."""
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def save(figures: dict[str, Any], path: Path = FIGURES) -> None:
    """Write ``figures`` through a temporary file renamed into place (never a half file)."""
    text = json.dumps(figures, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".figures-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def provenance() -> dict[str, str | None]:
    """Today's date and the checkout's commit (None outside a git checkout)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {"date": date.today().isoformat(), "commit": commit}


def merge_eval(
    name: str,
    summary: dict[str, Any],
    *,
    command: str | None = None,
    description: str | None = None,
    path: Path = FIGURES,
) -> dict[str, Any]:
    """Record ``summary`` (``Metrics.summary()``, i.e. ``spindetect eval --format json``) as the
    figures of the evaluation set ``name`` under ``"quality"``; returns the whole file.

    The entry's description and command are kept unless given; a new set needs both.
    """
    figures = load(path)
    entry = dict(figures["quality"].get(name, {}))
    if description is not None:
        entry["description"] = description
    if command is not None:
        entry["command"] = command
    if "description" not in entry or "command" not in entry:
        raise ValueError(f"new evaluation set {name!r}: give its description and command")
    entry["figures"] = dict(summary)
    entry["measured"] = provenance()
    figures["quality"][name] = entry
    save(figures, path)
    return figures


def merge_benchmark(
    result: dict[str, Any],
    *,
    command: str | None = None,
    implementation: str | None = None,
    machine: str | None = None,
    path: Path = FIGURES,
) -> dict[str, Any]:
    """Record a ``scripts/benchmark.py`` result (its ``--json`` object) as the ``"speed"``
    section; returns the whole file.

    ``implementation`` and ``machine`` describe the run (kept from the previous record unless
    given).  Rows the run did not measure (``large_file``, measured by hand; ``filter_memory``
    without ``--memory-mb``) are kept from the previous record with their own date; the rows it
    did measure are stamped with today's.
    """
    figures = load(path)
    previous = figures.get("speed", {})
    fresh = json.loads(json.dumps(result))  # integer worker counts become keys as in the file
    stamp = provenance()
    for row in KEPT_ROWS:
        if row in fresh:
            fresh[row]["measured"] = stamp
        elif row in previous:
            fresh[row] = previous[row]
    fresh["implementation"] = implementation or previous.get("implementation", "unknown")
    fresh["machine"] = machine or previous.get("machine", "unknown")
    fresh["command"] = command or previous.get("command", "python scripts/benchmark.py --json")
    fresh["measured"] = stamp
    figures["speed"] = fresh
    save(figures, path)
    return figures


# --------------------------------------------------------------------------------------------
# Rendering: one function per block name


def _n(value: float | None, places: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{places}f}"


def _auc(figures: dict[str, Any]) -> str:
    auc, low, high = (
        figures.get(k) for k in ("document_auc", "document_auc_low", "document_auc_high")
    )
    if auc is None:
        return "n/a"
    return _n(auc) if low is None else f"{_n(auc)} ({_n(low)}-{_n(high)})"


def _set(data: dict[str, Any], name: str) -> dict[str, Any]:
    return data["quality"][name]["figures"]


# (label in a column, short label in a header row, cell)
QUALITY_ROWS: list[tuple[str, str, Callable[[dict[str, Any]], str]]] = [
    ("pairs (spun texts identical to their original, left out)", "pairs (left out)",
     lambda f: f"{f['pairs']} ({f['unchanged']})"),
    ("spun runs found / in all", "runs found / all",
     lambda f: f"{f['runs_found']} / {f['spun_runs']}"),
    ("phrase recall", "recall", lambda f: _n(f["phrase_recall"])),
    ("phrase precision", "precision", lambda f: _n(f["phrase_precision"])),
    ("recovery", "recovery", lambda f: _n(f["recovery"])),
    ("exact restoration", "exact restoration", lambda f: _n(f["exact_restoration"])),
    ("document AUC (95% interval)", "document AUC (95% interval)", _auc),
    ("verdict precision / recall", "verdict P / R",
     lambda f: f"{_n(f['verdict_precision'], 2)} / {_n(f['verdict_recall'], 2)}"),
    ("false positives per 1,000 words of the originals", "false positives / 1,000 words",
     lambda f: _n(f["false_positives_per_1000_words"], 2)),
]  # fmt: skip


def _table(data: dict[str, Any], names: Iterable[str], header: list[str]) -> str:
    names = list(names)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for label, _, cell in QUALITY_ROWS:
        lines.append(f"| {label} | " + " | ".join(cell(_set(data, n)) for n in names) + " |")
    return "\n".join(lines) + "\n"


def render_headline(data: dict[str, Any]) -> str:
    """README: how well it works today, the real spinner first."""
    real = data["external"]["real_spinner_news"]
    seed, heldout = _set(data, "seed-002"), _set(data, "heldout")
    return (
        f"- **Text spun by a real commercial spinner** ({real['articles']} news articles, kept "
        f"outside the repository): {real['recall_low'] * 100:.0f}-{real['recall_high']:.0%} "
        f"of the spun phrases found (precision {real['precision_low']:.2f}-"
        f"{real['precision_high']:.2f}), "
        f"recovery {real['recovery_low']:.2f}-{real['recovery_high']:.2f}; "
        f"{real['judged_spun']} of the {real['articles']} articles judged spun.\n"
        f"- **The spun sample in this repository** (`tests/fixtures/pairs`, same spinner family): "
        f"{seed['runs_found']} of {seed['spun_runs']} spun phrases found "
        f"({seed['phrase_recall']:.0%}), precision {_n(seed['phrase_precision'], 2)}, "
        f"recovery {_n(seed['recovery'], 2)}.\n"
        f"- **The project's own held-out set** (`corpus/eval/heldout.jsonl`): phrase recall "
        f"{_n(heldout['phrase_recall'])}, precision {_n(heldout['phrase_precision'])}, document "
        f"AUC {_auc(heldout)}, {_n(heldout['false_positives_per_1000_words'], 2)} false "
        f"positives per 1,000 words. This set was spun by a simulator drawing from the same "
        f"thesaurus the detector uses, so these figures overstate what it finds in real spun "
        f"text.\n"
    )


def render_quality(data: dict[str, Any]) -> str:
    """docs/evaluation.md: one row per evaluation set."""
    header = ["set (threshold 0.95)", *(short for _, short, _ in QUALITY_ROWS)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in data["quality"]:
        cells = [cell(_set(data, name)) for _, _, cell in QUALITY_ROWS]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render_heldout_split(data: dict[str, Any]) -> str:
    """docs/evaluation.md: the held-out set by document length."""
    names = ["heldout", "heldout-paragraphs", "heldout-articles"]
    return _table(data, names, ["held-out, threshold 0.95", "all", "paragraphs", "articles"])


def render_sets(data: dict[str, Any]) -> str:
    """docs/evaluation.md: what each set is and the command that measures it."""
    lines = []
    for name, entry in data["quality"].items():
        measured = entry["measured"]
        lines.append(
            f"- `{name}`: {entry['description']} Measured with `{entry['command']}` "
            f"({measured['date']}, commit {measured['commit'] or 'unknown'})."
        )
    return "\n".join(lines) + "\n"


def render_external(data: dict[str, Any]) -> str:
    """docs/evaluation.md: figures measured on text no one here spun."""
    lines = []
    for entry in data["external"].values():
        lines.append(f"- {entry['description']} {entry['result']}")
    return "\n".join(lines) + "\n"


def _workers(count: str) -> str:
    return "1 worker thread" if int(count) == 1 else f"{count} worker threads"


def _threads(count: int) -> str:
    return "1 thread" if int(count) == 1 else f"{count} threads"


def _when(row: dict[str, Any]) -> str:
    measured = row.get("measured") or {}
    made = f"{row['implementation']}, " if row.get("implementation") else ""
    return f"{made}measured {measured.get('date', 'on an unknown date')}"


def _speed(mb_per_s: float) -> str:
    return f"{mb_per_s * 1000:.0f} KB/s" if mb_per_s < 1 else f"{mb_per_s:.1f} MB/s"


def _rate(run: dict[str, Any]) -> str:
    return f"{_speed(run['mb_per_s'])}, {run['docs_per_s']:.1f} docs/s"


def _library_rows(s: dict[str, Any]) -> list[tuple[str, str]]:
    """The library's warm rates: one thread, and N threads when measured (with the speed-up)."""
    lib = s["throughput"]
    rows = [
        ("library `scan_many`, 1 thread, warm",
         f"{_speed(lib['mb_per_s'])}, {lib['articles_per_s']:.1f} docs/s"),
    ]  # fmt: skip
    threaded = s.get("threads")
    if threaded:
        rows.append(
            (f"library `scan_many`, {_threads(threaded['threads'])}, warm",
             f"{_speed(threaded['mb_per_s'])}, {threaded['articles_per_s']:.1f} docs/s "
             f"({threaded['mb_per_s'] / lib['mb_per_s']:.2f}x one thread)")
        )  # fmt: skip
    return rows


def render_speed(data: dict[str, Any]) -> str:
    """docs/performance.md: start-up and throughput."""
    s = data["speed"]
    start, commands = s["startup"], s["commands"]
    rows = [
        ("start-up: import + model load + first scan (median of 3 fresh processes)",
         f"{start['import_s']:.2f} + {start['load_s']:.2f} + {start['first_scan_s']:.2f} = "
         f"{start['total_s']:.2f} s"),
        *_library_rows(s),
        ("bare `regex` tokenisation pass (the floor)", f"{s['regex']['mb_per_s']:.1f} MB/s"),
        ("library scan's time over the floor's (1 thread)", f"{s['cost_over_regex']:.0f}x"),
    ]  # fmt: skip
    for name in ("scan", "filter"):
        runs = commands[name]
        counts = sorted(runs, key=int)
        for count in counts:
            label = f"`spindetect {name}`, {_workers(count)}, end to end"
            rows.append((label, _rate(runs[count])))
    note = f" Note: {s['note']}." if s.get("note") else ""
    lines = [
        f"Implementation: {s['implementation']}. Machine: {s['machine']}. "
        f"Corpus: {s['corpus']['articles']} articles, {s['corpus']['mb']:.1f} MB "
        f"({s['corpus']['source']}). Measured with `{s['command']}` "
        f"({s['measured']['date']}, commit {s['measured']['commit'] or 'unknown'}).{note}",
        "",
        "| measure | figure |",
        "|---|---|",
        *(f"| {label} | {value} |" for label, value in rows),
    ]
    return "\n".join(lines) + "\n"


def render_memory(data: dict[str, Any]) -> str:
    """docs/performance.md: peak resident memory (one process: workers are threads)."""
    s = data["speed"]
    scan = s["commands"]["scan"]
    counts = sorted(scan, key=int)
    rows = [("library `scan_many`, after the timed runs, peak RSS", f"{s['peak_rss_mb']:.0f} MB")]
    for count in counts:
        rows.append(
            (f"`spindetect scan`, {_workers(count)}, peak RSS",
             f"{scan[count]['peak_rss_mb']:.0f} MB")
        )  # fmt: skip
    memory = s.get("filter_memory")
    if memory:
        rows.append(
            (f"`spindetect filter` of {memory['mb']:.0f} MB ({memory['articles']:,} records), "
             f"{_workers(max(s['commands']['filter'], key=int))}, peak RSS ({_when(memory)})",
             f"{memory['peak_rss_mb']:.0f} MB, {memory['seconds'] / 60:.0f} min")
        )  # fmt: skip
    large = s.get("large_file")
    if large:
        rows.append(
            (f"one {large['mb']:.0f} MB file, `spindetect scan` ({_when(large)})",
             f"{large['scan_seconds'] / 60:.1f} min, {large['scan_peak_rss_mb']:.0f} MB peak RSS")
        )  # fmt: skip
        rows.append(
            (f"one {large['mb']:.0f} MB file, `spindetect clean -o` ({_when(large)})",
             f"{large['clean_seconds'] / 60:.1f} min, {large['clean_peak_rss_mb']:.0f} MB peak RSS")
        )  # fmt: skip
    lines = ["| measure | figure |", "|---|---|", *(f"| {a} | {b} |" for a, b in rows)]
    return "\n".join(lines) + "\n"


def render_speed_summary(data: dict[str, Any]) -> str:
    """README: one sentence on speed and memory, from the library's warm rates."""
    s = data["speed"]
    rates = f"{_speed(s['throughput']['mb_per_s'])} of text on one thread"
    threaded = s.get("threads")
    if threaded:
        rates += f", {_speed(threaded['mb_per_s'])} on {_threads(threaded['threads'])}"
    return (
        f"Measured with the {s['implementation']} on {s['machine']}: the library scans "
        f"{rates} (`scan_many`, models loaded); start-up {s['startup']['total_s']:.2f} s; "
        f"{s['peak_rss_mb']:.0f} MB peak memory in one process (its threads share one copy of "
        f"the models; details: [docs/performance.md](docs/performance.md)).\n"
    )


RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "headline": render_headline,
    "speed-summary": render_speed_summary,
    "quality": render_quality,
    "heldout-split": render_heldout_split,
    "sets": render_sets,
    "external": render_external,
    "speed": render_speed,
    "memory": render_memory,
}


# --------------------------------------------------------------------------------------------
# Checking and writing the documents


def documents(root: Path = ROOT) -> list[Path]:
    """The files that may hold generated blocks: README.md and docs/*.md."""
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def rewrite(text: str, data: dict[str, Any]) -> tuple[str, list[str]]:
    """``text`` with every block rendered afresh, and the names of the blocks found."""
    names: list[str] = []

    def block(match: re.Match[str]) -> str:
        name = match.group(2)
        names.append(name)
        if name not in RENDERERS:
            raise KeyError(name)
        return match.group(1) + RENDERERS[name](data) + match.group(4)

    return BLOCK.sub(block, text), names


def check(root: Path = ROOT, path: Path | None = None) -> list[str]:
    """Problems: blocks that differ from the JSON, unknown block names, figures shown nowhere."""
    data = load(path or root / "docs" / "figures.json")
    problems, seen = [], set()
    for document in documents(root):
        text = document.read_text(encoding="utf-8")
        try:
            fresh, names = rewrite(text, data)
        except KeyError as error:
            problems.append(f"{document.name}: unknown block figures:{error.args[0]}")
            continue
        seen.update(names)
        if fresh != text:
            stale = [n for n in names if _block(text, n) != _block(fresh, n)]
            problems.append(f"{document.name}: blocks differ from figures.json: {', '.join(stale)}")
    problems += [f"no document shows figures:{name}" for name in RENDERERS if name not in seen]
    return problems


def _block(text: str, name: str) -> list[str]:
    return [m.group(3) for m in BLOCK.finditer(text) if m.group(2) == name]


def write(root: Path = ROOT, path: Path | None = None) -> list[Path]:
    """Rewrite every block from the JSON; returns the files that changed."""
    data = load(path or root / "docs" / "figures.json")
    changed = []
    for document in documents(root):
        text = document.read_text(encoding="utf-8")
        fresh, _ = rewrite(text, data)
        if fresh != text:
            document.write_text(fresh, encoding="utf-8")
            changed.append(document)
    return changed


def _read_json(source: str) -> dict[str, Any]:
    if source == "-":
        return json.load(sys.stdin)
    with open(source, encoding="utf-8") as handle:
        return json.load(handle)


def main(argv: list[str] | None = None) -> int:
    """Command line: record, then write or check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--record-eval",
        nargs=2,
        metavar=("NAME", "EVAL_JSON"),
        help="record `spindetect eval --format json` output (- for stdin)",
    )
    parser.add_argument("--command", help="with --record-*: the command that measured it")
    parser.add_argument("--description", help="with --record-eval: what the set is")
    parser.add_argument(
        "--record-benchmark",
        metavar="BENCH_JSON",
        help="record `scripts/benchmark.py --json` output (- for stdin)",
    )
    parser.add_argument("--implementation", help="with --record-benchmark: what was measured")
    parser.add_argument("--machine", help="with --record-benchmark: where it was measured")
    parser.add_argument("--write", action="store_true", help="rewrite the blocks in the docs")
    parser.add_argument("--check", action="store_true", help="exit 1 if a block is stale")
    args = parser.parse_args(argv)  # fmt: skip
    if not (args.record_eval or args.record_benchmark or args.write or args.check):
        parser.error("nothing to do: give --check, --write or a --record-* option")
    if args.record_eval:
        name, source = args.record_eval
        merge_eval(name, _read_json(source), command=args.command, description=args.description)
    if args.record_benchmark:
        merge_benchmark(
            _read_json(args.record_benchmark),
            command=args.command,
            implementation=args.implementation,
            machine=args.machine,
        )
    if args.write:
        for document in write():
            print(f"figures: rewrote {document.relative_to(ROOT)}")
    if args.check:
        problems = check()
        for problem in problems:
            print(f"figures: {problem}", file=sys.stderr)
        if problems:
            print("figures: run `python scripts/figures.py --write`", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
