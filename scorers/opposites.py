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
        ("northernmost", "southernmost"),
        ("easternmost", "westernmost"),
    )
)  # fmt: skip


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.casefold()))


def opposite_of_the_asked(stretch: str, question: str) -> bool:
    """``stretch`` (what the reply says around an option) has the opposite of one of the
    question's words and none of that word's own forms: "considered to have ended" for
    "When did the French Revolution begin?"."""
    asked, said = _words(question), _words(stretch)
    for one, other in _PAIRS:
        for wanted, opposite in ((one, other), (other, one)):
            if asked & wanted and not asked & opposite and said & opposite and not said & wanted:
                return True
    return False
