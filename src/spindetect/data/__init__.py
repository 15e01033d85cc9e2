"""Runtime data files (the reversed thesaurus and the curated phrasebook; see corpus/README.md)."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).parent


def candidate_tables(exclude: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The bundled candidate tables as (source name, path), in the order the core merges them,
    without the sources named in ``exclude``."""
    tables = [("moby", data_path("thesaurus.table"))]
    return [(name, str(path)) for name, path in tables if name not in exclude]


def data_path(name: str) -> Path:
    """Filesystem path of a bundled data file (the package is always installed as files: its
    data is memory-mapped and read by path)."""
    return FOLDER / name
