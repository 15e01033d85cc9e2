"""Scan texts in Dask collections, on one machine or a cluster (``pip install spindetect[dask]``).

>>> from dask.distributed import Client                       # doctest: +SKIP
>>> client = Client("tcp://scheduler:8786")                   # an existing cluster
>>> import json, dask.bag as db, spindetect.dask as sd
>>> records = db.read_text("crawl/*.jsonl").map(json.loads)
>>> sd.tag(records, field="body.text").map(json.dumps).to_textfiles("tagged/*.jsonl")
>>> clean_rows = sd.drop_spun(dataframe, field="text")        # a dask DataFrame

:func:`tag` and :func:`drop_spun` take a ``dask.bag.Bag`` of texts or of JSON-like records
(``field`` is then a dotted path, as in ``spindetect filter``) or a ``dask.dataframe.DataFrame``
(``field`` is the text column).  They are lazy, like every Dask operation.  Each worker process
loads the models once, on its first task (or at once with :func:`preload`), and keeps them.
A record or row without a string at ``field`` gets no verdict and is kept, never lost.

Dask is imported only when a function here runs; the base install does not need it.
"""

from __future__ import annotations

from typing import Any

from .api import scan
from .findings import Report
from .jsonfilter import TAG_KEY, FieldError, FilterSettings, get_field, tag_record
from .jsonfilter import tag as tag_object
from .pipeline import Options, warm_up

COLUMNS = ("verdict", "score", "words", "count")
PREFIX = "spindetect_"


def tag(
    collection: Any, field: str = "text", *, findings: bool = False, **scan_options: Any
) -> Any:
    """Add spindetect's judgement to every text of a bag or dataframe.

    A bag of strings becomes a bag of tag objects (``{"verdict", "score", "words", "count"}``,
    plus ``"findings"`` if asked); a bag of records becomes copies of the records with a
    ``spindetect`` tag, as ``spindetect filter --mode tag`` writes them; a dataframe gains the
    columns ``spindetect_verdict``, ``spindetect_score``, ``spindetect_words`` and
    ``spindetect_count``.  ``scan_options`` are those of :func:`spindetect.scan`.
    """
    settings = FilterSettings.parse(field, "tag", findings)
    if _is_frame(collection):
        meta = _tag_frame(collection._meta, field, scan_options)
        return collection.map_partitions(_tag_frame, field, scan_options, meta=meta)
    return collection.map_partitions(_tag_items, settings, scan_options)


def drop_spun(collection: Any, field: str = "text", **scan_options: Any) -> Any:
    """The same bag or dataframe without the texts judged spun (everything else unchanged)."""
    settings = FilterSettings.parse(field, "drop")
    if _is_frame(collection):
        return collection.map_partitions(_keep_frame, field, scan_options, meta=collection._meta)
    return collection.map_partitions(_keep_items, settings, scan_options)


def preload(client: Any, **scan_options: Any) -> None:
    """Load the models on every worker of a ``distributed`` client now, not on the first task."""
    client.run(warm_up, scan_options)


def _is_frame(collection: Any) -> bool:
    import dask.dataframe

    return isinstance(collection, dask.dataframe.DataFrame)


def _report(item: Any, settings: FilterSettings, options: Options) -> Report | None:
    """The report of a plain text, or of a record's field; None if there is no text."""
    try:
        text = item if isinstance(item, str) else get_field(item, settings.field)
    except FieldError:
        return None
    return scan(text, **options)


def _tag_items(items: list, settings: FilterSettings, options: Options) -> list:
    return [_tag_item(item, settings, options) for item in items]


def _tag_item(item: Any, settings: FilterSettings, options: Options) -> Any:
    if isinstance(item, str):
        return tag_object(scan(item, **options), settings.findings)
    if not isinstance(item, dict):
        raise TypeError(f"bag items must be texts or records (dicts), not {type(item).__name__}")
    try:
        text = get_field(item, settings.field)
    except FieldError as error:
        return {**item, TAG_KEY: {"verdict": None, "error": str(error)}}
    return tag_record(dict(item), settings, scan(text, **options), text)


def _keep_items(items: list, settings: FilterSettings, options: Options) -> list:
    return [item for item in items if not _is_spun(_report(item, settings, options))]


def _is_spun(report: Report | None) -> bool:
    return report is not None and report.is_spun


def _frame_reports(frame: Any, column: str, options: Options) -> list[Report | None]:
    return [scan(value, **options) if isinstance(value, str) else None for value in frame[column]]


def _tag_frame(frame: Any, column: str, options: Options) -> Any:
    import pandas as pd

    reports = _frame_reports(frame, column, options)
    values = {
        "verdict": pd.array([r.verdict if r else None for r in reports], dtype="string"),
        "score": pd.array([round(r.score, 4) if r else None for r in reports], dtype="Float64"),
        "words": pd.array([r.words if r else None for r in reports], dtype="Int64"),
        "count": pd.array([len(r.findings) if r else None for r in reports], dtype="Int64"),
    }
    return frame.assign(**{PREFIX + name: values[name] for name in COLUMNS})


def _keep_frame(frame: Any, column: str, options: Options) -> Any:
    spun = [_is_spun(report) for report in _frame_reports(frame, column, options)]
    return frame[[not flag for flag in spun]]
