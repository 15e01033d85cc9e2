"""Word alignment for evaluation: patience diff, fast on long and repetitive texts.

``difflib.SequenceMatcher`` without its junk heuristic is quadratic on texts full of repeated
words, and with it, it skips frequent words ("the") as anchors and misaligns.  Patience diff
(the algorithm behind ``git diff --patience``) anchors on words that occur exactly once on both
sides, keeps the longest run of anchors in the same order, and recurses into the gaps; only
small gaps are handed to difflib.  Output uses difflib's opcode format.
"""

from __future__ import annotations

import bisect
import difflib
from collections import Counter
from collections.abc import Sequence

Opcode = tuple[str, int, int, int, int]
SMALL_GAP = 400 * 400  # gaps up to this product of lengths get difflib's exact matching


def align(left: Sequence[str], right: Sequence[str]) -> list[Opcode]:
    """Opcodes turning ``left`` into ``right`` (tags: equal, replace, delete, insert)."""
    matches: list[tuple[int, int, int]] = []
    _match(left, right, 0, len(left), 0, len(right), matches)
    return _opcodes(matches, len(left), len(right))


def _match(
    left: Sequence[str],
    right: Sequence[str],
    a0: int,
    a1: int,
    b0: int,
    b1: int,
    out: list[tuple[int, int, int]],
) -> None:
    """Append matching blocks ``(i, j, size)`` of ``left[a0:a1]`` and ``right[b0:b1]``, in order."""
    # Common prefix and suffix.
    start = 0
    while a0 + start < a1 and b0 + start < b1 and left[a0 + start] == right[b0 + start]:
        start += 1
    if start:
        out.append((a0, b0, start))
        a0, b0 = a0 + start, b0 + start
    end = 0
    while a1 - end > a0 and b1 - end > b0 and left[a1 - end - 1] == right[b1 - end - 1]:
        end += 1
    suffix = (a1 - end, b1 - end, end) if end else None
    a1, b1 = a1 - end, b1 - end
    if a0 < a1 and b0 < b1:
        anchors = _anchors(left, right, a0, a1, b0, b1)
        if anchors:
            previous_a, previous_b = a0, b0
            for i, j in anchors:
                _match(left, right, previous_a, i, previous_b, j, out)
                out.append((i, j, 1))
                previous_a, previous_b = i + 1, j + 1
            _match(left, right, previous_a, a1, previous_b, b1, out)
        elif a1 - a0 == b1 - b0 and (a1 - a0) * (b1 - b0) > SMALL_GAP:
            # No anchor in a long gap of equal length: substitutions, compare place by place.
            out.extend((a0 + k, b0 + k, 1) for k in range(a1 - a0) if left[a0 + k] == right[b0 + k])
        else:
            small = (a1 - a0) * (b1 - b0) <= SMALL_GAP
            matcher = difflib.SequenceMatcher(a=left[a0:a1], b=right[b0:b1], autojunk=not small)
            out.extend((a0 + i, b0 + j, n) for i, j, n in matcher.get_matching_blocks() if n)
    if suffix:
        out.append(suffix)


def _anchors(
    left: Sequence[str], right: Sequence[str], a0: int, a1: int, b0: int, b1: int
) -> list[tuple[int, int]]:
    """Words unique on both sides, longest sequence in the same order (patience sorting)."""
    left_counts = Counter(left[a0:a1])
    right_counts = Counter(right[b0:b1])
    right_position = {right[j]: j for j in range(b0, b1) if right_counts[right[j]] == 1}
    pairs = [
        (i, right_position[left[i]])
        for i in range(a0, a1)
        if left_counts[left[i]] == 1 and left[i] in right_position
    ]
    # Longest increasing subsequence of right positions (pairs are ordered by left position).
    tails: list[int] = []
    tail_index: list[int] = []
    previous: list[int] = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        slot = bisect.bisect_left(tails, j)
        if slot == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[slot] = j
            tail_index[slot] = index
        previous[index] = tail_index[slot - 1] if slot else -1
    result = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        result.append(pairs[index])
        index = previous[index]
    return result[::-1]


def _opcodes(matches: list[tuple[int, int, int]], size_a: int, size_b: int) -> list[Opcode]:
    opcodes: list[Opcode] = []
    i = j = 0
    merged: list[list[int]] = []
    for a, b, n in matches:
        if merged and merged[-1][0] + merged[-1][2] == a and merged[-1][1] + merged[-1][2] == b:
            merged[-1][2] += n
        else:
            merged.append([a, b, n])
    for a, b, n in [*merged, [size_a, size_b, 0]]:
        if i < a and j < b:
            opcodes.append(("replace", i, a, j, b))
        elif i < a:
            opcodes.append(("delete", i, a, j, j))
        elif j < b:
            opcodes.append(("insert", i, i, j, b))
        if n:
            opcodes.append(("equal", a, a + n, b, b + n))
        i, j = a + n, b + n
    return opcodes
