import difflib
import random

from spindetect.align import align


def _apply(opcodes, left, right):
    out = []
    for tag, i1, i2, j1, j2 in opcodes:
        out.extend(left[i1:i2] if tag == "equal" else right[j1:j2])
    return out


def _check(left, right):
    opcodes = align(left, right)
    assert _apply(opcodes, left, right) == right
    position_a = position_b = 0
    for tag, i1, i2, j1, j2 in opcodes:
        assert (i1, j1) == (position_a, position_b)
        if tag == "equal":
            assert left[i1:i2] == right[j1:j2]
        position_a, position_b = i2, j2
    assert (position_a, position_b) == (len(left), len(right))
    return opcodes


def test_substitutions_are_found_like_difflib():
    left = ["the", "protection", "chief", "met", "the", "navy", "chief", "in", "the", "capital"]
    right = ["the", "defense", "chief", "met", "the", "military", "chief", "in", "the", "capital"]
    opcodes = _check(left, right)
    assert [op for op in opcodes if op[0] != "equal"] == [
        ("replace", 1, 2, 1, 2),
        ("replace", 5, 6, 5, 6),
    ]
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    assert opcodes == matcher.get_opcodes()


def test_random_edits_on_repetitive_text_are_exact():
    rng = random.Random(0)
    for _ in range(20):
        left = [rng.choice(["a", "b", "c", "the", "of", "x"]) for _ in range(rng.randint(0, 300))]
        right = [w if rng.random() > 0.2 else rng.choice(["y", "z", "the"]) for w in left]
        if rng.random() < 0.5 and right:
            del right[rng.randrange(len(right))]
        _check(left, right)


def test_ten_thousand_repetitive_words_one_in_seven_spun():
    left = [f"w{i % 97}" for i in range(10_000)] + [f"u{i}" for i in range(500)]
    right = list(left)
    for i in range(0, 10_000, 7):
        right[i] = "spun"
    changed = sum(i2 - i1 for tag, i1, i2, _, _ in _check(left, right) if tag != "equal")
    assert changed >= len(range(0, 10_000, 7))


def test_empty_sides():
    assert align([], []) == []
    assert align(["a"], []) == [("delete", 0, 1, 0, 0)]
    assert align([], ["a"]) == [("insert", 0, 0, 0, 1)]
