"""A TF-IDF index of candidate source documents, built once and queried fast.

Each document becomes three bags of terms, hashed by scikit-learn's :class:`HashingVectorizer`
into their own blocks of columns (no vocabulary to fit or store):

- ``words``: lower-cased words;
- ``bigrams``: pairs of consecutive words, which a spinner breaks wherever it swaps a word, so
  they reward the stretches it left alone;
- ``anchors``: the words a spinner never changes: names, numbers, rare and technical terms, i.e.
  words that are neither a form the spinner's thesaurus can write nor an English stop word.

Term counts are damped (``1 + log tf``), weighted by inverse document frequency over the
candidates and by the block's weight, and each row is L2-normalised, so a query's score against
a candidate is the cosine of their vectors.  The matrix is kept transposed (terms x documents,
CSR): that is an inverted index, and a query costs the length of its terms' posting lists, not
the size of the collection.

A saved index is one ``.npz`` file of plain arrays (read with ``allow_pickle=False``): the
matrix, the weights, the settings as JSON, and the ids and texts of the documents as UTF-8
bytes with offsets.
"""

from __future__ import annotations

import itertools
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

import numpy as np
import regex
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, HashingVectorizer

from ..errors import SpindetectError
from ..thesaurus import default_thesaurus
from ..tokens import normalize as normalize_word

FORMAT_VERSION = 1
BATCH = 5_000  # documents hashed at a time while building
_WORD_RE = regex.compile(r"\w+(?:['’]\w+)*")
BLOCKS = ("words", "bigrams", "anchors")


class IndexFileError(SpindetectError, ValueError):
    """A saved index that cannot be read (wrong file, other version, damaged)."""


@dataclass(frozen=True)
class IndexConfig:
    """Settings of an index; stored with it, so a loaded index queries the same way."""

    features_per_block: int = 2**20
    words: float = 1.0
    bigrams: float = 1.0
    anchors: float = 1.0

    def weights(self) -> tuple[float, ...]:
        """The weight of each block, in :data:`BLOCKS` order."""
        return tuple(getattr(self, name) for name in BLOCKS)


@lru_cache(maxsize=1)
def _spinner_vocabulary() -> frozenset[str]:
    """Every word a spinner's thesaurus can write, plus the English stop words."""
    words = {word for form in default_thesaurus().observed_forms() for word in form.split(" ")}
    return frozenset(words | ENGLISH_STOP_WORDS)


def word_list(text: str) -> list[str]:
    """The lower-cased words of ``text`` (letters, digits, inner apostrophes), in order."""
    return [normalize_word(word) for word in _WORD_RE.findall(text)]


def analyse(text: str) -> tuple[list[str], list[str], list[str]]:
    """The document's words, word bigrams and anchor words (see the module docstring)."""
    vocabulary = _spinner_vocabulary()
    words = word_list(text)
    bigrams = [f"{a} {b}" for a, b in itertools.pairwise(words)]
    anchors = [word for word in words if word not in vocabulary]
    return words, bigrams, anchors


def _counts(texts: Sequence[str], config: IndexConfig) -> sp.csr_matrix:
    """Damped term counts of ``texts``: one row a text, the three blocks side by side."""
    if not texts:
        return sp.csr_matrix((0, len(BLOCKS) * config.features_per_block), dtype=np.float32)
    analysed = [analyse(text) for text in texts]
    blocks = []
    for position in range(len(BLOCKS)):
        vectorizer = HashingVectorizer(
            analyzer=itemgetter(position),
            n_features=config.features_per_block,
            alternate_sign=False,
            norm=None,
            dtype=np.float32,
        )
        blocks.append(vectorizer.transform(analysed))
    counts = sp.hstack(blocks, format="csr", dtype=np.float32)
    np.log(counts.data, out=counts.data)
    counts.data += 1.0
    return counts


class SourceIndex:
    """Candidate sources, indexed for :meth:`search`; build with :meth:`build` or :meth:`load`."""

    def __init__(
        self,
        postings: sp.csr_matrix,
        term_weights: np.ndarray,
        ids: list[str],
        texts: list[str],
        config: IndexConfig,
    ) -> None:
        self.postings = postings  # terms x documents, rows of the documents L2-normalised
        self.term_weights = term_weights  # idf x block weight, one per column
        self.ids = ids
        self.texts = texts
        self.config = config

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(
        cls, documents: Iterable[tuple[str, str]], config: IndexConfig | None = None
    ) -> SourceIndex:
        """Index ``(id, text)`` pairs; an empty collection gives an empty index."""
        config = config or IndexConfig()
        ids: list[str] = []
        texts: list[str] = []
        parts = []
        batch: list[str] = []
        for document_id, text in documents:
            ids.append(document_id)
            texts.append(text)
            batch.append(text)
            if len(batch) == BATCH:
                parts.append(_counts(batch, config))
                batch = []
        if batch or not parts:
            parts.append(_counts(batch, config))
        counts = sp.vstack(parts, format="csr")
        frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log((1.0 + len(ids)) / (1.0 + frequency)) + 1.0
        block_weights = np.repeat(np.asarray(config.weights()), config.features_per_block)
        term_weights = (idf * block_weights).astype(np.float32)
        counts.data *= term_weights[counts.indices]
        weighted = _unit_rows(counts)
        return cls(weighted.T.tocsr(), term_weights, ids, texts, config)

    def scores(self, text: str) -> np.ndarray:
        """Cosine similarity of ``text`` to every document, in index order."""
        if not self.ids:
            return np.zeros(0, dtype=np.float32)
        query = _counts([text], self.config)
        query.data *= self.term_weights[query.indices]
        query = _unit_rows(query)
        return (query @ self.postings).toarray().ravel()

    def search(self, text: str, top: int = 5) -> list[tuple[int, float]]:
        """``(document number, score)`` of the ``top`` most similar documents, best first.

        Documents that share no term with ``text`` are left out; ties keep index order.
        """
        scores = self.scores(text)
        if top <= 0 or not len(scores):
            return []
        if top < len(scores):
            best = np.argpartition(-scores, top - 1)[:top]
            threshold = scores[best].min()
            best = np.flatnonzero(scores >= threshold)  # keep every tie at the cut, in order
        else:
            best = np.arange(len(scores))
        ranked = sorted(best.tolist(), key=lambda number: (-scores[number], number))[:top]
        return [(number, float(scores[number])) for number in ranked if scores[number] > 0]

    def save(self, path: str | Path) -> None:
        """Write the index to one ``.npz`` file (plain arrays, no pickle)."""
        id_blob, id_offsets = _pack(self.ids)
        text_blob, text_offsets = _pack(self.texts)
        settings = {"format": FORMAT_VERSION, "config": asdict(self.config)}
        with open(path, "wb") as handle:
            np.savez(
                handle,
                settings=np.frombuffer(json.dumps(settings).encode(), dtype=np.uint8),
                data=self.postings.data,
                indices=self.postings.indices,
                indptr=self.postings.indptr,
                shape=np.asarray(self.postings.shape, dtype=np.int64),
                term_weights=self.term_weights,
                id_blob=id_blob,
                id_offsets=id_offsets,
                text_blob=text_blob,
                text_offsets=text_offsets,
            )

    @classmethod
    def load(cls, path: str | Path) -> SourceIndex:
        """Read an index written by :meth:`save`; :class:`IndexFileError` if it is not one."""
        try:
            with np.load(path, allow_pickle=False) as arrays:
                settings = json.loads(arrays["settings"].tobytes())
                if settings.get("format") != FORMAT_VERSION:
                    raise IndexFileError(
                        f"{path}: index format {settings.get('format')} unsupported"
                    )
                config = IndexConfig(**settings["config"])
                postings = sp.csr_matrix(
                    (arrays["data"], arrays["indices"], arrays["indptr"]),
                    shape=tuple(arrays["shape"]),
                )
                ids = _unpack(arrays["id_blob"], arrays["id_offsets"])
                texts = _unpack(arrays["text_blob"], arrays["text_offsets"])
                term_weights = arrays["term_weights"]
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as error:
            if isinstance(error, IndexFileError):
                raise
            raise IndexFileError(f"{path}: not a spindetect index ({error})") from None
        return cls(postings, term_weights, ids, texts, config)


def _unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """``matrix`` (CSR) with its rows scaled to unit length in place (zero rows stay zero)."""
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    norms = np.sqrt(
        np.bincount(rows, np.square(matrix.data, dtype=np.float64), minlength=matrix.shape[0])
    )
    if len(rows):
        matrix.data /= norms[rows].astype(matrix.data.dtype)
    return matrix


def _pack(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [string.encode("utf-8") for string in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(item) for item in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


def _unpack(blob: np.ndarray, offsets: np.ndarray) -> list[str]:
    data = blob.tobytes()
    return [data[start:end].decode("utf-8") for start, end in itertools.pairwise(offsets.tolist())]
