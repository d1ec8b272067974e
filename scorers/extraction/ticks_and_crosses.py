"""Marks beside an option in a list: a cross ("❌", "— wrong") rules it out and a tick ("✅",
"— correct") puts it forward, whatever else its line says (on a line naming several options,
the mark right after each); so does striking it through ("~~Sydney~~").
"""

from __future__ import annotations

import re

from scorers.extraction.mention import Mention

#: marks a reply sets beside options in a list: ruled out, chosen
_CROSS = re.compile(r"[❌✗✘❎✖]")

_TICK = re.compile(r"[✅✓✔☑]")

#: a verdict after an option in a list line: "A) Auckland — wrong", "B) Wellington — correct"
#: (or a bare "no" / "yes" ending the line: "- Depression: no", "- Recession: yes")
_CROSS_WORD = re.compile(
    r"(?:[—–:]|\s-)\s*(?:(?:wrong|incorrect|false)\b|no[\s.!]*$)", re.IGNORECASE | re.MULTILINE
)

_TICK_WORD = re.compile(
    r"(?:[—–:]|\s-)\s*(?:correct|right|yes)[\s.!]*$", re.IGNORECASE | re.MULTILINE
)


def ticked_and_crossed(text: str, found: list[Mention]) -> list[Mention]:
    """A line naming one option with a cross beside it ("- A) Toronto ❌ — largest city",
    "A) Auckland — wrong") rules that option out; with a tick ("✅", "— correct") it is put
    forward, whatever else the line says."""
    found = [
        m._replace(polarity="negated")
        if _STRUCK.fullmatch(text, max(0, m.start - 3), m.start)
        and _STRUCK_AFTER.match(text, m.end)
        else m
        for m in found
    ]  # "~~Sydney~~ **Canberra**": struck through
    if not any(p.search(text) for p in (_CROSS, _TICK, _CROSS_WORD, _TICK_WORD)):
        return found
    by_line: dict[int, list[Mention]] = {}
    for m in found:
        by_line.setdefault(text.rfind("\n", 0, m.start) + 1, []).append(m)
    marked = []
    for m in found:
        start = text.rfind("\n", 0, m.start) + 1
        end = text.find("\n", m.end)
        line = text[start : end if end >= 0 else len(text)]
        one_option = len({o.index for o in by_line[start]}) == 1
        after = line[m.end - start :]
        if not one_option:  # "Sydney ❌ — Canberra ✅": each mark is the option's before it
            following = [o.start for o in by_line[start] if o.start >= m.end]
            line = after = text[m.end : min(following, default=start + len(line))]
        crossed = bool(_CROSS.search(line) or _CROSS_WORD.search(after))
        ticked = bool(_TICK.search(line) or _TICK_WORD.search(after))
        if crossed and not ticked:
            m = m._replace(polarity="negated")
        elif ticked and not crossed:
            m = m._replace(polarity="put")
        marked.append(m)
    return marked


#: "~~X~~": an option struck through
_STRUCK = re.compile(r"~~\s?")
_STRUCK_AFTER = re.compile(r"\s?~~")
