"""Progress bars on stderr when it is a terminal; nothing anywhere else."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

PROGRESS_SECONDS = 0.1
PROGRESS_MIN_FILES = 2  # a bar for runs over at least this many files


def terminal(stream) -> bool:
    """Whether ``stream`` is a terminal."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def file_progress(results: Iterable, total: int, label: str, output: Path | None) -> Iterator:
    """Pass ``results`` on, with a progress bar on stderr when it is a terminal, the run has
    at least :data:`PROGRESS_MIN_FILES` files and the report does not go to that terminal
    too (the lines of a report on screen show the progress already)."""
    report_on_screen = output is None and terminal(sys.stdout)
    if total < PROGRESS_MIN_FILES or not terminal(sys.stderr) or report_on_screen:
        yield from results
        return
    from rich.console import Console
    from rich.progress import Progress

    console = Console(file=sys.stderr, force_terminal=True)
    with Progress(console=console, transient=True, redirect_stdout=False) as progress:
        task = progress.add_task(label, total=total)
        for result in results:
            progress.advance(task)
            yield result


def item_progress(items: list, label: str):
    """Iterate with a progress bar on stderr when it is a terminal, quietly otherwise."""
    if not terminal(sys.stderr) or len(items) < PROGRESS_MIN_FILES:
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, description=label, console=Console(stderr=True), transient=True)


@contextmanager
def byte_progress(label: str, total: int | None):
    """Yield ``advance(bytes_done)``: a progress bar on a terminal's stderr, a no-op elsewhere.

    The bar is redrawn from the caller's thread (no refresh thread).
    """
    if not terminal(sys.stderr):
        yield lambda done: None
        return
    from rich.console import Console
    from rich.progress import DownloadColumn, Progress, TimeElapsedColumn

    columns = (*Progress.get_default_columns(), DownloadColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), auto_refresh=False) as progress:
        task = progress.add_task(label, total=total)
        last = 0.0

        def advance(done: int) -> None:
            nonlocal last
            progress.update(task, completed=done)
            if time.monotonic() - last > PROGRESS_SECONDS:
                last = time.monotonic()
                progress.refresh()

        yield advance
