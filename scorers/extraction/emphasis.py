"""The one option a reply sets in bold is the answer it states: "**Stapes (the stirrup)** —
about 3 mm long. … The femur, by contrast, is the longest bone."

Large chat models bold their answer and then name the other options as context; a careful
grader reads the bold as the reply's statement. Only when the bold marks a single option
(a short span: the option, perhaps with a title or a gloss) and no other option is in bold
anywhere: a table or list that bolds several options states none of them this way.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any, Protocol, Self, TypeVar

_BOLD = re.compile(r"\*\*(?=\S)([^*\n]{1,80}?)(?<=\S)\*\*|__(?=\S)([^_\n]{1,80}?)(?<=\S)__")
#: words a bold span may hold beside the option: "Queen Gertrude", "Newton (N)"
_MAX_OTHER_WORDS = 4


class Named(Protocol):
    """A mention of an option (``scorers.extraction.Mention``)."""

    @property
    def index(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def polarity(self) -> str: ...
    def _replace(self, **changes: Any) -> Self: ...


M = TypeVar("M", bound=Named)


def emphasised(text: str, mentions: Sequence[M]) -> list[M]:
    """``mentions`` with the plain mentions of the one option in bold read as statements."""
    spans = [m.span(1) if m.group(1) else m.span(2) for m in _BOLD.finditer(text)]
    if not spans:
        return list(mentions)
    starts = [start for start, _ in spans]
    inside = {}
    for i, m in enumerate(mentions):
        at = bisect_right(starts, m.end - 1) - 1  # the last bold span opening before its end
        if at >= 0 and m.start < spans[at][1]:
            inside[i] = spans[at]
    if len({mentions[i].index for i in inside}) != 1 or len({m.index for m in mentions}) < 2:
        return list(mentions)  # nothing else named: the bold changes nothing
    for i, (start, end) in inside.items():
        m = mentions[i]
        rest = text[start : max(start, m.start)] + " " + text[min(end, m.end) : end]
        if len(re.findall(r"\w+", rest)) > _MAX_OTHER_WORDS:
            return list(mentions)
    return [
        m._replace(kind="statement")
        if i in inside and m.kind == "text" and m.polarity == "put"
        else m
        for i, m in enumerate(mentions)
    ]
