"""Small surface-grammar helpers for restored text: case patterns, a/an, spelled-out digits."""

from __future__ import annotations

# Words that start with a vowel letter but take "a", and silent-h words that take "an".
_VOWEL_LETTER_CONSONANT_SOUND = (
    "one",
    "once",
    "uni",
    "use",
    "usu",
    "uti",
    "eu",
    "ewe",
    "ure",
    "ura",
)
_SILENT_H = ("hour", "honest", "honor", "honour", "heir")
# Determiners that replace an article rather than follow one ("an additional" -> "another").
DETERMINERS = frozenset(
    [
        "another",
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "my",
        "your",
        "his",
        "her",
        "its",
        "our",
        "their",
        "some",
        "any",
        "each",
        "every",
        "no",
    ]
)
DIGIT_WORDS = {
    "1": "one",
    "2": "two",
    "3": "three",
    "4": "four",
    "5": "five",
    "6": "six",
    "7": "seven",
    "8": "eight",
    "9": "nine",
}


def article_for(word: str) -> str:
    """``a`` or ``an`` for the word that follows the article."""
    lower = word.lower()
    if lower.startswith(_SILENT_H):
        return "an"
    if lower[:1] in "aeiou" and not lower.startswith(_VOWEL_LETTER_CONSONANT_SOUND):
        return "an"
    return "a"


def match_case(pattern: str, word: str) -> str:
    """``word`` written in the case pattern of ``pattern`` (UPPER, Title or as it is)."""
    letters = [char for char in pattern if char.isalpha()]
    if len(letters) > 1 and all(char.isupper() for char in letters):
        return word.upper()
    if pattern[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def transfer_case(observed: str, replacement: str) -> str:
    """Give ``replacement`` the case pattern of ``observed``.

    "Chilly Warfare" -> "Cold War"; "PROTECTION" -> "DEFENSE"; "Protection chief" ->
    "Defense chief"; words the replacement already capitalises ("Chinese") stay capitalised.
    """
    observed_words = observed.split()
    replacement_words = replacement.split(" ")
    letters = [char for char in observed if char.isalpha()]
    if len(letters) > 1 and all(char.isupper() for char in letters):
        return replacement.upper()
    if len(observed_words) > 1 and all(word[:1].isupper() for word in observed_words):
        return " ".join(word[:1].upper() + word[1:] for word in replacement_words)
    if observed[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement
