"""Negative questions ("Which is NOT a mammal?", "All EXCEPT …"): there the option denied the
question's predicate is the answer, and one given all of it is ruled out, the reverse of
:mod:`scorers.extraction.negation`.
"""

from __future__ import annotations

import re

from scorers.extraction.quotes import QUOTES
from scorers.extraction.words import STOP, content_words, same_word, words_of

#: "Which of these is NOT …?", "All of these EXCEPT …": the option the question wants is the
#: one denied its predicate
NEGATIVE_QUESTION = re.compile(
    r"\b(?:not(?!\s+(?:counting|including)\b)|except|isn['’]t|aren['’]t|doesn['’]t)\b", re.I
)  # "Not counting Australia, which is the largest island?" asks the largest, not an exception


def the_exception_asked(predicate: str, question: str) -> bool:
    """In a negative question, denying an option the question's own predicate ("is not a
    primary colour of light") puts it forward."""
    if not NEGATIVE_QUESTION.search(question):
        return False
    return bool(content_words(predicate) & (content_words(question) - {"not", "except"}))


_AFFIRMED_AFTER = re.compile(
    r"[\s"
    + QUOTES
    + r")]*(?:is|are|was|were)\s+(?:(?:also|indeed|all|both|definitely|clearly|true)"
    r"\s+)*(?P<predicate>[^.;:,!?\n—–]{1,60})",
    re.IGNORECASE,
)


def an_exception_refused(text: str, end: int, question: str) -> bool:
    """In a negative question, an option given the whole of the question's predicate ("bats
    are mammals" for "Which is NOT a mammal?") is not the exception asked for."""
    negative = NEGATIVE_QUESTION.search(question)
    affirmed = _AFFIRMED_AFTER.match(text, end)
    if negative is None or affirmed is None:
        return False
    wanted = [w for w in words_of(question[negative.end() :]) if w not in STOP and len(w) > 2]
    said = words_of(affirmed.group("predicate"))
    if not wanted or said[:1] == ["not"]:
        return False
    return all(any(same_word(w, s) for s in said) for w in wanted)
