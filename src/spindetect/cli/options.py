"""The options several commands share, and their defaults: the command line, else the
``[tool.spindetect]`` table of the nearest pyproject.toml (:mod:`spindetect.settings`), else
the built-in defaults."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..inputs import DEFAULT_GLOBS
from .compat import get_current_context

if TYPE_CHECKING:
    from ..settings import Settings


def _threshold_option(help_text: str):
    """The ``--threshold`` option (a finding score, 0-1) with a command's own help."""
    return Annotated[
        float | None,
        typer.Option("--threshold", "-t", min=0.0, max=1.0, metavar="NUMBER", help=help_text),
    ]


ThresholdOption = _threshold_option(
    "Minimum finding score, 0-1 (default 0.95). Lower finds more, with more false flags."
)
RestoreThresholdOption = _threshold_option(
    "Minimum score of a finding restored before the look-up (default 0.5)."
)
VerdictOption = Annotated[
    float | None,
    typer.Option(
        "--verdict-threshold",
        min=0.0,
        max=1.0,
        metavar="NUMBER",
        show_default=False,
        help="Probability of being spun from which a file is judged spun (default 0.8).",
    ),
]
GlobOption = Annotated[
    list[str] | None,
    typer.Option(
        "--glob",
        metavar="PATTERN",
        help="File pattern searched in folders (default *.txt and *.md); repeatable.",
    ),
]
PhrasebookOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--phrasebook",
        metavar="FILE",
        help="Extra phrasebook: TSV (spun, original, mode, note) or a PPS export (CSV); "
        "repeatable.",
    ),
]
ReferenceOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--reference",
        metavar="FILE",
        help="Reference model from 'spindetect reference build', mixed with the default; "
        "repeatable.",
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers", "-j", min=1, metavar="N", help="Worker threads (default: one per core)."
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write the report here, not to stdout."),
]


def _settings() -> Settings:
    """The ``[tool.spindetect]`` defaults of the nearest pyproject.toml."""
    from ..settings import load_settings

    return load_settings()


def _given(name: str) -> bool:
    """Whether the running command's parameter ``name`` was given (not left at its default)."""
    context = get_current_context(silent=True)
    source = context.get_parameter_source(name) if context else None
    return source is None or source.name not in ("DEFAULT", "DEFAULT_MAP")


def scan_options(
    threshold: float | None,
    phrasebook: list[Path] | None,
    reference: list[Path] | None,
    **more,
) -> dict:
    """The keyword arguments of api.scan that a command passes to every worker: the command
    line's options, else the ``[tool.spindetect]`` settings, else the built-in defaults."""
    settings = _settings()
    if "verdict_threshold" in more and not _given("verdict_threshold"):
        more["verdict_threshold"] = settings.verdict_threshold
    if more.get("verdict_threshold", 0.0) is None:
        del more["verdict_threshold"]  # the api's default
    return {
        "threshold": settings.threshold if threshold is None else threshold,
        "phrasebooks": [str(p) for p in phrasebook] if phrasebook else list(settings.phrasebooks),
        "references": [str(p) for p in reference] if reference else list(settings.references),
        **more,
    }


def globs_of(glob: list[str] | None) -> tuple[str, ...]:
    """The ``--glob`` patterns, else the ``[tool.spindetect]`` globs, else the defaults."""
    return tuple(glob) if glob else (_settings().globs or DEFAULT_GLOBS)
