"""A comparison is no superlative unless it covers the options: "The Darling is longer than
the Murrumbidgee" says nothing of the Murray, so for "What is the longest river?" it puts
neither forward. (Beside every other option, "a cheetah is faster than a lion" after
"horses run far", it does: the statements read it.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

from scorers.extraction.emphasis import Named
from scorers.extraction.sentences import clause_of
from scorers.extraction.wording import comparative_of_the_asked

M = TypeVar("M", bound=Named)

_THAN = re.compile(r"\s*than\b(?!\s+(?:any|all|every|the\s+others?|other)\b)", re.IGNORECASE)


def short_of_the_superlative(
    text: str, mentions: Sequence[M], choices: Sequence[str], question: str
) -> list[M]:
    """``mentions``, with an option given the comparative of the asked superlative against
    others ("X is harder than Y and Z") set aside (``attributed``), the others with it, when
    some option goes unnamed in the reply: the comparison does not reach it."""
    if len({m.index for m in mentions}) == len(choices):
        return list(mentions)
    compared: list[tuple[int, int]] = []  # each short comparison, from its option to its end
    for m in mentions:
        more = comparative_of_the_asked(text, m.end, question) if m.polarity == "put" else None
        if more is not None and _THAN.match(text, more):
            compared.append((m.start, clause_of(text, more)[1]))
    return [
        m._replace(polarity="attributed")
        if m.polarity == "put" and any(a <= m.start < b for a, b in compared)
        else m
        for m in mentions
    ]
