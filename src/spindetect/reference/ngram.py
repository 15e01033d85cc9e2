"""A user-built n-gram reference (``spindetect reference build``) and its mixture with the default.

File format (one file, little-endian, every array 64-byte aligned so it can be memory-mapped)::

    b"SPDNGRM1"                      8 bytes magic
    header length                    uint64
    header                           UTF-8 JSON: name, order, counts, discounts, unknown_logprob,
                                     arrays {name: [offset, count, dtype]}, source (sha256, ...)
    keys1 logprob1 backoff1          per order n = 1..order:
    keys2 logprob2 backoff2            keys{n}    uint64, sorted ascending: hashed n-grams
    keys3 logprob3                     logprob{n} float32: log10 P(w | h), interpolated
                                       backoff{n} float32 (n < order): log10 weight of the n-gram
                                                  as a context (0.0 when it never is one)

Words are hashed, never stored: ``h(w)`` is the first 8 bytes of BLAKE2b of the UTF-8 word
(lower-cased by the tokenizer, ``<s>``/``</s>`` for sentence ends), and an n-gram's key folds its
words in with a 64-bit mixer (:func:`ngram_keys`).  Two different n-grams share a key with
probability about ``m**2 / 2**65`` for ``m`` n-grams of one order: negligible.

The estimate is interpolated absolute discounting (Ney et al. 1994), written in backoff form as
SRILM does: for a stored n-gram ``P(w|h) = (c(hw) - D)/c(h.) + lambda(h) P(w|h')``; for any other
word ``P(w|h) = lambda(h) P(w|h')``, ``lambda(h)`` holding the discounted mass and the mass of
pruned n-grams, so every conditional distribution sums to one.  Queries back off like an ARPA
model, three binary searches at most per order.  Kneser-Ney would need the left-context counts of
every n-gram, which the partitioned counting (``spindetect.reference.build``) does not keep; with
the mixture below the difference matters little.
"""

from __future__ import annotations

import hashlib
import json
import math
import mmap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from . import SENTENCE_START, ModelError, Reference, logprob_many

MAGIC = b"SPDNGRM1"
ALIGN = 64
MASK = (1 << 64) - 1
_MULTIPLIER = 0x9E3779B97F4A7C15
CACHE_LIMIT = 2_000_000
DICT_LIMIT = 200_000  # orders with at most this many n-grams are looked up through a dict


# -- hashing ---------------------------------------------------------------------------------------
def word_hash(word: str) -> int:
    """64-bit hash of a word (never 0)."""
    value = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
    return value or 1


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser on uint64 arrays (wrapping arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _mix_int(x: int) -> int:
    """:func:`_mix` on one Python int (the same value as the array version)."""
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def ngram_key(hashes: Sequence[int]) -> int:
    """Key of one n-gram of word hashes (the scalar twin of :func:`ngram_keys`)."""
    key = hashes[0]
    for value in hashes[1:]:
        key = _mix_int((key * _MULTIPLIER + value) & MASK)
    return key


def ngram_keys(*columns: np.ndarray) -> np.ndarray:
    """Keys of n-grams given as columns of word hashes (oldest word first)."""
    with np.errstate(over="ignore"):
        key = columns[0].astype(np.uint64, copy=True)
        for column in columns[1:]:
            key = _mix(key * np.uint64(_MULTIPLIER) + column.astype(np.uint64))
    return key


# -- the model -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Level:
    """The arrays of one order."""

    keys: np.ndarray
    logprob: np.ndarray
    backoff: np.ndarray | None


class NgramReference:
    """A memory-mapped model written by ``spindetect reference build``; a :class:`Reference`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.header, self.levels = _read(self.path)
        self.name = str(self.header.get("name") or self.path.stem)
        self.order = len(self.levels)
        self.unknown = float(self.header["unknown_logprob"])
        self._hashes: dict[str, int] = {}
        self._cache: dict[tuple[str, ...], float] = {}
        self._known: dict[str, bool] = {}
        self._index: list[dict[int, int] | None] = [None] * len(self.levels)

    @property
    def provenance(self) -> tuple[dict[str, Any], ...]:
        """What a report records about this model."""
        return (
            {
                "path": str(self.path),
                "format": "spindetect-ngram",
                "sha256": self.header.get("sha256_of_arrays", ""),
                "rows": int(sum(len(level.keys) for level in self.levels)),
                "source": self.header.get("source", {}),
            },
        )

    def _hash(self, word: str) -> int:
        value = self._hashes.get(word)
        if value is None:
            if len(self._hashes) >= CACHE_LIMIT:
                self._hashes.clear()
            value = self._hashes[word] = word_hash(word)
        return value

    def knows(self, word: str) -> bool:
        """True when the word is a (kept) unigram of the model."""
        known = self._known.get(word)
        if known is None:
            key = np.array([self._hash(word)], dtype=np.uint64)
            known = word != SENTENCE_START and bool(find_keys(self.levels[0].keys, key)[0] >= 0)
            self._known[word] = known
        return known

    def logprob(self, word: str, history: tuple[str, ...]) -> float:
        """log10 P(word | history); ``history`` oldest first, the last ``order - 1`` words used."""
        history = history[len(history) - (self.order - 1) :] if self.order > 1 else ()
        key = (word, *history)
        cached = self._cache.get(key)
        if cached is None:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            cached = self._cache[key] = self._score_one([self._hash(w) for w in (*history, word)])
        return cached

    def _position(self, n: int, key: int) -> int:
        """Index of ``key`` among the n-grams of order ``n``, or -1.  Orders with few n-grams
        get a dict on first use (faster than a binary search from Python); large ones are
        searched in the mapped array, so memory and load time stay small."""
        table = self._index[n - 1]
        keys = self.levels[n - 1].keys
        if table is None and len(keys) <= DICT_LIMIT:
            table = self._index[n - 1] = dict(zip(keys.tolist(), range(len(keys)), strict=True))
        if table is not None:
            return table.get(key, -1)
        return find_one(keys, key)

    def _score_one(self, hashes: list[int]) -> float:
        """Backoff scoring of one n-gram, oldest word first (the scalar twin of :func:`score`)."""
        total = 0.0
        while hashes:
            n = len(hashes)
            level = self.levels[n - 1]
            index = self._position(n, ngram_key(hashes))
            if index >= 0:
                return total + float(level.logprob[index])
            if n == 1:
                return total + self.unknown
            context = self.levels[n - 2]
            index = self._position(n - 1, ngram_key(hashes[:-1]))
            if index >= 0 and context.backoff is not None:
                total += float(context.backoff[index])
            hashes = hashes[1:]
        return total + self.unknown

    def logprob_many(self, queries: Sequence[tuple[str, tuple[str, ...]]]) -> np.ndarray:
        """log10 P(word | history) of many ``(word, history)`` queries at once (float64)."""
        width = self.order
        grid = np.zeros((len(queries), width), dtype=np.uint64)  # 0 = no word there
        for row, (word, history) in enumerate(queries):
            words = [*history[len(history) - (width - 1) :], word] if width > 1 else [word]
            for column, item in enumerate(words, start=width - len(words)):
                grid[row, column] = self._hash(item)
        return self.score_hashes(grid)

    def score_hashes(self, grid: np.ndarray) -> np.ndarray:
        """Backoff scoring of rows of word hashes (right-aligned, 0 where no history)."""
        return score(self.levels, grid, self.unknown)


def score(levels: Sequence[Level], grid: np.ndarray, unknown: float) -> np.ndarray:
    """log10 P of the last word of each row of word hashes given the words before it, backing
    off as an ARPA model does.  Rows are right-aligned; 0 marks a missing history word."""
    count, width = grid.shape
    result = np.zeros(count, dtype=np.float64)
    done = np.zeros(count, dtype=bool)
    for n in range(min(width, len(levels)), 0, -1):  # longest n-gram first
        level = levels[n - 1]
        columns = [grid[:, width - n + i] for i in range(n)]
        usable = ~done & np.all(np.stack(columns) != 0, axis=0)
        if not usable.any():
            continue
        rows = np.flatnonzero(usable)
        index = find_keys(level.keys, ngram_keys(*[column[rows] for column in columns]))
        hit = index >= 0
        result[rows[hit]] += level.logprob[index[hit]]
        done[rows[hit]] = True
        if n > 1:  # missed: add log10 lambda of the context, then back off to n - 1
            missed = rows[~hit]
            context = levels[n - 2]
            keys = ngram_keys(*[grid[missed, width - n + i] for i in range(n - 1)])
            found = find_keys(context.keys, keys)
            backoff = context.backoff
            if backoff is not None:
                result[missed] += np.where(found >= 0, backoff[np.maximum(found, 0)], 0.0)
    result[~done] += unknown
    return result


def find_one(keys: np.ndarray, key: int) -> int:
    """Index of one key in the sorted ``keys``, or -1."""
    index = int(keys.searchsorted(np.uint64(key)))
    return index if index < len(keys) and int(keys[index]) == key else -1


def find_keys(keys: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Index of each query in the sorted ``keys``, or -1."""
    if len(keys) == 0:
        return np.full(len(queries), -1, dtype=np.int64)
    index = np.searchsorted(keys, queries)
    index = np.minimum(index, len(keys) - 1)
    return np.where(keys[index] == queries, index, -1)


def _read(path: Path) -> tuple[dict[str, Any], list[Level]]:
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(MAGIC))
            if magic != MAGIC:
                raise ModelError(f"{path}: not a spindetect reference model")
            size = int.from_bytes(handle.read(8), "little")
            header = json.loads(handle.read(size).decode("utf-8"))
    except OSError as error:
        raise ModelError(f"{path}: cannot read: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ModelError(f"{path}: damaged model header") from None
    arrays = {}
    try:
        with path.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        for name, (offset, count, dtype) in header["arrays"].items():
            # Plain arrays over the mapping (np.memmap's subclass makes scalar look-ups slow).
            arrays[name] = np.frombuffer(mapped, dtype=np.dtype(dtype), count=count, offset=offset)
        levels = [
            Level(arrays[f"keys{n}"], arrays[f"logprob{n}"], arrays.get(f"backoff{n}"))
            for n in range(1, int(header["order"]) + 1)
        ]
    except (KeyError, ValueError, TypeError, OSError) as error:
        raise ModelError(f"{path}: damaged model ({error})") from None
    return header, levels


def write_model(
    path: str | Path, header: dict[str, Any], arrays: dict[str, np.ndarray]
) -> dict[str, Any]:
    """Write a model file: header, then the arrays, each aligned to 64 bytes.  Returns the
    header as written (with the array table and a sha256 of the array bytes)."""
    names = list(arrays)
    digest = hashlib.sha256()
    for name in names:
        digest.update(np.ascontiguousarray(arrays[name]).tobytes())
    header = {**header, "sha256_of_arrays": digest.hexdigest()}
    # The array table depends on the header's length: settle it by fixed-point iteration.
    table: dict[str, list] = {
        name: [0, len(arrays[name]), arrays[name].dtype.str] for name in names
    }
    while True:
        encoded = json.dumps({**header, "arrays": table}, sort_keys=True).encode("utf-8")
        offset = _aligned(len(MAGIC) + 8 + len(encoded))
        changed = False
        for name in names:
            if table[name][0] != offset:
                table[name][0], changed = offset, True
            offset = _aligned(offset + arrays[name].nbytes)
        if not changed:
            break
    with Path(path).open("wb") as handle:
        handle.write(MAGIC + len(encoded).to_bytes(8, "little") + encoded)
        for name in names:
            handle.write(b"\0" * (table[name][0] - handle.tell()))
            handle.write(np.ascontiguousarray(arrays[name]).tobytes())
    return {**header, "arrays": table}


def _aligned(offset: int) -> int:
    return (offset + ALIGN - 1) // ALIGN * ALIGN


# -- combination with the default reference --------------------------------------------------------
class MixtureReference:
    """Linear interpolation of references in probability space: ``P = sum_i w_i P_i``.

    Why a mixture and not the maximum: the mixture is itself a probability distribution, so the
    detector's likelihood ratios keep their meaning; it is the standard way to adapt a general
    LM to a domain (interpolating a background and an in-domain model).  A word the domain
    model knows well keeps at least ``w_i`` of its domain probability, however rare it is in
    news; a word only the news model knows keeps its news probability, scaled by its weight.
    The maximum would not sum to one and would favour whichever model is sparser.
    """

    def __init__(self, components: Sequence[Reference], weights: Sequence[float]) -> None:
        if len(components) != len(weights) or not components:
            raise ValueError("one weight per component")
        total = float(sum(weights))
        self.components = list(components)
        self.log_weights = [math.log10(w / total) for w in weights]
        self.name = "+".join(component.name for component in components)
        self.provenance = tuple(
            item for component in components for item in getattr(component, "provenance", ())
        )
        self._cache: dict[tuple[str, ...], float] = {}
        self._known: dict[str, bool] = {}

    def knows(self, word: str) -> bool:
        """True when any component knows the word."""
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = any(c.knows(word) for c in self.components)
        return known

    def logprob(self, word: str, history: tuple[str, ...]) -> float:
        """log10 of the weighted sum of the components' probabilities."""
        key = (word, *history[-2:])
        cached = self._cache.get(key)
        if cached is None:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            values = [
                w + c.logprob(word, history)
                for w, c in zip(self.log_weights, self.components, strict=True)
            ]
            top = max(values)
            cached = top + math.log10(sum(10.0 ** (v - top) for v in values))
            self._cache[key] = cached
        return cached

    def logprob_many(self, queries: Sequence[tuple[str, tuple[str, ...]]]) -> np.ndarray:
        """:meth:`logprob` of many queries: components with a batch method answer in one call."""
        rows = [
            weight + logprob_many(component, queries)
            for weight, component in zip(self.log_weights, self.components, strict=True)
        ]
        stacked = np.vstack(rows)
        top = stacked.max(axis=0)
        return top + np.log10(np.power(10.0, stacked - top).sum(axis=0))


@lru_cache(maxsize=8)
def load_model(path: str) -> NgramReference:
    """Open a model once per process (memory-mapped: cheap, shared by all detectors)."""
    return NgramReference(path)


def combine_references(default: Reference, paths: Sequence[str]) -> MixtureReference:
    """The default reference mixed with user models: half the weight to the default, the other
    half shared equally by the user models."""
    models = [load_model(str(Path(path))) for path in paths]
    weights = [0.5] + [0.5 / len(models)] * len(models)
    return MixtureReference([default, *models], weights)
