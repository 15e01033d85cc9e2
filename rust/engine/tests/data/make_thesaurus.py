"""Golden data for the Rust port of the reversed thesaurus.

Run from the repository root with the project's venv active:

    python rust/engine/tests/data/make_thesaurus.py

Writes ``thesaurus.jsonl.gz`` next to this script: a first record ``{"max_words": n,
"forms": count}``, then one record per looked-up phrase: ``{"phrase": str, "contains": bool,
"is_prefix": bool, "candidates": [["word word", closeness]...]}`` (the words joined with
spaces``.  The phrases are every word
n-gram (up to max_words) of the dev and science eval texts' lower-cased words that the thesaurus holds or that
is a prefix, a sample of ~1 in 80 of all observed forms, and a few that it does not hold.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from spindetect.thesaurus import ReverseThesaurus
from spindetect.data import data_path
from spindetect.tokens import words

ROOT = Path(__file__).resolve().parents[4]
OUT = Path(__file__).with_name("thesaurus.jsonl.gz")


def main() -> None:
    thesaurus = ReverseThesaurus.from_file(data_path("thesaurus_reverse.tsv.gz"))
    phrases = set()
    for name in ("dev", "science"):
        with (ROOT / "corpus" / "eval" / f"{name}.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                for side in ("spun", "original"):
                    keys = words(record[side])
                    for first in range(len(keys)):
                        for length in range(1, thesaurus.max_words + 1):
                            phrase = " ".join(keys[first : first + length])
                            if phrase in thesaurus or phrase in thesaurus.prefixes:
                                phrases.add(phrase)
    forms = thesaurus.observed_forms()
    phrases.update(forms[::80])
    phrases.update(["", " ", "zzzz not a form", "in the", "A Belief", "a belief "])
    with gzip.open(OUT, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"max_words": thesaurus.max_words, "forms": len(thesaurus)}) + "\n")
        for phrase in sorted(phrases):
            record = {
                "phrase": phrase,
                "contains": phrase in thesaurus,
                "is_prefix": phrase in thesaurus.prefixes,
                "candidates": [[" ".join(w), c] for w, c in thesaurus.candidates(phrase)],
            }
            handle.write(json.dumps(record) + "\n")
    print(f"{OUT}: {len(phrases)} phrases")


if __name__ == "__main__":
    main()
