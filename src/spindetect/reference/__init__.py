"""Reference likelihoods: how probable a word is in its context in real English.

The detector only needs the :class:`Reference` protocol; the default backend is the CMU
US-English trigram LM that ships inside the ``pocketsphinx`` wheel (:mod:`.cmu`).  Another
reference (for example a model built from a user's own corpus) only has to implement the two
methods below.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

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


def default_reference() -> Reference:
    """The bundled CMU trigram reference, loaded once per process."""
    from .cmu import load_cmu_reference

    return load_cmu_reference()


__all__ = ["SENTENCE_END", "SENTENCE_START", "ModelError", "Reference", "default_reference"]
