"""Reading user input: paths to documents, and documents to text, with one-line errors.

A file is checked once when it is opened (empty, binary, invalid UTF-8) and its text is decoded
again part by part whenever it is read, so a long file is never held whole in memory; standard
input, which cannot be read twice, is held.  Either way the text is exactly what decoding the
whole input at once gives.
"""

from __future__ import annotations

import codecs
import fnmatch
import itertools
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO

from .errors import SpindetectError

DEFAULT_GLOBS = ("*.txt", "*.md")
STDIN_NAME = "-"
BLOCK_BYTES = 1 << 16  # a file is read and decoded this many bytes at a time
_BINARY_SAMPLE = 8192
_BOM = "\ufeff"
_UTF8_BOM = _BOM.encode("utf-8")


class InputError(SpindetectError):
    """A problem with one input, worded for the user (``path: what is wrong``)."""


@dataclass(frozen=True)
class Document:
    """A checked input: its name, warnings raised while reading it, a UTF-8 byte-order mark it
    started with (written back by clean), and its text: ``held`` in memory, or decoded again
    from ``file`` each time it is read (:meth:`parts`)."""

    path: str
    warnings: tuple[str, ...] = ()
    bom: bytes = b""
    held: str | None = None
    file: str | None = None
    stamp: tuple[int, int, int] = (0, 0, 0)  # the checked file's inode, size and mtime (ns)

    def parts(self) -> Iterator[str]:
        """The text in consecutive parts (about :data:`BLOCK_BYTES` each when read from a file).

        Raises :class:`InputError` if the file can no longer be read, or is no longer the file
        that was checked (replaced or edited since).
        """
        if self.file is None:
            yield self.held or ""
            return
        try:
            with open(self.file, "rb") as handle:
                if _stamp(os.fstat(handle.fileno())) != self.stamp:
                    raise InputError(f"{self.path}: changed since it was checked; run again")
                yield from _decoded(_blocks(handle))
        except OSError as error:
            raise InputError(f"{self.path}: cannot read: {error.strerror or error}") from None

    @property
    def text(self) -> str:
        """The whole text (read from the file if it is not held)."""
        return self.held if self.held is not None else "".join(self.parts())

    def loaded(self) -> Document:
        """The same document with its text held (before its file is overwritten)."""
        return replace(self, held=self.text, file=None)


def expand_paths(paths: list[str], globs: tuple[str, ...] = DEFAULT_GLOBS) -> Iterator[str]:
    """Files named by ``paths``: files as given, folders searched recursively for ``globs``.

    Raises :class:`InputError` for the first path that cannot be used (see :func:`walk_paths`).
    """
    for item in walk_paths(paths, globs):
        if isinstance(item, InputError):
            raise item
        yield item


def walk_paths(
    paths: Iterable[str], globs: tuple[str, ...] = DEFAULT_GLOBS
) -> Iterator[str | InputError]:
    """Files named by ``paths``, each folder searched recursively for ``globs``, in sorted order;
    every path that cannot be used is an :class:`InputError` in its place, the others still come.

    Errors: a missing path, a folder (or subfolder) that cannot be read, a folder with no
    matching file.  Symbolic links to files are followed, to folders not (no cycles).
    """
    for raw in paths:
        if raw == STDIN_NAME:
            yield raw
            continue
        try:
            is_folder = stat.S_ISDIR(os.stat(raw).st_mode)
        except FileNotFoundError:
            yield InputError(f"{raw}: no such file or directory")
            continue
        except OSError as error:
            yield InputError(f"{raw}: cannot read: {error.strerror or error}")
            continue
        if not is_folder:
            yield raw
            continue
        found = False  # a file, or an error that says why none came
        for item in _walk(raw, globs):
            found = True
            yield item
        if not found:
            yield InputError(f"{raw}: no files matching {', '.join(globs)} in this directory")


def _walk(folder: str, globs: tuple[str, ...]) -> Iterator[str | InputError]:
    """Matching files under ``folder`` in the order of their sorted paths; a folder that
    cannot be listed is an :class:`InputError` ("cannot read folder")."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        yield InputError(f"{folder}: cannot read folder: {error.strerror or error}")
        return
    for entry in entries:
        path = os.path.join(folder, entry.name)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path, globs)
        elif entry.is_file() and any(fnmatch.fnmatch(entry.name, glob) for glob in globs):
            yield path


def decode(data: bytes, name: str) -> Document:
    """Decode bytes as UTF-8 into a held document; binary data and empty input raise
    :class:`InputError`.

    Invalid UTF-8 is decoded with U+FFFD replacements and a warning, never silently.
    """
    warnings, bom = check([data], name)
    return Document(name, warnings, bom, held="".join(_decoded([data])))


def read_document(path: str) -> Document:
    """Check one file (or read standard input, for ``-``) into a :class:`Document`; a regular
    file's text is decoded when it is read.  Anything that cannot be read twice (standard
    input, a pipe, a FIFO, ``<(process substitution)``) is held in memory."""
    try:
        if path == STDIN_NAME:
            return decode(sys.stdin.buffer.read(), "<stdin>")
        with open(path, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                return decode(handle.read(), path)
            warnings, bom = check(_blocks(handle), path)
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    return Document(path, warnings, bom, file=path, stamp=_stamp(status))


def _stamp(status: os.stat_result) -> tuple[int, int, int]:
    return status.st_ino, status.st_size, status.st_mtime_ns


def check(blocks: Iterable[bytes], name: str) -> tuple[tuple[str, ...], bytes]:
    """The warnings and the byte-order mark of an input given as consecutive byte blocks.

    Raises :class:`InputError` for empty input (only whitespace) or binary data (a NUL byte in
    the first 8 KiB).  Invalid UTF-8 is a warning naming the first bad byte (counted after any
    byte-order mark) and the number of U+FFFD in the decoded text.
    """
    inspection = _Inspection(name)
    replacements = 0
    bom = b""
    for number, part in enumerate(_decoded(inspection.watch(blocks), keep_bom=True)):
        if number == 0 and part.startswith(_BOM):
            bom = _UTF8_BOM
        replacements += part.count("\ufffd")
    inspection.finish()
    if inspection.error_at is None:
        return (), bom
    return (
        f"{name}: invalid UTF-8 at byte {inspection.error_at - len(bom)}; decoded with "
        f"{replacements} replacement character(s) (U+FFFD), offsets refer to the decoded text",
    ), bom


class _Inspection:
    """Watches the raw bytes of an input go by: content other than whitespace, a NUL in the
    first 8 KiB, and the position of the first byte that is not valid UTF-8."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.error_at: int | None = None
        self._content = False
        self._seen = 0
        self._strict: codecs.IncrementalDecoder | None = codecs.getincrementaldecoder("utf-8")()

    def watch(self, blocks: Iterable[bytes]) -> Iterator[bytes]:
        """Pass the blocks on, inspecting each; raises :class:`InputError` for binary data."""
        for block in blocks:
            if self._seen < _BINARY_SAMPLE and b"\x00" in block[: _BINARY_SAMPLE - self._seen]:
                raise InputError(f"{self.name}: binary file (contains NUL bytes), not text")
            self._content = self._content or bool(block.strip())
            self._validate(block, final=False)
            self._seen += len(block)
            yield block
        self._validate(b"", final=True)

    def finish(self) -> None:
        """After the last block: raises :class:`InputError` for an input of only whitespace."""
        if not self._content:
            raise InputError(f"{self.name}: empty input, nothing to scan")

    def _validate(self, block: bytes, final: bool) -> None:
        if self._strict is None:
            return
        pending = len(self._strict.getstate()[0])  # bytes of a character cut by the last block
        try:
            self._strict.decode(block, final)
        except UnicodeDecodeError as error:  # error.start counts from the pending bytes
            self.error_at = self._seen - pending + error.start
            self._strict = None


def _blocks(handle: BinaryIO) -> Iterator[bytes]:
    while block := handle.read(BLOCK_BYTES):
        yield block


def _decoded(blocks: Iterable[bytes], keep_bom: bool = False) -> Iterator[str]:
    """UTF-8 text of consecutive byte blocks, invalid bytes replaced by U+FFFD exactly as in a
    decode of their concatenation; a leading byte-order mark is dropped unless ``keep_bom``."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    parts = itertools.chain((decoder.decode(block) for block in blocks), _last(decoder))
    first = True
    for part in parts:
        if first and part:
            first = False
            part = part if keep_bom else part.removeprefix(_BOM)
        if part:
            yield part


def _last(decoder: codecs.IncrementalDecoder) -> Iterator[str]:
    """What the decoder still holds at the end of the input (a cut character: U+FFFD)."""
    yield decoder.decode(b"", final=True)
