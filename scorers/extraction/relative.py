"""An answer given relative to a number the reply names: "Insects have 6 legs, but a spider
has two more.", "Half a century is 50 years, so a century is twice that.", "… in 1990. The
Wall itself fell the year before." The number named is the base of the reckoning, not the
answer, so a reply that only names it (no statement of its own) is unreadable rather than
read as committing to it.
"""

from __future__ import annotations

import re

from scorers.extraction.mention import Mention
from scorers.extraction.numbers import is_number
from scorers.extraction.sentences import clause_of, sentence_of
from scorers.extraction.words import content_words

_COUNT = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|\d+)"

#: a quantity said relative to one named before it ("two more than insects" names its base:
#: the number named is then the answer, so a "than" after it is no relative answer)
_RELATIVE = re.compile(
    r"\b(?:twice|double|triple|thrice|half|the\s+negative)\s+(?:of\s+)?(?:that|this|it)\b"
    r"|\b(?:the\s+)?(?:following|next|previous|preceding|prior)\s+year\b"
    r"|\bthe\s+year\s+(?:before|after)\b"
    r"|\b" + _COUNT + r"\s+years?\s+(?:later|earlier)\b"
    r"|\b" + _COUNT + r"\s+(?:\w+\s+)?(?:more|fewer|less)\b(?!\s+than\b)"
    r"|\b(?:lowered|raised|reduced|increased|cut|dropped)\s+(?:it\s+|that\s+)?by\b",
    re.IGNORECASE,
)


def relative_to_a_named_number(text: str, put: list[Mention], question: str = "") -> bool:
    """Every option the reply puts forward is a number, and after the last of them, in that
    number's sentence or the next, a clause about the question's own subject gives a
    quantity relative to one named before: "Insects have 6 legs, but a spider has two
    more.", "… in 1990. The Berlin Wall itself fell the year before." Not a clause about
    something else ("Humans have 46 chromosomes; chimpanzees have two more.", "1989.
    Germany was reunified the following year."), nor one that names its base ("two more
    than insects": the number named is then the answer)."""
    if not question or not put or not all(is_number(text[m.start : m.end]) for m in put):
        return False
    last = max(m.end for m in put)
    own_end = sentence_of(text, last)[1]
    next_end = sentence_of(text, min(own_end + 1, len(text)))[1] if own_end < len(text) else own_end
    asked = content_words(question)
    for found in _RELATIVE.finditer(text, last, max(own_end, next_end)):
        start, end = clause_of(text, found.start())
        rest = text[start : found.start()] + " " + text[found.end() : end]
        if content_words(rest) & asked:
            return True
    return False
