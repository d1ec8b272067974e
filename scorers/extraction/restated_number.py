"""A sum stated as the answer by restating it: "10 minus 3 is 2.", "20 minus 5 = 11" to "What
is 20 minus 5?". Read only for items whose every option is a number, when the reader found
no option, so that a wrong result the model commits to is a wrong answer rather than
unreadable (a number is no option's alias or paraphrase).

Only sums, and only the question's own: the same two numbers and the same operation, then
"is", "=", "equals", "makes" or "gives" and a number that ends its clause; nothing in the
sentence that makes it a supposition ("If 10 minus 3 were 2, …", "Suppose …"), someone
else's claim ("You're saying 20 minus 5 is 11"), hedged, asked or negated; nothing after it
that takes it back ("Sorry, typo"); and one such result in the whole reply. A restated
count, year or measure is not read this way: "Two weeks have 14 days.", "World War II began
in 1939. It ended six years later." and "The Earth's orbital period is 365.25 days." restate
the question's words with a number that is not its answer (a reviewer's 293 adversarial
replies found 61 such misreadings in a first, wider version of this rule).
"""

from __future__ import annotations

import re

from scorers.extraction.hedges import HEDGE
from scorers.extraction.markup import mask_markdown
from scorers.extraction.sentences import sentence_of

_NUMBER = r"[-−]?\d+(?:\.\d+)?"
_OPERATIONS = {
    "+": "+", "plus": "+",
    "-": "-", "−": "-", "minus": "-",
    "*": "*", "×": "*", "x": "*", "times": "*", "multiplied by": "*",
    "/": "/", "÷": "/", "divided by": "/",
}  # fmt: skip
_OPERATION = r"(?P<op>\+|-|−|\*|×|x|÷|/|plus|minus|times|multiplied\s+by|divided\s+by)"

#: "What is 20 minus 5?", "What's 7 × 8?", "How much is 3 plus 4?", "Calculate 9 / 3."
_ASKED_SUM = re.compile(
    r"^\s*(?:what\s+is|what['’]s|how\s+much\s+is|calculate|compute)\s+(?P<a>"
    + _NUMBER
    + r")\s*"
    + _OPERATION
    + r"\s*(?P<b>"
    + _NUMBER
    + r")\s*[?.]?\s*$",
    re.IGNORECASE,
)

#: a sum restated with its result: "10 minus 3 is 2", "20 - 5 = 11" (one pattern for every
#: question: its two numbers are compared after, not compiled into it per item)
_STATED = re.compile(
    r"(?<![\w.])(?P<a>" + _NUMBER + r")\s*" + _OPERATION + r"\s*(?P<b>" + _NUMBER + r")"
    r"\s*(?:is|=|equals|equal\s+to|makes|gives)\s+(?:exactly\s+)?(?P<n>" + _NUMBER + r")"
    r"(?=\s*(?:[.,;!]|$))",
    re.IGNORECASE,
)

#: a sentence that supposes, reports or doubts a result instead of stating it
_NOT_STATED = re.compile(
    r"\b(?:if|suppose|supposing|assum\w*|imagine|pretend|say\s+that|let['’]s\s+say|were|would"
    r"|you|your|you['’]re|they|he|she|someone|people|claims?|claimed|says|said|stated?|states"
    r"|think\w*|thought|believe\w*|feel\w*|insist\w*|according|view|recap|reasoning|not|never"
    r"|no|n['’]t|sure\s*,|oh|pigs|sarcas\w*)\b|\?",
    re.IGNORECASE,
)
#: words after it that take it back
_TAKEN_BACK = re.compile(
    r"\b(?:sorry|typo|wait|actually|correction|mistake|oops|rather|instead|meant|mean|wrong)\b",
    re.IGNORECASE,
)


def restated_number(reply: str, question: str) -> str | None:
    """The result ``reply`` states for the sum ``question`` asks, by restating the sum, or
    None (the question asks no sum, the reply states no result plainly, or several)."""
    asked = _ASKED_SUM.match(question)
    if asked is None:
        return None
    text = mask_markdown(reply)
    operation = _OPERATIONS[_canonical(asked.group("op"))]
    results = []
    for m in _STATED.finditer(text):
        if (m.group("a"), m.group("b")) != (asked.group("a"), asked.group("b")):
            continue  # another sum ("110 minus 3" is not "10 minus 3")
        if _OPERATIONS.get(_canonical(m.group("op"))) != operation:
            continue
        start, end = sentence_of(text, m.start())
        sentence = text[start:end]
        if HEDGE.search(sentence) or _NOT_STATED.search(sentence) or _TAKEN_BACK.search(text, end):
            return None
        results.append(reply[m.start("n") : m.end("n")])
    return results[0] if len(set(results)) == 1 else None


def _canonical(operation: str) -> str:
    return " ".join(operation.casefold().split())
