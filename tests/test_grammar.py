"""The core's English helpers as Python's tools see them (``a``/``an`` is tested in
``rust/engine/tests/grammar.rs`` and end to end by the PPS abstract in ``test_pps.py``)."""

from spindetect.grammar import DIGIT_WORDS, transfer_case


def test_transfer_case():
    assert transfer_case("Chilly Warfare", "cold war") == "Cold War"
    assert transfer_case("PROTECTION", "defense") == "DEFENSE"
    assert transfer_case("Protection chief", "defense chief") == "Defense chief"
    assert transfer_case("navy", "military") == "military"
    assert transfer_case("Chinese language", "Chinese") == "Chinese"


def test_digit_words_spell_each_digit():
    assert DIGIT_WORDS["2"] == "two" and DIGIT_WORDS["9"] == "nine"
    assert sorted(DIGIT_WORDS) == list("123456789")
