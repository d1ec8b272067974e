"""Replies cut off before their answer: "… so people think it's the capital, but the capital
is" stops where the answer would be. A reply that states nothing and stops there is
unreadable, whatever options it named on the way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

from scorers.extraction.emphasis import Named
from scorers.extraction.sentences import clause_start, sentence_of
from scorers.extraction.words import content_words, same_word

M = TypeVar("M", bound=Named)

#: a reply ending in an open copula or "answer": "the capital is", "the mind is called",
#: "the answer is the", "the correct option would be"; not a clause about what it already
#: named ("…, which is")
_STOPS_BEFORE_ITS_ANSWER = re.compile(
    r"\b(?<!\bwhich\s)(?<!\bwho\s)(?<!\bthat\s)(?<!\bit\s)(?<!\bthis\s)(?<!\bhe\s)(?<!\bshe\s)"
    r"(?<!\bthey\s)(?<!\bthere\s)(?:is|was|are|were|be|answer|option|choice)(?:\s+(?:actually|really|definitely|indeed"
    r"|clearly|still|probably))?(?:\s+(?:called|named|termed|known\s+as))?(?:\s+(?:the|a|an))?"
    r"[\s*_:]*$",
    re.IGNORECASE,
)


#: a reply ending where it starts to give its pick: "I think the letter", "I'd say it's the"
#: (one word after, and no option in it: "I think Paris" ends on its answer; "arabic i
#: think" ends on its hedge)
_THINKS_AT_THE_END = re.compile(
    r"\bi(?:\s+think|\s+believe|\s+guess|['’]d\s+say|\s+would\s+say|['’]ll\s+go\s+with"
    r"|\s+will\s+go\s+with)(?:\s+(?:it['’]s|it\s+is|that))?(?:\s+(?:the|a|an))?\s+[a-z]+"
    r"[\s*_:,]*$",
    re.IGNORECASE,
)

#: a last line that opens a table row and does not close it: "| Mekong | ~4,9"
_IN_A_TABLE_ROW = re.compile(r"(?:^|\n)[ \t]*\|[^\n]*[^|\s][ \t]*$")


def cut_before_its_answer(text: str, question: str = "", named: Sequence[Named] = ()) -> bool:
    """The reply breaks off right where it would state its answer (no final stop), or
    inside a table row, before any verdict the table leads to. Not where the open clause is
    about something the question does not ask of ("Odysseus is the king of Ithaca and his
    wife is" for "… Odysseus's home island?"): what stops there is another fact. An option
    ``named`` in that subject ("Lake Assal in Djibouti is") is the reply's verdict to come."""
    text = text.rstrip()
    if _IN_A_TABLE_ROW.search(text, max(0, text.rfind("\n"))) is not None:
        return True
    thinks = _THINKS_AT_THE_END.search(text)
    if thinks is not None and not any(m.end > thinks.start() for m in named):
        return True  # "… the letter T is very common. I think the letter"
    stop = _STOPS_BEFORE_ITS_ANSWER.search(text)
    return stop is not None and not _about_something_else(text, stop.start(), question, named)


#: the open clause's subject starts after its clause's opening, or after "and"/"so"
_SUBJECT_START = re.compile(r".*\b(?:and|so|then|because)\s+", re.IGNORECASE | re.DOTALL)
#: subjects that are the answer whatever the question: "the answer is", "the correct one is"
_ANSWER_WORDS = frozenset({"answe", "optio", "choic", "corre", "right", "one", "resul"})


def _about_something_else(text: str, at: int, question: str, named: Sequence[Named]) -> bool:
    """The subject of the open copula at ``at`` names things, none of which the question
    asks about ("his wife is"); a subject the question shares ("the capital is"), an
    answer's word ("the correct answer is") or none ("…, which is") is the answer's."""
    if not question:
        return False
    start = clause_start(text, at)
    opening = _SUBJECT_START.match(text, start, at)
    start = opening.end() if opening else start
    if any(start <= m.start < at for m in named):
        return False
    subject = content_words(text[start:at])
    asked = content_words(question)
    return (
        bool(subject)
        and not subject & _ANSWER_WORDS
        and not any(same_word(w, q) for w in subject for q in asked)
    )


#: "… has 12 players on the roster and 5": the reply stops on the second of a pair
_AND_BEFORE = re.compile(r"\b(?:and|or)\s+$", re.IGNORECASE)


def cut_in_a_pair(text: str, mentions: Sequence[M]) -> list[M]:
    """``mentions``, with an option that ends a reply cut off after "and"/"or" set aside
    (``attributed``): "each team has 12 players on the roster and 5" stops before saying
    what the 5 are, so it is no answer. Not when an option comes right before the "and"."""
    end = len(text.rstrip())
    return [
        m._replace(polarity="attributed")
        if m.polarity == "put"
        and m.end == end
        and (pair := _AND_BEFORE.search(text, max(0, m.start - 6), m.start))
        and not _after_an_option(text, pair.start(), mentions)
        and not _opens_a_sentence(text, pair.start())
        else m
        for m in mentions
    ]


def _opens_a_sentence(text: str, at: int) -> bool:
    """The "or" at ``at`` opens a sentence: "42 is the next number. or 34" offers a second
    answer, it is no pair cut off."""
    return sentence_of(text, at)[0] == at


def _after_an_option(text: str, at: int, mentions: Sequence[M]) -> bool:
    """An option right before the "and" at ``at``: "used in table tennis and badminton" names
    two options, a pair whose second is said, not a reply cut off before it."""
    return any(0 <= at - o.end <= 3 and not text[o.end : at].strip(" ,") for o in mentions)
