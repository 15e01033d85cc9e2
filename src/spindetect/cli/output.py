"""Where a command's report goes (``-o FILE`` or standard output), and the documents and
results it reports, with their warnings and errors on stderr."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..errors import SpindetectError
from ..inputs import InputError, read_document, walk_paths
from .errors import report_error, warn

if TYPE_CHECKING:
    from ..render.html import HtmlReport


def documents(paths: list[str], globs: tuple[str, ...]):
    """Yield documents or InputErrors, one per input, so one bad file never stops the run."""
    for name in walk_paths(paths, globs):
        if isinstance(name, InputError):
            yield name
            continue
        try:
            document = read_document(name)
        except InputError as error:
            yield error
            continue
        for warning in document.warnings:
            warn(warning)
        yield document


@contextlib.contextmanager
def output_stream(output: Path | None) -> Iterator[Callable[..., None]]:
    """Yield ``emit(text, nl=True)``: to the ``-o`` file (UTF-8) or to standard output.

    A file that cannot be opened is an error (exit 2) before anything is scanned; so is a
    failed write to it.
    """
    if output is None:
        yield _stdout_emit()
        return
    with writing(output):
        handle = output.open("w", encoding="utf-8", errors="surrogateescape")

    def emit(text: str, nl: bool = True) -> None:
        with writing(output):
            handle.write(text + "\n" if nl else text)

    with handle:
        yield emit


def _stdout_emit() -> Callable[..., None]:
    """``emit(text, nl=True)`` to standard output in UTF-8 whatever the locale; a file name
    that is not UTF-8 (decoded with surrogate escapes) is written back as its own bytes."""
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # pragma: no cover - a text-only stdout (an IDE's console)
        return typer.echo
    sys.stdout.flush()

    def emit(text: str, nl: bool = True) -> None:
        stream.write((text + "\n" if nl else text).encode("utf-8", "surrogateescape"))

    return emit


@contextmanager
def writing(path: Path | str | None) -> Iterator[None]:
    """A failure to write ``path`` is one error naming it."""
    try:
        yield
    except OSError as error:
        raise SpindetectError(f"{path}: cannot write: {error.strerror or error}") from None


def succeeded(results, failed: list[str], page: HtmlReport | None = None):
    """Print each file's warnings and error on stderr (and list errors on an HTML page);
    yield the files that succeeded."""
    for result in results:
        for warning in result.warnings:
            warn(warning)
        if result.error:
            report_error(result.error)
            failed.append(result.error)
            if page:
                page.add_error(result.error)
            continue
        yield result
