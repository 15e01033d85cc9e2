"""The command group: plain help (choices and placeholders, not Python types), and every
error turned into its exit code through :func:`~spindetect.cli.errors.exit_code`."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

import typer
from typer.core import TyperGroup

from .errors import EXIT_CLEAN, Raised, exit_code


class SpindetectGroup(TyperGroup):
    """A command group with plain help (choices and placeholders, not Python types) whose
    :meth:`main` turns every error into its exit code through :func:`exit_code`."""

    def __init__(self, **attrs: Any) -> None:
        attrs["rich_markup_mode"] = None  # plain help: wrapped paragraphs, no tables
        super().__init__(**attrs)
        for command in (self, *self.commands.values()):
            _plain_placeholders(command)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Each command with the whole first sentence of its help, wrapped (not cut off)."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (OSError, EOFError, KeyboardInterrupt) as error:
            raise Raised(error) from error

    def main(  # type: ignore[override]
        self,
        args: Iterable[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> int:
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else EXIT_CLEAN
        except SystemExit:
            raise
        except Raised as raised:
            code = exit_code(raised.error)
        except BaseException as error:
            code = exit_code(error)
        if standalone_mode:
            sys.exit(code)
        return code


def _plain_placeholders(command: Any) -> None:
    """Plain placeholders in ``command``'s help: ``[text|json]`` for choices, ``PATH``,
    ``NUMBER``, ``TEXT`` for values, nothing for flags; an argument shows its name only."""
    for param in command.params:
        if param.param_type_name == "argument":
            param.display_type_rich = lambda ctx: None  # typer would add <list[str]>
        elif param.metavar is None and not getattr(param, "is_flag", False):
            param.metavar = _placeholder(param)


def _placeholder(param: Any) -> str | None:
    described = getattr(param, "type_descriptor", None)
    if described is None:  # pragma: no cover - a typer that names its types plainly
        return None
    if described.choices:
        return "[" + "|".join(str(getattr(c, "value", c)) for c in described.choices) + "]"
    if described.is_path:
        return "PATH"
    annotation = described.annotation
    if described.is_list:
        (annotation,) = annotation.__args__
    return {int: "INTEGER", float: "NUMBER"}.get(annotation, "TEXT")


def command_group(parent: typer.Typer, name: str, help_text: str) -> typer.Typer:
    """A ``spindetect NAME ...`` group of subcommands, added to ``parent``."""
    group = typer.Typer(
        cls=SpindetectGroup, no_args_is_help=True, rich_markup_mode=None, help=help_text
    )
    parent.add_typer(group, name=name)
    return group
