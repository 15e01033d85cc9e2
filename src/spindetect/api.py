"""The library calls: :func:`scan`, :func:`scan_many`, :func:`clean`, :func:`is_spun`.

The models load once per process, on the first call, into the compiled core
(:mod:`spindetect._core`); every later call, from any thread, shares them.  A call crosses into
the core once per batch of texts; the core scans them on its own threads with the GIL released.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, astuple, dataclass, replace
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from .config import DetectorConfig
from .data import candidate_tables, data_path
from .findings import Evidence, Finding, Report
from .normal import OffsetMap, nfc_with_offsets
from .phrasebook import Phrasebook, default_phrasebook
from .reference import ModelError, cmu_model_path, reference_provenance
from .restore import apply_findings

if TYPE_CHECKING:
    from ._core import Engine

DEFAULT_CONFIG = DetectorConfig()
CHUNK_CHARS = 50_000  # about 8,000 words: a long article; bounds the memory of one piece
VERDICT_THRESHOLD = 0.8  # chosen on corpus/eval/dev.jsonl for precision (0.96 there)
DEFAULT_BATCH_SIZE = 64


@dataclass(frozen=True)
class Detector:
    """The compiled core loaded with one configuration, and what a report records of the user
    files it reads (path, sha256, rows)."""

    core: Engine
    meta: dict

    def examine(self, texts: Sequence[str], threads: int = 1) -> list[tuple[list, Evidence, int]]:
        """(findings as tuples with offsets into each text, evidence, words) of each text.

        Words are matched in NFC: a text with decomposed characters ("e" + U+0301) is scanned
        in its composed form and its findings are mapped back to offsets into the text given.
        """
        normalized = [nfc_with_offsets(text) for text in texts]
        scans = self.core.scan_many([text for text, _ in normalized], threads)
        return [
            (_original_spans(found, mapping), Evidence(*evidence), words)
            for (found, evidence, words), (_, mapping) in zip(scans, normalized, strict=True)
        ]

    def probability(self, findings: int, evidence: Evidence, words: int) -> float:
        """The document classifier's P(spun)."""
        return self.core.probability(findings, astuple(evidence), words)


def _original_spans(found: list, mapping: OffsetMap) -> list:
    """The core's finding tuples with their spans mapped from the NFC text to the original."""
    if mapping.identity:
        return found
    return [(*mapping.span(start, end), *rest) for start, end, *rest in found]


def get_detector(
    config: DetectorConfig = DEFAULT_CONFIG,
    phrasebooks: tuple[str, ...] = (),
    references: tuple[str, ...] = (),
) -> Detector:
    """A detector on the bundled data plus extra phrasebook files (TSV or PPS exports) and
    reference models built by ``spindetect reference build``; cached per configuration and
    per version of those files and of candidate tables given by path (an edited phrasebook is
    read again)."""
    tables = tuple(source for source in config.sources if source.endswith(".table"))
    return _detector(config, _versions(phrasebooks), _versions(references), _versions(tables))


def _versions(paths: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """Each path with its modification time and size (-1 when it cannot be read: the loader
    then reports the error)."""
    versions = []
    for path in paths:
        try:
            status = os.stat(path)
            versions.append((path, status.st_mtime_ns, status.st_size))
        except OSError:
            versions.append((path, -1, -1))
    return tuple(versions)


@lru_cache(maxsize=16)
def _detector(
    config: DetectorConfig,
    phrasebooks: tuple[tuple[str, int, int], ...],
    references: tuple[tuple[str, int, int], ...],
    tables: tuple[tuple[str, int, int], ...] = (),
) -> Detector:
    from . import _core

    phrasebook = default_phrasebook()
    for path, _, _ in phrasebooks:
        phrasebook = phrasebook.merged(Phrasebook.from_file(Path(path), source=Path(path).name))
    paths = [path for path, _, _ in references]
    meta: dict = {}
    if phrasebook.provenance:
        meta["phrasebooks"] = list(phrasebook.provenance)
    if paths:
        meta["references"] = [reference_provenance(path) for path in paths]
    try:
        tables = candidate_tables(config.sources)
    except FileNotFoundError as error:
        raise ModelError(str(error)) from None
    try:
        core = _core.Engine(
            reference=cmu_model_path(),
            references=paths,
            candidates=tables,
            null=data_path("null_statistics.json"),
            suspects=data_path("suspect_model.json"),
            document=data_path("document_model.json"),
            entries=[entry.as_core() for entry in phrasebook.entries],
            config=config.as_numbers(),
        )
    except _core.ModelError as error:
        raise ModelError(str(error)) from None
    return Detector(core, meta)


@dataclass(frozen=True)
class Piece:
    """One piece of a document as scanned: where it starts in the whole text, its text and its
    findings (offsets into the whole text)."""

    offset: int
    text: str
    findings: list[Finding]

    def restored(self) -> str:
        """The piece's text with the findings marked ``restore`` replaced by their suggestions."""
        return apply_findings(self.text, self.findings, self.offset)


def _findings(text: str, found: list, offset: int = 0) -> list[Finding]:
    """Findings from the core's tuples (offsets into ``text``), shifted by ``offset``."""
    return [
        Finding(
            start + offset,
            end + offset,
            text[start:end],
            suggestion,
            score,
            source,
            reason,
            tuple(alternatives),
            restore,
        )
        for start, end, suggestion, score, source, reason, alternatives, restore in found
    ]


def _options(
    threshold: float | None,
    verdict_threshold: float,
    config: DetectorConfig | None,
    phrasebooks: Iterable[str | Path],
    references: Iterable[str | Path],
) -> tuple[tuple[DetectorConfig, tuple[str, ...], tuple[str, ...]], float]:
    """Validated options: the detector's arguments and the verdict threshold."""
    config = config or DEFAULT_CONFIG
    for name, value in (("threshold", threshold), ("verdict_threshold", verdict_threshold)):
        if value is not None and not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, got {value}")
    if threshold is not None:
        config = replace(config, threshold=threshold)
    arguments = (
        config,
        tuple(str(path) for path in phrasebooks),
        tuple(str(path) for path in references),
    )
    return arguments, verdict_threshold


class Verdict:
    """Adds up the pieces of one document and judges it."""

    def __init__(self, detector: Detector, threshold: float) -> None:
        self.detector = detector
        self.threshold = threshold
        self.evidence = Evidence()
        self.words = 0
        self.count = 0  # findings so far: with the evidence and the words, all the verdict needs

    def add(self, findings: int, evidence: Evidence, words: int) -> None:
        """Count one piece."""
        self.evidence += evidence
        self.words += words
        self.count += findings

    def report(self, findings: Sequence[Finding]) -> Report:
        """The verdict on the whole document, with ``findings`` (those the caller kept)."""
        meta = dict(self.detector.meta)
        if self.words == 0:
            return Report(tuple(findings), "clean", 0.0, 0, meta)
        # The classifier was trained on findings before swaps were followed: the verdict
        # counts those.
        found = self.count - self.evidence.followed
        probability = self.detector.probability(found, self.evidence, self.words)
        verdict = "spun" if probability >= self.threshold else "clean"
        meta["evidence"] = asdict(self.evidence)
        return Report(tuple(findings), verdict, probability, self.words, meta)


class DocumentScan:
    """A scan of one document whose text comes in consecutive parts (a file read a block at a
    time); :func:`scan` is the scan of a text given whole.

    Iterate once for its :class:`Piece` objects, each as soon as it is scanned (nothing else
    holds it: keep what you need of it); then :meth:`report` judges the whole document.  Takes
    the keyword options of :func:`scan`, checked at once.
    """

    def __init__(
        self,
        parts: Iterable[str],
        *,
        threshold: float | None = None,
        verdict_threshold: float = VERDICT_THRESHOLD,
        config: DetectorConfig | None = None,
        phrasebooks: Iterable[str | Path] = (),
        references: Iterable[str | Path] = (),
    ) -> None:
        self._parts = parts
        self._arguments, self._verdict_threshold = _options(
            threshold, verdict_threshold, config, phrasebooks, references
        )
        self._verdict: Verdict | None = None
        self._done = False

    @property
    def count(self) -> int:
        """Findings so far."""
        return self._verdict.count if self._verdict else 0

    def __iter__(self) -> Iterator[Piece]:
        detector = get_detector(*self._arguments)
        self._verdict = Verdict(detector, self._verdict_threshold)
        for offset, text in pieces(self._parts):
            [(found, evidence, words)] = detector.examine([text])
            findings = _findings(text, found, offset)
            self._verdict.add(len(findings), evidence, words)
            yield Piece(offset, text, findings)
        self._done = True

    def report(self, findings: Sequence[Finding] = ()) -> Report:
        """The verdict on the whole document, once every piece is scanned, with ``findings``
        (those the caller kept; the verdict counts every finding either way)."""
        if not self._done or self._verdict is None:
            raise RuntimeError("the document is not scanned to its end yet")
        return self._verdict.report(findings)


def scan(
    text: str,
    *,
    threshold: float | None = None,
    verdict_threshold: float = VERDICT_THRESHOLD,
    config: DetectorConfig | None = None,
    phrasebooks: Iterable[str | Path] = (),
    references: Iterable[str | Path] = (),
) -> Report:
    """Find spun phrases in ``text`` and judge the whole text.

    ``threshold`` (0-1) is the minimum finding score to report (default 0.95; for thesaurus
    findings, 1 - the estimated false-discovery rate); ``verdict_threshold`` the probability of
    being spun from which the verdict is "spun" (the report's ``score`` is that probability);
    ``phrasebooks`` are extra phrasebook files (TSV, or a Problematic Paper Screener export);
    ``references`` are models built by ``spindetect reference build``, mixed with the default
    reference.  The files used are recorded in ``report.meta`` (path, sha256, rows).  Offsets
    index into ``text`` itself.  Safe to call from many threads at once.
    """
    return next(
        scan_many(
            (text,),
            threshold=threshold,
            verdict_threshold=verdict_threshold,
            config=config,
            phrasebooks=phrasebooks,
            references=references,
        )
    )


def scan_many(
    texts: Iterable[str],
    *,
    threads: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    threshold: float | None = None,
    verdict_threshold: float = VERDICT_THRESHOLD,
    config: DetectorConfig | None = None,
    phrasebooks: Iterable[str | Path] = (),
    references: Iterable[str | Path] = (),
) -> Iterator[Report]:
    """Scan a stream of texts, yielding one :class:`Report` per text, in input order.

    Like spaCy's ``nlp.pipe``: ``texts`` may be any iterable (a generator over a huge file is
    read ``batch_size`` texts at a time); each batch is one call into the core, which scans it
    on ``threads`` threads (``-1``: every core) over one shared copy of the models.  Takes the
    other keyword options of :func:`scan`, checked before the first text is read.
    """
    from .pipeline import resolve_workers

    arguments, verdict_threshold = _options(
        threshold, verdict_threshold, config, phrasebooks, references
    )
    threads = resolve_workers(threads)
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    return _scan_batches(texts, get_detector(*arguments), verdict_threshold, threads, batch_size)


def _scan_batches(
    texts: Iterable[str], detector: Detector, verdict_threshold: float, threads: int, size: int
) -> Iterator[Report]:
    stream = iter(texts)
    while batch := list(islice(stream, size)):
        cut = [list(chunks(text)) for text in batch]
        scans = iter(detector.examine([piece for parts in cut for _, piece in parts], threads))
        for parts in cut:
            verdict = Verdict(detector, verdict_threshold)
            findings: list[Finding] = []
            for offset, piece in parts:
                found, evidence, words = next(scans)
                findings += _findings(piece, found, offset)
                verdict.add(len(found), evidence, words)
            yield verdict.report(findings)


def chunks(text: str, size: int | None = None) -> Iterator[tuple[int, str]]:
    """Split long text at line breaks (else spaces) into pieces of at most about ``size`` chars
    (default :data:`CHUNK_CHARS`).

    Long documents are judged piece by piece, which bounds memory; a piece is still the length of
    a long article, so the detector's per-document statistics keep their power.
    """
    return pieces((text,), size)


def pieces(parts: Iterable[str], size: int | None = None) -> Iterator[tuple[int, str]]:
    """:func:`chunks` of the text made of consecutive ``parts``, read only as far as needed:
    the same pieces, at the same offsets, as ``chunks("".join(parts))``.  ``size`` defaults
    to :data:`CHUNK_CHARS`."""
    size = size or CHUNK_CHARS
    stream = iter(parts)
    buffer, start, offset = "", 0, 0  # buffer[start:] is the text from ``offset`` not yet cut
    while True:
        cut = _cut(buffer, start, size) if len(buffer) - start > size else -1
        if cut == -1:  # too short to cut yet, or no space found: read on, if there is more
            part = next(stream, None)
            if part is None:
                break
            buffer, start = buffer[start:] + part, 0
            continue
        yield offset, buffer[start:cut]
        offset += cut - start
        start = cut
    yield offset, buffer[start:]


def _cut(text: str, start: int, size: int) -> int:
    """Where the piece of ``text`` from ``start`` (more than ``size`` chars) ends: after the
    last line break in its second half, else after its last space, else after the first space
    beyond it (never inside a word); -1 if there is none."""
    cut = text.rfind("\n", start + size // 2, start + size)
    if cut == -1:
        cut = text.rfind(" ", start, start + size)
    if cut == -1:
        cut = text.find(" ", start + size)
        if cut == -1:
            return -1
    return cut + 1


def clean(text: str, **options) -> str:
    """``text`` with each reported spun phrase replaced by its likely original, where that
    original is clearly ahead of the next (a finding's ``restore``; the others are reported by
    :func:`scan` with their ranked candidates and left as written).

    Takes the same keyword options as :func:`scan`; ``clean(text) == text`` when nothing is found.
    """
    return apply_findings(text, scan(text, **options).findings)


def is_spun(text: str, **options) -> bool:
    """True when :func:`scan` judges ``text`` spun."""
    return scan(text, **options).is_spun
