"""Runtime data files (the reversed thesaurus and the curated phrasebook; see corpus/README.md)."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).parent


# The candidate sources scripts/build_candidates.py builds into corpus/candidates of a source
# checkout (not shipped: the bundled source is "moby", the reversed Moby table the shipped models
# are calibrated on).
BUILT_FOLDER = FOLDER.resolve().parents[2] / "corpus" / "candidates"
BUILT_SOURCES = ("moby-both", "mythes", "wordnet", "glove", "function", "forms")


def candidate_tables(sources: tuple[str, ...] = ("moby",)) -> list[tuple[str, str]]:
    """The candidate tables of ``sources`` as (source name, path), in that order. A source that
    is neither bundled nor built raises :class:`FileNotFoundError` saying how to build it."""
    tables = []
    for name in sources:
        if name == "moby":
            path = data_path("thesaurus.table")
        else:
            path = BUILT_FOLDER / f"{name}.table"
            if not path.is_file():
                known = ", ".join(("moby", *BUILT_SOURCES))
                raise FileNotFoundError(
                    f"candidate source {name!r}: {path} not found (sources: {known}; build "
                    f"them with python scripts/build_candidates.py --only {name})"
                )
        tables.append((name, str(path)))
    return tables


def data_path(name: str) -> Path:
    """Filesystem path of a bundled data file (the package is always installed as files: its
    data is memory-mapped and read by path)."""
    return FOLDER / name
