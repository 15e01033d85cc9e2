import numpy as np

from spindetect.context import sentences
from spindetect.likelihood import candidate_gains, encode_windows, encode_words
from spindetect.reference import default_reference, indexed
from spindetect.tokens import tokenize


def _sentences(text):
    return sentences(tokenize(text), default_reference())


def _gains(sentence, first, end, replacements):
    """Likelihood gains of replacements for a span, through the detector's batch scorer."""
    reference = indexed(default_reference())
    windows = encode_windows(reference, [sentence.window(first, end)])
    ids, lengths = encode_words(reference, replacements)
    owners = np.zeros(len(replacements), dtype=np.int64)
    return candidate_gains(reference, windows, ids, lengths, owners).tolist()


def _gain(sentence, first, end, replacement):
    return _gains(sentence, first, end, [replacement])[0]


def test_sentences_split_at_breaks_and_keep_unknown_words_as_gaps():
    found = _sentences("Putin met the defense chief. Then he left; quickly")
    assert len(found) == 3
    first = found[0]
    assert first.key(0) is None  # "Putin" is not in the reference
    assert first.key(1) == "met"


def test_gain_prefers_the_original_in_context():
    (sentence,) = _sentences("Putin met the protection chief in Moscow")
    position = [sentence.key(i) for i in range(len(sentence))].index("protection")
    assert _gain(sentence, position, position + 1, ["defense"]) > 1.0
    (sentence,) = _sentences("The mission ensures the protection of civilians")
    position = [sentence.key(i) for i in range(len(sentence))].index("protection")
    assert _gain(sentence, position, position + 1, ["defense"]) < 0.5


def test_replace_is_seen_by_later_scoring():
    (sentence,) = _sentences("goes beyond the chilly warfare era")
    position = [sentence.key(i) for i in range(len(sentence))].index("chilly")
    before = _gain(sentence, position, position + 1, ["cold"])
    sentence.replace(position + 1, position + 2, ["war"])
    assert sentence.current(position, position + 2) == ["chilly", "war"]
    assert _gain(sentence, position, position + 1, ["cold"]) > before + 1


def test_gains_scores_many_replacements_like_one_at_a_time():
    (sentence,) = _sentences("deepening navy ties between the two countries")
    options = [["military"], ["marine"], ["task", "force"]]
    assert _gains(sentence, 1, 2, options) == [_gain(sentence, 1, 2, o) for o in options]


def test_batch_gains_equal_the_chain_rule_on_scalar_queries():
    """The vectorised windows must score exactly what P(w | h2 h1) word by word gives."""
    reference = default_reference()
    (sentence,) = _sentences("Putin met the protection chief in Moscow on Tuesday")
    first = [sentence.key(i) for i in range(len(sentence))].index("protection")
    history, written, following = sentence.window(first, first + 1)

    def chain(words):
        context, total = tuple(history), 0.0
        for word in words:
            total += reference.logprob(word, context[-2:])
            context = (*context, word)
        return total

    for replacement in (["defense"], ["national", "security"]):
        expected = chain([*replacement, *following]) - chain([*written, *following])
        assert abs(_gain(sentence, first, first + 1, replacement) - expected) < 1e-9
