"""Many reference scores in one call: the detector's hot path.

A *window* is a short word sequence with its history: ``[h2, h1, w1, ..., wn, a1, a2]`` -- the
two words before a span, the span (as written, or a candidate original) and the two words after
it that depend on the span.  Windows are rows of one int64 matrix of word ids; the history
columns use :data:`NO_WORD` where the sentence (or a number, or an unknown word) cuts it, and
rows end in :data:`PAD`.  :func:`window_logprobs` scores every row with one vectorised
reference query, so the cost is a few numpy passes over all n-grams of a document instead of a
Python call per n-gram.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from .reference import SENTENCE_END, SENTENCE_START, IndexedReference

NO_WORD = -1  # in the history columns: no word here, the history stops
PAD = -2  # after the last word of a row
CUT = -5  # in a document array: a number or unknown word, which ends a history
BEYOND = -6  # in a document array: outside a sentence


class Windows(NamedTuple):
    """Spans in their sentences, as word ids: history (n, 2), words (n, L) with their lengths,
    following words (n, 2).  Missing history words are :data:`NO_WORD`; the rest pads with
    :data:`PAD`."""

    history: np.ndarray
    words: np.ndarray
    lengths: np.ndarray
    following: np.ndarray


def encode_windows(
    reference: IndexedReference,
    windows: Sequence[tuple[Sequence[str], Sequence[str], Sequence[str]]],
) -> Windows:
    """Word ids of ``(history, words, following)`` triples (at most two history and two
    following words each), looked up in one call."""
    n = len(windows)
    counts = np.zeros((n, 3), dtype=np.int64)
    flat: list[str] = []
    for index, (history, words, following) in enumerate(windows):
        counts[index] = len(history), len(words), len(following)
        flat.extend(history)
        flat.extend(words)
        flat.extend(following)
    ids = reference.ids(flat) if flat else np.zeros(0, dtype=np.int64)
    width = int(counts[:, 1].max()) if n else 0
    history = np.full((n, 2), NO_WORD, dtype=np.int64)
    words = np.full((n, width), PAD, dtype=np.int64)
    following = np.full((n, 2), PAD, dtype=np.int64)
    totals = counts.sum(axis=1)
    owner = np.repeat(np.arange(n), totals)
    position = np.arange(ids.size) - np.repeat(np.cumsum(totals) - totals, totals)
    n_history, n_words = counts[owner, 0], counts[owner, 1]
    part = (position >= n_history).astype(np.int64) + (position >= n_history + n_words)
    mask = part == 0
    history[owner[mask], 2 - n_history[mask] + position[mask]] = ids[mask]
    mask = part == 1
    words[owner[mask], position[mask] - n_history[mask]] = ids[mask]
    mask = part == 2
    following[owner[mask], position[mask] - n_history[mask] - n_words[mask]] = ids[mask]
    return Windows(history, words, counts[:, 1].copy(), following)


class DocumentIds(NamedTuple):
    """The sentences of a document as written, as one id array: each sentence is laid out as
    ``[BEYOND, <s>, words..., </s>, BEYOND]`` (a gap is :data:`CUT`); ``starts[i]`` is the
    index of sentence i's first word."""

    ids: np.ndarray
    starts: np.ndarray


def encode_sentences(
    reference: IndexedReference, sentences: Sequence[Sequence[str | None]]
) -> DocumentIds:
    """Word ids of whole sentences (None for a gap), looked up in one call."""
    keys = [key for sentence in sentences for key in sentence]
    lengths = np.fromiter((len(s) for s in sentences), dtype=np.int64, count=len(sentences))
    words = reference.ids([key or "" for key in keys]) if keys else np.zeros(0, np.int64)
    words[np.fromiter((key is None for key in keys), dtype=bool, count=len(keys))] = CUT
    start_id, end_id = (int(x) for x in reference.ids([SENTENCE_START, SENTENCE_END]))
    spans = lengths + 4
    starts = np.cumsum(spans) - spans + 2
    ids = np.full(int(spans.sum()), BEYOND, dtype=np.int64)
    ids[starts - 1] = start_id
    ids[starts + lengths] = end_id
    ids[
        np.repeat(starts, lengths)
        + np.arange(words.size)
        - np.repeat(np.cumsum(lengths) - lengths, lengths)
    ] = words
    return DocumentIds(ids, starts)


def document_windows(document: DocumentIds, firsts: np.ndarray, lengths: np.ndarray) -> Windows:
    """:class:`Windows` of spans given as absolute positions in ``document.ids`` (first word)
    and lengths, with the same history and following-word rules as the sentences."""
    ids = document.ids
    h1, h2 = ids[firsts - 1], ids[firsts - 2]
    cut = h1 == CUT
    history = np.stack([np.where(cut | (h2 < 0), NO_WORD, h2), np.where(cut, NO_WORD, h1)], axis=1)
    width = int(lengths.max()) if lengths.size else 0
    columns = np.arange(width)
    inside = columns[None, :] < lengths[:, None]
    words = np.where(inside, ids[np.minimum(firsts[:, None] + columns, ids.size - 1)], PAD)
    ends = firsts + lengths
    a1, a2 = ids[ends], ids[np.minimum(ends + 1, ids.size - 1)]
    stop = a1 == CUT
    following = np.stack(
        [np.where(stop, PAD, a1), np.where(stop | (a2 < 0) | (a1 < 0), PAD, a2)], axis=1
    )
    return Windows(history, words, lengths.astype(np.int64), following)


def context_gains(
    reference: IndexedReference, document: DocumentIds, positions: np.ndarray
) -> np.ndarray:
    """How much the history predicts the word at each position of ``document.ids``: log10
    P(w | h2 h1) - log10 P(w), with the history rules of the sentences; 0.0 where the position
    holds no known word."""
    ids = document.ids
    words, h1, h2 = ids[positions], ids[positions - 1], ids[positions - 2]
    known = words >= 0
    h1 = np.where(h1 >= 0, h1, NO_WORD)
    h2 = np.where((h1 >= 0) & (h2 >= 0), h2, NO_WORD)
    none = np.full(int(known.sum()), NO_WORD, dtype=np.int64)
    gains = np.zeros(positions.shape)
    in_context = reference.logprob_ids(words[known], h1[known], h2[known])
    gains[known] = in_context - reference.logprob_ids(words[known], none, none)
    return gains


def encode_words(
    reference: IndexedReference, sequences: Sequence[Sequence[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """Word ids of word sequences as a :data:`PAD`-padded matrix, and their lengths."""
    lengths = np.fromiter((len(words) for words in sequences), dtype=np.int64, count=len(sequences))
    matrix = np.full((len(sequences), int(lengths.max()) if len(sequences) else 0), PAD)
    flat = [word for words in sequences for word in words]
    if flat:
        rows = np.repeat(np.arange(len(sequences)), lengths)
        columns = np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        matrix[rows, columns] = reference.ids(flat)
    return matrix, lengths


def candidate_gains(
    reference: IndexedReference,
    windows: Windows,
    candidates: np.ndarray,
    lengths: np.ndarray,
    owners: np.ndarray,
) -> np.ndarray:
    """log10 likelihood ratio of each candidate (a row of ``candidates``) put in place of the
    words of window ``owners[i]``, over the window as written."""
    written, replaced = window_logprobs_many(
        reference,
        [
            build_windows(windows.history, windows.words, windows.lengths, windows.following),
            build_windows(windows.history[owners], candidates, lengths, windows.following[owners]),
        ],
    )
    return replaced - written[owners]


def unigram_sums(reference: IndexedReference, words: np.ndarray) -> np.ndarray:
    """Sum of the unigram log10 probabilities of each row of a :data:`PAD`-padded id matrix."""
    values = np.zeros(words.shape)
    present = words >= 0
    none = np.full(int(present.sum()), NO_WORD, dtype=np.int64)
    values[present] = reference.logprob_ids(words[present], none, none)
    return values.sum(axis=1)


def build_windows(
    history: np.ndarray, words: np.ndarray, lengths: np.ndarray, following: np.ndarray
) -> np.ndarray:
    """Rows ``[h2, h1, words[:length], following...]``, padded with :data:`PAD`.

    ``history`` is (n, 2) with :data:`NO_WORD` for missing words, ``words`` (n, L) and
    ``following`` (n, F) padded with :data:`PAD`; ``lengths`` gives the words of each row.
    """
    n, width = words.shape
    extra = following.shape[1]
    rows = np.full((n, 2 + width + extra), PAD, dtype=np.int64)
    rows[:, :2] = history
    rows[:, 2 : 2 + width] = words
    index = np.arange(n)
    for t in range(extra):
        present = following[:, t] != PAD
        rows[index[present], 2 + lengths[present] + t] = following[present, t]
    return rows


def window_logprobs(reference: IndexedReference, rows: np.ndarray) -> np.ndarray:
    """log10 probability of each row's words (from column 2 on) given the words before them."""
    return window_logprobs_many(reference, [rows])[0]


def window_logprobs_many(
    reference: IndexedReference, matrices: Sequence[np.ndarray]
) -> list[np.ndarray]:
    """:func:`window_logprobs` of several row matrices (of any widths) in one reference query."""
    present = [rows[:, 2:] >= 0 for rows in matrices]
    queries = [  # predicted words, the words before them, the words before those
        np.concatenate(
            [rows[:, columns][mask] for rows, mask in zip(matrices, present, strict=True)]
        )
        for columns in (slice(2, None), slice(1, -1), slice(0, -2))
    ]
    scores = reference.logprob_ids(*queries) if queries[0].size else np.zeros(0)
    sums, start = [], 0
    for mask in present:
        values = np.zeros(mask.shape)
        count = int(np.count_nonzero(mask))
        values[mask] = scores[start : start + count]
        start += count
        sums.append(values.sum(axis=1))
    return sums


def segment_argmax(values: np.ndarray, owners: np.ndarray, segments: int) -> np.ndarray:
    """Index of the first maximum of ``values`` within each owner (-1 for owners with none).

    ``owners`` must be sorted (rows of one owner are contiguous).
    """
    best = np.full(segments, -1, dtype=np.int64)
    if values.size == 0:
        return best
    maxima = np.full(segments, -np.inf)
    np.maximum.at(maxima, owners, values)
    hits = np.flatnonzero(values == maxima[owners])
    owners_hit, first = np.unique(owners[hits], return_index=True)
    best[owners_hit] = hits[first]
    return best
