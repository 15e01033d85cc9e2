"""``spindetect phrases import``: check and normalise a tortured-phrase list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer

from .output import writing

HELP = "Tortured-phrase lists (Problematic Paper Screener exports)."


def phrases_import(
    path: Annotated[Path, typer.Argument(help="A PPS export (CSV) of fingerprints.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write a normalised copy (CSV) here."),
    ] = None,
    output_format: Annotated[
        Literal["text", "json"], typer.Option("--format", "-f", help="Summary format.")
    ] = "text",
) -> None:
    """Check a fingerprint list, summarise it, and optionally write a normalised copy.

    Every row is parsed as a query (AND, NOT, OR, "phrase"~N); the first bad row stops the
    import with its row number.  Use the file (or the copy) with --phrasebook on scan and
    clean.
    """
    from ..pps import read_pps, write_pps

    imported = read_pps(path)
    if output is not None:
        with writing(output):
            write_pps(output, imported.records)
    summary = imported.summary()
    if output is not None:
        summary["written"] = str(output)
    if output_format == "json":
        typer.echo(json.dumps(summary, indent=2))
        return
    kinds = ", ".join(f"{count} {kind}" for kind, count in summary["kinds"].items())
    typer.echo(
        f"{path}: {summary['rows']} rows, {summary['fingerprints']} fingerprints ({kinds}), "
        f"{summary['duplicates']} duplicate rows skipped, {summary['flag_only']} without "
        f"expected text (flagged, not rewritten)"
    )
    typer.echo(f"sha256 {summary['sha256']}")
    if output is not None:
        typer.echo(f"wrote {output}; use it with: spindetect scan --phrasebook {output} ...")
