"""``spindetect eval``: recall, precision and restoration on spun texts whose originals are
known."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Annotated, Literal

import typer

from .options import (
    OutputOption,
    PhrasebookOption,
    ReferenceOption,
    ThresholdOption,
    scan_options,
)
from .output import output_stream
from .progress import item_progress


def eval_command(
    pairs: Annotated[
        str,
        typer.Argument(help="Folder of NAME.spun.txt/NAME.orig.txt, or JSONL of {spun, original}."),
    ],
    output_format: Annotated[
        Literal["text", "json"], typer.Option("--format", "-f", help="Report format.")
    ] = "text",
    output: OutputOption = None,
    threshold: ThresholdOption = None,
    phrasebook: PhrasebookOption = None,
    reference: ReferenceOption = None,
    sources: Annotated[
        str,
        typer.Option(
            "--sources",
            metavar="NAME,...",
            help="Candidate sources, in merge order (moby is bundled; the others are built by "
            "scripts/build_candidates.py). A set's own sources are always left out.",
        ),
    ] = "moby",
) -> None:
    """Measure recall, precision and restoration on spun texts whose originals are known."""
    from ..config import DetectorConfig
    from ..tools.evaluate import Metrics, fair_scanner, read_pairs, score_pair

    metrics = Metrics()
    items = list(read_pairs(pairs))
    names = tuple(name.strip() for name in sources.split(",") if name.strip())
    if not names:
        raise typer.BadParameter("name at least one source", param_hint="--sources")
    options = scan_options(threshold, phrasebook, reference, config=DetectorConfig(sources=names))
    with output_stream(output) as emit:
        for pair in item_progress(items, "evaluating"):
            score_pair(pair, metrics, fair_scanner(pair, **options))
        if output_format == "json":
            emit(json.dumps(metrics.summary(), indent=2))
            return
        for line in _metrics_lines(metrics):
            emit(line)


def _metrics_lines(metrics) -> Iterator[str]:
    """The text report of ``spindetect eval``."""
    yield f"pairs {metrics.pairs}: {metrics.spun_runs} spun runs, {metrics.findings} findings"
    if metrics.unchanged:
        yield f"unchanged         {metrics.unchanged} spun text(s) identical to the original"
    yield f"phrase recall     {metrics.phrase_recall:.3f}"
    yield f"phrase precision  {metrics.phrase_precision:.3f}"
    yield f"recovery          {metrics.recovery:.3f}"
    yield f"exact restoration {metrics.exact_restoration:.3f}"
    auc, low, high = metrics.document_auc_with_interval()
    interval = "" if math.isnan(low) else f" (95% interval {low:.3f}-{high:.3f})"
    yield f"document AUC      {auc:.3f}{interval}"
    yield f"verdict precision {metrics.verdict_precision:.3f}, recall {metrics.verdict_recall:.3f}"
    yield f"false positives   {metrics.false_positives_per_1000_words:.2f} per 1,000 words"
    yield from metrics.breakdown_lines()  # per substitution source and kind, where labelled
