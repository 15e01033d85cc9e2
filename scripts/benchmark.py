"""Benchmark spindetect: start-up time, scan throughput, peak memory, tokenisation floor.

Usage::

    python scripts/benchmark.py [--mb 2.0] [--seed 0] [--corpus DIR] [--limit-seconds 300] [--json]

Start-up (import, model load, first scan) is timed in fresh subprocesses, median of 3 runs.
Throughput is ``spindetect.scan`` on one core over news-like articles, by default synthesised
deterministically from the sentences of ``tests/fixtures/seeds/*.txt`` (``--corpus DIR`` reads
every ``*.txt`` under DIR instead).  The throughput loop stops after ``--limit-seconds`` and
reports on the articles done.  The tokenisation floor is ``spindetect.tokens.tokenize`` over the
whole corpus.  MB means 10**6 bytes (UTF-8).  The figures hold only for the machine, Python and
load under which the script runs.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import spindetect
from spindetect.tokens import tokenize

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
MB = 1_000_000
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


def build_corpus(mb: float, seed: int, corpus_dir: Path | None = None) -> list[str]:
    """Every ``*.txt`` under ``corpus_dir``, else synthetic articles totalling ``mb`` MB."""
    if corpus_dir is not None:
        return [path.read_text(encoding="utf-8") for path in sorted(corpus_dir.rglob("*.txt"))]
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
    """Median import, model-load and first-scan seconds over ``runs`` fresh interpreters."""
    samples = []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", STARTUP_CODE], capture_output=True, text=True, check=True
        )
        samples.append(json.loads(result.stdout.strip().splitlines()[-1]))
    medians = {key: statistics.median(s[key] for s in samples) for key in samples[0]}
    medians["total_s"] = statistics.median(sum(s.values()) for s in samples)
    return medians


def measure_throughput(articles: list[str], limit_seconds: float) -> dict[str, Any]:
    """Scan articles one by one (after an untimed warm-up) until done or out of time."""
    spindetect.scan(articles[0])  # warm-up: loads the models and fills caches
    done = nbytes = findings = 0
    start = time.perf_counter()
    for article in articles:
        findings += len(spindetect.scan(article).findings)
        done += 1
        nbytes += len(article.encode("utf-8"))
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


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (``ru_maxrss`` is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB


def print_report(result: dict[str, Any]) -> None:
    """Print the results for people."""
    s, c, t, k = result["startup"], result["corpus"], result["throughput"], result["tokenise"]
    print(f"start-up (median of {STARTUP_RUNS} fresh processes):")
    print(f"  import {s['import_s']:.3f} s, model load {s['load_s']:.3f} s, ", end="")
    print(f"first scan {s['first_scan_s']:.3f} s, total {s['total_s']:.3f} s")
    print(f"corpus: {c['articles']} articles, {c['mb']:.3f} MB ({c['source']})")
    print(f"scan throughput (one core): {t['mb_per_s'] * 1000:.1f} KB/s, ", end="")
    print(f"{t['articles_per_s']:.2f} articles/s")
    print(f"  {t['articles']} articles, {t['mb']:.3f} MB in {t['seconds']:.1f} s, ", end="")
    print(f"{t['findings']} findings")
    if t["cut_short"]:
        print(f"  CUT SHORT by --limit-seconds {result['limit_seconds']:g}: ", end="")
        print(f"{t['articles']} of {c['articles']} articles scanned")
    print(f"peak RSS: {result['peak_rss_mb']:.1f} MB")
    print(f"tokenise only: {k['mb_per_s']:.2f} MB/s ({k['mb']:.3f} MB in {k['seconds']:.3f} s)")
    print(f"scan cost over the tokenisation floor: {result['cost_over_tokenise']:.0f}x")


def main(argv: list[str] | None = None) -> None:
    """Run every measurement and print it, or emit one JSON object with ``--json``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0, help="synthetic corpus size in MB")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpus")
    parser.add_argument("--corpus", type=Path, help="read every *.txt under DIR (ignores --mb)")
    parser.add_argument("--limit-seconds", type=float, default=300.0, help="throughput time cap")
    parser.add_argument("--json", action="store_true", help="emit one JSON object")
    args = parser.parse_args(argv)

    startup = measure_startup()
    articles = build_corpus(args.mb, args.seed, args.corpus)
    if not articles:
        parser.error(f"no *.txt files under {args.corpus}")
    corpus = {
        "articles": len(articles),
        "mb": sum(len(a.encode("utf-8")) for a in articles) / MB,
        "source": str(args.corpus) if args.corpus else f"synthetic from seeds, seed {args.seed}",
    }
    throughput = measure_throughput(articles, args.limit_seconds)
    rss = peak_rss_mb()
    tokenise = measure_tokenisation(articles)
    result = {
        "startup": startup,
        "corpus": corpus,
        "throughput": throughput,
        "peak_rss_mb": rss,
        "tokenise": tokenise,
        # seconds per byte of scan over seconds per byte of tokenize
        "cost_over_tokenise": tokenise["mb_per_s"] / throughput["mb_per_s"],
        "limit_seconds": args.limit_seconds,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)


if __name__ == "__main__":
    main()
