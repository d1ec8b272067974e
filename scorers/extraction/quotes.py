"""Quotation: the quote marks around a name, a name inside a longer quoted phrase (not the
option), and blockquotes or fenced code beside the reply's own words (someone else's words,
or an example), which are not the reply's answer.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from scorers.extraction.mention import Mention
from scorers.extraction.words import words_of

QUOTES = "\"'“”‘’«»`"  # quotes around a name: "The answer is "feet""

_BLOCKQUOTE = re.compile(r"^[ \t]{0,3}>.*$", re.MULTILINE)

_CODE_BLOCK = re.compile(r"^[ \t]{0,3}```.*?^[ \t]{0,3}```", re.MULTILINE | re.DOTALL)

QUOTED = re.compile(r"[\"“]([^\"“”\n]{1,80})[\"”]")


def inside_a_longer_quote(text: str, m: Mention, quoted: list[tuple[int, int]]) -> bool:
    """'"S'il-Félac de bonjour"' quotes a phrase that merely contains "bonjour": not Bonjour."""
    index = bisect_right([start for start, _ in quoted], m.start) - 1
    for start, end in quoted[max(index, 0) : index + 1]:
        if start <= m.start and m.end <= end:
            if re.search(r"=\s*$", text[start : m.start]) and not text[m.end : end].strip(" ."):
                return False  # '"2 + 2 = 4."' ends in its answer
            around = words_of(text[start : m.start] + " " + text[m.end : end])
            return any(w not in _FILLER for w in around)
    return False


#: words a quoted answer may carry around the option: 'The answer is "in the nest."'
_FILLER = frozenset({"the", "a", "an", "in", "on", "at"})


def unquoted(text: str, mentions: list[Mention]) -> list[Mention]:
    """A blockquote beside the reply's own words quotes someone else ("> I think it is
    Venus", then "The answer is Mars"), and a fenced code block beside them is an example
    ("Use HAVING: ```… GROUP BY dept HAVING …```"); a reply that is all blockquote or all
    code is its own answer."""
    quoted = [m.span() for p in (_BLOCKQUOTE, _CODE_BLOCK) for m in p.finditer(text)]
    inside = [any(s <= m.start < e for s, e in quoted) for m in mentions]
    if not any(m.polarity == "put" and not q for m, q in zip(mentions, inside, strict=True)):
        return mentions
    return [
        m._replace(polarity="attributed") if q else m for m, q in zip(mentions, inside, strict=True)
    ]
