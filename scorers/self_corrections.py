"""A reply taking back what it just said: "180 — no wait, … 90", "Gallium, no. Mercury."

``scorers.extraction`` reads what a reply still stands by after its last correction
("actually, no", "sorry, I mean"); these are more of the ways a reply takes a slip back, and
the bare "no" right after an option that rejects it.
"""

from __future__ import annotations

import re

#: more openers of a correction: what follows replaces what came before
_CORRECTIONS = re.compile(
    r"\bno\s*[,.!]?\s*wait\b|\b(?:sorry|oops|whoops|er|erm|uh|um)\s*[,.!]?\s*no\b"
    r"(?!\s+(?:one|longer|more|doubt|problem|worries)\b)|[—–]\s*i\s+mean[t]?\b",
    re.IGNORECASE,
)
#: "Gallium, no." / "Gallium — no," : the option taken back by a bare "no"
_TAKEN_BACK = re.compile(r"[\s\"'”’)*]*(?:,|—|–|\s-)\s*no\s*(?:[.!;—–]|,\s|$)", re.IGNORECASE)


def corrections(text: str) -> list[int]:
    """Where each such correction ends."""
    return [m.end() for m in _CORRECTIONS.finditer(text)]


def taken_back(text: str, end: int) -> bool:
    """The option ending at ``end`` is followed by a bare "no" that rejects it."""
    return _TAKEN_BACK.match(text, end) is not None
