"""scan and clean over folders on several workers: same output as one, bad files skipped."""

import shutil
import subprocess
import sys

from conftest import CLEAN_SEEDS, SPUN_SEED


def run(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "spindetect", *map(str, args)],
        capture_output=True,
        timeout=300,
        cwd=cwd,
    )


def make_tree(root):
    """A folder of the seed articles in two levels, with a binary and an empty file among them."""
    (root / "sub").mkdir(parents=True)
    shutil.copy(SPUN_SEED, root / "sub" / "spun.txt")
    for index, path in enumerate(CLEAN_SEEDS[:3]):
        shutil.copy(path, root / f"clean{index}.md")
    (root / "sub" / "blob.txt").write_bytes(b"\x00\x01binary\x00")
    (root / "empty.txt").write_bytes(b"")
    return root


def test_scan_of_a_folder_on_two_workers_equals_one_worker(tmp_path):
    tree = make_tree(tmp_path / "tree")
    one = run("scan", "missing.txt", tree, "--format", "jsonl", "-j", "1", cwd=tmp_path)
    two = run("scan", "missing.txt", tree, "--format", "jsonl", "-j", "2", cwd=tmp_path)
    assert one.returncode == two.returncode == 2  # the bad inputs; the others are still scanned
    assert two.stdout == one.stdout
    names = [line.split('"path": "')[1].split('"')[0] for line in two.stdout.decode().splitlines()]
    assert names == [str(tree / f"clean{i}.md") for i in range(3)] + [str(tree / "sub/spun.txt")]
    errors = two.stderr.decode().splitlines()
    assert len(errors) == 3, errors
    assert "missing.txt: no such file" in errors[0]
    assert "empty.txt: empty input" in errors[1]
    assert "blob.txt: binary file" in errors[2]
    text = run("scan", tree, "-j", "2").stdout.decode()
    assert f"{tree / 'sub/spun.txt'}: spun" in text and "-> two countries" in text


def test_clean_out_dir_mirrors_the_tree_and_skips_bad_files(tmp_path):
    tree = make_tree(tmp_path / "tree")
    extra = tmp_path / "extra.txt"
    shutil.copy(CLEAN_SEEDS[3], extra)
    out = tmp_path / "out"
    result = run("clean", tree, extra, "--out-dir", out, "--glob", "*.txt", "--glob", "*.md")
    assert result.returncode == 2
    written = sorted(str(path.relative_to(out)) for path in out.rglob("*") if path.is_file())
    assert written == ["clean0.md", "clean1.md", "clean2.md", "extra.txt", "sub/spun.txt"]
    cleaned = (out / "sub" / "spun.txt").read_text(encoding="utf-8")
    assert "two countries" in cleaned and "2 international locations" not in cleaned
    for index, path in enumerate(CLEAN_SEEDS[:3]):
        assert (out / f"clean{index}.md").read_bytes() == path.read_bytes()
    assert (out / "extra.txt").read_bytes() == CLEAN_SEEDS[3].read_bytes()
    errors = result.stderr.decode().splitlines()
    assert len(errors) == 2 and "empty input" in errors[0] and "binary file" in errors[1]
    report = result.stdout.decode()
    assert f"{tree / 'sub/spun.txt'} -> {out / 'sub/spun.txt'} (" in report


def test_clean_of_many_inputs_needs_out_dir_and_never_overwrites_an_input(tmp_path):
    tree = make_tree(tmp_path / "tree")
    result = run("clean", tree / "clean0.md", tree / "clean1.md")
    assert result.returncode == 2 and b"needs --out-dir" in result.stderr
    before = (tree / "clean0.md").read_bytes()
    result = run("clean", tree, "--out-dir", tree)
    assert result.returncode == 2 and b"would overwrite the input" in result.stderr
    assert (tree / "clean0.md").read_bytes() == before
