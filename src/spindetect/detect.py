"""Suspects -> candidates -> findings.

Where a spinner may have swapped words (a phrasebook hit, or a word or phrase the reversed
thesaurus knows), each candidate original gets a *gain*: the log10 likelihood ratio, under the
reference, of the sentence with the candidate over the sentence as written (with a trigram
reference, a local sum over the span and the two words after it).

* Phrasebook ``always`` entries are applied first: they are certain, and the context they
  restore helps the rest.
* Phrasebook ``context`` entries score ``logistic(gain - context_margin)``.
* Thesaurus suspects get the statistic ``max over candidates of gain - frequency_discount *
  (log10 P(candidate) - log10 P(observed)) + log10(closeness)``, which
  is turned into a p-value against clean English and a Benjamini-Hochberg q-value within the
  document (:mod:`.calibration`); the score is ``1 - q``.

Edits are accepted greedily, most confident first, and the sentence is updated after each one,
so neighbouring spun words are judged against restored context ("primary Chinese language
protection minister": once "protection minister" -> "defense minister" is in, "primary" ->
"first" becomes clear).

In a text the detector's ``judge`` calls spun, a one-word swap the thesaurus edits confirmed is
followed to the word's other places (a spinner swaps a word the same way throughout; see
:meth:`Detector._consistent_edits`).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np

from .calibration import FalseDiscoveryControl, NullDistribution
from .context import Sentence, sentences
from .findings import Finding
from .grammar import DETERMINERS, DIGIT_WORDS, article_for, match_case, transfer_case
from .likelihood import (
    PAD,
    DocumentIds,
    Windows,
    candidate_gains,
    context_gains,
    document_windows,
    encode_sentences,
    encode_windows,
    encode_words,
    segment_argmax,
    unigram_sums,
)
from .phrasebook import Entry, Phrasebook, spintax_matches
from .reference import Reference, indexed
from .suspects import MISSING_SCORE, SuspectModel
from .thesaurus import ReverseThesaurus
from .tokens import Kind, Token

Judge = Callable[[int, "Evidence", int], float]  # (findings, evidence, words) -> P(spun)
ALWAYS_SCORE = 0.99
MIN_CLOSENESS = 0.001
CANDIDATE_ROWS_LIMIT = 1_000_000  # cached candidate rows (some 60 MB) before a reset
_UNSEEN = object()


@dataclass(frozen=True)
class DetectorConfig:
    """Settings of the detector; every threshold is an option, none is hidden.

    threshold:         minimum finding score to report (and so to restore).  For thesaurus
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
    max_candidates:    thesaurus candidates tried per suspect, best first.
    pair_candidates:   for two adjacent suspects, the best this many of each are also tried
                       together ("chilly warfare" -> "cold war"); 0 turns joint candidates off.
    consistent_at:     P(spun) of a text (from the detector's ``judge``) from which the word
                       swaps it confirmed are looked for at its other places: a spinner swaps a
                       word the same way throughout, so where the text has "mentioned" -> "said"
                       once, each other "mentioned" is a phrasebook ``context`` pair for that
                       text; above 1 this is off.
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

    def context_score(self, gain: float) -> float:
        """Logistic confidence of a phrasebook ``context`` entry (0.5 at the margin)."""
        exponent = max(-50.0, min(50.0, gain - self.context_margin))
        return 1.0 / (1.0 + 10.0 ** (-exponent))


@dataclass(frozen=True)
class Evidence:
    """Counts behind a document's verdict: thesaurus suspects, how many are unusual against
    clean text (p <= 0.01, p <= 0.05), certain artefacts (phrasebook ``always``, spintax), and
    Fisher's sum ``-sum(ln p)`` over the suspects (about one per suspect on clean text), and the
    suspects' mixture log-likelihood ratio of spun over clean (:mod:`.suspects`)."""

    suspects: int = 0
    p_below_001: int = 0
    p_below_005: int = 0
    artefacts: int = 0
    neg_log_p: float = 0.0
    suspect_log_ratio: float = 0.0
    followed: int = 0  # findings added by following confirmed swaps (made after the verdict)

    def __add__(self, other: Evidence) -> Evidence:
        return Evidence(
            self.suspects + other.suspects,
            self.p_below_001 + other.p_below_001,
            self.p_below_005 + other.p_below_005,
            self.artefacts + other.artefacts,
            self.neg_log_p + other.neg_log_p,
            self.suspect_log_ratio + other.suspect_log_ratio,
            self.followed + other.followed,
        )


class Option(NamedTuple):
    """A candidate original for one span."""

    words: tuple[str, ...]
    source: str
    entry: Entry | None = None
    closeness: float = 1.0


class Candidates(NamedTuple):
    """The originals a span may hide: all of them, and the scorable ones (every word known to
    the reference), whose arrays are rows ``first .. first + len(scorable) - 1`` of the
    detector's :class:`CandidateRows`."""

    options: tuple[Option, ...]
    scorable: tuple[Option, ...]
    first: int


class CandidateRows:
    """The scorable options of every :class:`Candidates` a detector has built, as arrays, so a
    batch of proposals gathers its rows with one index instead of joining small arrays.

    Per row: word ids (PAD-padded), the number of words, the sum of their unigram log10
    probabilities and log10 of the closeness (floored at :data:`MIN_CLOSENESS`).
    """

    def __init__(self) -> None:
        self.size = 0
        self._ids = np.full((1024, 1), PAD, dtype=np.int64)
        self._lengths = np.zeros(1024, dtype=np.int64)
        self._unigram = np.zeros(1024)
        self._log_closeness = np.zeros(1024)

    def add(
        self, ids: np.ndarray, lengths: np.ndarray, unigram: np.ndarray, log_closeness: np.ndarray
    ) -> int:
        """Append rows; returns the index of the first."""
        first, end = self.size, self.size + lengths.size
        self._reserve(end, ids.shape[1])
        self._ids[first:end, : ids.shape[1]] = ids
        self._lengths[first:end] = lengths
        self._unigram[first:end] = unigram
        self._log_closeness[first:end] = log_closeness
        self.size = end
        return first

    def rows(self, index: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(ids, lengths, unigram, log_closeness) of rows ``index``; the ids are as wide as the
        longest of them."""
        lengths = self._lengths[index]
        width = int(lengths.max()) if lengths.size else 0
        return self._ids[index, :width], lengths, self._unigram[index], self._log_closeness[index]

    def _reserve(self, rows: int, width: int) -> None:
        """Grow the arrays (doubling) to hold ``rows`` rows of up to ``width`` words."""
        capacity, current_width = self._ids.shape
        if rows <= capacity and width <= current_width:
            return
        while capacity < rows:
            capacity *= 2
        ids = np.full((capacity, max(width, current_width)), PAD, dtype=np.int64)
        ids[: self.size, :current_width] = self._ids[: self.size]
        self._ids = ids
        for name in ("_lengths", "_unigram", "_log_closeness"):
            old = getattr(self, name)
            grown = np.zeros(capacity, dtype=old.dtype)
            grown[: self.size] = old[: self.size]
            setattr(self, name, grown)


@dataclass(slots=True)
class Proposal:
    """A span of one sentence and the originals it may hide."""

    sentence: Sentence
    first: int
    end: int
    candidates: Candidates
    kind: str  # "always" | "context" | "thesaurus" | "swap" (see _consistent_edits)
    gain: float = -math.inf
    statistic: float = -math.inf
    best: Option | None = None
    best_index: int = -1  # of ``best`` in ``candidates.scorable``
    score: float = 0.0
    p_value: float = 1.0
    posterior: float = 0.0  # probability of a substitution under the suspect model
    row: int = -1  # in the document's table of written suspect features


@dataclass
class Edit:
    """An accepted replacement, in sentence positions."""

    sentence: Sentence
    first: int
    end: int
    option: Option
    gain: float
    score: float
    consistent: bool = False  # made at another place of a swap the text confirmed


@dataclass
class Detector:
    """Finds spun phrases with a reference, a reversed thesaurus, a phrasebook and a null model.

    A detector keeps per-process caches and is not thread-safe: give each thread its own (the
    worker processes of :mod:`spindetect.pipeline` each build one).
    """

    reference: Reference
    thesaurus: ReverseThesaurus
    phrasebook: Phrasebook
    null: NullDistribution
    config: DetectorConfig = field(default_factory=DetectorConfig)
    suspect_model: SuspectModel | None = None
    judge: Judge | None = None  # P(spun) of a text from its findings, evidence and words

    def __post_init__(self) -> None:
        self._lm = indexed(self.reference)
        self._frequent: dict[str, bool] = {}
        self._option_cache: dict[str, Candidates] = {}
        self._pair_cache: dict[tuple[str, str], Candidates] = {}
        # word -> its thesaurus candidates as a one-word suspect (None: frequent or none)
        self._single_word_candidates: dict[str, Candidates | None] = {}
        self._rows = CandidateRows()

    # -- public ------------------------------------------------------------------------------------
    def examine(
        self, text: str, tokens: list[Token], words: int | None = None
    ) -> tuple[list[Finding], Evidence]:
        """Findings in ``text`` (already tokenized; ``words``: its word tokens, if counted),
        ordered by offset and merged when adjacent, and the document-level evidence behind them
        (for the verdict)."""
        spintax = spintax_matches(text)
        if spintax:
            untouchable = [(t.start, t.end) for t in tokens if t.kind in (Kind.URL, Kind.EMAIL)]
            spintax = [
                match
                for match in spintax
                if not any(start < match.end and match.start < end for start, end in untouchable)
            ]
        findings = [
            Finding(
                match.start,
                match.end,
                text[match.start : match.end],
                match.choice,
                ALWAYS_SCORE,
                "spintax",
                "spintax group left in the text by a spinner",
            )
            for match in spintax
        ]
        edits, open_proposals, document = self._judge(tokens, [(m.start, m.end) for m in spintax])
        suspects = [p for p in open_proposals if p.kind == "thesaurus"]
        model = self.suspect_model
        written = self._written_features(suspects, document) if model else None
        ratios = (
            model.log_ratios(self._suspect_features(suspects, written))
            if model and suspects
            else np.zeros(0)
        )
        control = FalseDiscoveryControl(
            [p.p_value for p in suspects],
            certain=sum(1 for edit in edits if edit.option.source != "thesaurus") + len(spintax),
            min_suspects=self.config.min_suspects,
        )
        evidence = Evidence(
            suspects=len(suspects),
            p_below_001=sum(1 for p in suspects if p.p_value <= 0.01),
            p_below_005=sum(1 for p in suspects if p.p_value <= 0.05),
            artefacts=control.certain,
            neg_log_p=-sum(math.log(max(p.p_value, 1e-300)) for p in suspects),
            suspect_log_ratio=model.evidence(ratios, control.certain) if model else 0.0,
        )
        share = 0.0
        if model is not None and suspects:
            share = model.estimate_share(ratios, self.config.share_prior_weight)
            self._set_posteriors(suspects, written, share, ratios)
        edits += self._greedy(open_proposals, control, written, share)
        merged = self._findings(text, tokens, findings, edits)
        if self.judge is not None and self.config.consistent_at <= 1.0:
            if words is None:
                words = sum(1 for token in tokens if token.kind is Kind.WORD)
            if self.judge(len(merged), evidence, words) >= self.config.consistent_at:
                consistent = self._consistent_edits(edits, suspects, document, tokens)
                if consistent:
                    before = len(merged)
                    merged = self._findings(text, tokens, findings, edits + consistent)
                    evidence = replace(evidence, followed=len(merged) - before)
        return merged, evidence

    def _findings(
        self, text: str, tokens: list[Token], spintax: list[Finding], edits: list[Edit]
    ) -> list[Finding]:
        """The findings of ``edits`` and the spintax ones, by offset, merged when adjacent."""
        findings = spintax + [self._finding(text, tokens, edit) for edit in edits]
        findings.sort(key=lambda finding: finding.start)
        return merge_adjacent(text, tokens, [self._with_article(text, tokens, f) for f in findings])

    def _consistent_edits(
        self,
        edits: list[Edit],
        suspects: list[Proposal],
        document: DocumentIds,
        tokens: list[Token],
    ) -> list[Edit]:
        """Edits at the other places of the one-word swaps that thesaurus ``edits`` made, each
        scored like a phrasebook ``context`` pair in its sentence as restored so far.

        A spinner swaps a word the same way everywhere, so a swap is followed only if the text
        never has the original as written, and only where the reference prefers the original
        at half or more of the observed word's other places (else the word is honest here).
        """
        swaps = confirmed_swaps(edits, self._is_candidate)
        places = self._swap_places(swaps, edits, suspects, tokens)
        self._evaluate_many(places, document)
        by_word: dict[str, list[Proposal]] = {}
        for place in places:
            place.score = self.config.context_score(place.gain) if place.best else 0.0
            by_word.setdefault(place.sentence.written[place.first] or "", []).append(place)
        consistent = []
        for group in by_word.values():
            chosen = [place for place in group if place.score >= self.config.threshold]
            if 2 * len(chosen) >= len(group):
                consistent += [
                    Edit(p.sentence, p.first, p.end, p.candidates.options[0], p.gain, p.score, True)
                    for p in chosen
                ]
        return consistent

    def _is_candidate(self, word: str, original: str) -> bool:
        """Whether the thesaurus lists ``original`` for the one word ``word``."""
        return any(words == (original,) for words, _ in self.thesaurus.candidates(word))

    def _swap_places(
        self,
        swaps: dict[str, str],
        edits: list[Edit],
        suspects: list[Proposal],
        tokens: list[Token],
    ) -> list[Proposal]:
        """A one-candidate proposal at each unedited one-word suspect whose word ``swaps`` maps
        to an original the text does not have."""
        if swaps:
            standing = {token.lower for token in tokens if token.kind is Kind.WORD}
            swaps = {word: original for word, original in swaps.items() if original not in standing}
        if not swaps:
            return []
        edited = {(id(e.sentence), position) for e in edits for position in range(e.first, e.end)}
        rows: dict[str, Candidates] = {}  # one candidate row per original, shared by its places
        places = []
        for proposal in suspects:
            original = swaps.get(proposal.sentence.written[proposal.first] or "")
            if (
                original is not None
                and proposal.end == proposal.first + 1
                and (id(proposal.sentence), proposal.first) not in edited
            ):
                candidates = rows.get(original)
                if candidates is None:
                    option = Option((original,), "thesaurus", None, 1.0)
                    candidates = rows[original] = self._candidates([option])
                places.append(
                    Proposal(proposal.sentence, proposal.first, proposal.end, candidates, "swap")
                )
        return places

    def statistics(self, tokens: list[Token]) -> list[float]:
        """The thesaurus statistic of every suspect in a text (input of the null model)."""
        _, open_proposals, _ = self._judge(tokens, [])
        return [p.statistic for p in open_proposals if p.kind == "thesaurus"]

    def suspect_table(self, tokens: list[Token]) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """The :data:`~.suspects.SUSPECT_FEATURES` of every thesaurus suspect of a text, and
        each suspect's character span (input of the suspect model's training)."""
        _, open_proposals, document = self._judge(tokens, [])
        suspects = [p for p in open_proposals if p.kind == "thesaurus"]
        spans = [
            (
                tokens[p.sentence.token_indices[p.first]].start,
                tokens[p.sentence.token_indices[p.end - 1]].end,
            )
            for p in suspects
        ]
        written = self._written_features(suspects, document)
        return self._suspect_features(suspects, written), spans

    def _judge(
        self, tokens: list[Token], blocked: list[tuple[int, int]]
    ) -> tuple[list[Edit], list[Proposal], DocumentIds]:
        """Apply the phrasebook's certain edits, then evaluate every other proposal against
        the text as it then stands; returns the certain edits and the open proposals."""
        if self._rows.size >= CANDIDATE_ROWS_LIMIT:
            self._forget_candidates()
        proposals, all_sentences = self._proposals(tokens, blocked)
        # Only positions no edit is near are ever read off the document, so the keys as written
        # serve before and after the certain edits.
        document = encode_sentences(self._lm, [s.written for s in all_sentences])
        edits = self._apply_always([p for p in proposals if p.kind == "always"], document)
        edited = {id(edit.sentence) for edit in edits}
        open_proposals = [
            p
            for p in proposals
            if p.kind != "always" and not (id(p.sentence) in edited and _overlaps(p, edits))
        ]
        self._evaluate_many(open_proposals, document)
        return edits, open_proposals, document

    def _written_features(self, suspects: list[Proposal], document: DocumentIds) -> np.ndarray:
        """The suspect features that depend on the text as written only (edits do not change
        them): written unigram, context gain, next word's context gain, words, candidates.
        Each suspect's ``row`` is set to its row."""
        firsts = np.fromiter(
            (document.starts[p.sentence.number] + p.first for p in suspects),
            dtype=np.int64,
            count=len(suspects),
        )
        lengths = np.fromiter((p.end - p.first for p in suspects), np.int64, len(suspects))
        written = unigram_sums(self._lm, document_windows(document, firsts, lengths).words)
        gains = context_gains(self._lm, document, np.concatenate([firsts, firsts + lengths]))
        for row, proposal in enumerate(suspects):
            proposal.row = row
        candidates = [len(p.candidates.scorable) for p in suspects]
        return np.column_stack(
            [written, gains[: len(suspects)], gains[len(suspects) :], lengths, candidates]
        ).astype(np.float64)

    def _suspect_features(self, suspects: list[Proposal], written: np.ndarray) -> np.ndarray:
        """One row of :data:`~.suspects.SUSPECT_FEATURES` per suspect, from its current best
        candidate and its row of :meth:`_written_features`."""
        static = written[np.fromiter((p.row for p in suspects), np.int64, len(suspects))]
        best = np.fromiter((p.best_index for p in suspects), np.int64, len(suspects))
        found = best >= 0
        rows = np.fromiter((p.candidates.first for p in suspects), np.int64, len(suspects))
        _, _, best_unigram, best_closeness = self._rows.rows(np.where(found, rows + best, 0))
        return np.column_stack(
            [
                [p.statistic if p.best else MISSING_SCORE for p in suspects],
                [p.gain if p.best else MISSING_SCORE for p in suspects],
                [-math.log(max(p.p_value, 1e-300)) for p in suspects],
                np.where(found, best_unigram - static[:, 0], 0.0),
                static[:, :4],
                np.where(found, best_closeness, -3.0),
                static[:, 4],
            ]
        ).astype(np.float64)

    # -- suspects and candidates -------------------------------------------------------------------
    def _candidates(self, options: Sequence[Option]) -> Candidates:
        """Candidates of ``options``, the scorable ones added to the batch-scoring rows."""
        knows = self.reference.knows
        scorable = tuple(o for o in options if all(knows(word) for word in o.words))
        ids, lengths = encode_words(self._lm, [o.words for o in scorable])
        first = self._rows.add(
            ids,
            lengths,
            unigram_sums(self._lm, ids),
            np.array(
                [math.log10(max(o.closeness, MIN_CLOSENESS)) for o in scorable], dtype=np.float64
            ),
        )
        return Candidates(tuple(options), scorable, first)

    def _forget_candidates(self) -> None:
        """Drop every cached candidate table (bounds memory over a long stream of texts)."""
        self._option_cache.clear()
        self._pair_cache.clear()
        self._single_word_candidates.clear()
        self._rows = CandidateRows()

    def _is_frequent(self, word: str) -> bool:
        frequent = self._frequent.get(word)
        if frequent is None:
            frequent = self.reference.logprob(word, ()) > self.config.frequent_logprob
            self._frequent[word] = frequent
        return frequent

    def _proposals(
        self, tokens: list[Token], blocked: list[tuple[int, int]]
    ) -> tuple[list[Proposal], list[Sentence]]:
        all_sentences = sentences(tokens, self.reference)
        position_of: dict[int, tuple[Sentence, int]] = {}
        for sentence in all_sentences:
            for position, token_index in enumerate(sentence.token_indices):
                position_of[token_index] = (sentence, position)
        proposals: list[Proposal] = []
        taken: set[tuple[int, int]] = set()
        for match in self.phrasebook.matches(tokens):
            if _inside(tokens[match.first].start, blocked):
                continue
            places = [
                position_of.get(index)
                for index in range(match.first, match.last + 1)
                if tokens[index].kind is not Kind.HYPHEN and tokens[index].kind is not Kind.OTHER
            ]
            if (
                not places
                or any(place is None for place in places)
                or len({id(place[0]) for place in places}) != 1
            ):  # type: ignore[index]
                continue
            sentence = places[0][0]  # type: ignore[index]
            first, end = places[0][1], places[-1][1] + 1  # type: ignore[index]
            entry = match.entry
            option = Option(tuple(entry.original.lower().split()), entry.source, entry)
            proposals.append(Proposal(sentence, first, end, self._candidates([option]), entry.mode))
            taken.update((id(sentence), position) for position in range(first, end))
        for sentence in all_sentences:
            found = self._thesaurus_proposals(sentence, taken)
            if blocked:
                indices = sentence.token_indices
                found = [p for p in found if not _inside(tokens[indices[p.first]].start, blocked)]
            proposals += found
        return proposals, all_sentences

    def _thesaurus_proposals(
        self, sentence: Sentence, taken: set[tuple[int, int]]
    ) -> list[Proposal]:
        result = []
        keys = sentence.written  # no edit has been applied yet
        sentence_id = id(sentence)
        blocked = {position for owner, position in taken if owner == sentence_id} if taken else ()
        prefixes = self.thesaurus.prefixes
        single = self._single_word_candidates
        max_words = self.thesaurus.max_words
        for first, key in enumerate(keys):
            if key is None or first in blocked:
                continue
            candidates = single.get(key, _UNSEEN)
            if candidates is _UNSEEN:
                candidates = None if self._is_frequent(key) else self._options(key)
                single[key] = candidates
            if candidates is not None:
                result.append(Proposal(sentence, first, first + 1, candidates, "thesaurus"))
            if key not in prefixes:  # no longer observed form starts with this word
                continue
            phrase = key
            for end in range(first + 2, min(len(keys), first + max_words) + 1):
                following = keys[end - 1]
                if following is None or end - 1 in blocked:
                    break
                phrase = f"{phrase} {following}"
                candidates = self._options(phrase)
                if candidates is not None:
                    result.append(Proposal(sentence, first, end, candidates, "thesaurus"))
                if phrase not in prefixes:
                    break
        return result + self._pair_proposals(sentence, result)

    def _options(self, observed: str) -> Candidates | None:
        """Thesaurus candidates for an observed phrase (None if it has none), built once per
        phrase and process."""
        if observed not in self.thesaurus:
            return None
        candidates = self._option_cache.get(observed)
        if candidates is None:
            knows = self.reference.knows
            found = self.thesaurus.candidates(observed)[: self.config.max_candidates]
            candidates = self._candidates(
                [
                    Option(words, "thesaurus", None, closeness)
                    for words, closeness in found
                    if all(knows(word) for word in words)
                    and not (len(words) == 1 and self._is_frequent(words[0]))
                ]
            )
            self._option_cache[observed] = candidates
        return candidates if candidates.scorable else None

    def _pair_proposals(self, sentence: Sentence, singles: list[Proposal]) -> list[Proposal]:
        """Joint candidates for two adjacent one-word suspects."""
        width = self.config.pair_candidates
        if width <= 0:
            return []
        by_first = {p.first: p for p in singles if p.end == p.first + 1}
        pairs = []
        for first, left in by_first.items():
            right = by_first.get(first + 1)
            if right is None:
                continue
            key = (sentence.key(first) or "", sentence.key(first + 1) or "")
            candidates = self._pair_cache.get(key)
            if candidates is None:
                candidates = self._candidates(
                    [
                        Option(a.words + b.words, "thesaurus", None, a.closeness * b.closeness)
                        for a in left.candidates.scorable[:width]
                        for b in right.candidates.scorable[:width]
                    ]
                )
                self._pair_cache[key] = candidates
            pairs.append(Proposal(sentence, first, first + 2, candidates, "thesaurus"))
        return pairs

    # -- decisions ---------------------------------------------------------------------------------
    def _evaluate(self, proposal: Proposal) -> None:
        """Best option of a proposal in the sentence as it stands now."""
        self._evaluate_many([proposal])

    def _evaluate_many(
        self, proposals: list[Proposal], document: DocumentIds | None = None
    ) -> None:
        """Best option, statistic and p-value of each proposal, in one reference query.

        For each scorable option: ``gain - frequency_discount * (log10 P(option) - log10
        P(written)) + closeness_weight * log10(closeness)``; the best option is the first with
        the highest value.
        """
        if not proposals:
            return
        tables = [proposal.candidates for proposal in proposals]
        counts = np.fromiter((len(t.scorable) for t in tables), dtype=np.int64, count=len(tables))
        firsts = np.fromiter((t.first for t in tables), dtype=np.int64, count=len(tables))
        owners = np.repeat(np.arange(len(proposals)), counts)
        starts = np.cumsum(counts) - counts
        ids, lengths, unigram, log_closeness = self._rows.rows(
            firsts[owners] + np.arange(owners.size) - starts[owners]
        )
        windows = self._windows(proposals, document)
        gains = candidate_gains(self._lm, windows, ids, lengths, owners)
        written = unigram_sums(self._lm, windows.words)
        statistics = (
            gains
            - self.config.frequency_discount * (unigram - written[owners])
            + self.config.closeness_weight * log_closeness
        )
        best = segment_argmax(statistics, owners, len(proposals))
        found = best >= 0
        best_statistics = np.full(len(proposals), -np.inf)
        best_statistics[found] = statistics[best[found]]
        best_gains = np.full(len(proposals), -np.inf)
        best_gains[found] = gains[best[found]]
        choices = (best - starts).tolist()
        for proposal, choice, gain, statistic, p_value in zip(
            proposals,
            choices,
            best_gains.tolist(),
            best_statistics.tolist(),
            self.null.p_values(best_statistics).tolist(),
            strict=True,
        ):
            proposal.gain, proposal.statistic, proposal.p_value = gain, statistic, p_value
            proposal.best = proposal.candidates.scorable[choice] if choice >= 0 else None
            proposal.best_index = max(choice, -1)

    def _windows(self, proposals: list[Proposal], document: DocumentIds | None) -> Windows:
        """The scoring windows of the proposals: read off the document's id array (the text as
        written) where no edit is near, else built from the sentence as it now stands."""
        fast = (
            [i for i, p in enumerate(proposals) if p.sentence.as_written_around(p.first, p.end)]
            if document is not None
            else []
        )
        if len(fast) == len(proposals):
            return self._document_windows(proposals, document)  # type: ignore[arg-type]
        slow = sorted(set(range(len(proposals))) - set(fast))
        built = encode_windows(
            self._lm,
            [proposals[i].sentence.window(proposals[i].first, proposals[i].end) for i in slow],
        )
        if not fast:
            return built
        read = self._document_windows([proposals[i] for i in fast], document)  # type: ignore[arg-type]
        width = max(built.words.shape[1], read.words.shape[1])
        n = len(proposals)
        history = np.empty((n, 2), dtype=np.int64)
        following = np.empty((n, 2), dtype=np.int64)
        lengths = np.empty(n, dtype=np.int64)
        words = np.full((n, width), PAD, dtype=np.int64)
        for rows, part in ((slow, built), (fast, read)):
            history[rows], following[rows], lengths[rows] = (
                part.history,
                part.following,
                part.lengths,
            )
            words[rows, : part.words.shape[1]] = part.words
        return Windows(history, words, lengths, following)

    @staticmethod
    def _document_windows(proposals: list[Proposal], document: DocumentIds) -> Windows:
        firsts = np.fromiter(
            (document.starts[p.sentence.number] + p.first for p in proposals),
            dtype=np.int64,
            count=len(proposals),
        )
        lengths = np.fromiter((p.end - p.first for p in proposals), np.int64, len(proposals))
        return document_windows(document, firsts, lengths)

    def _apply_always(self, proposals: list[Proposal], document: DocumentIds) -> list[Edit]:
        """Apply the phrasebook's certain edits in order; each is judged in its sentence as the
        earlier ones left it (all at once as written, again only if an earlier edit is near)."""
        self._evaluate_many(proposals, document)
        edits: list[Edit] = []
        for proposal in proposals:
            if _overlaps(proposal, edits):
                continue
            if not proposal.sentence.as_written_around(proposal.first, proposal.end):
                self._evaluate(proposal)
            option = proposal.best or proposal.candidates.options[0]
            gain = proposal.gain if proposal.best else 0.0
            edits.append(
                Edit(proposal.sentence, proposal.first, proposal.end, option, gain, ALWAYS_SCORE)
            )
            if proposal.best:
                proposal.sentence.replace(proposal.first, proposal.end, option.words)
        return edits

    def _score(self, proposal: Proposal, control: FalseDiscoveryControl) -> float:
        if proposal.best is None:
            return 0.0
        if proposal.kind == "context":
            return self.config.context_score(proposal.gain)
        if proposal.p_value > self.config.max_p_value:
            return proposal.posterior
        return max(proposal.posterior, 1.0 - control.q_value(proposal.p_value))

    def _set_posteriors(
        self,
        suspects: list[Proposal],
        written: np.ndarray | None,
        share: float,
        ratios: np.ndarray | None = None,
    ) -> None:
        """Each suspect's posterior probability of a substitution, at the document's share
        (``ratios``: the suspects' log ratios, if already known)."""
        model = self.suspect_model
        if model is None or written is None or not suspects:
            return
        if ratios is None:
            ratios = model.log_ratios(self._suspect_features(suspects, written))
        for proposal, value in zip(suspects, model.posteriors(ratios, share).tolist(), strict=True):
            proposal.posterior = value

    def _greedy(
        self,
        proposals: list[Proposal],
        control: FalseDiscoveryControl,
        written: np.ndarray | None,
        share: float,
    ) -> list[Edit]:
        """Accept edits most confident first; after each, drop the proposals it overlaps and
        re-judge those within three words of it against the restored sentence.

        An edit only changes the scores in its own sentence, so each sentence is its own
        greedy sequence; the sequences advance together, one edit per sentence a round, and
        each round's re-judging is one batch.
        """
        threshold = self.config.threshold
        members: dict[int, list[int]] = {}
        heaps: dict[int, list[tuple[float, float, int, int]]] = {}
        version = [0] * len(proposals)
        alive = [True] * len(proposals)
        for index, proposal in enumerate(proposals):
            proposal.score = self._score(proposal, control)
            key = id(proposal.sentence)
            members.setdefault(key, []).append(index)
            if proposal.score >= threshold:
                heaps.setdefault(key, []).append((-proposal.score, -proposal.statistic, index, 0))
        for heap in heaps.values():
            heapq.heapify(heap)
        edits: list[Edit] = []
        active = list(heaps)
        while active:
            nearby: list[int] = []
            accepted = []
            for key in active:
                chosen = self._next_edit(heaps[key], alive, version)
                if chosen is None:
                    continue
                accepted.append(key)
                edits.append(self._accept(proposals[chosen]))
                alive[chosen] = False
                nearby += self._neighbours(proposals, members[key], chosen, alive)
            rejudged = [proposals[other] for other in nearby]
            self._evaluate_many(rejudged)
            self._set_posteriors([p for p in rejudged if p.kind == "thesaurus"], written, share)
            for other in nearby:
                proposal = proposals[other]
                proposal.score = self._score(proposal, control)
                version[other] += 1
                if proposal.score >= threshold:
                    heapq.heappush(
                        heaps[id(proposal.sentence)],
                        (-proposal.score, -proposal.statistic, other, version[other]),
                    )
            active = accepted
        return edits

    @staticmethod
    def _next_edit(
        heap: list[tuple[float, float, int, int]], alive: list[bool], version: list[int]
    ) -> int | None:
        """The best proposal still standing in one sentence's heap (None when none is)."""
        while heap:
            _, _, index, seen = heapq.heappop(heap)
            if alive[index] and seen == version[index]:
                return index
        return None

    @staticmethod
    def _accept(chosen: Proposal) -> Edit:
        """Apply a proposal's best option to its sentence."""
        best = chosen.best
        assert best is not None  # a scored proposal has a best option
        chosen.sentence.replace(chosen.first, chosen.end, best.words)
        return Edit(chosen.sentence, chosen.first, chosen.end, best, chosen.gain, chosen.score)

    @staticmethod
    def _neighbours(
        proposals: list[Proposal], members: list[int], chosen_index: int, alive: list[bool]
    ) -> list[int]:
        """Drop the proposals that overlap an accepted one; return those near it."""
        chosen = proposals[chosen_index]
        nearby = []
        for other in members:
            proposal = proposals[other]
            if not alive[other]:
                continue
            if proposal.first < chosen.end and chosen.first < proposal.end:
                alive[other] = False
            elif proposal.end > chosen.first - 3 and proposal.first < chosen.end + 3:
                nearby.append(other)
        return nearby

    # -- findings ----------------------------------------------------------------------------------
    def _finding(self, text: str, tokens: list[Token], edit: Edit) -> Finding:
        first_token = tokens[edit.sentence.token_indices[edit.first]]
        last_token = tokens[edit.sentence.token_indices[edit.end - 1]]
        observed = text[first_token.start : last_token.end]
        option = edit.option
        original = option.entry.original if option.entry else " ".join(option.words)
        suggestion = transfer_case(observed, original)
        if edit.consistent:
            reason = (
                f"this text swaps '{original}' for '{observed.lower()}' elsewhere, and "
                f"'{original}' is {_times(edit.gain)} more likely here under the reference"
            )
        elif option.source == "thesaurus":
            reason = (
                f"'{original}' is {_times(edit.gain)} more likely here than "
                f"'{observed.lower()}' under the reference, and this document has more "
                f"such places than clean text"
            )
        elif option.entry and option.entry.mode == "always":
            reason = f"known spinner artefact ({option.entry.note or option.source})"
        else:
            note = option.entry.note if option.entry else ""
            reason = f"phrasebook pair, '{original}' is {_times(edit.gain)} more likely here" + (
                f" ({note})" if note else ""
            )
        return Finding(
            first_token.start,
            last_token.end,
            observed,
            suggestion,
            edit.score,
            option.source,
            reason,
        )

    def _with_article(self, text: str, tokens: list[Token], finding: Finding) -> Finding:
        """Extend a finding over a preceding "a"/"an" that the suggestion makes wrong."""
        index = _token_ending_before(tokens, finding.start)
        if index is None or tokens[index].lower not in ("a", "an"):
            return finding
        article = tokens[index]
        if text[article.end : finding.start] != " ":
            return finding
        first_word = finding.suggestion.split(" ")[0]
        if first_word.lower() in DETERMINERS:
            suggestion = match_case(article.text, finding.suggestion)
        else:
            new_article = match_case(article.text, article_for(first_word))
            if new_article == article.text:
                return finding
            suggestion = f"{new_article} {finding.suggestion}"
        return Finding(
            article.start,
            finding.end,
            text[article.start : finding.end],
            suggestion,
            finding.score,
            finding.source,
            finding.reason,
        )


def merge_adjacent(text: str, tokens: list[Token], findings: list[Finding]) -> list[Finding]:
    """Join findings separated by one space, and spell out a lone digit that leads one.

    "2" + "international locations" -> "2 international locations" -> "two countries": spinners
    turn number words into digits, and a lone digit before a restored phrase is one of those.
    """
    merged: list[Finding] = []
    for finding in findings:
        if merged and text[merged[-1].end : finding.start] == " ":
            merged[-1] = _join(text, merged[-1], finding)
        else:
            merged.append(finding)
    result = []
    for finding in merged:
        index = _token_ending_before(tokens, finding.start)
        if (
            index is not None
            and tokens[index].kind is Kind.NUMBER
            and tokens[index].text in DIGIT_WORDS
            and text[tokens[index].end : finding.start] == " "
            and (index == 0 or tokens[index - 1].kind is not Kind.NUMBER)
        ):
            digit = tokens[index]
            spelled = Finding(
                digit.start,
                digit.end,
                digit.text,
                DIGIT_WORDS[digit.text],
                finding.score,
                finding.source,
                "digit written for a number word",
            )
            finding = _join(text, spelled, finding)
        result.append(finding)
    return result


def _join(text: str, left: Finding, right: Finding) -> Finding:
    sources = list(dict.fromkeys(left.source.split("+") + right.source.split("+")))
    reasons = "; ".join(dict.fromkeys(part for part in (left.reason, right.reason) if part))
    return Finding(
        left.start,
        right.end,
        text[left.start : right.end],
        left.suggestion + text[left.end : right.start] + right.suggestion,
        min(left.score, right.score),
        "+".join(sources),
        reasons,
    )


def _token_ending_before(tokens: list[Token], offset: int) -> int | None:
    """Index of the last token that ends at or before ``offset`` (binary search)."""
    low, high = 0, len(tokens)
    while low < high:
        middle = (low + high) // 2
        if tokens[middle].end <= offset:
            low = middle + 1
        else:
            high = middle
    return low - 1 if low > 0 else None


def confirmed_swaps(
    edits: Sequence[Edit], is_swap: Callable[[str, str], bool] = lambda word, original: True
) -> dict[str, str]:
    """Observed word -> original of the one-word swaps inside the thesaurus ``edits`` ("mentioned
    final" -> "said last" confirms "mentioned" -> "said" and "final" -> "last"); a word
    restored in two ways keeps the more frequent (neither, on a tie).

    The words of a phrase edit are paired only where ``is_swap(word, original)`` (a phrase
    such as "promised land" -> "kingdom come" is no word-for-word swap)."""
    votes: dict[str, dict[str, int]] = {}
    for edit in edits:
        if edit.option.source != "thesaurus" or edit.consistent:
            continue
        observed = edit.sentence.written[edit.first : edit.end]
        if len(observed) != len(edit.option.words):
            continue
        phrase = len(observed) > 1
        for word, original in zip(observed, edit.option.words, strict=True):
            if word is None or word == original or (phrase and not is_swap(word, original)):
                continue
            counts = votes.setdefault(word, {})
            counts[original] = counts.get(original, 0) + 1
    swaps = {}
    for word, counts in votes.items():
        ranked = sorted(counts.values(), reverse=True)
        if len(ranked) == 1 or ranked[0] > ranked[1]:
            swaps[word] = max(counts, key=counts.__getitem__)
    return swaps


def _overlaps(proposal: Proposal, edits: list[Edit]) -> bool:
    return any(
        edit.sentence is proposal.sentence
        and proposal.first < edit.end
        and edit.first < proposal.end
        for edit in edits
    )


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def _times(gain: float) -> str:
    ratio = 10.0 ** max(-12.0, min(gain, 12.0))
    return f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.1f}x"
