"""The ``spindetect`` command: a thin typer shell around :mod:`spindetect.api`.

Exit codes: 0 nothing spun, 1 at least one document judged spun, 2 usage or input error.

The detector and the worker pool (numpy, the models, multiprocessing) are imported by the
commands that use them, so ``--help``, ``--version`` and ``phrases import`` start quickly.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer

try:  # typer >= 0.26 vendors click privately; older releases depend on click itself.
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - depends on the installed typer
    from click.exceptions import UsageError

from . import __version__
from .entries import PhrasebookError
from .inputs import DEFAULT_GLOBS, InputError, expand_paths, read_document
from .render import FORMATS

if TYPE_CHECKING:
    from .render.html import HtmlReport

EXIT_CLEAN, EXIT_SPUN, EXIT_ERROR = 0, 1, 2
PROGRESS_SECONDS = 0.1

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Find synonym-spun text (article spinners, tortured phrases) and restore the original.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _threshold_option(help_text: str):
    """The ``--threshold`` option (a finding score, 0-1) with a command's own help."""
    return Annotated[
        float | None, typer.Option("--threshold", "-t", min=0.0, max=1.0, help=help_text)
    ]


ThresholdOption = _threshold_option(
    "Minimum finding score, 0-1 (default 0.95). Lower finds more, with more false flags."
)
RestoreThresholdOption = _threshold_option(
    "Minimum score of a finding restored before the look-up (default 0.5)."
)
VerdictOption = Annotated[
    float,
    typer.Option(
        "--verdict-threshold",
        min=0.0,
        max=1.0,
        help="Probability of being spun from which a file is judged spun (default 0.8).",
    ),
]
GlobOption = Annotated[
    list[str] | None,
    typer.Option("--glob", help="File pattern in folders (default *.txt, *.md); repeatable."),
]
PhrasebookOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--phrasebook",
        help="Extra phrasebook: TSV (spun, original, mode, note) or a PPS export (CSV); "
        "repeatable.",
    ),
]
ReferenceOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--reference",
        help="Reference model from 'spindetect reference build', mixed with the default; "
        "repeatable.",
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", "-j", min=1, help="Worker processes (default: every core)."),
]


def _error(message: str) -> None:
    typer.echo(f"spindetect: error: {message}", err=True)


def _check_format(output_format: str, choices: tuple[str, ...]) -> None:
    """An unknown ``--format`` is a usage error (exit 2)."""
    if output_format not in choices:
        _error(f"unknown format {output_format!r}; choose one of {', '.join(choices)}")
        raise typer.Exit(EXIT_ERROR)


def _warn(message: str) -> None:
    typer.echo(f"spindetect: warning: {message}", err=True)


def _documents(paths: list[str], globs: tuple[str, ...]):
    """Yield documents or InputErrors, one per input, so one bad file never stops the run."""
    try:
        names = list(expand_paths(paths, globs))
    except InputError as error:
        yield error
        return
    for name in names:
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
        str, typer.Option("--format", "-f", help="text, json, jsonl or html.")
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here, not to stdout.")
    ] = None,
    threshold: ThresholdOption = None,
    glob: GlobOption = None,
    phrasebook: PhrasebookOption = None,
    verdict_threshold: VerdictOption = 0.8,
    reference: ReferenceOption = None,
    workers: WorkersOption = None,
) -> None:
    """Report spun phrases with their likely originals and a verdict per file."""
    from .folders import scan_files, sources
    from .pipeline import resolve_workers
    from .render import JsonFiles
    from .render.html import HtmlReport
    from .spool import output_chunks

    _check_format(output_format, FORMATS)
    options = _scan_options(threshold, phrasebook, reference, verdict_threshold=verdict_threshold)
    items = list(sources(paths, tuple(glob) if glob else DEFAULT_GLOBS))
    any_spun, failed = False, []
    page = HtmlReport() if output_format == "html" else None
    files = JsonFiles() if output_format == "json" else None
    with _output_stream(output) as emit, _option_errors():
        results = scan_files(items, options, output_format, resolve_workers(workers))
        for result in _succeeded(results, failed, page):
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

    A file that cannot be opened is an input error (exit 2) before anything is scanned.
    """
    if output is None:
        yield typer.echo
        return
    try:
        handle = output.open("w", encoding="utf-8")
    except OSError as error:
        _error(f"{output}: cannot write: {error.strerror or error}")
        raise typer.Exit(EXIT_ERROR) from None
    with handle:
        yield lambda text, nl=True: handle.write(text + "\n" if nl else text)


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


def _scan_options(
    threshold: float | None,
    phrasebook: list[Path] | None,
    reference: list[Path] | None,
    **more,
) -> dict:
    """The keyword arguments of api.scan that a command passes to every worker."""
    return {
        "threshold": threshold,
        "phrasebooks": [str(p) for p in phrasebook or []],
        "references": [str(p) for p in reference or []],
        **more,
    }


@contextmanager
def _option_errors():
    """A bad option found while loading the models (a phrasebook, a reference) is a usage
    error."""
    from .reference import ModelError

    try:
        yield
    except (PhrasebookError, ModelError) as error:
        _error(str(error))
        raise typer.Exit(EXIT_ERROR) from None


@app.command()
def clean(
    paths: Annotated[
        list[str], typer.Argument(help="A file or - for stdin; with --out-dir, files and folders.")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out-dir", help="Write each cleaned file here, mirroring input folders."),
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
            _error("give either --output (one file) or --out-dir (many), not both")
            raise typer.Exit(EXIT_ERROR)
        _clean_into(paths, out_dir, tuple(glob) if glob else DEFAULT_GLOBS, options, workers)
        return
    path = paths[0]
    if len(paths) > 1 or Path(path).is_dir():
        what = f"{path}: is a directory" if len(paths) == 1 else "several inputs"
        _error(f"{what}; clean of a folder or several files needs --out-dir DIR")
        raise typer.Exit(EXIT_ERROR)
    documents = list(_documents([path], DEFAULT_GLOBS))
    if len(documents) != 1 or isinstance(documents[0], InputError):
        for item in documents:
            _error(str(item) if isinstance(item, InputError) else f"{path}: clean takes one file")
            break
        raise typer.Exit(EXIT_ERROR)
    document = documents[0]
    from .atomic import atomic_output
    from .folders import clean_document

    def open_output() -> contextlib.AbstractContextManager[BinaryIO]:
        if output is None:
            sys.stdout.flush()
            return contextlib.nullcontext(sys.stdout.buffer)
        return atomic_output(output)  # so -o may name the input itself

    with _option_errors():
        try:
            if output is None and _stdout_is(path):  # stdout appends to the input file
                document = document.loaded()
            clean_document(document, open_output, options)
        except InputError as error:
            _error(str(error))
            raise typer.Exit(EXIT_ERROR) from None
        except OSError as error:
            if output is None:  # a closed pipe is handled by main(); nothing else is likely
                raise
            _error(f"{output}: cannot write: {error.strerror or error}")
            raise typer.Exit(EXIT_ERROR) from None


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
    with _option_errors():
        for result in _succeeded(clean_files(items, options, resolve_workers(workers)), failed):
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
        str,
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
        str,
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
    """Tag, drop or clean the text of JSON Lines records, streaming, in order, on every core."""
    from .jsonfilter import ON_ERROR, FilterSettings, FilterStopped, run_filter
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
    with ExitStack() as files:
        source = _open_stream(files, input_path, "rb", sys.stdin.buffer)
        _refuse_same_file(input_path, output, rejects)
        out = _open_stream(files, output, "wb", sys.stdout.buffer)
        reject_file = _open_stream(files, rejects, "wb", None)
        total = _file_size(source)
        try:
            with _option_errors(), _byte_progress("filtering", total) as advance:
                counts = run_filter(
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
                )
        except FilterStopped as stopped:
            counts = stopped.counts
        out.flush()
    typer.echo(f"spindetect: filter: {counts.summary()}", err=True)
    raise typer.Exit(EXIT_ERROR if counts.errors else EXIT_CLEAN)


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
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    threshold: ThresholdOption = None,
    phrasebook: PhrasebookOption = None,
    reference: ReferenceOption = None,
) -> None:
    """Measure recall, precision and restoration on spun texts whose originals are known."""
    from .api import scan as scan_text
    from .evaluate import Metrics, PairsError, read_pairs, score_pair
    from .reference import ModelError

    _check_format(output_format, ("text", "json"))
    metrics = Metrics()
    try:
        items = list(read_pairs(pairs))
        options = {
            "threshold": threshold,
            "phrasebooks": [str(p) for p in phrasebook or []],
            "references": [str(p) for p in reference or []],
        }
        for pair in _progress(items, "evaluating"):
            score_pair(pair, metrics, lambda text: scan_text(text, **options))
    except (PairsError, PhrasebookError, ModelError) as error:
        _error(str(error))
        raise typer.Exit(EXIT_ERROR) from None
    summary = metrics.summary()
    if output_format == "json":
        typer.echo(json.dumps(summary, indent=2))
        return
    typer.echo(f"pairs {metrics.pairs}: {metrics.spun_runs} spun runs, {metrics.findings} findings")
    if metrics.unchanged:
        typer.echo(f"unchanged         {metrics.unchanged} spun text(s) identical to the original")
    typer.echo(f"phrase recall     {metrics.phrase_recall:.3f}")
    typer.echo(f"phrase precision  {metrics.phrase_precision:.3f}")
    typer.echo(f"recovery          {metrics.recovery:.3f}")
    typer.echo(f"exact restoration {metrics.exact_restoration:.3f}")
    auc, low, high = metrics.document_auc_with_interval()
    interval = "" if math.isnan(low) else f" (95% interval {low:.3f}-{high:.3f})"
    typer.echo(f"document AUC      {auc:.3f}{interval}")
    typer.echo(
        f"verdict precision {metrics.verdict_precision:.3f}, recall {metrics.verdict_recall:.3f}"
    )
    typer.echo(f"false positives   {metrics.false_positives_per_1000_words:.2f} per 1,000 words")


@contextmanager
def _exit_on_error(output: Path | None, *errors: type[Exception]) -> Iterator[None]:
    """Input errors (``errors``) and a failure to write ``output``: one line, exit code 2."""
    try:
        yield
    except errors as error:
        _error(str(error))
        raise typer.Exit(EXIT_ERROR) from None
    except OSError as error:
        _error(f"{output}: cannot write: {error.strerror or error}")
        raise typer.Exit(EXIT_ERROR) from None


def _command_group(name: str, help_text: str) -> typer.Typer:
    """A ``spindetect NAME ...`` group of subcommands."""
    group = typer.Typer(no_args_is_help=True, help=help_text)
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
        typer.Option("--output", "-o", help="Write a normalised copy (CSV) here."),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Check a fingerprint list, summarise it, and optionally write a normalised copy.

    Every row is parsed as a query (AND, NOT, OR, "phrase"~N); the first bad row stops the
    import with its row number.  Use the file (or the copy) with --phrasebook on scan/clean.
    """
    from .pps import read_pps, write_pps

    _check_format(output_format, ("text", "json"))
    with _exit_on_error(output, PhrasebookError):
        imported = read_pps(path)
        if output is not None:
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
    output: Annotated[Path, typer.Option("--output", "-o", help="The model file to write.")],
    min_count: Annotated[
        int, typer.Option("--min-count", min=1, help="Drop n-grams seen fewer times (default 2).")
    ] = 2,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Counting processes (default 2).")
    ] = 2,
) -> None:
    """Count 1-3-grams of clean texts into a compact model for --reference.

    Memory stays bounded (counts are spilled to disk in partitions); the model is one
    memory-mapped file that loads in milliseconds.
    """
    from .reference.build import BuildError, build

    with _exit_on_error(output, BuildError):
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
            help="Candidate sources: a folder, JSONL of {id, text}, or an index saved as .npz.",
        ),
    ],
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="Sources to list.")] = 3,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    save_index: Annotated[
        Path | None,
        typer.Option("--save-index", help="Save the candidates' index here (.npz) for reuse."),
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

    _check_format(output_format, ("text", "json"))
    globs = tuple(glob) if glob else DEFAULT_GLOBS
    try:
        index, problems = load_index(against, globs)
    except InputError as error:
        _error(str(error))
        raise typer.Exit(EXIT_ERROR) from None
    for problem in problems:
        _error(f"candidate skipped: {problem}")
    if not len(index):
        _error(f"{against}: no candidate documents to match against")
        raise typer.Exit(EXIT_ERROR)
    if save_index is not None:
        try:
            index.save(save_index)
        except OSError as error:
            _error(f"{save_index}: cannot write: {error.strerror or error}")
            raise typer.Exit(EXIT_ERROR) from None
    results, any_error = [], bool(problems)
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
            typer.echo(format_text(result))
        else:
            results.append(result.to_dict())
    if output_format == "json":
        payload = {"candidates": len(index), "queries": results}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    raise typer.Exit(EXIT_ERROR if any_error else EXIT_CLEAN)


def _progress(items: list, label: str):
    """Iterate with a progress bar on stderr when it is a terminal, quietly otherwise."""
    if not sys.stderr.isatty() or len(items) < 2:
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, description=label, console=Console(stderr=True))


@contextmanager
def _byte_progress(label: str, total: int | None):
    """Yield ``advance(bytes_done)``: a progress bar on a terminal's stderr, a no-op elsewhere.

    The bar is redrawn from the caller's thread (no refresh thread), so worker processes are
    never forked while another thread holds a lock.
    """
    if not sys.stderr.isatty():
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
    """Console entry point: usage errors become one line on stderr and exit code 2."""
    try:
        code = app(standalone_mode=False)
    except UsageError as error:
        command = error.ctx.command_path if error.ctx else "spindetect"
        message = " ".join(error.format_message().split())
        if message:  # no message: typer has already printed the help (no arguments given)
            _error(f"{message} (see '{command} --help')")
        code = EXIT_ERROR
    except typer.Exit as done:
        code = done.exit_code
    except (typer.Abort, KeyboardInterrupt):
        _error("aborted")
        code = EXIT_ERROR
    except BrokenPipeError:
        code = EXIT_CLEAN
    except Exception as error:  # a bug or a broken installation: one line, never "spun" (1)
        _error(f"unexpected {type(error).__name__}: {error}")
        code = EXIT_ERROR
    sys.exit(code if isinstance(code, int) else 0)
