"""A phrasebook entry and the phrasebook error, shared by the phrasebook and the list readers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .errors import SpindetectError

Mode = Literal["always", "context"]
MODES: tuple[str, ...] = ("always", "context")


class PhrasebookError(SpindetectError, ValueError):
    """A phrasebook file that cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class Entry:
    """One curated pair."""

    spun: str
    original: str
    mode: Mode
    note: str = ""
    source: str = "phrasebook"
    query: str | None = None  # an imported fingerprint query (canonical text), matched by the core

    def as_core(self) -> tuple[str, str, str, str, str, str | None]:
        """The entry as the compiled core takes it (the query in its canonical text)."""
        return (self.spun, self.original, self.mode, self.note, self.source, self.query)
