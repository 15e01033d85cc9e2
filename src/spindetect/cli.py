"""The ``spindetect`` command: a thin typer shell around :mod:`spindetect.api`.

Exit codes: 0 nothing spun, 1 at least one document judged spun, 2 usage or input error,
130 interrupted.  An error raised by a command becomes its exit code (and one line on stderr)
in one place, :func:`exit_code`.  Defaults for the thresholds, phrasebooks, references and
globs come from ``[tool.spindetect]`` in the nearest pyproject.toml (:mod:`.settings`); the
command line wins.

The detector and the worker pool are imported by the commands that use them, so ``--help``,
``--version`` and ``phrases import`` start quickly.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, Literal

import typer
from typer.core import TyperGroup

try:  # typer >= 0.26 vendors click privately; older releases depend on click itself.
    from typer._click.exceptions import ClickException, UsageError
    from typer._click.globals import get_current_context
except ImportError:  # pragma: no cover - depends on the installed typer
    from click import get_current_context
    from click.exceptions import ClickException, UsageError

from . import __version__
from .errors import SpindetectError
from .inputs import DEFAULT_GLOBS, InputError, read_document, walk_paths

if TYPE_CHECKING:
    from .render.html import HtmlReport
    from .settings import Settings

EXIT_CLEAN, EXIT_SPUN, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
PROGRESS_SECONDS = 0.1
PROGRESS_MIN_FILES = 2  # a bar for runs over at least this many files


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
        _error(f"{' '.join(error.format_message().split())} (see '{command} --help')")
        return EXIT_ERROR
    if isinstance(error, KeyboardInterrupt | typer.Abort):
        _error("interrupted")
        return EXIT_INTERRUPTED
    if isinstance(error, BrokenPipeError):
        _quiet_stdout()
        return EXIT_CLEAN
    if isinstance(error, _user_errors()):
        _error(str(error))
        return EXIT_ERROR
    if isinstance(error, OSError):
        name = f"{error.filename}: " if error.filename else ""
        _error(f"{name}{error.strerror or error}")
        return EXIT_ERROR
    if isinstance(error, ClickException):
        _error(error.format_message())
        return EXIT_ERROR
    _error(f"unexpected {type(error).__name__}: {error}")
    return EXIT_ERROR


def _user_errors() -> tuple[type[Exception], ...]:
    """The errors worded for the user.  Those not yet derived from SpindetectError are named
    here; they are imported only when an error is being reported."""
    from .entries import PhrasebookError
    from .evaluate import PairsError
    from .reference import ModelError
    from .reference.build import BuildError
    from .sourceindex import IndexFileError

    return (SpindetectError, PhrasebookError, ModelError, BuildError, PairsError, IndexFileError)


def _quiet_stdout() -> None:
    """After a closed pipe: send what is left in standard output's buffer nowhere, so the
    interpreter's last flush does not print a second error."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


class _Raised(Exception):
    """Carries an error past typer's own handling of it (a closed pipe, Ctrl-C) to
    :func:`exit_code`."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


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
            raise _Raised(error) from error

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
        except _Raised as raised:
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


def _error(message: str) -> None:
    typer.echo(f"spindetect: error: {message}", err=True)


def _warn(message: str) -> None:
    typer.echo(f"spindetect: warning: {message}", err=True)


def _usage(message: str) -> UsageError:
    """A usage error of the running command (exit code 2, with a pointer to its help)."""
    return UsageError(message, ctx=get_current_context(silent=True))


def _documents(paths: list[str], globs: tuple[str, ...]):
    """Yield documents or InputErrors, one per input, so one bad file never stops the run."""
    for name in walk_paths(paths, globs):
        if isinstance(name, InputError):
            yield name
            continue
        try:
            document = read_document(name)
        except InputError as error:
            yield error
            continue
        for warning in document.warnings:
            _warn(warning)
        yield document


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


@app.command()
def scan(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (searched recursively) or - for stdin.")
    ],
    output_format: Annotated[
        Literal["text", "json", "jsonl", "html"],
        typer.Option("--format", "-f", help="Report format."),
    ] = "text",
    output: OutputOption = None,
    threshold: ThresholdOption = None,
    glob: GlobOption = None,
    phrasebook: PhrasebookOption = None,
    verdict_threshold: VerdictOption = None,
    reference: ReferenceOption = None,
    workers: WorkersOption = None,
) -> None:
    """Report spun phrases with their likely originals and a verdict per file."""
    from .folders import scan_files, sources
    from .pipeline import resolve_workers
    from .render import JsonFiles
    from .render.html import HtmlReport
    from .spool import output_chunks

    options = _scan_options(threshold, phrasebook, reference, verdict_threshold=verdict_threshold)
    items = list(sources(paths, _globs(glob)))
    any_spun, failed = False, []
    page = HtmlReport() if output_format == "html" else None
    files = JsonFiles() if output_format == "json" else None
    with _output_stream(output) as emit:
        results = scan_files(items, options, output_format, resolve_workers(workers))
        for result in _succeeded(
            _file_progress(results, len(items), "scanning", output), failed, page
        ):
            any_spun |= result.spun
            if page:
                page.add(*result.output)
                continue
            if files:
                emit(files.opening(), nl=False)
            for chunk in output_chunks(result.output):
                emit(chunk, nl=False)
            if not files:
                emit("")
        if files:
            emit(files.closing())
        elif page:
            for chunk in page.chunks():
                emit(chunk, nl=False)
    raise typer.Exit(EXIT_ERROR if failed else EXIT_SPUN if any_spun else EXIT_CLEAN)


@contextlib.contextmanager
def _output_stream(output: Path | None) -> Iterator[Callable[..., None]]:
    """Yield ``emit(text, nl=True)``: to the ``-o`` file (UTF-8) or to standard output.

    A file that cannot be opened is an error (exit 2) before anything is scanned; so is a
    failed write to it.
    """
    if output is None:
        yield _stdout_emit()
        return
    with _writing(output):
        handle = output.open("w", encoding="utf-8", errors="surrogateescape")

    def emit(text: str, nl: bool = True) -> None:
        with _writing(output):
            handle.write(text + "\n" if nl else text)

    with handle:
        yield emit


def _stdout_emit() -> Callable[..., None]:
    """``emit(text, nl=True)`` to standard output in UTF-8 whatever the locale; a file name
    that is not UTF-8 (decoded with surrogate escapes) is written back as its own bytes."""
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # pragma: no cover - a text-only stdout (an IDE's console)
        return typer.echo
    sys.stdout.flush()

    def emit(text: str, nl: bool = True) -> None:
        stream.write((text + "\n" if nl else text).encode("utf-8", "surrogateescape"))

    return emit


@contextmanager
def _writing(path: Path | str | None) -> Iterator[None]:
    """A failure to write ``path`` is one error naming it."""
    try:
        yield
    except OSError as error:
        raise SpindetectError(f"{path}: cannot write: {error.strerror or error}") from None


def _succeeded(results, failed: list[str], page: HtmlReport | None = None):
    """Print each file's warnings and error on stderr (and list errors on an HTML page);
    yield the files that succeeded."""
    for result in results:
        for warning in result.warnings:
            _warn(warning)
        if result.error:
            _error(result.error)
            failed.append(result.error)
            if page:
                page.add_error(result.error)
            continue
        yield result


def _settings() -> Settings:
    """The ``[tool.spindetect]`` defaults of the nearest pyproject.toml."""
    from .settings import load_settings

    return load_settings()


def _given(name: str) -> bool:
    """Whether the running command's parameter ``name`` was given (not left at its default)."""
    context = get_current_context(silent=True)
    source = context.get_parameter_source(name) if context else None
    return source is None or source.name not in ("DEFAULT", "DEFAULT_MAP")


def _scan_options(
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


def _globs(glob: list[str] | None) -> tuple[str, ...]:
    """The ``--glob`` patterns, else the ``[tool.spindetect]`` globs, else the defaults."""
    return tuple(glob) if glob else (_settings().globs or DEFAULT_GLOBS)


def _terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _file_progress(results: Iterable, total: int, label: str, output: Path | None) -> Iterator:
    """Pass ``results`` on, with a progress bar on stderr when it is a terminal, the run has
    at least :data:`PROGRESS_MIN_FILES` files and the report does not go to that terminal
    too (the lines of a report on screen show the progress already)."""
    report_on_screen = output is None and _terminal(sys.stdout)
    if total < PROGRESS_MIN_FILES or not _terminal(sys.stderr) or report_on_screen:
        yield from results
        return
    from rich.console import Console
    from rich.progress import Progress

    console = Console(file=sys.stderr, force_terminal=True)
    with Progress(console=console, transient=True, redirect_stdout=False) as progress:
        task = progress.add_task(label, total=total)
        for result in results:
            progress.advance(task)
            yield result


@app.command()
def clean(
    paths: Annotated[
        list[str], typer.Argument(help="A file or - for stdin; with --out-dir, files and folders.")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout."),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            metavar="DIR",
            help="Write each cleaned file here, mirroring input folders.",
        ),
    ] = None,
    threshold: ThresholdOption = None,
    phrasebook: PhrasebookOption = None,
    reference: ReferenceOption = None,
    glob: GlobOption = None,
    workers: WorkersOption = None,
) -> None:
    """Print the text with spun phrases restored; every other character is kept as it was."""
    options = _scan_options(threshold, phrasebook, reference)
    if out_dir is not None:
        if output is not None:
            raise _usage("give either --output (one file) or --out-dir (many), not both")
        _clean_into(paths, out_dir, _globs(glob), options, workers)
        return
    path = paths[0]
    if len(paths) > 1 or os.path.isdir(path):
        what = f"{path}: is a directory" if len(paths) == 1 else "several inputs"
        raise _usage(f"{what}; clean of a folder or several files needs --out-dir DIR")
    [document] = _documents([path], DEFAULT_GLOBS)
    if isinstance(document, InputError):
        raise document
    from .atomic import atomic_output
    from .folders import clean_document

    def open_output() -> contextlib.AbstractContextManager[BinaryIO]:
        if output is None:
            sys.stdout.flush()
            return contextlib.nullcontext(sys.stdout.buffer)
        return atomic_output(output)  # so -o may name the input itself

    if output is None and _stdout_is(path):  # stdout appends to the input file
        document = document.loaded()
    if output is None:  # a closed pipe is mapped by exit_code; nothing else is likely
        clean_document(document, open_output, options)
        return
    with _writing(output):
        clean_document(document, open_output, options)


def _stdout_is(path: str) -> bool:
    """Whether standard output is the file ``path`` itself (``clean FILE >> FILE``)."""
    try:
        source = os.stat(path)
        target = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError):
        return False
    return (source.st_dev, source.st_ino) == (target.st_dev, target.st_ino)


def _clean_into(
    paths: list[str], out_dir: Path, globs: tuple[str, ...], options: dict, workers: int | None
) -> None:
    """Clean every file into ``out_dir``; one line per file on stdout, errors on stderr."""
    from .folders import clean_files, mirrored
    from .pipeline import resolve_workers

    items = list(mirrored(paths, globs, out_dir))
    failed: list[str] = []
    results = clean_files(items, options, resolve_workers(workers))
    for result in _succeeded(_file_progress(results, len(items), "cleaning", None), failed):
        count = result.findings
        typer.echo(f"{result.path} -> {result.output} ({count} finding{'s' * (count != 1)})")
    raise typer.Exit(EXIT_ERROR if failed else EXIT_CLEAN)


@app.command("filter")
def filter_command(
    input_path: Annotated[str, typer.Argument(help="JSON Lines file, or - for stdin.")] = "-",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    field: Annotated[
        str, typer.Option("--field", help="Dotted path of the text in each record.")
    ] = "text",
    mode: Annotated[
        Literal["tag", "drop", "clean"],
        typer.Option(
            "--mode",
            help="tag: add a spindetect object; drop: keep clean records only; "
            "clean: restore the text and tag it.",
        ),
    ] = "tag",
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Write dropped records and skipped bad lines here."),
    ] = None,
    on_error: Annotated[
        Literal["skip", "fail", "pass"],
        typer.Option(
            "--on-error", help="Bad lines: skip (to --rejects if given), fail, or pass unchanged."
        ),
    ] = "skip",
    findings: Annotated[
        bool, typer.Option("--findings", help="List the findings in the tag too.")
    ] = False,
    workers: WorkersOption = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Records handed to a worker at a time.")
    ] = 32,
    threshold: ThresholdOption = None,
    phrasebook: PhrasebookOption = None,
    reference: ReferenceOption = None,
    verdict_threshold: VerdictOption = 0.8,
) -> None:
    """Tag, drop or clean the text of JSON Lines records, streaming, in order, on every core.

    Records keep their bytes: the tag is written in before the closing brace.  A file named
    with -o or --rejects appears only when the run ends (not after Ctrl-C or --on-error fail).
    """
    from .jsonfilter import ON_ERROR, Counts, FilterSettings, FilterStopped, run_filter
    from .pipeline import resolve_workers

    try:
        settings = FilterSettings.parse(field, mode, findings)
    except ValueError as error:
        _error(str(error))
        raise typer.Exit(EXIT_ERROR) from None
    if on_error not in ON_ERROR:
        _error(f"unknown --on-error {on_error!r}; choose one of {', '.join(ON_ERROR)}")
        raise typer.Exit(EXIT_ERROR)
    options = _scan_options(threshold, phrasebook, reference, verdict_threshold=verdict_threshold)
    name = "<stdin>" if input_path == "-" else input_path
    counts, stopped, code = Counts(), "", EXIT_ERROR
    try:
        with ExitStack() as files:
            source = _open_stream(files, input_path, "rb", sys.stdin.buffer)
            _refuse_same_file(input_path, output, rejects)
            out = _open_output(files, output, sys.stdout.buffer)
            reject_file = _open_output(files, rejects, None)
            with _byte_progress("filtering", _file_size(source)) as advance:
                run_filter(
                    source,
                    out,
                    settings,
                    options,
                    rejects=reject_file,
                    on_error=on_error,
                    workers=resolve_workers(workers),
                    batch_size=batch_size,
                    name=name,
                    report_error=_error,
                    advance=advance,
                    counts=counts,
                )
            out.flush()
    except FilterStopped:
        stopped = f"stopped at line {counts.line} (--on-error fail)"
    except KeyboardInterrupt:
        stopped, code = f"interrupted after line {counts.line}", EXIT_INTERRUPTED
    if not stopped:
        typer.echo(f"spindetect: filter: {counts.summary()}", err=True)
        raise typer.Exit(EXIT_ERROR if counts.errors else EXIT_CLEAN)
    written = [_written(output, counts.written, "standard output")]
    if rejects is not None and str(rejects) != "-":
        written.append(_written(rejects, counts.rejected, ""))
    typer.echo(f"spindetect: filter: {stopped}; {counts.summary()}; {', '.join(written)}", err=True)
    raise typer.Exit(code)


def _staged(path: Path | None) -> bool:
    """Whether the filter writes ``path`` through a temporary file: a file, not stdout
    (``-``) nor a device or a pipe (``/dev/null``), which are written as they are."""
    if path is None or str(path) == "-":
        return False
    return path.is_file() or not path.exists()


def _written(path: Path | None, lines: int, default: str) -> str:
    """What a stopped run left in an output: ``out.jsonl not written``, ``3 lines written to
    standard output``."""
    if _staged(path):
        return f"{path} not written"
    target = default if path is None or str(path) == "-" else str(path)
    return f"{lines} line{'s' * (lines != 1)} written to {target}"


def _open_output(files: ExitStack, path: Path | None, default):
    """Open ``-o``/``--rejects`` (``-`` or None: ``default``); a file is written through a
    temporary file that takes its name when the run ends well.  One-line error if it cannot
    be written."""
    if path is None or str(path) == "-":
        return default
    from .atomic import atomic_output

    try:
        if not _staged(path):
            return files.enter_context(path.open("wb"))
        return files.enter_context(atomic_output(path))
    except OSError as error:
        _error(f"{path}: cannot write: {error.strerror or error}")
        raise typer.Exit(EXIT_ERROR) from None


def _open_stream(files: ExitStack, path, mode: str, default):
    """Open ``path`` (``-`` or None: ``default``) for the filter; one-line error if it fails."""
    if path is None or str(path) == "-":
        return default
    try:
        return files.enter_context(open(path, mode))  # closed by the ExitStack
    except OSError as error:
        _error(f"{path}: cannot open: {error.strerror or error}")
        raise typer.Exit(EXIT_ERROR) from None


def _file_size(stream) -> int | None:
    """The size of a regular file (for the progress bar); None for a pipe or a terminal."""
    try:
        status = os.fstat(stream.fileno())
    except (OSError, ValueError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def _refuse_same_file(input_path: str, *outputs: Path | None) -> None:
    """Writing over the input (or both outputs into one file) would lose records."""
    seen = [] if input_path == "-" else [Path(input_path).resolve()]
    for path in outputs:
        if path is None or str(path) == "-":
            continue
        if path.resolve() in seen:
            _error(f"{path}: is also the input or the other output; choose another file")
            raise typer.Exit(EXIT_ERROR)
        seen.append(path.resolve())


@app.command("eval")
def eval_command(
    pairs: Annotated[
        str,
        typer.Argument(help="Folder of NAME.spun.txt/NAME.orig.txt, or JSONL of {spun, original}."),
    ],
    output_format: Annotated[
        Literal["text", "json"], typer.Option("--format", "-f", help="Report format.")
    ] = "text",
    output: OutputOption = None,
    threshold: ThresholdOption = None,
    phrasebook: PhrasebookOption = None,
    reference: ReferenceOption = None,
) -> None:
    """Measure recall, precision and restoration on spun texts whose originals are known."""
    from .api import scan as scan_text
    from .evaluate import Metrics, read_pairs, score_pair

    metrics = Metrics()
    items = list(read_pairs(pairs))
    options = _scan_options(threshold, phrasebook, reference)
    with _output_stream(output) as emit:
        for pair in _progress(items, "evaluating"):
            score_pair(pair, metrics, lambda text: scan_text(text, **options))
        if output_format == "json":
            emit(json.dumps(metrics.summary(), indent=2))
            return
        for line in _metrics_lines(metrics):
            emit(line)


def _metrics_lines(metrics) -> Iterator[str]:
    """The text report of ``spindetect eval``."""
    yield f"pairs {metrics.pairs}: {metrics.spun_runs} spun runs, {metrics.findings} findings"
    if metrics.unchanged:
        yield f"unchanged         {metrics.unchanged} spun text(s) identical to the original"
    yield f"phrase recall     {metrics.phrase_recall:.3f}"
    yield f"phrase precision  {metrics.phrase_precision:.3f}"
    yield f"recovery          {metrics.recovery:.3f}"
    yield f"exact restoration {metrics.exact_restoration:.3f}"
    auc, low, high = metrics.document_auc_with_interval()
    interval = "" if math.isnan(low) else f" (95% interval {low:.3f}-{high:.3f})"
    yield f"document AUC      {auc:.3f}{interval}"
    yield f"verdict precision {metrics.verdict_precision:.3f}, recall {metrics.verdict_recall:.3f}"
    yield f"false positives   {metrics.false_positives_per_1000_words:.2f} per 1,000 words"


def _command_group(name: str, help_text: str) -> typer.Typer:
    """A ``spindetect NAME ...`` group of subcommands."""
    group = typer.Typer(
        cls=SpindetectGroup, no_args_is_help=True, rich_markup_mode=None, help=help_text
    )
    app.add_typer(group, name=name)
    return group


phrases_app = _command_group(
    "phrases", "Tortured-phrase lists (Problematic Paper Screener exports)."
)


@phrases_app.command("import")
def phrases_import(
    path: Annotated[Path, typer.Argument(help="A PPS export (CSV) of fingerprints.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write a normalised copy (CSV) here."),
    ] = None,
    output_format: Annotated[
        Literal["text", "json"], typer.Option("--format", "-f", help="Summary format.")
    ] = "text",
) -> None:
    """Check a fingerprint list, summarise it, and optionally write a normalised copy.

    Every row is parsed as a query (AND, NOT, OR, "phrase"~N); the first bad row stops the
    import with its row number.  Use the file (or the copy) with --phrasebook on scan and
    clean.
    """
    from .pps import read_pps, write_pps

    imported = read_pps(path)
    if output is not None:
        with _writing(output):
            write_pps(output, imported.records)
    summary = imported.summary()
    if output is not None:
        summary["written"] = str(output)
    if output_format == "json":
        typer.echo(json.dumps(summary, indent=2))
        return
    kinds = ", ".join(f"{count} {kind}" for kind, count in summary["kinds"].items())
    typer.echo(
        f"{path}: {summary['rows']} rows, {summary['fingerprints']} fingerprints ({kinds}), "
        f"{summary['duplicates']} duplicate rows skipped, {summary['flag_only']} without "
        f"expected text (flagged, not rewritten)"
    )
    typer.echo(f"sha256 {summary['sha256']}")
    if output is not None:
        typer.echo(f"wrote {output}; use it with: spindetect scan --phrasebook {output} ...")


reference_app = _command_group(
    "reference", "Reference language models built from your own clean texts."
)


@reference_app.command("build")
def reference_build(
    source: Annotated[
        str, typer.Argument(help="Folder of *.txt/*.md, a text file, or JSONL with 'text'.")
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="FILE", help="The model file to write."),
    ],
    min_count: Annotated[
        int, typer.Option("--min-count", min=1, metavar="N", help="Drop n-grams seen fewer times.")
    ] = 2,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, metavar="N", help="Counting processes.")
    ] = 2,
) -> None:
    """Count 1-3-grams of clean texts into a compact model for --reference.

    Memory stays bounded (counts are spilled to disk in partitions); the model is one
    memory-mapped file that loads in milliseconds.
    """
    from .reference.build import build

    with _writing(output):
        header, stats = build(source, output, min_count=min_count, jobs=jobs)
    typer.echo(
        f"{output}: {stats.documents} documents, {stats.tokens:,} words, "
        f"{stats.sentences:,} sentences in {stats.seconds:.1f} s"
    )
    for n, (seen, kept) in enumerate(zip(stats.seen, stats.kept, strict=True), start=1):
        typer.echo(f"{n}-grams: {seen:,} distinct, {kept:,} kept (seen >= {min_count} times)")
    typer.echo(
        f"model {output.stat().st_size / 1e6:.1f} MB, sha256 of arrays {header['sha256_of_arrays']}"
    )


@app.command("match")
def match_command(
    spun: Annotated[
        list[str], typer.Argument(help="Spun files, folders (searched recursively) or -.")
    ],
    against: Annotated[
        str,
        typer.Option(
            "--against",
            "-a",
            metavar="SOURCES",
            help="Candidate sources: a folder, JSONL of {id, text}, or an index saved as .npz.",
        ),
    ],
    top: Annotated[
        int, typer.Option("--top", "-n", min=1, metavar="N", help="Sources to list.")
    ] = 3,
    output_format: Annotated[
        Literal["text", "json"], typer.Option("--format", "-f", help="Report format.")
    ] = "text",
    output: OutputOption = None,
    save_index: Annotated[
        Path | None,
        typer.Option(
            "--save-index", metavar="FILE", help="Save the candidates' index here (.npz) for reuse."
        ),
    ] = None,
    restore: Annotated[
        bool,
        typer.Option("--restore/--no-restore", help="Restore spun phrases before the look-up."),
    ] = True,
    threshold: RestoreThresholdOption = None,
    glob: GlobOption = None,
) -> None:
    """Rank candidate sources of each spun document by similarity after restoration."""
    from .match import RESTORE_THRESHOLD, find_sources, format_text, load_index

    globs = _globs(glob)
    index, problems = load_index(against, globs)
    for problem in problems:
        _error(f"candidate skipped: {problem}")
    if not len(index):
        raise SpindetectError(f"{against}: no candidate documents to match against")
    if save_index is not None:
        with _writing(save_index):
            index.save(save_index)
    results, any_error = [], bool(problems)
    with _output_stream(output) as emit:
        for item in _documents(spun, globs):
            if isinstance(item, InputError):
                _error(str(item))
                any_error = True
                continue
            result = find_sources(
                item.path,
                item.text,
                index,
                top=top,
                restore=restore,
                threshold=RESTORE_THRESHOLD if threshold is None else threshold,
            )
            if output_format == "text":
                emit(format_text(result))
            else:
                results.append(result.to_dict())
        if output_format == "json":
            payload = {"candidates": len(index), "queries": results}
            emit(json.dumps(payload, ensure_ascii=False, indent=2))
    raise typer.Exit(EXIT_ERROR if any_error else EXIT_CLEAN)


def _progress(items: list, label: str):
    """Iterate with a progress bar on stderr when it is a terminal, quietly otherwise."""
    if not _terminal(sys.stderr) or len(items) < PROGRESS_MIN_FILES:
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, description=label, console=Console(stderr=True), transient=True)


@contextmanager
def _byte_progress(label: str, total: int | None):
    """Yield ``advance(bytes_done)``: a progress bar on a terminal's stderr, a no-op elsewhere.

    The bar is redrawn from the caller's thread (no refresh thread).
    """
    if not _terminal(sys.stderr):
        yield lambda done: None
        return
    from rich.console import Console
    from rich.progress import DownloadColumn, Progress, TimeElapsedColumn

    columns = (*Progress.get_default_columns(), DownloadColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), auto_refresh=False) as progress:
        task = progress.add_task(label, total=total)
        last = 0.0

        def advance(done: int) -> None:
            nonlocal last
            progress.update(task, completed=done)
            if time.monotonic() - last > PROGRESS_SECONDS:
                last = time.monotonic()
                progress.refresh()

        yield advance


def main() -> None:
    """Console entry point (``spindetect``): exits with the code :func:`exit_code` gives."""
    app()
