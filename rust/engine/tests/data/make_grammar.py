"""Golden grammar helpers: python make_grammar.py  ->  grammar.jsonl.gz

Lines {"fn": "article_for"|"match_case"|"transfer_case", "args": [...], "out": ...} over words
and phrases of the corpus texts and the adversarial pieces.
"""

import gzip
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from adversarial import PIECES, strings  # noqa: E402
from corpus_texts import texts  # noqa: E402

from spindetect.grammar import article_for, match_case, transfer_case  # noqa: E402

rng = random.Random(99)
words = sorted({w for _, text in texts()[:120] for w in text.split()})
words = rng.sample(words, 600) + PIECES + ["", "hour", "Honest", "UNIVERSITY", "euro", "x", "MRI"]
phrases = [" ".join(rng.sample(words, rng.randrange(1, 4))) for _ in range(400)] + strings(100, 7)
phrases += ["Chilly Warfare", "PROTECTION", "Protection chief", "", " ", "A B", "a  b", "ǅx Y"]
with gzip.open(Path(__file__).parent / "grammar.jsonl.gz", "wt", encoding="utf-8") as handle:
    for word in words:
        handle.write(json.dumps({"fn": "article_for", "args": [word], "out": article_for(word)}) + "\n")
    for _ in range(1500):
        pattern, word = rng.choice(words + phrases), rng.choice(words)
        handle.write(json.dumps({"fn": "match_case", "args": [pattern, word], "out": match_case(pattern, word)}) + "\n")
        observed, replacement = rng.choice(phrases), rng.choice(phrases)
        out = transfer_case(observed, replacement)
        handle.write(json.dumps({"fn": "transfer_case", "args": [observed, replacement], "out": out}) + "\n")
