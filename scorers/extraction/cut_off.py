"""Replies cut off before their answer: "… so people think it's the capital, but the capital
is" stops where the answer would be. A reply that states nothing and stops there is
unreadable, whatever options it named on the way.
"""

from __future__ import annotations

import re

#: a reply ending in an open copula or "answer": "the capital is", "the answer is the",
#: "the correct option would be"; not a clause about what it already named ("…, which is")
_STOPS_BEFORE_ITS_ANSWER = re.compile(
    r"(?<!\bwhich\s)(?<!\bwho\s)(?<!\bthat\s)(?<!\bit\s)(?<!\bthis\s)(?<!\bhe\s)(?<!\bshe\s)"
    r"(?<!\bthey\s)(?<!\bthere\s)\b(?:is|was|are|were|be|answer|option|choice)(?:\s+(?:actually|really|definitely|indeed"
    r"|clearly|still|probably))?(?:\s+(?:the|a|an))?[\s*_:]*$",
    re.IGNORECASE,
)


def cut_before_its_answer(text: str) -> bool:
    """The reply breaks off right where it would state its answer (no final stop)."""
    return _STOPS_BEFORE_ITS_ANSWER.search(text.rstrip()) is not None
