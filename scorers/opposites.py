"""Words that ask the opposite of the question's: "ended" for "When did … begin?".

A reply often names the user's option with the property it does have, the opposite of the
one asked ("1799 is when the Revolution ended" for "When did it begin?", "that's the
universal recipient" for "the universal donor"): such an option is given something else, not
put forward. Only words that are plainly each other's opposite are paired, each with the
forms a reply writes (a superlative with its comparative: "further away than X" for "the
nearest" gives the option the opposite).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

#: pairs of opposites, each side as the word forms that say it
_PAIRS: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(a.split()), frozenset(b.split()))
    for a, b in (
        ("begin began begun begins beginning start started starts starting",
         "end ended ends ending finish finished finishes"),
        ("first earliest", "last latest"),
        ("largest biggest larger bigger", "smallest smaller"),
        ("highest tallest higher taller", "lowest shortest lower shorter"),
        ("longest longer", "shortest shorter"),
        ("most", "least"),
        ("hottest warmest hotter warmer", "coldest coolest colder cooler"),
        ("fastest faster", "slowest slower"),
        ("heaviest heavier", "lightest lighter"),
        ("oldest older", "youngest newest younger newer"),
        ("deepest deeper", "shallowest shallower"),
        ("nearest closest nearer closer", "farthest furthest farther further"),
        ("maximum", "minimum"),
        ("donor donors", "recipient recipients"),
        ("conductance conductivity", "resistance resistivity"),
        ("northernmost", "southernmost"),
        ("easternmost", "westernmost"),
    )
)  # fmt: skip


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", _IDIOMS.sub(" ", text.casefold())))


#: set phrases whose word of degree or order says nothing of the option: "upon further
#: review", "at least", "at last", "in the end", "at first", "most sources agree"
_IDIOMS = re.compile(
    r"\b(?:(?:up)?on\s+further|without\s+further|further\s+(?:review|reflection|thought|"
    r"consideration|examination|research|investigation|analysis|inspection|notice|ado|checking)"
    r"|at\s+(?:the\s+)?(?:very\s+)?least|at\s+(?:long\s+)?last|in\s+the\s+end|at\s+first"
    r"|to\s+start\s+with|for\s+a\s+start|first\s+of\s+all|last\s+but\s+not\s+least"
    r"|most\s+(?:people|sources|experts|scholars|historians|references|accounts|textbooks"
    r"|agree|would|say|of\s+(?:them|us|the))|(?:the\s+)?least\s+(?:i|we)\s+can)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=256)
def _asked_pairs(question: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """(a word the question asks, its opposite) pairs: most questions ask none, and then no
    reply's words need reading."""
    asked = _words(question)
    return tuple(
        (wanted, opposite)
        for one, other in _PAIRS
        for wanted, opposite in ((one, other), (other, one))
        if asked & wanted and not asked & opposite
    )


@lru_cache(maxsize=8)
def _word_spans(text: str) -> dict[str, list[tuple[int, int]]]:
    """Where each word of ``text`` stands, (start, end) in order: read once per reply, so
    every option's stretch is looked up, not read again (an untrusted reply may name options
    thousands of times)."""
    starts: dict[str, list[tuple[int, int]]] = {}
    folded = _IDIOMS.sub(lambda m: " " * len(m.group(0)), text.casefold())
    for m in re.finditer(r"[a-z]+", folded):
        starts.setdefault(m.group(0), []).append(m.span())
    return starts


def _said_between(text: str, start: int, end: int, words: frozenset[str]) -> bool:
    """Whether one of ``words`` stands whole inside ``text[start:end]``."""
    at = _word_spans(text)
    for word in words:
        spans = at.get(word, ())
        i = bisect_left(spans, (start, start))
        if i < len(spans) and spans[i][1] <= end:
            return True
    return False


def opposite_said_in(text: str, start: int, end: int, question: str) -> bool:
    """``text[start:end]`` (what the reply says around an option) has the opposite of one of
    the question's words and none of that word's own forms: "considered to have ended" for
    "When did the French Revolution begin?"."""
    pairs = _asked_pairs(question)
    if not pairs or len(text.casefold()) != len(text):  # casefolding moved the positions
        return bool(pairs) and opposite_of_the_asked(text[start:end], question)
    return any(
        _said_between(text, start, end, opposite) and not _said_between(text, start, end, wanted)
        for wanted, opposite in pairs
    )


def opposite_of_the_asked(stretch: str, question: str) -> bool:
    """:func:`opposite_said_in` for a whole stretch of text."""
    said = _words(stretch)
    return any(said & opposite and not said & wanted for wanted, opposite in _asked_pairs(question))
