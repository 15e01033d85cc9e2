"""The reversed thesaurus: for a word we observe, the originals a spinner may have replaced.

Data file ``thesaurus_reverse.tsv.gz`` (built by ``scripts/build_thesaurus.py`` from the Moby
thesaurus and ``lemminflect``): gzip, UTF-8, one line per observed surface form,
``observed<TAB>candidate<TAB>closeness<TAB>candidate<TAB>closeness...``, best candidate first;
closeness in [0, 1] is the overlap of the two words' Moby lists (see the build script).
Lines are split only when a word is looked up, so loading is one decompression and one dict
build.
"""

from __future__ import annotations

import gzip
from functools import cached_property, lru_cache
from pathlib import Path

from .data import data_path


class ReverseThesaurus:
    """Observed form -> candidate originals (surface forms) with their closeness, best first."""

    def __init__(self, rows: dict[str, str]) -> None:
        self._rows = rows
        self._split: dict[str, tuple[tuple[tuple[str, ...], float], ...]] = {}
        self.max_words = max((key.count(" ") + 1 for key in rows), default=1)

    @cached_property
    def prefixes(self) -> frozenset[str]:
        """Every proper word prefix of the multi-word observed forms ("in the" of "in the past")."""
        found = set()
        for key in self._rows:
            words = key.split(" ")
            for length in range(1, len(words)):
                found.add(" ".join(words[:length]))
        return frozenset(found)

    def __contains__(self, observed: str) -> bool:
        return observed in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def observed_forms(self) -> list[str]:
        """Every observed form the index holds."""
        return list(self._rows)

    def candidates(self, observed: str) -> tuple[tuple[tuple[str, ...], float], ...]:
        """``(original words, closeness)`` pairs for ``observed`` (lower-cased, space-joined)."""
        cached = self._split.get(observed)
        if cached is None:
            if observed not in self._rows:
                return ()
            cells = self._rows[observed].split("\t")
            cached = tuple(
                (tuple(cells[i].split(" ")), float(cells[i + 1]))
                for i in range(0, len(cells) - 1, 2)
            )
            self._split[observed] = cached
        return cached

    @classmethod
    def from_file(cls, path: str | Path) -> ReverseThesaurus:
        """Load a reversed-thesaurus file in the format above."""
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            rows = dict(line.rstrip("\n").split("\t", 1) for line in handle if "\t" in line)
        return cls(rows)


@lru_cache(maxsize=1)
def default_thesaurus() -> ReverseThesaurus:
    """The bundled reversed Moby thesaurus, loaded once per process."""
    return ReverseThesaurus.from_file(data_path("thesaurus_reverse.tsv.gz"))
