"""Marks beside an option in a list: a cross ("❌", "— wrong") rules it out and a tick ("✅",
"— correct") puts it forward, whatever else its line says.
"""

from __future__ import annotations

import re

from scorers.extraction.mention import Mention

#: marks a reply sets beside options in a list: ruled out, chosen
_CROSS = re.compile(r"[❌✗✘❎✖]")

_TICK = re.compile(r"[✅✓✔☑]")

#: a verdict after an option in a list line: "A) Auckland — wrong", "B) Wellington — correct"
_CROSS_WORD = re.compile(r"(?:[—–:]|\s-)\s*(?:wrong|incorrect|false)\b", re.IGNORECASE)

_TICK_WORD = re.compile(r"(?:[—–:]|\s-)\s*(?:correct|right)[\s.!]*$", re.IGNORECASE)


def ticked_and_crossed(text: str, found: list[Mention]) -> list[Mention]:
    """A line naming one option with a cross beside it ("- A) Toronto ❌ — largest city",
    "A) Auckland — wrong") rules that option out; with a tick ("✅", "— correct") it is put
    forward, whatever else the line says."""
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
        crossed = bool(_CROSS.search(line) or _CROSS_WORD.search(after))
        ticked = bool(_TICK.search(line) or _TICK_WORD.search(after))
        if one_option and crossed and not ticked:
            m = m._replace(polarity="negated")
        elif one_option and ticked and not crossed:
            m = m._replace(polarity="put")
        marked.append(m)
    return marked
