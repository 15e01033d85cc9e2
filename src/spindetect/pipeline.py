"""An ordered, bounded-memory thread pool, and :func:`pipe`, the library's streaming batch call.

One pool serves ``spindetect filter``, ``scan`` and ``clean`` over folders, and :func:`pipe`:
:func:`ordered_map` applies a *task* to every item of an iterable and yields the results in
input order.  The input is consumed lazily, ``batch_size`` items at a time, with at most
``in_flight`` batches submitted and not yet yielded, so memory stays bounded however long the
input is.

The workers are threads of this process: the scan itself runs in the compiled core with the
GIL released, over one copy of the models that every thread shares, so N workers cost one
model's memory.  A task is a function ``task(item, options)``; ``options`` is a dict of
:func:`spindetect.scan` keyword arguments (threshold, verdict_threshold, phrasebooks, ...).
The models are loaded once, before the first item, by a warm-up scan with those options, so a
bad option (an unreadable phrasebook, say) is raised in the caller at once.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from typing import Any, TypeVar

from .findings import Report

Item = TypeVar("Item")
Options = dict[str, Any]
Task = Callable[[Any, Options], Any]

WARM_UP_TEXT = "The minister said the two countries would work together."
DEFAULT_BATCH_SIZE = 32


def available_cores() -> int:
    """The number of CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def resolve_workers(workers: int | None) -> int:
    """``None`` or a negative number means every available core."""
    if workers is None or workers < 0:
        return available_cores()
    if workers == 0:
        raise ValueError("the number of workers must be at least 1 (or -1 for every core)")
    return workers


def warm_up(options: Options) -> None:
    """Load the models (and any extra phrasebook) that ``scan(**options)`` uses."""
    from .api import scan

    scan(WARM_UP_TEXT, **options)


def _run_batch(task: Task, batch: list, options: Options) -> tuple[list, BaseException | None]:
    """The results of a batch up to the first error, and that error (None if there is none)."""
    results = []
    try:
        for item in batch:
            results.append(task(item, options))
    except Exception as error:  # raised in the caller after the results before it
        return results, error
    return results, None


def _results(future: Future) -> Iterator[Any]:
    results, error = future.result()
    yield from results
    if error is not None:
        raise error


def ordered_map(
    task: Task,
    items: Iterable[Item],
    options: Options | None = None,
    *,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    in_flight: int | None = None,
) -> Iterator[Any]:
    """Yield ``task(item, options)`` for every item, in input order.

    With ``workers == 1`` the items are processed one by one in the calling thread.  Otherwise
    ``workers`` threads take batches of ``batch_size`` items; at most ``in_flight`` batches
    (default ``2 * workers``) are read ahead of the result being yielded.  An exception raised
    by a task (or by the warm-up) is raised here, after the results before it.
    """
    options = dict(options or {})
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    warm_up(options)
    if workers <= 1:
        for item in items:
            yield task(item, options)
        return
    limit = in_flight or 2 * workers
    pending: deque[Future] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="spindetect") as executor:
        try:
            for batch in _batches(items, batch_size):
                pending.append(executor.submit(_run_batch, task, batch, options))
                if len(pending) >= limit:
                    yield from _results(pending.popleft())
            while pending:
                yield from _results(pending.popleft())
        finally:  # an error, Ctrl-C, or the caller stopped early: drop what has not started
            for future in pending:
                future.cancel()


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def pipe(
    texts: Iterable[str],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
    **scan_options: Any,
) -> Iterator[Report]:
    """Scan a stream of texts, yielding one :class:`Report` per text in input order.

    Like spaCy's ``nlp.pipe``: ``texts`` may be any iterable (a generator over a huge file is
    read lazily, a batch at a time); ``n_process`` threads (``-1``: every core) scan each batch
    in the compiled core over one shared copy of the models; ``scan_options`` are those of
    :func:`spindetect.scan`.  The same as :func:`spindetect.api.scan_many` with
    ``threads=n_process``.

    >>> for report in spindetect.pipe(lines, n_process=4, threshold=0.9):  # doctest: +SKIP
    ...     print(report.verdict)
    """
    from .api import scan_many

    return scan_many(texts, threads=n_process, batch_size=batch_size, **scan_options)
