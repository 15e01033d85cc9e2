"""``spindetect reference build``: a reference model from the user's own clean texts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .output import writing

HELP = "Reference language models built from your own clean texts."


def reference_build(
    source: Annotated[
        str, typer.Argument(help="Folder of *.txt/*.md, a text file, or JSONL with 'text'.")
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="FILE", help="The model file to write."),
    ],
    min_count: Annotated[
        int, typer.Option("--min-count", min=1, metavar="N", help="Drop n-grams seen fewer times.")
    ] = 2,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, metavar="N", help="Counting processes.")
    ] = 2,
) -> None:
    """Count 1-3-grams of clean texts into a compact model for --reference.

    Memory stays bounded (counts are spilled to disk in partitions); the model is one
    memory-mapped file that loads in milliseconds.
    """
    from ..reference.build import build

    with writing(output):
        header, stats = build(source, output, min_count=min_count, jobs=jobs)
    typer.echo(
        f"{output}: {stats.documents} documents, {stats.tokens:,} words, "
        f"{stats.sentences:,} sentences in {stats.seconds:.1f} s"
    )
    for n, (seen, kept) in enumerate(zip(stats.seen, stats.kept, strict=True), start=1):
        typer.echo(f"{n}-grams: {seen:,} distinct, {kept:,} kept (seen >= {min_count} times)")
    typer.echo(
        f"model {output.stat().st_size / 1e6:.1f} MB, sha256 of arrays {header['sha256_of_arrays']}"
    )
