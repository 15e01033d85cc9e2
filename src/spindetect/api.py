"""The library calls: :func:`scan`, :func:`clean`, :func:`is_spun`.

Models load lazily on the first call and are shared by every later call in the process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .calibration import default_null
from .detect import Detector, DetectorConfig
from .findings import Finding, Report
from .phrasebook import Phrasebook, default_phrasebook
from .reference import default_reference
from .restore import apply_findings
from .thesaurus import default_thesaurus
from .tokens import Kind, tokenize
from .verdict import DensityRule

DEFAULT_CONFIG = DetectorConfig()
DEFAULT_RULE = DensityRule()
CHUNK_CHARS = 200_000


@lru_cache(maxsize=16)
def get_detector(
    config: DetectorConfig = DEFAULT_CONFIG, phrasebooks: tuple[str, ...] = ()
) -> Detector:
    """A detector on the bundled data plus extra phrasebook files; cached per configuration."""
    phrasebook = default_phrasebook()
    for path in phrasebooks:
        phrasebook = phrasebook.merged(Phrasebook.from_file(Path(path), source=Path(path).name))
    return Detector(default_reference(), default_thesaurus(), phrasebook, default_null(), config)


def scan(
    text: str,
    *,
    threshold: float | None = None,
    config: DetectorConfig | None = None,
    phrasebooks: Iterable[str | Path] = (),
    rule: DensityRule = DEFAULT_RULE,
) -> Report:
    """Find spun phrases in ``text`` and judge the whole text.

    ``threshold`` (0-1) is the minimum finding score to report (default 0.95; for thesaurus
    findings, 1 - the estimated false-discovery rate); ``phrasebooks`` are extra
    phrasebook TSV files.  The report's offsets index into ``text`` itself.
    """
    config = config or DEFAULT_CONFIG
    if threshold is not None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
        config = replace(config, threshold=threshold)
    detector = get_detector(config, tuple(str(path) for path in phrasebooks))
    findings: list[Finding] = []
    words = 0
    for offset, piece in chunks(text):
        tokens = tokenize(piece)
        words += sum(1 for token in tokens if token.kind is Kind.WORD)
        for finding in detector.find(piece, tokens):
            findings.append(
                replace(finding, start=finding.start + offset, end=finding.end + offset)
                if offset
                else finding
            )
    verdict, score = rule.verdict(findings, words)
    return Report(tuple(findings), verdict, score, words)


def chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Split long text at line breaks (else spaces) into pieces of at most about ``size`` chars.

    Long documents are judged piece by piece, which bounds memory; a piece is still the length of
    a long article, so the detector's per-document statistics keep their power.
    """
    start = 0
    while len(text) - start > size:
        cut = text.rfind("\n", start + size // 2, start + size)
        if cut == -1:
            cut = text.rfind(" ", start + size // 2, start + size)
        cut = start + size if cut == -1 else cut + 1
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
