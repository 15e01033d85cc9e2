"""Measure the detector on the yardstick sets, one block of figures per set.

``python -m spindetect.tools.yardstick [SET ...] [--json OUT]`` evaluates each set (a JSONL of
pairs or a folder of ``NAME.spun.txt``/``NAME.orig.txt``, such as the seed pair
``tests/fixtures/pairs``) with :func:`spindetect.tools.evaluate.evaluate` and prints: the set's
figures, per document kind (articles, paragraphs, tortured sentences, controls), per
substitution source, kind and ``known`` (which detector sources list the swap), and the
candidate sources a fair detector must not use on the set.  Without arguments: every
``corpus/eval/news-*.jsonl``, ``corpus/eval/tortured.jsonl`` and the seed pair.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from ..findings import Report
from .evaluate import GroupCounts, Metrics, Pair, evaluate, read_pairs

ROOT = Path(__file__).resolve().parents[3]


def default_sets() -> list[Path]:
    """The news sets, the tortured-phrase set and the seed pair (those that exist)."""
    eval_dir = ROOT / "corpus" / "eval"
    found = [*sorted(eval_dir.glob("news-*.jsonl")), eval_dir / "tortured.jsonl"]
    found.append(ROOT / "tests" / "fixtures" / "pairs")
    return [path for path in found if path.exists()]


def measure(
    pairs: Iterable[Pair], scanner: Callable[[str], Report] | None = None
) -> dict[str, Metrics]:
    """Metrics over all pairs (key ``all``) and per document kind (key ``kind=...``)."""
    pairs = list(pairs)
    kinds = sorted({pair.kind for pair in pairs})
    by_kind = {
        kind: evaluate([p for p in pairs if p.kind == kind], *([scanner] if scanner else []))
        for kind in kinds
    }
    results = {"all": merge(by_kind.values())}
    if len(kinds) > 1 or kinds[0]:
        results.update({f"kind={kind}": metrics for kind, metrics in by_kind.items()})
    return results


def merge(parts: Iterable[Metrics]) -> Metrics:
    """The metrics of several disjoint sets of pairs as one."""
    total = Metrics()
    for part in parts:
        for name, value in vars(part).items():
            if isinstance(value, int):
                setattr(total, name, getattr(total, name) + value)
        total.scores.extend(part.scores)
        total.documents.extend(part.documents)
        total.exclude_sources.update(part.exclude_sources)
        for key, counts in part.groups.items():
            mine = total.groups.setdefault(key, GroupCounts())
            mine.substitutions += counts.substitutions
            mine.found += counts.found
            mine.restored += counts.restored
    return total


def headline(metrics: Metrics) -> str:
    """One line: recall, precision, recovery, AUC, verdicts and clean-text findings."""
    auc = metrics.document_auc
    spun_docs = metrics.pairs - metrics.unchanged
    return (
        f"pairs {metrics.pairs:>4}  runs {metrics.spun_runs:>5}  "
        f"recall {metrics.phrase_recall:.3f}  precision {metrics.phrase_precision:.3f}  "
        f"recovery {metrics.recovery:.3f}  AUC {'  n/a' if math.isnan(auc) else f'{auc:.3f}'}  "
        f"judged spun {metrics.verdict_true_positive}/{spun_docs}  "
        f"clean judged spun {metrics.verdict_false_positive}/{metrics.pairs}  "
        f"clean findings/1k words {metrics.false_positives_per_1000_words:.2f}"
    )


def report_lines(name: str, results: dict[str, Metrics]) -> list[str]:
    """The text block of one set."""
    lines = [f"== {name}", f"{'all':<20}{headline(results['all'])}"]
    lines += [f"{key:<20}{headline(m)}" for key, m in results.items() if key != "all"]
    lines += results["all"].breakdown_lines()
    return lines


@contextmanager
def without_phrasebook() -> Iterator[None]:
    """Scan with an empty phrasebook ("no list loaded": the fair detector for the tortured
    set).  Replaces the bundled phrasebook the library's detector is built from, for the
    duration, and drops cached detectors on entry and exit."""
    from .. import api
    from ..phrasebook import Phrasebook

    original = api.default_phrasebook
    api._detector.cache_clear()
    api.default_phrasebook = lambda: Phrasebook([])
    try:
        yield
    finally:
        api.default_phrasebook = original
        api._detector.cache_clear()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--without-phrasebook",
        action="store_true",
        help="scan with no phrasebook loaded (the fair run on the tortured set)",
    )
    args = parser.parse_args(argv)
    figures = {}
    for path in args.sets or default_sets():
        with without_phrasebook() if args.without_phrasebook else nullcontext():
            results = measure(read_pairs(path))
        print("\n".join(report_lines(path.name, results)), flush=True)
        figures[path.name] = {key: m.summary(documents=True) for key, m in results.items()}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
