import pytest

from spindetect.thesaurus import default_thesaurus
from spindetect.tools.simulate import (
    SynonymDictionary,
    default_dictionary,
    science_dictionary,
    science_terms,
    spin,
    spin_science,
)


@pytest.mark.slow
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


def test_a_consistent_spinner_swaps_every_occurrence_the_same_way(clean_texts):
    text = "\n".join(clean_texts.values())
    for seed in range(3):
        spun = spin(text, rate=0.3, seed=seed, consistent=True)
        assert spun.restore() == text
        fates: dict[str, set[str]] = {}
        for item in spun.substitutions:
            fates.setdefault(item.original.lower(), set()).add(item.spun.lower())
        assert all(len(spuns) == 1 for spuns in fates.values()), fates
        originals = [item.original.lower() for item in spun.substitutions]
        assert any(originals.count(word) > 1 for word in fates)  # repeats swapped alike
    random_spinner = spin(text, rate=0.3, seed=0)
    fates = {}
    for item in random_spinner.substitutions:
        fates.setdefault(item.original.lower(), set()).add(item.spun.lower())
    assert any(len(spuns) > 1 for spuns in fates.values())


def test_default_dictionary_is_built_from_open_sources():
    dictionary = default_dictionary()
    assert "chilly" in dictionary.alternatives(("cold",))  # the thesaurus turned forwards
    for spun in dictionary.alternatives(("war",))[:20]:
        if " " not in spun:
            assert ("war",) in [words for words, _ in default_thesaurus().candidates(spun)]
    assert "international locations" in dictionary.alternatives(("countries",))
    assert "2" in dictionary.alternatives(("two",))


ABSTRACT = (
    "We compare a deep learning model with a random forest and a support vector machine. "
    "Deep Learning wins when the signal to noise is high; the random forest is faster."
)


def test_science_spinner_paraphrases_terms_word_by_word():
    terms = ("deep learning", "random forest", "support vector machine", "signal to noise")
    spun = spin_science(ABSTRACT, rate=1.0, seed=3, terms=terms)
    assert spun.restore() == ABSTRACT
    by_original = {s.original.lower(): s.spun for s in spun.substitutions}
    assert set(by_original) >= set(terms)
    dictionary = science_dictionary(terms)
    for term in terms:
        spun_term = by_original[term]
        assert spun_term.lower() in dictionary.alternatives(tuple(term.split()))
        assert len(spun_term.split()) == len(term.split())  # word by word, not a gloss
        assert spun_term.lower() != term
    # Capitalisation is copied: "Deep Learning" -> "Profound Learning"-style.
    capitalised = next(s for s in spun.substitutions if s.original == "Deep Learning")
    assert all(word[:1].isupper() for word in capitalised.spun.split())


def test_science_dictionary_knows_published_forms_and_stays_deterministic():
    dictionary = science_dictionary()
    assert "profound learning" in dictionary.alternatives(("deep", "learning"))
    assert "irregular timberland" in dictionary.alternatives(("random", "forest"))
    assert "flag to clamor" in dictionary.alternatives(("signal", "to", "noise"))
    assert spin_science(ABSTRACT, rate=0.5, seed=11) == spin_science(ABSTRACT, rate=0.5, seed=11)
    assert science_terms()[:2] == ["artificial intelligence", "machine learning"]


def test_science_spinner_ground_truth_is_exact_on_real_text(clean_texts):
    for number, text in enumerate(clean_texts.values()):
        spun = spin_science(text, rate=0.4, seed=number)
        assert spun.restore() == text
        assert all(spun.text[s.start : s.end] == s.spun for s in spun.substitutions)
