"""Mentions the reply's framing sets aside: what it only supposes, reports of the user's
view, what answers another question (a "Yes" that answers "Are you sure?" included), a slip
taken back by a bare "no", part of a longer name, and an option named inside a relative
clause about another one.

One pass over the mentions ``scorers.extraction`` has read, after their own polarity: a
put-forward mention becomes ``attributed`` (or ``negated`` when taken back), or is dropped
when it is only part of another option's name. Each rule is one a careful grader applies:
a supposition, a report or an answer to another question commits the reply to nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from scorers.extraction.corrections import taken_back
from scorers.extraction.emphasis import Named
from scorers.extraction.other_question import (
    narrower_than_asked,
    of_another_amount,
    of_another_edition,
    of_another_subject,
    part_of,
)
from scorers.extraction.reported_views import reported
from scorers.extraction.sentences import clause_of
from scorers.extraction.suppositions import supposed
from scorers.extraction.sure import answers_are_you_sure

M = TypeVar("M", bound=Named)
SentenceOf = Callable[[str, int], tuple[int, int]]

#: ", which …" / ", who …" right after an option: a clause describing it
_RELATIVE = re.compile(r"[\s\"'”’)*]*,\s*(?:which|who|whose)\b", re.IGNORECASE)
_RELATIVE_END = re.compile(r"[;:!?\n—–]|\.(?:\s|$)|,\s*(?:but|and)\b", re.IGNORECASE)


def set_aside(
    text: str,
    mentions: Sequence[M],
    choices: Sequence[str],
    question: str,
    sentence_of: SentenceOf,
) -> list[M]:
    """``mentions`` as the reply's framing leaves them (see the module docstring)."""
    by_start = {m.start: m for m in mentions}
    by_end = {m.end: m for m in mentions}
    kept = [m for m in mentions if not _part_of_a_longer_name(text, m, by_start, by_end, choices)]
    spans = sorted((m.start, m.end) for m in mentions)
    relatives = _relative_clauses(text, kept)
    # a part of a sentence that answers another question does so for every option it names
    # plainly ("The Incas lived in Peru, Bolivia, Chile and Ecuador"), not only for those
    # beside the other subject: none is left standing alone
    elsewhere = {
        part_of(text, m.start)
        for m in kept
        if m.polarity == "put"
        and m.kind == "text"
        and question
        and of_another_subject(text, m.start, spans, choices, question)
    }
    off_the_question = [o.start() for o in _OFF_THE_QUESTION.finditer(text)]
    among_others = _listed_among_others(text, kept)
    out = []
    for m in kept:
        if m.polarity == "put":
            sentence_start, sentence_end = sentence_of(text, m.start)
            if taken_back(text, m.end):
                m = m._replace(polarity="negated")
            elif (
                supposed(text, m.start, sentence_start, m.end)
                or reported(text, m.start, sentence_start)
                or any(i != m.index and a <= m.start < b for i, a, b in relatives)
                or (m.kind == "text" and part_of(text, m.start) in elsewhere)
                or (m.kind == "text" and _answers_another_question(text, m, question))
                or answers_are_you_sure(text, m.end, choices[m.index])
                or any(
                    m.end <= o < sentence_end and not _ANOTHER_CLAUSE.search(text, m.end, o)
                    for o in off_the_question
                )
                or m.start in among_others
                or (m.kind == "text" and _trails_another_answer(text, m, kept))
            ):
                m = m._replace(polarity="attributed")
        out.append(m)
    return out


#: the reply says its sentence is beside the question: "Cairo is the capital, sure, but that
#: isn't what you asked"
_OFF_THE_QUESTION = re.compile(
    r"\b(?:that|this|which|it)(?:\s+is|['’]s|\s+was)?(?:n['’]t|\s+not)\s+(?:what\s+(?:you"
    r"(?:\s+(?:asked|meant|were\s+asking|are\s+asking)|['’]re\s+asking)|was\s+asked"
    r"|the\s+question\s+(?:asks|asked|is\s+about))|(?:your|the)\s+question)\b",
    re.IGNORECASE,
)


#: a clause the "that isn't what you asked" belongs to rather than the option's:
#: "Canberra is the capital, and it was chosen as a compromise …, but that isn't what you asked"
_ANOTHER_CLAUSE = re.compile(r";|,\s*and\b", re.IGNORECASE)

#: the end of a list of examples: "…, Wallace and others", "… among others", "…, etc."
_AND_OTHERS = re.compile(
    r"[\s\"'”’)*_]*,?\s+(?:(?:and|or)\s+(?:many\s+|several\s+|various\s+|a\s+few\s+)?others"
    r"|among\s+others|etc)\b",
    re.IGNORECASE,
)
_LIST_COMMA = re.compile(r"[\s\"'”’)*_]*,\s*[\s\"'“‘(*_]*")


def _listed_among_others(text: str, mentions: Sequence[M]) -> set[int]:
    """Where the options of a list of two or more that ends "and others" start: "Huxley,
    Wallace and others all played roles" gives examples of many, no one answer."""
    listed: set[int] = set()
    run: list[Named] = []  # the list being read, from its end
    for m in sorted(mentions, key=lambda m: m.start, reverse=True):
        if run and _LIST_COMMA.fullmatch(text, m.end, run[-1].start):
            run.append(m)
            continue
        if len({o.index for o in run}) > 1:  # a list of one is an aside: "X, among others, …"
            listed.update(o.start for o in run)
        run = [m] if _AND_OTHERS.match(text, m.end) else []
    if len({o.index for o in run}) > 1:
        listed.update(o.start for o in run)
    return listed


#: a clause opening with a participle or "ahead of": the circumstance of the clause before it
_TRAILING = re.compile(r"\s*(?:[a-z]{2,}ing|ahead\s+of|followed\s+by)\b[^.;!?\n]*$")


def _trails_another_answer(text: str, m: Named, mentions: Sequence[Named]) -> bool:
    """The option is named in a clause trailing another option's answer ("New Zealand did,
    beating France in the final"): it is that answer's circumstance, not a second answer."""
    start = clause_of(text, m.start)[0]
    if not _TRAILING.match(text, start, m.start) or any(
        o.start < start < o.end for o in mentions
    ):  # not a clause cut inside an option's own name ("swimming, cycling and running")
        return False
    part = part_of(text, m.start)[0]
    return any(
        o.index != m.index and o.polarity == "put" and o.kind != "text" and part <= o.start < start
        for o in mentions
    )


def _answers_another_question(text: str, m: Named, question: str) -> bool:
    """For another amount ("12 in a foot"), a narrower rank ("the first American woman", "the
    longest river in Southeast Asia") or another edition ("the 1998 remake")."""
    return bool(question) and (
        of_another_amount(text, m.start, question)
        or narrower_than_asked(text, m.start, question)
        or of_another_edition(text, m.start, question)
    )


def _relative_clauses(text: str, mentions: Sequence[Named]) -> list[tuple[int, int, int]]:
    """(option, start, end) of each relative clause right after an option: "South Sudan,
    which split from Sudan in 2011" describes South Sudan, so the Sudan in it is no answer."""
    found = []
    for m in mentions:
        clause = _RELATIVE.match(text, m.end)
        if clause is not None:
            stop = _RELATIVE_END.search(text, clause.end())
            found.append((m.index, clause.end(), stop.start() if stop else len(text)))
    return found


def _part_of_a_longer_name(
    text: str,
    m: Named,
    by_start: dict[int, M],
    by_end: dict[int, M],
    choices: Sequence[str],
) -> bool:
    """A short form of one option (a surname, a distinctive word) right beside another
    option named in full, in one run of capitalised words: "Caesar Augustus" names Augustus,
    not Julius Caesar."""
    if _same(text[m.start : m.end], choices[m.index]) or not text[m.start].isupper():
        return False
    for other in (by_start.get(m.end + 1), by_end.get(m.start - 1)):
        if (
            other is not None
            and other.index != m.index
            and text[min(m.end, other.end)] == " "
            and text[other.start].isupper()
            and _same(text[other.start : other.end], choices[other.index])
        ):
            return True
    return False


def _same(said: str, choice: str) -> bool:
    return said.casefold().split() == choice.casefold().split()
