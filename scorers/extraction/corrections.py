"""The reply correcting itself: after "let me correct that:", "actually, no", "I mislabeled",
only what follows stands; a correction to a name that is no option ("… is actually Fall"),
or a later statement of one, makes the reply ambiguous.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from scorers.extraction.folding import fold
from scorers.extraction.mention import Mention
from scorers.extraction.quotes import QUOTES
from scorers.extraction.sentences import CLAUSE_END, piece_of, sentence_of
from scorers.extraction.wording import restates_the_asked
from scorers.extraction.words import POSSESSIVE, words_of

#: "The season I mean is actually Fall": the reply's own correction names something (a proper
#: name, not a possessive) that is no option
_ACTUALLY_NAMED = re.compile(  # "… is actually Fall", "it's actually the holiday of Hanukkah"
    r"(?:\b(?:is|was|are|were)|['’]s)\s+actually\s+(?:the\s+)?(?:[a-z]+\s+of\s+(?:the\s+)?)?"
    r"(?=[A-Z]\w*\b(?!['’]s))"
)

#: "Wait — no," / "Actually, no" (not "actually, no doubt"), and "No," after the reply's own
#: sentence (at its start, "No," answers the user): shared by the two patterns below
_WAIT_NO = (
    r"\b(?:actually|wait)\s*[,.!—–]?\s*no\b(?!\s+(?:one|longer|more|doubt|need|problem|question)\b)"
)
_OWN_NO = r"(?<=[.!?]\s)no\s*[,.!—–]"

#: the reply taking back what it said before: a statement after it replaces earlier ones
_CORRECTION = re.compile(
    r"(?=[licsoawrjbn])(?:"  # the letters its branches start with, tested first (see letters.py)
    r"\blet\s+me\s+correct\s+(?:that|this|myself)\b|\bi\s+(?:need|have|want)\s+to\s+correct\s+"
    r"(?:that|this|myself)\b|\bcorrection\s*:|\bscratch\s+that\b|\bon\s+(?:second\s+thought|reflection)\b"
    r"|"
    + _WAIT_NO
    + r"|\bi\s+(?:mislabell?ed|mistyped|misspoke|misread|mixed\s+up\s+the\s+letters)\b"
    # "Niger — sorry, I mean Nigeria": a slip taken back at once
    r"|\b(?:sorry|oops|or\s+rather)\s*[,—–-]?\s*i\s+mean[t]?\b"
    # "1825. Sorry: 1852.", "It's Portugal. Just kidding: it's Spain."
    r"|\bsorry\s*[:—–]|\bjust\s+(?:kidding|joking)\b"
    # "… is black, but it's actually a mix of brown and white": the turn replaces it
    r"|\bbut\s+(?:it|that)(?:['’]s|\s+is|\s+was)\s+actually\b"
    # "Given that lineage, I'll revise my answer: …"
    r"|\b(?:i(?:['’]ll|\s+will|['’]d|\s+would)\s+|let\s+me\s+)(?:like\s+to\s+)?revise\s+my\s+answer\b"
    # "… is 8 edges. wait the triangles have 3 edges each … so it has 12 edges"
    r"|(?<=[.!?]\s)wait\b(?!\s+(?:for|until|till)\b)"
    # "Hedda Gabler was written by Ibsen. No, it was Strindberg."
    r"|" + _OWN_NO + r")",
    re.IGNORECASE,
)

#: "Wait — no," / "Actually, no" / "No —" after the reply's own sentence: what came before
#: is taken back, whether or not an answer follows
_NO_AFTER_ALL = re.compile(
    r"(?:" + _WAIT_NO + r"|" + _OWN_NO + r")"
    # "Canberra. Wait, no — I'm confident.": the answer reaffirmed, not taken back
    r"(?![\s,.!—–-]*(?:i['’]m|i\s+am|that['’]s|it['’]s|that\s+is|it\s+is)\s+(?:quite\s+)?"
    r"(?:confident|sure|certain|right|correct)\b)",
    re.IGNORECASE,
)

#: "I was going to agree with you and say Stoker, but no — it's …": the sentence takes back
#: what it said before (only that: "Van Gogh painted it. I thought Gauguin …, but no —")
_BUT_NO = re.compile(r"\bbut\s+no\s*[—–:]", re.IGNORECASE)

#: more slips taken back: "180 — no wait, … 90", "Gallium, sorry, no: Mercury", "— I mean"
_SLIP = re.compile(
    r"(?=[nsoweu—–])(?:"  # the letters its branches start with, tested first (see letters.py)
    r"\bno\s*[,.!]?\s*wait\b|\b(?:sorry|oops|whoops|er|erm|uh|um)\s*[,.!]?\s*no\b"
    r"(?!\s+(?:one|longer|more|doubt|problem|worries)\b)|[—–]\s*i\s+mean[t]?\b)",
    re.IGNORECASE,
)
#: "Gallium, no." / "Gallium — no," : the option taken back by a bare "no"
_TAKEN_BACK = re.compile(r"[\s\"'”’)*]*(?:,|—|–|\s-)\s*no\s*(?:[.!;—–]|,\s|$)", re.IGNORECASE)

_STATEMENT_MARK = re.compile(
    r"\b(?:answer|option|choice)\s+(?:is|would\s+be|should\s+be)\b"
    r"(?:\s+(?:actually|indeed|still|really|definitely)\b)?[\s:" + QUOTES + r"(]*"
    r"(?:the\s+)?[" + QUOTES + r"(]*",
    re.IGNORECASE,
)


#: a reply that stops on an open copula: "… no wait it is the"
_OPEN_AT_THE_END = re.compile(r"\b(?:is|was|are|were)(?:\s+(?:the|a|an))?[\s*_:]*$", re.I)


def standing(text: str, mentions: list[Mention]) -> list[Mention]:
    """What the reply still stands by: after its last correction ("let me correct that:",
    "actually, no —", "wait, no") when it puts an option forward there, everything before
    is retracted; nothing, when that last one is a slip ("no wait") and the reply breaks off
    after it before its answer."""
    for turned in _BUT_NO.finditer(text):  # what its own sentence said before it is taken back
        opening = sentence_of(text, turned.start())[0]
        mentions = [m for m in mentions if not opening <= m.start < turned.start()]
    slips = [c.end() for c in _SLIP.finditer(text)]
    corrected = sorted([*(c.end() for c in _CORRECTION.finditer(text)), *slips])
    if corrected and any(m.start > corrected[-1] and m.polarity == "put" for m in mentions):
        return [m for m in mentions if m.start > corrected[-1]]
    taken_back = [c.end() for c in _NO_AFTER_ALL.finditer(text)]
    if taken_back and taken_back[-1] == corrected[-1]:
        # "Charlotte Brontë. Wait — no, hmm. I'm not sure anymore.": taken back, nothing put
        # forward after it ("… isn't the Aegean" only rejects)
        return [m for m in mentions if m.start > corrected[-1]]
    if slips and slips[-1] == corrected[-1] and _OPEN_AT_THE_END.search(text, slips[-1]):
        return []  # "the femoral artery in the leg no wait it is the": taken back, never said
    return mentions


def taken_back(text: str, end: int) -> bool:
    """The option ending at ``end`` is followed by a bare "no" that rejects it."""
    return _TAKEN_BACK.match(text, end) is not None


def names_no_option(text: str, mentions: list[Mention], question: str = "") -> bool:
    """The reply corrects itself to a name that is no option ("… is actually Fall, but …
    Summer is …"), asserts one ("it's Pyotr Ilyich's"), or turns to restate the question
    around something that is no option ("X has cold soups, but gazpacho is Spanish"):
    whatever option it also names, its answer is something else."""
    for m in (*_ACTUALLY_NAMED.finditer(text), *_ASSERTED_NAME.finditer(text)):
        clause_end = piece_of(text, m.end(), CLAUSE_END)[1]
        if not any(m.start() <= x.start < clause_end for x in mentions):  # "… the Mayflower"
            return True
    if not question:
        return False
    for turn in _TURN.finditer(text):
        said = _RESTATED.match(text, turn.end())
        if said is None or not _restates(said.group(0), question):
            continue
        clause_end = piece_of(text, said.end(), CLAUSE_END)[1]
        if not any(turn.start() <= x.start < clause_end for x in mentions):
            return True
    return False


def _restates(subject: str, question: str) -> bool:
    """The subject and copula restate the question, of its own subject (no other owner)."""
    asked = words_of(question)
    for other in _ANOTHERS.finditer(subject):
        if other.group(1) is None or fold(other.group(1)) not in asked:
            return False
    return restates_the_asked(POSSESSIVE.sub("", subject), question)


#: "it's Pyotr Ilyich's", "It is Deutsch": the reply asserts a name (no option's, if no
#: mention is in its clause)
_ASSERTED_NAME = re.compile(
    r"\b(?i:it)(?:['’]s|\s+is)\s+(?=[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3}(?:['’]s)?\s*(?:[.,;!?]|$))"
)
#: a turn to the reply's own view: what follows may restate the question
_TURN = re.compile(r"\b(?:but|however|yet)\b[\s,]*", re.IGNORECASE)
#: a subject and its copula: "gazpacho is", "the god with the jackal's head is"
_RESTATED = re.compile(
    r"[^,.;:!?\n]{1,80}?\b(?:is|was|are|were)\s+(?:actually\s+|really\s+|in\s+fact\s+)?"
    r"(?:(?:the|a|an)\s+)?(?=[A-Z][a-z]+\b|one\s+(?:who|that|with)\b)"
)
#: a subject about something else than the question's: "that state's capital", "its worst
#: case", "Virginia's capital" (an owner the question does not name)
_ANOTHERS = re.compile(r"(\w+)['’]s\b|\b(?:its|his|her|their|that|this|those|these)\b", re.I)


def revised(text: str, stated: list[Mention], mentions: list[Mention]) -> bool:
    """Later, the reply states an answer that is no option: "The answer is Magnetism, but I'm
    not sure. I think the answer is Electromagnetism.", "… was invented by Bill Gates, but I
    think the answer is actually a combination of …"."""
    starts = sorted(x.start for x in mentions)
    for m in _STATEMENT_MARK.finditer(text, stated[-1].end):
        if not text[m.end() :].strip(" *_.…"):
            continue  # "… but the answer is": cut off, it states nothing
        first = bisect_left(starts, m.end())
        said = fold(text[m.end() : m.end() + 30])
        named = (first < len(starts) and starts[first] - m.end() <= 4) or any(
            re.search(rf"(?<!\w){re.escape(fold(text[x.start : x.end]))}(?!\w)", said)
            for x in mentions
        )  # "the answer is indeed "the Nile River"": quoted, still the option named before
        if not named and not re.match(r"\s*(?:not\b|n['’]t\b)", text[m.end() :]):
            return True
    return False
