"""spindetect: find synonym-spun text and restore the original wording.

>>> import spindetect
>>> report = spindetect.scan("It was the primary Chinese language protection minister to visit.")
>>> [(f.text, f.suggestion) for f in report.findings]  # doctest: +SKIP
[('primary Chinese language protection', 'first Chinese defense')]
"""

from .api import clean, is_spun, scan
from .detect import DetectorConfig
from .findings import Finding, Report
from .pipeline import pipe

__all__ = ["DetectorConfig", "Finding", "Report", "clean", "is_spun", "pipe", "scan"]
__version__ = "0.1.0"
