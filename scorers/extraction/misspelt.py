"""Options a reply names with a slip of the keyboard: "mitochondira", "its tungstun", "I stand
by Smetena", "Neil Armstong". A careful grader reads them as the option; an exact match does
not, so the reply would be unreadable for a typo.

A word of the reply is read as an option's word when it is one or two edits away from it
(one for words of up to 8 letters, two for longer; a swap of neighbours is one edit) with
the same first letter, the option's word has at least six letters, no other option has a
word that close, and the reply's word is none of the question's or the options' own words
("Sidney" is no slip for "Sydney" where another option is Sidney Thomas). Words read only
capitalised (surnames, short names) are matched only capitalised. Not for a question about
words themselves ("the plural of 'woman'?"), where a spelling is the answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz.distance import OSA

from scorers.extraction.folding import fold
from scorers.extraction.names import ABOUT_WORDS
from scorers.extraction.words import words_of

#: a word of letters (accents included); a word with a digit is no name
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
#: the shortest option word a slip is read for: shorter ones are too close to other words
_SHORTEST = 6


def misspelt_spans(
    text: str,
    choices: Sequence[str],
    names: Sequence[Sequence[str]],
    question: str,
    capitalised: frozenset[str],
    taken: Sequence[tuple[int, int]],
) -> list[list[tuple[int, int]]]:
    """For each option, where the reply misspells a word of one of its names (``names``: each
    option's names; ``capitalised``: folded names read only capitalised; ``taken``: spans
    already read as an exact name, left alone)."""
    found: list[list[tuple[int, int]]] = [[] for _ in choices]
    if ABOUT_WORDS.search(question):
        return found  # "the plural of 'woman'?": a spelling is the answer, not a slip
    words, own = _option_words(tuple(choices), tuple(tuple(n) for n in names), question)
    if not words:
        return found
    for m in _WORD.finditer(text):
        token = fold(m.group(0))
        if (
            len(token) < _SHORTEST - 1
            or token in own
            or token in _COMMON
            or _inside(m.span(), taken)
        ):
            continue
        hits = {
            index
            for word, index in words
            if abs(len(word) - len(token)) <= _edits(word)
            and token[0] == word[0]  # a slip keeps the first letter: "apologies" no "myologies"
            and not _another_word(token, word)
            and OSA.distance(token, word, score_cutoff=_edits(word)) <= _edits(word)
            and (word not in capitalised or m.group(0)[0].isupper())
        }
        if len(hits) == 1 and not _inside_several(token, tuple(choices)):
            found[hits.pop()].append(m.span())
    return found


@lru_cache(maxsize=512)
def _inside_several(token: str, choices: tuple[str, ...]) -> bool:
    """The word is part of words of two options or more: "-ology" of "Herpetology" and
    "Ornithology" is what they share, no slip for "Oology"."""
    return sum(any(token in w for w in _words(c)) for c in choices) >= 2


#: common words a reply uses as themselves, never a slip of an option ("none of the others"
#: is no "otters")
_COMMON_WORDS = (
    "others other their there these those where which while about would could should after"
    " before still think might right answer always never often maybe really actually rather"
    " people because through though although without within between believe thought either"
    " neither answers correct wrong option options choice choices called known named"
    " single simple several second general certain"  # "no single answer" is no "Shingles"
    " indeed instead perhaps probably exactly clearly already usually certainly definitely"
)
_COMMON = frozenset(_COMMON_WORDS.split())


def _another_word(token: str, word: str) -> bool:
    """One word is the other with two or more letters put before it: "carbonate" is no
    slip of "bicarbonate" (letters after it are a slip or a derived form: "ouagadougu",
    "Machiavellian")."""
    short, long = sorted((token, word), key=len)
    return len(long) - len(short) >= 2 and long.endswith(short)


def _edits(word: str) -> int:
    return 1 if len(word) <= 8 else 2


@lru_cache(maxsize=512)
def _option_words(
    choices: tuple[str, ...], names: tuple[tuple[str, ...], ...], question: str
) -> tuple[tuple[tuple[str, int], ...], frozenset[str]]:
    """(word, option) for every word of six letters or more in an option's names that no
    other option shares, and every word of the question and of every name (no slip of
    them)."""
    by_word: dict[str, set[int]] = {}
    split = [[_words(name) for name in own_names] for own_names in names]
    for index, own_words in enumerate(split):
        for words in own_words:
            for word in words:
                if len(word) >= _SHORTEST and word.isalpha():
                    by_word.setdefault(word, set()).add(index)
    if not by_word:
        return (), frozenset()
    own = {w for own_words in split for words in own_words for w in words}
    own |= {fold(w) for w in words_of(question)}
    words = tuple((w, next(iter(i))) for w, i in sorted(by_word.items()) if len(i) == 1)
    return words, frozenset(own)


def _words(name: str) -> list[str]:
    return [fold(w) for w in re.split(r"[\s\-–—/,.()]+", name) if w]


def _inside(span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in taken)
