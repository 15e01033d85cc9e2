"""The reversed thesaurus: for a word we observe, the originals a spinner may have replaced.

Data file ``thesaurus_reverse.tsv.gz`` (built by ``scripts/build_thesaurus.py`` from the Moby
thesaurus and ``lemminflect``): gzip, UTF-8, one line per observed surface form,
``observed<TAB>candidate<TAB>closeness<TAB>candidate<TAB>closeness...``, best candidate first;
closeness in [0, 1] is the overlap of the two words' Moby lists (see the build script).

Parsing its 16 MB of text takes a quarter of a second, so the parsed index is kept in the cache
folder (:mod:`.cache`), keyed by the data file's size and modification time; later processes
read the observed forms from that copy and memory-map the candidate lists (see
:meth:`ReverseThesaurus.save`).  If the folder cannot be written the data file is parsed in
every process.  Either way a candidate list is split only when its word is looked up.
"""

from __future__ import annotations

import contextlib
import gzip
import marshal
import mmap
import os
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Protocol

from .atomic import write_atomically
from .cache import cache_folder, cache_key
from .data import data_path

Candidates = tuple[tuple[tuple[str, ...], float], ...]
SAVED_FORMAT = 1  # bump when ReverseThesaurus.save changes
SAVED_MAGIC = f"spindetect reversed thesaurus, format {SAVED_FORMAT}\n".encode()


class Rows(Protocol):
    """Row ``i``: the candidate cells of observed form ``i`` (``candidate<TAB>closeness...``)."""

    def __getitem__(self, index: int, /) -> str: ...


class ReverseThesaurus:
    """Observed form -> candidate originals (surface forms) with their closeness, best first."""

    def __init__(
        self,
        forms: Sequence[str],
        rows: Rows,
        *,
        max_words: int | None = None,
        prefixes: frozenset[str] | None = None,
    ) -> None:
        """``forms``: the observed forms, sorted; ``rows[i]``: the candidate cells of
        ``forms[i]`` (``candidate<TAB>closeness...``).  ``max_words`` and ``prefixes`` are
        computed from ``forms`` unless given (a cached copy stores them)."""
        self._forms = forms
        self._known = frozenset(forms)
        self._rows = rows
        self._split: dict[str, Candidates] = {}
        self.max_words = max_words if max_words is not None else longest_form(forms)
        self.prefixes = prefixes if prefixes is not None else word_prefixes(forms)
        """Every proper word prefix of the multi-word observed forms ("in the" of "in the
        past")."""

    @classmethod
    def from_rows(cls, rows: dict[str, str]) -> ReverseThesaurus:
        """An index of ``observed form -> "candidate<TAB>closeness..."``."""
        forms = sorted(rows)
        return cls(forms, [rows[form] for form in forms])

    def __contains__(self, observed: str) -> bool:
        return observed in self._known

    def __len__(self) -> int:
        return len(self._forms)

    def observed_forms(self) -> list[str]:
        """Every observed form the index holds, sorted."""
        return list(self._forms)

    def candidates(self, observed: str) -> Candidates:
        """``(original words, closeness)`` pairs for ``observed`` (lower-cased, space-joined)."""
        cached = self._split.get(observed)
        if cached is None:
            if observed not in self._known:
                return ()
            cells = self._rows[bisect_left(self._forms, observed)].split("\t")
            cached = tuple(
                (tuple(cells[i].split(" ")), float(cells[i + 1]))
                for i in range(0, len(cells) - 1, 2)
            )
            self._split[observed] = cached
        return cached

    @classmethod
    def from_file(cls, path: str | Path) -> ReverseThesaurus:
        """Parse a reversed-thesaurus file in the format above (the last line wins for a form
        listed twice)."""
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            lines = handle.read().split("\n")
        return cls.from_rows(dict(line.split("\t", 1) for line in lines if "\t" in line))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write a copy that :meth:`load` reads back fast (atomically; :class:`OSError` if the
        folder cannot be written).

        Layout: :data:`SAVED_MAGIC`; the header's length (8 bytes, little-endian); the header,
        a :mod:`marshal` tuple of plain data ``(max_words, forms, prefixes, offsets)``, the
        observed forms (sorted) and the prefixes each joined with newlines and ``offsets``
        ``len(forms) + 1`` native unsigned 64-bit integers; then the body: every form's
        candidate cells, UTF-8, back to back, form ``i``'s at ``offsets[i]:offsets[i + 1]``.
        """
        encoded = [self._rows[i].encode("utf-8") for i in range(len(self._forms))]
        offsets = array("Q", accumulate((len(row) for row in encoded), initial=0))
        header = marshal.dumps(
            (
                self.max_words,
                "\n".join(self._forms),
                "\n".join(sorted(self.prefixes)),
                offsets.tobytes(),
            )
        )
        write_atomically(path, [SAVED_MAGIC, len(header).to_bytes(8, "little"), header, *encoded])

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ReverseThesaurus:
        """Open a copy written by :meth:`save`: the forms are read, the rows memory-mapped.

        Raises :class:`OSError` if it cannot be read, :class:`ValueError` if it is not such a
        copy or is damaged."""
        with open(path, "rb") as handle:
            if handle.read(len(SAVED_MAGIC)) != SAVED_MAGIC:
                raise ValueError(f"{path}: not a saved reversed thesaurus")
            size = int.from_bytes(handle.read(8), "little")
            try:
                header = marshal.loads(handle.read(size))
            except (EOFError, TypeError) as error:
                raise ValueError(f"{path}: damaged header") from error
            body = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        start = len(SAVED_MAGIC) + 8 + size
        if not (
            isinstance(header, tuple)
            and len(header) == 4
            and isinstance(header[0], int)
            and all(isinstance(part, str) for part in header[1:3])
            and isinstance(header[3], bytes)
        ):
            raise ValueError(f"{path}: damaged header")
        max_words, forms_text, prefixes_text, offsets_bytes = header
        forms = forms_text.split("\n") if forms_text else []
        offsets = array("Q")
        offsets.frombytes(offsets_bytes)
        if len(offsets) != len(forms) + 1 or start + offsets[-1] != len(body):
            raise ValueError(f"{path}: damaged or truncated")
        prefixes = frozenset(prefixes_text.split("\n") if prefixes_text else ())
        return cls(forms, _MappedRows(body, start, offsets), max_words=max_words, prefixes=prefixes)


class _MappedRows:
    """The rows of a saved copy, each decoded when asked for from the memory-mapped body."""

    def __init__(self, body: mmap.mmap, start: int, offsets: array) -> None:
        self._body = body
        self._start = start
        self._offsets = offsets

    def __getitem__(self, index: int, /) -> str:
        if not 0 <= index < len(self._offsets) - 1:
            raise IndexError(index)
        first, last = self._offsets[index], self._offsets[index + 1]
        return self._body[self._start + first : self._start + last].decode("utf-8")


def longest_form(forms: Sequence[str]) -> int:
    """The most words in one observed form (1 for an empty index)."""
    return max((form.count(" ") + 1 for form in forms), default=1)


def word_prefixes(forms: Sequence[str]) -> frozenset[str]:
    """Every proper word prefix of the multi-word forms ("in the" of "in the past")."""
    found = set()
    for form in forms:
        words = form.split(" ")
        for length in range(1, len(words)):
            found.add(" ".join(words[:length]))
    return frozenset(found)


def load_thesaurus(path: str | Path) -> ReverseThesaurus:
    """The thesaurus in ``path``, from the cache folder when a current copy is there."""
    copy = cache_folder() / f"thesaurus-v{SAVED_FORMAT}-{cache_key(path)}.bin"
    with contextlib.suppress(OSError, ValueError):
        return ReverseThesaurus.load(copy)
    thesaurus = ReverseThesaurus.from_file(path)
    with contextlib.suppress(OSError):  # read-only home, full disk: parse in every process
        thesaurus.save(copy)
    return thesaurus


@lru_cache(maxsize=1)
def default_thesaurus() -> ReverseThesaurus:
    """The bundled reversed Moby thesaurus, loaded once per process."""
    return load_thesaurus(data_path("thesaurus_reverse.tsv.gz"))
