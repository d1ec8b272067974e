"""Where sentences, clauses and parts end. Most rules read only the option's own clause or
sentence ("not X" must be in X's clause); the boundaries are found once per reply
(:func:`cuts`), so reading a long reply stays near-linear.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from scorers.extraction.folding import fold_mapped, folded_spans

#: a full stop ends a sentence, except after a title or an abbreviation ("Martin Luther King
#: Jr. was", "Dr. King", "the U.S. Senate")
ABBREVIATIONS = (
    r"(?<!\bJr)(?<!\bSr)(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bSt)(?<!\bMrs)(?<!\bvs)(?<!\b[A-Z]\.[A-Z])"
)

#: (each lookbehind of a pattern comes after a quicker test of the same place: they are all
#: tried at every place of every reply the reader reads; so is a lookahead for the characters
#: the branches can start with, before the branches)
SENTENCE_END = re.compile(
    r"(?=\s)(?:(?<=[!?])\s+|(?<=\.)" + ABBREVIATIONS.replace(")", r"\.)") + r"\s+|\n+"
    r"|(?<=[.!?]['’\"”])(?P<quoted>\s+)(?=[A-Z*_#(\"'“‘]))"  # "… in chains.' Voltaire …"
)

#: a comma or full stop ends a clause, except inside a number ("116,460", "3.5")
CLAUSE_END = re.compile(
    r"(?=[,.;:!?\nbhy—–\s])"
    r"(?:[,.](?<!\d[,.])|[,.](?!\d)|[;:!?\n]|\bbut\b|\bhowever\b|\byet\b|—|–|\s-\s)",
    re.IGNORECASE,
)

_CLAUSE_SPLIT = re.compile(
    r"(?=[;:—–,batwyh!?\n.])(?:"
    r"[;:—–]|,(?<!\d,)|,(?!\d)|\b(?:but|although|though|while|whereas|yet|however)\b|[!?](?=\s)|\n"
    r"|(?=\.)" + ABBREVIATIONS + r"\.(?=\s))",
    re.IGNORECASE,
)


@lru_cache(maxsize=32)
def cuts(text: str, separator: re.Pattern[str]) -> tuple[list[int], list[int]]:
    """Where ``separator`` matches in ``text`` (starts, ends): found once per reply, so reading
    a long reply stays near-linear in its mentions."""
    quoting = "quoted" in separator.groupindex  # SENTENCE_END's quote branch, and its kin
    found = [
        m
        for m in separator.finditer(text)
        if not quoting or m.group("quoted") is None or _a_quoted_sentence(text, m.start() - 1)
    ]
    return [m.start() for m in found], [m.end() for m in found]


def _a_quoted_sentence(text: str, closing: int) -> bool:
    """The quote closing at ``closing`` after a full stop holds a sentence of its own ("…
    opens 'Man is born free, and everywhere he is in chains.'"), not a single quoted name
    ("'Voltaire.' That's the answer most people give")."""
    opening = max(text.rfind(q, 0, closing) for q in _OPENING_QUOTES[text[closing]])
    return opening >= 0 and len(text[opening + 1 : closing].split()) >= 3


#: the quotes that open what each closing quote closes
_OPENING_QUOTES = {"'": "'", "’": "‘'", '"': '"', "”": '“"'}


def piece_of(text: str, at: int, separator: re.Pattern[str]) -> tuple[int, int]:
    """The stretch of ``text`` around ``at`` between two matches of ``separator``."""
    starts, ends = cuts(text, separator)
    before = bisect_right(ends, at) - 1
    after = bisect_left(starts, at)
    return (ends[before] if before >= 0 else 0, starts[after] if after < len(starts) else len(text))


def clause_start(text: str, at: int) -> int:
    return piece_of(text, at, CLAUSE_END)[0]


def sentence_of(text: str, at: int) -> tuple[int, int]:
    return piece_of(text, at, SENTENCE_END)


def part_of(text: str, at: int) -> tuple[int, int]:
    """The sentence around ``at``, cut at semicolons: "until 1927; today it is Canberra"."""
    return piece_of(text, at, _PART_END)


_PART_END = re.compile(SENTENCE_END.pattern + "|;")


def clause_of(text: str, at: int) -> tuple[int, int]:
    return piece_of(text, at, _CLAUSE_SPLIT)


#: what stands for a full stop inside a name: ONE DOT LEADER, which folds to "." (so the name
#: is still found) but ends no sentence
_NAME_STOP = "\u2024"


def join_names(text: str, names: list[list[str]]) -> str:
    """``text`` with the full stops inside options' names ("Ulysses S. Grant", "T. S. Eliot")
    swapped for a character that ends no sentence; offsets are kept."""
    dotted = {n for own in names for n in own if ". " in n.strip()}
    if not dotted:
        return text
    folded = fold_mapped(text)
    chars = list(text)
    for name in dotted:
        for start, end in folded_spans(folded, name):
            for i in range(start, end - 1):
                if chars[i] == "." and chars[i + 1].isspace():
                    chars[i] = _NAME_STOP
    return "".join(chars)
