"""Whether the reply puts forward the option it names, negates it, attributes it to someone
else, or only asks about it (``Polarity``): read from the words before it, its sentence as a
whole, then the words after it, using :mod:`~scorers.extraction.negation`,
:mod:`~scorers.extraction.attribution` and :mod:`~scorers.extraction.negative_questions`, plus
what is only past, hypothetical, reclassified, withdrawn or given the opposite of the asked.
"""

from __future__ import annotations

import re

from scorers.extraction.attribution import (
    AGREED_AFTER,
    ATTRIBUTED_AFTER,
    ATTRIBUTION,
    CONCEDED_CLAUSE,
    CONTRASTED_BEFORE,
    LIST_BEFORE,
    conceded_to_the_user,
    kin_of_another,
    the_questions_own_view,
)
from scorers.extraction.folding import fold
from scorers.extraction.mention import Polarity
from scorers.extraction.negation import (
    NEGATED_AFTER,
    NEGATED_BEFORE,
    about_the_answer,
    denied_later,
    denied_to_the_subject,
    none_there_before,
)
from scorers.extraction.negative_questions import (
    NEGATIVE_QUESTION,
    an_exception_refused,
    the_exception_asked,
)
from scorers.extraction.quotes import QUOTES
from scorers.extraction.sentences import CLAUSE_END, clause_of, clause_start, part_of, sentence_of
from scorers.extraction.wording import IRREGULAR
from scorers.extraction.words import STOP, content_words, only_the_asked, same_word, words_of
from scorers.opposites import opposite_said_in

#: "Polaris is actually a constellation": the reply files the option under another kind of
#: thing than the question asks for (none of the question's words in what it says it is)
_RECLASSIFIED = re.compile(
    r"[\s"
    + QUOTES
    + r")]*(?:is|was|are|were)\s+actually\s+(?:a|an)\s+(?P<what>[^.;:,!?\n—–]{1,60})",
    re.IGNORECASE,
)

#: "If you mean X, that would be Y": a sentence opening with a condition (not "if I had to
#: choose") whose option is only what "would be"
_CONDITION = re.compile(r"[\s>*_#\-]*if\b(?!\s+i\s+(?:had|have|must|were)\b)", re.IGNORECASE)

#: "I'd say X": after an "If", conditional only when the condition is contrary to fact
_I_WOULD_SAY = r"\b(?:i['’]d|i\s+would)\s+(?:say|answer|pick|go\s+with)\b"
_SAID_IF = re.compile(_I_WOULD_SAY, re.IGNORECASE)
#: an "If" clause contrary to fact: "If you'd asked about Olympia", "If it were an anime"
_COUNTERFACTUAL = re.compile(r"[\s>*_#\-]*if\b[^,;:—–]*?\b(?:were|had|['’]d)\b", re.I)


def _counterfactual(text: str, sentence_start: int) -> bool:
    """The sentence opens on a condition contrary to fact, not on "If you ask me", "If I'm
    honest", "If memory serves", which lead to the reply's own answer."""
    return _COUNTERFACTUAL.match(text, sentence_start) is not None


#: a condition that defers to the user: "if you're sure", "if you insist"
_DEFERRING = re.compile(
    r"\bif\s+you(?:['’]re|\s+are)\s+(?:really\s+)?(?:sure|certain|confident)\b"
    r"|\bif\s+you\s+(?:insist|say\s+so)\b",
    re.IGNORECASE,
)
#: the option alone after an "If …," clause, ending the sentence: "If you'd asked about
#: Honolulu, Hawaii." (not "If it were …, but this is …, so: Kurosawa.")
_ONLY_THE_CONDITION = re.compile(r"[\s>*_#\-]*if\b[^,;:—–]*,?", re.IGNORECASE)
_BARE_AFTER_THE_CONDITION = re.compile(r"[\s,*_" + QUOTES + r"(]*(?:(?:the|a|an)\s+)?", re.I)
_AT_THE_SENTENCE_END = re.compile(r"[\s*_" + QUOTES + r")]*[.!…]*[\s*_" + QUOTES + r")]*")

_HYPOTHETICAL_BEFORE = re.compile(
    _I_WOULD_SAY + r"[\s:" + QUOTES + r"(]*$"
    r"|\b(?:would|might|could)(?:\s+(?:then|instead|probably))?\s+(?:be|have\s+been)"
    r"[\s:" + QUOTES + r"(]*(?:(?:the|a|an)\s+)?$",
    re.IGNORECASE,
)

#: "300,000 m/s would be far too slow": the option as the subject of what only "would" be,
#: a supposition the reply weighs, unless what it would be is the answer ("X would be correct",
#: "X would be my answer")
_HYPOTHETICAL_AFTER = re.compile(
    r"[\s" + QUOTES + r")]*(?:would|could|might)\s+(?:be|mean|give|make|have\s+been)\b"
    r"(?!\s+(?:(?:the|my|our)\s+(?:\w+\s+)?(?:answer|choice|pick|guess)|(?:the\s+)?(?:correct"
    r"|right)|(?:the\s+)?(?:best|better)\s+(?:answer|choice|option)))",
    re.IGNORECASE,
)

#: "…, but the answer is actually more complex": what came before in the sentence is withdrawn
_WITHDRAWN = re.compile(
    r"\b[Bb]ut\s+(?:the\s+)?(?:real\s+|actual\s+|correct\s+|right\s+)?answer\s+(?:is|would\s+be)\b"
    r"|\b[Bb]ut\s+(?:it['’]s|it\s+is)\s+actually\s+(?:the\s+)?(?=[A-Z])",  # "… actually Uranus"
)

#: "Rio was the capital until 1960": a state the reply says has ended is not its answer
_SUPERSEDED_AFTER = re.compile(
    r"^[\s" + QUOTES + r")]*,?\s*(?:(?:was|were|had\s+been|remained)\b"
    r"(?:(?!\bnot\b|n['’]t\b)[^.;!?\n]){0,60}?\buntil\b"  # not "was not chosen until 1857"
    r"|used\s+to\s+be\b|(?:was|were)\s+(?:formerly|previously|once|originally)\b)",
    re.IGNORECASE,
)

#: "It was four until 1992": a value that held until a time, right after the option (not
#: "Melbourne until the very end")
_UNTIL_AFTER = re.compile(
    r"[\s"
    + QUOTES
    + r")*_]*,?\s*until\s+(?:about\s+|around\s+)?(?:\d|the\s+(?:\d|early|mid|late)\b"
    r"|recently\b|(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)\b)",
    re.IGNORECASE,
)
_WAS_BEFORE = re.compile(r"\b(?:was|were|had\s+been|used\s+to\s+be)\s+(?:the\s+)?$", re.I)

#: "… since 2006, when the government moved there from X": what was moved away from
_MOVED_FROM = re.compile(
    r"\b(?:moved|relocated|transferred|shifted)\b(?:\s+[\w'’]+){0,3}?\s+(?:away\s+)?from\s+"
    r"(?:the\s+)?[\s*_" + QUOTES + r"]*$",
    re.IGNORECASE,
)

#: "Into which language …?", "From which port …?": the question asks one end of a move
_ASKS_AN_END = re.compile(r"^\W*(?P<end>into|to|from)\s+(?:which|what)\b", re.IGNORECASE)
#: the other end of a move, right before the option (or before the names listed with it):
#: "from Greek and Hebrew" for "Into which …?", "to New York" for "From which …?"
_FROM_BEFORE = re.compile(
    r"\bfrom\s+(?:the\s+)?(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*\s*(?:,\s*|\s+and\s+|\s+or\s+)+)*$"
)
_TO_BEFORE = re.compile(
    r"\b(?:to|into)\s+(?:the\s+)?(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*\s*(?:,\s*|\s+and\s+|\s+or\s+)+)*$"
)


def _the_other_end(text: str, start: int, question: str) -> bool:
    """The option at the end of a move the question does not ask about: "translated from
    Greek and Hebrew into Latin" names the sources for "Into which language …?"."""
    asked = _ASKS_AN_END.match(question)
    if asked is None:
        return False
    other = _TO_BEFORE if asked.group("end").casefold() == "from" else _FROM_BEFORE
    found = other.search(text, max(clause_start(text, start), start - 80), start)
    return found is not None and not _ANSWER_CHANGED.search(
        text, max(0, found.start() - 40), found.start()
    )


#: "I'll change my answer to X", "switching to X": the reply's own answer, not a move's end
_ANSWER_CHANGED = re.compile(
    r"(?<!\bwon['’]t\s)(?<!\bnot\s)(?<!\bnever\s)(?<!\bn['’]t\s)"  # not "I won't change …"
    r"\b(?:(?:chang|switch|revis|updat|correct|amend)\w*(?:\s+(?:my|the|our)"
    r"(?:\s+(?:answer|choice|response))?)?|points?|leads?|comes\s+down|boils\s+down|belongs?"
    r"|credited|attributed|traced\s+back)\s*$",
    re.IGNORECASE,
)  # also "the evidence points to X", "credited to X": the reply's answer


def _said_as_the_answer(text: str, end: int, question: str) -> bool:
    """After "While X", the clause gives X the question's words or calls it the answer ("While
    Canberra is the capital, …", "While Mercury is my answer, …"): "while" sets two facts side
    by side there, it concedes nothing."""
    rest = text[end : clause_of(text, end)[1]]
    return bool(
        content_words(rest) & content_words(question)
        or re.search(r"\b(?:answer|correct|right)\b", rest, re.IGNORECASE)
    )


#: ", it is the capital" after "Though Canberra is small": the main clause is about the option
_PRONOUN_AFTER_THE_CLAUSE = re.compile(r"[,\s]*(?:it|he|she|they)\b", re.IGNORECASE)

#: a question about a move itself ("From which city was the capital moved?")
_MOVE_ASKED = re.compile(r"\b(?:move|moved|relocat\w*|transferr?\w*|shift\w*)\b", re.IGNORECASE)

#: "X was the capital of Timur's empire six hundred years ago", "X was on clay — from 1975
#: to 1977": a state the reply dates to a past stretch of time
_ONLY_IN_THE_PAST = re.compile(
    r"^[\s" + QUOTES + r")]*,?\s*(?:was|were|had\s+been)\b(?:(?!\bnot\b|n['’]t\b)[^.;!?\n]){0,80}?"
    r"(?:\b(?:years|centuries|decades)\s+ago\b|\b(?:from|between)\s+\d{3,4}\s+(?:to|and|until|-|–)"
    r"\s*\d{2,4}\b|\b\d{3,4}\s*[-–]\s*\d{2,4}\b)",
    re.IGNORECASE,
)

#: "For most of the 20th century the capital was X", "Until 2005 the capital was X": a
#: sentence that opens on a past stretch of time and puts the option after "was"
_DATED_BEFORE = re.compile(
    r"[\s*_#>" + QUOTES + r"-]*(?:for\s+(?:most|much|part)\s+of|during|throughout|until|till"
    r"|before|in|from)\s+(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:\d{3,4}s?|(?:\d{1,2}(?:st|nd"
    r"|rd|th)|[a-z]+(?:th|st|nd|rd))\s+century)\b(?:(?!\bnot\b|n['’]t\b)[^.;!?\n]){0,60}?"
    r"\b(?:was|were|had\s+been)(?:\s+(?:still|then|also|already))?(?:\s+(?:the|a|an))?"
    r"[\s*_(" + QUOTES + r"]*$",
    re.IGNORECASE,
)

#: "36 is a bit low", "200 °F is far too low", "1066 is too early": the option judged
#: off the mark
_OFF_THE_MARK = re.compile(
    r"[\s" + QUOTES + r")]*(?:°?\s*[A-Za-z°/]{1,4}\s+)?(?:is|was|seems?)\s+(?:(?:far|much|way"
    r"|a\s+(?:bit|little|touch)|slightly|somewhat)\s+too|too|a\s+(?:bit|little|touch)|slightly"
    r"|somewhat)\s+(?:low|high|small|big|large|short|long|few|many|early|late|cold|hot|slow|fast"
    r"|light|heavy)\b(?=\s*(?:[.,;:!?)—–]|\s-\s|$|(?:and|but|so|though|however)\b))",
    re.IGNORECASE,
)

#: a question about how things are now ("What is the capital …?", "Which … is played on …?"),
#: not about what happened ("Who was …", "What did …", "… in 1066?")
_ASKS_THE_PRESENT = re.compile(
    r"^(?!.*\b(?:was|were|did|had|\d{3,4})\b).*\b(?:is|are|does|do)\b", re.IGNORECASE
)

#: a question about an earlier state, where "X was … until" is the answer
_ASKS_THE_PAST = re.compile(
    r"\b(?:until|before|former(?:ly)?|previous(?:ly)?|original(?:ly)?|first|used\s+to)\b",
    re.IGNORECASE,
)


def polarity_of(text: str, start: int, end: int, question: str, limit: int) -> Polarity:
    """Whether the reply puts forward the option it names at ``start:end``, negates it,
    attributes it to someone else or only asks about it: read from what comes before it in
    its clause or sentence, then from its sentence as a whole, then from what follows it (up
    to ``limit``, where another option is named)."""
    return (
        _polarity_before(text, start, end, question)
        or _denied_the_asked_verb(text, start, question, end)
        or _polarity_of_the_sentence(text, start, end)
        or _polarity_after(text, start, end, question, limit)
        or "put"
    )


#: "doesn't appear in X", "did not win against X": a negated verb, then the option
_NEGATED_VERB_BEFORE = re.compile(
    r"(?:\bnot|n['’]t|\bnever)\s+(?P<verb>[a-z]+)\s+(?:in|on|at|by|from|to|through|into|for"
    r"|against|with)?\s*(?:the\s+)?[\s" + QUOTES + r"(]*$",
    re.IGNORECASE,
)


def _denied_the_asked_verb(
    text: str, start: int, question: str, option_end: int | None = None
) -> Polarity | None:
    """The question's own verb denied right before the option ("Iago doesn't appear in
    Hamlet" for "In which play does Iago appear?", "Timbuktu doesn't lie in Niger"), or a
    verb the sentence then says of another ("didn't find X; he found Y"), or the question's
    verb said after it of something else ("doesn't reach the Adriatic; it empties into …")."""
    clause = clause_start(text, start)
    found = _NEGATED_VERB_BEFORE.search(text, max(clause, start - 60), start)
    if found is None or not question:
        return None
    verb = found.group("verb").casefold()
    asked = words_of(question)
    if verb in ("have", "has") and "have" in asked:
        return "negated"  # "A heptagon doesn't have 6 sides" for "… does a heptagon have?"
    if verb in STOP:
        return None
    if any(same_word(verb, q) for q in asked) or _affirmed_after(text, start, verb):
        return "negated"
    if verb in ("only", "just", "merely", "simply"):
        return None  # "isn't only the X; it …": more than the option, not instead of it
    end = sentence_of(text, start)[1]
    said = fold(text[start : option_end or start])
    for did in _PRONOUN_DID.finditer(text, start, end):  # "…; it empties into the Black Sea"
        if any(same_word(did.group(1).casefold(), q) for q in asked if q not in STOP):
            # the question's verb said of what the reply turns to instead (not of the same
            # option again: "the Volga does, and it empties into the Caspian Sea")
            return None if said in fold(text[did.end() : end]) else "negated"
    return None


def _affirmed_after(text: str, start: int, verb: str) -> bool:
    """The verb denied before the option is done, later in the sentence, by a pronoun:
    "Carter didn't find Ramesses II; he found Tutankhamun" denies the option what the reply
    then says of another."""
    forms = {verb, verb + "ed", verb + "d", verb + "s", *IRREGULAR.get(verb, ())}
    end = sentence_of(text, start)[1]
    return any(
        found.group(1).casefold() in forms for found in _PRONOUN_DID.finditer(text, start, end)
    )


#: a pronoun and the verb it does: "he found", "she did write"
_PRONOUN_DID = re.compile(r"\b(?:he|she|they|it|we|i)\s+([a-z]+)\b", re.IGNORECASE)


def _polarity_before(text: str, start: int, end: int, question: str) -> Polarity | None:
    """ "not X", "there is no <the asked thing> in X", "rather than X", "including A, B, X",
    "many think X", "You're right that X…! However": what the words before the option make of
    it."""
    clause = clause_start(text, start)
    if NEGATED_BEFORE.search(text[max(clause, start - 80) : start]):
        return "negated"
    if _NOT_MEANT.search(text, max(clause, start - 40), start) and _CLAUSE_ENDS.match(text, end):
        return "negated"  # "and no, I don't mean Spanish." (not "… "skin" in any trick sense")
    denied = _NEGATION_THEN.search(text, max(clause, start - 80), start)
    if (
        denied
        and question
        and not _NEGATED_BEFORE_THAT.search(text, sentence_of(text, start)[0], denied.start())
        and not NEGATIVE_QUESTION.search(question)
        and only_the_asked(words_of(denied.group("asked")), question)
    ):
        return "negated"  # "TypeScript isn't a superset of Java": the question's words denied
    if question and none_there_before(text, start, question):
        return "negated"  # "There is no Stanley Cup in field hockey"
    if CONTRASTED_BEFORE.search(text[max(0, start - 60) : start]):
        return "attributed"
    if kin_of_another(text, start, question, end):
        return "attributed"  # "the son of Cronus": someone else, named by the option
    listed = LIST_BEFORE.search(text, max(0, start - 200), start)
    if listed and CONTRASTED_BEFORE.search(text[max(0, listed.start() - 60) : listed.start()]):
        return "attributed"  # "including Toronto, Kingston, Montreal": the whole list
    sentence_start = sentence_of(text, start)[0]
    for m in ATTRIBUTION.finditer(text, max(sentence_start, start - 200), start):
        if not CLAUSE_END.search(text, m.end(), start):
            if the_questions_own_view(m.group(), question):
                continue  # "the person usually called the first programmer is X" for "… called …?"
            if AGREED_AFTER.match(text, end):
                return None  # "You said Chicago, and you're right", "… said X, and she was right"
            return "attributed"
    conceded = CONCEDED_CLAUSE.fullmatch(text, sentence_start, start)
    if (
        conceded
        and not _PRONOUN_AFTER_THE_CLAUSE.match(text, clause_of(text, start)[1])
        and not (conceded.group("while") and _said_as_the_answer(text, end, question))
    ):
        return "attributed"  # "Although Lucas did make a bet with him, …": only conceded
    if conceded_to_the_user(text, start, end, sentence_start):
        return "attributed"
    if _the_other_end(text, start, question):
        return "attributed"  # "from Greek" for "Into which language …?"
    if _MOVED_FROM.search(text, max(sentence_start, start - 60), start) and not _MOVE_ASKED.search(
        question
    ):
        return "attributed"  # "the government moved there from Yangon": a state that ended
    return None


#: "I don't mean Spanish.": the reply sets an option aside, ending its clause there
_NOT_MEANT = re.compile(
    r"\bi\s+(?:don['’]t|do\s+not|didn['’]t|did\s+not)\s+mean\s+[" + QUOTES + r"]?$", re.I
)
_CLAUSE_ENDS = re.compile(r"[" + QUOTES + r")*_]*\s*(?:[.;!?,—–]|$)")
#: "It's not true that TypeScript isn't a superset of …": a negation before the negation
_NEGATED_BEFORE_THAT = re.compile(r"\bnot\b|n['’]t\b|\bnever\b", re.IGNORECASE)
#: a negation, then words up to the option (the question's own, to count)
_NEGATION_THEN = re.compile(
    r"(?:\bnot|n['’]t|\bnever)\s+(?!(?:only|just|merely|simply)\b)"
    r"(?P<asked>[^,.;:!?\n" + QUOTES + r"]{1,60}?)\s*$",
    re.IGNORECASE,
)


def _polarity_of_the_sentence(text: str, start: int, end: int) -> Polarity | None:
    """A sentence that withdraws the option ("…, but the answer is more complex") or asks
    about it ("Sydney or Canberra?")."""
    sentence_start, sentence_end = sentence_of(text, start)
    withdrawn = _WITHDRAWN.search(text, end, min(sentence_end, end + 300))
    if withdrawn and _replaced(text, start, end, withdrawn.end()):
        return "attributed"  # "Iron is one of the hardest, but the answer is more complex."
    if text[sentence_start:sentence_end].rstrip(" " + QUOTES + "*").endswith("?"):
        return "asked"  # "Sydney or Canberra?", "Is it Jupiter? No, Mars."
    return None


def _polarity_after(text: str, start: int, end: int, question: str, limit: int) -> Polarity | None:
    """What the words after the option make of it: "X was the capital until 1960", "X is not
    the Red Planet", "…, that would be X" after "If you mean…", "X you may have in mind",
    "X is actually a constellation", "X …, but it didn't …"; and a sentence dated to a past
    stretch before it ("For most of the 20th century the capital was X")."""
    sentence_start, sentence_end = sentence_of(text, start)
    after = text[end : end + 120]
    if _SUPERSEDED_AFTER.match(after) and not _ASKS_THE_PAST.search(question):
        return "attributed"
    if (
        _UNTIL_AFTER.match(after)
        and _WAS_BEFORE.search(text, max(sentence_start, start - 20), start)
        and not _ASKS_THE_PAST.search(question)
    ):
        return "attributed"  # "It was four until 1992; it's five now."
    if _ASKS_THE_PRESENT.search(question) and (
        _ONLY_IN_THE_PAST.match(after) or _DATED_BEFORE.match(text, sentence_start, start)
    ):
        return "attributed"  # "The US Open was on clay from 1975 to 1977" for "… is played on"
    if _OFF_THE_MARK.match(after):
        return "negated"  # "36 is a bit low"
    negated = NEGATED_AFTER.match(after)
    if negated:
        rest = after[negated.end() :]
        stop = CLAUSE_END.search(rest)
        predicate = rest[: stop.start() if stop else len(rest)]
        if the_exception_asked(predicate, question):
            return "put"  # "Yellow is not a primary colour" answers "Which is NOT a primary …?"
        if about_the_answer(predicate, question) or words_of(predicate) == ["either"]:
            return "negated"
    if _did_the_asked_to_nothing(after, question):
        return "negated"  # "Socrates wrote nothing down" for "Who wrote The Republic?"
    if _diminished(after, question):
        return "negated"  # "the Sumerians merely borrowed it", "Bosch only inspired him"
    clause = clause_start(text, start)
    deferring = _DEFERRING.search(text, max(sentence_start, start - 120), start)
    if (
        deferring
        and _HYPOTHETICAL_BEFORE.search(text, clause, start)
        and fold(text[start:end]) in fold(text[deferring.end() : clause])
    ):  # "… so if you're sure about Hesse, I'd go with Hesse"; not "if you insist on a
        return "attributed"  # single name, I'd say Hesse"
    if _CONDITION.match(text, sentence_start) and (
        (
            _HYPOTHETICAL_BEFORE.search(text, clause, start)
            and (not _SAID_IF.search(text, clause, start) or _counterfactual(text, sentence_start))
        )
        or (
            _counterfactual(text, sentence_start)
            and _ONLY_THE_CONDITION.fullmatch(text, sentence_start, clause)
            and _BARE_AFTER_THE_CONDITION.fullmatch(text, clause, start)
            and _AT_THE_SENTENCE_END.fullmatch(text, end, sentence_end)
        )
    ):
        return "attributed"  # "If you mean the gas we breathe, that would be oxygen"
    if _HYPOTHETICAL_AFTER.match(text, end, sentence_end):
        return "attributed"  # "300,000 m/s would be a thousand times too slow"
    if _COMPOUNDED.match(text, end) and not text[start].isdigit():
        return "attributed"  # "one volt per ampere", "a candela times a steradian": a compound
    reported = ATTRIBUTED_AFTER.match(text, end, min(limit, sentence_end))  # to another option
    if reported and not the_questions_own_view(reported.group(), question):
        return "attributed"  # not "X is often called …" for "Who is often called …?"
    recast = _RECLASSIFIED.match(text, end, sentence_end)
    if recast and question and not content_words(recast.group("what")) & content_words(question):
        return "attributed"
    if NEGATIVE_QUESTION.search(question):
        return "negated" if an_exception_refused(text, end, question) else "put"
    if denied_later(text, end, min(limit, sentence_end), question):
        return "negated"
    if (
        limit < sentence_end
        and _OPENS.fullmatch(text, sentence_start, start)
        and denied_to_the_subject(text, end, limit, sentence_end, question)
    ):
        return "negated"  # "A lumen is a candela times …, so it's derived, not a base unit"
    if _given_the_opposite(text, start, end, limit, question):
        return "attributed"  # "1799 is when the Revolution ended" for "… begin?"
    return None


#: "X merely borrowed it", "X only assisted", "X was only a colliery line": the option given a
#: lesser part, a second hand's verb or a lesser kind of thing
_DIMINISHED_AFTER = re.compile(
    r"[\s" + QUOTES + r")*_]*(?:(?:is|was|are|were)\s+)?(?:only|merely)\s+(?P<what>(?:"
    r"(?:borrow|adopt|adapt|develop|taught|teach|train|bought|buy|licens|acquir|sold|sell|invest"
    r"|cop|imitat|inherit|assist|help|inspir|influenc|contribut|populari[sz]|improv"
    r"|refin|confirm|follow|translat|transmit|spread|fund|financ|sponsor|support|promot|describ"
    r"|document|record|report|purif|commerciali[sz]|mass-produc)\w*\b"
    r"|(?:a|an)\s+(?!(?:few|child|boy|girl|teenager|baby|toddler|youth)\b)[a-z])"
    r"[^,.;:!?\n—–]*)",
    re.IGNORECASE,
)


def _diminished(after: str, question: str) -> bool:
    """Right after the option, "only"/"merely" gives it a second hand's part or a lesser kind
    that says nothing of the question ("the Sumerians merely borrowed it", "helper T cells
    only assist", "was only a colliery line"; not "Mercury is only the closest planet", "Mercury
    only appears at dusk", "Fleming merely noticed mould", "was only 28")."""
    narrowed = _NARROWED_RANK.match(after)
    if narrowed and _narrows_the_asked_rank(narrowed, question):
        return True  # "Kennedy was only the youngest elected" for "… youngest to become …?"
    found = _DIMINISHED_AFTER.match(after)
    return (
        found is not None
        and bool(words_of(found.group("what")))
        and not content_words(found.group("what")) & content_words(question)
    )


#: "was only the youngest elected": the asked rank, narrowed by the word after it
_NARROWED_RANK = re.compile(
    r"[\s" + QUOTES + r")*_]*(?:is|was|are|were)\s+(?:only|merely)\s+the\s+(\w+est)\s+([a-z]+)\b",
    re.IGNORECASE,
)


def _narrows_the_asked_rank(found: re.Match[str], question: str) -> bool:
    """The question's own superlative, then a word the question does not have ("only the
    youngest elected"; not "only the closest planet" for "Which planet is closest …?")."""
    asked = words_of(question)
    rank, narrower = found.group(1).casefold(), found.group(2).casefold()
    return (
        rank in asked
        and narrower not in STOP
        and narrower not in _NO_NARROWER
        and not any(same_word(narrower, w) for w in asked)
    )


#: words after "only the youngest" that narrow nothing: "only the youngest because …"
_NO_NARROWER = frozenset(
    {"because", "since", "when", "if", "though", "although", "but", "ever", "yet", "so",
     "then", "after", "before", "until", "while", "one", "person", "man", "woman", "people"}
)  # fmt: skip


#: "volt per ampere", "candela times a steradian": the option is a factor of a compound unit
_COMPOUNDED = re.compile(
    r"\s+(?:per\b|(?:times|multiplied\s+by|divided\s+by)\s+(?:a|an|the|one)\b)", re.IGNORECASE
)

#: nothing but an article and markup before an option: it opens its sentence, as its subject
_OPENS = re.compile(r"[\s*_#>" + QUOTES + r"(-]*(?:(?:the|a|an)\s+)?", re.IGNORECASE)

#: "X wrote nothing", "X discovered no one": the option did something to nothing
_TO_NOTHING = re.compile(r"^\s+([a-z]+)\s+(?:nothing|nobody|no\s+one|none)\b")


def _did_the_asked_to_nothing(after: str, question: str) -> bool:
    """The option does the question's own verb to nothing: "Socrates wrote nothing down"
    for "Who wrote The Republic?" says he wrote none of it."""
    did = _TO_NOTHING.match(after)
    return did is not None and any(same_word(did.group(1), w) for w in words_of(question))


def _given_the_opposite(text: str, start: int, end: int, limit: int, question: str) -> bool:
    """The option's part of its sentence (up to another option) says the opposite of what
    the question asks and not the asked word itself: "1799 is when the Revolution is
    considered to have ended" for "When did it begin?", "You're thinking of the universal
    recipient — that's AB positive" for "… the universal donor?"."""
    part_start, part_end = part_of(text, start)
    if _LISTED_WITH.fullmatch(text, end, limit):
        limit = part_end  # "The Atlantic and Indian are both smaller": one predicate for both
    return bool(question) and opposite_said_in(text, part_start, min(part_end, limit), question)


#: only "and", "or" or a comma between an option and the next: a list of subjects
_LISTED_WITH = re.compile(r"[\s" + QUOTES + r")*_]*(?:,\s*)?(?:and|or|&|,)?[\s" + QUOTES + r"(*_]*")


def _replaced(text: str, start: int, end: int, at: int) -> bool:
    """A withdrawal ("…, but the answer is") puts something else in the option's place: not
    nothing (a reply cut off there) and not the option again ("but the answer is indeed the
    Nile River")."""
    rest = re.sub(
        r"^[\s"
        + QUOTES
        + r"(]*(?:(?:indeed|actually|still|really|simply|the|a|an)\b[\s"
        + QUOTES
        + r"(]*)*",
        "",
        text[at : at + 80],
    )
    if not words_of(rest):
        return False
    return not fold(rest).startswith(
        fold(re.sub(r"^(?:the|a|an)\s+", "", text[start:end], flags=re.I))
    )
