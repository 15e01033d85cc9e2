"""Measure spindetect on pairs of spun and original texts.

Metrics (all computed from a word alignment of each spun text with its original):

* phrase recall: share of *spun runs* (maximal runs of spun words that differ from the aligned
  original) that some finding overlaps; phrase precision: share of findings that overlap a run.
* recovery: ``1 - d(cleaned, original) / d(spun, original)`` summed over pairs, where ``d`` is
  the word edit distance (substituted, inserted and deleted words of the alignment); exact
  restoration: share of spun runs whose original words all stand, matched, in the cleaned text.
* document level: ROC AUC of the document score, spun texts against their originals, with a
  95% confidence interval (DeLong's variance: a few dozen short texts pin the AUC down only to
  some +/- 0.05), and the precision and recall of the ``spun`` verdict.  A "spun" text whose
  words are all its original's (a spinner that changed nothing, as a low rate on a short text
  can) is no spun document: it is counted in ``unchanged`` and left out of the spun side (its
  original is still scored as an original).
* false-positive density: findings per 1,000 words on the originals.
* per source and kind (pairs whose records label each substitution, as the yardstick sets
  ``corpus/eval/news-*.jsonl`` do): of each group's substitutions, the share a finding overlaps
  (run recall), the share a finding restores exactly (restored), and of the found ones, the
  share restored (restoration precision); false findings belong to no substitution and are
  counted per set.  Each pair also gets a line of its own (verdicts, scores, findings).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from ..align import align
from ..api import scan
from ..config import DetectorConfig
from ..errors import SpindetectError
from ..findings import Finding, Report
from ..jsonl import read_jsonl
from ..restore import apply_findings
from ..tokens import Kind, Token, tokenize

Z_95 = 1.959963984540054  # two-sided 95% quantile of the standard normal


class PairsError(SpindetectError, ValueError):
    """Evaluation input that cannot be read; the message names the file (and line)."""


@dataclass(frozen=True)
class Labelled:
    """A recorded substitution: ``spun[start:end]`` stands for ``original``; ``source`` made
    it, ``kind`` says what sort of swap it is, ``known`` which detector sources list it."""

    start: int
    end: int
    original: str
    source: str
    kind: str
    known: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pair:
    """A spun text and its original (with, from a yardstick set, its labelled substitutions,
    the document's kind and the candidate sources a fair detector must not use on it)."""

    name: str
    spun: str
    original: str
    substitutions: tuple[Labelled, ...] = ()
    kind: str = ""
    exclude_sources: tuple[str, ...] = ()


@dataclass
class GroupCounts:
    """Substitutions of one source or kind: how many, found, restored."""

    substitutions: int = 0
    found: int = 0
    restored: int = 0

    def figures(self) -> dict[str, float | int]:
        """Counts, run recall, restored share and restoration precision."""
        return {
            "substitutions": self.substitutions,
            "found": self.found,
            "restored": self.restored,
            "run_recall": round(self.found / self.substitutions, 4) if self.substitutions else 0.0,
            "recovery": round(self.restored / self.substitutions, 4) if self.substitutions else 0.0,
            "restore_precision": round(self.restored / self.found, 4) if self.found else 1.0,
        }


@dataclass
class Metrics:
    """Evaluation figures; counts are kept so that runs can be combined."""

    pairs: int = 0
    unchanged: int = 0
    spun_runs: int = 0
    runs_found: int = 0
    runs_restored: int = 0
    findings: int = 0
    findings_on_runs: int = 0
    distance_before: int = 0
    distance_after: int = 0
    original_words: int = 0
    original_findings: int = 0
    verdict_true_positive: int = 0
    verdict_false_positive: int = 0
    scores: list[tuple[float, int]] = field(default_factory=list, repr=False)
    groups: dict[str, GroupCounts] = field(default_factory=dict, repr=False)
    documents: list[dict] = field(default_factory=list, repr=False)
    exclude_sources: set[str] = field(default_factory=set, repr=False)

    @property
    def phrase_recall(self) -> float:
        return self.runs_found / self.spun_runs if self.spun_runs else 0.0

    @property
    def phrase_precision(self) -> float:
        return self.findings_on_runs / self.findings if self.findings else 1.0

    @property
    def recovery(self) -> float:
        if not self.distance_before:
            return 0.0
        return 1.0 - self.distance_after / self.distance_before

    @property
    def exact_restoration(self) -> float:
        return self.runs_restored / self.spun_runs if self.spun_runs else 0.0

    @property
    def false_positives_per_1000_words(self) -> float:
        return 1000.0 * self.original_findings / self.original_words if self.original_words else 0.0

    @property
    def document_auc(self) -> float:
        """ROC AUC of document scores (spun = 1, original = 0), ties counted half."""
        return self.document_auc_with_interval()[0]

    @property
    def document_auc_interval(self) -> tuple[float, float]:
        """95% confidence interval of :attr:`document_auc` (:meth:`document_auc_with_interval`)."""
        _, low, high = self.document_auc_with_interval()
        return low, high

    def document_auc_with_interval(self) -> tuple[float, float, float]:
        """The AUC and its 95% confidence interval (DeLong's variance, normal approximation,
        clipped to [0, 1]): how far the figure of a set this size can be from the detector's AUC
        on more text of the same kind.  ``nan`` for the AUC without both spun and original texts,
        for the interval with fewer than two of either."""
        placements = self._placements()
        if placements is None:
            return float("nan"), float("nan"), float("nan")
        of_spun, of_originals = placements
        auc = float(of_spun.mean())
        if min(len(of_spun), len(of_originals)) < 2:
            return auc, float("nan"), float("nan")
        error = math.sqrt(
            of_spun.var(ddof=1) / len(of_spun) + of_originals.var(ddof=1) / len(of_originals)
        )
        return auc, max(0.0, auc - Z_95 * error), min(1.0, auc + Z_95 * error)

    def _placements(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Each spun text's share of originals scored below it, and each original's share of
        spun texts scored above it (ties half); ``None`` without both kinds."""
        spun = np.sort([score for score, label in self.scores if label])
        originals = np.sort([score for score, label in self.scores if not label])
        if not spun.size or not originals.size:
            return None

        def share_below(values: np.ndarray, sorted_others: np.ndarray) -> np.ndarray:
            below = np.searchsorted(sorted_others, values, side="left")
            tied = np.searchsorted(sorted_others, values, side="right") - below
            return (below + 0.5 * tied) / sorted_others.size

        return share_below(spun, originals), 1.0 - share_below(originals, spun)

    @property
    def verdict_precision(self) -> float:
        flagged = self.verdict_true_positive + self.verdict_false_positive
        return self.verdict_true_positive / flagged if flagged else 1.0

    @property
    def verdict_recall(self) -> float:
        spun = self.pairs - self.unchanged
        return self.verdict_true_positive / spun if spun else 0.0

    def summary(self, documents: bool = False) -> dict[str, float | int | None]:
        """The figures as a JSON-ready mapping (``None`` for a figure the pairs cannot give,
        such as an AUC without both spun and original texts): flat, plus ``by_source``,
        ``by_kind``, ``by_known`` and ``exclude_sources`` for labelled pairs, and with
        ``documents`` each pair's verdicts and findings."""
        hidden = ("scores", "groups", "documents", "exclude_sources")
        counts = {k: v for k, v in asdict(self).items() if k not in hidden}
        auc, low, high = self.document_auc_with_interval()
        figures = {
            "phrase_recall": self.phrase_recall,
            "phrase_precision": self.phrase_precision,
            "recovery": self.recovery,
            "exact_restoration": self.exact_restoration,
            "document_auc": auc,
            "document_auc_low": low,
            "document_auc_high": high,
            "verdict_precision": self.verdict_precision,
            "verdict_recall": self.verdict_recall,
        }
        summary: dict = {
            **counts,
            **{name: None if math.isnan(v) else round(v, 4) for name, v in figures.items()},
            "false_positives_per_1000_words": round(self.false_positives_per_1000_words, 3),
        }
        if self.groups:
            for axis in ("source", "kind", "known"):
                summary[f"by_{axis}"] = self.breakdown(axis)
        if self.exclude_sources:
            summary["exclude_sources"] = sorted(self.exclude_sources)
        if documents:
            summary["documents"] = self.documents
        return summary

    def breakdown(self, axis: str) -> dict[str, dict[str, float | int]]:
        """Figures per value of ``axis`` (``source``, ``kind`` or ``known``), by name."""
        prefix = f"{axis}="
        return {
            key[len(prefix) :]: counts.figures()
            for key, counts in sorted(self.groups.items())
            if key.startswith(prefix)
        }

    def breakdown_lines(self) -> list[str]:
        """The per-source, per-kind and per-document figures as text lines (none for pairs
        without labelled substitutions)."""
        lines = []
        if self.exclude_sources:
            lines.append(
                "fair only for a detector without: " + ", ".join(sorted(self.exclude_sources))
            )
        if self.groups:
            lines.append(
                f"{'group':<26}{'subs':>6}{'recall':>8}{'recovery':>10}{'restore-prec':>14}"
            )
            for axis in ("source", "kind", "known"):
                for name, figures in self.breakdown(axis).items():
                    lines.append(
                        f"{axis + '=' + name:<26}{figures['substitutions']:>6}"
                        f"{figures['run_recall']:>8.3f}{figures['recovery']:>10.3f}"
                        f"{figures['restore_precision']:>14.3f}"
                    )
        return lines


def _words(text: str) -> list[Token]:
    return [token for token in tokenize(text) if token.kind is Kind.WORD]


def _opcodes(left: list[str], right: list[str]) -> list[tuple[str, int, int, int, int]]:
    return align(left, right)


def _distance(opcodes: list[tuple[str, int, int, int, int]]) -> int:
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal")


def fair_scanner(pair: Pair, **options: Any) -> Callable[[str], Report]:
    """:func:`spindetect.scan` with ``options``, without the candidate sources ``pair`` was
    spun from (its ``exclude_sources``): a figure counts only on substitutions the detector did
    not draw its candidates from."""
    config = options.pop("config", None) or DetectorConfig()
    kept = tuple(
        source for source in config.sources if _source_name(source) not in pair.exclude_sources
    )
    if config.sources and not kept:
        raise PairsError(
            f"{pair.name}: every candidate source given ({', '.join(config.sources)}) is one the "
            "set was spun from; name others"
        )
    config = replace(config, sources=kept)
    return partial(scan, config=config, **options)


def _source_name(source: str) -> str:
    """A candidate source's name: a ``.table`` path is named by its stem."""
    return Path(source).stem if source.endswith(".table") else source


def score_pair(
    pair: Pair, metrics: Metrics, scanner: Callable[[str], Report] | None = None
) -> None:
    """Scan one pair and add its figures to ``metrics`` (by default with
    :func:`fair_scanner`)."""
    scanner = scanner or fair_scanner(pair)
    spun_words = _words(pair.spun)
    original_keys = [token.lower for token in _words(pair.original)]
    opcodes = _opcodes([token.lower for token in spun_words], original_keys)
    runs = [
        (spun_words[i1].start, spun_words[i2 - 1].end, j1, j2)
        for tag, i1, i2, j1, j2 in opcodes
        if tag in ("replace", "delete") and i2 > i1
    ]
    report = scanner(pair.spun)
    cleaned = apply_findings(pair.spun, report.findings)
    cleaned_opcodes = _opcodes([token.lower for token in _words(cleaned)], original_keys)
    matched = {j for tag, _, _, j1, j2 in cleaned_opcodes if tag == "equal" for j in range(j1, j2)}

    metrics.pairs += 1
    metrics.spun_runs += len(runs)
    metrics.runs_found += sum(
        1
        for start, end, _, _ in runs
        if any(f.start < end and start < f.end for f in report.findings)
    )
    metrics.runs_restored += sum(
        1 for _, _, j1, j2 in runs if j2 > j1 and all(j in matched for j in range(j1, j2))
    )
    metrics.findings += len(report.findings)
    metrics.findings_on_runs += sum(
        1
        for f in report.findings
        if any(f.start < end and start < f.end for start, end, _, _ in runs)
    )
    metrics.distance_before += _distance(opcodes)
    metrics.distance_after += _distance(cleaned_opcodes)

    _score_labelled(pair, report.findings, metrics)

    original_report = scanner(pair.original)
    metrics.original_words += original_report.words
    metrics.original_findings += len(original_report.findings)
    metrics.scores.append((original_report.score, 0))
    metrics.verdict_false_positive += original_report.is_spun
    metrics.exclude_sources.update(pair.exclude_sources)
    metrics.documents.append(
        {
            "name": pair.name,
            "kind": pair.kind,
            "spun_runs": len(runs),
            "runs_found": sum(
                1 for s, e, _, _ in runs if any(f.start < e and s < f.end for f in report.findings)
            ),
            "findings": len(report.findings),
            "spun_verdict": report.verdict,
            "spun_score": round(report.score, 4),
            "original_verdict": original_report.verdict,
            "original_score": round(original_report.score, 4),
            "original_findings": len(original_report.findings),
            "original_words": original_report.words,
        }
    )
    if not _distance(opcodes):  # the spinner changed no word: not a spun document
        metrics.unchanged += 1
        return
    metrics.scores.append((report.score, 1))
    metrics.verdict_true_positive += report.is_spun


def _score_labelled(pair: Pair, findings: Sequence[Finding], metrics: Metrics) -> None:
    """Add each labelled substitution to its source's, kind's and ``known`` groups."""
    for item in pair.substitutions:
        overlapping = [f for f in findings if f.start < item.end and item.start < f.end]
        restored = any(f.restore and _restores(pair, f) for f in overlapping)
        known = "+".join(item.known) or "none"
        for key in (f"source={item.source}", f"kind={item.kind}", f"known={known}"):
            counts = metrics.groups.setdefault(key, GroupCounts())
            counts.substitutions += 1
            counts.found += bool(overlapping)
            counts.restored += restored


def _restores(pair: Pair, finding: Finding) -> bool:
    """Whether ``finding``'s suggestion gives back the original words of the span it covers:
    the span with every labelled substitution inside it undone (a finding that cuts a
    substitution in two restores nothing)."""
    pieces, cursor = [], finding.start
    for item in pair.substitutions:
        if item.end <= finding.start or item.start >= finding.end:
            continue
        if item.start < finding.start or item.end > finding.end:
            return False
        pieces.append(pair.spun[cursor : item.start])
        pieces.append(item.original)
        cursor = item.end
    pieces.append(pair.spun[cursor : finding.end])
    expected = [token.lower for token in _words("".join(pieces))]
    return expected == [token.lower for token in _words(finding.suggestion)]


def evaluate(pairs: Iterable[Pair], scanner: Callable[[str], Report] | None = None) -> Metrics:
    """Figures over all ``pairs``."""
    metrics = Metrics()
    for pair in pairs:
        score_pair(pair, metrics, scanner)
    return metrics


def read_pairs(path: str | Path) -> Iterator[Pair]:
    """Pairs from a folder of ``NAME.spun.txt`` / ``NAME.orig.txt`` or a JSONL of
    ``{"spun": ..., "original": ...}`` objects (an optional ``"name"``)."""
    path = Path(path)
    if path.is_dir():
        spun_files = sorted(path.glob("*.spun.txt"))
        if not spun_files:
            raise PairsError(f"{path}: no NAME.spun.txt files in this directory")
        for spun_file in spun_files:
            name = spun_file.name[: -len(".spun.txt")]
            original_file = spun_file.with_name(f"{name}.orig.txt")
            if not original_file.is_file():
                raise PairsError(f"{spun_file}: no matching {original_file.name}")
            yield Pair(name, _read(spun_file), _read(original_file))
        return
    if not path.is_file():
        raise PairsError(f"{path}: no such file or directory")
    found = False
    for number, record in read_jsonl(path):
        found = True
        try:
            spun, original = record["spun"], record["original"]
        except (KeyError, TypeError):
            raise PairsError(
                f"{path}:{number}: expected a JSON object with 'spun' and 'original'"
            ) from None
        if not isinstance(spun, str) or not isinstance(original, str):
            raise PairsError(f"{path}:{number}: 'spun' and 'original' must be strings")
        yield Pair(
            str(record.get("name", number)),
            spun,
            original,
            _labelled(record.get("substitutions")),
            str(record.get("kind", "")),
            tuple(record.get("exclude_sources") or ()),
        )
    if not found:
        raise PairsError(f"{path}: no pairs in this file (it is empty)")


def _labelled(substitutions: object) -> tuple[Labelled, ...]:
    """The labelled substitutions of a record (``[start, end, spun, original, source, kind,
    known]`` lists); substitutions without a source (the held-out sets') give none."""
    if not isinstance(substitutions, list):
        return ()
    found = []
    for item in substitutions:
        if isinstance(item, list) and len(item) >= 6:
            start, end, _, original, source, kind, *rest = item
            known = tuple(rest[0]) if rest and isinstance(rest[0], list) else ()
            found.append(
                Labelled(int(start), int(end), str(original), str(source), str(kind), known)
            )
    return tuple(found)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PairsError(f"{path}: cannot read: {error}") from None
