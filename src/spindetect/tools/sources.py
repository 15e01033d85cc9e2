"""Substitution sources for the yardstick's spinners: sources the detector does not use.

Each source answers one question: for the words at a place in a text (lower-case), which
phrases may a spinner write instead, and of what kind is each swap?  An :class:`Option`
carries the replacement with its source and kind, so every substitution of a simulated set
records where it came from.

* :class:`WordNetSource`: WordNet 3.0 synonyms, read from the data files of the Debian package
  ``wordnet-base`` (``/usr/share/wordnet``); licence: the WordNet 3.0 licence (Princeton).
* :class:`MyThesSource`: the LibreOffice English thesaurus (MyThes format, Debian package
  ``mythes-en-us``, ``/usr/share/mythes/th_en_US_v2.dat``); itself generated from WordNet, so
  the two are not independent: a set spun from one is fair only for a detector without both.
* :class:`GlossSource`: the hand-written gloss list ``glosses.tsv`` next to this module
  (function-word swaps, multi-word glosses, number words and digits, contractions, symbols).

Thesaurus sources look words up by lemma (``lemminflect``) and inflect each synonym back to the
observed form's tag ("rising" -> lemma "rise" -> "climb" -> "climbing"); a synonym that cannot
be inflected to that tag is dropped.  Kinds: ``word`` (one word for one), ``gloss`` (several
words for one), ``phrase`` (a multi-word original), ``function``, ``number``, ``contraction``,
``symbol`` (the gloss list's own labels).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Protocol

WORDNET_DIR = Path("/usr/share/wordnet")
MYTHES_FILE = Path("/usr/share/mythes/th_en_US_v2.dat")
GLOSSES_FILE = Path(__file__).with_name("glosses.tsv")
SENSES = 3  # senses (most frequent first) whose synonyms a thesaurus source offers
MAX_WORDS = 3  # longest original or replacement phrase taken from a thesaurus

# Words no thesaurus spinner swaps (articles, pronouns, auxiliaries...): the function-word
# swaps are the gloss list's job.  A short list of the commonest, written for this module.
_STOP_TEXT = """a an the and or but nor if then else of to in on at by for from with without
    about as
    into onto over under up down out off than that this these those there here it its it's he
    she they them their his her him we us our you your i me my mine who whom whose which what
    when where why how is are was were be been being am do does did done have has had having
    will would shall should can could may might must not no yes so too very also just only all
    any each every some such both either neither other another one ones own same more most
    less least many much few several lot lots"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

UPOS_OF_WORDNET = {"noun": "NOUN", "verb": "VERB", "adj": "ADJ", "adv": "ADV"}
UPOS_OF_MYTHES = {"(noun)": "NOUN", "(verb)": "VERB", "(adj)": "ADJ", "(adv)": "ADV"}


class SourceMissing(FileNotFoundError):
    """A source's data files are not installed (the message says which package has them)."""


class Option(NamedTuple):
    """A phrase a spinner may write, with the source that offers it and the kind of swap."""

    text: str
    source: str
    kind: str


class Source(Protocol):
    """Anything that offers options for a phrase of lower-case words."""

    name: str
    max_words: int

    def options(self, words: tuple[str, ...]) -> list[Option]: ...


def _kind(original: tuple[str, ...], replacement: str) -> str:
    if len(original) > 1:
        return "phrase"
    return "gloss" if " " in replacement else "word"


def _usable(phrase: str) -> bool:
    words = phrase.split()
    return 0 < len(words) <= MAX_WORDS and all(w.isalpha() and w.islower() for w in words)


@dataclass(frozen=True)
class _Synonyms:
    """lemma (words joined by spaces) -> upos -> synonyms in sense order (first senses first)."""

    table: dict[str, dict[str, tuple[str, ...]]]


class ThesaurusSource:
    """Options from a lemma -> synonyms table, re-inflected to the observed word's form."""

    def __init__(self, name: str, synonyms: _Synonyms) -> None:
        self.name = name
        self.max_words = MAX_WORDS
        self._table = synonyms.table

    def options(self, words: tuple[str, ...]) -> list[Option]:
        """Synonyms of the phrase; single words are looked up by lemma and re-inflected."""
        if len(words) > 1:
            by_pos = self._table.get(" ".join(words), {})
            found = {s for synonyms in by_pos.values() for s in synonyms}
            return [Option(s, self.name, "phrase") for s in sorted(found)]
        word = words[0]
        if word in STOP_WORDS or len(word) < 3 or not word.isalpha():
            return []
        found: set[str] = set()
        for upos, lemma, tag in _analyses(word):
            for synonym in self._table.get(lemma, {}).get(upos, ()):
                inflected = _inflect(synonym, upos, tag, lemma == word)
                if inflected and inflected != word:
                    found.add(inflected)
        return [Option(s, self.name, _kind(words, s)) for s in sorted(found)]


@lru_cache(maxsize=50_000)
def _analyses(word: str) -> tuple[tuple[str, str, str], ...]:
    """(upos, lemma, Penn tag) readings of a word form, by lemminflect."""
    from lemminflect import getAllInflections, getAllLemmas

    readings = []
    for upos, lemmas in sorted(getAllLemmas(word).items()):
        if upos not in ("NOUN", "VERB", "ADJ", "ADV"):
            continue
        for lemma in lemmas:
            for tag, forms in sorted(getAllInflections(lemma, upos).items()):
                if word in forms:
                    readings.append((upos, lemma, tag))
                    break
    return tuple(readings)


def _inflect(synonym: str, upos: str, tag: str, is_base: bool) -> str | None:
    """``synonym`` (a lemma, maybe several words) in the form ``tag``; the head word is
    inflected: the first of a verb phrase ("take part" -> "took part"), else the last."""
    from lemminflect import getInflection

    if tag in ("NN", "VB", "VBP", "JJ", "RB") and is_base:
        return synonym
    words = synonym.split()
    head = 0 if upos == "VERB" else len(words) - 1
    forms = getInflection(words[head], tag=tag)
    if not forms:
        return None
    words[head] = forms[0]
    return " ".join(words)


# -- WordNet ------------------------------------------------------------------------------------
def _clean_lemma(raw: str) -> str:
    """A WordNet lemma as text: underscores to spaces, adjective markers like "(a)" removed."""
    if raw.endswith(")") and "(" in raw:
        raw = raw[: raw.index("(")]
    return raw.replace("_", " ")


def wordnet_senses(
    directory: Path = WORDNET_DIR,
) -> Iterator[tuple[str, str, list[tuple[str, ...]]]]:
    """(lemma, upos, the lemmas of each of its synsets, most frequent sense first) for every
    entry of the WordNet index files in ``directory``."""
    if not (directory / "index.noun").is_file():
        raise SourceMissing(f"{directory}: no WordNet files (apt-get install wordnet-base)")
    for pos, upos in UPOS_OF_WORDNET.items():
        synsets = _wordnet_synsets(directory / f"data.{pos}")
        for line in (directory / f"index.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):
                continue
            fields = line.split()
            offsets = fields[6 + int(fields[3]) :]
            senses = [synsets.get(offset, ()) for offset in offsets]
            yield fields[0].replace("_", " "), upos, senses


@lru_cache(maxsize=1)
def wordnet_synonyms(directory: Path = WORDNET_DIR) -> _Synonyms:
    """lemma -> upos -> synonyms from the first :data:`SENSES` synsets of each lemma."""
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for lemma, upos, senses in wordnet_senses(directory):
        seen: dict[str, None] = {}
        for words in senses[:SENSES]:
            for word in words:
                if word.lower() != lemma and _usable(word):
                    seen.setdefault(word, None)
        if seen and _usable(lemma):
            table.setdefault(lemma, {})[upos] = tuple(seen)
    return _Synonyms(table)


def _wordnet_synsets(path: Path) -> dict[str, tuple[str, ...]]:
    """synset offset -> its lemmas, from a WordNet ``data.POS`` file."""
    synsets = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        fields = line.split()
        count = int(fields[3], 16)
        synsets[fields[0]] = tuple(_clean_lemma(fields[4 + 2 * i]) for i in range(count))
    return synsets


# -- MyThes -------------------------------------------------------------------------------------
def mythes_meanings(path: Path = MYTHES_FILE) -> Iterator[tuple[str, int, str, list[str]]]:
    """(head, meaning rank from 1, upos, terms) of each meaning of each lower-case head of a
    MyThes file; terms marked "(antonym)", "(generic term)" or "(related term)" are left out,
    "(similar term)" kept without its mark, and the head itself dropped."""
    if not path.is_file():
        raise SourceMissing(f"{path}: no MyThes thesaurus (apt-get install mythes-en-us)")
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    index = 1  # line 0 names the encoding
    while index < len(lines):
        head, _, count = lines[index].rpartition("|")
        index += 1
        meanings = lines[index : index + int(count)] if count.isdigit() else []
        index += len(meanings)
        lemma = head.lower()
        if lemma != head:  # proper names and abbreviations
            continue
        for number, meaning in enumerate(meanings, start=1):
            pos, *raw_terms = meaning.split("|")
            upos = UPOS_OF_MYTHES.get(pos)
            if upos is None:
                continue
            terms = []
            for term in raw_terms:
                if term.endswith(("(antonym)", "(generic term)", "(related term)")):
                    continue
                term = term.removesuffix(" (similar term)").strip()
                if term and term != lemma:
                    terms.append(term)
            yield lemma, number, upos, terms


@lru_cache(maxsize=1)
def mythes_synonyms(path: Path = MYTHES_FILE) -> _Synonyms:
    """lemma -> upos -> synonyms of its first :data:`SENSES` meanings (:func:`mythes_meanings`)."""
    found: dict[str, dict[str, dict[str, None]]] = {}
    for lemma, number, upos, terms in mythes_meanings(path):
        if number > SENSES or not _usable(lemma):
            continue
        for term in terms:
            if _usable(term):
                found.setdefault(lemma, {}).setdefault(upos, {}).setdefault(term, None)
    table = {
        lemma: {upos: tuple(terms) for upos, terms in by_pos.items()}
        for lemma, by_pos in found.items()
    }
    return _Synonyms(table)


# -- the gloss list -----------------------------------------------------------------------------
class GlossSource:
    """The hand-written list: exact phrases (lower-case words) -> replacements with their kind."""

    name = "glosses"

    def __init__(self, rows: Iterable[tuple[str, str, str]]) -> None:
        table: dict[tuple[str, ...], list[Option]] = {}
        for original, replacement, kind in rows:
            key = tuple(original.lower().split())
            table.setdefault(key, []).append(Option(replacement, self.name, kind))
        self._table = {key: sorted(set(options)) for key, options in table.items()}
        self.max_words = max((len(key) for key in self._table), default=1)

    def options(self, words: tuple[str, ...]) -> list[Option]:
        """The list's replacements for exactly these words."""
        return self._table.get(words, [])

    def pairs(self) -> list[tuple[str, str, str]]:
        """(original, replacement, kind) of every entry."""
        return [
            (" ".join(k), o.text, o.kind) for k, options in self._table.items() for o in options
        ]


def read_glosses(path: Path = GLOSSES_FILE) -> list[tuple[str, str, str]]:
    """(original, replacement, kind) rows of a gloss TSV (``#`` comments; a 4th column is a
    note)."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if not row or row[0].startswith("#"):
                continue
            if len(row) < 3 or not row[0].strip() or not row[1].strip():
                raise ValueError(f"{path}:{number}: expected original, replacement, kind")
            rows.append((row[0].strip(), row[1].strip(), row[2].strip()))
    return rows


SOURCE_NAMES = ("wordnet", "mythes", "glosses")


def load_source(name: str) -> Source:
    """One source by name (:data:`SOURCE_NAMES`)."""
    if name == "wordnet":
        return ThesaurusSource("wordnet", wordnet_synonyms())
    if name == "mythes":
        return ThesaurusSource("mythes", mythes_synonyms())
    if name == "glosses":
        return GlossSource(read_glosses())
    raise ValueError(f"unknown source {name!r}; choose from {', '.join(SOURCE_NAMES)}")
