r"""Benchmark spindetect: start-up, throughput on 1 and N workers, peak memory, tokenisation floor.

Usage::

    python scripts/benchmark.py [--corpus DIR | --mb 2.0 [--seed 0]] [--workers N]
                                [--limit-seconds 300] [--memory-mb MB] [--no-commands]
                                [--json] [--record]

Start-up (import, model load, first scan) is timed in fresh subprocesses, median of 3 runs
(after one uncounted run that leaves the compiled bytecode a user's installation would have).
The corpus is, by default, every distinct clean text the repository holds: the news articles of
``corpus/news``, the seeds, and the original side of ``corpus/eval/*.jsonl`` (each text once:
the core's caches would flatter a corpus that repeats itself).  ``--corpus DIR`` reads every
``*.txt`` under DIR instead; ``--mb`` synthesises articles from the seeds' sentences (they repeat,
so the caches make it faster than real text).

- Library throughput: ``spindetect.scan_many`` with one thread, warm (models loaded before
  timing), in batches, until done or ``--limit-seconds``; then the same with N threads (default:
  every core) for the scaling.
- Command line, end to end: ``spindetect scan DIR --format jsonl`` over the articles as files
  and ``spindetect filter`` over them as JSON Lines, each with ``--workers 1`` and
  ``--workers N``, in fresh processes, start-up included.  Peak RSS and CPU seconds come from
  ``wait4``; under other load, MB/s falls but CPU seconds hold.
- Floor: a bare ``regex`` tokenisation pass (``\w+`` words and single punctuation marks) and
  ``spindetect.tokens.tokenize`` over the whole corpus; "cost over the floor" is the warm
  library scan's seconds per MB over the regex pass's.
- ``--memory-mb MB`` also filters a JSON Lines input of MB megabytes (the corpus repeated) on N
  workers, to show that peak memory does not grow with the input.
- ``--record`` writes the result into ``docs/figures.json`` (``scripts/figures.py``), from which
  the README and the docs take their speed figures.

MB means 10**6 bytes (UTF-8).  The figures hold only for the machine, Python and load under
which the script runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import regex

import spindetect
from spindetect.pipeline import available_cores
from spindetect.tokens import tokenize

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
MB = 1_000_000
# Eval sets whose originals join the default corpus (the news sets' originals are the articles
# of corpus/news and their paragraphs again).
EVAL_SETS = ("dev", "heldout", "consistent", "science")
MIN_WORDS, MAX_WORDS = 300, 1500
STARTUP_RUNS = 3
FIRST_SENTENCE = "It was the primary Chinese language protection minister to visit."

STARTUP_CODE = f"""
import json, time
t0 = time.perf_counter()
import spindetect
import spindetect.api
t1 = time.perf_counter()
spindetect.api.get_detector()
t2 = time.perf_counter()
spindetect.scan({FIRST_SENTENCE!r})
t3 = time.perf_counter()
print(json.dumps({{"import_s": t1 - t0, "load_s": t2 - t1, "first_scan_s": t3 - t2}}))
"""


def seed_sentences(seeds: Path = SEEDS) -> list[str]:
    """The sentences of the seed files, split on blank lines and sentence ends."""
    sentences = []
    for path in sorted(seeds.glob("*.txt")):
        for paragraph in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            for sentence in re.split(r"(?<=[.!?])\s+", paragraph.strip()):
                if sentence:
                    sentences.append(" ".join(sentence.split()))
    return sentences


def synthesise_article(rng: random.Random, sentences: list[str]) -> str:
    """One article of 300-1500 words: random sentences in random paragraphs of 1-6 sentences."""
    target = rng.randint(MIN_WORDS, MAX_WORDS)
    paragraphs: list[str] = []
    words = 0
    while words < target:
        paragraph = []
        for _ in range(rng.randint(1, 6)):
            sentence = rng.choice(sentences)
            n = len(sentence.split())
            if words + n > MAX_WORDS:
                continue
            paragraph.append(sentence)
            words += n
            if words >= target:
                break
        if paragraph:
            paragraphs.append(" ".join(paragraph))
    return "\n\n".join(paragraphs) + "\n"


def bundled_texts() -> list[str]:
    """Every distinct clean text of the repository: news articles, seeds, the originals of the
    :data:`EVAL_SETS`."""
    paths = sorted((ROOT / "corpus" / "news").glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in paths]
    for name in EVAL_SETS:
        path = ROOT / "corpus" / "eval" / f"{name}.jsonl"
        with path.open(encoding="utf-8") as handle:
            texts += [json.loads(line)["original"] for line in handle if line.strip()]
    return list(dict.fromkeys(texts))


def build_corpus(mb: float | None, seed: int, corpus_dir: Path | None = None) -> list[str]:
    """Every ``*.txt`` under ``corpus_dir``, else synthetic articles totalling ``mb`` MB, else
    the bundled clean texts."""
    if corpus_dir is not None:
        return [path.read_text(encoding="utf-8") for path in sorted(corpus_dir.rglob("*.txt"))]
    if mb is None:
        return bundled_texts()
    rng = random.Random(seed)
    sentences = seed_sentences()
    articles: list[str] = []
    size = 0
    while size < mb * MB:
        article = synthesise_article(rng, sentences)
        articles.append(article)
        size += len(article.encode("utf-8"))
    return articles


def measure_startup(runs: int = STARTUP_RUNS) -> dict[str, float]:
    """Median import, model-load and first-scan seconds over ``runs`` fresh interpreters.

    As a user's would, the interpreters write and read compiled bytecode (a
    ``PYTHONDONTWRITEBYTECODE`` set here is dropped), and one run before them, not counted,
    writes it: otherwise every run recompiles the package's sources."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    samples = []
    for _ in range(runs + 1):
        result = subprocess.run(
            [sys.executable, "-c", STARTUP_CODE],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        samples.append(json.loads(result.stdout.strip().splitlines()[-1]))
    samples = samples[1:]
    medians = {key: statistics.median(s[key] for s in samples) for key in samples[0]}
    medians["total_s"] = statistics.median(sum(s.values()) for s in samples)
    return medians


def measure_throughput(
    articles: list[str], limit_seconds: float, threads: int = 1
) -> dict[str, Any]:
    """Scan the articles with ``threads`` threads, a batch at a time (after an untimed warm-up
    that loads the models), until done or out of time."""
    spindetect.scan(FIRST_SENTENCE)
    done = nbytes = findings = 0
    batch = 8 * threads
    start = time.perf_counter()
    for first in range(0, len(articles), batch):
        chunk = articles[first : first + batch]
        reports = spindetect.scan_many(chunk, threads=threads, batch_size=batch)
        findings += sum(len(report.findings) for report in reports)
        done += len(chunk)
        nbytes += sum(len(article.encode("utf-8")) for article in chunk)
        if time.perf_counter() - start > limit_seconds:
            break
    seconds = time.perf_counter() - start
    return {
        "articles": done,
        "mb": nbytes / MB,
        "seconds": seconds,
        "mb_per_s": nbytes / MB / seconds,
        "articles_per_s": done / seconds,
        "findings": findings,
        "cut_short": done < len(articles),
    }


def measure_tokenisation(articles: list[str]) -> dict[str, float]:
    """Time a bare ``tokenize`` pass over every article."""
    nbytes = sum(len(article.encode("utf-8")) for article in articles)
    start = time.perf_counter()
    for article in articles:
        tokenize(article)
    seconds = time.perf_counter() - start
    return {"mb": nbytes / MB, "seconds": seconds, "mb_per_s": nbytes / MB / seconds}


BARE_TOKEN = regex.compile(r"\w+|[^\w\s]")


def measure_regex_floor(articles: list[str]) -> dict[str, float]:
    """Time a bare ``regex`` tokenisation pass (every match taken) over every article."""
    nbytes = sum(len(article.encode("utf-8")) for article in articles)
    start = time.perf_counter()
    for article in articles:
        for _ in BARE_TOKEN.finditer(article):
            pass
    seconds = time.perf_counter() - start
    return {"mb": nbytes / MB, "seconds": seconds, "mb_per_s": nbytes / MB / seconds}


def write_inputs(articles: list[str], folder: Path) -> tuple[Path, Path]:
    """The articles as ``NNNNNN.txt`` files under ``folder/articles`` and as one JSONL file."""
    files = folder / "articles"
    files.mkdir()
    jsonl = folder / "articles.jsonl"
    with jsonl.open("w", encoding="utf-8") as handle:
        for number, article in enumerate(articles):
            (files / f"{number:06d}.txt").write_text(article, encoding="utf-8")
            handle.write(json.dumps({"id": number, "text": article}, ensure_ascii=False) + "\n")
    return files, jsonl


def run_command(args: list[str], articles: int, nbytes: int) -> dict[str, Any]:
    """Run ``spindetect ARGS`` (output discarded): wall time, rates, CPU and peak RSS.

    The command is reaped with ``wait4`` (its threads are counted in its own usage).
    """
    command = [sys.executable, "-m", "spindetect", *args]
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed ({code}): {errors.read().decode()}")
    usages = [usage]
    while True:
        try:
            usages.append(os.wait4(-1, 0)[2])
        except ChildProcessError:
            break
    return {
        "seconds": seconds,
        "mb_per_s": nbytes / MB / seconds,
        "docs_per_s": articles / seconds,
        "cpu_s": sum(u.ru_utime + u.ru_stime for u in usages),
        "main_cpu_s": usage.ru_utime + usage.ru_stime,  # the coordinating process (N > 1)
        "peak_rss_mb": max(u.ru_maxrss for u in usages) * 1024 / MB,  # ru_maxrss is in KiB
    }


def measure_commands(articles: list[str], workers: list[int], folder: Path) -> dict[str, Any]:
    """``scan`` and ``filter`` end to end for each worker count."""
    files, jsonl = write_inputs(articles, folder)
    nbytes = sum(len(article.encode("utf-8")) for article in articles)
    results: dict[str, Any] = {"scan": {}, "filter": {}}
    for count in workers:
        scan_args = ["scan", str(files), "--format", "jsonl", "--workers", str(count)]
        filter_args = ["filter", str(jsonl), "-o", os.devnull, "--workers", str(count)]
        results["scan"][count] = run_command(scan_args, len(articles), nbytes)
        results["filter"][count] = run_command(filter_args, len(articles), nbytes)
    return results


def measure_filter_memory(articles: list[str], mb: float, workers: int, folder: Path) -> dict:
    """Peak RSS of ``filter`` on N workers over ``mb`` MB of JSON Lines (the corpus repeated)."""
    path = folder / "large.jsonl"
    count = nbytes = 0
    with path.open("w", encoding="utf-8") as handle:
        while nbytes < mb * MB:
            article = articles[count % len(articles)]
            handle.write(json.dumps({"id": count, "text": article}, ensure_ascii=False) + "\n")
            nbytes += len(article.encode("utf-8"))
            count += 1
    args = ["filter", str(path), "-o", os.devnull, "--workers", str(workers)]
    return {"mb": nbytes / MB, "articles": count, **run_command(args, count, nbytes)}


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (``ru_maxrss`` is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB


def print_report(result: dict[str, Any]) -> None:
    """Print the results for people."""
    s, c, t, k = result["startup"], result["corpus"], result["throughput"], result["tokenise"]
    r = result["regex"]
    print(f"start-up (median of {STARTUP_RUNS} fresh processes):")
    print(f"  import {s['import_s']:.3f} s, model load {s['load_s']:.3f} s, ", end="")
    print(f"first scan {s['first_scan_s']:.3f} s, total {s['total_s']:.3f} s")
    print(f"corpus: {c['articles']} articles, {c['mb']:.3f} MB ({c['source']}); ", end="")
    load = (result["load_average_before"], result["load_average_after"])
    print(f"{result['cores']} cores, load average {load[0]:.1f} before, {load[1]:.1f} after")
    print(f"library scan, one thread, warm: {t['mb_per_s']:.3f} MB/s, ", end="")
    print(f"{t['articles_per_s']:.2f} documents/s")
    threaded = result.get("threads")
    if threaded:
        print(f"  {threaded['threads']} threads: {threaded['mb_per_s']:.3f} MB/s, ", end="")
        print(f"{threaded['mb_per_s'] / t['mb_per_s']:.2f}x one thread")
    print(f"  {t['articles']} articles, {t['mb']:.3f} MB in {t['seconds']:.1f} s, ", end="")
    print(f"{t['findings']} findings; peak RSS {result['peak_rss_mb']:.1f} MB")
    if t["cut_short"]:
        print(f"  CUT SHORT by --limit-seconds {result['limit_seconds']:g}: ", end="")
        print(f"{t['articles']} of {c['articles']} articles scanned")
    print(f"bare regex tokenisation: {r['mb_per_s']:.2f} MB/s; ", end="")
    print(f"spindetect.tokens.tokenize: {k['mb_per_s']:.2f} MB/s")
    print(f"scan cost over the regex pass: {result['cost_over_regex']:.0f}x ", end="")
    print(f"(over tokenize: {result['cost_over_tokenise']:.1f}x)")
    commands = result.get("commands")
    if commands:
        print("command line, end to end, fresh processes:")
        header = "command  workers     MB/s    docs/s  seconds  CPU s (main)  peak RSS/process"
        print(f"  {header}  speed-up")
        for name, runs in commands.items():
            base = runs[min(runs)]["seconds"]
            for count, run in runs.items():
                print(
                    f"  {name:<8} {count:>7} {run['mb_per_s']:>8.3f} {run['docs_per_s']:>9.2f} "
                    f"{run['seconds']:>8.1f} {run['cpu_s']:>6.1f} ({run['main_cpu_s']:>4.1f}) "
                    f"{run['peak_rss_mb']:>13.0f} MB "
                    f"{base / run['seconds']:>8.2f}x"
                )
    memory = result.get("filter_memory")
    if memory:
        print(f"filter of {memory['mb']:.1f} MB ({memory['articles']} records) on ", end="")
        print(f"{max(commands['filter'])} workers: {memory['seconds']:.1f} s, ", end="")
        print(f"peak RSS/process {memory['peak_rss_mb']:.0f} MB")


def main(argv: list[str] | None = None) -> None:
    """Run every measurement and print it, or emit one JSON object with ``--json``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, help="synthesise this many MB from the seeds")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpus")
    parser.add_argument("--corpus", type=Path, help="read every *.txt under DIR (ignores --mb)")
    parser.add_argument("--workers", type=int, default=available_cores(), help="N (all cores)")
    parser.add_argument("--limit-seconds", type=float, default=300.0, help="library time cap")
    parser.add_argument("--memory-mb", type=float, help="also filter this many MB on N workers")
    parser.add_argument("--no-commands", action="store_true", help="skip the command-line runs")
    parser.add_argument("--json", action="store_true", help="emit one JSON object")
    parser.add_argument("--record", action="store_true", help="write docs/figures.json")
    args = parser.parse_args(argv)

    startup = measure_startup()
    articles = build_corpus(args.mb, args.seed, args.corpus)
    if not articles:
        parser.error(f"no *.txt files under {args.corpus}")
    corpus = {
        "articles": len(articles),
        "mb": sum(len(a.encode("utf-8")) for a in articles) / MB,
        "source": str(args.corpus)
        if args.corpus
        else f"synthetic from seeds, seed {args.seed}"
        if args.mb
        else "the repository's clean texts (news, seeds, eval originals), each once",
    }
    result: dict[str, Any] = {"startup": startup, "corpus": corpus, "cores": available_cores()}
    result["load_average_before"] = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="spindetect-bench-") as folder:
        if not args.no_commands:
            counts = sorted({1, args.workers})
            result["commands"] = measure_commands(articles, counts, Path(folder))
        if args.memory_mb:
            memory = measure_filter_memory(articles, args.memory_mb, args.workers, Path(folder))
            result["filter_memory"] = memory
    throughput = measure_throughput(articles, args.limit_seconds)
    if args.workers > 1:
        result["threads"] = {
            "threads": args.workers,
            **measure_throughput(articles, args.limit_seconds, args.workers),
        }
    tokenise = measure_tokenisation(articles)
    floor = measure_regex_floor(articles)
    result.update(
        throughput=throughput,
        peak_rss_mb=peak_rss_mb(),
        tokenise=tokenise,
        regex=floor,
        # seconds per byte of scan over seconds per byte of the floor
        cost_over_tokenise=tokenise["mb_per_s"] / throughput["mb_per_s"],
        cost_over_regex=floor["mb_per_s"] / throughput["mb_per_s"],
        limit_seconds=args.limit_seconds,
        load_average_after=os.getloadavg()[0],
    )
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)
    if args.record:
        from figures import merge_benchmark  # scripts/figures.py, beside this script

        command = " ".join(["python", "scripts/benchmark.py", *(argv or sys.argv[1:])])
        merge_benchmark(result, implementation="Rust core (spindetect._core)", command=command)


if __name__ == "__main__":
    main()
