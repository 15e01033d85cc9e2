"""``scan`` and ``clean`` over many files, in the worker pool of :mod:`spindetect.pipeline`.

The inputs are listed first (paths only; standard input is read here, since workers cannot);
each worker reads, scans and renders (or cleans and writes) one file at a time, a piece at a
time, and returns a small :class:`FileResult`.  A file that cannot be read or scanned is a
result with an error, never the end of the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager as ContextManager
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from .atomic import atomic_output
from .inputs import STDIN_NAME, Document, InputError, read_document, walk_paths
from .pipeline import Options, ordered_map
from .render import file_report

BATCH_SIZE = 1  # files are large items: hand them out one at a time
# Files in flight per worker: a window wide enough that one long file at the head of the queue
# does not leave the other workers idle (results are small; the window is still bounded).
IN_FLIGHT_PER_WORKER = 16


@dataclass(frozen=True)
class FileResult:
    """What became of one input: its rendered output (scan) or where it was written (clean)."""

    path: str
    output: Any = None
    spun: bool = False
    findings: int = 0
    warnings: tuple[str, ...] = ()
    error: str = ""


def sources(paths: Iterable[str], globs: tuple[str, ...]) -> Iterator[str | Document | InputError]:
    """Each file named by ``paths`` (folders searched), stdin as a Document, or an InputError.

    One bad path, or one unreadable folder inside a tree, is one error in its place; the other
    files are still listed.
    """
    for item in walk_paths(paths, globs):
        if item != STDIN_NAME:
            yield item
            continue
        try:
            yield read_document(item)
        except InputError as error:
            yield error


def mirrored(
    paths: Iterable[str], globs: tuple[str, ...], out_dir: Path
) -> Iterator[tuple[str, Path] | InputError]:
    """``(input file, output file)`` pairs that mirror each input folder's tree in ``out_dir``.

    A file inside a folder argument keeps its path relative to that folder; a file argument
    keeps its name.  An output that would overwrite an input or another output is an error, as
    is an input that cannot be used (the others still come).
    """
    written: set[Path] = set()
    for raw in paths:
        if raw == STDIN_NAME:
            yield InputError(f"{STDIN_NAME}: standard input has no name to mirror; use -o FILE")
            continue
        root = Path(raw) if os.path.isdir(raw) else None
        for name in walk_paths([raw], globs):
            if isinstance(name, InputError):
                yield name
            else:
                yield _target(Path(name), root, out_dir, written)


def _target(
    path: Path, root: Path | None, out_dir: Path, written: set[Path]
) -> tuple[str, Path] | InputError:
    target = out_dir / (path.relative_to(root) if root else path.name)
    resolved = target.resolve()
    if resolved == path.resolve():
        return InputError(f"{path}: the output would overwrite the input; choose another --out-dir")
    if resolved in written:
        return InputError(f"{path}: {target} is already written from another input; skipped")
    written.add(resolved)
    return str(path), target


def _read(item: str | Document) -> Document:
    return item if isinstance(item, Document) else read_document(item)


def scan_file(
    item: str | Document | InputError, options: Options, output_format: str
) -> FileResult:
    """Read and scan one file, piece by piece; its output is rendered in ``output_format``
    (text, jsonl and json: strings and spools for :func:`~spindetect.spool.output_chunks`;
    html: ``(path, text, report)`` for :class:`~spindetect.render.html.HtmlReport`)."""
    from .api import DocumentScan

    if isinstance(item, InputError):
        return FileResult("", error=str(item))
    try:
        document = _read(item)
    except InputError as error:
        return FileResult(str(item), error=str(error))
    try:
        scan = DocumentScan(document.parts(), **options)
        rendered = file_report(output_format, document.path)
        for piece in scan:
            rendered.add(piece)
        report = scan.report()
    except InputError as error:
        return FileResult(document.path, warnings=document.warnings, error=str(error))
    except Exception as error:  # a file that breaks the detector is reported, the run goes on
        message = f"{document.path}: cannot scan: {type(error).__name__}: {error}"
        return FileResult(document.path, warnings=document.warnings, error=message)
    output = rendered.finish(report)
    return FileResult(document.path, output, report.is_spun, scan.count, document.warnings)


def clean_document(
    document: Document, open_output: Callable[[], ContextManager[BinaryIO]], options: Options
) -> int:
    """Write ``document`` with its spun phrases restored (after its byte-order mark, if any) to
    the stream ``open_output()`` gives, a piece at a time; returns the number of findings.

    The output is opened once the first piece is scanned, so nothing is created when the scan
    cannot start (a bad option); an error while writing is an ``OSError``.
    """
    from .api import DocumentScan

    scan = DocumentScan(document.parts(), **options)
    with ExitStack() as stack:
        output: BinaryIO | None = None
        for piece in scan:
            if output is None:
                output = stack.enter_context(open_output())
                output.write(document.bom)
            output.write(piece.restored().encode("utf-8"))
        if output is not None:
            output.flush()
    return scan.count


def clean_file(item: tuple[str, Path] | InputError, options: Options) -> FileResult:
    """Read, clean and write one ``(input, output)`` pair; the output is the written path."""
    if isinstance(item, InputError):
        return FileResult("", error=str(item))
    name, target = item
    try:
        document = read_document(name)
    except InputError as error:
        return FileResult(name, error=str(error))

    try:
        count = clean_document(document, partial(atomic_output, target), options)
    except InputError as error:
        return FileResult(name, warnings=document.warnings, error=str(error))
    except OSError as error:
        message = f"{target}: cannot write: {error.strerror or error}"
        return FileResult(name, warnings=document.warnings, error=message)
    except Exception as error:
        message = f"{name}: cannot clean: {type(error).__name__}: {error}"
        return FileResult(name, warnings=document.warnings, error=message)
    return FileResult(name, str(target), False, count, document.warnings)


def scan_files(
    items: list, options: Options, output_format: str, workers: int
) -> Iterator[FileResult]:
    """:func:`scan_file` over ``items`` (from :func:`sources`) in order, on ``workers`` cores."""
    task = partial(scan_file, output_format=output_format)
    return _map(task, items, options, workers)


def clean_files(items: list, options: Options, workers: int) -> Iterator[FileResult]:
    """:func:`clean_file` over ``items`` (from :func:`mirrored`) in order, on ``workers`` cores."""
    return _map(clean_file, items, options, workers)


def _map(task, items: list, options: Options, workers: int) -> Iterator[FileResult]:
    """No more workers than files (a single file is scanned in this process)."""
    files = sum(1 for item in items if not isinstance(item, InputError))
    workers = max(1, min(workers, files))
    window = IN_FLIGHT_PER_WORKER * workers
    return ordered_map(
        task, items, options, workers=workers, batch_size=BATCH_SIZE, in_flight=window
    )
