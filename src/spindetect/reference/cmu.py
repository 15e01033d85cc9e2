"""The CMU US-English trigram LM shipped in the ``pocketsphinx`` wheel, as a :class:`Reference`.

The binary model is decoded into numpy arrays by :mod:`.trie` (results identical to
``pocketsphinx.NGramModel.prob``), so the detector can score a whole document's n-grams in one
vectorised call.  Decoding takes most of a second, so the decoded arrays are kept in the cache
folder (:mod:`spindetect.cache`), keyed by the model file's size and modification time; later
processes memory-map them in milliseconds and share the pages.  If the folder cannot be written
the model is simply decoded in every process.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..cache import cache_folder, cache_key
from . import SENTENCE_START
from .trie import LOG_ZERO, TrieLM, default_model_path

LOGMATH_TO_LOG10 = math.log10(1.0001)
LOG_ZERO_LOG10 = LOG_ZERO * LOGMATH_TO_LOG10
CACHE_LIMIT = 2_000_000
CACHE_FORMAT = 3  # bump when TrieLM.save changes


class CMUReference:
    """Trigram reference on the decoded CMU LM; scalar queries are cached per n-gram."""

    name = "cmu-en-us"

    def __init__(self, lm: TrieLM) -> None:
        self.lm = lm
        self.path = lm.path
        self.vocabulary: dict[str, int] = lm.vocab
        self.unigram_logprob = np.trunc(lm.unigram_prob).astype(np.float64) * LOGMATH_TO_LOG10
        self._start = lm.vocab.get(SENTENCE_START, -1)
        self._cache: dict[tuple[str, ...], float] = {}

    def knows(self, word: str) -> bool:
        """True when the LM has ``word`` as a unigram."""
        return word in self.vocabulary and word != SENTENCE_START

    def ids(self, words: Sequence[str]) -> np.ndarray:
        """Word ids of ``words`` (-1 for words the model lacks)."""
        return self.lm.ids(words)

    def logprob_ids(self, w: np.ndarray, h1: np.ndarray, h2: np.ndarray) -> np.ndarray:
        """log10 P(w | h2 h1) for arrays of word ids; a negative history id ends the history."""
        h1 = np.asarray(h1)
        if h1.size and h1.max() < 0:  # no history at all: a unigram lookup
            w = np.asarray(w)
            return np.where(w >= 0, self.unigram_logprob[np.maximum(w, 0)], LOG_ZERO_LOG10)
        values = self.lm.logprob_ids(w, h1, h2).astype(np.float64)
        values *= LOGMATH_TO_LOG10
        return values

    def logprob(self, word: str, history: tuple[str, ...]) -> float:
        """log10 P(word | history); ``history`` oldest first, at most the last two words used."""
        key = (word, *history[-2:])
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        get = self.vocabulary.get
        context = [get(h, -1) for h in history[-2:]]
        context = [-1] * (2 - len(context)) + context
        w = get(word, -1)
        if w < 0:
            value = LOG_ZERO_LOG10
        elif context[1] < 0:
            value = float(self.unigram_logprob[w])
        else:
            value = float(
                self.logprob_ids(np.array([w]), np.array([context[1]]), np.array([context[0]]))[0]
            )
        self._cache[key] = value
        return value


def load_trie(path: str) -> TrieLM:
    """The decoded LM at ``path``, from the cache folder when a current copy is there."""
    copy = cache_folder() / f"cmu-v{CACHE_FORMAT}-{cache_key(path)}"
    try:
        return TrieLM.load(copy)
    except (OSError, ValueError, KeyError):
        pass
    lm = TrieLM(path)
    with contextlib.suppress(OSError):  # read-only home, full disk: decode in every process
        lm.save(copy)
    return lm


@lru_cache(maxsize=1)
def load_cmu_reference() -> CMUReference:
    """Load the bundled LM once per process."""
    return CMUReference(load_trie(default_model_path()))


__all__ = ["CMUReference", "cache_folder", "default_model_path", "load_cmu_reference", "load_trie"]
