"""The CMU US-English trigram LM shipped in the ``pocketsphinx`` wheel, as a :class:`Reference`.

``pocketsphinx.NGramModel.prob([w, prev, prev2])`` returns log P(w | prev2 prev) in log-math
units of base 1.0001 with the history in reverse order; we convert to log10 and keep the history
oldest-first like every other part of spindetect.  The binary model is memory-mapped by
pocketsphinx, so loading takes a few tens of milliseconds.
"""

from __future__ import annotations

import math
import os
from functools import lru_cache

from . import SENTENCE_START

LOGMATH_TO_LOG10 = math.log10(1.0001)
# pocketsphinx returns this (log of zero) for words outside its vocabulary.
LOG_ZERO = -536870912
CACHE_LIMIT = 2_000_000


class CMUReference:
    """Trigram reference backed by ``pocketsphinx.NGramModel``; queries are cached per n-gram."""

    name = "cmu-en-us"

    def __init__(self, path: str) -> None:
        from pocketsphinx import NGramModel

        self.path = path
        self._model = NGramModel.readfile(path)
        self._prob = self._model.prob
        self._known: dict[str, bool] = {}
        self._cache: dict[tuple[str, ...], float] = {}

    def knows(self, word: str) -> bool:
        """True when the LM has ``word`` as a unigram."""
        known = self._known.get(word)
        if known is None:
            if len(self._known) >= CACHE_LIMIT:
                self._known.clear()
            known = self._prob([word]) != LOG_ZERO and word != SENTENCE_START
            self._known[word] = known
        return known

    def logprob(self, word: str, history: tuple[str, ...]) -> float:
        """log10 P(word | history); ``history`` oldest first, at most the last two words used."""
        key = (word, *history[-2:])
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        query = [word, *reversed(history[-2:])]
        value = self._prob(query) * LOGMATH_TO_LOG10
        self._cache[key] = value
        return value


def default_model_path() -> str:
    """Path of ``en-us.lm.bin`` inside the installed pocketsphinx package."""
    import pocketsphinx

    return os.path.join(pocketsphinx.get_model_path(), "en-us", "en-us.lm.bin")


@lru_cache(maxsize=1)
def load_cmu_reference() -> CMUReference:
    """Load the bundled LM once per process."""
    return CMUReference(default_model_path())
