"""NFC normalisation with offsets back into the original text (spindetect.normal)."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest

from spindetect.api import scan
from spindetect.normal import nfc_with_offsets

NEWS = Path(__file__).parent.parent / "corpus" / "news"

# Characters whose normalisation interacts with their neighbours: combining marks of several
# classes, Hangul jamo (composed algorithmically), a singleton (Angstrom sign), a Tibetan vowel
# whose decomposition starts with a non-starter, precomposed letters, and ASCII.
POOL = (
    "ae oAUn",
    "\u0301\u0300\u0308\u0323\u0327\u031b\u0345",
    "\u1100\u1161\u11a8\uac00",
    "\u212b\u0f71\u0f72\u0f73\u00e9\u00c5\u1e69",
)


def _accented_text() -> str:
    """A real news text with letters that decompose (é, ñ, ...)."""
    for path in sorted(NEWS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if not unicodedata.is_normalized("NFD", text):
            return text
    pytest.skip("no news text with accented letters")


def test_text_in_nfc_is_returned_as_is():
    text = _accented_text()
    normalised, mapping = nfc_with_offsets(text)
    assert normalised is text and mapping.identity
    assert mapping.span(3, 10) == (3, 10)


def test_decomposed_text_maps_every_word_back_to_its_original_characters():
    text = unicodedata.normalize("NFD", _accented_text())
    normalised, mapping = nfc_with_offsets(text)
    assert normalised == unicodedata.normalize("NFC", text) and not mapping.identity
    assert len(normalised) < len(text)
    for word in re.finditer(r"\w+", normalised):
        start, end = mapping.span(word.start(), word.end())
        assert unicodedata.normalize("NFC", text[start:end]) == word.group()


@pytest.mark.parametrize("seed", range(20))
def test_random_mixtures_normalise_like_the_whole_text(seed):
    chooser = random.Random(seed)
    alphabet = "".join(POOL)
    text = "".join(chooser.choice(alphabet) for _ in range(300))
    normalised, mapping = nfc_with_offsets(text)
    assert normalised == unicodedata.normalize("NFC", text)
    cuts = sorted({0, len(normalised), *(chooser.randrange(len(normalised)) for _ in range(30))})
    previous = 0
    for cut in cuts:  # spans map to spans that do not overlap, in order, within the text
        start, end = mapping.span(previous, cut)
        assert 0 <= start <= end <= len(text)
        previous = cut
    assert mapping.span(0, len(normalised)) == (0, len(text))


def test_a_decomposed_accent_keeps_the_finding_of_the_composed_text(tmp_path):
    """``scan`` of the decomposed text finds what the composed text gives, at the decomposed
    text's own offsets (it matches the NFC text and maps the spans back)."""
    composed = _accented_text()
    words = re.findall(r"\w+", composed)
    index = next(i for i, word in enumerate(words) if not word.isascii() and i + 1 < len(words))
    phrase = f"{words[index]} {words[index + 1]}"
    assert phrase in composed
    book = tmp_path / "book.tsv"
    book.write_text(f"{phrase}\tplain words\talways\ttest\n", encoding="utf-8")

    def findings(text):
        return [(f.start, f.end, f.suggestion) for f in scan(text, phrasebooks=[book]).findings]

    expected = [(s, e, tip) for s, e, tip in findings(composed) if composed[s:e] == phrase]
    assert expected
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    restored = [(s, e, tip) for s, e, tip in findings(decomposed) if tip == "plain words"]
    assert len(restored) == len(expected)
    for start, end, _ in restored:
        assert unicodedata.normalize("NFC", decomposed[start:end]) == phrase
