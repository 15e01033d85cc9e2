"""Runtime data files (the reversed thesaurus and the curated phrasebook; see corpus/README.md)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def data_path(name: str) -> Path:
    """Filesystem path of a bundled data file."""
    return Path(str(files(__name__) / name))
