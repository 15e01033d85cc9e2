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
    """The candidate tables of ``sources`` as (source name, path), in that order: ``moby`` is
    bundled, the names of :data:`BUILT_SOURCES` are looked for where scripts/build_candidates.py
    writes them, and a path ending in ``.table`` is taken as it is (named by its stem).  Raises
    :class:`FileNotFoundError` saying what is wrong with a source that cannot be found."""
    tables = []
    for name in sources:
        if name == "moby":
            tables.append((name, str(data_path("thesaurus.table"))))
            continue
        if name.endswith(".table"):
            path = Path(name)
            if not path.is_file():
                raise FileNotFoundError(f"candidate table {name}: not found")
            tables.append((path.stem, str(path)))
            continue
        if name not in BUILT_SOURCES:
            known = ", ".join(("moby", *BUILT_SOURCES))
            raise FileNotFoundError(
                f"unknown candidate source {name!r} (sources: {known}, or a path to a .table file)"
            )
        path = BUILT_FOLDER / f"{name}.table"
        if not path.is_file():
            raise FileNotFoundError(
                f"candidate source {name!r}: {path} not found (build it in a source checkout with "
                f"python scripts/build_candidates.py --only {name}, or give the table's path)"
            )
        tables.append((name, str(path)))
    return tables


def data_path(name: str) -> Path:
    """Filesystem path of a bundled data file (the package is always installed as files: its
    data is memory-mapped and read by path)."""
    return FOLDER / name
