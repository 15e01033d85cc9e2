"""The reversed thesaurus's table (the core's memory-mapped format, built from the ``.tsv.gz``):
the same answers as the source rows, clear errors for a damaged table, atomic writes.  Byte-level
parity with the Python reader and fuzzed tables: ``rust/engine/tests/thesaurus_parity.rs``."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from spindetect._core import ModelError
from spindetect.atomic import write_atomically
from spindetect.thesaurus import ReverseThesaurus, build_table

ROWS = {
    "protection": "defense\t0.11\tshield\t0.2",
    "go to": "visit\t0.3",
    "in the past": "ago\t0.5\tbefore\t0.25",
    "in the end": "finally\t0.4",
    "chilly": "cold\t0.6",
    "naïve": "naive\t0.9",
}


def _table(folder: Path, rows: dict[str, str]) -> ReverseThesaurus:
    source = folder / "t.tsv.gz"
    with gzip.open(source, "wt", encoding="utf-8") as handle:
        handle.writelines(f"{observed}\t{cells}\n" for observed, cells in rows.items())
    build_table(source, folder / "t.table")
    return ReverseThesaurus(folder / "t.table")


def test_the_table_answers_like_the_source_rows(tmp_path) -> None:
    thesaurus = _table(tmp_path, ROWS)
    assert thesaurus.observed_forms() == sorted(ROWS) and len(thesaurus) == len(ROWS)
    for observed, cells in ROWS.items():
        values = cells.split("\t")
        expected = tuple(
            (tuple(word.split()), float(closeness))
            for word, closeness in zip(values[::2], values[1::2], strict=True)
        )
        assert thesaurus.candidates(observed) == expected
        assert observed in thesaurus
    assert thesaurus.max_words == 3
    prefixes = ("go", "in", "in the", "chilly", "absent")
    assert [thesaurus.is_prefix(phrase) for phrase in prefixes] == [True] * 3 + [False] * 2
    assert "absent" not in thesaurus and "in the" not in thesaurus
    assert thesaurus.candidates("absent") == ()


def test_an_empty_source_gives_an_empty_table(tmp_path) -> None:
    thesaurus = _table(tmp_path, {})
    assert len(thesaurus) == 0 and thesaurus.observed_forms() == []


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("truncated", "damaged thesaurus table"),
        ("not a table", "not a spindetect thesaurus table"),
        ("empty", "not a spindetect thesaurus table"),
    ],
)
def test_a_damaged_table_is_a_clear_error(tmp_path, damage, message) -> None:
    _table(tmp_path, ROWS)
    path = tmp_path / "t.table"
    data = path.read_bytes()
    path.write_bytes(
        {"truncated": data[:-3], "not a table": b"x" * len(data), "empty": b""}[damage]
    )
    with pytest.raises(ModelError, match=message):
        ReverseThesaurus(path)


def test_a_source_that_cannot_be_read_writes_no_table(tmp_path) -> None:
    bad = tmp_path / "bad.tsv.gz"
    bad.write_text("not gzip")
    for source in (bad, tmp_path / "missing.tsv.gz"):
        with pytest.raises(ModelError, match=source.name):
            build_table(source, tmp_path / "out.table")
    assert not (tmp_path / "out.table").exists()


def test_atomic_write_leaves_nothing_behind_on_failure(tmp_path) -> None:
    def parts():
        yield b"half"
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(tmp_path / "copy.bin", parts())
    assert list(tmp_path.iterdir()) == []
    write_atomically(tmp_path / "copy.bin", [b"whole", b" copy"])
    assert (tmp_path / "copy.bin").read_bytes() == b"whole copy"
    assert list(tmp_path.iterdir()) == [tmp_path / "copy.bin"]
