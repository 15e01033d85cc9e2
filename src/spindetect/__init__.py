"""spindetect: find synonym-spun text and restore the original wording.

>>> import spindetect
>>> report = spindetect.scan("It was the primary Chinese language protection minister to visit.")
>>> [(f.text, f.suggestion) for f in report.findings]  # doctest: +SKIP
[('primary Chinese language protection', 'first Chinese defense')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .api import clean, is_spun, scan
from .detect import DetectorConfig
from .findings import Finding, Report

if TYPE_CHECKING:
    from .pipeline import pipe

__all__ = ["DetectorConfig", "Finding", "Report", "clean", "is_spun", "pipe", "scan"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``spindetect.pipe`` on first use: the worker pool's imports (multiprocessing, sockets)
    stay out of the start-up of a process that only scans."""
    if name == "pipe":
        from .pipeline import pipe

        return pipe
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
