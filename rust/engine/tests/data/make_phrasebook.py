"""Golden phrasebook matching, fingerprint queries and spintax: python make_phrasebook.py
->  phrasebook.json.gz

{"entries": bundled phrasebook.tsv entries [spun, original, mode, note, source],
 "queries": [{"text", "canonical"} or {"text", "error"}],
 "query_entries": [[query text, expected]] (each parsed with the query and the expected text),
 "texts": {name: text} for texts that are not corpus texts,
 "names": names of the corpus texts covered (the corpus may grow after the file was made),
 "plain": {text name: [[first, last, entry]]} with the bundled entries alone,
 "merged": {text name: [[first, last, entry, original, note]]} with the query entries first
   (entry -1 where the match carries a rewritten copy of its entry: flagged, not rewritten),
 "hits": {text name: [[query entry, first, last, exact]]} per query entry that is true,
 "spintax": {text name: [[start, end, choice]]} (character offsets)}; empty results left out.
"""

import gzip
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from adversarial import strings  # noqa: E402
from corpus_texts import texts  # noqa: E402

from spindetect.data import data_path  # noqa: E402
from spindetect.fingerprints import DocumentIndex, QueryError, parse  # noqa: E402
from spindetect.phrasebook import Entry, Phrasebook, parse_entries, spintax_matches  # noqa: E402
from spindetect.tokens import Kind, tokenize  # noqa: E402

HAND = [
    '"profound learning"', "profound learning", '"profound learning" AND "deep learning"',
    '"neural organization" AND "neural network"', '"surface highlights" NOT specular',
    '"surface highlights" AND NOT specular', '"exactness accuracy"~3', '"exactness accuracy"~1',
    '("profound learning" OR "profound neural organization") AND training', '"a b" AND "c"',
    '"a b" NOT "c" NOT "d"', '("a" OR "b") AND "c"', '"a" OR ("b" AND "c")', '"x y"~4',
    '"counterfeit consciousness"', '"bolster vector machine" AND classifier',
    '"colossal information" NOT colossus', '"choice tree" AND "irregular timberland"',
    "irregular timberland", '"flag to clamor"', '"well-known"~2', '"don\'t stop"~1',
    # errors, and the corners of the lexer
    '"profound learning', '"a" AND', '"a" AND )', '("a" OR "b"', "learning~2", '"a b"~', '"  "',
    '"a"~\xb2', '"a b"~\u0663', '"a b"~007', '"a b"~99999999999999999999999', "(", ")", "AND",
    '"a" OR OR "b"', '"a" "b"', '"it\'s" )', '"tab\there" )', '"nb\xa0sp" x ) ', "a~", "~",
    '"a" AND NOT', '"a" NOT NOT "b"', '(("a"))', '"a"~1 OR b c d', "\u201cquoted\u201d words",
    '"x" "it\'s"', '"x" "t\tb"', '"x" "n\xa0b\\\\"', '"x" "\U0001d7ce\u200b"', '"- -"', '"."', '"a - b"~2', 'x AND (y OR (z NOT w))', '"\u2019"', '"e\u0301t\xe9"',
]
KNOWN = [
    ("profound learning", "deep learning"), ('"counterfeit consciousness"', "artificial intelligence"),
    ("irregular timberland", "random forest"), ('"flag to clamor"', "signal to noise"),
    ('"bolster vector machine" AND classifier', "support vector machine"),
    ('"colossal information" NOT colossus', "big data"),
    ('"choice tree" AND "irregular timberland"', "decision tree"),
]
EXTRA_TEXTS = {
    "tortured": "Counterfeit consciousness is changing how hospitals read medical scans. We propose a "
    "profound learning pipeline that feeds colossal information from imaging archives to an "
    "irregular timberland, and we compare it with a bolster vector machine classifier and a "
    "single choice tree. Because the flag to clamor ratio of older scans is low, every image "
    "is filtered first.",
    "conditions": "A bolster vector machine and a choice tree ran on colossal information from the "
    "Colossus archive, tuned with profound learning.",
    "proximity": "The exactness of the accuracy figures was checked; accuracy exactness; its "
    "exactness accuracy is high. A profound neural organization needs training.",
    "spintax": "We {big|large|huge} data {hardware}. and {'page': 2} or \"{message}\" or "
    "module.{version}.pyc {a|} {|b} { x }\n{ab}) {1|2} {x|{y}} {caf\xe9|th\xe9}.",
}
for number, text in enumerate(strings(150, 4321)):
    EXTRA_TEXTS[f"adversarial:{number}"] = text

rng = random.Random(5)
corpus = texts()
generated = []
for _ in range(60):
    _, text = rng.choice(corpus)
    words = [t.text for t in tokenize(text) if t.kind is Kind.WORD]
    if len(words) < 12:
        continue
    i = rng.randrange(len(words) - 8)
    w = words[i : i + 8]
    generated += [
        f'"{w[0]} {w[1]}"', f'"{w[0]} {w[2]}"~{rng.randrange(0, 4)}', f'"{w[2]} {w[0]}"~{rng.randrange(1, 5)}',
        f'"{w[0]} {w[1]} {w[3]}"~{rng.randrange(0, 6)}', f'"{w[1]} {w[2]}" AND {w[6]}',
        f'"{w[1]} {w[2]}" NOT {w[7]}', f'("{w[0]} {w[1]}" OR "{w[4]} {w[5]}") AND "{w[6]}"',
    ]
queries, query_entries = [], []
for text in HAND + generated:
    try:
        query = parse(text)
    except (QueryError, ValueError) as error:
        queries.append({"text": text, "error": str(error)})
        continue
    queries.append({"text": text, "canonical": str(query)})
    query_entries.append([text, "" if len(query_entries) % 3 == 2 else "expected"])
query_entries += [list(pair) for pair in KNOWN]

tsv = data_path("phrasebook.tsv")
bundled = parse_entries(tsv.read_text(encoding="utf-8"), str(tsv))
user = []
for text, expected in query_entries:
    query = parse(text)
    user.append(Entry(str(query), expected, "always", "n", "pps", query))
plain_book, merged_book = Phrasebook(bundled), Phrasebook(bundled).merged(Phrasebook(user))
index_of = {id(entry): index for index, entry in enumerate(merged_book.entries)}

golden = {
    "entries": [[e.spun, e.original, e.mode, e.note, e.source] for e in bundled],
    "queries": queries,
    "query_entries": query_entries,
    "texts": EXTRA_TEXTS,
    "names": [name for name, _ in corpus],
    "plain": {}, "merged": {}, "hits": {}, "spintax": {},
}
for name, text in corpus + list(EXTRA_TEXTS.items()):
    tokens = tokenize(text)
    plain = [[m.first, m.last, bundled.index(m.entry)] for m in plain_book.matches(tokens)]
    merged = [
        [m.first, m.last, index_of.get(id(m.entry), -1), m.entry.original, m.entry.note]
        for m in merged_book.matches(tokens)
    ]
    document = DocumentIndex(tokens)
    hits = [[k, *hit] for k, entry in enumerate(user) for hit in entry.query.hits(document)]
    spintax = [list(m) for m in spintax_matches(text)]
    for key, value in (("plain", plain), ("merged", merged), ("hits", hits), ("spintax", spintax)):
        if value:
            golden[key][name] = value
with gzip.open(Path(__file__).parent / "phrasebook.json.gz", "wt", encoding="utf-8") as handle:
    json.dump(golden, handle)
print({k: len(v) for k, v in golden.items()}, len(user))
