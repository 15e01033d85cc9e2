"""TrieLM (numpy reader of pocketsphinx's binary trie LM) must agree with pocketsphinx itself."""

from __future__ import annotations

import random

import numpy as np
import pytest

from spindetect.reference.trie import LOG_ZERO, TrieLM, default_model_path

pocketsphinx = pytest.importorskip("pocketsphinx")

FREQUENT_TEXT = (
    "the of and to a in that is was he for it with as his on be at by i had not are but from "
    "or have an they which one you were her all she there would their we him been has when who "
    "will more no if out so said what up its about into than them can only other new some "
    "could time these two may then do first any my now such like our over man me even most "
    "<s> </s> 's . , year years government president minister state states war"
)
FREQUENT = tuple(FREQUENT_TEXT.split())
PHRASES = (
    "the cold war",
    "defense chief",
    "military ties",
    "protection chief",
    "the united states of america",
    "the prime minister said",
    "at the end of the day",
    "one of the most important",
    "in the middle of the night",
    "the defense secretary said on tuesday",
    "chilly warfare",
    "<s> the president said </s>",
    "china's military ties with russia",
)
UNKNOWN = ("qzxvkw", "zelensky", "War", "")


@pytest.fixture(scope="module")
def lm() -> TrieLM:
    return TrieLM()


@pytest.fixture(scope="module")
def ps_prob():
    return pocketsphinx.NGramModel.readfile(default_model_path()).prob


def _query(words: list[str | None]) -> list[str]:
    """Drop trailing "no word" entries: [w, prev, prev2] with None meaning no history."""
    out: list[str] = []
    for word in words:
        if word is None:
            break
        out.append(word)
    return out


def _check(lm: TrieLM, ps_prob, queries: list[list[str]]) -> None:
    """Scalar and vectorised TrieLM results must equal pocketsphinx exactly."""
    expected = np.array([ps_prob(q) for q in queries], dtype=np.int64)
    scalar = np.array([lm.prob(q) for q in queries], dtype=np.int64)
    padded = [[*q, None, None][:3] for q in queries]
    w, h1, h2 = (
        np.array([-1 if x is None else lm.word_id(x) for x in column], dtype=np.int64)
        for column in zip(*padded, strict=True)
    )
    vector = lm.logprob_ids(w, h1, h2)
    bad = [(q, int(e), int(s)) for q, e, s in zip(queries, expected, scalar, strict=True) if e != s]
    assert not bad, bad[:10]
    np.testing.assert_array_equal(vector, expected)


def test_header_and_vocabulary(lm: TrieLM) -> None:
    assert lm.order == 3
    assert lm.counts == (72547, 2051547, 1669625)
    assert (lm.n_bigrams, lm.n_trigrams) == (2051541, 1669625)
    assert len(lm) == len(lm.words) == len(lm.vocab) == 72547
    assert lm.words[:3] == ["'bout", "'cause", "'em"]
    assert all(lm.vocab[word] == i for i, word in enumerate(lm.words))
    for word in ("the", "<s>", "</s>", "defense", "china's"):
        assert lm.words[lm.vocab[word]] == word
    assert "zelensky" not in lm.vocab
    assert "War" not in lm.vocab  # case-sensitive, like pocketsphinx
    np.testing.assert_array_equal(lm.ids(["the", "qzxvkw"]), [lm.vocab["the"], -1])


def test_known_values(lm: TrieLM, ps_prob) -> None:
    assert lm.prob(["war", "cold", "the"]) == ps_prob(["war", "cold", "the"]) == -13502
    assert lm.prob(["war"]) == -81930
    assert lm.prob(["qzxvkw", "cold", "the"]) == LOG_ZERO
    # An unknown history word ends the history.
    assert lm.prob(["war", "qzxvkw", "the"]) == lm.prob(["war"])
    assert lm.prob(["war", "cold", "the", "during"]) == lm.prob(["war", "cold", "the"])
    assert lm.prob(["chief", "defense"]) > lm.prob(["chief", "protection"])


def test_random_queries_match_pocketsphinx(lm: TrieLM, ps_prob) -> None:
    rng = random.Random(0)
    phrase_words = [phrase.split() for phrase in PHRASES]
    vocabulary = lm.words

    def word() -> str:
        r = rng.random()
        if r < 0.45:
            return rng.choice(FREQUENT)
        if r < 0.7:
            return rng.choice(rng.choice(phrase_words))
        if r < 0.95:
            return rng.choice(vocabulary)
        return rng.choice(UNKNOWN)

    def history() -> str | None:
        return None if rng.random() < 0.05 else word()

    queries: list[list[str]] = []
    # Every window of the real phrases, with and without history, plus one-word swaps.
    for words in phrase_words:
        for i in range(len(words)):
            window = [words[i], *reversed(words[max(0, i - 2) : i])]
            for n in range(1, len(window) + 1):
                queries.append(window[:n])
            for slot in range(len(window)):
                for _ in range(5):
                    swapped = list(window)
                    swapped[slot] = word()
                    queries.append(swapped)
    while len(queries) < 4000:
        queries.append(_query([word(), history(), history()]) or [word()])
    _check(lm, ps_prob, queries)


def test_stored_ngrams_match_pocketsphinx(lm: TrieLM, ps_prob) -> None:
    """Hit the bigram and trigram branches: queries built from n-grams stored in the file."""
    rng = np.random.default_rng(0)
    v = len(lm)
    bigram_slots, bigram_keys = lm._bigrams.entries()
    assert np.array_equal(bigram_slots, np.arange(bigram_slots.size))  # every bigram reachable
    bigram_w, bigram_h1 = np.divmod(bigram_keys, v)
    trigram_parent, trigram_h2 = np.divmod(lm._trigrams.entries()[1], v)
    words = lm.words
    queries: list[list[str]] = []
    for i in rng.choice(trigram_parent.size, 2000, replace=False):
        j = trigram_parent[i]
        queries.append([words[bigram_w[j]], words[bigram_h1[j]], words[trigram_h2[i]]])
    others = rng.integers(0, v, size=(2000, 2))
    for j, (a, b) in zip(rng.choice(bigram_w.size, 2000, replace=False), others, strict=True):
        queries.append([words[bigram_w[j]], words[bigram_h1[j]]])
        # Stored bigram, arbitrary (mostly unseen) trigram history.
        queries.append([words[bigram_w[j]], words[bigram_h1[j]], words[a]])
        # Stored history bigram (h2 h1) with an arbitrary predicted word.
        queries.append([words[b], words[bigram_w[j]], words[bigram_h1[j]]])
    _check(lm, ps_prob, queries)


def test_unsorted_child_ranges_follow_pocketsphinx(lm: TrieLM, ps_prob) -> None:
    """Two trigram ranges are unsorted in en-us; pocketsphinx's search misses one entry each."""
    queries = [
        ["bullhorns", "and", "whips"],  # stored but unreachable: pocketsphinx backs off
        ["bullhorns", "and", "teased"],
        ["jerri", "and", "<s>"],  # stored but unreachable
        ["jerri", "and", "coach"],
    ]
    _check(lm, ps_prob, queries)
    assert lm.prob(["bullhorns", "and", "teased"]) > lm.prob(["bullhorns", "and"])


def test_logprob_ids_broadcasts_and_validates(lm: TrieLM) -> None:
    ids = lm.ids(["war", "chief", "ties"])
    h1 = lm.ids(["cold", "defense", "military"])
    grid = lm.logprob_ids(ids[:, None], h1[None, :], np.int64(-1))
    assert grid.shape == (3, 3)
    assert grid[0, 0] == lm.prob(["war", "cold"])
    assert grid[1, 1] == lm.prob(["chief", "defense"])
    assert grid[2, 0] == lm.prob(["ties", "cold"])
    # No h1 means no h2 either; a missing w is log(0).
    out = lm.logprob_ids(np.array([ids[0], -1]), np.array([-1, h1[0]]), np.array([h1[0], -1]))
    assert out.tolist() == [lm.prob(["war"]), LOG_ZERO]
    assert lm.logprob_ids(np.array([], dtype=np.int64), [], []).shape == (0,)
    with pytest.raises(ValueError):
        lm.logprob_ids(np.array([len(lm)]), np.array([-1]), np.array([-1]))


def test_saved_copy_loads_memory_mapped_and_answers_identically(lm: TrieLM, tmp_path) -> None:
    lm.save(tmp_path / "copy")
    copy = TrieLM.load(tmp_path / "copy")
    assert copy.words == lm.words and copy.counts == lm.counts
    assert isinstance(copy._bigrams.table_keys.base, np.memmap)  # mapped, not read into memory
    rng = np.random.default_rng(5)
    w, h1, h2 = (rng.integers(-1, len(lm), 20_000) for _ in range(3))
    np.testing.assert_array_equal(copy.logprob_ids(w, h1, h2), lm.logprob_ids(w, h1, h2))


def test_cmu_reference_caches_the_decoded_model(tmp_path, monkeypatch) -> None:
    from spindetect.reference.cmu import CMUReference, load_trie

    monkeypatch.setenv("SPINDETECT_CACHE", str(tmp_path / "cache"))
    first = load_trie(default_model_path())
    (copy,) = (tmp_path / "cache").iterdir()
    assert (copy / "meta.json").exists()
    second = load_trie(default_model_path())
    assert isinstance(second._trigrams.table_keys.base, np.memmap)
    a, b = CMUReference(first), CMUReference(second)
    for history in ((), ("the",), ("the", "cold")):
        assert a.logprob("war", history) == b.logprob("war", history)


def test_cmu_reference_works_when_the_cache_cannot_be_written(tmp_path, monkeypatch) -> None:
    from spindetect.reference.cmu import CMUReference, load_trie

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SPINDETECT_CACHE", str(blocker / "cache"))
    reference = CMUReference(load_trie(default_model_path()))
    assert reference.logprob("chief", ("defense",)) > reference.logprob("chief", ("protection",))
