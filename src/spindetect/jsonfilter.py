"""``spindetect filter``: tag, drop or clean the text field of JSON Lines records, streaming.

Each input line is one record.  :func:`filter_line` (run in the worker pool of
:mod:`spindetect.pipeline`) turns a line into a :class:`LineResult`; :func:`run_filter` reads
lines lazily, writes results in input order and counts them, so that always
``records in = kept + dropped + errors``.  Blank lines are not records: they are counted apart
and skipped.

Only valid JSON is read (``NaN``, ``Infinity`` or a number beyond a double's range make a bad
line) and written.  A record's bytes are kept: the tag is written before the closing brace
(key ``spindetect``: ``{"verdict", "score", "words", "count"}`` plus, when asked for,
``"findings"``, the finding objects of ``scan --format json`` with offsets into the field's
text as it was read); a record that already has a ``spindetect`` member gets its value
replaced where it stands (every one of them, if the key repeats), so filtering twice gives the
same line; ``clean`` mode also rewrites the field's value, and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, BinaryIO, Literal

from .errors import SpindetectError
from .findings import Report
from .jsonedit import add_member, dumps_strict, member_spans, splice, value_span
from .jsonl import LineError, is_blank, parse_line
from .pipeline import DEFAULT_BATCH_SIZE, Options, ordered_map
from .restore import apply_findings

TAG_KEY = "spindetect"
MODES = ("tag", "drop", "clean")
ON_ERROR = ("skip", "fail", "pass")
Status = Literal["kept", "dropped", "error", "blank"]

_JSON_TYPES = {
    type(None): "null",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    list: "an array",
    dict: "an object",
}


class FieldError(SpindetectError, ValueError):
    """A record without a string at the selected field; the message says what is there."""


class FilterStopped(Exception):
    """Raised by :func:`run_filter` at the first bad line under ``on_error="fail"``."""

    def __init__(self, counts: Counts) -> None:
        super().__init__(f"stopped at line {counts.line}, a bad line; {counts.summary()}")
        self.counts = counts


@dataclass(frozen=True)
class FilterSettings:
    """What to do with each record: the field's dotted path, the mode, whether to list findings."""

    field: tuple[str, ...] = ("text",)
    mode: str = "tag"
    findings: bool = False

    @classmethod
    def parse(cls, field: str, mode: str = "tag", findings: bool = False) -> FilterSettings:
        """Validate a dotted ``field`` path (``meta.body``; array items by index) and ``mode``.

        The field may not be inside the ``spindetect`` member: the tag replaces it.
        """
        path = tuple(field.split("."))
        if not field or not all(path):
            raise ValueError(f"bad field path {field!r}: expected names separated by dots")
        if path[0] == TAG_KEY:
            raise ValueError(f"bad field path {field!r}: the filter writes {TAG_KEY!r} itself")
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
        return cls(path, mode, findings)


@dataclass(frozen=True)
class LineResult:
    """One input line after filtering.

    ``output`` goes to the output (kept records), ``reject`` to the rejects file (a dropped
    record, tagged, or a bad line as it was read), ``message`` says why a line is bad.
    """

    number: int
    status: Status
    output: bytes | None = None
    reject: bytes | None = None
    message: str = ""
    spun: bool = False


@dataclass
class Counts:
    """The filter's summary; ``records == kept + dropped + errors`` always.

    ``line`` is the last input line accounted for (records and blank lines), ``written`` the
    lines written to the output and ``rejected`` those written to the rejects file.
    """

    records: int = 0
    kept: int = 0
    dropped: int = 0
    errors: int = 0
    spun: int = 0
    blank: int = 0
    line: int = 0
    written: int = 0
    rejected: int = 0

    def summary(self) -> str:
        """``records in N: kept K, dropped D, errors E (S judged spun)``."""
        text = (
            f"records in {self.records}: kept {self.kept}, dropped {self.dropped}, "
            f"errors {self.errors} ({self.spun} judged spun)"
        )
        if self.blank:
            text += f"; {self.blank} blank line{'s' * (self.blank != 1)} skipped"
        return text


def get_field(record: Any, path: tuple[str, ...]) -> str:
    """The string at ``path`` in a decoded JSON record; :class:`FieldError` if there is none."""
    value = record
    for depth, key in enumerate(path):
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            if depth == 0 and not isinstance(record, dict):
                raise FieldError(f"not a JSON object but {_type_name(record)}")
            raise FieldError(f"no field {'.'.join(path)!r}")
    if not isinstance(value, str):
        raise FieldError(f"field {'.'.join(path)!r} is {_type_name(value)}, not a string")
    return value


def set_field(record: Any, path: tuple[str, ...], value: str) -> None:
    """Replace the value at ``path`` (which :func:`get_field` has found) with ``value``."""
    parent = record
    for key in path[:-1]:
        parent = parent[int(key)] if isinstance(parent, list) else parent[key]
    if isinstance(parent, list):
        parent[int(path[-1])] = value
    else:
        parent[path[-1]] = value


def tag(report: Report, findings: bool = False) -> dict[str, Any]:
    """The ``spindetect`` object added to a record."""
    data = report.to_dict()
    listed = data.pop("findings")
    data["count"] = len(listed)
    if findings:
        data["findings"] = listed
    return data


def tag_record(record: dict, settings: FilterSettings, report: Report, text: str) -> dict:
    """A decoded ``record`` with its tag added (and, in ``clean`` mode, its field restored)."""
    if settings.mode == "clean":
        set_field(record, settings.field, apply_findings(text, report.findings))
    record[TAG_KEY] = tag(report, settings.findings)
    return record


def tag_line(line: str, record: dict, settings: FilterSettings, report: Report, text: str) -> str:
    """The record's ``line`` with its tag written in (and, in ``clean`` mode, its field
    restored); every other character is kept."""
    edits = []
    if settings.mode == "clean":
        cleaned = apply_findings(text, report.findings)
        if cleaned != text:
            span = value_span(line, settings.field)
            if span is None:  # get_field found it: value_span follows the same rules
                raise LookupError(f"field {'.'.join(settings.field)!r} not found in the line")
            start, end = span
            edits.append((start, end, dumps_strict(cleaned, line[start:end].isascii())))
    tagged = dumps_strict(tag(report, settings.findings))
    if TAG_KEY in record:
        edits += [(start, end, tagged) for start, end in member_spans(line, TAG_KEY)]
        return splice(line, edits)
    return add_member(splice(line, edits), TAG_KEY, tagged)


def read_record(line: bytes, path: tuple[str, ...]) -> tuple[str, dict, str]:
    """A line's text, its record and the string at ``path``; :class:`~spindetect.jsonl.LineError`
    or :class:`FieldError` says what is wrong."""
    source, record = parse_line(line)
    text = get_field(record, path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise FieldError(
            f"field {'.'.join(path)!r} holds an unpaired surrogate "
            f"(\\u{ord(text[error.start]):04x}) at character {error.start}: not Unicode text"
        ) from None
    return source, record, text


def filter_line(item: tuple[int, bytes], options: Options, settings: FilterSettings) -> LineResult:
    """Filter one line (``item`` is its 1-based number and its bytes); runs in a worker."""
    from .api import scan

    number, line = item
    if is_blank(line):
        return LineResult(number, "blank")
    try:
        source, record, text = read_record(line, settings.field)
    except (LineError, FieldError) as error:
        return _bad(number, line, str(error))
    try:
        report = scan(text, **options)
        if settings.mode == "drop" and not report.is_spun:
            return LineResult(number, "kept", output=_terminated(line))
        tagged = _terminated(tag_line(source, record, settings, report, text).encode("utf-8"))
    except Exception as error:  # one record must not stop a run of millions; it is reported
        return _bad(number, line, f"cannot scan: {type(error).__name__}: {error}")
    if settings.mode == "drop":
        return LineResult(number, "dropped", reject=tagged)
    return LineResult(number, "kept", output=tagged, spun=report.is_spun)


def _bad(number: int, line: bytes, message: str) -> LineResult:
    return LineResult(number, "error", reject=_terminated(line), message=message)


def _terminated(line: bytes) -> bytes:
    return line if line.endswith(b"\n") else line + b"\n"


def _type_name(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def run_filter(
    lines: Iterable[bytes],
    out: BinaryIO,
    settings: FilterSettings,
    options: Options,
    *,
    rejects: BinaryIO | None = None,
    on_error: str = "skip",
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    name: str = "<stdin>",
    report_error: Callable[[str], None] = lambda message: None,
    advance: Callable[[int], None] = lambda nbytes: None,
    counts: Counts | None = None,
) -> Counts:
    """Filter JSON Lines from ``lines`` to ``out``, in order, and return the counts.

    ``on_error`` says where a bad line goes: ``skip`` (to ``rejects`` if given), ``pass``
    (to ``out``, unchanged) or ``fail`` (stop: :class:`FilterStopped`).  Every bad line is
    reported as ``name:line: reason`` through ``report_error``; ``advance`` is called with
    the bytes read so far, for a progress bar.  Pass ``counts`` to follow them as they grow:
    after an interruption (Ctrl-C) they say how far the run went.
    """
    if on_error not in ON_ERROR:
        raise ValueError(f"unknown on-error policy {on_error!r}; choose {', '.join(ON_ERROR)}")
    counts = Counts() if counts is None else counts
    task = partial(filter_line, settings=settings)
    for result in ordered_map(
        task, _numbered(lines, advance), options, workers=workers, batch_size=batch_size
    ):
        _account(result, counts, out, rejects, on_error, f"{name}:{result.number}", report_error)
    return counts


def _account(
    result: LineResult,
    counts: Counts,
    out: BinaryIO,
    rejects: BinaryIO | None,
    on_error: str,
    where: str,
    report_error: Callable[[str], None],
) -> None:
    """Write one result where it goes and count it."""
    counts.line = result.number
    if result.status == "blank":
        counts.blank += 1
        return
    counts.records += 1
    if result.status == "kept":
        counts.kept += 1
        counts.spun += result.spun
        target = out
    elif result.status == "dropped":
        counts.dropped += 1
        counts.spun += 1
        target = rejects
    else:
        counts.errors += 1
        report_error(f"{where}: {result.message}")
        if on_error == "fail":
            raise FilterStopped(counts)
        target = out if on_error == "pass" else rejects
    if target is None:
        return
    target.write(result.output if result.status == "kept" else result.reject)
    if target is out:
        counts.written += 1
    else:
        counts.rejected += 1


def _numbered(
    lines: Iterable[bytes], advance: Callable[[int], None]
) -> Iterator[tuple[int, bytes]]:
    """Number the lines from 1, lazily, telling ``advance`` the bytes read so far."""
    nbytes = 0
    for number, line in enumerate(lines, start=1):
        nbytes += len(line)
        advance(nbytes)
        yield number, line
