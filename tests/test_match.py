"""Source matching: the index, the ranking on real spun text, and the ``match`` command."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CLEAN_SEEDS, FIXTURES, SPUN_SEED
from spindetect.inputs import InputError
from spindetect.tools.match import (
    explained_shares,
    find_sources,
    format_text,
    load_index,
    restored_text,
)
from spindetect.tools.sourceindex import SourceIndex, word_list

DEV = Path(__file__).resolve().parents[1] / "corpus" / "eval" / "dev.jsonl"
ORIGINAL = FIXTURES / "pairs" / "002.orig.txt"


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "spindetect", *map(str, args)], capture_output=True, timeout=300
    )


@pytest.fixture(scope="module")
def dev_pairs():
    with DEV.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


@pytest.fixture(scope="module")
def dev_index(dev_pairs):
    return SourceIndex.build((record["name"], record["original"]) for record in dev_pairs)


@pytest.mark.slow
def test_every_spun_copy_finds_its_source(dev_pairs, dev_index):
    """80 documentation texts spun at 5-60%: each copy's own original ranks first.

    (The set holds some originals twice under two names; either one is the right answer.)
    """
    originals = {record["name"]: record["original"] for record in dev_pairs}
    wrong = []
    for record in dev_pairs:
        result = find_sources("q", record["spun"], dev_index, top=3)
        if originals[result.matches[0].id] != record["original"]:
            wrong.append((record["name"], result.matches[0].id))
    assert not wrong


def test_restoration_brings_copies_closer_to_their_sources(dev_pairs, dev_index):
    changes = []
    for record in dev_pairs:
        restored, count = restored_text(record["spun"])
        if count == 0:
            continue
        truth = dev_pairs.index(record)
        before, after = dev_index.scores(record["spun"]), dev_index.scores(restored)
        changes.append(after[truth] - before[truth])
    assert len(changes) >= 20
    # At the match threshold (0.5, chosen for top-1 accuracy) some restorations are wrong
    # synonyms: measured 52 closer, 18 farther (mean +0.045); at 0.9 it is 55 to 5.
    assert sum(change > 0 for change in changes) > 2 * sum(change < 0 for change in changes)
    assert sum(changes) / len(changes) > 0.005


def test_explained_share_separates_the_source_from_other_text(dev_pairs):
    record = max(dev_pairs, key=lambda r: len(r["substitutions"]))
    spun = word_list(record["spun"])
    copied, explained = explained_shares(spun, word_list(record["original"]))
    assert 0.3 < copied < explained <= 1.0
    assert explained > 0.8
    other = next(r for r in dev_pairs if r["kind"] == record["kind"] and r is not record)
    _, unrelated = explained_shares(spun, word_list(other["original"]))
    assert unrelated < 0.25 < explained - unrelated


def test_the_spun_seed_finds_its_hand_restored_original():
    candidates = [(path.name, path.read_text(encoding="utf-8")) for path in CLEAN_SEEDS]
    candidates.append(("original", ORIGINAL.read_text(encoding="utf-8")))
    index = SourceIndex.build(candidates)
    result = find_sources("spun", SPUN_SEED.read_text(encoding="utf-8"), index, top=5)
    assert result.restored > 10
    best, runner_up = result.matches[0], result.matches[1]
    assert best.id == "original" and best.explained > 0.7 and runner_up.explained < 0.1
    assert best.score > 2 * runner_up.score


def test_identical_candidates_tie_in_index_order():
    text = ORIGINAL.read_text(encoding="utf-8")
    candidates = [(path.name, path.read_text(encoding="utf-8")) for path in CLEAN_SEEDS[:2]]
    candidates[1:1] = [("copy-b", text), ("copy-a", text)]
    index = SourceIndex.build(candidates)
    result = find_sources("spun", SPUN_SEED.read_text(encoding="utf-8"), index, top=3)
    first, second, third = result.matches
    assert (first.id, second.id) == ("copy-b", "copy-a")  # equal: kept in the order indexed
    assert first.score == second.score and first.explained == second.explained
    assert third.score < first.score / 2


def test_empty_index_finds_nothing():
    index = SourceIndex.build([])
    assert len(index) == 0 and index.search("anything at all", 5) == []
    result = find_sources("doc.txt", "Some text to look up.", index, restore=False)
    assert result.matches == ()
    assert format_text(result) == "doc.txt: no candidate shares a word with it (0 phrases restored)"


def test_a_query_sharing_no_word_matches_nothing():
    index = SourceIndex.build([("a", "Alpha beta gamma."), ("b", "Delta epsilon.")])
    assert index.search("zeta eta theta", 5) == []
    assert sorted(number for number, _ in index.search("gamma delta", 5)) == [0, 1]


def test_saved_index_answers_the_same(tmp_path, dev_pairs, dev_index):
    path = tmp_path / "index.npz"
    dev_index.save(path)
    loaded, problems = load_index(str(path))
    assert problems == [] and loaded.ids == dev_index.ids and loaded.texts == dev_index.texts
    query = dev_pairs[3]["spun"]
    assert loaded.search(query, 5) == dev_index.search(query, 5)


def test_a_damaged_index_is_an_input_error(tmp_path):
    path = tmp_path / "index.npz"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a spindetect index"):
        load_index(str(path))


# The command line.


@pytest.mark.slow
def test_match_command_text_and_json(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    for path in CLEAN_SEEDS:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "original.txt").write_bytes(ORIGINAL.read_bytes())
    result = run("match", SPUN_SEED, "--against", folder, "--top", "2")
    assert result.returncode == 0 and result.stderr == b""
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 3 and "phrases restored" in lines[0]
    assert lines[1].startswith(f"{SPUN_SEED}: 1. {folder / 'original.txt'} (score ")
    index_file = tmp_path / "sources.npz"
    result = run("match", SPUN_SEED, "-a", folder, "-f", "json", "--save-index", index_file)
    data = json.loads(result.stdout)
    assert data["candidates"] == 5 and data["queries"][0]["restored"] > 10
    best = data["queries"][0]["matches"][0]
    assert best["id"] == str(folder / "original.txt")
    assert set(best) == {"id", "score", "similarity", "copied", "explained"}
    again = json.loads(run("match", SPUN_SEED, "-a", index_file, "-f", "json").stdout)
    assert again["queries"] == data["queries"]
    unrestored = json.loads(
        run("match", SPUN_SEED, "-a", index_file, "-f", "json", "--no-restore").stdout
    )
    assert unrestored["queries"][0]["restored"] == 0
    assert unrestored["queries"][0]["matches"][0]["similarity"] < best["similarity"]


@pytest.mark.slow
def test_match_against_jsonl(tmp_path):
    candidates = tmp_path / "candidates.jsonl"
    records = [{"id": path.name, "text": path.read_text(encoding="utf-8")} for path in CLEAN_SEEDS]
    records.append({"text": ORIGINAL.read_text(encoding="utf-8")})  # no id: FILE:LINE
    candidates.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    result = run("match", SPUN_SEED, "--against", candidates, "-f", "json")
    assert result.returncode == 0
    best = json.loads(result.stdout)["queries"][0]["matches"][0]
    assert best["id"] == f"{candidates}:{len(records)}"


@pytest.mark.slow
@pytest.mark.parametrize("content", [None, "\n\n", '{"text": "fine"}\nnot json\n', '{"id": 1}\n'])
def test_no_usable_candidates_is_one_error_line(tmp_path, content):
    if content is None:
        against = tmp_path / "empty-folder"
        against.mkdir()
    else:
        against = tmp_path / "candidates.jsonl"
        against.write_text(content, encoding="utf-8")
    result = run("match", SPUN_SEED, "--against", against)
    assert result.returncode == 2 and result.stdout == b""
    message = result.stderr.decode()
    assert message.startswith(f"spindetect: error: {against}") and message.count("\n") == 1


@pytest.mark.slow
def test_unreadable_candidate_is_reported_and_the_rest_used(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "original.txt").write_bytes(ORIGINAL.read_bytes())
    (folder / "empty.txt").write_text("", encoding="utf-8")
    result = run("match", SPUN_SEED, "--against", folder)
    assert result.returncode == 2
    assert "candidate skipped" in result.stderr.decode() and "empty.txt" in result.stderr.decode()
    assert f"1. {folder / 'original.txt'}" in result.stdout.decode()
