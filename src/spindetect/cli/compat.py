"""The parts of click the command line uses, wherever the installed typer keeps them."""

from __future__ import annotations

try:  # typer >= 0.26 vendors click privately; older releases depend on click itself.
    from typer._click.exceptions import ClickException, UsageError
    from typer._click.globals import get_current_context
except ImportError:  # pragma: no cover - depends on the installed typer
    from click import get_current_context
    from click.exceptions import ClickException, UsageError

__all__ = ["ClickException", "UsageError", "get_current_context"]
