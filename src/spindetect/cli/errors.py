"""The one mapping from an error to an exit code (:func:`exit_code`), and the command line's
one-line messages on stderr."""

from __future__ import annotations

import contextlib
import os
import sys

import typer

from ..errors import SpindetectError
from .compat import ClickException, UsageError, get_current_context

EXIT_CLEAN, EXIT_SPUN, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


def exit_code(error: BaseException) -> int:
    """The one mapping from an error to an exit code; prints the error's one line on stderr.

    Usage errors, spindetect's own errors (:class:`~spindetect.errors.SpindetectError` and
    the option errors of the loaders) and failed reads or writes: 2.  Ctrl-C: 130.  A closed
    pipe on standard output (``spindetect scan ... | head``): 0, silently.  Anything else is a
    bug or a broken installation: one line naming it, 2 (never 1, "spun").
    """
    if isinstance(error, UsageError):
        if type(error).__name__ == "NoArgsIsHelpError":  # no arguments: the help, as asked
            typer.echo(error.format_message(), err=True)
            return EXIT_ERROR
        command = error.ctx.command_path if error.ctx else "spindetect"
        report_error(f"{' '.join(error.format_message().split())} (see '{command} --help')")
        return EXIT_ERROR
    if isinstance(error, KeyboardInterrupt | typer.Abort):
        report_error("interrupted")
        return EXIT_INTERRUPTED
    if isinstance(error, BrokenPipeError):
        _quiet_stdout()
        return EXIT_CLEAN
    if isinstance(error, _user_errors()):
        report_error(str(error))
        return EXIT_ERROR
    if isinstance(error, OSError):
        name = f"{error.filename}: " if error.filename else ""
        report_error(f"{name}{error.strerror or error}")
        return EXIT_ERROR
    if isinstance(error, ClickException):
        report_error(error.format_message())
        return EXIT_ERROR
    report_error(f"unexpected {type(error).__name__}: {error}")
    return EXIT_ERROR


def _user_errors() -> tuple[type[Exception], ...]:
    """The errors worded for the user.  Those not yet derived from SpindetectError are named
    here; they are imported only when an error is being reported."""
    from ..entries import PhrasebookError
    from ..reference import ModelError
    from ..reference.build import BuildError
    from ..tools.evaluate import PairsError
    from ..tools.sourceindex import IndexFileError

    return (SpindetectError, PhrasebookError, ModelError, BuildError, PairsError, IndexFileError)


def _quiet_stdout() -> None:
    """After a closed pipe: send what is left in standard output's buffer nowhere, so the
    interpreter's last flush does not print a second error."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


class Raised(Exception):
    """Carries an error past typer's own handling of it (a closed pipe, Ctrl-C) to
    :func:`exit_code`."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def report_error(message: str) -> None:
    """``spindetect: error: MESSAGE`` on stderr."""
    typer.echo(f"spindetect: error: {message}", err=True)


def warn(message: str) -> None:
    """``spindetect: warning: MESSAGE`` on stderr."""
    typer.echo(f"spindetect: warning: {message}", err=True)


def usage(message: str) -> UsageError:
    """A usage error of the running command (exit code 2, with a pointer to its help)."""
    return UsageError(message, ctx=get_current_context(silent=True))
