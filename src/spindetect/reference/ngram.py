"""The file format of a user-built n-gram reference (``spindetect reference build``), and the
pieces of the estimate the builder shares with it.  The compiled core reads these files
(``rust/engine/src/reference/spref.rs``) and mixes them with the default reference
(``mixture.rs``: half the weight to the default, the other half shared by the user models).

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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MAGIC = b"SPDNGRM1"
ALIGN = 64
MASK = (1 << 64) - 1
_MULTIPLIER = 0x9E3779B97F4A7C15


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
