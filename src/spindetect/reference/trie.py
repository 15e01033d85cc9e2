"""Vectorised reader for pocketsphinx's binary "trie" n-gram LM (``en-us.lm.bin``).

``pocketsphinx.NGramModel.prob`` costs a few microseconds per call from Python.  This module
reads the same file into numpy arrays so that many trigram queries are answered in one call,
with results identical to ``NGramModel.prob`` (same log-math units, same backoff, same
float32 arithmetic and truncation).

File format
-----------
Written by ``ngram_model_trie_write_bin`` / ``lm_trie_write_bin`` / ``lm_trie_quant_write_bin``
(pocketsphinx ``src/lm/ngram_model_trie.c``, ``lm_trie.c``, ``lm_trie_quant.c``, ``bitarr.c``).
Everything is little-endian and packed without alignment:

1. ``b"Trie Language Model"`` -- 19 magic bytes, no terminator.
2. ``uint8 order`` (3 for en-us), then ``uint32 counts[order]``: the number of 1-, 2- and
   3-gram *slots* (en-us: 72547, 2051547, 1669625).  The bigram/trigram counts include
   slack from ``lm_trie_fix_counts``; the number of entries actually used is given by the
   sentinel "next" pointers (en-us: 2051541 bigrams, 1669625 trigrams); the unused slots
   are still allocated in the file.
3. Only when ``order > 1``: ``int32`` quantizer type (always 1, ignored), then the
   quantization tables as ``float32``: for each middle order (2 .. order-1) a 65536-entry
   probability table followed by a 65536-entry backoff table, then one 65536-entry
   probability table for the highest order.
4. ``counts[0] + 1`` unigram records of 12 bytes: ``float32 prob, float32 backoff,
   uint32 next``.  ``next`` is the index of the word's first bigram slot, so the bigrams
   whose *last* word is ``w`` occupy ``[next[w], next[w+1])``; the extra record is the
   sentinel.  Unigram values are not quantized.
5. The bit-packed n-gram arrays, one per order 2 .. order, each of
   ``((1 + count) * bits + 7) // 8 + 8`` bytes.  Every entry is ``bits`` wide and entry ``i``
   starts at bit ``i * bits`` (bit ``k`` is bit ``k % 8`` of byte ``k // 8``):

   * middle order (bigram for a trigram LM): ``word`` (``word_bits`` =
     bit length of ``counts[0]``, 17), then 32 quantizer bits -- the low 16 are the backoff
     bin, the high 16 the probability bin -- then ``next`` (bit length of the next order's
     count, 21 for en-us), the first child slot in the next order.  70 bits per entry.
     The pointer of entry ``n_used`` (one past the last) is the end sentinel.
   * highest order: ``word`` then a 16-bit probability bin.  33 bits per entry.

   The trie is *reversed*: the root level is the predicted word ``w``, its children are the
   previous word ``h1`` and their children the word before ``h2``.  So the bigram slot found
   under unigram ``w`` with word ``h1`` holds P(w | h1) and the backoff of the bigram
   ``h1 w``; the trigram slot found under that with word ``h2`` holds P(w | h2 h1).
   sphinxbase finds a child with an interpolation search (``uniform_find``) that assumes
   the word ids of each child range are increasing; we instead look every ``parent * V +
   word`` key up in one hash table per order.  In en-us two trigram child ranges
   are *not* sorted (under the bigrams "and bullhorns" and "and jerri"), and
   ``uniform_find`` misses one entry in each (e.g. "whips and bullhorns" is stored but
   pocketsphinx backs off); the loader emulates ``uniform_find`` on such ranges and drops
   the unreachable entries so that results stay identical.
   When a trigram exists without its bigram suffix, the writer (``recursive_insert``)
   inserts a dummy bigram with probability ``P(w) + bo(h1)`` and backoff quantized from 0.
6. ``int32 nbytes`` then ``nbytes`` of NUL-terminated word strings; word id = position.

All probabilities and backoffs (including the quantization tables) are stored as
``float32`` log-math values of base 1.0001 (``log10 / log10(1.0001)``, converted when the
binary was built), so no conversion is needed: sphinxbase sums the float32 values in
float32 and truncates the result to ``int32``.  ``NGramModel.prob`` uses the *raw* score
(no language weight or insertion penalty).  An unknown predicted word gives
:data:`LOG_ZERO`; an unknown history word ends the history (the model has no ``<UNK>``).

Backoff, for history ``h2 h1`` (both known), as in ``lm_trie_hist_score``::

    trigram found               -> P3(w | h2 h1)
    bigram (h1 w) found         -> P2(w | h1) + bo(h2 h1)      # bo = 0 if bigram h2 h1 absent
    otherwise                   -> (P1(w) + bo(h1)) + bo(h2 h1)

and with only ``h1`` (``lm_trie_nobo_score``): ``P2(w | h1)`` or ``P1(w) + bo(h1)``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence

import numpy as np

MAGIC = b"Trie Language Model"
# log(0) in pocketsphinx's default log-math (base 1.0001); returned for unknown words.
LOG_ZERO = -536870912
QUANT_BITS = 16
QUANT_BINS = 1 << QUANT_BITS
MIDDLE_QUANT_BITS = 32  # backoff bin (low 16 bits) + probability bin (high 16 bits)
LONGEST_QUANT_BITS = 16
_UNIGRAM = np.dtype([("prob", "<f4"), ("bo", "<f4"), ("next", "<u4")])


def default_model_path() -> str:
    """Path of ``en-us.lm.bin`` inside the installed pocketsphinx package.

    Found without importing pocketsphinx where possible: loading its extension module costs
    tens of milliseconds of start-up, and only the file is needed.
    """
    import importlib.util

    spec = importlib.util.find_spec("pocketsphinx")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(folder, "model", "en-us", "en-us.lm.bin")
        if os.path.isfile(path):
            return path
    import pocketsphinx  # a build whose model lives elsewhere: ask it

    return os.path.join(pocketsphinx.get_model_path(), "en-us", "en-us.lm.bin")


def _mapped(path: str) -> np.ndarray:
    """A read-only memory-mapped ``.npy`` as a plain ndarray (``np.memmap`` indexing is slow)."""
    return np.load(path, mmap_mode="r").view(np.ndarray)


def _required_bits(max_value: int) -> int:
    """Bits needed to store ``max_value`` (``bitarr_required_bits``)."""
    return int(max_value).bit_length()


def _section_size(entries: int, word_bits: int, other_bits: int) -> int:
    """Byte size of one bit-packed n-gram array (``base_size`` in ``lm_trie.c``)."""
    return ((1 + entries) * (word_bits + other_bits) + 7) // 8 + 8


def _read_fields(
    section: np.ndarray, n: int, entry_bits: int, fields: Sequence[tuple[int, int, type]]
) -> list[np.ndarray]:
    """Bit fields ``(offset, width, dtype)`` of entries ``0..n-1`` of a bit-packed array.

    Entry ``i`` starts at bit ``i * entry_bits`` of ``section`` (uint8).  The bit position
    modulo 8 repeats every ``period`` entries, so for each residue one strided, unaligned
    little-endian uint64 view covers all entries; every field must end within 57 bits of the
    first field's offset.
    """
    period = 8 // math.gcd(entry_bits, 8)
    stride = entry_bits * period // 8
    first = fields[0][0]
    if any(off + width - first > 57 for off, width, _ in fields):
        raise ValueError("bit fields span more than 57 bits")
    outs = [np.empty(n, dtype=dtype) for _, _, dtype in fields]
    for r in range(min(period, n)):
        bit = r * entry_bits + first
        count = (n - r + period - 1) // period
        view = np.ndarray((count,), dtype="<u8", buffer=section, offset=bit >> 3, strides=(stride,))
        raw = view >> np.uint64(bit & 7)
        for (off, width, _), out in zip(fields, outs, strict=True):
            out[r::period] = (raw >> np.uint64(off - first)) & np.uint64((1 << width) - 1)
    return outs


def _uniform_find(words: np.ndarray, begin: int, end: int, max_vocab: int, key: int) -> int:
    """Slot of ``key`` in ``words[begin:end]`` exactly as sphinxbase's ``uniform_find``.

    Interpolation search with uint32 arithmetic; returns -1 when not found.  It only matters
    for the few child ranges that are not sorted, where it can miss entries that exist.
    """
    before_it, before_v, after_it, after_v = begin - 1, 0, end, max_vocab
    if key > after_v:
        return -1
    while after_it - before_it > 1:
        width = after_it - before_it - 1
        offset = ((key - before_v) * width) & 0xFFFFFFFF
        pivot = before_it + 1 + offset // ((after_v - before_v + 1) & 0xFFFFFFFF)
        mid = int(words[pivot])
        if mid < key:
            before_it, before_v = pivot, mid
        elif mid > key:
            after_it, after_v = pivot, mid
        else:
            return pivot
    return -1


class _Level:
    """One n-gram order as a hash index over ``parent * V + word`` keys -> entry slot.

    Built from the trie's child ranges; open addressing with linear probing in a table of at
    least twice the entries, so a lookup is one or two random reads (a binary search over the
    sorted keys was about twenty).
    """

    def __init__(self, parent_next: np.ndarray, words: np.ndarray, vocab_size: int) -> None:
        n_parents = parent_next.size - 1
        counts = np.diff(parent_next)
        keys = np.repeat(np.arange(n_parents, dtype=np.int64), counts)
        keys *= vocab_size
        keys += words
        slots = np.arange(keys.size, dtype=np.int64)
        bad = np.flatnonzero(keys[1:] <= keys[:-1])
        if bad.size:
            # Unsorted child ranges: keep only what sphinxbase's search can actually reach.
            keep = np.ones(keys.size, dtype=bool)
            for parent in np.unique(keys[bad] // vocab_size):
                begin, end = int(parent_next[parent]), int(parent_next[parent + 1])
                found = {
                    _uniform_find(words, begin, end, vocab_size, int(words[i]))
                    for i in range(begin, end)
                }
                for i in range(begin, end):
                    keep[i] = i in found
            slots, keys = slots[keep], keys[keep]
        self.table_keys, self.table_slots, self.max_probes = _hash_table(keys, slots)

    @classmethod
    def from_arrays(cls, table_keys: np.ndarray, table_slots: np.ndarray) -> _Level:
        """A level from the arrays of a saved copy."""
        level = cls.__new__(cls)
        level.table_keys, level.table_slots = table_keys, table_slots
        level.max_probes = int(table_keys.size)
        return level

    def entries(self) -> tuple[np.ndarray, np.ndarray]:
        """(slots, keys) of every reachable entry, in slot order."""
        used = self.table_keys != EMPTY
        slots, keys = self.table_slots[used], self.table_keys[used]
        order = np.argsort(slots)
        return slots[order], keys[order]

    def find_where(
        self, mask: np.ndarray, parent: np.ndarray, word: np.ndarray, vocab_size: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`find` for the queries where ``mask`` holds; the others are not found."""
        slot = np.zeros(mask.shape, dtype=np.int64)
        found = np.zeros(mask.shape, dtype=bool)
        where = np.flatnonzero(mask)
        if where.size:
            slot[where], found[where] = self.find(parent[where], word[where], vocab_size)
        return slot, found

    def find(
        self, parent: np.ndarray, word: np.ndarray, vocab_size: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """(slot, found) for each (parent, word) query; slots of misses are 0."""
        query = parent * vocab_size + word
        table_keys, mask = self.table_keys, self.table_keys.size - 1
        cell = _hash(query, mask)
        stored = table_keys[cell]
        found = stored == query
        slot = self.table_slots[cell]
        more = np.flatnonzero(stored != query)
        more = more[stored[more] != EMPTY]  # collided with another key: probe on
        cell = cell[more]
        for _ in range(self.max_probes - 1):
            if not more.size:
                break
            cell = (cell + 1) & mask
            pending = query[more]
            stored = table_keys[cell]
            hit = stored == pending
            slot[more[hit]] = self.table_slots[cell[hit]]
            found[more[hit]] = True
            keep = ~hit & (stored != EMPTY)
            more, cell = more[keep], cell[keep]
        slot = slot.astype(np.int64)
        slot[~found] = 0
        return slot, found


EMPTY = -1
_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def _hash(keys: np.ndarray, mask: int) -> np.ndarray:
    """Fibonacci hashing of non-negative int64 keys into ``[0, mask]`` (mask = 2**b - 1)."""
    bits = int(mask).bit_length()
    mixed = keys.astype(np.uint64)
    mixed *= _HASH_MULTIPLIER
    mixed >>= np.uint64(64 - bits)
    return mixed.view(np.int64)


def _hash_table(keys: np.ndarray, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Open-addressing table (keys, slots, longest probe run) for unique ``keys``."""
    size = 1 << max(1, int(2 * max(keys.size, 1) - 1).bit_length())
    mask = size - 1
    table_keys = np.full(size, EMPTY, dtype=np.int64)
    table_slots = np.zeros(size, dtype=np.int32)
    pending = np.arange(keys.size)
    cell = _hash(keys, mask)
    probes = 0
    while pending.size:
        probes += 1
        free = np.flatnonzero(table_keys[cell] == EMPTY)
        cells, first = np.unique(cell[free], return_index=True)
        winners = free[first]
        table_keys[cells] = keys[pending[winners]]
        table_slots[cells] = slots[pending[winners]]
        placed = np.zeros(pending.size, dtype=bool)
        placed[winners] = True
        pending, cell = pending[~placed], (cell[~placed] + 1) & mask
    return table_keys, table_slots, max(probes, 1)


class TrieLM:
    """A trigram LM in pocketsphinx's binary trie format, decoded into numpy arrays.

    ``logprob_ids`` gives the same integers as ``pocketsphinx.NGramModel.prob``.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = os.fspath(path) if path is not None else default_model_path()
        buf = np.fromfile(self.path, dtype=np.uint8)
        if buf[: len(MAGIC)].tobytes() != MAGIC:
            raise ValueError(f"{self.path}: not a pocketsphinx trie LM (bad magic)")
        pos = len(MAGIC)
        self.order = int(buf[pos])
        pos += 1
        if self.order != 3:
            raise ValueError(f"{self.path}: only trigram models are supported (order {self.order})")
        counts = buf[pos : pos + 4 * self.order].view("<u4").astype(np.int64)
        self.counts: tuple[int, ...] = tuple(int(c) for c in counts)
        pos += 4 * self.order + 4  # counts, then the unused quantizer-type int32
        n1, n2_slots, n3_slots = self.counts

        tables = buf[pos : pos + 3 * QUANT_BINS * 4].view("<f4")
        bigram_prob_table = tables[:QUANT_BINS]
        bigram_bo_table = tables[QUANT_BINS : 2 * QUANT_BINS]
        trigram_prob_table = tables[2 * QUANT_BINS :]
        pos += 3 * QUANT_BINS * 4

        unigrams = buf[pos : pos + (n1 + 1) * _UNIGRAM.itemsize].view(_UNIGRAM)
        pos += (n1 + 1) * _UNIGRAM.itemsize
        self.unigram_prob: np.ndarray = np.ascontiguousarray(unigrams["prob"][:n1])
        self.unigram_bo: np.ndarray = np.ascontiguousarray(unigrams["bo"][:n1])
        unigram_next = unigrams["next"].astype(np.int64)

        word_bits = _required_bits(n1)
        next_bits = _required_bits(n3_slots)
        bigram_bits = word_bits + MIDDLE_QUANT_BITS + next_bits
        trigram_bits = word_bits + LONGEST_QUANT_BITS
        bigram_size = _section_size(n2_slots, word_bits, MIDDLE_QUANT_BITS + next_bits)
        trigram_size = _section_size(n3_slots, word_bits, LONGEST_QUANT_BITS)
        bigrams = buf[pos : pos + bigram_size]
        trigrams = buf[pos + bigram_size : pos + bigram_size + trigram_size]
        pos += bigram_size + trigram_size

        # Bigrams: the used entries, plus the end sentinel's next pointer.
        n2 = int(unigram_next[n1])
        bigram_word, bo_bin, prob_bin = _read_fields(
            bigrams,
            n2,
            bigram_bits,
            [(0, word_bits, np.int64), (word_bits, 16, np.uint16), (word_bits + 16, 16, np.uint16)],
        )
        self.bigram_bo: np.ndarray = bigram_bo_table[bo_bin]
        self.bigram_prob: np.ndarray = bigram_prob_table[prob_bin]
        next_offset = word_bits + MIDDLE_QUANT_BITS
        (bigram_next,) = _read_fields(
            bigrams, n2 + 1, bigram_bits, [(next_offset, next_bits, np.int64)]
        )

        # Trigrams.
        n3 = int(bigram_next[n2])
        trigram_word, prob_bin = _read_fields(
            trigrams, n3, trigram_bits, [(0, word_bits, np.int64), (word_bits, 16, np.uint16)]
        )
        self.trigram_prob: np.ndarray = trigram_prob_table[prob_bin]
        del bo_bin, prob_bin

        self._v = n1
        self._bigrams = _Level(unigram_next, bigram_word, n1)
        self._trigrams = _Level(bigram_next, trigram_word, n1)
        self.n_bigrams = n2
        self.n_trigrams = n3

        nbytes = int(buf[pos : pos + 4].view("<i4")[0])
        blob = buf[pos + 4 : pos + 4 + nbytes].tobytes()
        self.words: list[str] = blob.decode("utf-8", errors="surrogateescape").split("\0")[:n1]
        if len(self.words) != n1:
            raise ValueError(f"{self.path}: {len(self.words)} word strings for {n1} unigrams")
        self._index_words()

    # -- a decoded copy on disk: loads in milliseconds, memory-mapped and shared by processes --
    _ARRAYS = ("unigram_prob", "unigram_bo", "bigram_bo", "bigram_prob", "trigram_prob")

    def save(self, directory: str | os.PathLike[str]) -> None:
        """Write the decoded arrays to ``directory`` (``*.npy`` plus ``words.txt``, ``meta.json``).

        Written under a temporary name and renamed, so a reader never sees half a copy.
        """
        import json
        import shutil
        import tempfile

        target = os.fspath(directory)
        parent = os.path.dirname(target) or "."
        os.makedirs(parent, exist_ok=True)
        staging = tempfile.mkdtemp(prefix=".trie-", dir=parent)
        try:
            for name in self._ARRAYS:
                np.save(os.path.join(staging, f"{name}.npy"), getattr(self, name))
            for level_name in ("_bigrams", "_trigrams"):
                level = getattr(self, level_name)
                np.save(os.path.join(staging, f"{level_name}_keys.npy"), level.table_keys)
                np.save(os.path.join(staging, f"{level_name}_slots.npy"), level.table_slots)
            with open(
                os.path.join(staging, "words.txt"),
                "w",
                encoding="utf-8",
                errors="surrogateescape",
                newline="\n",
            ) as handle:
                handle.write("\n".join(self.words))
            meta = {
                "path": self.path,
                "counts": self.counts,
                "n_bigrams": self.n_bigrams,
                "n_trigrams": self.n_trigrams,
                "max_probes": [self._bigrams.max_probes, self._trigrams.max_probes],
            }
            with open(os.path.join(staging, "meta.json"), "w", encoding="utf-8") as handle:
                json.dump(meta, handle)
            os.replace(staging, target)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> TrieLM:
        """Open a copy written by :meth:`save`; the arrays are memory-mapped, not read."""
        import json

        base = os.fspath(directory)
        with open(os.path.join(base, "meta.json"), encoding="utf-8") as handle:
            meta = json.load(handle)
        lm = cls.__new__(cls)
        lm.path = meta["path"]
        lm.order = 3
        lm.counts = tuple(meta["counts"])
        lm.n_bigrams, lm.n_trigrams = meta["n_bigrams"], meta["n_trigrams"]
        for name in cls._ARRAYS:
            setattr(lm, name, _mapped(os.path.join(base, f"{name}.npy")))
        for level_name, probes in zip(("_bigrams", "_trigrams"), meta["max_probes"], strict=True):
            level = _Level.from_arrays(
                _mapped(os.path.join(base, f"{level_name}_keys.npy")),
                _mapped(os.path.join(base, f"{level_name}_slots.npy")),
            )
            level.max_probes = int(probes)
            setattr(lm, level_name, level)
        with open(
            os.path.join(base, "words.txt"),
            encoding="utf-8",
            errors="surrogateescape",
            newline="\n",
        ) as handle:
            lm.words = handle.read().split("\n")
        lm._v = len(lm.words)
        if lm._v != lm.counts[0] or lm.unigram_prob.shape[0] != lm._v:
            raise ValueError(f"{base}: inconsistent decoded copy")
        lm._index_words()
        return lm

    def _index_words(self) -> None:
        self.vocab = dict(zip(self.words, range(len(self.words)), strict=True))
        if len(self.vocab) != len(self.words):  # duplicates: the first one wins, as in sphinxbase
            self.vocab = {}
            for i, word in enumerate(self.words):
                self.vocab.setdefault(word, i)
        self._unknown = self.vocab.get("<UNK>", -1)

    def __len__(self) -> int:
        return len(self.words)

    def word_id(self, word: str) -> int:
        """Id of ``word``, or the ``<UNK>`` id (-1 when the model has none)."""
        return self.vocab.get(word, self._unknown)

    def ids(self, words: Sequence[str]) -> np.ndarray:
        """Word ids of ``words`` as an int64 array (-1 for unknown words)."""
        get, unknown = self.vocab.get, self._unknown
        return np.fromiter((get(w, unknown) for w in words), dtype=np.int64, count=len(words))

    def logprob_ids(self, w: np.ndarray, h1: np.ndarray, h2: np.ndarray) -> np.ndarray:
        """log P(w | h2 h1) as int64 log-math (base 1.0001) values, like ``NGramModel.prob``.

        ``h1`` is the previous word and ``h2`` the one before; a negative id means "no word"
        and ends the history there (``h2`` is ignored when ``h1`` is negative).  A negative
        ``w`` gives :data:`LOG_ZERO`.  The arrays broadcast against each other.
        """
        arrays = np.broadcast_arrays(*(np.asarray(a, dtype=np.int64) for a in (w, h1, h2)))
        shape = arrays[0].shape
        w, h1, h2 = (np.ravel(a) for a in arrays)
        v = self._v
        if w.size and max(int(w.max()), int(h1.max()), int(h2.max())) >= v:
            raise ValueError(f"word id out of range (vocabulary size {v})")
        valid = w >= 0
        has1 = h1 >= 0
        has2 = has1 & (h2 >= 0)
        wc = np.where(valid, w, 0)
        h1c = np.where(has1, h1, 0)
        h2c = np.where(has2, h2, 0)
        zero = np.float32(0.0)

        # Only the queries that can hit are looked up.
        # Bigram (h1 w): under unigram w, child word h1.
        j, bg_found = self._bigrams.find_where(has1 & valid, wc, h1c, v)
        # Backoff of the history bigram (h2 h1): under unigram h1, child word h2.
        k, hist_found = self._bigrams.find_where(has2, h1c, h2c, v)
        bo2 = np.where(hist_found, self.bigram_bo[k], zero)
        # Trigram (h2 h1 w): under bigram slot j, child word h2 (only under a stored bigram).
        t, tg_found = self._trigrams.find_where(bg_found & has2, j, h2c, v)

        bo1 = np.where(has1, self.unigram_bo[h1c], zero)
        unigram = self.unigram_prob[wc]
        # float32 arithmetic in the same order as lm_trie_hist_score / lm_trie_nobo_score.
        score = np.where(bg_found, self.bigram_prob[j], (unigram + bo1) + bo2)
        score = np.where(bg_found & ~tg_found, score + bo2, score)
        score = np.where(tg_found, self.trigram_prob[t], score)
        out = np.trunc(score).astype(np.int64)  # C's (int32) cast truncates toward zero
        out[~valid] = LOG_ZERO
        return out.reshape(shape)

    def prob(self, words: Sequence[str]) -> int:
        """``NGramModel.prob`` convention: ``[w, prev, prev2]`` -> log P(w | prev2 prev)."""
        if not words:
            raise ValueError("prob() needs at least the predicted word")
        ids = [self.word_id(word) for word in words[:3]]
        ids += [-1] * (3 - len(ids))
        return int(self.logprob_ids(np.array(ids[0]), np.array(ids[1]), np.array(ids[2])))


__all__ = ["LOG_ZERO", "TrieLM", "default_model_path"]
