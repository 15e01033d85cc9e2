from spindetect.context import sentences
from spindetect.reference import default_reference
from spindetect.tokens import tokenize


def _sentences(text):
    return sentences(tokenize(text), default_reference())


def test_sentences_split_at_breaks_and_keep_unknown_words_as_gaps():
    found = _sentences("Putin met the defense chief. Then he left; quickly")
    assert len(found) == 3
    first = found[0]
    assert first.key(0) is None  # "Putin" is not in the reference
    assert first.key(1) == "met"


def test_gain_prefers_the_original_in_context():
    (sentence,) = _sentences("Putin met the protection chief in Moscow")
    position = [sentence.key(i) for i in range(len(sentence))].index("protection")
    assert sentence.gain(position, position + 1, ["defense"]) > 1.0
    (sentence,) = _sentences("The mission ensures the protection of civilians")
    position = [sentence.key(i) for i in range(len(sentence))].index("protection")
    assert sentence.gain(position, position + 1, ["defense"]) < 0.5


def test_replace_is_seen_by_later_scoring():
    (sentence,) = _sentences("goes beyond the chilly warfare era")
    position = [sentence.key(i) for i in range(len(sentence))].index("chilly")
    before = sentence.gain(position, position + 1, ["cold"])
    sentence.replace(position + 1, position + 2, ["war"])
    assert sentence.current(position, position + 2) == ["chilly", "war"]
    assert sentence.gain(position, position + 1, ["cold"]) > before + 1


def test_gains_scores_many_replacements_like_one_at_a_time():
    (sentence,) = _sentences("deepening navy ties between the two countries")
    options = [["military"], ["marine"], ["task", "force"]]
    assert sentence.gains(1, 2, options) == [sentence.gain(1, 2, o) for o in options]
