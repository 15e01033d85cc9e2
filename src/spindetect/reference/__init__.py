"""Reference language models: how probable a word is in its context in real English.

The reference is queried inside the compiled core (:mod:`spindetect._core`): the CMU US-English
trigram LM that ships inside the ``pocketsphinx`` wheel, memory-mapped where pip installed it,
mixed with any model a user built with ``spindetect reference build`` (:mod:`.build`, format in
:mod:`.ngram`).  This module finds the files and describes a user's model for reports.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..errors import SpindetectError

SENTENCE_START = "<s>"
SENTENCE_END = "</s>"
SPREF_MAGIC = b"SPDNGRM1"


class ModelError(SpindetectError, ValueError):
    """A reference model file that cannot be read; the message names the file."""


def cmu_model_path() -> str:
    """Path of ``en-us.lm.bin`` inside the installed pocketsphinx package.

    Found without importing pocketsphinx where possible: loading its extension module costs
    tens of milliseconds of start-up, and only the file is needed.
    """
    import importlib.util

    spec = importlib.util.find_spec("pocketsphinx")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(folder, "model", "en-us", "en-us.lm.bin")
        if os.path.isfile(path):
            return path
    import pocketsphinx  # a build whose model lives elsewhere: ask it

    return os.path.join(pocketsphinx.get_model_path(), "en-us", "en-us.lm.bin")


def reference_provenance(path: str | Path) -> dict[str, Any]:
    """What a report records about a user's model: path, format, sha256 of its arrays, n-gram
    rows and its source (read from the file's header; the core checks the rest)."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            if handle.read(len(SPREF_MAGIC)) != SPREF_MAGIC:
                raise ModelError(f"{path}: not a spindetect reference model")
            size = int.from_bytes(handle.read(8), "little")
            header = json.loads(handle.read(size).decode("utf-8"))
        rows = sum(
            int(entry[1]) for name, entry in header["arrays"].items() if name.startswith("keys")
        )
    except ModelError:
        raise
    except OSError as error:
        raise ModelError(f"{path}: cannot read: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError):
        raise ModelError(f"{path}: damaged model header") from None
    return {
        "path": str(path),
        "format": "spindetect-ngram",
        "sha256": header.get("sha256_of_arrays", ""),
        "rows": rows,
        "source": header.get("source", {}),
    }


__all__ = [
    "SENTENCE_END",
    "SENTENCE_START",
    "ModelError",
    "cmu_model_path",
    "reference_provenance",
]
