"""Build the null distribution of the thesaurus statistic on clean English text.

The detector's false-discovery control (the core's ``calibration.rs``) needs to know how the
suspect statistic is distributed in text nobody spun.  This script measures it on the prose of
the CPython documentation (tutorial, HOWTOs, FAQ, What's New), PSF licence, installed on Debian
by ``apt-get install python3-doc``: plain English written by many authors over many years.  It is
not news, and its technical words make the tail a little heavier than news, which only makes the
detector more cautious.  The seeds and test fixtures are deliberately NOT used, so that they stay
an honest test.

Usage: ``python scripts/build_null.py [--docs /usr/share/doc/python3.11/html/_sources]``
writes ``corpus/null_statistics.json``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import regex

from spindetect.api import get_detector
from spindetect.config import DetectorConfig
from spindetect.tools.training import null_json, null_table

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("tutorial", "howto", "faq", "whatsnew")
_ROLE = regex.compile(r":[\w:.-]+:`([^`<]*?)(?:\s*<[^>]*>)?`")
_LITERAL = regex.compile(r"``[^`]*``|`[^`]*`_*")


def prose_paragraphs(rst: str) -> list[str]:
    """Paragraphs of running English from a reStructuredText source.

    Indented blocks (code, directive bodies), directive lines, headings, tables and bullet-free
    one-liners are dropped; roles keep their text; literals are dropped.
    """
    paragraphs, current = [], []
    for line in [*rst.splitlines(), ""]:
        stripped = line.strip()
        if (
            not stripped
            or line[:1].isspace()
            or stripped.startswith(("..", "::", "|", "+", "=", "*", "-", "#"))
        ):
            if len(current) >= 2:
                paragraphs.append(" ".join(current))
            current = []
            continue
        if regex.fullmatch(r"[=\-~^\"'`#*+]{3,}", stripped):
            current = []
            continue
        current.append(stripped)
    cleaned = []
    for paragraph in paragraphs:
        text = _LITERAL.sub("", _ROLE.sub(r"\1", paragraph)).replace("::", ".")
        if len(text.split()) >= 20 and text.count("(") < 6:
            cleaned.append(text)
    return cleaned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--docs", type=Path, default=Path("/usr/share/doc/python3.11/html/_sources")
    )
    parser.add_argument("--out", type=Path, default=ROOT / "corpus" / "null_statistics.json")
    parser.add_argument("--max-words", type=int, default=400_000)
    parser.add_argument(
        "--sources",
        default="moby",
        metavar="NAME,...",
        help="candidate sources the statistics are measured with (DetectorConfig.sources)",
    )
    args = parser.parse_args()
    if not args.docs.is_dir():
        raise SystemExit(f"{args.docs}: not found (apt-get install python3-doc)")
    sources = tuple(name.strip() for name in args.sources.split(",") if name.strip())
    if not sources:
        parser.error("--sources: name at least one source")
    core = get_detector(DetectorConfig(sources=sources)).core
    statistics: list[float] = []
    words = 0
    for section in SECTIONS:
        for path in sorted((args.docs / section).glob("*.rst.txt")):
            for paragraph in prose_paragraphs(path.read_text(encoding="utf-8")):
                statistics.extend(core.statistics(paragraph))
                words += len(paragraph.split())
            if words >= args.max_words:
                break
    values, survival = null_table(statistics)
    source = f"CPython {args.docs.parent.parent.name} docs prose ({words} words)"
    text = null_json(values, survival, source, len(statistics))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(
        f"wrote {args.out}: {len(statistics)} suspects from {words} words; "
        f"p=0.01 at {values[next(i for i, s in enumerate(survival) if s <= 0.01)]:.2f}"
    )


if __name__ == "__main__":
    main()
