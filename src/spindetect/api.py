"""The library calls: :func:`scan`, :func:`clean`, :func:`is_spun`.

Models load lazily on the first call and are shared by every later call in the process.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path

from .calibration import default_null
from .classifier import default_model, features
from .detect import Detector, DetectorConfig, Evidence
from .findings import Finding, Report
from .phrasebook import Phrasebook, default_phrasebook
from .reference import default_reference
from .restore import apply_findings
from .suspects import default_suspect_model
from .thesaurus import default_thesaurus
from .tokens import Kind, tokenize

DEFAULT_CONFIG = DetectorConfig()
CHUNK_CHARS = 50_000  # about 8,000 words; peak RSS on a long file: 414 MB at 200,000, 270 MB here
VERDICT_THRESHOLD = 0.8  # chosen on corpus/eval/dev.jsonl for precision (0.96 there)


def get_detector(
    config: DetectorConfig = DEFAULT_CONFIG,
    phrasebooks: tuple[str, ...] = (),
    references: tuple[str, ...] = (),
) -> Detector:
    """A detector on the bundled data plus extra phrasebook files (TSV or PPS exports) and
    reference models built by ``spindetect reference build``; cached per configuration and
    per version of those files (an edited phrasebook is read again)."""
    return _detector(config, _versions(phrasebooks), _versions(references))


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
) -> Detector:
    phrasebook = default_phrasebook()
    for path, _, _ in phrasebooks:
        phrasebook = phrasebook.merged(Phrasebook.from_file(Path(path), source=Path(path).name))
    reference = default_reference()
    if references:
        from .reference.ngram import combine_references

        reference = combine_references(reference, [path for path, _, _ in references])
    return Detector(
        reference,
        default_thesaurus(),
        phrasebook,
        default_null(),
        config,
        default_suspect_model(),
        judge=spun_probability,
    )


def spun_probability(findings: int, evidence: Evidence, words: int) -> float:
    """The document classifier's P(spun) of a text with this many findings, this evidence and
    this many words."""
    return default_model().probability(features(findings, evidence, words))


def provenance(detector: Detector) -> dict:
    """What a report records about the user's files a detector uses (path, sha256, rows...)."""
    meta = {}
    if detector.phrasebook.provenance:
        meta["phrasebooks"] = list(detector.phrasebook.provenance)
    models = getattr(detector.reference, "provenance", ())
    if models:
        meta["references"] = list(models)
    return meta


@dataclass(frozen=True)
class Piece:
    """One piece of a document as scanned: where it starts in the whole text, its text and its
    findings (offsets into the whole text)."""

    offset: int
    text: str
    findings: list[Finding]

    def restored(self) -> str:
        """The piece's text with its findings replaced by their suggestions."""
        return apply_findings(self.text, self.findings, self.offset)


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
        config = config or DEFAULT_CONFIG
        for name, value in (("threshold", threshold), ("verdict_threshold", verdict_threshold)):
            if value is not None and not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if threshold is not None:
            config = replace(config, threshold=threshold)
        self._parts = parts
        self._detector_args = (
            config,
            tuple(str(path) for path in phrasebooks),
            tuple(str(path) for path in references),
        )
        self._verdict_threshold = verdict_threshold
        self._evidence = Evidence()
        self._words = 0
        self.count = 0  # findings so far: with the evidence and the words, all the verdict needs
        self._done = False

    def __iter__(self) -> Iterator[Piece]:
        detector = get_detector(*self._detector_args)
        for offset, text in pieces(self._parts):
            tokens = tokenize(text)
            words = sum(1 for token in tokens if token.kind is Kind.WORD)
            found, evidence = detector.examine(text, tokens, words)
            if offset:
                found = [replace(f, start=f.start + offset, end=f.end + offset) for f in found]
            self._evidence += evidence
            self._words += words
            self.count += len(found)
            yield Piece(offset, text, found)
        self._done = True

    def report(self, findings: Sequence[Finding] = ()) -> Report:
        """The verdict on the whole document, once every piece is scanned, with ``findings``
        (those the caller kept; the verdict counts every finding either way)."""
        if not self._done:
            raise RuntimeError("the document is not scanned to its end yet")
        meta = provenance(get_detector(*self._detector_args))
        if self._words == 0:
            return Report(tuple(findings), "clean", 0.0, 0, meta)
        # The classifier was trained on findings before swaps were followed (made once a
        # piece is judged spun): the verdict counts those.
        found = self.count - self._evidence.followed
        probability = spun_probability(found, self._evidence, self._words)
        verdict = "spun" if probability >= self._verdict_threshold else "clean"
        meta["evidence"] = asdict(self._evidence)
        return Report(tuple(findings), verdict, probability, self._words, meta)


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
    index into ``text`` itself.
    """
    document = DocumentScan(
        (text,),
        threshold=threshold,
        verdict_threshold=verdict_threshold,
        config=config,
        phrasebooks=phrasebooks,
        references=references,
    )
    findings = [finding for piece in document for finding in piece.findings]
    return document.report(findings)


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
    """``text`` with every reported spun phrase replaced by its likely original.

    Takes the same keyword options as :func:`scan`; ``clean(text) == text`` when nothing is found.
    """
    return apply_findings(text, scan(text, **options).findings)


def is_spun(text: str, **options) -> bool:
    """True when :func:`scan` judges ``text`` spun."""
    return scan(text, **options).is_spun
