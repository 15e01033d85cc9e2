"""spindetect: find synonym-spun text and restore the original wording.

>>> import spindetect
>>> report = spindetect.scan("It was the primary Chinese language protection minister to visit.")
>>> [(f.text, f.suggestion) for f in report.findings]  # doctest: +SKIP
[('primary Chinese language protection', 'first Chinese defense')]

The names below are imported on first use (PEP 562): the command line's ``--help`` loads no model,
and a process that only scans never imports the worker pool behind :func:`pipe`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import clean, is_spun, scan, scan_many
    from .config import DetectorConfig
    from .findings import Finding, Report
    from .pipeline import pipe

__all__ = ["DetectorConfig", "Finding", "Report", "clean", "is_spun", "pipe", "scan", "scan_many"]
__version__ = "0.1.0"

_HOMES = {
    "DetectorConfig": "config",
    "Finding": "findings",
    "Report": "findings",
    "clean": "api",
    "is_spun": "api",
    "pipe": "pipeline",
    "scan": "api",
    "scan_many": "api",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use, then keep it here."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
