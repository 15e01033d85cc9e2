"""Measure ``spindetect match``: top-1 accuracy with and without restoration, and query time.

The set (everything openly licensed, from Debian packages: ``apt-get install python3-doc
linux-doc-6.1 perl-doc``):

- **sources**: prose of the CPython 3.11 documentation (``python3-doc``, PSF licence), single
  paragraphs (20-120 words) and articles (8-25 consecutive paragraphs of one page), drawn from
  ``--sections`` (``library`` by default; the settings were chosen with ``--sections tutorial
  howto faq using reference``);
- **spun copies** of each source, made by :func:`spindetect.tools.simulate.spin` at a rate drawn
  from ``--rates`` (the share of the phrases it knows that the spinner replaces); these are the
  queries;
- with ``--siblings N``, N **other spun copies** of each source among the candidates (other
  seeds and rates): the hard case, where the original must beat copies of itself;
- **distractors** up to ``--candidates`` documents in all: every other prose paragraph of the
  CPython docs, of the Linux 6.1 kernel documentation (``linux-doc-6.1``, GPL-2.0) and of the
  Perl 5.36 manual (``perl-doc``, GPL-1+ or Artistic), then runs of 2-4 consecutive paragraphs of
  one page from the same pools until the count is reached.  Distractors that are near copies of a
  source (cosine >= 0.8 to the unspun source, e.g. a What's New paragraph quoting the library
  reference) are dropped and counted, since they would be a second right answer.

Each spun copy is looked up as it is and as restored by spindetect (its findings applied at the
match threshold), ranked by similarity alone and by the match score (similarity and explained
share, see :mod:`spindetect.tools.match`); the script prints top-1 accuracy for the four, and
the time of each step.  Everything is seeded.

Usage: ``python scripts/match_eval.py [--queries 300] [--candidates 100000] [--siblings 3]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import statistics
import time
from collections import Counter
from pathlib import Path

import regex

from build_null import prose_paragraphs
from make_eval_set import pages
from spindetect.tools.match import RERANK_DEPTH, RESTORE_THRESHOLD, rank_sources, restored_text
from spindetect.tools.simulate import spin
from spindetect.tools.sourceindex import SourceIndex

PYTHON_DOCS = Path("/usr/share/doc/python3.11/html/_sources")
LINUX_DOCS = Path("/usr/share/doc/linux-doc-6.1/Documentation")
PERL_DOCS = Path("/usr/share/perl/5.36/pod")
NEAR_COPY = 0.8
_POD_CODE = regex.compile(r"[A-Z]<<+\s+(.*?)\s+>>+|[A-Z]<([^<>]*)>")


def pod_paragraphs(pod: str) -> list[str]:
    """Running-text paragraphs of a Perl POD file (commands and verbatim blocks dropped)."""
    result = []
    for block in pod.split("\n\n"):
        if not block.strip() or block.startswith((" ", "\t", "=")):
            continue
        text = " ".join(_POD_CODE.sub(lambda m: m.group(1) or m.group(2) or "", block).split())
        if 20 <= len(text.split()) <= 400:
            result.append(text)
    return result


def distractor_pages() -> list[tuple[str, list[str]]]:
    """(page id, paragraphs) of all three documentation sets, in a fixed order."""
    sections = sorted(path.name for path in PYTHON_DOCS.iterdir() if path.is_dir())
    result = [
        (f"python:{section}/{name}", paragraphs)
        for section in sections
        for name, paragraphs in pages(PYTHON_DOCS, [section])
    ]
    for path in sorted(LINUX_DOCS.rglob("*.gz")):
        if path.name.endswith((".rst.gz", ".txt.gz")):
            with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
                paragraphs = prose_paragraphs(handle.read())
            if paragraphs:
                result.append((f"linux:{path.relative_to(LINUX_DOCS)}", paragraphs))
    for path in sorted(PERL_DOCS.glob("*.pod")):
        paragraphs = pod_paragraphs(path.read_text(encoding="utf-8", errors="replace"))
        if paragraphs:
            result.append((f"perl:{path.name}", paragraphs))
    return result


def make_sources(args: argparse.Namespace, rng: random.Random) -> list[dict]:
    """The source documents and their spun copies."""
    all_pages = pages(PYTHON_DOCS, args.sections)
    long_pages = [(name, paragraphs) for name, paragraphs in all_pages if len(paragraphs) >= 8]
    low, high = args.rates
    sources, seen = [], set()
    while len(sources) < args.queries:
        if len(sources) % 4 == 3:  # one article for three paragraphs
            name, paragraphs = rng.choice(long_pages)
            size = rng.randint(8, min(25, len(paragraphs)))
            first = rng.randint(0, len(paragraphs) - size)
            parts, kind = paragraphs[first : first + size], "article"
        else:
            name, paragraphs = rng.choice(all_pages)
            parts, kind = [rng.choice(paragraphs)], "paragraph"
        text = "\n\n".join(parts)
        if text in seen:
            continue
        seen.add(text)
        rate = round(rng.uniform(low, high), 2)
        spun = spin(text, rate=rate, seed=rng.randrange(1 << 30))
        sources.append(
            {
                "id": f"source:{len(sources):04d}:{name}",
                "kind": kind,
                "rate": rate,
                "text": text,
                "paragraphs": parts,
                "spun": spun.text,
                "substitutions": len(spun.substitutions),
            }
        )
    return sources


def make_distractors(sources: list[dict], count: int, rng: random.Random) -> list[tuple[str, str]]:
    """``count`` distractor documents that contain no source paragraph."""
    used = {paragraph for source in sources for paragraph in source["paragraphs"]}
    pool = [
        (name, [p for p in paragraphs if p not in used]) for name, paragraphs in distractor_pages()
    ]
    result, seen = [], set(used)
    for name, paragraphs in pool:
        for number, paragraph in enumerate(paragraphs):
            if paragraph not in seen:
                seen.add(paragraph)
                result.append((f"{name}#{number}", paragraph))
    windows = [
        (f"{name}#{first}+{size}", "\n\n".join(paragraphs[first : first + size]))
        for name, paragraphs in pool
        for size in (2, 3, 4)
        for first in range(0, len(paragraphs) - size + 1, size)
    ]
    rng.shuffle(windows)
    for item in windows:
        if len(result) >= count:
            break
        if item[1] not in seen:
            seen.add(item[1])
            result.append(item)
    rng.shuffle(result)
    return result[:count]


def add_siblings(sources: list[dict], count: int, rates: list[float], rng: random.Random) -> list:
    """``count`` other spun copies of each source, as candidates (the web rarely holds one)."""
    low, high = rates
    return [
        (
            f"sibling:{number}:{source['id']}",
            spin(
                source["text"], rate=round(rng.uniform(low, high), 2), seed=rng.randrange(1 << 30)
            ).text,
        )
        for source in sources
        for number in range(count)
    ]


def write_set(folder: Path, candidates: list[tuple[str, str]], sources: list[dict]) -> None:
    """The candidates as JSONL of {id, text} and each spun copy as a file named by its source."""
    (folder / "spun").mkdir(parents=True, exist_ok=True)
    with (folder / "candidates.jsonl").open("w", encoding="utf-8") as handle:
        for candidate_id, text in candidates:
            handle.write(json.dumps({"id": candidate_id, "text": text}, ensure_ascii=False) + "\n")
    for number, source in enumerate(sources):
        (folder / "spun" / f"{number:04d}.txt").write_text(source["spun"], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--siblings", type=int, default=0, help="other spun copies per source")
    parser.add_argument("--sections", nargs="+", default=["library"])
    parser.add_argument("--rates", nargs=2, type=float, default=[0.1, 0.9])
    parser.add_argument("--threshold", type=float, default=RESTORE_THRESHOLD)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--index", type=Path, default=Path("/tmp/spindetect-match-eval.npz"))
    parser.add_argument("--out", type=Path, help="write every query's result here (JSON)")
    parser.add_argument(
        "--write-set",
        type=Path,
        help="also write the set here: candidates.jsonl and spun/NNNN.txt, for the CLI",
    )
    args = parser.parse_args()
    for path, package in (
        (PYTHON_DOCS, "python3-doc"),
        (LINUX_DOCS, "linux-doc-6.1"),
        (PERL_DOCS, "perl-doc"),
    ):
        if not path.is_dir():
            raise SystemExit(f"{path}: not found (apt-get install {package})")
    rng = random.Random(args.seed)

    started = time.perf_counter()
    sources = make_sources(args, rng)
    siblings = add_siblings(sources, args.siblings, args.rates, rng)
    wanted = args.candidates - len(sources) - len(siblings)
    distractors = make_distractors(sources, wanted + 1000, rng)  # spares for the near copies
    # Drop distractors that are near copies of a source (a second right answer).
    probe = SourceIndex.build(distractors)
    near = set()
    for source in sources:
        near.update(n for n, score in probe.search(source["text"], 20) if score >= NEAR_COPY)
    del probe
    distractors = [item for n, item in enumerate(distractors) if n not in near][:wanted]
    candidates = [(source["id"], source["text"]) for source in sources] + siblings + distractors
    random.Random(args.seed).shuffle(candidates)
    origin = Counter(candidate_id.split(":", 1)[0] for candidate_id, _ in candidates)
    print(
        f"candidates: {len(candidates):,} ({dict(sorted(origin.items()))}); {len(near)} near "
        f"copies of a source dropped ({time.perf_counter() - started:.0f} s)"
    )

    if args.write_set:
        write_set(args.write_set, candidates, sources)
    started = time.perf_counter()
    index = SourceIndex.build(candidates)
    build_seconds = time.perf_counter() - started
    index.save(args.index)
    started = time.perf_counter()
    index = SourceIndex.load(args.index)
    load_seconds = time.perf_counter() - started
    print(
        f"index: built in {build_seconds:.0f} s, {args.index.stat().st_size / 1e6:.0f} MB "
        f"on disk, loaded in {load_seconds:.1f} s, {index.postings.nnz:,} non-zeros"
    )

    rows, times = [], {"restore": [], "search": [], "look-up": []}
    for source in sources:
        row = {k: source[k] for k in ("id", "kind", "rate", "substitutions")}
        started = time.perf_counter()
        restored, row["restored"] = restored_text(source["spun"], args.threshold)
        times["restore"].append(time.perf_counter() - started)
        for label, query in (("spun", source["spun"]), ("restored", restored)):
            started = time.perf_counter()
            hits = index.search(query, RERANK_DEPTH)
            searched = time.perf_counter()
            ranked = rank_sources(index, query, 1)
            if label == "restored":
                times["search"].append(searched - started)
                times["look-up"].append(time.perf_counter() - searched)
            row[f"{label}_similarity_top1"] = bool(hits) and index.ids[hits[0][0]] == source["id"]
            row[f"{label}_top1"] = bool(ranked) and ranked[0].id == source["id"]
            truth = [score for n, score in hits if index.ids[n] == source["id"]]
            row[f"{label}_similarity"] = truth[0] if truth else None
        rows.append(row)

    report(rows, times, len(candidates))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")
    if args.out:
        args.out.write_text(json.dumps({"rows": rows, "times": times}, indent=1))


def report(rows: list[dict], times: dict[str, list[float]], candidates: int) -> None:
    """Print top-1 accuracy (all, by kind, by spin rate) and the time of each step."""
    groups = {
        "all": rows,
        "paragraphs": [r for r in rows if r["kind"] == "paragraph"],
        "articles": [r for r in rows if r["kind"] == "article"],
        "rate < 0.4": [r for r in rows if r["rate"] < 0.4],
        "rate 0.4-0.7": [r for r in rows if 0.4 <= r["rate"] < 0.7],
        "rate >= 0.7": [r for r in rows if r["rate"] >= 0.7],
    }
    print(f"\ntop-1 accuracy against {candidates:,} candidates")
    print(f"{'':14} {'n':>4} | {'similarity only':^19} | {'match (score)':^19}")
    print(f"{'':14} {'':>4} | {'spun':>9} {'restored':>9} | {'spun':>9} {'restored':>9}")
    for name, group in groups.items():
        if group:
            cells = [
                sum(r[key] for r in group) / len(group)
                for key in (
                    "spun_similarity_top1",
                    "restored_similarity_top1",
                    "spun_top1",
                    "restored_top1",
                )
            ]
            print(
                f"{name:14} {len(group):>4} | {cells[0]:>9.3f} {cells[1]:>9.3f} | "
                f"{cells[2]:>9.3f} {cells[3]:>9.3f}"
            )
    pairs = [r for r in rows if r["spun_similarity"] and r["restored_similarity"]]
    better = sum(r["restored_similarity"] > r["spun_similarity"] for r in pairs)
    worse = sum(r["restored_similarity"] < r["spun_similarity"] for r in pairs)
    gain = statistics.mean(r["restored_similarity"] - r["spun_similarity"] for r in pairs)
    print(
        f"similarity of the true source after restoration: higher for {better}, lower for "
        f"{worse} of {len(pairs)} (mean change {gain:+.3f})"
    )
    for step, values in times.items():
        values = sorted(values)
        print(
            f"time per query, {step:8}: median {1000 * statistics.median(values):.1f} ms, "
            f"p95 {1000 * values[int(0.95 * (len(values) - 1))]:.1f} ms"
        )


if __name__ == "__main__":
    main()
