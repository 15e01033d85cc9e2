"""Runtime data files (the reversed thesaurus and the curated phrasebook; see corpus/README.md)."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).parent


def data_path(name: str) -> Path:
    """Filesystem path of a bundled data file (the package is always installed as files: its
    data is memory-mapped and read by path)."""
    return FOLDER / name
