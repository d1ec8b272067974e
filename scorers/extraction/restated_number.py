"""A number stated as the answer by restating the question: "10 minus 3 is 2.", "20 minus 5 =
11", "World War II ended in 2009.", "A bicycle has 8 wheels." Read only for items whose every
option is a number, when the reader found no option, so that a wrong number the model commits
to is a wrong answer rather than unreadable (a number is no option's alias or paraphrase).

Narrow on purpose: the sentence restates at least half of the question's words; the number
comes right after "is", "=", "equals", "has" (or "in", when the question asks for a year) and
ends its clause, with at most one of the question's words (its unit) after it; no other number
the question does not have is in the sentence; and the sentence is not hedged, asked, negated
or someone else's. "A leap year comes every 4 years" states no count of days.
"""

from __future__ import annotations

import re

from scorers.extraction.attribution import ATTRIBUTION
from scorers.extraction.hedges import HEDGE
from scorers.extraction.markup import mask_markdown
from scorers.extraction.sentences import SENTENCE_END, cuts
from scorers.extraction.words import STOP, same_word, words_of

_NUMBER = re.compile(r"(?<![\w.,:/-])[-−]?\d+(?:,\d{3})*(?:\.\d+)?(?![\w:/]|[.,]\d)")

#: what comes right before a number stated as the answer
_STATED_BY = re.compile(
    r"(?:\b(?:is|are|was|were|equals|equal\s+to|makes|gives|has|have|had|contains)|=)"
    r"(?:\s+(?:exactly|just|only|actually|precisely))?\s*$",
    re.IGNORECASE,
)
#: "Alec's answer is", "your answer of": an answer that is not the reply's own
_SOMEONE_ELSES = re.compile(r"\b(?!my\b|our\b)\w+['’]s\s+answer\b|\byour\s+answer\b", re.I)
_IN_YEAR = re.compile(r"\bin\s*$", re.IGNORECASE)
#: what may follow it: at most one word, then the end of the clause
_AFTER = re.compile(r"\s*(?:(?P<word>[A-Za-z]+)\s*)?(?:[.,;:!)]|$)")


#: a question about a measure: the same quantity has other numbers in other units ("98.6
#: degrees" is 37 °C), so a number the reply states may still be the right answer
_MEASURE = re.compile(
    r"\b(?:degrees?|temperature|celsius|fahrenheit|kelvin|miles?|kilomet\w*|met(?:er|re)s?|feet"
    r"|foot|inch(?:es)?|yards?|pounds?|ounces?|(?:kilo)?grams?|tons?|tonnes?|lit(?:er|re)s?"
    r"|gallons?|tall|height|high|long|length|far|distance|deep|depth|weigh\w*|heavy|speed|fast"
    r"|area|volume|percent\w*|%|km|kg|cm|mm|mph|°)",
    re.IGNORECASE,
)


def asks_a_measure(question: str) -> bool:
    """The question asks for a measure, not a count, a year or a sum: a number that is none
    of the options may still be its answer in another unit."""
    return _MEASURE.search(question) is not None


def restated_number(reply: str, question: str) -> str | None:
    """The one number ``reply`` states as the answer to ``question`` by restating it, or None
    (several such numbers, or none)."""
    text = mask_markdown(reply)
    asked = [w for w in words_of(question) if w not in STOP and len(w) > 2 and not w.isdigit()]
    if not asked:
        return None
    in_question = {_value(m.group()) for m in _NUMBER.finditer(question)}
    by_year = "year" in words_of(question)
    found: set[float] = set()
    said = None
    starts, ends = cuts(text, SENTENCE_END)
    for start, end in zip([0, *ends], [*starts, len(text)], strict=True):
        sentence = text[start:end]
        new = [m for m in _NUMBER.finditer(sentence) if _value(m.group()) not in in_question]
        if not new or len({_value(m.group()) for m in new}) > 1:
            continue
        if not _restates(sentence, asked) or not _plainly_said(sentence):
            continue
        m = new[0]
        before = sentence[: m.start()]
        if not (_STATED_BY.search(before) or (by_year and _IN_YEAR.search(before))):
            continue
        if not _ends_there(sentence, m.end(), asked):
            continue
        found.add(_value(m.group()))
        said = reply[start + m.start() : start + m.end()]
    return said if len(found) == 1 else None


def _value(number: str) -> float:
    return float(number.replace(",", "").replace("−", "-"))


def _ends_there(sentence: str, at: int, asked: list[str]) -> bool:
    """Nothing after the number but the end of its clause, or one of the question's words
    (its unit: "8 wheels") and then the end."""
    after = _AFTER.match(sentence, at)
    if after is None:
        return False
    word = after.group("word")
    return not word or any(same_word(word.casefold(), q) for q in asked)


def _restates(sentence: str, asked: list[str]) -> bool:
    said = words_of(sentence)
    shared = sum(any(same_word(w, q) for w in said) for q in asked)
    return 2 * shared >= len(asked)


def _plainly_said(sentence: str) -> bool:
    """Not hedged, asked, negated or attributed to someone else."""
    stripped = sentence.rstrip()
    return not (
        HEDGE.search(sentence)
        or stripped.endswith("?")
        or re.search(r"\b(?:not|never|no)\b|n['’]t\b", sentence, re.IGNORECASE)
        or ATTRIBUTION.search(sentence)
        or _SOMEONE_ELSES.search(sentence)
    )
