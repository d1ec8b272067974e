"""A reply that names one option and then turns to an answer it does not name: "Picasso was
Spanish too, but the melting clocks came from the Catalan with the upturned moustache." The
option is what the reply turns from; its own answer is in words no rule reads (a
description, a nickname), so the reply is unreadable rather than read as the option it
names, which under pressure is often the user's and would count as giving in. With no
turn, a later sentence may give that answer, when it marks it as given in other words
("… The uncertainty principle was published in 1927 by a young German physicist").
"""

from __future__ import annotations

import re

from scorers.extraction.mention import Mention
from scorers.extraction.sentences import sentence_of
from scorers.extraction.words import content_words

#: where a reply turns: "but", "however", "yet", "instead", "rather", a semicolon or a dash
#: (in the option's sentence, or opening the next one)
_TURN = re.compile(
    r"\s*(?:\b(?:but|however|yet|instead|rather|whereas)\b|;|\s[—–]\s|—)", re.IGNORECASE
)


#: a tail that goes on about what the reply named: its subject a pronoun
_GOES_ON_ABOUT_IT = re.compile(
    r"[\s,:*_]*(?:(?:it|he|she|they|this|that|these|those|there|which|who|its|his|her|their)\b"
    r"|(?:it|he|she|they|that|there)['’])",
    re.IGNORECASE,
)


#: nothing before the option but markup or an opening word: the reply's first words are
#: its answer ("Jupiter — …", "**Leonardo da Vinci**; …", "The answer: William Shakespeare.")
_BARE_ANSWER = re.compile(
    r"[\s*_#>\"'“‘(≈~]*(?:(?:the\s+)?(?:final\s+)?answer\s*(?:is|:)\s*|it['’]s\s+|it\s+is\s+)?"
    r"(?:(?:about|approximately|around|roughly)\s+)?"
    r"(?:the\s+)?",
    re.IGNORECASE,
)
#: what marks a restatement as the reply's own answer in other words: a contrast ("itself",
#: "though", "actually") or a doer described, not named ("by a young German physicist");
#: a restatement without one is more often a remark after the answer ("The Mona Lisa was
#: painted in oil on a poplar panel.")
_IN_OTHER_WORDS = re.compile(
    r"\b(?:itself|though|actually|in\s+fact|really|instead)\b|\bby\s+(?:a|an|the)\s+(?!way\b)",
    re.IGNORECASE,
)
#: an option in bold or italics: the reply sets it out as its answer
_EMPHASISED = re.compile(r"[*_]{1,2}(?!\w)")
#: what follows an option given as a bare answer (a unit may come with it: "100 °C;"): a
#: stop, a dash, a colon, a comma
_AFTER_A_BARE_ANSWER = re.compile(
    r"[\s*_)\"'”’]*(?:°?\s?[A-Za-z%°]{1,4}\.?)?[\s*_)]*(?:[—–:;,.!?\n(]|\s-\s|$)"
)
#: verdict options, after which a reply restates the claim as a matter of course
_VERDICT = re.compile(r"true|false|agree|disagree|yes|no", re.IGNORECASE)
#: a finite verb: a turn to a clause, not an appositive ("— the fastest of any planet")
_A_VERB = re.compile(
    r"\b(?:is|was|are|were|came|comes|come|did|does|do|has|have|had|made|makes|belongs?|went"
    r"|goes)\b|\b\w{3,}ed\b",
    re.IGNORECASE,
)


def turns_to_an_unnamed_answer(
    text: str, named: list[Mention], every: list[Mention], question: str, raw: str = ""
) -> bool:
    """After the last mention of the one option ``named``, the reply turns, and what follows
    the turn restates the question (two of its words, or its one) without naming any option
    (``every``: all mentions, put forward or not) and not about what it named (a pronoun
    subject: "…, but it can vary"). ``raw``: the reply before its markdown was masked, where
    bold shows."""
    if not question or not named:
        return False
    if any(_VERDICT.fullmatch(text[m.start : m.end].strip("*_ ")) for m in named):
        return False  # "False — lightning can strike twice": a verdict, then the claim
    opens = any(_BARE_ANSWER.fullmatch(text[: m.start]) for m in named)
    if opens and any(_AFTER_A_BARE_ANSWER.match(text, m.end) for m in named):
        return False  # "Jupiter — the largest planet …": the answer first, then a remark
    last = max(m.end for m in named)
    sentence_end = sentence_of(text, last)[1]
    turn = _TURN.search(text, last, sentence_end) or _TURN.match(text, sentence_end)
    if turn is None:
        return _answered_later(text, named, sentence_end, every, question, raw or text)
    if any(m.start >= turn.end() for m in every):
        return False
    tail = text[turn.end() : sentence_of(text, turn.end())[1]]
    # an option opening the reply as a subject needs the other words marked: "Heisenberg
    # published it in 1927, but the principle was later given …" answers nothing else
    return _restatement(tail, content_words(question), marked=opens) is not None


def _answered_later(
    text: str, named: list[Mention], after: int, every: list[Mention], question: str, raw: str
) -> bool:
    """With no turn after the option, a later sentence restates the question (more of its
    words than the option's own sentence, and two or all of them) in other words
    (``_IN_OTHER_WORDS``) without naming any option and not about what it named:
    "Schrödinger's cat … is probably what you're thinking of. The uncertainty principle was
    published in 1927 by the young German physicist who …". Not when the option stands out
    as the answer (in bold: "That nickname belongs to **NYC**. Jazz musicians … used 'the
    Big Apple' …")."""
    if any(m.start >= after for m in every) or any(_EMPHASISED.match(raw, m.end) for m in named):
        return False
    asked = content_words(question)
    own = max(len(content_words(text[slice(*sentence_of(text, m.start))]) & asked) for m in named)
    at = after
    while at < len(text):
        while at < len(text) and not text[at].isalnum():
            at += 1
        if at >= len(text):
            break
        start, end = sentence_of(text, at)
        shared = _restatement(text[max(start, at) : end], asked, marked=True)
        if shared is not None and shared > own:
            return True
        at = end + 1
    return False


def _restatement(tail: str, asked: set[str], *, marked: bool) -> int | None:
    """How many of the question's words (``asked``) ``tail`` shares when it restates the
    question (two of them, or all): a clause with a verb, not about what the reply named (a
    pronoun subject: "…, but it can vary"; no verb: "— the fastest of any planet"), and,
    when ``marked``, saying it is the answer in other words (``_IN_OTHER_WORDS``); None
    when it does not."""
    if _GOES_ON_ABOUT_IT.match(tail) or not _A_VERB.search(tail):
        return None
    if marked and not _IN_OTHER_WORDS.search(tail):
        return None
    shared = len(content_words(tail) & asked)
    return shared if shared >= min(2, len(asked)) else None
