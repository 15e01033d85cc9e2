"""The reversed thesaurus's cached copy: identical answers, reuse, rebuild, unwritable folder."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from spindetect.atomic import write_atomically
from spindetect.thesaurus import ReverseThesaurus, load_thesaurus

ROWS = {
    "protection": "defense\t0.11\tshield\t0.2",
    "go to": "visit\t0.3",
    "in the past": "ago\t0.5\tbefore\t0.25",
    "in the end": "finally\t0.4",
    "chilly": "cold\t0.6",
    "naïve": "naive\t0.9",
}


def _write_source(path: Path, rows: dict[str, str]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(f"{observed}\t{cells}\n" for observed, cells in rows.items())
    return path


def _answers(thesaurus: ReverseThesaurus) -> tuple:
    forms = thesaurus.observed_forms()
    return (
        forms,
        len(thesaurus),
        thesaurus.max_words,
        thesaurus.prefixes,
        [thesaurus.candidates(form) for form in forms],
        [form in thesaurus for form in (*forms, "absent", "in the")],
        thesaurus.candidates("absent"),
    )


@pytest.mark.parametrize("rows", [ROWS, {}], ids=["rows", "empty"])
def test_saved_copy_answers_like_the_parsed_file(tmp_path, rows) -> None:
    parsed = ReverseThesaurus.from_file(_write_source(tmp_path / "t.tsv.gz", rows))
    parsed.save(tmp_path / "copy.bin")
    assert _answers(ReverseThesaurus.load(tmp_path / "copy.bin")) == _answers(parsed)


def test_parsed_file_keeps_the_format() -> None:
    thesaurus = ReverseThesaurus.from_rows(ROWS)
    assert thesaurus.candidates("protection") == ((("defense",), 0.11), (("shield",), 0.2))
    assert thesaurus.candidates("in the past")[0] == (("ago",), 0.5)
    assert thesaurus.max_words == 3
    assert thesaurus.prefixes == {"go", "in", "in the"}
    assert thesaurus.observed_forms() == sorted(ROWS)


def test_cached_copy_is_written_once_and_reused(tmp_path, monkeypatch) -> None:
    source = _write_source(tmp_path / "t.tsv.gz", ROWS)
    monkeypatch.setenv("SPINDETECT_CACHE", str(tmp_path / "cache"))
    first = load_thesaurus(source)
    (copy,) = (tmp_path / "cache").iterdir()

    def parse_again(path):
        raise AssertionError("the cached copy should have been used")

    monkeypatch.setattr(ReverseThesaurus, "from_file", parse_again)
    assert _answers(load_thesaurus(source)) == _answers(first)
    assert list((tmp_path / "cache").iterdir()) == [copy]


def test_stale_copy_is_not_used(tmp_path, monkeypatch) -> None:
    source = _write_source(tmp_path / "t.tsv.gz", ROWS)
    monkeypatch.setenv("SPINDETECT_CACHE", str(tmp_path / "cache"))
    load_thesaurus(source)
    edited = dict(ROWS, chilly="frosty\t0.7")
    _write_source(source, edited)
    status = os.stat(source)
    os.utime(source, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    assert load_thesaurus(source).candidates("chilly") == ((("frosty",), 0.7),)
    assert len(list((tmp_path / "cache").iterdir())) == 2  # the new copy beside the old one
    assert load_thesaurus(source).candidates("chilly") == ((("frosty",), 0.7),)


@pytest.mark.parametrize("damage", ["truncated", "not a copy", "empty"])
def test_damaged_copy_is_rebuilt(tmp_path, monkeypatch, damage) -> None:
    source = _write_source(tmp_path / "t.tsv.gz", ROWS)
    monkeypatch.setenv("SPINDETECT_CACHE", str(tmp_path / "cache"))
    expected = _answers(load_thesaurus(source))
    (copy,) = (tmp_path / "cache").iterdir()
    data = copy.read_bytes()
    copy.write_bytes({"truncated": data[:-3], "not a copy": b"x" * len(data), "empty": b""}[damage])
    assert _answers(load_thesaurus(source)) == expected
    assert copy.read_bytes() == data  # written again
    assert _answers(ReverseThesaurus.load(copy)) == expected


def test_unwritable_cache_folder_still_loads(tmp_path, monkeypatch) -> None:
    source = _write_source(tmp_path / "t.tsv.gz", ROWS)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SPINDETECT_CACHE", str(blocker / "cache"))
    assert _answers(load_thesaurus(source)) == _answers(ReverseThesaurus.from_rows(ROWS))


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
