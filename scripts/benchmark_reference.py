"""Measure ``spindetect reference build`` on about 100 MB of text, and the model's load time.

The corpus: the CPython 3.11 documentation sources (``apt-get install python3-doc``, about
11 MB) written out ten times, each copy with its own spelling of every word (a suffix per copy),
so the copies share no n-gram: the model sees ten times the distinct n-grams of the docs, as a
real 100 MB corpus would, not one small corpus repeated.  Reports wall time, peak memory of the
largest process of the build, the model's size, and the time a fresh process takes to load
the compiled core with the model mixed in and scan a first text.

Usage: ``python scripts/benchmark_reference.py [--megabytes 100] [--jobs 2]``
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import regex

DOCS = Path("/usr/share/doc/python3.11/html/_sources")
_WORD = regex.compile(r"\p{L}+")
_SUFFIXES = ["", "q", "zx", "vk", "jw", "qh", "xz", "kq", "wv", "hj", "zq", "xv"]


def make_corpus(folder: Path, megabytes: int) -> int:
    """Write copies of the docs, each with its own word spellings; returns characters."""
    sources = sorted(DOCS.rglob("*.txt"))
    text = "".join(path.read_text(encoding="utf-8", errors="replace") for path in sources)
    written, copy = 0, 0
    while written < megabytes * 1_000_000:
        suffix = _SUFFIXES[copy % len(_SUFFIXES)] + ("" if copy < len(_SUFFIXES) else str(copy))
        variant = _WORD.sub(lambda m, s=suffix: m.group() + s, text) if suffix else text
        (folder / f"copy-{copy:02d}.txt").write_text(variant, encoding="utf-8")
        written += len(variant)
        copy += 1
    return written


def load_time(model: Path) -> tuple[float, float, float]:
    """In a fresh process: (seconds to load the core with the bundled models, seconds to load it
    again with ``model`` mixed in, seconds to import + load with the model + scan a first
    text)."""
    code = (
        "import time; t0 = time.perf_counter()\n"
        "from spindetect.api import get_detector\n"
        "t1 = time.perf_counter(); get_detector()\n"
        f"t2 = time.perf_counter(); d = get_detector(references=({str(model)!r},))\n"
        "t3 = time.perf_counter(); d.core.scan('Python is a language.'); t4 = time.perf_counter()\n"
        "print(t2 - t1, t3 - t2, t4 - t0 - (t2 - t1))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if output.returncode:
        last = (output.stderr.strip().splitlines() or ["no message"])[-1]
        raise SystemExit(f"loading {model} failed: {last}")
    bundled, opened, total = (float(value) for value in output.stdout.split())
    return bundled, opened, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if not DOCS.is_dir():
        raise SystemExit(f"{DOCS}: not found (apt-get install python3-doc)")
    with tempfile.TemporaryDirectory(prefix="spindetect-bench-") as folder:
        corpus = Path(folder) / "corpus"
        corpus.mkdir()
        characters = make_corpus(corpus, args.megabytes)
        model = Path(folder) / "bench.spref"
        command = [sys.executable, "-m", "spindetect", "reference", "build", str(corpus)]
        started = time.perf_counter()
        report = subprocess.run(
            [*command, "-o", str(model), "--jobs", str(args.jobs)],
            capture_output=True,
            text=True,
            check=True,
        )
        elapsed = time.perf_counter() - started
        # The largest resident set of any process of the build (the CLI or a counting worker).
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        times = [load_time(model) for _ in range(3)]
        bundled, opened, first_query = (min(column) for column in zip(*times, strict=True))
        print(f"corpus            {characters / 1e6:.0f} MB in {len(list(corpus.iterdir()))} files")
        print(f"build             {elapsed:.0f} s with {args.jobs} processes")
        print(f"peak memory       {peak:.0f} MB (largest process of the build)")
        print(report.stdout.strip())
        print(
            f"load              core with the model {opened * 1000:.1f} ms (bundled models alone "
            f"{bundled * 1000:.1f} ms); import + load + first scan {first_query * 1000:.0f} ms "
            "(best of 3 fresh processes)"
        )


if __name__ == "__main__":
    main()
