"""scan and clean over folders on several workers: same output as one, bad files and
unreadable folders reported (one line each, exit 2) while the other files are still done."""

import builtins
import os
import shutil

import pytest
from typer.testing import CliRunner

from conftest import CLEAN_SEEDS, SPUN_SEED
from spindetect import inputs
from spindetect.cli import app
from spindetect.inputs import InputError, walk_paths


def run(*args):
    return CliRunner().invoke(app, [str(arg) for arg in args], prog_name="spindetect")


def make_tree(root):
    """A folder of the seed articles in two levels, with a binary and an empty file among them."""
    (root / "sub").mkdir(parents=True)
    shutil.copy(SPUN_SEED, root / "sub" / "spun.txt")
    for index, path in enumerate(CLEAN_SEEDS[:3]):
        shutil.copy(path, root / f"clean{index}.md")
    (root / "sub" / "blob.txt").write_bytes(b"\x00\x01binary\x00")
    (root / "empty.txt").write_bytes(b"")
    return root


def test_scan_of_a_folder_on_two_workers_equals_one_worker(tmp_path, monkeypatch):
    tree = make_tree(tmp_path / "tree")
    monkeypatch.chdir(tmp_path)
    one = run("scan", "missing.txt", tree, "--format", "jsonl", "-j", "1")
    two = run("scan", "missing.txt", tree, "--format", "jsonl", "-j", "2")
    assert one.exit_code == two.exit_code == 2  # the bad inputs; the others are still scanned
    assert two.stdout == one.stdout
    names = [line.split('"path": "')[1].split('"')[0] for line in two.stdout.splitlines()]
    assert names == [str(tree / f"clean{i}.md") for i in range(3)] + [str(tree / "sub/spun.txt")]
    errors = two.stderr.splitlines()
    assert len(errors) == 3, errors
    assert "missing.txt: no such file" in errors[0]
    assert "empty.txt: empty input" in errors[1]
    assert "blob.txt: binary file" in errors[2]
    text = run("scan", tree, "-j", "2").stdout
    assert f"{tree / 'sub/spun.txt'}: spun" in text and "-> two countries" in text


def test_clean_out_dir_mirrors_the_tree_and_skips_bad_files(tmp_path):
    tree = make_tree(tmp_path / "tree")
    extra = tmp_path / "extra.txt"
    shutil.copy(CLEAN_SEEDS[3], extra)
    out = tmp_path / "out"
    result = run("clean", tree, extra, "--out-dir", out, "--glob", "*.txt", "--glob", "*.md")
    assert result.exit_code == 2
    written = sorted(str(path.relative_to(out)) for path in out.rglob("*") if path.is_file())
    assert written == ["clean0.md", "clean1.md", "clean2.md", "extra.txt", "sub/spun.txt"]
    cleaned = (out / "sub" / "spun.txt").read_text(encoding="utf-8")
    assert "two countries" in cleaned and "2 international locations" not in cleaned
    for index, path in enumerate(CLEAN_SEEDS[:3]):
        assert (out / f"clean{index}.md").read_bytes() == path.read_bytes()
    assert (out / "extra.txt").read_bytes() == CLEAN_SEEDS[3].read_bytes()
    errors = result.stderr.splitlines()
    assert len(errors) == 2 and "empty input" in errors[0] and "binary file" in errors[1]
    assert f"{tree / 'sub/spun.txt'} -> {out / 'sub/spun.txt'} (" in result.stdout


def test_clean_of_many_inputs_needs_out_dir_and_never_overwrites_an_input(tmp_path):
    tree = make_tree(tmp_path / "tree")
    result = run("clean", tree / "clean0.md", tree / "clean1.md")
    assert result.exit_code == 2 and "needs --out-dir" in result.stderr
    before = (tree / "clean0.md").read_bytes()
    result = run("clean", tree, "--out-dir", tree)
    assert result.exit_code == 2 and "would overwrite the input" in result.stderr
    assert (tree / "clean0.md").read_bytes() == before


def lock(monkeypatch, *names: str) -> None:
    """Make the folders and files called ``names`` unreadable, as chmod 000 would for a user
    who is not root (the tests may run as root, for whom chmod changes nothing)."""
    real_scandir, real_open = os.scandir, builtins.open

    def denied(path):
        return PermissionError(13, "Permission denied", os.fspath(path))

    def scandir(path="."):
        if os.path.basename(os.fspath(path)) in names:
            raise denied(path)
        return real_scandir(path)

    def open_(path, *args, **kwargs):
        if isinstance(path, str | os.PathLike) and os.path.basename(os.fspath(path)) in names:
            raise denied(path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(inputs, "open", open_, raising=False)


def test_unreadable_subfolder_and_file_are_errors_and_the_rest_is_scanned(tmp_path, monkeypatch):
    tree = tmp_path / "tree"
    (tree / "locked").mkdir(parents=True)
    shutil.copy(SPUN_SEED, tree / "locked" / "hidden.txt")
    shutil.copy(CLEAN_SEEDS[0], tree / "a.txt")
    shutil.copy(CLEAN_SEEDS[1], tree / "secret.txt")
    shutil.copy(SPUN_SEED, tree / "z.txt")
    lock(monkeypatch, "locked", "secret.txt")
    result = run("scan", tree)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"spindetect: error: {tree / 'locked'}: cannot read folder: Permission denied",
        f"spindetect: error: {tree / 'secret.txt'}: cannot read: Permission denied",
    ]
    assert f"{tree / 'a.txt'}: clean" in result.stdout
    assert f"{tree / 'z.txt'}: spun" in result.stdout and "hidden.txt" not in result.stdout
    out = tmp_path / "out"
    cleaned = run("clean", tree, "--out-dir", out)
    assert cleaned.exit_code == 2 and "locked: cannot read folder" in cleaned.stderr
    assert sorted(path.name for path in out.iterdir()) == ["a.txt", "z.txt"]


def test_an_unreadable_folder_on_the_command_line_says_permission_denied(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text("Some text here.\n", encoding="utf-8")
    lock(monkeypatch, "locked")
    result = run("scan", tmp_path / "locked", CLEAN_SEEDS[0])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"spindetect: error: {tmp_path / 'locked'}: cannot read folder: Permission denied"
    ]
    assert f"{CLEAN_SEEDS[0]}: clean" in result.stdout


def test_chmod_000_subfolder_is_reported(tmp_path):
    """The same with a real chmod, where it takes effect (not for root)."""
    tree = tmp_path / "tree"
    (tree / "locked").mkdir(parents=True)
    (tree / "locked" / "a.txt").write_text("Some text here.\n", encoding="utf-8")
    shutil.copy(CLEAN_SEEDS[0], tree / "b.txt")
    (tree / "locked").chmod(0)
    try:
        if os.access(tree / "locked", os.R_OK):
            pytest.skip("chmod 000 does not stop this user (root) from reading")
        items = list(walk_paths([str(tree)]))
    finally:
        (tree / "locked").chmod(0o755)
    assert items[0] == str(tree / "b.txt")  # sorted: b.txt, then the locked folder
    assert isinstance(items[1], InputError) and "Permission denied" in str(items[1])
    assert len(items) == 2


def test_walk_lists_files_in_the_order_of_their_sorted_paths(tmp_path):
    for name in ("b.txt", "a/z.txt", "a.txt", "a/b/c.md", "ab.txt", "skip.png"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    found = list(walk_paths([str(tmp_path)]))
    expected = sorted(p for p in tmp_path.rglob("*") if p.is_file() and p.suffix in (".txt", ".md"))
    assert found == [str(p) for p in expected]
