"""``spindetect filter``: tag, drop or clean the text of JSON Lines records, streaming."""

from __future__ import annotations

import os
import stat
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Literal

import typer

from .errors import EXIT_CLEAN, EXIT_ERROR, EXIT_INTERRUPTED, report_error
from .options import (
    PhrasebookOption,
    ReferenceOption,
    ThresholdOption,
    VerdictOption,
    WorkersOption,
    scan_options,
)
from .progress import byte_progress


def filter_command(
    input_path: Annotated[str, typer.Argument(help="JSON Lines file, or - for stdin.")] = "-",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    field: Annotated[
        str, typer.Option("--field", help="Dotted path of the text in each record.")
    ] = "text",
    mode: Annotated[
        Literal["tag", "drop", "clean"],
        typer.Option(
            "--mode",
            help="tag: add a spindetect object; drop: keep clean records only; "
            "clean: restore the text and tag it.",
        ),
    ] = "tag",
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Write dropped records and skipped bad lines here."),
    ] = None,
    on_error: Annotated[
        Literal["skip", "fail", "pass"],
        typer.Option(
            "--on-error", help="Bad lines: skip (to --rejects if given), fail, or pass unchanged."
        ),
    ] = "skip",
    findings: Annotated[
        bool, typer.Option("--findings", help="List the findings in the tag too.")
    ] = False,
    workers: WorkersOption = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Records handed to a worker at a time.")
    ] = 32,
    threshold: ThresholdOption = None,
    phrasebook: PhrasebookOption = None,
    reference: ReferenceOption = None,
    verdict_threshold: VerdictOption = 0.8,
) -> None:
    """Tag, drop or clean the text of JSON Lines records, streaming, in order, on every core.

    Records keep their bytes: the tag is written in before the closing brace.  A file named
    with -o or --rejects appears only when the run ends (not after Ctrl-C or --on-error fail).
    """
    from ..jsonfilter import ON_ERROR, Counts, FilterSettings, FilterStopped, run_filter
    from ..pipeline import resolve_workers

    try:
        settings = FilterSettings.parse(field, mode, findings)
    except ValueError as error:
        report_error(str(error))
        raise typer.Exit(EXIT_ERROR) from None
    if on_error not in ON_ERROR:
        report_error(f"unknown --on-error {on_error!r}; choose one of {', '.join(ON_ERROR)}")
        raise typer.Exit(EXIT_ERROR)
    options = scan_options(threshold, phrasebook, reference, verdict_threshold=verdict_threshold)
    name = "<stdin>" if input_path == "-" else input_path
    counts, stopped, code = Counts(), "", EXIT_ERROR
    try:
        with ExitStack() as files:
            source = _open_stream(files, input_path, "rb", sys.stdin.buffer)
            _refuse_same_file(input_path, output, rejects)
            out = _open_output(files, output, sys.stdout.buffer)
            reject_file = _open_output(files, rejects, None)
            with byte_progress("filtering", _file_size(source)) as advance:
                run_filter(
                    source,
                    out,
                    settings,
                    options,
                    rejects=reject_file,
                    on_error=on_error,
                    workers=resolve_workers(workers),
                    batch_size=batch_size,
                    name=name,
                    report_error=report_error,
                    advance=advance,
                    counts=counts,
                )
            out.flush()
    except FilterStopped:
        stopped = f"stopped at line {counts.line} (--on-error fail)"
    except KeyboardInterrupt:
        stopped, code = f"interrupted after line {counts.line}", EXIT_INTERRUPTED
    if not stopped:
        typer.echo(f"spindetect: filter: {counts.summary()}", err=True)
        raise typer.Exit(EXIT_ERROR if counts.errors else EXIT_CLEAN)
    written = [_written(output, counts.written, "standard output")]
    if rejects is not None and str(rejects) != "-":
        written.append(_written(rejects, counts.rejected, ""))
    typer.echo(f"spindetect: filter: {stopped}; {counts.summary()}; {', '.join(written)}", err=True)
    raise typer.Exit(code)


def _staged(path: Path | None) -> bool:
    """Whether the filter writes ``path`` through a temporary file: a file, not stdout
    (``-``) nor a device or a pipe (``/dev/null``), which are written as they are."""
    if path is None or str(path) == "-":
        return False
    return path.is_file() or not path.exists()


def _written(path: Path | None, lines: int, default: str) -> str:
    """What a stopped run left in an output: ``out.jsonl not written``, ``3 lines written to
    standard output``."""
    if _staged(path):
        return f"{path} not written"
    target = default if path is None or str(path) == "-" else str(path)
    return f"{lines} line{'s' * (lines != 1)} written to {target}"


def _open_output(files: ExitStack, path: Path | None, default):
    """Open ``-o``/``--rejects`` (``-`` or None: ``default``); a file is written through a
    temporary file that takes its name when the run ends well.  One-line error if it cannot
    be written."""
    if path is None or str(path) == "-":
        return default
    from ..atomic import atomic_output

    try:
        if not _staged(path):
            return files.enter_context(path.open("wb"))
        return files.enter_context(atomic_output(path))
    except OSError as error:
        report_error(f"{path}: cannot write: {error.strerror or error}")
        raise typer.Exit(EXIT_ERROR) from None


def _open_stream(files: ExitStack, path, mode: str, default):
    """Open ``path`` (``-`` or None: ``default``) for the filter; one-line error if it fails."""
    if path is None or str(path) == "-":
        return default
    try:
        return files.enter_context(open(path, mode))  # closed by the ExitStack
    except OSError as error:
        report_error(f"{path}: cannot open: {error.strerror or error}")
        raise typer.Exit(EXIT_ERROR) from None


def _file_size(stream) -> int | None:
    """The size of a regular file (for the progress bar); None for a pipe or a terminal."""
    try:
        status = os.fstat(stream.fileno())
    except (OSError, ValueError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def _refuse_same_file(input_path: str, *outputs: Path | None) -> None:
    """Writing over the input (or both outputs into one file) would lose records."""
    seen = [] if input_path == "-" else [Path(input_path).resolve()]
    for path in outputs:
        if path is None or str(path) == "-":
            continue
        if path.resolve() in seen:
            report_error(f"{path}: is also the input or the other output; choose another file")
            raise typer.Exit(EXIT_ERROR)
        seen.append(path.resolve())
