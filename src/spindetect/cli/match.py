"""``spindetect match``: rank candidate sources of each spun document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer

from ..errors import SpindetectError
from ..inputs import InputError
from .errors import EXIT_CLEAN, EXIT_ERROR, report_error
from .options import GlobOption, OutputOption, RestoreThresholdOption, globs_of
from .output import documents, output_stream, writing


def match_command(
    spun: Annotated[
        list[str], typer.Argument(help="Spun files, folders (searched recursively) or -.")
    ],
    against: Annotated[
        str,
        typer.Option(
            "--against",
            "-a",
            metavar="SOURCES",
            help="Candidate sources: a folder, JSONL of {id, text}, or an index saved as .npz.",
        ),
    ],
    top: Annotated[
        int, typer.Option("--top", "-n", min=1, metavar="N", help="Sources to list.")
    ] = 3,
    output_format: Annotated[
        Literal["text", "json"], typer.Option("--format", "-f", help="Report format.")
    ] = "text",
    output: OutputOption = None,
    save_index: Annotated[
        Path | None,
        typer.Option(
            "--save-index", metavar="FILE", help="Save the candidates' index here (.npz) for reuse."
        ),
    ] = None,
    restore: Annotated[
        bool,
        typer.Option("--restore/--no-restore", help="Restore spun phrases before the look-up."),
    ] = True,
    threshold: RestoreThresholdOption = None,
    glob: GlobOption = None,
) -> None:
    """Rank candidate sources of each spun document by similarity after restoration."""
    from ..tools.match import RESTORE_THRESHOLD, find_sources, format_text, load_index

    globs = globs_of(glob)
    index, problems = load_index(against, globs)
    for problem in problems:
        report_error(f"candidate skipped: {problem}")
    if not len(index):
        raise SpindetectError(f"{against}: no candidate documents to match against")
    if save_index is not None:
        with writing(save_index):
            index.save(save_index)
    results, any_error = [], bool(problems)
    with output_stream(output) as emit:
        for item in documents(spun, globs):
            if isinstance(item, InputError):
                report_error(str(item))
                any_error = True
                continue
            result = find_sources(
                item.path,
                item.text,
                index,
                top=top,
                restore=restore,
                threshold=RESTORE_THRESHOLD if threshold is None else threshold,
            )
            if output_format == "text":
                emit(format_text(result))
            else:
                results.append(result.to_dict())
        if output_format == "json":
            payload = {"candidates": len(index), "queries": results}
            emit(json.dumps(payload, ensure_ascii=False, indent=2))
    raise typer.Exit(EXIT_ERROR if any_error else EXIT_CLEAN)
