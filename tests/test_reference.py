import math

from spindetect.reference import SENTENCE_START, Reference, default_reference


def test_default_reference_is_loaded_once_and_satisfies_protocol():
    reference = default_reference()
    assert reference is default_reference()
    assert isinstance(reference, Reference)


def test_vocabulary():
    reference = default_reference()
    assert reference.knows("defense")
    assert reference.knows("china's")
    assert not reference.knows("zelensky")
    assert not reference.knows(SENTENCE_START)


def test_original_phrases_are_more_likely_than_spun_ones():
    reference = default_reference()
    assert (
        reference.logprob("chief", ("defense",)) > reference.logprob("chief", ("protection",)) + 1
    )
    assert reference.logprob("war", ("cold",)) > reference.logprob("warfare", ("chilly",)) + 3


def test_history_uses_last_two_words_and_is_log10():
    reference = default_reference()
    full = reference.logprob("war", ("the", "cold"))
    assert full == reference.logprob("war", ("during", "the", "cold"))
    assert -3 < full < 0
    assert math.isclose(reference.logprob("the", ()), reference.logprob("the", ()))
