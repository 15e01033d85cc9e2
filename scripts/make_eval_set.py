"""Build the fixed held-out evaluation set ``corpus/eval/heldout.jsonl``.

Clean sources: prose of the CPython 3.11 *library reference* (Debian package ``python3-doc``, PSF
licence).  The null model (``scripts/build_null.py``) was measured on other sections of the same
documentation (tutorial, HOWTOs, FAQ, What's New), so none of this text was used for tuning.
Documents are single paragraphs (20-120 words) and articles (8-25 consecutive paragraphs of one
page), spun by :func:`spindetect.tools.simulate.spin` at rates drawn from 5% to 60%.  Everything is
seeded: the same inputs give the same file.

Each line: ``{"name", "kind", "rate", "spun", "original", "substitutions"}``.

Usage: ``python scripts/make_eval_set.py [--docs DIR] [--paragraphs 60] [--articles 20]
[--consistent]``
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from functools import partial
from pathlib import Path

from build_null import prose_paragraphs
from spindetect.tools.simulate import SpunText, spin

ROOT = Path(__file__).resolve().parents[1]


def pages(docs: Path, sections: list[str]) -> list[tuple[str, list[str]]]:
    """(page name, prose paragraphs) of the given documentation sections, in a fixed order."""
    result = []
    paths = sorted(path for section in sections for path in (docs / section).glob("*.rst.txt"))
    for path in paths:
        paragraphs = [
            p for p in prose_paragraphs(path.read_text(encoding="utf-8")) if len(p.split()) <= 120
        ]
        if paragraphs:
            result.append((path.name.removesuffix(".rst.txt"), paragraphs))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--docs", type=Path, default=Path("/usr/share/doc/python3.11/html/_sources")
    )
    parser.add_argument("--out", type=Path, default=ROOT / "corpus" / "eval" / "heldout.jsonl")
    parser.add_argument("--paragraphs", type=int, default=60)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--sections",
        nargs="+",
        default=["library"],
        help="documentation sections to draw from (a dev set: --sections reference using)",
    )
    parser.add_argument(
        "--consistent",
        action="store_true",
        help="spin like a one-synonym-per-word spinner "
        "(spindetect.tools.simulate.spin(consistent=True))",
    )
    args = parser.parse_args()
    if not args.docs.is_dir():
        raise SystemExit(f"{args.docs}: not found (apt-get install python3-doc)")
    rng = random.Random(args.seed)
    all_pages = pages(args.docs, args.sections)
    documents = []
    for number in range(args.paragraphs):
        name, paragraphs = rng.choice(all_pages)
        documents.append((f"paragraph-{number:03d}-{name}", "paragraph", rng.choice(paragraphs)))
    long_pages = [(name, paragraphs) for name, paragraphs in all_pages if len(paragraphs) >= 8]
    for number in range(args.articles):
        name, paragraphs = rng.choice(long_pages)
        size = rng.randint(8, min(25, len(paragraphs)))
        start = rng.randint(0, len(paragraphs) - size)
        documents.append(
            (
                f"article-{number:03d}-{name}",
                "article",
                "\n\n".join(paragraphs[start : start + size]),
            )
        )
    write_set(args.out, documents, rng, partial(spin, consistent=args.consistent))
    print(f"wrote {args.out}: {len(documents)} documents")


def write_set(
    out: Path,
    documents: list[tuple[str, str, str]],
    rng: random.Random,
    spinner: Callable[..., SpunText] = spin,
) -> None:
    """Spin each (name, kind, text) at a rate drawn from 5-60% and write the JSONL records."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for name, kind, text in documents:
            rate = round(rng.uniform(0.05, 0.6), 2)
            spun = spinner(text, rate=rate, seed=rng.randrange(1 << 30))
            record = {
                "name": name,
                "kind": kind,
                "rate": rate,
                "spun": spun.text,
                "original": text,
                "substitutions": [[s.start, s.end, s.spun, s.original] for s in spun.substitutions],
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
