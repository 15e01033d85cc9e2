"""``spindetect match``: find the source a spun document was made from.

The spun document is first restored (its findings applied, as ``spindetect clean`` does, at the
lower threshold :data:`RESTORE_THRESHOLD`: a wrong restoration costs a look-up little), which
brings it closer to its source, then looked up in a :class:`~.sourceindex.SourceIndex`
of candidate sources.  The :data:`RERANK_DEPTH` most similar candidates are then aligned word by
word with the restored document to measure how much of it each one explains: words copied, plus
words a known spinner substitution accounts for (a thesaurus synonym, a phrasebook artefact, a
digit for a number word).  A candidate's score is the mean of its similarity and that share: an
original explains its spun copy almost entirely, while another spun copy of the same original
(the web rarely holds just one) shares the spinner's vocabulary but not its choices.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..align import align
from ..api import scan
from ..grammar import DIGIT_WORDS
from ..inputs import DEFAULT_GLOBS, InputError, expand_paths, read_document
from ..jsonl import read_jsonl
from ..phrasebook import default_phrasebook
from ..restore import apply_findings
from ..thesaurus import default_thesaurus
from .sourceindex import IndexFileError, SourceIndex, word_list

INDEX_SUFFIX = ".npz"
RESTORE_THRESHOLD = 0.5  # chosen on a dev set (scripts/match_eval.py --sections tutorial ...)
RERANK_DEPTH = 10  # candidates by similarity whose explained share is measured


@dataclass(frozen=True)
class SourceMatch:
    """One candidate source of a spun document.

    ``similarity`` is the cosine similarity of the restored document to the candidate;
    ``copied`` the share of the restored document's words found, in order, in the candidate;
    ``explained`` that share plus the words a known spinner substitution of the candidate's
    words accounts for; ``score``, which ranks the candidates, the mean of similarity and
    explained share.
    """

    id: str
    score: float
    similarity: float
    copied: float
    explained: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping, figures rounded for display."""
        return {
            "id": self.id,
            "score": round(self.score, 4),
            "similarity": round(self.similarity, 4),
            "copied": round(self.copied, 4),
            "explained": round(self.explained, 4),
        }


@dataclass(frozen=True)
class MatchResult:
    """The candidate sources of one document, best first."""

    path: str
    words: int
    restored: int  # findings applied before the look-up
    matches: tuple[SourceMatch, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``spindetect match --format json`` for one document."""
        return {
            "path": self.path,
            "words": self.words,
            "restored": self.restored,
            "matches": [match.to_dict() for match in self.matches],
        }


def restored_text(text: str, threshold: float | None = RESTORE_THRESHOLD) -> tuple[str, int]:
    """``text`` with its findings applied, and how many were written back."""
    findings = scan(text, threshold=threshold).findings
    return apply_findings(text, findings), sum(finding.restore for finding in findings)


def find_sources(
    path: str,
    text: str,
    index: SourceIndex,
    *,
    top: int = 3,
    restore: bool = True,
    threshold: float | None = RESTORE_THRESHOLD,
) -> MatchResult:
    """The ``top`` candidates of ``index`` for ``text``, best first (see the module docstring)."""
    query, restored = restored_text(text, threshold) if restore else (text, 0)
    return MatchResult(path, len(word_list(text)), restored, rank_sources(index, query, top))


def rank_sources(index: SourceIndex, query: str, top: int = 3) -> tuple[SourceMatch, ...]:
    """The candidates most similar to ``query`` (a restored document), ranked by score."""
    words = word_list(query)
    scored = []
    for number, similarity in index.search(query, max(top, RERANK_DEPTH)):
        copied, explained = explained_shares(words, word_list(index.texts[number]))
        score = (similarity + explained) / 2
        match = SourceMatch(index.ids[number], score, similarity, copied, explained)
        scored.append((-score, number, match))
    return tuple(match for *_, match in sorted(scored)[:top])


def explained_shares(spun: list[str], source: list[str]) -> tuple[float, float]:
    """Shares of ``spun``'s words copied from ``source``, and copied or known substitutions.

    A copied word must be part of a run of two or more, or stand next to a known substitution:
    single common words ("the", "of") line up by chance between any two English texts.
    """
    if not spun:
        return 0.0, 0.0
    opcodes = align(spun, source)
    substituted = [
        _substituted_words(spun[a0:a1], source[b0:b1]) if tag == "replace" else 0
        for tag, a0, a1, b0, b1 in opcodes
    ]
    copied = 0
    for position, (tag, a0, a1, _, _) in enumerate(opcodes):
        if tag != "equal":
            continue
        beside = substituted[max(position - 1, 0) : position + 2]
        if a1 - a0 >= 2 or any(beside):
            copied += a1 - a0
    return copied / len(spun), (copied + sum(substituted)) / len(spun)


def _substituted_words(spun: list[str], source: list[str]) -> int:
    """How many words of a replaced stretch a known substitution of the source explains."""
    if _is_substitution(" ".join(spun), " ".join(source)):
        return len(spun)
    if len(spun) != len(source):
        return 0
    return sum(1 for a, b in zip(spun, source, strict=True) if _is_substitution(a, b))


def _is_substitution(spun: str, original: str) -> bool:
    if DIGIT_WORDS.get(spun) == original or (spun, original) in _phrasebook_pairs():
        return True
    return any(" ".join(words) == original for words, _ in default_thesaurus().candidates(spun))


@lru_cache(maxsize=1)
def _phrasebook_pairs() -> frozenset[tuple[str, str]]:
    return frozenset(
        (" ".join(word_list(entry.spun)), " ".join(word_list(entry.original)))
        for entry in default_phrasebook().entries
    )


def read_candidates(
    path: str, globs: tuple[str, ...] = DEFAULT_GLOBS
) -> Iterator[tuple[str, str] | InputError]:
    """``(id, text)`` of each candidate in a folder (files by ``globs``) or a JSONL file.

    JSONL lines are objects with a ``text`` and optionally an ``id`` (default ``FILE:LINE``).  A
    file of a folder that cannot be read is yielded as an :class:`InputError` and the others
    still come; a JSONL file that cannot be read or a malformed line raises
    :class:`~spindetect.jsonl.JsonlError` (a line that is no such object: :class:`InputError`),
    since the rest of the file is suspect too.
    """
    if Path(path).is_dir():
        for name in expand_paths([path], globs):
            try:
                yield name, read_document(name).text
            except InputError as error:
                yield error
        return
    for number, record in read_jsonl(path):
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputError(f'{path}:{number}: expected an object with a "text" string')
        yield str(record.get("id", f"{path}:{number}")), record["text"]


def load_index(
    path: str, globs: tuple[str, ...] = DEFAULT_GLOBS
) -> tuple[SourceIndex, list[InputError]]:
    """The index of the candidates at ``path``: a saved index (``.npz``), a folder or JSONL.

    Returns the index and the candidate files that could not be read; raises
    :class:`InputError` when ``path`` itself is unusable.
    """
    if path.endswith(INDEX_SUFFIX) and Path(path).is_file():
        try:
            return SourceIndex.load(path), []
        except IndexFileError as error:
            raise InputError(str(error)) from None
    problems: list[InputError] = []

    def readable() -> Iterator[tuple[str, str]]:
        for item in read_candidates(path, globs):
            if isinstance(item, InputError):
                problems.append(item)
            else:
                yield item

    return SourceIndex.build(readable()), problems


def format_text(result: MatchResult) -> str:
    """Lines ``path: rank. id (score, shares)`` for one document, best first."""
    restored = f"{result.restored} phrase{'' if result.restored == 1 else 's'} restored"
    if not result.matches:
        return f"{result.path}: no candidate shares a word with it ({restored})"
    lines = [f"{result.path}: {result.words} words, {restored}"]
    for rank, match in enumerate(result.matches, 1):
        lines.append(
            f"{result.path}: {rank}. {match.id} (score {match.score:.3f}: similarity "
            f"{match.similarity:.3f}, explains {match.explained:.0%} = {match.copied:.0%} copied "
            f"+ {match.explained - match.copied:.0%} known substitutions)"
        )
    return "\n".join(lines)
