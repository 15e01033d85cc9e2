"""An ordered, bounded-memory worker pool, and :func:`pipe`, the library's batch call.

One pool serves ``spindetect filter``, ``scan`` and ``clean`` over folders, and :func:`pipe`:
:func:`ordered_map` applies a *task* to every item of an iterable and yields the results in
input order.  The input is consumed lazily, ``batch_size`` items at a time, with at most
``in_flight`` batches submitted and not yet yielded, so memory stays bounded however long the
input is (``multiprocessing.Pool.imap`` would read the whole iterable ahead; this does not).

A task is a picklable top-level function ``task(item, options)``; ``options`` is a dict of
:func:`spindetect.scan` keyword arguments (threshold, verdict_threshold, phrasebooks, ...),
handed to each worker once.  Each worker loads the models once, in its initializer, by a
warm-up scan with those same options, so a bad option (an unreadable phrasebook, say) is
raised in the caller on the first result rather than once per item.

Workers start with the method set by ``multiprocessing.set_start_method`` if one is set, else
``forkserver`` where the platform has it (never a ``fork`` of a parent that may run threads),
else ``spawn``; as with any such pool, a script that calls :func:`pipe` with several processes
needs the usual ``if __name__ == "__main__":`` guard.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, TypeVar

from .findings import Report

Item = TypeVar("Item")
Options = dict[str, Any]
Task = Callable[[Any, Options], Any]

WARM_UP_TEXT = "The minister said the two countries would work together."
DEFAULT_BATCH_SIZE = 32

_worker_options: Options = {}
_worker_error: BaseException | None = None


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


def _initialise_worker(options: Options) -> None:
    """Pool initializer: keep the options, load the models once; never raise."""
    global _worker_options, _worker_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _worker_options = options
    try:
        warm_up(options)
    except Exception as error:  # re-raised by every batch, hence in the caller
        _worker_error = error


def _run_batch(task: Task, batch: list) -> tuple[list, BaseException | None]:
    """The results of a batch up to the first error, and that error (None if there is none)."""
    if _worker_error is not None:
        return [], _worker_error
    results = []
    try:
        for item in batch:
            results.append(task(item, _worker_options))
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

    With ``workers == 1`` the items are processed one by one in this process.  Otherwise
    ``workers`` processes take batches of ``batch_size`` items; at most ``in_flight`` batches
    (default ``2 * workers``) are read ahead of the result being yielded.  An exception raised
    by a task (or by the warm-up) is raised here, and the pool is stopped.
    """
    options = dict(options or {})
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if workers <= 1:
        yield from _serial_map(task, items, options)
        return
    limit = in_flight or 2 * workers
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=_initialise_worker,
        initargs=(options,),
    )
    pending: deque[Future] = deque()
    finished = False
    try:
        for batch in _batches(items, batch_size):
            pending.append(executor.submit(_run_batch, task, batch))
            if len(pending) >= limit:
                yield from _results(pending.popleft())
        while pending:
            yield from _results(pending.popleft())
        finished = True
    finally:
        if not finished:  # an error, Ctrl-C, or the caller stopped early: stop the workers
            _stop(executor)
        # Wait for the pool's manager thread even then (its workers are gone, so it ends at
        # once): one left running races the interpreter's exit hook on a closed pipe and
        # prints a traceback after the run's own last line.
        executor.shutdown(wait=True, cancel_futures=True)


def _context() -> multiprocessing.context.BaseContext:
    method = multiprocessing.get_start_method(allow_none=True)
    if method is None:
        methods = multiprocessing.get_all_start_methods()
        method = "forkserver" if "forkserver" in methods else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":  # workers fork from a server that has imported spindetect
        context.set_forkserver_preload(["spindetect.api"])
    return context


def _serial_map(task: Task, items: Iterable, options: Options) -> Iterator[Any]:
    warm_up(options)
    for item in items:
        yield task(item, options)


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _stop(executor: ProcessPoolExecutor) -> None:
    """Terminate the workers at once instead of letting queued batches run to completion."""
    terminate = getattr(executor, "terminate_workers", None)  # Python >= 3.14
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.terminate()


def _scan_task(text: str, options: Options) -> Report:
    from .api import scan

    return scan(text, **options)


def pipe(
    texts: Iterable[str],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
    **scan_options: Any,
) -> Iterator[Report]:
    """Scan a stream of texts, yielding one :class:`Report` per text in input order.

    Like spaCy's ``nlp.pipe``: ``texts`` may be any iterable (a generator over a huge file is
    read lazily, a few batches ahead); ``n_process`` worker processes (``-1``: every core) each
    load the models once; ``scan_options`` are those of :func:`spindetect.scan`.

    >>> for report in spindetect.pipe(lines, n_process=4, threshold=0.9):  # doctest: +SKIP
    ...     print(report.verdict)
    """
    return ordered_map(
        _scan_task,
        texts,
        scan_options,
        workers=resolve_workers(n_process),
        batch_size=batch_size,
    )
