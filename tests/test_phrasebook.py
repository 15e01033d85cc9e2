"""The phrasebook: the bundled file, users' TSV files, and spintax leftovers, as scans report
them.  Matching itself is tested in the core too (``rust/engine/tests/phrasebook.rs``:
``bundled_phrasebook_matches_as_in_python``, ``spintax_groups_are_those_of_python``)."""

import pytest

import spindetect
from spindetect.config import DetectorConfig
from spindetect.phrasebook import Phrasebook, PhrasebookError, default_phrasebook, parse_entries

PHRASEBOOK_ONLY = DetectorConfig(max_candidates=0, pair_candidates=0)


@pytest.fixture
def matched(tmp_path):
    """(text, suggestion) of each finding of a scan with one user phrasebook row."""

    def scan(row: str, text: str) -> list[tuple[str, str]]:
        book = tmp_path / "mine.tsv"
        book.write_text(row + "\n", encoding="utf-8")
        report = spindetect.scan(text, phrasebooks=[book], threshold=0.5, config=PHRASEBOOK_ONLY)
        return [(f.text, f.suggestion) for f in report.findings if f.source == "mine.tsv"]

    return scan


def _spintax(text: str) -> list[tuple[str, str]]:
    return [(f.suggestion, f.text) for f in spindetect.scan(text).findings if f.source == "spintax"]


def test_bundled_phrasebook_loads_with_notes():
    phrasebook = default_phrasebook()
    assert len(phrasebook) >= 30
    assert all(entry.note for entry in phrasebook.entries)


def test_bundled_entries_match_case_insensitively_longest_first():
    text = "the U.S. blacklisted Chinese Language satellite tv for pc agency"
    report = spindetect.scan(text, config=PHRASEBOOK_ONLY)
    assert report.findings and all("phrasebook" in f.source for f in report.findings)
    cleaned = spindetect.clean(text, config=PHRASEBOOK_ONLY)
    assert cleaned == "the U.S. blacklisted Chinese satellite agency"


def test_a_user_entry_wins_over_the_bundled_one(matched):
    assert matched("satellite tv for pc\tsatellite TV\talways\tmine", "a satellite tv for pc") == [
        ("satellite tv for pc", "satellite TV")
    ]


def test_hyphen_must_match_but_whitespace_need_not(matched):
    row = "know-how\ttechnology\tcontext\tn"
    assert matched(row, "arms and know-how industries") == [("know-how", "technology")]
    assert matched(row, "they know how to do it") == []
    row = "international locations\tcountries\talways\tn"
    assert matched(row, "two international \t locations") == [
        ("international \t locations", "countries")
    ]


def test_no_match_across_a_sentence_break(matched):
    row = "international locations\tcountries\talways\tn"
    assert matched(row, "It is international. Locations vary.") == []


def test_spintax_leftovers():
    text = "captured {hardware} and {big|large|huge} guns, but not {} or {123}"
    assert _spintax(text) == [("hardware", "{hardware}"), ("big", "{big|large|huge}")]


def test_template_placeholders_are_not_spintax():
    text = 'use "{message}" or module.{version}.pyc or {name}_x, but Russian {hardware} captured'
    assert [choice for choice, _ in _spintax(text)] == ["hardware"]


def test_code_literals_in_prose_are_not_spintax():
    """Seen in the CPython "What's New in 2.4" page: a dict literal standing between spaces."""
    text = (
        "returns {'page':2, 'title': 'The Best of Times'} here, and JSON like "
        '{"a": 1} too, while {big|large} and {Chinese-made} are spintax'
    )
    assert [choice for choice, _ in _spintax(text)] == ["big", "Chinese-made"]


def test_malformed_phrasebook_names_the_line(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text(
        "# comment\nprofound learning\tdeep learning\talways\tok\nbroken line\n", encoding="utf-8"
    )
    with pytest.raises(PhrasebookError, match=r"mine.tsv:3:"):
        Phrasebook.from_file(path)
    with pytest.raises(PhrasebookError, match=r"mine.tsv:3:"):
        spindetect.scan("some text", phrasebooks=[path])


def test_bad_mode_is_an_error():
    with pytest.raises(PhrasebookError, match=r":1: mode"):
        parse_entries("a\tb\tsometimes\n", "x.tsv")


def test_spintax_inside_urls_is_left_alone():
    text = "See https://example.org/{big|large}/page for the {big|large} picture of it all."
    findings = spindetect.scan(text).findings
    assert [(f.text, f.suggestion) for f in findings] == [("{big|large}", "big")]
    assert findings[0].start == text.index("the {") + 4
