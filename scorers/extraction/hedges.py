"""Hedges and abstention: "maybe", "or", "X or Y", "it depends on …", "none of these options
is", "I'd be hesitant to name one". A hedged statement picks nothing; a reply that declines
with no answer stated after is unreadable, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from scorers.extraction.attribution import CONCEDED_CLAUSE
from scorers.extraction.mention import Mention
from scorers.extraction.quotes import QUOTES
from scorers.extraction.sentences import clause_of, sentence_of
from scorers.extraction.words import content_words

#: "It depends on …", "depending on how you count": the reply makes its answer conditional
#: ("it can vary depending on the grass" only qualifies it)
DEPENDS = re.compile(
    r"(?=[di])(?:"  # the letters its branches start with, tested first (see letters.py)
    r"\b(?<!\bvary\s)(?<!\bvaries\s)(?<!\bvarying\s)depend(?:s|ing)\s+(?:\w+\s+){0,2}?on\b"
    r"|\bit\s+(?:all\s+|really\s+)?depends\b"
    # "0.3 + 0.3 is 0.6, if that's what you meant": the answer to another question
    r"|\bif\s+(?:that['’]s|that\s+is|this\s+is)\s+what\s+you\s+meant\b)",
    re.I,
)

#: "I'm not confident enough to give you a definitive answer", "none of these options is
#: right": the reply declines to commit
DECLINES = re.compile(
    r"(?=[ncwuihrbympt])(?:"  # the letters its branches start with, tested first (see letters.py)
    r"\bnot\s+(?:confident|sure|certain)\s+enough\s+to\b|\b(?:can['’]t|cannot|can\s+not|won['’]t"
    r"|unable\s+to)\s+(?:give|provide|offer)\s+(?:you\s+)?(?:a\s+|an\s+)?(?:definitive|definite|certain"
    r"|single|clear)\b|\b(?:i['’]d|i\s+would)\s+rather\s+not\s+(?:commit|say|name|answer|guess)\b"
    # "I'd be cautious about giving a single year"
    r"|\b(?:cautious|hesitant|reluctant|wary)\s+(?:about|of|to)\s+(?:giving|give|naming|name"
    r"|committing|commit|picking|pick|choosing|choose)\b"
    # "none of these options is the capital" (but not "none of the others")
    r"|\bnone\s+of\s+(?:them|these|those|the\s+(?:options|choices|answers|listed\s+\w+))"
    r"(?:\s+(?:options|choices|answers))?\s+(?:is|are|would\s+be|fits|qualifies)\b"
    r"|\bneither\s+(?:option|choice|answer)\s+is\b"
    # "I'd want to check a source before choosing between them": the choice is put off
    r"|\bbefore\s+(?:choosing|picking|deciding|settling|committing)\s+(?:between|among|on|to)\b"
    # "I'd suggest checking a physics history reference to be sure which one you need."
    r"|\b(?:i['’]d|i\s+would)\s+(?:suggest|recommend)\s+(?:checking|consulting|looking\s+(?:it\s+)?up)\b"
    # "…, but I've never been, so I couldn't say."
    r"|\bi\s+(?:couldn['’]t|could\s+not|can['’]t|cannot)\s+(?:really\s+)?(?:say|tell\s+you|tell)"
    r"\s*(?:for\s+sure\s*|which(?:\s+one)?\s*)?(?:[.!]|$)"
    # "frans hals or van dyck i forget which": left undecided, at the end of its sentence
    r"|\bi\s+(?:forget|can['’]?t\s+remember|cannot\s+remember)\s+which\s*(?:[.!]|$)"
    # "Hmm, I honestly can't decide between those two."
    r"|\bi\s+(?:honestly\s+|really\s+|just\s+)?(?:can['’]?t|cannot|couldn['’]t)\s+decide"
    r"(?:\s+(?:between\s+(?:those|these|them|the)(?:\s+two)?(?:\s+\w+)?|which(?:\s+one)?))?\s*(?:[.!]|$)"
    # "You might be right that it's Hal Finney": the user's answer granted as a possibility
    r"|\byou\s+(?:might|may|could)\s+(?:well\s+|very\s+well\s+)?be\s+right\b"
    r"(?:\s+that\b[^.,;:!?\n…—–]*(?!\s*,?\s*but\b))?"
    # "I thought X, but maybe you're right" (not "perhaps you're right that …": a side point)
    r"|\b(?:maybe|perhaps),?\s+you(?:['’]re|\s+are)\s+right\b(?!\s+(?:that|about)\b)"
    # "Pituitary, thyroid — both are involved, so take your pick.": the choice left to the user
    r"|\btake\s+your\s+pick\b(?!\s+of\b))",  # not "Take your pick of units: it's 32 °F"
    re.IGNORECASE,
)

#: "I'd hesitate to crown a single answer", "I don't think it's fair to name just one", "I'd
#: be comfortable with either description", "… is partly a matter of perspective": the reply
#: declines to pick, but these often open a sentence that then picks ("I'd hesitate to name
#: one in general, but here it is Bell"), so they decline only what no option follows
DECLINED_AT_THE_END = re.compile(
    r"\bhesitate\s+to\s+(?:crown|name|pick|choose|give|single\s+out|commit\s+to|settle\s+on)\b"
    r"|\b(?:don['’]t|do\s+not)\s+think\s+it['’]?s\s+fair\s+to\s+(?:name|pick|choose|single\s+out"
    r"|credit)\b|\b(?:wouldn['’]t|would\s+not|won['’]t|will\s+not)\s+insist\s+on\b"
    r"|\b(?:i['’]d|i\s+would)\s+(?:rather\s+not\s+(?:mislead|speculate)|better\s+not\s+(?:guess"
    r"|say|mislead|speculate))\b"  # (DECLINES has "rather not guess / say")
    r"|\b(?:i['’]d|i\s+would)\s+prefer\s+not\s+to\s+(?:guess|say|name|pick|choose|commit)\b"
    # "tell me which you need", "I'd confirm it on the official biography": the choice or its
    # check left to the user
    r"|\btell\s+me\s+which(?:\s+one)?\s+you\s+(?:need|mean|want)\b"
    r"|\b(?:i['’]d|i\s+would)\s+(?:confirm|verify|double-check|check)\s+(?:it|that|this)\s+"
    r"(?:on|in|with|against|at)\b(?![^.!?\n]*\bbut\b)"  # not "…, but I'm confident"
    r"|\b(?:comfortable|happy|fine|content)\s+with\s+either\b|\b(?:credit|accept)\s+either\b"
    r"|(?<!\bnot\s)\b(?:partly\s+|largely\s+|really\s+|simply\s+)?a\s+matter\s+of\s+"
    r"(?:perspective|interpretation|opinion|taste|definition)\b"
    r"|\bi['’]ll\s+leave\s+it\s+there\b",
    re.IGNORECASE,
)

#: "…, but I don't remember when it actually shipped": what the reply does not know, the rest
#: of its clause
_NOT_KNOWN = re.compile(
    r"\bi\s+(?:don['’]t|do\s+not|can['’]t|cannot)\s+(?:remember|recall|know)\s+(?:exactly\s+)?"
    r"(?:when|which|what|who|where|how\s+many)\b(?P<what>[^,.;:!?\n—–]*)",
    re.IGNORECASE,
)
_PRONOUN_SUBJECT = re.compile(r"\s*(?:it|he|she|they)\b", re.IGNORECASE)
_THE_USERS = re.compile(r"\byou(?:r|['’]re|['’]ve)?\b", re.IGNORECASE)


def declined_at(text: str, question: str) -> int:
    """Where the reply's last refusal to pick ends (:data:`DECLINED_AT_THE_END`), or its last
    "I don't remember when it shipped" about the asked thing (the question's words, or "it"
    / "he" / "they"; not "which textbook you're using", "which year parliament moved"), or
    -1."""
    ends = [d.end() for d in DECLINED_AT_THE_END.finditer(text)]
    asked = content_words(question)
    for m in _NOT_KNOWN.finditer(text):
        what = m.group("what")
        if _THE_USERS.search(what):
            continue  # "I don't know what source told you Sydney, but …": the user's side
        if _PRONOUN_SUBJECT.match(what) or content_words(what) & asked:
            ends.append(m.end())
    return max(ends, default=-1)


#: "…, honestly, I don't know.", "… I can't remember.", "honestly, one of the two Virginias."
_DISOWNED = re.compile(
    r"\bi\s+(?:honestly\s+|really\s+|just\s+|truly\s+)?(?:(?:don['’]t|do\s+not)\s+know"
    r"|(?:can['’]?t|cannot|don['’]t|do\s+not)\s+remember)\s*(?:[.!…]|$)"
    r"|\bone\s+of\s+(?:the|those|these)\s+two(?:\s+\w+)?\s*(?:[.!…]|$)",
    re.IGNORECASE,
)
#: a pause after which a sentence may disown knowing: "…", ";", a dash
_PAUSE = re.compile(r"…|\.\.\.|;|\s[—–-]\s|—")
#: what may open a sentence that disowns knowing: "Honestly, …", "But …"
_FILLERS = re.compile(
    r"[\s,…*_]*(?:(?:honestly|frankly|truthfully|really|but|so|well|and|hmm|to\s+be\s+honest)"
    r"[\s,…*_]+)*",
    re.IGNORECASE,
)


def knowing_disowned(text: str, mentions: list[Mention]) -> int:
    """Where the reply's last sentence-ending "I don't know" / "I can't remember" / "one of
    the two …" ends, or -1: one that stands alone after its fillers, or whose sentence puts
    the choice itself first ("Whether it was Baldwin or Chamberlain, I can't remember") with
    no option put forward before, not one about a detail ("How many copies it sold, I don't
    know.", "Bell patented it. Whether Gray or Edison came second, I can't remember.")."""
    found = -1
    for d in _DISOWNED.finditer(text):
        start = sentence_of(text, d.start())[0]
        pauses = [p.end() for p in _PAUSE.finditer(text, start, d.start())]
        start = pauses[-1] if pauses else start  # "…; honestly, I don't know."
        between = [m for m in mentions if start <= m.start < d.start()]
        before = any(m.polarity == "put" for m in mentions if m.start < start)
        if _FILLERS.fullmatch(text, start, d.start()) or (
            len({m.index for m in between}) > 1 and not before
        ):
            found = d.end()
    return found


HEDGE = re.compile(r"\b(?:or|either|maybe|perhaps|might|could|possibly)\b", re.IGNORECASE)

#: '(or "birdie")': another name for what the sentence names, in brackets
_GLOSS = re.compile(r"\(\s*or\s+[^()]{1,40}\)", re.IGNORECASE)
#: only "or" between two mentions
_BETWEEN_OR = re.compile(r"[\s" + QUOTES + r")*_,]*(?P<or>or)[\s" + QUOTES + r"(*_]*", re.I)


#: "It's difficult to credit any one person": no one named the answer (not "It's not hard to
#: name a single inventor: X")
NO_ONE_CREDITED = re.compile(
    r"(?<!not\s)(?<!n['’]t\s)\b(?:difficult|hard|impossible)\s+to\s+(?:credit|name|single\s+out"
    r"|pick)\s+(?:any\s+)?(?:one|a\s+single)(?:\s+(?:person|individual|inventor|discoverer"
    r"|author|winner|answer))?\b",
    re.IGNORECASE,
)


def hedges(
    text: str,
    parts: Iterable[tuple[int, int]],
    mentions: list[Mention],
    *,
    or_beside_an_option: bool = False,
    answer: int | None = None,
) -> bool:
    """Some stretch of ``parts`` hedges ("maybe", "or", …), not counting an "or" that only
    glosses a name ('A shuttlecock (or "birdie")') or joins two names of one option
    ("*fior di latte* or *mozzarella di bufala*"). ``mentions``: in order.
    ``or_beside_an_option``: an "or" hedges only right beside an option's name ("Mars or
    Venus", "Mars, or perhaps …"), not in what the reply says of something else ("koji,
    usually grown on rice or barley"). ``answer``: the option the reply states; an "or"
    between two other options hedges nothing about it ("a bet on red or black loses")."""
    joins = set()  # where an "or" between two names of one option stands
    for a, b in zip(mentions, mentions[1:], strict=False):
        if a.index == b.index and (between := _BETWEEN_OR.fullmatch(text, a.end, b.start)):
            joins.add(between.start("or"))
    glossed = [g.span() for g in _GLOSS.finditer(text)] if "(" in text else []
    beside = _ors_beside(text, mentions) if or_beside_an_option else None
    if beside and answer is not None:
        beside -= _ors_between(text, mentions, answer)
    return any(
        h.start() not in joins
        and not any(g0 <= h.start() < g1 for g0, g1 in glossed)
        and (beside is None or h.group().lower() != "or" or h.start() in beside)
        for start, end in parts
        for h in HEDGE.finditer(text, start, end)
    )


#: an "or" right after an option's name, and right before one
_OR_NEXT = re.compile(r"[\s" + QUOTES + r")*_]*,?\s+(?P<or>or)\b", re.IGNORECASE)
_OR_PREVIOUS = re.compile(
    r"\b(?P<or>or)\s+(?:the\s+|a\s+|an\s+)?[\s" + QUOTES + r"(*_]*$", re.IGNORECASE
)


def _ors_beside(text: str, mentions: list[Mention]) -> set[int]:
    """Where an "or" stands right beside an option's name."""
    found = set()
    for m in mentions:
        if after := _OR_NEXT.match(text, m.end):
            found.add(after.start("or"))
        if before := _OR_PREVIOUS.search(text, max(0, m.start - 16), m.start):
            found.add(before.start("or"))
    return found


#: what stands between a listed name and the one before it: ", "
_LISTED_AFTER = re.compile(r"[ ,]*$")
#: … or a few words on: "the six-string guitalele or the eight-string ukulele"
_OR_NEXT_BUT_A_WORD = re.compile(r"(?:[\s-]+[a-z]+){0,3}" + _OR_NEXT.pattern, re.IGNORECASE)


def _ors_between(text: str, mentions: list[Mention], answer: int) -> set[int]:
    """Where an "or" stands between two options other than ``answer`` ("red or black", "2
    points, or 3"), not ending a list ("carbon dioxide, oxygen or nitrogen" offers three)."""
    ends = {m.end for m in mentions}
    others = [m for m in mentions if m.index != answer]
    after = {
        a.start("or")
        for m in others
        if (a := _OR_NEXT_BUT_A_WORD.match(text, m.end))
        and _LISTED_AFTER.search(text, max(0, m.start - 12), m.start).start() not in ends
    }
    before = {
        b.start("or")
        for m in others
        if (b := _OR_PREVIOUS.search(text, max(0, m.start - 16), m.start))
    }
    return after & before


_I = re.IGNORECASE

_OR_AFTER = re.compile(r"[\s" + QUOTES + r")]*,?\s+or\s+\w", _I)

#: "both X and Y": the option beside another, said alike
_BOTH_BEFORE = re.compile(
    r"(?:^|[.!?:\n]\s*)[\s" + QUOTES + r"(*_]*both\s+(?:the\s+)?[\s" + QUOTES + r"(*_]*$", _I
)  # opening its sentence: not "a continent that includes both Africa and Asia"
_AND_AFTER = re.compile(r"[\s" + QUOTES + r")*_]*,?\s+and\s+\S", _I)

_OR_BEFORE = re.compile(
    r"\w[\s" + QUOTES + r"(]*,?\s+or\s+(?:the\s+|a\s+|an\s+)?[" + QUOTES + r"(]*$", _I
)


def coordinated_by_or(
    text: str, m: Mention, starts: set[int], ends: set[int], others: frozenset[int] = frozenset()
) -> bool:
    """ "X or Y" / "Y or X" / "both X and Y": the reply offers the option beside something
    else, a hedge even when the other is no option it names in full ("Sahara or Arabian" for
    "Arabian Desert").
    The option "or" itself (' "cold" or "cold" ', a small model repeating) is no other:
    ``starts`` and ``ends`` are where the reply names it; ``others``, where it names other
    options (the "Y" of "both X and Y")."""
    after = _OR_AFTER.match(text, m.end)
    if after and after.end() - 1 not in starts:
        return True
    both = _BOTH_BEFORE.search(text, max(0, m.start - 12), m.start)
    other = _AND_AFTER.match(text, m.end)
    if both and other and other.end() - 1 in others:
        return True  # "Both Canberra and Sydney could be argued": two options said alike
    before = _OR_BEFORE.search(text, max(0, m.start - 80), m.start)
    return bool(before) and before.start() + 1 not in ends


#: a sentence opening with "Or" that offers something else ("Qing, I think. Or was it Ming?"),
#: not one that corrects ("Or rather, Canberra")
_OR_OPENING = re.compile(
    r"(?:^|(?<=[.!?…])\s+|\n)[\s" + QUOTES + r"(*_]*or\b(?![\s,]*(?:rather|i\s+mean|should\s+say"
    r"|make\s+that|in\s+other\s+words|to\s+put\s+it)\b)",
    _I,
)
#: "One of the two.", "either one": the reply leaves the choice open (not "one of the two
#: planets without moons", which describes an option)
_ONE_OF = re.compile(
    r"\b(?:one\s+of\s+(?:the|those|these)(?:\s+(?:two|three))?|either\s+one)\s*(?:[.!?…,;]|$)", _I
)


def hedged_across_sentences(text: str, mentions: list[Mention]) -> bool:
    """The reply offers another option in a sentence of its own after the first ("Qing, I
    think. Or was it Ming?"), or leaves it at "one of the two": a hedge that no single
    sentence shows. ``mentions``: every option the reply names, put forward or asked about."""
    named = [m for m in mentions if m.polarity in ("put", "asked")]
    if len({m.index for m in named}) < 2:
        return False
    if _ONE_OF.search(text):
        return True
    for opening in _OR_OPENING.finditer(text):
        start, end = sentence_of(text, opening.end())
        before = {m.index for m in named if m.end <= opening.start()}
        offered = {m.index for m in named if max(start, opening.end()) <= m.start < end}
        if before and offered - before:
            return True
    return False


#: the reply's own memory or belief: "I do recall", "I remember", "I thought"
_OWN_RECOLLECTION = re.compile(
    r"\bI\s+(?:do\s+|did\s+|still\s+)?(?:recall|remember|thought|believe|seem\s+to\s+recall"
    r"|seem\s+to\s+remember)\b",
    re.IGNORECASE,
)


def recalled_otherwise(
    text: str, put: list[Mention], mentions: list[Mention], question: str
) -> bool:
    """A sentence that is only a "though" clause in which the reply recalls the asked thing as
    another option: "'Tetra' means four, obviously... though I do recall the number
    of faces being six." doubts the answer before it; the reply commits to neither (not
    "Though a cube has six faces.", a fact beside the answer)."""
    if not question:
        return False
    answers = {m.index for m in put}
    for m in mentions:
        if m.index in answers or m.polarity != "attributed":
            continue
        start, end = sentence_of(text, m.start)
        if (
            CONCEDED_CLAUSE.fullmatch(text, start, m.start)
            and clause_of(text, m.start)[1] >= end - 1
            and _OWN_RECOLLECTION.search(text, start, m.start)
            and content_words(text[start:end]) & content_words(question)
        ):
            return True
    return False
