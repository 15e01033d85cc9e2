"""Read a JSON record strictly, and edit its text in place, keeping every other byte.

:func:`loads_strict` accepts only valid JSON (no ``NaN``, no ``Infinity``, no number beyond a
double's range).  The editing functions work on the text of a record that it has accepted:
:func:`value_span` finds where the value at a dotted path is written, :func:`member_spans`
where each value of a top-level key is, :func:`splice` replaces spans, and
:func:`add_member` writes a member before the closing brace.  Numbers, escapes, spacing, key
order and repeated keys outside the edited values are left exactly as they were.  A repeated
key is resolved as :func:`json.loads` does: the last one counts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from itertools import islice
from json.decoder import WHITESPACE, scanstring
from typing import Any

JSON_SPACE = " \t\r\n"
Span = tuple[int, int]

_scan_value = json.JSONDecoder().scan_once  # C scanner, no Python callbacks: thread-safe


class StrictJSONError(ValueError):
    """Text that Python's :mod:`json` reads but that is not valid JSON (NaN, Infinity, 1e400)."""


def _no_constant(name: str) -> Any:
    raise StrictJSONError(f"{name} is not a JSON value")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise StrictJSONError(f"number {text} is beyond the range of a double")
    return value


def loads_strict(text: str) -> Any:
    """Decode ``text`` as strict JSON; :class:`StrictJSONError` for NaN, Infinity, 1e400."""
    return json.loads(text, parse_constant=_no_constant, parse_float=_finite)


def dumps_strict(value: Any, ascii_only: bool = False) -> str:
    """``value`` as one line of JSON; a non-finite number is a :class:`ValueError`."""
    return json.dumps(value, ensure_ascii=ascii_only, allow_nan=False)


def _skip(text: str, index: int) -> int:
    return WHITESPACE.match(text, index).end()


def _members(text: str, start: int) -> Iterator[tuple[str, int, int]]:
    """``(key, value start, value end)`` for each member of the object at ``text[start]``."""
    index = _skip(text, start + 1)
    if text[index] == "}":
        return
    while True:
        key, index = scanstring(text, index + 1)
        index = _skip(text, _skip(text, index) + 1)  # past the colon
        _, end = _scan_value(text, index)
        yield key, index, end
        index = _skip(text, end)
        if text[index] == "}":
            return
        index = _skip(text, index + 1)  # past the comma


def _elements(text: str, start: int) -> Iterator[Span]:
    """``(start, end)`` of each element of the array at ``text[start]``."""
    index = _skip(text, start + 1)
    if text[index] == "]":
        return
    while True:
        _, end = _scan_value(text, index)
        yield index, end
        index = _skip(text, end)
        if text[index] == "]":
            return
        index = _skip(text, index + 1)


def value_span(text: str, path: tuple[str, ...]) -> Span | None:
    """Where the value at ``path`` (keys, or array indexes as digits) is written in ``text``.

    Follows the same rules as reading the decoded record: an object's key first (the last
    of a repeated key), else an array's index.  None when there is no such value.
    """
    start = _skip(text, 0)
    end = len(text.rstrip(JSON_SPACE))
    for key in path:
        found: Span | None = None
        if text[start] == "{":
            for name, value_start, value_end in _members(text, start):
                if name == key:
                    found = value_start, value_end
        if found is None and text[start] == "[" and key.isdigit():
            found = next(islice(_elements(text, start), int(key), None), None)
        if found is None:
            return None
        start, end = found
    return start, end


def member_spans(text: str, key: str) -> list[Span]:
    """Where each value of ``key`` in the top-level object ``text`` is written."""
    start = _skip(text, 0)
    return [(begin, end) for name, begin, end in _members(text, start) if name == key]


def splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, replacement)`` span replaced; spans must not overlap."""
    parts, done = [], 0
    for start, end, replacement in sorted(edits):
        parts += [text[done:start], replacement]
        done = end
    parts.append(text[done:])
    return "".join(parts)


def add_member(text: str, key: str, value: str) -> str:
    """The top-level object ``text`` with ``"key": value`` written before its closing brace.

    ``value`` is JSON text.  Whatever follows the brace (a line end) is kept.
    """
    close = len(text.rstrip(JSON_SPACE)) - 1
    if text[close] != "}":
        raise ValueError("not a JSON object")
    empty = text[:close].rstrip(JSON_SPACE).endswith("{")
    member = f"{'' if empty else ', '}{json.dumps(key)}: {value}"
    return text[:close] + member + text[close:]
