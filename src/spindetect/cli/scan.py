"""``spindetect scan``: report spun phrases and a verdict per file."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from .errors import EXIT_CLEAN, EXIT_ERROR, EXIT_SPUN
from .options import (
    GlobOption,
    OutputOption,
    PhrasebookOption,
    ReferenceOption,
    ThresholdOption,
    VerdictOption,
    WorkersOption,
    globs_of,
    scan_options,
)
from .output import output_stream, succeeded
from .progress import file_progress


def scan(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (searched recursively) or - for stdin.")
    ],
    output_format: Annotated[
        Literal["text", "json", "jsonl", "html"],
        typer.Option("--format", "-f", help="Report format."),
    ] = "text",
    output: OutputOption = None,
    threshold: ThresholdOption = None,
    glob: GlobOption = None,
    phrasebook: PhrasebookOption = None,
    verdict_threshold: VerdictOption = None,
    reference: ReferenceOption = None,
    workers: WorkersOption = None,
) -> None:
    """Report spun phrases with their likely originals and a verdict per file."""
    from ..folders import scan_files, sources
    from ..pipeline import resolve_workers
    from ..render import JsonFiles
    from ..render.html import HtmlReport
    from ..spool import output_chunks

    options = scan_options(threshold, phrasebook, reference, verdict_threshold=verdict_threshold)
    items = list(sources(paths, globs_of(glob)))
    any_spun, failed = False, []
    page = HtmlReport() if output_format == "html" else None
    files = JsonFiles() if output_format == "json" else None
    with output_stream(output) as emit:
        results = scan_files(items, options, output_format, resolve_workers(workers))
        for result in succeeded(
            file_progress(results, len(items), "scanning", output), failed, page
        ):
            any_spun |= result.spun
            if page:
                page.add(*result.output)
                continue
            if files:
                emit(files.opening(), nl=False)
            for chunk in output_chunks(result.output):
                emit(chunk, nl=False)
            if not files:
                emit("")
        if files:
            emit(files.closing())
        elif page:
            for chunk in page.chunks():
                emit(chunk, nl=False)
    raise typer.Exit(EXIT_ERROR if failed else EXIT_SPUN if any_spun else EXIT_CLEAN)
