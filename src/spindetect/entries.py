"""A phrasebook entry and the phrasebook error, shared by the phrasebook and the list readers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .fingerprints import Query

Mode = Literal["always", "context"]
MODES: tuple[str, ...] = ("always", "context")


class PhrasebookError(ValueError):
    """A phrasebook file that cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class Entry:
    """One curated pair."""

    spun: str
    original: str
    mode: Mode
    note: str = ""
    source: str = "phrasebook"
    query: Query | None = None  # an imported fingerprint query, matched with its semantics
