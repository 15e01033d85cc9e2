"""Golden tokens: python make_tokens.py  ->  tokens.jsonl.gz

One line per text. Adversarial strings: {"name", "text", "tokens": [[start, end, kind, lower?],
...]} with *character* offsets, ``lower`` left out where it equals the token's text. Corpus texts
(read from the repository by the test): {"name", "count", "fnv"} where ``fnv`` is the FNV-1a 64
hash (hex) of the UTF-8 lines ``start,end,kind,lower`` (one per token, each ending in a newline):
all of corpus/eval and the seeds fit in a small file that way.
"""

import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from adversarial import strings  # noqa: E402
from corpus_texts import texts  # noqa: E402

from spindetect.tokens import tokenize  # noqa: E402


def encode(text):
    out = []
    for token in tokenize(text):
        row = [token.start, token.end, token.kind.value]
        if token.lower != token.text:
            row.append(token.lower)
        out.append(row)
    return out


def fnv(tokens):
    digest = 0xCBF29CE484222325
    for token in tokens:
        line = f"{token.start},{token.end},{token.kind.value},{token.lower}\n"
        for byte in line.encode("utf-8"):
            digest = ((digest ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{digest:016x}"


with gzip.open(Path(__file__).parent / "tokens.jsonl.gz", "wt", encoding="utf-8") as handle:
    for name, text in texts():
        tokens = tokenize(text)
        handle.write(json.dumps({"name": name, "count": len(tokens), "fnv": fnv(tokens)}) + "\n")
    for number, text in enumerate(strings()):
        handle.write(json.dumps({"name": f"adversarial:{number}", "text": text, "tokens": encode(text)}) + "\n")
