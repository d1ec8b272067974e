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
from scorers.extraction.in_passing import asks_a_superlative
from scorers.extraction.quotes import QUOTES
from scorers.extraction.sentences import clause_of

M = TypeVar("M", bound=Named)

#: "X is (much) longer than", "X has more moons than", "X has a longer coastline than", "X
#: has more time zones than", "X light has a longer wavelength than": the option compared with
#: something ("than any other" says the superlative)
_COMPARED = re.compile(
    r"[\s"
    + QUOTES
    + r")]*(?:[a-z]+\s+)?(?:is|are|was|were|has|have|had)\s+(?:(?:a|an)\s+)?(?:(?:much|far"
    r"|even|slightly|a\s+bit|considerably|significantly)\s+)?(?!(?:rather|other)\b)"
    r"(?:\w+er|more|less|fewer)(?:\s+(?!than\b)[a-z]+){0,2}"
    r"\s+than\b(?!\s+(?:any|all|every|the\s+others?|other)\b)",
    re.IGNORECASE,
)


#: "X erupts more often than Y", "X grew faster than Y": a comparison by any verb
_COMPARED_BY_A_VERB = re.compile(
    r"[\s" + QUOTES + r")]*(?:[a-z]+\s+){1,2}?(?:more|less|fewer|\w+er)\b[^.;!?\n]{0,30}?\bthan\b",
    re.IGNORECASE,
)

#: a question that itself compares: "… more than …", "Which was larger, X or Y?"
_ASKS_A_COMPARISON = re.compile(
    r"\b(?:more|less|fewer|than)\b|\b\w{2,}er\b(?=[^?]*\bor\b)", re.IGNORECASE
)  # "… larger, Titanic or Lusitania?"


def compared_unasked(text: str, mentions: Sequence[M], question: str) -> list[M]:
    """``mentions``, with an option compared with something set aside (``attributed``)
    when the question asks for no rank or comparison: "Mount Etna erupts more often than
    Vesuvius" answers nothing about which buried Pompeii."""
    if not question or asks_a_superlative(question) or _ASKS_A_COMPARISON.search(question):
        return list(mentions)
    return [
        m._replace(polarity="attributed")
        if m.polarity == "put"
        and (more := _COMPARED_BY_A_VERB.match(text, m.end)) is not None
        and more.end() <= clause_of(text, m.start)[1]
        else m
        for m in mentions
    ]


def short_of_the_superlative(
    text: str, mentions: Sequence[M], choices: Sequence[str], question: str
) -> list[M]:
    """``mentions``, with an option compared with others for a superlative question ("X is
    harder than Y and Z", "X is bigger than Y" for "the largest") set aside (``attributed``),
    the others with it, when some option goes unnamed in the reply: the comparison does not
    reach it."""
    if len({m.index for m in mentions}) == len(choices) or not asks_a_superlative(question):
        return list(mentions)
    compared: list[tuple[int, int]] = []  # each short comparison, from its option to its end
    for m in mentions:
        more = _COMPARED.match(text, m.end) if m.polarity == "put" else None
        if more is not None:
            compared.append((m.start, clause_of(text, more.end())[1]))
    return [
        m._replace(polarity="attributed")
        if m.polarity == "put" and any(a <= m.start < b for a, b in compared)
        else m
        for m in mentions
    ]
