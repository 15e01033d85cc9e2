"""Build the science evaluation set and the text for a science reference, from disjoint pages.

Clean scientific text: the scikit-learn 1.2 documentation (Debian package
``python-sklearn-doc``, BSD-3-Clause, (c) the scikit-learn developers): machine-learning and
statistics prose, the field where paper mills publish most tortured phrases.  Pages are split by
a hash of their path: 30% of the user-guide pages (``modules/*.rst.txt``) give the evaluation
documents, and every other page (the rest of the user guide, the examples, the tutorials, the
API reference) gives the reference text, so the evaluation text is never counted in the model.

* ``corpus/eval/science.jsonl``: abstract-length documents (consecutive prose paragraphs of one
  page, 100-300 words), paraphrased by :func:`spindetect.tools.simulate.spin_science` at 5-60%, with
  exact ground truth (same record format as ``heldout.jsonl``).
* ``--train-out`` (default ``/tmp/science-train.jsonl``): the reference text, one
  ``{"text": ...}`` line a page, for ``spindetect reference build``.

Usage::

    apt-get install python-sklearn-doc
    cd scripts && python make_science_set.py && cd ..
    spindetect reference build /tmp/science-train.jsonl -o corpus/science_reference.spref
    spindetect eval corpus/eval/science.jsonl                                             # before
    spindetect eval corpus/eval/science.jsonl --reference corpus/science_reference.spref  # after
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path

from build_null import prose_paragraphs
from make_eval_set import write_set
from spindetect.tools.simulate import spin_science

ROOT = Path(__file__).resolve().parents[1]
DOCS = Path("/usr/share/doc/python-sklearn-doc/html/_sources")


def is_eval_page(relative: str) -> bool:
    """The fixed 30% of user-guide pages held out for evaluation."""
    bucket = int(hashlib.sha256(relative.encode("utf-8")).hexdigest(), 16) % 10
    return relative.startswith("modules/") and relative.count("/") == 1 and bucket < 3


def abstracts(paragraphs: list[str], low: int = 100, high: int = 300) -> list[str]:
    """Consecutive paragraphs joined until they reach ``low`` words (never past ``high``)."""
    found, current = [], []
    for paragraph in paragraphs:
        if current and len(" ".join([*current, paragraph]).split()) > high:
            current = []
        current.append(paragraph)
        if len(" ".join(current).split()) >= low:
            found.append("\n\n".join(current))
            current = []
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=Path, default=DOCS)
    parser.add_argument("--out", type=Path, default=ROOT / "corpus" / "eval" / "science.jsonl")
    parser.add_argument("--train-out", type=Path, default=Path("/tmp/science-train.jsonl"))
    parser.add_argument("--documents", type=int, default=60)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    if not args.docs.is_dir():
        raise SystemExit(f"{args.docs}: not found (apt-get install python-sklearn-doc)")
    pages = sorted(args.docs.rglob("*.rst.txt"))
    candidates: list[tuple[str, str]] = []
    train_words = 0
    with args.train_out.open("w", encoding="utf-8") as train:
        for path in pages:
            relative = str(path.relative_to(args.docs))
            paragraphs = prose_paragraphs(path.read_text(encoding="utf-8"))
            if is_eval_page(relative):
                name = relative.removesuffix(".rst.txt").replace("/", "-")
                candidates.extend((name, text) for text in abstracts(paragraphs))
            elif paragraphs:
                text = "\n\n".join(paragraphs)
                train_words += len(text.split())
                train.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    rng = random.Random(args.seed)
    chosen = sorted(rng.sample(range(len(candidates)), min(args.documents, len(candidates))))
    documents = [
        (f"abstract-{number:03d}-{candidates[i][0]}", "abstract", candidates[i][1])
        for number, i in enumerate(chosen)
    ]
    write_set(args.out, documents, rng, spin_science)
    print(
        f"wrote {args.out}: {len(documents)} of {len(candidates)} abstracts; "
        f"{args.train_out}: {train_words} words of reference text"
    )


if __name__ == "__main__":
    main()
