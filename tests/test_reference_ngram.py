"""User-built n-gram references: counting, the file format, backoff, mixture, and the CLI."""

import hashlib
import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

import spindetect
from spindetect.cli import app
from spindetect.reference import default_reference
from spindetect.reference.build import BuildError, build
from spindetect.reference.ngram import (
    MAGIC,
    MixtureReference,
    ModelError,
    NgramReference,
    word_hash,
)

TEXTS = [
    "A random forest is an ensemble of decision trees. Each decision tree sees a sample.",
    "The random forest averages the trees; averaging lowers the variance of the forest.",
    "Gradient boosting builds decision trees one after another, 3 trees at a time.",
    "A decision tree splits the data set on one feature at a time.",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for number, text in enumerate(TEXTS):
        (folder / f"{number}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def model(corpus, tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "trees.spref"
    build(corpus, path, min_count=1, jobs=1)
    return NgramReference(path)


def _vocabulary():
    words = {w for text in TEXTS for w in spindetect.tokens.words(text)}
    return sorted(words | {"</s>"})


def test_every_conditional_distribution_sums_to_one(model):
    vocabulary = _vocabulary()
    for history in [(), ("the",), ("<s>", "a"), ("random", "forest"), ("decision", "tree")]:
        total = sum(10 ** model.logprob(word, history) for word in vocabulary)
        unseen = 10 ** model.logprob("zebra", history)  # the left-over mass (no type pruned)
        assert total + unseen == pytest.approx(1.0, abs=1e-5), history


def test_observed_continuations_beat_backoff(model):
    assert model.logprob("forest", ("a", "random")) > model.logprob("forest", ("the", "data"))
    assert model.logprob("tree", ("a", "decision")) > model.logprob("tree", ())
    assert model.knows("forest") and not model.knows("zebra") and not model.knows("<s>")


@pytest.mark.parametrize("dict_limit", [0, 10**9])  # binary search in the map, or a dict
def test_batch_queries_equal_single_queries(corpus, tmp_path, monkeypatch, dict_limit):
    monkeypatch.setattr("spindetect.reference.ngram.DICT_LIMIT", dict_limit)
    path = tmp_path / "m.spref"
    build(corpus, path, min_count=1, jobs=1)
    model = NgramReference(path)
    queries = [
        ("forest", ("a", "random")),
        ("trees", ("of", "decision")),
        ("set", ("data",)),
        ("zebra", ("the",)),
        ("the", ("<s>",)),
        ("sample", ()),
    ]
    batch = model.logprob_many(queries)
    assert [round(float(v), 6) for v in batch] == [
        round(model.logprob(word, history), 6) for word, history in queries
    ]


def test_pruning_drops_rare_words(corpus, tmp_path):
    path = tmp_path / "pruned.spref"
    header, stats = build(corpus, path, min_count=2, jobs=1)
    pruned = NgramReference(path)
    assert pruned.knows("forest") and pruned.knows("decision")
    assert not pruned.knows("ensemble")  # seen once
    assert stats.kept[0] < stats.seen[0] and stats.kept[2] < stats.seen[2]
    assert header["tokens"] == sum(len(spindetect.tokens.words(t)) for t in TEXTS)


def test_two_workers_write_the_same_model(corpus, tmp_path):
    one, two = tmp_path / "one.spref", tmp_path / "two.spref"
    build(corpus, one, min_count=1, jobs=1, name="trees")
    build(corpus, two, min_count=1, jobs=2, name="trees")
    assert one.read_bytes() == two.read_bytes()


def test_file_format_is_documented_and_stable(model):
    data = model.path.read_bytes()
    assert data[:8] == MAGIC
    header = json.loads(data[16 : 16 + int.from_bytes(data[8:16], "little")])
    assert header["order"] == 3 and set(header["arrays"]) == {
        "keys1", "logprob1", "backoff1", "keys2", "logprob2", "backoff2", "keys3", "logprob3",
    }  # fmt: skip
    for offset, count, dtype in header["arrays"].values():
        assert offset % 64 == 0 and count > 0 and dtype in ("<u8", "<f4")
    keys = np.frombuffer(data, "<u8", header["arrays"]["keys1"][1], header["arrays"]["keys1"][0])
    assert np.all(keys[1:] > keys[:-1])  # sorted, distinct
    assert word_hash("the") == int.from_bytes(
        hashlib.blake2b(b"the", digest_size=8).digest(), "little"
    )
    assert header["source"]["sha256"]


def test_jsonl_input_and_its_errors(tmp_path):
    good = tmp_path / "abstracts.jsonl"
    good.write_text("\n".join(json.dumps({"text": t}) for t in TEXTS) + "\n")
    _, stats = build(good, tmp_path / "j.spref", min_count=1, jobs=1)
    assert stats.documents == len(TEXTS)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": TEXTS[0]}) + "\n{oops\n")
    with pytest.raises(BuildError, match=r"bad.jsonl:2: not JSON"):
        build(bad, tmp_path / "b.spref", jobs=1)
    with pytest.raises(BuildError, match="no such file"):
        build(tmp_path / "missing", tmp_path / "m.spref", jobs=1)


def test_damaged_model_is_a_clear_error(tmp_path):
    path = tmp_path / "not-a-model.spref"
    path.write_bytes(b"hello world, not a model")
    with pytest.raises(ModelError, match="not a spindetect reference model"):
        NgramReference(path)


def test_mixture_is_a_weighted_sum_of_probabilities(model):
    default = default_reference()
    mixture = MixtureReference([default, model], [0.5, 0.5])
    for word, history in [("forest", ("a", "random")), ("the", ()), ("ensemble", ("an",))]:
        expected = math.log10(
            0.5 * 10 ** default.logprob(word, history) + 0.5 * 10 ** model.logprob(word, history)
        )
        assert mixture.logprob(word, history) == pytest.approx(expected, abs=1e-9)
    queries = [("forest", ("a", "random")), ("the", ()), ("trees", ("decision",))]
    assert [round(v, 9) for v in mixture.logprob_many(queries).tolist()] == [
        round(mixture.logprob(w, h), 9) for w, h in queries
    ]
    assert mixture.knows("forest") and mixture.knows("parliament")
    assert not mixture.knows("xqzvw")


def test_scan_with_a_reference_records_it(model):
    report = spindetect.scan("A random forest is an ensemble of trees.", references=[model.path])
    assert report.meta["references"][0]["path"] == str(model.path)
    assert report.meta["references"][0]["sha256"] == model.header["sha256_of_arrays"]


def test_cli_build_then_scan_and_clean_with_reference(corpus, tmp_path):
    runner = CliRunner()
    path = tmp_path / "cli.spref"
    built = runner.invoke(app, ["reference", "build", str(corpus), "-o", str(path)])
    assert built.exit_code == 0, built.output
    assert "4 documents" in built.output and "3-grams" in built.output
    document = tmp_path / "doc.txt"
    document.write_text(TEXTS[0], encoding="utf-8")
    scanned = runner.invoke(
        app, ["scan", "--reference", str(path), "--format", "json", str(document)]
    )
    record = json.loads(scanned.output)["files"][0]
    assert record["references"][0]["path"] == str(path)
    cleaned = runner.invoke(app, ["clean", "--reference", str(path), str(document)])
    assert cleaned.exit_code == 0 and cleaned.output == TEXTS[0]


def test_cli_bad_model_is_one_line_and_exit_2(tmp_path):
    document = tmp_path / "doc.txt"
    document.write_text(TEXTS[0], encoding="utf-8")
    bogus = tmp_path / "bogus.spref"
    bogus.write_bytes(b"nothing")
    result = CliRunner().invoke(app, ["scan", "--reference", str(bogus), str(document)])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"spindetect: error: {bogus}: not a spindetect reference model"
    )


def test_scalar_and_array_keys_agree():
    from spindetect.reference.ngram import ngram_key, ngram_keys

    hashes = [word_hash(w) for w in ("<s>", "random", "forest", "zebra")]
    for n in (1, 2, 3, 4):
        columns = [np.array([h], dtype=np.uint64) for h in hashes[:n]]
        assert int(ngram_keys(*columns)[0]) == ngram_key(hashes[:n])


def test_cli_build_errors_are_one_line(corpus, tmp_path):
    runner = CliRunner()
    missing = runner.invoke(app, ["reference", "build", str(tmp_path / "nope"), "-o", "x"])
    assert missing.exit_code == 2
    assert (
        missing.output.strip()
        == f"spindetect: error: {tmp_path / 'nope'}: no such file or directory"
    )
    target = tmp_path / "no-such-dir" / "m.spref"
    unwritable = runner.invoke(app, ["reference", "build", str(corpus), "-o", str(target)])
    assert unwritable.exit_code == 2
    assert unwritable.output.strip() == (
        f"spindetect: error: {target}: cannot write: No such file or directory"
    )
