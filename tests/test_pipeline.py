"""The thread pool and spindetect.pipe: input order, lazy bounded reading, options in workers."""

import threading
import time
from itertools import islice

import pytest

import spindetect
from conftest import CLEAN_SEEDS, SPUN_SEED
from spindetect.phrasebook import PhrasebookError
from spindetect.pipeline import ordered_map


def seed_texts():
    """Long and short texts of distinct lengths, so workers finish them out of order."""
    long = [path.read_text(encoding="utf-8") for path in [SPUN_SEED, *CLEAN_SEEDS]]
    short = [
        "It was the primary Chinese language protection minister to go to the 2 international "
        "locations.",
        "The two countries signed a deal.",
        "Officials said the talks would continue next week in the capital.",
        "Rain is expected.",
        "The minister met reporters after the long meeting and answered a few questions on trade.",
    ]
    return [text for pair in zip(long, short, strict=True) for text in pair]


def test_pipe_with_workers_returns_the_single_process_reports_in_input_order():
    texts = seed_texts()
    expected = [spindetect.scan(text) for text in texts]
    assert len({report.words for report in expected}) == len(texts)  # order is observable
    reports = list(spindetect.pipe(texts, n_process=2, batch_size=1))
    assert reports == expected
    assert [report.verdict for report in reports[:2]] == ["spun", "spun"]


def test_pipe_passes_scan_options_to_the_workers(tmp_path):
    spun = SPUN_SEED.read_text(encoding="utf-8")
    loose = list(spindetect.pipe([spun, spun], n_process=2, batch_size=1, threshold=0.5))
    assert loose == [spindetect.scan(spun, threshold=0.5)] * 2
    assert len(loose[0].findings) > len(spindetect.scan(spun).findings)

    book = tmp_path / "science.tsv"
    book.write_text("profound learning\tdeep learning\talways\tPPS pair\n", encoding="utf-8")
    texts = ["We train a profound learning model on images.", "A profound learning result."]
    reports = list(spindetect.pipe(texts, n_process=2, batch_size=1, phrasebooks=[book]))
    assert [[f.suggestion for f in r.findings] for r in reports] == [["deep learning"]] * 2


def test_a_bad_option_is_raised_in_the_caller_not_once_per_worker(tmp_path):
    book = tmp_path / "broken.tsv"
    book.write_text("only one cell\n", encoding="utf-8")
    for n_process in (1, 2):
        with pytest.raises(PhrasebookError, match=r"broken\.tsv:1"):
            list(spindetect.pipe(["some text"] * 4, n_process=n_process, phrasebooks=[book]))


def bounded_source(consumed: list[int], slack: int):
    """An endless stream of texts that fails if it is read more than ``slack`` items ahead."""
    number = 0
    while True:
        assert number - consumed[0] <= slack, f"read {number} items with {consumed[0]} consumed"
        yield f"Line {number} of an endless feed said the talks would continue."
        number += 1


@pytest.mark.parametrize(("n_process", "batch_size"), [(1, 8), (2, 3)])
def test_pipe_reads_its_input_lazily_one_batch_ahead(n_process, batch_size):
    consumed = [0]
    for report in islice(
        spindetect.pipe(
            bounded_source(consumed, batch_size), n_process=n_process, batch_size=batch_size
        ),
        40,
    ):
        assert report.verdict == "clean"
        consumed[0] += 1
    assert consumed[0] == 40


def _slow_words(text, options):
    """Words of ``text``, later for short texts: threads finish out of input order."""
    time.sleep(0.02 / len(text.split()))
    return len(text.split()), threading.current_thread().name


def test_ordered_map_runs_tasks_on_threads_and_keeps_input_order():
    items = [" ".join(["w"] * (1 + number % 7)) for number in range(40)]
    results = list(ordered_map(_slow_words, items, workers=3, batch_size=2))
    assert [count for count, _ in results] == [1 + number % 7 for number in range(40)]
    names = {name for _, name in results}
    assert len(names) > 1 and all(name.startswith("spindetect") for name in names)


@pytest.mark.parametrize(("workers", "batch_size"), [(1, 4), (2, 3)])
def test_ordered_map_reads_its_input_lazily_a_few_batches_ahead(workers, batch_size):
    consumed = [0]
    in_flight = 2 * workers if workers > 1 else 0
    slack = (in_flight + 1) * batch_size
    results = ordered_map(
        _slow_words, bounded_source(consumed, slack), workers=workers, batch_size=batch_size
    )
    for count, _ in islice(results, 40):
        assert count == 11  # "Line N of an endless feed said ..."
        consumed[0] += 1
    assert consumed[0] == 40


@pytest.mark.parametrize("workers", [1, 2])
def test_ordered_map_raises_a_task_error_in_the_caller(workers):
    results = ordered_map(_words_or_fail, ["one two", "three", "bad", "four"], workers=workers)
    assert next(results) == 2
    assert next(results) == 1
    with pytest.raises(ValueError, match="bad item"):
        next(results)


def test_ordered_map_raises_a_task_error_after_the_batches_before_it():
    items = ["one two", "three", "four five six", "bad", "seven"]
    results = ordered_map(_words_or_fail, items, workers=2, batch_size=1)
    assert [next(results) for _ in range(3)] == [2, 1, 3]
    with pytest.raises(ValueError, match="bad item"):
        next(results)


def _words_or_fail(text, options):
    if text == "bad":
        raise ValueError("bad item")
    return len(text.split())


def test_zero_workers_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        spindetect.pipe(["text"], n_process=0)
