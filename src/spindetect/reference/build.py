"""Build an n-gram reference from a user's clean texts (``spindetect reference build``).

Texts are tokenized with :func:`spindetect.tokens.tokenize` and cut into sentences exactly as
the detector sees them (:mod:`spindetect.context`): breaks end a sentence (``<s> ... </s>``),
numbers, URLs and e-mail addresses cut the history, hyphens and commas are transparent.

Memory stays bounded whatever the corpus size: worker processes count 1..3-grams of batches of
about a megabyte (``np.unique`` on hashed keys) and the main process appends each batch's
counts to one of :data:`PARTITIONS` spill files per order, chosen by the n-gram's *context*, so
every context's counts meet in one partition.  Each partition is then merged on its own, pruned
(n-grams seen fewer than ``min_count`` times are dropped, their mass going to the backoff
weight), and estimated (:mod:`spindetect.reference.ngram` has the formula and the file format).
Peak memory is about one batch per worker plus one partition plus the kept model.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import SpindetectError
from ..inputs import DEFAULT_GLOBS, InputError, expand_paths
from ..jsonl import read_jsonl
from ..tokens import Kind, tokenize
from . import SENTENCE_END, SENTENCE_START
from .ngram import Level, find_keys, ngram_keys, score, word_hash, write_model

ORDER = 3
PARTITIONS = 16
BATCH_CHARS = 1_000_000
_CUT = np.uint64(0)
_BOS = word_hash(SENTENCE_START)
_EOS = word_hash(SENTENCE_END)


class BuildError(SpindetectError, ValueError):
    """Input that cannot be used to build a model; the message names the file (and line)."""


@dataclass
class BuildStats:
    """What a build read and kept."""

    documents: int = 0
    characters: int = 0
    tokens: int = 0
    sentences: int = 0
    seen: list[int] = field(default_factory=lambda: [0] * ORDER)
    kept: list[int] = field(default_factory=lambda: [0] * ORDER)
    seconds: float = 0.0


# -- reading -------------------------------------------------------------------------------------
def read_texts(source: str | Path, stats: BuildStats | None = None) -> Iterator[str]:
    """Texts of a folder (``*.txt``/``*.md``, recursively), a text file, or a JSONL file whose
    lines are objects with a ``text`` string (or ``original``, as in eval pairs) or strings.

    Files are read in pieces of about :data:`BATCH_CHARS` cut after a line break (a line break
    ends a sentence anyway, so the counts are the same), so a huge file never sits in memory.
    """
    stats = stats or BuildStats()
    path = Path(source)
    if path.is_file() and path.suffix.lower() in (".jsonl", ".ndjson"):
        for text in _jsonl_texts(path):
            stats.documents += 1
            yield text
        return
    try:
        names = list(expand_paths([str(path)], DEFAULT_GLOBS))
    except InputError as error:
        raise BuildError(str(error)) from None
    for name in names:
        stats.documents += 1
        yield from _file_pieces(Path(name))


def _file_pieces(path: Path, size: int = BATCH_CHARS) -> Iterator[str]:
    try:
        with path.open(encoding="utf-8", errors="replace", newline="") as handle:
            yield from ("".join(lines) for lines in _batches(handle, size))
    except OSError as error:
        raise BuildError(f"{path}: cannot read: {error.strerror or error}") from None


def _jsonl_texts(path: Path) -> Iterator[str]:
    for number, record in read_jsonl(path):
        text = record if isinstance(record, str) else None
        if isinstance(record, dict):
            text = record.get("text", record.get("original"))
        if not isinstance(text, str):
            raise BuildError(f"{path}:{number}: expected a string or a 'text' field")
        yield text


def _batches(texts: Iterable[str], size: int = BATCH_CHARS) -> Iterator[list[str]]:
    """Consecutive texts (or lines) grouped into lists of about ``size`` characters."""
    batch: list[str] = []
    total = 0
    for text in texts:
        batch.append(text)
        total += len(text)
        if total >= size:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


def _bounded_map(pool: ProcessPoolExecutor, function, items: Iterable, window: int) -> Iterator:
    """``pool.map`` that keeps at most ``window`` tasks in flight (results in order), so the
    input is read only as fast as it is counted."""
    pending: deque = deque()
    for item in items:
        pending.append(pool.submit(function, item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


# -- counting (in worker processes) ----------------------------------------------------------------
def sequence(texts: list[str], cache: dict[str, int]) -> tuple[np.ndarray, int, int]:
    """Word hashes of ``texts`` as the detector's sentences, segments separated by 0.

    Returns the array, the number of word tokens and the number of sentences.
    """
    out: list[int] = []
    words = sentences = 0
    for text in texts:
        open_segment = False
        for token in tokenize(text):
            kind = token.kind
            if kind is Kind.WORD:
                if not open_segment:
                    out.append(0)
                    out.append(_BOS)
                    open_segment = True
                    sentences += 1
                value = cache.get(token.lower)
                if value is None:
                    value = cache[token.lower] = word_hash(token.lower)
                out.append(value)
                words += 1
            elif kind is Kind.BREAK:
                if open_segment:
                    out.append(_EOS)
                    open_segment = False
            elif kind in (Kind.NUMBER, Kind.URL, Kind.EMAIL):
                out.append(0)  # cuts the history; the next words have no <s>
        if open_segment:
            out.append(_EOS)
    out.append(0)
    return np.array(out, dtype=np.uint64), words, sentences


def count_ngrams(seq: np.ndarray, order: int = ORDER) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per order n: (unique n-grams as rows of word hashes, their counts) in ``seq``."""
    result = []
    for n in range(1, order + 1):
        if len(seq) < n:
            result.append((np.zeros((0, n), np.uint64), np.zeros(0, np.int64)))
            continue
        columns = [seq[i : len(seq) - n + 1 + i] for i in range(n)]
        valid = np.all(np.stack(columns) != _CUT, axis=0)
        grams = np.stack([c[valid] for c in columns], axis=1)
        keys = ngram_keys(*grams.T)
        _, first, counts = np.unique(keys, return_index=True, return_counts=True)
        result.append((grams[first], counts.astype(np.int64)))
    return result


_WORKER_CACHE: dict[str, int] = {}


def _count_batch(texts: list[str]) -> tuple[list, int, int, int]:
    """Worker: n-gram counts of one batch, its words, sentences and characters."""
    seq, words, sentences = sequence(texts, _WORKER_CACHE)
    if len(_WORKER_CACHE) > 2_000_000:
        _WORKER_CACHE.clear()
    return count_ngrams(seq), words, sentences, sum(len(t) for t in texts)


# -- spilling and merging ------------------------------------------------------------------------
class Spill:
    """Per order, :data:`PARTITIONS` append-only files of (word hashes..., count) records."""

    def __init__(self, folder: Path, order: int = ORDER) -> None:
        self.folder = folder
        self.order = order
        self.dtypes = [
            np.dtype([("words", np.uint64, (n,)), ("count", np.int64)]) for n in range(1, order + 1)
        ]

    def path(self, n: int, part: int) -> Path:
        return self.folder / f"{n}-{part:02d}.bin"

    def add(self, counted: list[tuple[np.ndarray, np.ndarray]]) -> None:
        for n, (grams, counts) in enumerate(counted, start=1):
            if not len(counts):
                continue
            part = _partition(grams, n)
            records = np.empty(len(counts), dtype=self.dtypes[n - 1])
            records["words"] = grams
            records["count"] = counts
            order = np.argsort(part, kind="stable")
            bounds = np.searchsorted(part[order], np.arange(PARTITIONS + 1))
            for p in range(PARTITIONS):
                chunk = records[order[bounds[p] : bounds[p + 1]]]
                if len(chunk):
                    with self.path(n, p).open("ab") as handle:
                        handle.write(chunk.tobytes())

    def reduce(self, n: int, part: int) -> dict[int, int]:
        """Merge a partition's records in place (distinct n-grams, total counts); returns its
        counts of counts (1, 2, 3+) for the discount."""
        path = self.path(n, part)
        if not path.exists():
            return {}
        records = np.fromfile(path, dtype=self.dtypes[n - 1])
        keys = ngram_keys(*records["words"].reshape(-1, n).T)
        unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        counts = np.bincount(inverse.ravel(), weights=records["count"], minlength=len(unique))
        merged = records[first]
        merged["count"] = counts.astype(np.int64)
        merged.tofile(path)
        values, frequency = np.unique(np.minimum(merged["count"], 3), return_counts=True)
        return dict(zip(values.tolist(), frequency.tolist(), strict=True))

    def load(self, n: int, part: int) -> tuple[np.ndarray, np.ndarray]:
        """A reduced partition: rows of word hashes and their counts."""
        path = self.path(n, part)
        if not path.exists():
            return np.zeros((0, n), np.uint64), np.zeros(0, np.int64)
        records = np.fromfile(path, dtype=self.dtypes[n - 1])
        return records["words"].reshape(-1, n), records["count"]


def _partition(grams: np.ndarray, n: int) -> np.ndarray:
    """Partition of each n-gram, by its context (all but the last word; unigrams by the word)."""
    context = grams[:, : max(1, n - 1)]
    return (ngram_keys(*context.T) >> np.uint64(60)).astype(np.int64) % PARTITIONS


# -- estimation ------------------------------------------------------------------------------------
def _discount(counts_of_counts: dict[int, int]) -> float:
    """Ney's absolute discount ``n1 / (n1 + 2 n2)``, kept within [0.05, 0.95]."""
    n1, n2 = counts_of_counts.get(1, 0), counts_of_counts.get(2, 0)
    if n1 + 2 * n2 == 0:
        return 0.5
    return min(0.95, max(0.05, n1 / (n1 + 2 * n2)))


def build(
    source: str | Path,
    output: str | Path,
    *,
    min_count: int = 2,
    jobs: int | None = None,
    name: str | None = None,
    progress: Callable[[BuildStats], None] | None = None,
) -> tuple[dict, BuildStats]:
    """Count, prune and estimate a trigram model of the texts in ``source``; write it to
    ``output``.  Returns the model header and the build statistics."""
    if min_count < 1:
        raise BuildError("min-count must be at least 1")
    started = time.perf_counter()
    stats = BuildStats()
    jobs = jobs or min(2, os.cpu_count() or 1)
    with tempfile.TemporaryDirectory(prefix="spindetect-build-") as folder:
        spill = Spill(Path(folder))
        batches = _batches(read_texts(source, stats))
        if jobs > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                results = _bounded_map(pool, _count_batch, batches, 2 * jobs)
                _consume(results, spill, stats, progress)
        else:
            _consume(map(_count_batch, batches), spill, stats, progress)
        if stats.tokens == 0:
            raise BuildError(f"{source}: no words to count")
        arrays, header = _estimate(spill, stats, min_count)
    header.update(
        {
            "name": name or Path(output).stem,
            "order": ORDER,
            "min_count": min_count,
            "documents": stats.documents,
            "tokens": stats.tokens,
            "sentences": stats.sentences,
            "source": {"path": str(source), "sha256": _source_digest(source)},
        }
    )
    header = write_model(output, header, arrays)
    stats.seconds = time.perf_counter() - started
    return header, stats


def _consume(results, spill: Spill, stats: BuildStats, progress) -> None:
    for counted, words, sentences, characters in results:
        spill.add(counted)
        stats.tokens += words
        stats.sentences += sentences
        stats.characters += characters
        if progress:
            progress(stats)


def _source_digest(source: str | Path) -> str:
    """sha256 of a source file, or of the sorted (name, sha256) list of a folder's files."""
    path = Path(source)
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for item in files:
        if path.is_dir():
            digest.update(str(item.relative_to(path)).encode("utf-8") + b"\0")
        with item.open("rb") as handle:
            for block in iter(lambda h=handle: h.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _estimate(spill: Spill, stats: BuildStats, min_count: int) -> tuple[dict, dict]:
    """Merge, prune and estimate order by order, one partition in memory at a time."""
    levels: list[Level] = []
    discounts: list[float] = []
    unknown = 0.0
    for n in range(1, ORDER + 1):
        counts_of_counts: dict[int, int] = {}
        for part in range(PARTITIONS):
            for value, frequency in spill.reduce(n, part).items():
                counts_of_counts[value] = counts_of_counts.get(value, 0) + frequency
        stats.seen[n - 1] = sum(counts_of_counts.values())
        discount = _discount(counts_of_counts)
        discounts.append(discount)
        parts = [spill.load(n, part) for part in range(PARTITIONS)] if n == 1 else None
        if n == 1:
            grams = np.concatenate([g for g, _ in parts])  # type: ignore[union-attr]
            counts = np.concatenate([c for _, c in parts])  # type: ignore[union-attr]
            keys, logprob, unknown = _unigrams(grams[:, 0], counts, discount, min_count)
        else:
            pieces = [
                _conditional(*spill.load(n, part), discount, min_count, levels, unknown)
                for part in range(PARTITIONS)
            ]
            keys = np.concatenate([piece[0] for piece in pieces])
            logprob = np.concatenate([piece[1] for piece in pieces])
            order = np.argsort(keys)
            keys, logprob = keys[order], logprob[order]
            context = levels[-1]
            for _, _, context_keys, context_backoff in pieces:
                index = find_keys(context.keys, context_keys)
                context.backoff[index[index >= 0]] = context_backoff[index >= 0]  # type: ignore[index]
        backoff = np.zeros(len(keys), dtype=np.float32) if n < ORDER else None
        levels.append(Level(keys, logprob.astype(np.float32), backoff))
        stats.kept[n - 1] = len(keys)
    arrays: dict[str, np.ndarray] = {}
    for n, level in enumerate(levels, start=1):
        arrays[f"keys{n}"], arrays[f"logprob{n}"] = level.keys, level.logprob
        if level.backoff is not None:
            arrays[f"backoff{n}"] = level.backoff
    return arrays, {"discounts": discounts, "unknown_logprob": unknown}


def _unigrams(
    words: np.ndarray, counts: np.ndarray, discount: float, min_count: int
) -> tuple[np.ndarray, np.ndarray, float]:
    """Sorted unigram keys, log10 (c - D) / N, and the log10 probability of an unknown word
    (the left-over mass spread over the pruned word types)."""
    is_start = words == np.uint64(_BOS)
    total = counts[~is_start].sum()
    kept = (counts >= min_count) & ~is_start
    probability = (counts[kept] - discount) / total
    left = max(1.0 - float(probability.sum()), 1e-12)
    pruned_types = int((~kept & ~is_start).sum())
    unknown = float(np.log10(left / max(1, pruned_types)))
    keys = np.concatenate([ngram_keys(words[kept]), ngram_keys(words[is_start][:1])])
    logprob = np.concatenate([np.log10(probability), np.full(int(is_start.any()), -99.0)])
    order = np.argsort(keys)
    return keys[order], logprob[order], unknown


def _conditional(
    grams: np.ndarray,
    counts: np.ndarray,
    discount: float,
    min_count: int,
    levels: list[Level],
    unknown: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One partition of order n: keys and log10 P(w | h) of the kept n-grams, and the keys and
    log10 lambda(h) of their contexts."""
    context_keys, inverse = np.unique(ngram_keys(*grams[:, :-1].T), return_inverse=True)
    inverse = inverse.ravel()
    context_total = np.bincount(inverse, weights=counts, minlength=len(context_keys))
    kept = counts >= min_count
    alpha = (counts[kept] - discount) / context_total[inverse[kept]]
    lam = 1.0 - np.bincount(inverse[kept], weights=alpha, minlength=len(context_keys))
    lam = np.maximum(lam, 1e-12)
    lower = score(levels, grams[kept][:, 1:], unknown)
    probability = alpha + lam[inverse[kept]] * np.power(10.0, lower)
    keys = ngram_keys(*grams[kept].T)
    return keys, np.log10(probability), context_keys, np.log10(lam).astype(np.float32)
