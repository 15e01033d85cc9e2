"""``spindetect clean``: the text with spun phrases restored (one file, or many into a
folder)."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from ..inputs import DEFAULT_GLOBS, InputError
from .errors import EXIT_CLEAN, EXIT_ERROR, usage
from .options import (
    GlobOption,
    PhrasebookOption,
    ReferenceOption,
    ThresholdOption,
    WorkersOption,
    globs_of,
    scan_options,
)
from .output import documents, succeeded, writing
from .progress import file_progress


def clean(
    paths: Annotated[
        list[str], typer.Argument(help="A file or - for stdin; with --out-dir, files and folders.")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout."),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            metavar="DIR",
            help="Write each cleaned file here, mirroring input folders.",
        ),
    ] = None,
    threshold: ThresholdOption = None,
    phrasebook: PhrasebookOption = None,
    reference: ReferenceOption = None,
    glob: GlobOption = None,
    workers: WorkersOption = None,
) -> None:
    """Print the text with spun phrases restored; every other character is kept as it was."""
    options = scan_options(threshold, phrasebook, reference)
    if out_dir is not None:
        if output is not None:
            raise usage("give either --output (one file) or --out-dir (many), not both")
        _clean_into(paths, out_dir, globs_of(glob), options, workers)
        return
    path = paths[0]
    if len(paths) > 1 or os.path.isdir(path):
        what = f"{path}: is a directory" if len(paths) == 1 else "several inputs"
        raise usage(f"{what}; clean of a folder or several files needs --out-dir DIR")
    [document] = documents([path], DEFAULT_GLOBS)
    if isinstance(document, InputError):
        raise document
    from ..atomic import atomic_output
    from ..folders import clean_document

    def open_output() -> contextlib.AbstractContextManager[BinaryIO]:
        if output is None:
            sys.stdout.flush()
            return contextlib.nullcontext(sys.stdout.buffer)
        return atomic_output(output)  # so -o may name the input itself

    if output is None and _stdout_is(path):  # stdout appends to the input file
        document = document.loaded()
    if output is None:  # a closed pipe is mapped by exit_code; nothing else is likely
        clean_document(document, open_output, options)
        return
    with writing(output):
        clean_document(document, open_output, options)


def _stdout_is(path: str) -> bool:
    """Whether standard output is the file ``path`` itself (``clean FILE >> FILE``)."""
    try:
        source = os.stat(path)
        target = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError):
        return False
    return (source.st_dev, source.st_ino) == (target.st_dev, target.st_ino)


def _clean_into(
    paths: list[str], out_dir: Path, globs: tuple[str, ...], options: dict, workers: int | None
) -> None:
    """Clean every file into ``out_dir``; one line per file on stdout, errors on stderr."""
    from ..folders import clean_files, mirrored
    from ..pipeline import resolve_workers

    items = list(mirrored(paths, globs, out_dir))
    failed: list[str] = []
    results = clean_files(items, options, resolve_workers(workers))
    for result in succeeded(file_progress(results, len(items), "cleaning", None), failed):
        count = result.findings
        typer.echo(f"{result.path} -> {result.output} ({count} finding{'s' * (count != 1)})")
    raise typer.Exit(EXIT_ERROR if failed else EXIT_CLEAN)
