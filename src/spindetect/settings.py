"""The ``[tool.spindetect]`` table of the nearest ``pyproject.toml``: a project's defaults.

Searched upward from the current folder; the first ``pyproject.toml`` found is the project's
and its table (if any) applies.  Keys::

    [tool.spindetect]
    threshold = 0.9                 # minimum finding score, 0-1
    verdict-threshold = 0.85        # probability from which a file is judged spun, 0-1
    phrasebooks = ["terms.tsv"]     # extra phrasebooks (paths relative to pyproject.toml)
    references = ["news.spref"]     # extra reference models (same)
    globs = ["*.txt", "*.rst"]      # file patterns searched in folders

An option given on the command line wins over the table.  A bad key or value raises
:class:`SettingsError` naming the file and the key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SpindetectError

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FILE_NAME = "pyproject.toml"
NUMBERS = ("threshold", "verdict-threshold")
PATH_LISTS = ("phrasebooks", "references")
KEYS = (*NUMBERS, *PATH_LISTS, "globs")


class SettingsError(SpindetectError):
    """A ``[tool.spindetect]`` table that cannot be used; the message names file and key."""


@dataclass(frozen=True)
class Settings:
    """A project's defaults; ``None`` or empty: not set (the built-in default applies)."""

    threshold: float | None = None
    verdict_threshold: float | None = None
    phrasebooks: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    globs: tuple[str, ...] = ()
    source: Path | None = None  # the pyproject.toml read, if any


def find_pyproject(start: Path | None = None) -> Path | None:
    """The nearest ``pyproject.toml`` in ``start`` (default: the current folder) or above."""
    folder = (start or Path.cwd()).absolute()
    for candidate in (folder, *folder.parents):
        path = candidate / FILE_NAME
        if path.is_file():
            return path
    return None


def load_settings(start: Path | None = None) -> Settings:
    """The ``[tool.spindetect]`` settings of the nearest ``pyproject.toml`` (none: defaults)."""
    path = find_pyproject(start)
    if path is None:
        return Settings()
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except OSError as error:
        raise SettingsError(f"{path}: cannot read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: not valid TOML: {error}") from None
    table = document.get("tool", {}).get("spindetect")
    if table is None:
        return Settings(source=path)
    return parse_table(table, path)


def parse_table(table: Any, path: Path) -> Settings:
    """Check a ``[tool.spindetect]`` table read from ``path``; paths become relative to it."""
    where = f"{path}: [tool.spindetect]"
    if not isinstance(table, dict):
        raise SettingsError(f"{where} must be a table")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise SettingsError(f"{where}: unknown key {unknown[0]!r}; known keys: {', '.join(KEYS)}")
    numbers = {key: _fraction(table[key], f"{where} {key}") for key in NUMBERS if key in table}
    lists = {key: _strings(table.get(key, []), f"{where} {key}") for key in (*PATH_LISTS, "globs")}
    folder = path.parent
    return Settings(
        threshold=numbers.get("threshold"),
        verdict_threshold=numbers.get("verdict-threshold"),
        phrasebooks=tuple(str(folder / name) for name in lists["phrasebooks"]),
        references=tuple(str(folder / name) for name in lists["references"]),
        globs=lists["globs"],
        source=path,
    )


def _fraction(value: Any, name: str) -> float:
    """A number from 0 to 1 (an integer 0 or 1 too; never a boolean or a string)."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if not number or math.isnan(value) or not 0.0 <= value <= 1.0:
        raise SettingsError(f"{name} must be a number from 0 to 1, got {value!r}")
    return float(value)


def _strings(value: Any, name: str) -> tuple[str, ...]:
    """A list of non-empty strings."""
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise SettingsError(f"{name} must be a list of non-empty strings, got {value!r}")
    return tuple(value)
