"""The per-user cache folder where spindetect keeps decoded copies of its models.

Decoding the bundled data (the CMU LM, the reversed thesaurus) takes a second or so; a decoded
copy in the cache folder loads in milliseconds.  The folder is ``$SPINDETECT_CACHE``, else
``$XDG_CACHE_HOME/spindetect``, else ``~/.cache/spindetect``.  Each copy is named after its
source file's size and modification time (:func:`cache_key`), so an edited source gets a new
copy, and is written under a temporary name and renamed (:mod:`.atomic`), so no reader ever
sees half a copy.
Callers treat an unwritable folder as "no cache" and decode in every process.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder() -> Path:
    """Where decoded copies are kept."""
    explicit = os.environ.get("SPINDETECT_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "spindetect"


def cache_key(source: str | os.PathLike[str]) -> str:
    """``SIZE-MTIME_NS`` of ``source``: changes whenever the file is replaced or edited."""
    status = os.stat(source)
    return f"{status.st_size}-{status.st_mtime_ns}"
