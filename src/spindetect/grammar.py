"""English helpers of the compiled core, for Python's tools (simulators, source matching).

The detector applies them inside :mod:`spindetect._core`; these are the same functions.
"""

from __future__ import annotations

from ._core import digit_word, transfer_case

DIGIT_WORDS: dict[str, str] = {digit: digit_word(digit) for digit in "123456789"}

__all__ = ["DIGIT_WORDS", "transfer_case"]
