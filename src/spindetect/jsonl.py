"""The one reader of JSON Lines: one record per line, blank lines skipped, errors naming the line.

:func:`parse_line` reads one line as strict JSON (:func:`~spindetect.jsonedit.loads_strict`:
no ``NaN``, no ``Infinity``, no number beyond a double's range) and says what is wrong with a
bad one in the words every reader uses (``not valid UTF-8 (byte 3)``, ``bad JSON (Expecting
value at column 7)``).  :func:`read_jsonl` reads a whole file with it and raises
:class:`JsonlError` as ``path:line: what is wrong``.  The filter (:mod:`spindetect.jsonfilter`)
parses each line with :func:`parse_line` too, and reports a bad line rather than stopping.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import SpindetectError
from .jsonedit import JSON_SPACE, loads_strict

_BLANK = JSON_SPACE.encode()
_UTF8_BOM = b"\xef\xbb\xbf"


class JsonlError(SpindetectError, ValueError):
    """A JSON Lines file that cannot be read: ``path:line: what is wrong`` (or ``path: ...``)."""


class LineError(ValueError):
    """One line that is not a JSON value; the message says what is wrong, not where."""


def is_blank(line: bytes) -> bool:
    """Whether ``line`` holds only JSON white space (a blank line is not a record)."""
    return not line.strip(_BLANK)


def parse_line(line: bytes) -> tuple[str, Any]:
    """The text of ``line`` and the JSON value it holds; :class:`LineError` if it is not one."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LineError(f"not valid UTF-8 (byte {error.start})") from None
    try:
        return text, loads_strict(text)
    except json.JSONDecodeError as error:
        raise LineError(f"bad JSON ({_where(error)})") from None
    except RecursionError:
        raise LineError("bad JSON (nested too deeply)") from None
    except ValueError as error:  # NaN, 1e400, or an integer of 5,000 digits
        raise LineError(f"bad JSON ({error})") from None


def _where(error: json.JSONDecodeError) -> str:
    """``Expecting value at column 7``; json's own message may already end in "at"."""
    joint = " " if error.msg.endswith(" at") else " at "
    return f"{error.msg}{joint}column {error.colno}"


def read_jsonl(path: str | Path) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` for each non-blank line of the file ``path`` (``-``: stdin).

    Lines end at ``\\n`` only (a JSON string may hold U+2028 as it is); a byte-order mark
    before the first line is skipped.  A file that cannot be read or a bad line raises
    :class:`JsonlError` naming the file and the line.
    """
    name = str(path)
    try:
        handle = sys.stdin.buffer if name == "-" else open(path, "rb")  # noqa: SIM115
    except OSError as error:
        raise JsonlError(f"{name}: cannot read: {error.strerror or error}") from None
    try:
        for number, line in enumerate(handle, start=1):
            if number == 1:
                line = line.removeprefix(_UTF8_BOM)
            if is_blank(line):
                continue
            try:
                _, value = parse_line(line)
            except LineError as error:
                raise JsonlError(f"{name}:{number}: {error}") from None
            yield number, value
    except OSError as error:
        raise JsonlError(f"{name}: cannot read: {error.strerror or error}") from None
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()
