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

_COUNT = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)"

#: a quantity said relative to one named before it
_RELATIVE = re.compile(
    r"\b(?:twice|double|triple|thrice|half|the\s+negative)\s+(?:of\s+)?(?:that|this|it)\b"
    r"|\b(?:the\s+)?(?:following|next|previous|preceding|prior)\s+year\b"
    r"|\bthe\s+year\s+(?:before|after)\b"
    r"|\b" + _COUNT + r"\s+(?:\w+\s+)?(?:years?\s+)?(?:later|earlier|more|fewer|less)\b"
    r"|\b(?:more|fewer|less)\s+than\s+(?:that|this|the\s+usual)\b"
    r"|\b(?:lowered|raised|reduced|increased|cut|dropped|added)\s+(?:it\s+|that\s+)?by\b",
    re.IGNORECASE,
)


def relative_to_a_named_number(text: str, put: list[Mention]) -> bool:
    """Every option the reply puts forward is a number, and after the last of them the reply
    gives a quantity relative to one named before ("two more", "twice that", "the year
    before"); not when it goes on to name the number it means ("… came a little later: it
    began in 1789")."""
    if not put or not all(is_number(text[m.start : m.end]) for m in put):
        return False
    return _RELATIVE.search(text, max(m.end for m in put)) is not None
