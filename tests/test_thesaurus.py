from spindetect.thesaurus import default_thesaurus


def _originals(observed):
    return [" ".join(words) for words, _ in default_thesaurus().candidates(observed)]


def test_reversed_and_reinflected_candidates():
    assert "said" in _originals("mentioned")  # mentioned -> mention -> say -> said
    assert "officials" in _originals("officers")  # officers -> officer -> official -> officials
    assert "military" in _originals("navy")
    assert "defense" in _originals("protection")


def test_multi_word_entries():
    assert "visit" in _originals("go to")


def test_closeness_is_a_probability_like_weight():
    pairs = default_thesaurus().candidates("battle")
    assert pairs and all(0.0 <= closeness <= 1.0 for _, closeness in pairs)
    assert dict(pairs)[("war",)] > 0.1


def test_function_words_are_not_in_the_index():
    assert _originals("he") == []
    assert all(candidate not in ("or", "she", "the") for candidate in _originals("chief"))
