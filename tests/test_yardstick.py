"""The yardstick: labelled spinners, the fixed news and tortured sets, per-source figures."""

import json
from pathlib import Path

import pytest

from fakes import phrase_scanner
from spindetect.tokens import tokenize
from spindetect.tools.evaluate import Pair, evaluate, read_pairs
from spindetect.tools.sources import (
    MYTHES_FILE,
    WORDNET_DIR,
    GlossSource,
    load_source,
    read_glosses,
)
from spindetect.tools.spinner import spin_labelled
from spindetect.tools.yardstick import measure, merge

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "corpus" / "eval"
NEWS_SETS = {
    name: EVAL / f"news-{name}.jsonl" for name in ("wordnet", "mythes", "glosses", "mixed")
}
ARTICLES = sorted((ROOT / "corpus" / "news").glob("*.txt"))
needs_wordnet = pytest.mark.skipif(
    not (WORDNET_DIR / "index.noun").is_file() or not MYTHES_FILE.is_file(),
    reason="apt-get install wordnet-base mythes-en-us",
)


def _records(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_clean_news_is_thirty_articles_of_several_hundred_words():
    assert len(ARTICLES) == 30
    for path in ARTICLES:
        words = len(path.read_text(encoding="utf-8").split())
        assert 300 <= words <= 700, (path.name, words)


def test_glosses_spinner_is_reproducible_and_its_ground_truth_exact():
    glosses = GlossSource(read_glosses())
    for number, path in enumerate(ARTICLES[:10]):
        text = path.read_text(encoding="utf-8")
        spun = spin_labelled(text, [glosses], rate=0.6, seed=number)
        assert spun == spin_labelled(text, [glosses], rate=0.6, seed=number)
        assert spun.text != text and spun.restore() == text
        for item in spun.substitutions:
            assert spun.text[item.start : item.end] == item.spun
            assert item.source == "glosses"
    text = ARTICLES[0].read_text(encoding="utf-8")
    assert spin_labelled(text, [glosses], rate=0.6, seed=1).text != (
        spin_labelled(text, [glosses], rate=0.6, seed=2).text
    )


def test_a_consistent_spinner_swaps_a_phrase_the_same_way_every_time():
    glosses = GlossSource(read_glosses())
    text = "\n\n".join(path.read_text(encoding="utf-8") for path in ARTICLES[:8])
    spun = spin_labelled(text, [glosses], rate=0.5, seed=4, consistent=True)
    fates: dict[str, set[str]] = {}
    for item in spun.substitutions:
        fates.setdefault(item.original.lower(), set()).add(item.spun.lower())
    assert all(len(spuns) == 1 for spuns in fates.values()), fates
    originals = [item.original.lower() for item in spun.substitutions]
    assert any(originals.count(word) > 2 for word in fates)


def test_gloss_list_is_its_own_not_the_phrasebook_and_names_its_kinds():
    from spindetect.phrasebook import default_phrasebook

    pairs = GlossSource(read_glosses()).pairs()
    kinds = {kind for _, _, kind in pairs}
    assert kinds == {"function", "gloss", "word", "number", "symbol", "contraction"}
    phrasebook = {
        (entry.original.lower(), entry.spun.lower()) for entry in default_phrasebook().entries
    }
    assert not [(o, s) for o, s, _ in pairs if (o.lower(), s.lower()) in phrasebook]
    glossed = dict((o, s) for o, s, _ in pairs)
    assert glossed["several"] in ("a number of", "various")


@pytest.mark.slow
@needs_wordnet
def test_thesaurus_sources_reinflect_and_label_each_option():
    wordnet, mythes = load_source("wordnet"), load_source("mythes")
    rising = {option.text for option in wordnet.options(("rising",))}
    assert "climbing" in rising  # rise -> climb, back in the -ing form
    for source in (wordnet, mythes):
        said = source.options(("said",))
        assert "stated" in {option.text for option in said}
        assert all(option.source == source.name for option in said)
        assert {option.kind for option in source.options(("countries",))} >= {"word"}
        assert source.options(("the",)) == []  # function words are the gloss list's job


@needs_wordnet
def test_mixed_spinner_records_the_source_that_made_each_swap():
    sources = [load_source(name) for name in ("wordnet", "glosses")]
    text = ARTICLES[3].read_text(encoding="utf-8")
    spun = spin_labelled(text, sources, rate=0.5, seed=9)
    assert spun == spin_labelled(text, sources, rate=0.5, seed=9)
    assert spun.restore() == text
    by_name = {source.name: source for source in sources}
    for item in spun.substitutions:
        key = tuple(token.lower for token in tokenize(item.original) if token.kind != "other")
        offered = {option.text.lower() for option in by_name[item.source].options(key)}
        assert item.spun.lower() in offered, item
    assert {item.source for item in spun.substitutions} == {"wordnet", "glosses"}


@pytest.mark.parametrize("name", sorted(NEWS_SETS))
def test_fixed_news_sets_hold_their_ground_truth(name):
    records = _records(NEWS_SETS[name])
    assert sum(r["kind"] == "article" for r in records) == 30
    assert sum(r["kind"] == "paragraph" for r in records) == 100
    sources = {"mixed": {"wordnet", "mythes", "glosses"}}.get(name, {name})
    seen = set()
    for record in records:
        assert record["set"] == f"news-{name}"
        assert set(record["exclude_sources"]) >= sources
        pieces, cursor = [], 0
        for start, end, spun, original, source, kind, known in record["substitutions"]:
            assert record["spun"][start:end] == spun
            assert source in sources and kind and isinstance(known, list)
            seen.add(source)
            pieces += [record["spun"][cursor:start], original]
            cursor = end
        assert "".join([*pieces, record["spun"][cursor:]]) == record["original"]
    assert seen == sources


@needs_wordnet
def test_fixed_sets_are_what_the_script_makes(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_news_set", ROOT / "scripts" / "make_news_set.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "EVAL", tmp_path)
    module.write_news_set("glosses", 17)
    module.write_tortured_set()
    for name in ("news-glosses.jsonl", "tortured.jsonl"):
        assert (tmp_path / name).read_bytes() == (EVAL / name).read_bytes()


def test_tortured_set_has_sixty_phrases_and_sixty_controls():
    records = _records(EVAL / "tortured.jsonl")
    tortured = [r for r in records if r["kind"] == "tortured"]
    controls = [r for r in records if r["kind"] == "control"]
    assert len(tortured) == 60 and len(controls) == 60
    for record in tortured:
        ((start, end, spun, original, source, kind, _),) = record["substitutions"]
        assert record["spun"][start:end] == spun and source == kind == "tortured"
        assert record["spun"].replace(spun, original, 1) == record["original"]
    assert all(r["spun"] == r["original"] and not r["substitutions"] for r in controls)


def test_eval_reports_per_source_kind_and_document(tmp_path):
    original = "But the police said the two countries met."
    spun = "However the law enforcement stated the 2 countries met."
    subs = [
        [0, 7, "However", "But", "glosses", "function", []],
        [12, 27, "law enforcement", "police", "glosses", "gloss", []],
        [28, 34, "stated", "said", "wordnet", "word", ["moby"]],
        [39, 40, "2", "two", "glosses", "number", []],
    ]
    record = {"name": "x", "kind": "paragraph", "spun": spun, "original": original}
    record |= {"substitutions": subs, "exclude_sources": ["glosses"]}
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (pair,) = read_pairs(path)
    assert pair.kind == "paragraph" and pair.exclude_sources == ("glosses",)
    scanner = phrase_scanner([("law enforcement", "police"), ("stated the", "told the")])
    metrics = evaluate([pair], scanner)
    by_kind = metrics.breakdown("kind")
    assert by_kind["gloss"]["run_recall"] == 1.0 and by_kind["gloss"]["recovery"] == 1.0
    assert by_kind["word"]["run_recall"] == 1.0 and by_kind["word"]["recovery"] == 0.0
    assert by_kind["function"]["run_recall"] == 0.0
    by_source = metrics.breakdown("source")
    assert by_source["glosses"]["substitutions"] == 3 and by_source["glosses"]["found"] == 1
    assert metrics.breakdown("known")["moby"]["found"] == 1
    summary = metrics.summary()
    assert summary["exclude_sources"] == ["glosses"]
    assert "documents" not in summary
    (document,) = metrics.summary(documents=True)["documents"]
    assert document["spun_verdict"] == "spun" and document["original_verdict"] == "clean"
    assert any(line.startswith("kind=gloss") for line in metrics.breakdown_lines())
    # Kinds measured apart and merged give the figures of the whole.
    results = measure([pair, Pair("y", original, original, kind="control")], scanner)
    assert set(results) == {"all", "kind=paragraph", "kind=control"}
    assert results["all"].pairs == 2 and results["all"].groups["kind=gloss"].found == 1
    assert merge([results["kind=paragraph"]]).summary() == results["kind=paragraph"].summary()


def test_held_out_records_without_sources_give_no_breakdown():
    pair = next(read_pairs(EVAL / "heldout.jsonl"))
    assert pair.substitutions == () and pair.kind == "paragraph"
