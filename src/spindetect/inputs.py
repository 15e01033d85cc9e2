"""Reading user input: paths to documents, and documents to text, with one-line errors."""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_GLOBS = ("*.txt", "*.md")
STDIN_NAME = "-"
_BINARY_SAMPLE = 8192


class InputError(Exception):
    """A problem with one input, worded for the user (``path: what is wrong``)."""


@dataclass(frozen=True)
class Document:
    """A decoded input: its name, its text, and warnings raised while reading it."""

    path: str
    text: str
    warnings: tuple[str, ...] = ()
    bom: bytes = b""  # a UTF-8 byte-order mark the input started with, written back by clean


def expand_paths(paths: list[str], globs: tuple[str, ...] = DEFAULT_GLOBS) -> Iterator[str]:
    """Files named by ``paths``: files as given, folders searched recursively for ``globs``.

    Raises :class:`InputError` for a missing path or a folder with no matching file.
    """
    for raw in paths:
        if raw == STDIN_NAME:
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            matches = sorted(
                found
                for found in path.rglob("*")
                if found.is_file()
                and any(fnmatch.fnmatch(found.name, pattern) for pattern in globs)
            )
            if not matches:
                raise InputError(f"{raw}: no files matching {', '.join(globs)} in this directory")
            yield from (str(found) for found in matches)
        elif path.exists():
            yield raw
        else:
            raise InputError(f"{raw}: no such file or directory")


def decode(data: bytes, name: str) -> Document:
    """Decode bytes as UTF-8; binary data and empty input raise :class:`InputError`.

    Invalid UTF-8 is decoded with U+FFFD replacements and a warning, never silently.
    """
    if not data.strip():
        raise InputError(f"{name}: empty input, nothing to scan")
    if b"\x00" in data[:_BINARY_SAMPLE]:
        raise InputError(f"{name}: binary file (contains NUL bytes), not text")
    bom = b""
    if data.startswith(b"\xef\xbb\xbf"):
        bom, data = data[:3], data[3:]
    try:
        return Document(name, data.decode("utf-8"), bom=bom)
    except UnicodeDecodeError as error:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        return Document(
            name,
            text,
            bom=bom,
            warnings=(
                f"{name}: invalid UTF-8 at byte {error.start}; decoded with {bad} replacement "
                f"character(s) (U+FFFD), offsets refer to the decoded text",
            ),
        )


def read_document(path: str) -> Document:
    """Read one file (or standard input for ``-``) into a :class:`Document`."""
    try:
        if path == STDIN_NAME:
            data = sys.stdin.buffer.read()
            return decode(data, "<stdin>")
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    return decode(data, path)
