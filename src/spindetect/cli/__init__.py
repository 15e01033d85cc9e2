"""The ``spindetect`` command: a thin typer shell around :mod:`spindetect.api`.

Exit codes: 0 nothing spun, 1 at least one document judged spun, 2 usage or input error,
130 interrupted.  An error raised by a command becomes its exit code (and one line on stderr)
in one place, :func:`~spindetect.cli.errors.exit_code`.  Defaults for the thresholds,
phrasebooks, references and globs come from ``[tool.spindetect]`` in the nearest
pyproject.toml (:mod:`spindetect.settings`); the command line wins.

One module per command (:mod:`.scan`, :mod:`.clean`, :mod:`.filter`, :mod:`.eval`,
:mod:`.match`, :mod:`.phrases`, :mod:`.reference`); the options they share are in
:mod:`.options`, the report's destination in :mod:`.output`, progress bars in
:mod:`.progress`.  The detector and the worker pool are imported by the commands that use
them, so ``--help``, ``--version`` and ``phrases import`` start quickly.
"""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__
from . import clean, match, phrases, reference, scan
from .errors import EXIT_CLEAN, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_SPUN, exit_code
from .eval import eval_command
from .filter import filter_command
from .group import SpindetectGroup, command_group

__all__ = [
    "EXIT_CLEAN",
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_SPUN",
    "app",
    "exit_code",
    "main",
]

app = typer.Typer(
    cls=SpindetectGroup,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Find synonym-spun text (article spinners, tortured phrases) and restore the "
    "original wording.\n\nDefaults for --threshold, --verdict-threshold, --phrasebook, "
    "--reference and --glob may be set in the [tool.spindetect] table of the nearest "
    "pyproject.toml; the command line wins.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spindetect {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Find synonym-spun text and restore the original wording."""


app.command()(scan.scan)
app.command()(clean.clean)
app.command("filter")(filter_command)
app.command("eval")(eval_command)
command_group(app, "phrases", phrases.HELP).command("import")(phrases.phrases_import)
command_group(app, "reference", reference.HELP).command("build")(reference.reference_build)
app.command("match")(match.match_command)


def main() -> None:
    """Console entry point (``spindetect``): exits with the code :func:`exit_code` gives."""
    app()
