import pytest

from spindetect.simulate import SynonymDictionary, default_dictionary, spin
from spindetect.thesaurus import default_thesaurus


def test_ground_truth_restores_the_source_byte_for_byte(clean_texts):
    for number, text in enumerate(clean_texts.values()):
        spun = spin(text, rate=0.4, seed=number)
        assert spun.substitutions
        assert spun.text != text
        assert spun.restore() == text
        for item in spun.substitutions:
            assert spun.text[item.start : item.end] == item.spun


def test_same_seed_same_output_other_seed_other_output(clean_texts):
    text = next(iter(clean_texts.values()))
    assert spin(text, seed=7) == spin(text, seed=7)
    assert spin(text, seed=7).text != spin(text, seed=8).text


def test_rate_controls_the_share_replaced(clean_texts):
    text = "\n".join(clean_texts.values())
    few = len(spin(text, rate=0.05, seed=1).substitutions)
    many = len(spin(text, rate=0.6, seed=1).substitutions)
    assert 0 < few < many
    assert spin(text, rate=0.0).text == text
    with pytest.raises(ValueError):
        spin(text, rate=1.5)


def test_longest_match_and_capitalisation_copied():
    dictionary = SynonymDictionary.from_pairs(
        [
            ("cold war", "chilly warfare"),
            ("cold", "chilly"),
            ("countries", "international locations"),
        ]
    )
    spun = spin("The Cold War split two countries.", rate=1.0, dictionary=dictionary)
    assert spun.text == "The Chilly Warfare split two international locations."
    assert [(s.spun, s.original) for s in spun.substitutions] == [
        ("Chilly Warfare", "Cold War"),
        ("international locations", "countries"),
    ]


def test_default_dictionary_is_built_from_open_sources():
    dictionary = default_dictionary()
    assert "chilly" in dictionary.alternatives(("cold",))  # the thesaurus turned forwards
    for spun in dictionary.alternatives(("war",))[:20]:
        if " " not in spun:
            assert ("war",) in [words for words, _ in default_thesaurus().candidates(spun)]
    assert "international locations" in dictionary.alternatives(("countries",))
    assert "2" in dictionary.alternatives(("two",))
