"""The library calls: :func:`scan`, :func:`clean`, :func:`is_spun`.

Models load lazily on the first call and are shared by every later call in the process.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, replace
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
CHUNK_CHARS = 200_000
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
        reference, default_thesaurus(), phrasebook, default_null(), config, default_suspect_model()
    )


def provenance(detector: Detector) -> dict:
    """What a report records about the user's files a detector uses (path, sha256, rows...)."""
    meta = {}
    if detector.phrasebook.provenance:
        meta["phrasebooks"] = list(detector.phrasebook.provenance)
    models = getattr(detector.reference, "provenance", ())
    if models:
        meta["references"] = list(models)
    return meta


def examine(
    text: str,
    config: DetectorConfig = DEFAULT_CONFIG,
    phrasebooks: tuple[str, ...] = (),
    references: tuple[str, ...] = (),
) -> tuple[list[Finding], Evidence, int]:
    """Findings, document evidence and word count of ``text`` (scanned in pieces if long)."""
    detector = get_detector(config, phrasebooks, references)
    findings: list[Finding] = []
    evidence = Evidence()
    words = 0
    for offset, piece in chunks(text):
        tokens = tokenize(piece)
        words += sum(1 for token in tokens if token.kind is Kind.WORD)
        found, piece_evidence = detector.examine(piece, tokens)
        evidence += piece_evidence
        findings.extend(
            replace(f, start=f.start + offset, end=f.end + offset) if offset else f for f in found
        )
    return findings, evidence, words


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
    config = config or DEFAULT_CONFIG
    for name, value in (("threshold", threshold), ("verdict_threshold", verdict_threshold)):
        if value is not None and not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, got {value}")
    if threshold is not None:
        config = replace(config, threshold=threshold)
    books = tuple(str(path) for path in phrasebooks)
    models = tuple(str(path) for path in references)
    findings, evidence, words = examine(text, config, books, models)
    meta = provenance(get_detector(config, books, models))
    if words == 0:
        return Report(tuple(findings), "clean", 0.0, 0, meta)
    probability = default_model().probability(features(len(findings), evidence, words))
    verdict = "spun" if probability >= verdict_threshold else "clean"
    meta["evidence"] = asdict(evidence)
    return Report(tuple(findings), verdict, probability, words, meta)


def chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Split long text at line breaks (else spaces) into pieces of at most about ``size`` chars.

    Long documents are judged piece by piece, which bounds memory; a piece is still the length of
    a long article, so the detector's per-document statistics keep their power.
    """
    start = 0
    while len(text) - start > size:
        cut = text.rfind("\n", start + size // 2, start + size)
        if cut == -1:
            cut = text.rfind(" ", start, start + size)
        if cut == -1:  # no space in the window: cut at the next one, never inside a word
            cut = text.find(" ", start + size)
            if cut == -1:
                break
        cut += 1
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]


def clean(text: str, **options) -> str:
    """``text`` with every reported spun phrase replaced by its likely original.

    Takes the same keyword options as :func:`scan`; ``clean(text) == text`` when nothing is found.
    """
    return apply_findings(text, scan(text, **options).findings)


def is_spun(text: str, **options) -> bool:
    """True when :func:`scan` judges ``text`` spun."""
    return scan(text, **options).is_spun
