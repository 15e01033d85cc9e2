"""NFC normalisation that remembers where each part of the text came from.

The detector matches words in NFC (composed) form: "e" followed by U+0301 COMBINING ACUTE
ACCENT is the word "é" there, as the composed U+00E9 is.  :func:`nfc_with_offsets` gives the
normalised text and an :class:`OffsetMap` that takes a span of it back to the original text, so
findings still point at the characters the user wrote.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise


@dataclass(frozen=True)
class OffsetMap:
    """Offsets of a normalised text mapped to the text it was normalised from.

    The text is cut into segments that normalise independently; ``changed`` lists the segments
    whose normalisation differs from the original, as ``(normalised start, normalised end,
    original start, original end)``, in order.  Offsets outside them shift by the difference
    in length of the changed segments before them; an offset strictly inside one maps to its
    start (:meth:`start`) or its end (:meth:`end`), so a span never cuts a character apart.
    """

    changed: tuple[tuple[int, int, int, int], ...] = ()

    @property
    def identity(self) -> bool:
        """True when the normalised text is the original itself."""
        return not self.changed

    def start(self, offset: int) -> int:
        """Where a span starting at ``offset`` in the normalised text starts in the original."""
        return self._map(offset, at_end=False)

    def end(self, offset: int) -> int:
        """Where a span ending at ``offset`` in the normalised text ends in the original."""
        return self._map(offset, at_end=True)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalised span ``[start, end)``."""
        return self.start(start), self.end(end)

    def _map(self, offset: int, at_end: bool) -> int:
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return offset
        norm_start, norm_end, orig_start, orig_end = self.changed[index]
        if offset >= norm_end:
            return offset - norm_end + orig_end
        if offset == norm_start:
            return orig_start
        return orig_end if at_end else orig_start

    @cached_property
    def _starts(self) -> list[int]:
        return [segment[0] for segment in self.changed]


def nfc_with_offsets(text: str) -> tuple[str, OffsetMap]:
    """``text`` in NFC and the map from offsets of the result back to offsets into ``text``.

    Text already in NFC (nearly all text) is returned as is, with an identity map.
    """
    if unicodedata.is_normalized("NFC", text):
        return text, OffsetMap()
    pieces: list[str] = []
    changed: list[tuple[int, int, int, int]] = []
    done = 0  # length of the normalised text so far
    for start, end in _segments(text):
        original = text[start:end]
        normalised = unicodedata.normalize("NFC", original)
        if normalised != original:
            changed.append((done, done + len(normalised), start, end))
        pieces.append(normalised)
        done += len(normalised)
    result = "".join(pieces)
    if result != unicodedata.normalize("NFC", text):  # pragma: no cover - a missed interaction
        whole = unicodedata.normalize("NFC", text)
        return whole, OffsetMap(((0, len(whole), 0, len(text)),))
    return result, OffsetMap(tuple(changed))


def _segments(text: str) -> list[tuple[int, int]]:
    """Consecutive spans of ``text`` that normalise independently of their neighbours.

    A span starts at a starter (canonical combining class 0) whose own decomposition starts
    with a starter and which does not compose with the span before it: nothing before it can
    then reorder or compose with it or with what follows it.
    """
    bounds = [0]
    for index in range(1, len(text)):
        if _starts_segment(text[bounds[-1] : index], text[index]):
            bounds.append(index)
    bounds.append(len(text))
    return list(pairwise(bounds))


def _starts_segment(before: str, char: str) -> bool:
    """Whether ``char`` normalises independently of the open span ``before`` it."""
    if char.isascii() and before[-1].isascii():
        return True
    if unicodedata.combining(char) or unicodedata.combining(unicodedata.normalize("NFD", char)[0]):
        return False
    joined = unicodedata.normalize("NFC", before + char)
    return joined == unicodedata.normalize("NFC", before) + unicodedata.normalize("NFC", char)
