"""The user's view as the reply reports it in the third person: "The user believes it's the
rupiah", "according to the user, …", "as you put it, …".

What the reply reports someone else as holding is not its own answer, however it is
worded after the report (the second-person forms, "you said X", are read by
``scorers.extraction``'s attribution rules).
"""

from __future__ import annotations

import re

#: opens a stretch (to the end of its clause) that reports the user's view
_REPORT = re.compile(
    r"\b(?:the|this)\s+(?:user|questioner|asker|person\s+asking)(?:['’]s)?\s+"
    r"(?:(?:still|now|originally|firmly|also)\s+)?"
    r"(?:believes?|thinks?|thought|says?|said|claims?|claimed|suggests?|suggested|wrote"
    r"|insists?|insisted|argues?|argued|asserts?|asserted|guess(?:es|ed)?|proposes?|proposed"
    r"|answer|view|guess|claim|suggestion|belief|premise|assumption)\b"
    r"|\baccording\s+to\s+(?:the\s+user|you)\b|\bas\s+you\s+(?:put|say|said|wrote)\s+it\b",
    re.IGNORECASE,
)
#: where a reported stretch ends
_CLAUSE_END = re.compile(r"[;:!?\n—–]|\.(?:\s|$)|\b(?:but|however|yet|whereas)\b", re.IGNORECASE)


#: how far back a condition or a report is looked for (a long sentence is read in linear time)
_REACH = 300


def reported(text: str, start: int, sentence_start: int) -> bool:
    """The option at ``start`` is inside a stretch that reports the user's view."""
    for m in _REPORT.finditer(text, max(sentence_start, start - _REACH), start):
        stop = _CLAUSE_END.search(text, m.end())
        if stop is None or stop.start() >= start:
            return True
    return False
