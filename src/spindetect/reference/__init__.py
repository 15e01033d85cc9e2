"""Reference likelihoods: how probable a word is in its context in real English.

The detector only needs the :class:`Reference` protocol; the default backend is the CMU
US-English trigram LM that ships inside the ``pocketsphinx`` wheel (:mod:`.cmu`).  Another
reference (for example a model built from a user's own corpus) only has to implement the two
methods of :class:`Reference`; one that also implements :class:`IndexedReference` (word ids and
a vectorised query) is scored a whole document at a time, the others through :func:`indexed`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

SENTENCE_START = "<s>"
SENTENCE_END = "</s>"


class ModelError(ValueError):
    """A reference model file that cannot be read; the message names the file."""


@runtime_checkable
class Reference(Protocol):
    """A language model the detector can query.

    Words are lower-cased, apostrophes straight (``china's``).  ``history`` holds up to two
    preceding words, oldest first; it may start with :data:`SENTENCE_START`.
    """

    name: str

    def knows(self, word: str) -> bool:
        """True when the model has the word in its vocabulary."""
        ...

    def logprob(self, word: str, history: tuple[str, ...]) -> float:
        """log10 P(word | history), backing off as the model does."""
        ...


@runtime_checkable
class IndexedReference(Reference, Protocol):
    """A reference that answers many queries at once on integer word ids.

    ``ids`` maps words to ids (-1 for unknown words); ``logprob_ids`` returns log10
    P(w | h2 h1) for arrays of ids, where a negative ``h1`` means "no history" and a negative
    ``h2`` means "only ``h1``".  Results must equal :meth:`Reference.logprob` on the same words.
    """

    def ids(self, words: Sequence[str]) -> np.ndarray: ...

    def logprob_ids(self, w: np.ndarray, h1: np.ndarray, h2: np.ndarray) -> np.ndarray: ...


class _Indexed:
    """Gives a plain :class:`Reference` the id interface: ids are handed out as words appear,
    and vectorised queries are answered one by one through ``logprob``."""

    def __init__(self, reference: Reference) -> None:
        self.reference = reference
        self.name = reference.name
        self.knows = reference.knows
        self.logprob = reference.logprob
        self._ids: dict[str, int] = {}
        self._words: list[str] = []

    def ids(self, words: Sequence[str]) -> np.ndarray:
        result = np.empty(len(words), dtype=np.int64)
        for index, word in enumerate(words):
            known = self._ids.get(word)
            if known is None:
                known = -1
                if self.reference.knows(word) or word in (SENTENCE_START, SENTENCE_END):
                    known = self._ids[word] = len(self._words)
                    self._words.append(word)
            result[index] = known
        return result

    def logprob_ids(self, w: np.ndarray, h1: np.ndarray, h2: np.ndarray) -> np.ndarray:
        words = self._words
        arrays = np.broadcast_arrays(*(np.asarray(a, dtype=np.int64) for a in (w, h1, h2)))
        queries = [
            (
                words[word],
                ()
                if first < 0
                else (words[first],)
                if second < 0
                else (words[second], words[first]),
            )
            for word, first, second in zip(*(a.ravel().tolist() for a in arrays), strict=True)
        ]
        return logprob_many(self.reference, queries).reshape(arrays[0].shape)


def logprob_many(
    reference: Reference, queries: Sequence[tuple[str, tuple[str, ...]]]
) -> np.ndarray:
    """:meth:`Reference.logprob` of many ``(word, history)`` queries, in as few calls as the
    reference allows (its own ``logprob_many``, else its id interface, else one by one)."""
    batch = getattr(reference, "logprob_many", None)
    if batch is not None:
        return np.asarray(batch(queries), dtype=np.float64)
    if isinstance(reference, IndexedReference) and queries:
        flat = [word for word, _ in queries]
        flat += [h[-1] if h else "" for _, h in queries]
        flat += [h[-2] if len(h) > 1 else "" for _, h in queries]
        ids = reference.ids(flat).reshape(3, len(queries))
        no_history = np.array([not h for _, h in queries])
        one_word = np.array([len(h) < 2 for _, h in queries])
        ids[1][no_history] = -1
        ids[2][one_word] = -1
        return reference.logprob_ids(ids[0], ids[1], ids[2])
    return np.array([reference.logprob(w, h) for w, h in queries], dtype=np.float64)


def indexed(reference: Reference) -> IndexedReference:
    """``reference`` itself when it has the id interface, else an adapter that adds it."""
    if isinstance(reference, IndexedReference):
        return reference
    return _Indexed(reference)  # type: ignore[return-value]


def default_reference() -> Reference:
    """The bundled CMU trigram reference, loaded once per process."""
    from .cmu import load_cmu_reference

    return load_cmu_reference()


__all__ = [
    "SENTENCE_END",
    "SENTENCE_START",
    "IndexedReference",
    "ModelError",
    "Reference",
    "default_reference",
    "indexed",
    "logprob_many",
]
