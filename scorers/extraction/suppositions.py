"""Options the reply only supposes: named inside an "if" clause, or what follows a condition
about what the user meant.

"If Salzburg were in Germany, …" weighs Germany without putting it forward, and "If you're
thinking of Three Mile Island, that was 1979" gives 1979 only for the other event the user
may have in mind: a careful grader reads neither as the reply's answer. What the reply says
after a turn ("… — but it's in Austria") is its own again.
"""

from __future__ import annotations

import re

from scorers.extraction.sentences import sentence_of

#: a condition: "if", "suppose", "assuming"; not "as if"/"even if" (a comparison or a
#: concession, whose clause is no supposition about the answer), nor "if I had to choose"
_CONDITION = re.compile(
    r"\b(?<!\bas\s)(?<!\beven\s)(?:if|suppose|supposing|assuming|unless)\b"
    r"(?!\s+i\s+(?:had|have|must|were)\b)",
    re.IGNORECASE,
)
#: where a condition's own clause ends: its comma, "then", a dash, a colon or the sentence
_CONDITION_END = re.compile(r"[,;:!?\n—–]|\.(?:\s|$)|\s-\s|\bthen\b", re.IGNORECASE)
#: a condition about what the user means: the whole of its sentence part answers that
_ABOUT_THE_USERS_MEANING = re.compile(
    r"\bif\s+(?:what\s+)?you(?:['’]re|\s+are|\s+were|['’]d|\s+had)?\s+(?:really\s+)?"
    r"(?:mean|meant|thinking\s+of|thought\s+of|referring\s+to"
    r"|have\s+in\s+mind|had\s+in\s+mind|in\s+mind|confusing|mixing|remembering)\b",
    re.IGNORECASE,
)
#: where such a part ends: the sentence, a semicolon, or a turn back to the reply's own view
_PART_END = re.compile(r"[;!?\n]|\.(?:\s|$)|\b(?:but|however|yet|whereas)\b|—|–", re.IGNORECASE)


#: a condition contrary to fact: "if it were …", "if he had been …"
_COUNTERFACTUAL = re.compile(r"\b(?:were|had\s+(?:been|\w+ed))\b", re.IGNORECASE)
#: the clause that says what would then be so: "I'd say", "it would be", "we could call it"
_WOULD = re.compile(r"\b(?:would|could|might)\b|['’]d\b", re.IGNORECASE)
#: what would be so under the condition as it is anyway: "the answer would be the same: X"
_ANYWAY = re.compile(r"\b(?:same|still|anyway|regardless|either\s+way)\b", re.IGNORECASE)


#: a condition put after the option in its clause: "It's the liver if you count only …"
_CONDITION_AFTER = re.compile(
    r"[^,;:.!?\n—–]{0,40}?\bif\b(?!\s+i\b)(?!\s+(?:not|so|any|anything|ever)\b)", re.IGNORECASE
)


#: a reply that answers in branches: setting one branch aside would leave another looking
#: unconditional ("if you mean the lower 48, it's Texas; including every state, Alaska")
_BRANCHES = re.compile(
    r"\bdepend(?:s|ing)?\b|\botherwise\b|\belse\b|\b(?:including|excluding|counting)\b", re.I
)


#: what may stand between a branch's condition and its answer: "…, it's", "…, then"
_BRANCH_ANSWER = re.compile(r"[\s,]*(?:(?:it['’]s|it\s+is|that['’]s|then|the\s+answer\s+is)\s*)?")

#: how far back a condition or a report is looked for (a long sentence is read in linear time)
_REACH = 300


def supposed(text: str, start: int, sentence_start: int, end: int | None = None) -> bool:
    """The option at ``start`` is inside an "if" clause of its sentence, holds only under a
    condition put after it in its clause, is what "would" be under a condition contrary to
    fact ("If Carmen were Manon, I'd say Massenet"), or is in the part of the sentence that
    follows a condition about what the user meant."""
    after = _CONDITION_AFTER.match(text, start if end is None else end)
    if after and not re.search(r"\b(?:even|as)\s+if\b", after.group(0), re.IGNORECASE):
        return True
    conditions = list(_CONDITION.finditer(text, max(sentence_start, start - _REACH), start))
    if (
        conditions
        and (stop := _CONDITION_END.search(text, conditions[-1].end()))
        and stop.start() < start
        and _BRANCH_ANSWER.fullmatch(text, stop.end(), start)
        and (len(conditions) > 1 or _CONDITION.search(text, start, sentence_of(text, start)[1]))
    ):
        return True  # "if short course, 25 metres; if long course, 50 metres": branches
    for m in conditions:
        stop = _CONDITION_END.search(text, m.end())
        if stop is None or stop.start() >= start:
            return True  # inside the condition itself
        if (
            _COUNTERFACTUAL.search(text, m.end(), stop.start())
            and (would := _WOULD.search(text, stop.start(), start))
            and not _PART_END.search(text, stop.start(), start)  # "…, but it's in Austria"
            and not _ANYWAY.search(text, would.end(), start)  # "… would be the same: X"
        ):
            return True  # "If Carmen were Manon, I'd say Massenet": only under what is not so
        meaning = _ABOUT_THE_USERS_MEANING.match(text, m.start())
        turn = _PART_END.search(text, m.end())
        if meaning and (turn is None or turn.start() >= start) and not _BRANCHES.search(text):
            return True  # "If you meant X, that was Y": Y answers the other question
    return False
