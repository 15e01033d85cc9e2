"""Golden values for the Rust reference models (rust/engine/tests/reference_parity.rs).

Run from the repository root with the project's virtualenv:
    python rust/engine/tests/data/make_reference.py
Writes, next to this script:
  reference_queries.jsonl.gz  [w, h2, h1, cmu, spref, mix, mix_scalar] per line: log10
                              P(w | h2 h1) of the CMU model, corpus/science_reference.spref, and
                              their mixture by combine_references, through ``logprob_many`` (the
                              batch path) and, for the mixture, also its scalar ``logprob``
                              (numpy's log10/power may differ from libm's in the last bit)
                              (h2/h1 null = absent; words may be unknown)
  reference_words.jsonl.gz    [word, cmu_id, cmu_knows, spref_id, spref_knows, mix_knows]
  tiny.spref                  a small model built with spindetect.reference.build.build
"""

from __future__ import annotations

import gzip
import json
import random
import tempfile
from pathlib import Path

import numpy as np

from spindetect.reference import SENTENCE_END, SENTENCE_START, logprob_many
from spindetect.reference.build import build
from spindetect.reference.cmu import CMUReference
from spindetect.reference.ngram import NgramReference, combine_references, find_one, word_hash
from spindetect.reference.trie import TrieLM, default_model_path
from spindetect.tokens import Kind, tokenize

ROOT = Path.cwd()  # run from the repository root
OUT = Path(__file__).resolve().parent
SPREF = ROOT / "corpus" / "science_reference.spref"


def sentences(text: str) -> list[list[str]]:
    """Sentences of lower-cased word keys, cut at breaks, numbers, URLs and e-mails."""
    result, current = [], []
    for token in tokenize(text):
        if token.kind is Kind.WORD:
            current.append(token.text.lower().replace("\u2019", "'"))
        elif token.kind in (Kind.HYPHEN, Kind.OTHER):
            continue
        else:
            if current:
                result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def texts() -> list[str]:
    chosen = []
    for name, count in (("dev", 6), ("science", 12), ("heldout", 4)):
        with open(ROOT / "corpus" / "eval" / f"{name}.jsonl", encoding="utf-8") as handle:
            for line in list(handle)[:count]:
                row = json.loads(line)
                chosen += [row["original"], row["spun"]]
    for seed in sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))[:2]:
        chosen.append(seed.read_text(encoding="utf-8")[:6000])
    return chosen


def document_queries() -> list[tuple[str, tuple[str, ...]]]:
    """Every trigram, bigram and unigram window of the chosen texts."""
    queries = []
    for text in texts():
        for words in sentences(text):
            padded = [SENTENCE_START, *words, SENTENCE_END]
            for i in range(1, len(padded)):
                w = padded[i]
                queries.append((w, tuple(padded[max(0, i - 2) : i])))
                queries.append((w, (padded[i - 1],)))
                if i % 3 == 0:
                    queries.append((w, ()))
    return queries


def random_queries(lm: TrieLM, rng: random.Random) -> list[tuple[str, tuple[str, ...]]]:
    vocab = lm.words
    unknown = ["qzxv", "blorpish", "zzyzx'", "x-y-z"]
    queries = []
    for _ in range(4000):
        w, h1, h2 = (rng.choice(vocab) for _ in range(3))
        kind = rng.randrange(8)
        if kind == 0:
            h2 = rng.choice(unknown)
        elif kind == 1:
            h1 = rng.choice(unknown)
        elif kind == 2:
            h2 = SENTENCE_START
        elif kind == 3:
            h1, h2 = SENTENCE_START, rng.choice(vocab)
        elif kind == 4:
            w = SENTENCE_END
        elif kind == 5:
            w = rng.choice(unknown)
        queries.append((w, (h2, h1)))
        if kind < 2:
            queries.append((w, (h1,)))
    queries += [(SENTENCE_START, ("the",)), (SENTENCE_END, ()), (SENTENCE_START, ())]
    return queries


def unsorted_range_queries(lm: TrieLM, rng: random.Random) -> list[tuple[str, tuple[str, ...]]]:
    """Every history word h2 under the two unsorted trigram ranges ('and bullhorns', 'and
    jerri') whose value is not the plain backoff, plus a sample of the others."""
    queries = [("bullhorns", ("whips", "and"))]
    ids = np.arange(len(lm.words))
    for h1, w in (("and", "bullhorns"), ("and", "jerri")):
        values = lm.logprob_ids(np.full_like(ids, lm.vocab[w]), np.full_like(ids, lm.vocab[h1]), ids)
        common = np.bincount(values - values.min()).argmax() + values.min()
        special = np.flatnonzero(values != common)
        sample = rng.sample(range(len(ids)), 300)
        for i in sorted(set(special.tolist()) | set(sample)):
            queries.append((w, (lm.words[i], h1)))
    return queries


def main() -> None:
    rng = random.Random(20240607)
    lm = TrieLM(default_model_path())
    cmu = CMUReference(lm)
    spref = NgramReference(SPREF)
    mix = combine_references(cmu, [str(SPREF)])
    queries = document_queries() + random_queries(lm, rng) + unsorted_range_queries(lm, rng)
    queries = list(dict.fromkeys(queries))

    cmu_many = logprob_many(cmu, queries)
    spref_many = logprob_many(spref, queries)
    mix_many = logprob_many(mix, queries)
    differ = {"cmu": 0, "spref": 0, "mix": 0}
    largest = 0.0
    rows = []
    for i, (w, h) in enumerate(queries):
        values = []
        for label, model, many in (("cmu", cmu, cmu_many), ("spref", spref, spref_many), ("mix", mix, mix_many)):
            scalar = model.logprob(w, h)
            if scalar != float(many[i]):
                differ[label] += 1
            values.append(float(many[i]))
        values.append(mix.logprob(w, h))
        largest = max(largest, abs(values[-1] - values[-2]))
        h2 = h[-2] if len(h) > 1 else None
        h1 = h[-1] if h else None
        rows.append([w, h2, h1, *values])
    print(f"{len(rows)} queries; scalar != batch: {differ}, largest mixture difference {largest}")

    try:  # cross-check the Python reader against pocketsphinx itself on a sample
        import pocketsphinx

        model = pocketsphinx.NGramModel(pocketsphinx.Config(), pocketsphinx.LogMath(), default_model_path())
        sample = rng.sample(queries, 3000) + unsorted_range_queries(lm, rng)[:50]
        bad = sum(model.prob([w, *reversed(h)]) != lm.prob([w, *reversed(h)]) for w, h in sample)
        print(f"pocketsphinx mismatches on {len(sample)} sampled queries: {bad}")
    except Exception as error:  # noqa: BLE001 - only a diagnostic
        print(f"pocketsphinx cross-check skipped: {error!r}")

    with gzip.open(OUT / "reference_queries.jsonl.gz", "wt", encoding="utf-8", compresslevel=9) as handle:
        for row in rows:
            handle.write(json.dumps(row, separators=(",", ":")) + "\n")

    words = sorted({w for w, h in queries} | {x for _, h in queries for x in h})
    keys1 = spref.levels[0].keys
    with gzip.open(OUT / "reference_words.jsonl.gz", "wt", encoding="utf-8", compresslevel=9) as handle:
        for word in words:
            row = [
                word,
                lm.vocab.get(word, -1),
                cmu.knows(word),
                find_one(keys1, word_hash(word)),
                spref.knows(word),
                mix.knows(word),
            ]
            handle.write(json.dumps(row, separators=(",", ":")) + "\n")
    print(f"{len(words)} words")

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "tiny.txt"
        source.write_text("\n".join(texts()[:6]), encoding="utf-8")
        build(source, OUT / "tiny.spref", jobs=1, name="tiny")
    print("tiny.spref", (OUT / "tiny.spref").stat().st_size, "bytes")


if __name__ == "__main__":
    main()
