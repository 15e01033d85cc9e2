"""Sentences as the reference sees them, and the windows an edit inside them is scored on.

A :class:`Sentence` holds the lookup keys of the words of one sentence or clause (split at
``. ! ? ; :`` brackets, dashes and newlines; commas, quotes and hyphens are transparent, as in the
text the reference was trained on) together with the token index of each word.  Numbers, URLs and
words the reference does not know are kept as ``None``: they cut the history, and no edit touches
them.  Edits are applied in place (:meth:`Sentence.replace`) so that later decisions see the
restored neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence

from .reference import SENTENCE_END, SENTENCE_START, Reference
from .tokens import Kind, Token

_TRANSPARENT = (Kind.HYPHEN, Kind.OTHER)


class Sentence:
    """Words of one sentence, editable by span."""

    def __init__(self, token_indices: list[int], keys: list[str | None]):
        self.token_indices = token_indices
        self.written = keys  # the keys as written, whatever edits come later
        # Current words at each position: a replaced span keeps its words on its first position
        # and empty tuples on the rest, so positions always map back to tokens.
        self.slots: list[tuple[str, ...] | None] = [(key,) if key else None for key in keys]
        self.number = -1  # position in its document's list of sentences
        self.edited: set[int] = set()  # positions replace() has changed

    def __len__(self) -> int:
        return len(self.slots)

    def key(self, position: int) -> str | None:
        """The observed word at ``position`` (None for numbers and unknown words)."""
        slot = self.slots[position]
        return slot[0] if slot and len(slot) == 1 else None

    def _before(self, position: int) -> list[str]:
        """Up to two words of history before ``position`` (``<s>`` at the sentence start)."""
        history: list[str] = []
        index = position - 1
        while index >= 0 and len(history) < 2:
            slot = self.slots[index]
            if slot is None:
                return history
            history[:0] = slot[-(2 - len(history)) :] if slot else []
            index -= 1
        if index < 0 and len(history) < 2:
            history.insert(0, SENTENCE_START)
        return history

    def _after(self, position: int) -> list[str]:
        """Up to two words after ``position`` that depend on the edit (``</s>`` at the end)."""
        following: list[str] = []
        index = position
        while index < len(self.slots) and len(following) < 2:
            slot = self.slots[index]
            if slot is None:
                return following
            following.extend(slot[: 2 - len(following)])
            index += 1
        if index >= len(self.slots) and len(following) < 2:
            following.append(SENTENCE_END)
        return following

    def current(self, first: int, end: int) -> list[str]:
        """The words now standing at positions ``first..end-1``."""
        return [word for slot in self.slots[first:end] for word in (slot or ())]

    def window(self, first: int, end: int) -> tuple[list[str], list[str], list[str]]:
        """What an edit of ``first..end-1`` is scored on: (history, words now there, following).

        The history is up to two words (``<s>`` at the sentence start), the following words up
        to two (``</s>`` at the end); a number or an unknown word cuts either side.
        """
        return self._before(first), self.current(first, end), self._after(end)

    def as_written_around(self, first: int, end: int) -> bool:
        """True when no edit has touched the span or the two words on either side of it (so
        its window is the one the text as written gives)."""
        edited = self.edited
        return not edited or all(i not in edited for i in range(first - 2, end + 2))

    def replace(self, first: int, end: int, replacement: Sequence[str]) -> None:
        """Apply an edit so that later scoring sees it."""
        self.edited.update(range(first, end))
        self.slots[first] = tuple(replacement)
        for index in range(first + 1, end):
            self.slots[index] = ()


def sentences(tokens: list[Token], reference: Reference) -> list[Sentence]:
    """Split tokens into the sentences the reference scores."""
    result: list[Sentence] = []
    indices: list[int] = []
    keys: list[str | None] = []
    for index, token in enumerate(tokens):
        kind = token.kind
        if kind is Kind.WORD:
            indices.append(index)
            keys.append(token.lower if reference.knows(token.lower) else None)
        elif kind is Kind.BREAK:
            if indices:
                result.append(Sentence(indices, keys))
            indices, keys = [], []
        elif kind not in _TRANSPARENT:  # numbers, URLs, e-mail addresses
            indices.append(index)
            keys.append(None)
    if indices:
        result.append(Sentence(indices, keys))
    for number, sentence in enumerate(result):
        sentence.number = number
    return result
