"""The detector's settings (:class:`DetectorConfig`), handed to the compiled core as numbers."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class DetectorConfig:
    """Settings of the detector; every threshold is an option, none is hidden.

    threshold:         minimum finding score to report.  For thesaurus
                       findings the score is the larger of 1 - (Benjamini-Hochberg q-value)
                       and the suspect model's posterior (1 - local false-discovery rate).
    max_p_value:       a thesaurus suspect also needs a p-value against clean text at most this
                       small on its own, however spun the document looks.
    share_prior_weight: weight of the prior that holds a document's estimated share of
                       substituted suspects near zero (Beta(1, 1 + weight): mean 5% at 19).
    min_suspects:      thesaurus findings need a document: below this many suspects (about a
                       third of the words are suspects) only the phrasebook speaks.
    frequency_discount: share of a candidate's unigram-frequency advantage that is discounted
                       from its gain (a sparse trigram LM under-rates rare but correct words).
    closeness_weight:  weight of log10(closeness) of the pair in the statistic.
    context_margin:    likelihood gain (log10) at which a phrasebook ``context`` entry scores 0.5.
    frequent_logprob:  words whose unigram log10 probability is above this (the, of, is, ...)
                       are never thesaurus suspects nor candidates.
    max_candidates:    candidates tried per suspect from each source, best first.
    pair_candidates:   for two adjacent suspects, the best this many of each are also tried
                       together ("chilly warfare" -> "cold war"); 0 turns joint candidates off.
    consistent_at:     P(spun) of a text from which the word swaps it confirmed are looked for
                       at its other places (a spinner swaps a word the same way throughout);
                       above 1 this is off.
    restore_margin:    a thesaurus finding is written back only when its best original's
                       statistic is at least this far (log10) above the runner-up's; otherwise
                       it is reported, with its ranked candidates, and left as written.
    sources:           candidate sources, merged in this order: ``moby`` (the bundled reversed
                       Moby thesaurus, what the shipped models are calibrated on), the tables
                       ``scripts/build_candidates.py`` builds into ``corpus/candidates`` of a
                       source checkout (``moby-both``, ``mythes``, ``wordnet``, ``glove``,
                       ``function``, ``forms``; see docs/evaluation.md), or paths of such
                       ``.table`` files; none: the phrasebook alone.  An evaluation drops the
                       sources a test set was spun from.
    """

    threshold: float = 0.95
    max_p_value: float = 0.02
    share_prior_weight: float = 19.0
    min_suspects: int = 20
    frequency_discount: float = 0.25
    closeness_weight: float = 1.0
    context_margin: float = 1.0
    frequent_logprob: float = -2.3
    max_candidates: int = 15
    pair_candidates: int = 4
    consistent_at: float = 0.8
    restore_margin: float = 0.25
    sources: tuple[str, ...] = ("moby",)

    def __post_init__(self) -> None:
        if isinstance(self.sources, str | os.PathLike):
            raise TypeError(f"sources must be a sequence of names or paths, got {self.sources!r}")
        sources = tuple(self.sources)
        if not all(isinstance(source, str | os.PathLike) for source in sources):
            raise TypeError(f"sources must be a sequence of names or paths, got {sources!r}")
        object.__setattr__(self, "sources", tuple(os.fspath(source) for source in sources))

    def as_numbers(self) -> dict[str, float]:
        """The settings as the core takes them."""
        numbers = asdict(self)
        del numbers["sources"]
        return {name: float(value) for name, value in numbers.items()}
