"""User-built n-gram references: counting, the estimate, the file format, and their use in
scans and the CLI.  The compiled core's reader is tested in ``rust/engine/tests``
(``reference_parity.rs``: queries equal to the Python reader's on a real model, the mixture;
``reference_files.rs``: damaged files); here the builder's estimate is read back through
:func:`spindetect.reference.ngram.score`, the backoff the builder itself uses."""

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import spindetect
from spindetect.api import get_detector
from spindetect.cli import app
from spindetect.jsonl import JsonlError
from spindetect.reference import ModelError, reference_provenance
from spindetect.reference.build import BuildError, build
from spindetect.reference.ngram import MAGIC, Level, find_one, score, word_hash

TEXTS = [
    "A random forest is an ensemble of decision trees. Each decision tree sees a sample.",
    "The random forest averages the trees; averaging lowers the variance of the forest.",
    "Gradient boosting builds decision trees one after another, 3 trees at a time.",
    "A decision tree splits the data set on one feature at a time.",
]


class Model:
    """A built model read back with the format's arrays and the builder's backoff."""

    def __init__(self, path: Path) -> None:
        self.path = path
        data = path.read_bytes()
        assert data[:8] == MAGIC
        size = int.from_bytes(data[8:16], "little")
        self.header = json.loads(data[16 : 16 + size])

        def array(name: str) -> np.ndarray:
            offset, count, dtype = self.header["arrays"][name]
            return np.frombuffer(data, dtype, count, offset)

        top = self.header["order"]
        self.levels = [
            Level(
                array(f"keys{n}"), array(f"logprob{n}"), array(f"backoff{n}") if n < top else None
            )
            for n in range(1, top + 1)
        ]

    def logprob(self, word: str, history: tuple[str, ...]) -> float:
        """log10 P(word | the last two words of history)."""
        row = [word_hash(w) for w in (*history[-2:], word)]
        grid = np.array([row], dtype=np.uint64)
        return float(score(self.levels, grid, self.header["unknown_logprob"])[0])

    def knows(self, word: str) -> bool:
        return find_one(self.levels[0].keys, word_hash(word)) >= 0


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
    return Model(path)


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
    assert model.knows("forest") and not model.knows("zebra")


def test_the_core_reads_the_model_into_its_reference(model):
    """A scan with the model mixes it in: the thesaurus statistics of a text move."""
    text = "The minister met officials of both countries and discussed a trade deal at length."
    alone = get_detector().core.statistics(text)
    mixed = get_detector(references=(str(model.path),)).core.statistics(text)
    assert alone and alone != mixed


def test_pruning_drops_rare_words(corpus, tmp_path):
    path = tmp_path / "pruned.spref"
    header, stats = build(corpus, path, min_count=2, jobs=1)
    pruned = Model(path)
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
    with pytest.raises(JsonlError, match=r"bad.jsonl:2: bad JSON \(Expecting property name"):
        build(bad, tmp_path / "b.spref", jobs=1)
    with pytest.raises(BuildError, match="no such file"):
        build(tmp_path / "missing", tmp_path / "m.spref", jobs=1)


def test_damaged_model_is_a_clear_error(tmp_path):
    path = tmp_path / "not-a-model.spref"
    path.write_bytes(b"hello world, not a model")
    with pytest.raises(ModelError, match="not a spindetect reference model"):
        reference_provenance(path)
    with pytest.raises(ModelError, match="not a spindetect reference model"):
        spindetect.scan("Some text.", references=[path])


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
