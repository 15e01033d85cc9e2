"""Build the yardstick's fixed sets: news spun from sources the detector does not use.

Clean side: the 30 news articles of ``corpus/news/NN-topic.txt`` (written for spindetect, CC0).
Each set holds every article and 100 of their paragraphs (at least 25 words, chosen by seed),
spun by :func:`spindetect.tools.spinner.spin_labelled` with one substitution source (or all,
for the mixed set); rates are drawn per document, and half the documents are spun consistently
(one fate per phrase, as seed 002's spinner).  Each record is the held-out sets' schema
(``name, kind, rate, spun, original, substitutions``) plus ``set``, ``consistent`` and
``exclude_sources`` (the candidate sources a detector must not use for the set to measure it
fairly), and each substitution is ``[start, end, spun, original, source, kind, known]``.

The tortured-phrase set ``corpus/eval/tortured.jsonl`` comes from
``corpus/tortured/sentences.tsv``: each tortured sentence as a pair (spun with the published
phrase, original with the standard term), each control sentence as a pair of two identical
texts (an unchanged document: only its findings count).

Needs the Debian packages ``wordnet-base`` and ``mythes-en-us``.  Deterministic: the same
inputs give byte-identical files.  Usage: ``python scripts/make_news_set.py [--seed 17]``.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from spindetect.tools.sources import load_source
from spindetect.tools.spinner import detector_knows, spin_labelled

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT / "corpus" / "news"
EVAL = ROOT / "corpus" / "eval"
TORTURED = ROOT / "corpus" / "tortured" / "sentences.tsv"

# set name -> (sources used, sources a fair detector must not use, rate range)
SETS = {
    "wordnet": (("wordnet",), ("wordnet", "mythes"), (0.05, 0.45)),
    "mythes": (("mythes",), ("mythes", "wordnet"), (0.05, 0.45)),
    "glosses": (("glosses",), ("glosses",), (0.3, 0.9)),
    "mixed": (("wordnet", "mythes", "glosses"), ("wordnet", "mythes", "glosses"), (0.05, 0.5)),
}
PARAGRAPHS = 100
MIN_PARAGRAPH_WORDS = 25


def articles() -> list[tuple[str, str]]:
    """(name, text) of the news articles, in file order."""
    return [(path.stem, path.read_text(encoding="utf-8")) for path in sorted(NEWS.glob("*.txt"))]


def documents(seed: int) -> list[tuple[str, str, str]]:
    """(name, kind, text): every article, then :data:`PARAGRAPHS` paragraphs chosen by seed."""
    found = [(f"article-{name}", "article", text.strip()) for name, text in articles()]
    paragraphs = [
        (f"{name}-p{index:02d}", paragraph.strip())
        for name, text in articles()
        for index, paragraph in enumerate(text.split("\n\n"))
        if len(paragraph.split()) >= MIN_PARAGRAPH_WORDS
    ]
    rng = random.Random(seed)
    for name, text in sorted(rng.sample(paragraphs, min(PARAGRAPHS, len(paragraphs)))):
        found.append((f"paragraph-{name}", "paragraph", text))
    return found


def write_news_set(name: str, seed: int) -> int:
    """Spin every document for set ``name`` and write ``corpus/eval/news-NAME.jsonl``."""
    used, excluded, (low, high) = SETS[name]
    sources = [load_source(source) for source in used]
    rng = random.Random(f"{seed}-{name}")
    out = EVAL / f"news-{name}.jsonl"
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        for document, kind, text in documents(seed):
            rate = round(rng.uniform(low, high), 2)
            consistent = rng.random() < 0.5
            spun = spin_labelled(
                text, sources, rate=rate, seed=rng.randrange(1 << 30), consistent=consistent
            )
            record = {
                "name": document,
                "kind": kind,
                "rate": rate,
                "consistent": consistent,
                "set": f"news-{name}",
                "exclude_sources": list(excluded),
                "spun": spun.text,
                "original": text,
                "substitutions": [item.as_list() for item in spun.substitutions],
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def parse_tortured(line: str) -> tuple[str, str, list]:
    """(spun, original, substitutions) of a sentence with one ``{spun|original}`` mark."""
    before, rest = line.split("{", 1)
    marked, after = rest.split("}", 1)
    spun_phrase, original_phrase = marked.split("|")
    start, end = len(before), len(before) + len(spun_phrase)
    known = detector_knows(spun_phrase.lower(), original_phrase.lower())
    substitution = [start, end, spun_phrase, original_phrase, "tortured", "tortured", [*known]]
    return before + spun_phrase + after, before + original_phrase + after, [substitution]


def write_tortured_set() -> int:
    """``corpus/eval/tortured.jsonl`` from ``corpus/tortured/sentences.tsv``."""
    out = EVAL / "tortured.jsonl"
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        for line in TORTURED.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            kind, sentence = line.split("\t", 1)
            if kind == "tortured":
                spun, original, substitutions = parse_tortured(sentence)
            else:
                spun, original, substitutions = sentence, sentence, []
            record = {
                "name": f"{kind}-{count:03d}",
                "kind": kind,
                "set": "tortured",
                "exclude_sources": ["phrasebook"],
                "spun": spun,
                "original": original,
                "substitutions": substitutions,
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    args = parser.parse_args()
    for name in args.sets:
        print(f"news-{name}: {write_news_set(name, args.seed)} documents")
    print(f"tortured: {write_tortured_set()} sentences")


if __name__ == "__main__":
    main()
