"""The reversed thesaurus: for a word we observe, the originals a spinner may have replaced.

Source ``corpus/thesaurus_reverse.tsv.gz`` (built by ``scripts/build_thesaurus.py`` from the
Moby thesaurus and ``lemminflect``): gzip, UTF-8, one line per observed surface form,
``observed<TAB>candidate<TAB>closeness<TAB>candidate<TAB>closeness...``, best candidate first;
closeness in [0, 1] is the overlap of the two words' Moby lists (see the build script).

The package ships it as ``data/thesaurus.table``, the compiled core's memory-mapped table
(format in ``rust/engine/src/thesaurus/table.rs``), made by :func:`build_table`.  The detector
reads the table inside the core; this module opens the same table for Python's tools
(simulation, evaluation, source matching).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .data import data_path

TABLE = "thesaurus.table"
Candidates = tuple[tuple[tuple[str, ...], float], ...]


class ReverseThesaurus:
    """Observed form -> candidate originals (word tuples) with their closeness, best first."""

    def __init__(self, path: str | Path) -> None:
        from ._core import Thesaurus

        self.path = Path(path)
        self._table = Thesaurus(self.path)

    def __contains__(self, observed: str) -> bool:
        return observed in self._table

    def __len__(self) -> int:
        return len(self._table)

    @property
    def max_words(self) -> int:
        """Words in the longest observed form."""
        return self._table.max_words

    def observed_forms(self) -> list[str]:
        """Every observed form the table holds, sorted."""
        return self._table.observed_forms()

    def candidates(self, observed: str) -> Candidates:
        """``(original words, closeness)`` pairs for ``observed`` (lower-cased, space-joined)."""
        return tuple(
            (tuple(words), closeness) for words, closeness in self._table.candidates(observed)
        )

    def is_prefix(self, phrase: str) -> bool:
        """True when a longer observed form starts with the words of ``phrase``."""
        return self._table.is_prefix(phrase)


def build_table(source: str | Path, output: str | Path) -> None:
    """Write the core's table for a reversed-thesaurus ``.tsv.gz`` (atomically)."""
    from ._core import build_thesaurus_table

    build_thesaurus_table(Path(source), Path(output))


@lru_cache(maxsize=1)
def default_thesaurus() -> ReverseThesaurus:
    """The bundled reversed thesaurus, opened once per process."""
    return ReverseThesaurus(data_path(TABLE))
