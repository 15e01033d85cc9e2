"""Report text written a little at a time and read back once, in memory while it is short and
in a temporary file beyond that, so the report of a long document never sits in memory whole."""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from typing import IO

MEMORY_BYTES = 1 << 20  # a spool moves to a temporary file beyond this many bytes
READ_BYTES = 1 << 16  # read back this many bytes at a time


class Spool:
    """Text appended by :meth:`write` and read back in order by :meth:`chunks`.

    A spool pickles by value (a worker process's report travels to the parent as bytes).
    """

    def __init__(self) -> None:
        self._file = _new_file()

    def write(self, text: str) -> None:
        """Append ``text`` (lone surrogates, from file names that are not UTF-8, pass through)."""
        self._file.write(text.encode("utf-8", "surrogateescape"))

    def chunks(self) -> Iterator[str]:
        """The text written, in order, in pieces of about :data:`READ_BYTES` that end at a line
        break where there is one (so no line is split between two writes to a terminal)."""
        self._file.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        held = ""
        while block := self._file.read(READ_BYTES):
            text = held + decoder.decode(block)
            cut = text.rfind("\n") + 1 or len(text)
            held = text[cut:]
            if cut:
                yield text[:cut]
        if held:
            yield held

    def __getstate__(self) -> bytes:
        self._file.seek(0)
        return self._file.read()

    def __setstate__(self, data: bytes) -> None:
        self._file = _new_file()
        self._file.write(data)


def _new_file() -> IO[bytes]:
    import tempfile  # on first use: ``spindetect --help`` needs no spool

    return tempfile.SpooledTemporaryFile(max_size=MEMORY_BYTES)


def output_chunks(output: Iterable[str | Spool]) -> Iterator[str]:
    """The text of a report made of strings and spools, in order."""
    for part in output:
        if isinstance(part, Spool):
            yield from part.chunks()
        elif part:
            yield part
