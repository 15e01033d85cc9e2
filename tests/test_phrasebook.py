import pytest

from spindetect.phrasebook import (
    Entry,
    Phrasebook,
    PhrasebookError,
    default_phrasebook,
    parse_entries,
    spintax_matches,
)
from spindetect.tokens import tokenize


def _matched(phrasebook, text):
    tokens = tokenize(text)
    return [
        (text[tokens[m.first].start : tokens[m.last].end], m.entry.original)
        for m in phrasebook.matches(tokens)
    ]


def test_bundled_phrasebook_loads_with_notes():
    phrasebook = default_phrasebook()
    assert len(phrasebook) >= 30
    assert all(entry.note for entry in phrasebook.entries)


def test_matches_case_insensitively_longest_first():
    found = _matched(
        default_phrasebook(), "the U.S. blacklisted Chinese Language satellite tv for pc agency"
    )
    assert ("Chinese Language", "Chinese") in found
    assert ("satellite tv for pc", "satellite") in found


def test_hyphen_must_match_but_whitespace_need_not():
    phrasebook = Phrasebook([Entry("know-how", "technology", "context", "n")])
    assert _matched(phrasebook, "arms and know-how industries") == [("know-how", "technology")]
    assert _matched(phrasebook, "they know how to do it") == []


def test_no_match_across_a_sentence_break():
    phrasebook = Phrasebook([Entry("international locations", "countries", "always", "n")])
    assert _matched(phrasebook, "It is international. Locations vary.") == []


def test_spintax_leftovers():
    text = "captured {hardware} and {big|large|huge} guns, but not {} or {123}"
    assert [(m.choice, text[m.start : m.end]) for m in spintax_matches(text)] == [
        ("hardware", "{hardware}"),
        ("big", "{big|large|huge}"),
    ]


def test_template_placeholders_are_not_spintax():
    text = 'use "{message}" or module.{version}.pyc or {name}_x, but Russian {hardware} captured'
    assert [m.choice for m in spintax_matches(text)] == ["hardware"]


def test_code_literals_in_prose_are_not_spintax():
    """Seen in the CPython "What's New in 2.4" page: a dict literal standing between spaces."""
    text = (
        "returns {'page':2, 'title': 'The Best of Times'} here, and JSON like "
        '{"a": 1} too, while {big|large} and {Chinese-made} are spintax'
    )
    assert [m.choice for m in spintax_matches(text)] == ["big", "Chinese-made"]


def test_malformed_phrasebook_names_the_line(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text(
        "# comment\nprofound learning\tdeep learning\talways\tok\nbroken line\n", encoding="utf-8"
    )
    with pytest.raises(PhrasebookError, match=r"mine.tsv:3:"):
        Phrasebook.from_file(path)


def test_bad_mode_is_an_error():
    with pytest.raises(PhrasebookError, match=r":1: mode"):
        parse_entries("a\tb\tsometimes\n", "x.tsv")


def test_spintax_inside_urls_is_left_alone():
    import spindetect

    text = "See https://example.org/{big|large}/page for the {big|large} picture of it all."
    findings = spindetect.scan(text).findings
    assert [(f.text, f.suggestion) for f in findings] == [("{big|large}", "big")]
    assert findings[0].start == text.index("the {") + 4
