"""The words of a question and a reply, compared: content words, stop words, one word in two
forms ("tilted"/"tilt"), and words that say nothing but what the question asks. Rules in
several modules weigh a clause against the question with these, so they are one
implementation.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from functools import lru_cache

#: a possessive ending: "Newton's", "Tchaikovsky’s"
POSSESSIVE = re.compile(r"['’]s\b")

STOP = {
    "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "the", "a", "an",
    "is", "are", "was", "were", "of", "in", "on", "at", "to", "for", "by", "with", "and", "or",
    "does", "did", "do", "has", "have", "had", "be", "been", "known", "as", "from", "that",
    "this", "its", "it", "there", "than", "most", "more", "called", "name", "named",
}  # fmt: skip


def words_of(text: str) -> list[str]:
    if len(text) > _REMEMBERED_CHARS:
        return _WORD.findall(text.casefold())
    return list(_words_of(text))


_WORD = re.compile(r"\w+")
#: Texts up to this long have their words remembered: rules ask again and again for the words
#: of the question, the options and short replies (~10 asks a reply, 2 or 3 texts).
_REMEMBERED_CHARS = 300


@lru_cache(maxsize=1024)
def _words_of(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.casefold()))


#: words a subject may add to the question's own without changing what it is about
_SUBJECT_FILLER = {
    "one", "answer", "correct", "right", "actual", "real", "true", "only", "option", "options",
    "choice", "choices", "among", "listed", "here", "value", "result", "that", "which", "who",
    "overall", "indeed", "actually", "still", "all", "proper", "official", "itself",
}  # fmt: skip


def only_the_asked(said: list[str], question: str) -> bool:
    """Words that say nothing but what the question asks: at least one of its words, every
    other one of them too (or filler), and no number it does not have."""
    asked = words_of(question)
    if not any(same_word(w, q) for w in said for q in asked):
        return False
    if Counter(w for w in said if w.isdigit()) - Counter(w for w in asked if w.isdigit()):
        return False  # "8 × 8 is" restates no part of "What is 7 × 8?"
    return all(w in _SUBJECT_FILLER or any(same_word(w, q) for q in asked) for w in said)


def same_word(a: str, b: str) -> bool:
    """One word in two forms: "tilted"/"tilt", "discovery"/"discovered", "coin"/"coins";
    but never a superlative and another degree ("fastest" is not "fast" or "faster")."""
    if a == b:
        return True
    if a.endswith("est") != b.endswith("est") and max(len(a), len(b)) > 5:
        return False
    shared = len(os.path.commonprefix([a, b]))
    return shared >= 4 and shared >= min(len(a), len(b)) - 2


def content_words(text: str) -> set[str]:
    return {w[:5] for w in words_of(text) if w not in STOP and len(w) > 2}
