"""Negation: "not X", "X is not the answer", "neither X nor Y", an option given another
property and denied the asked one ("…, not its capital", "but it didn't …"), ranked below it
("the second-longest"), or disowned ("so it can't be the answer"); and a negation running
through a list ("not London or Rome", "0 and 1 are not prime").
"""

from __future__ import annotations

import re

from scorers.extraction.folding import fold
from scorers.extraction.mention import Mention
from scorers.extraction.quotes import QUOTES
from scorers.extraction.sentences import CLAUSE_END, piece_of, sentence_of
from scorers.extraction.words import STOP, content_words, only_the_asked, words_of

NEGATED_BEFORE = re.compile(
    r"(?:(?:\bnot|n['’]t|\bnever|\bneither|\bnor|\bno\s+longer)"
    r"(?:\s+(?:the|a|an|really|actually|necessarily|exactly|quite|called|named|known\s+as|it"
    r"|it['’]s|its|is|was|be|been|that|the\s+answer|answer|correct|right|say|choose|pick"
    r"|think|believe|agree|accept|confirm|with|option|choice|in|on|at|by|of|from|to"
    r"|familiar|aware|specific|particular)\b)*"  # "not familiar with X", "not a specific X"
    # "The wrong answer is 9", "the common incorrect answer of 9": the option called wrong
    r"|\b(?:wrong|incorrect|mistaken)\s+(?:answer|option|choice|guess)"
    r"(?:\s+(?:is|was|would\s+be|of))?(?:\s+(?:the|a|an))?)"
    r"[\s," + QUOTES + r"(]*$",
    re.IGNORECASE,
)

#: "None of Ld, Le or Pl …", "none of the others (Ld, Le, Pl) …": a list denied together
_NONE_OF_BEFORE = re.compile(
    r"\bnone\s+of(?:\s+(?:the\s+)?(?:others|other\s+(?:options|choices|answers)|options|choices"
    r"|answers|them|these|those)(?:\s+(?:two|three))?)?[\s," + QUOTES + r"(*_]*$",
    re.IGNORECASE,
)
#: what a denied list is denied: the rest of its clause ("is used for lead", "wrote 1984")
_AFTER_THE_LIST = re.compile(r"[\s" + QUOTES + r")*_]*(?P<what>[^.;:,!?\n—–]*)")
#: what denies a listed option the answer itself: "None of them is right / used for lead"
_DENIAL = content_words(  # in the form the predicate's words are compared in
    "used right correct answer true valid quite one fits fit applies works qualifies matches"
    " anything"
)


def none_of_a_list(text: str, found: list[Mention], question: str) -> list[Mention]:
    """ "None of X, Y or Z …": every option of the list denied, when what follows denies the
    asked thing or the answer itself ("is right", "is used for lead", "fits", nothing), not
    another property ("None of carbon dioxide, oxygen or nitrogen is a noble gas")."""
    found = list(found)
    i = 0
    while i < len(found):
        m = found[i]
        if not _NONE_OF_BEFORE.search(text, max(0, m.start - 60), m.start):
            i += 1
            continue
        last = i
        while last + 1 < len(found) and _LISTED.fullmatch(
            text, found[last].end, found[last + 1].start
        ):
            last += 1
        if _denies_the_list(text, found[last].end, question):
            for k in range(i, last + 1):
                found[k] = found[k]._replace(polarity="negated")
        i = last + 1
    return found


def _denies_the_list(text: str, end: int, question: str) -> bool:
    after = _AFTER_THE_LIST.match(text, end)
    asked = content_words(question)
    return content_words(after.group("what")) <= asked | _DENIAL


#: "There is no Stanley Cup in field hockey": the asked thing said not to exist for the option
_NONE_THERE_BEFORE = re.compile(
    r"\bthere\s+(?:is|are|was|were)\s+no\s+(?P<what>[^,.;:!?\n]{1,40}?)\s+(?:in|on|at|for|from"
    r"|by|of|with)\s+(?:the\s+|a\s+|an\s+)?$",
    re.IGNORECASE,
)


def none_there_before(text: str, start: int, question: str) -> bool:
    """The question's own thing said not to exist in or for the option, right before it:
    "There is no Stanley Cup in field hockey" for "In which sport is the Stanley Cup
    awarded?" (only the question's words between "no" and the preposition)."""
    found = _NONE_THERE_BEFORE.search(text, max(0, start - 80), start)
    return found is not None and only_the_asked(words_of(found.group("what")), question)


_NOT_ONLY = r"(?!\s+(?:only|just|merely|simply)\b)"

NEGATED_AFTER = re.compile(
    r"^[\s" + QUOTES + r")]*,?\s*(?:"
    r"(?:is|was|are|were|does|did|do|has|had|can|could|would|will|should)\s+not\b" + _NOT_ONLY + "|"
    r"(?:is|was|are|were|does|did|do|has|had|ca|could|would|wo|should)n['’]t\b" + _NOT_ONLY + "|"
    r"cannot\b|(?:has\s+|had\s+)?never\b|(?:has|have|had|contains?)\s+no\b|"
    r"(?:is|was)\s+(?:also\s+|actually\s+|simply\s+|just\s+)?(?:incorrect|wrong|false"
    r"|a\s+(?:common\s+)?(?:misconception|myth|mistake))\b"
    # "Sulfur hexafluoride does the opposite — it deepens your voice"
    r"|(?:does|did|do)\s+(?:just\s+|exactly\s+)?the\s+(?:opposite|reverse)\b(?!\s+of\b)[^.;!?\n]*"
    # "'corpi' is a false analogy with …": a verdict on the option, whatever the clause adds
    r"|(?:is|was)\s+an?\s+(?:common\s+)?(?:false|mistaken|faulty|erroneous)\s+(?:analogy|belief"
    r"|assumption|premise|claim|attribution|etymology|idea|notion|impression|memory|guess|form"
    r"|spelling|plural|usage|reading|translation"
    r"|generali[sz]ation|extrapolation|inference|conclusion)\b[^.;!?\n]*"
    r"|(?:is|was|are)\s+(?:often\s+|commonly\s+|sometimes\s+|frequently\s+)?"
    r"(?:mistaken|confused|mixed\s+up)\b"
    r"|(?:but\s+)?(?:that|this|it)(?:['’]s|\s+is|\s+was)\s+not\b" + _NOT_ONLY + "|"
    r"(?:but\s+)?(?:that|this|it)\s+(?:is|was)n['’]t\b)",
    re.IGNORECASE,
)

#: "Auckland is the largest city, not its capital", "Vitamin D causes rickets, not scurvy": the
#: option is given another property and denied the one the question asks about
_DENIED_LATER = re.compile(
    r"(?P<given>[^.;!?\n]{0,160}?),\s*(?:but\s+)?not\s+"
    r"(?!(?:only|just|merely|simply|even|counting|including)\b)"
    r"(?P<what>[^.;:,!?\n—–]{1,60})",
    re.IGNORECASE,
)

#: "The 14th Amendment matters, but it didn't abolish slavery", "Zurich and Geneva are larger,
#: but neither is the seat of government", "— which tells you he wasn't its author": a later
#: clause denies the option the asked property through a pronoun standing for it
_PRONOUN_DENIES = re.compile(
    r"(?P<given>[^.;!?\n]{0,200}?)(?:\b(?:but|yet|though|although|however|and)\s*,?|\s[—–])\s+"
    # "— which tells you he wasn't its author"
    r"(?:(?:which|that)\s+(?:means|shows|tells\s+(?:you|us))(?:\s+that)?\s+)?"
    r"(?:(?:it|he|she|they|this|that)\s*(?:(?:is|was|are|were|does|did|do|has|have|had|can"
    r"|could)\s*(?:not\b|n['’]t\b|no\s+longer\b)|['’]s\s+(?:not|no\s+longer)\b|cannot\b"
    r"|(?:has\s+|have\s+|had\s+)?never\b)|neither(?:\s+of\s+them)?\s+(?:is|was|are|were\b|(?=\w+ed\b|wrote\b|did\b))"
    # "The Pecos flows into it but is not itself a border river": the subject left out
    r"|(?:is|was|are|were)\s+not\b|(?:is|was|are|were)n['’]t\b)"
    r"(?!\s+(?:only|just|merely|simply)\b)\s*(?P<what>[^.;:,!?\n—–]{1,80})",
    re.IGNORECASE,
)

#: "The tibia is the second-longest bone", "Helium comes second", "X, the runner-up": the
#: option ranks below the one asked for
_RANKED_BELOW = re.compile(
    r"[\s"
    + QUOTES
    + r")]*(?:,\s*(?:which\s+is\s+)?|(?:is|was|are|were|comes?|came|ranks?|ranked)\s+)"
    r"(?:(?:only|actually|just|a|the|close|in|at)\s+)*(?P<rank>second|third|fourth|fifth|runner-up)\b",
    re.IGNORECASE,
)

#: "Nitrogen has atomic number 7, so it can't be the answer": the sentence disowns the option
_DISOWNED_LATER = re.compile(
    r"[^.;!?\n]{0,80}?\b(?:it|that|this)(?:['’]s\s+not|\s+(?:can['’]t|cannot|can\s+not|could\s*n['’]t"
    r"|could\s+not|is\s*n['’]t|is\s+not|was\s*n['’]t|was\s+not))\s+(?:possibly\s+)?(?:be\s+)?"
    r"(?:the\s+)?(?:answer|correct\s+(?:answer|one|choice)|right\s+(?:answer|one|choice))\b",
    re.IGNORECASE,
)

#: "X is the obvious answer, but it's wrong": the sentence turns and calls the option wrong
_CALLED_WRONG_LATER = re.compile(
    r"[^.;!?\n]{0,120}?\b(?:but|yet|though|however)\s*,?\s+(?:it|that|this)(?:['’]s|\s+is|\s+was)"
    r"\s+(?:simply\s+|actually\s+|just\s+|plainly\s+|also\s+)?(?:wrong|incorrect|false|mistaken"
    r"|not\s+(?:entirely\s+|quite\s+|completely\s+|totally\s+|really\s+)?(?:right|correct|true"
    r"|accurate))\b",
    re.IGNORECASE,
)

#: "Volturnus was a river god, so not him.", "Shackleton came within 97 miles — close, but
#: no.": the sentence turns the option down after saying something of it, and ends there
#: ("so not that hard to remember" says nothing against it)
_TURNED_DOWN_LATER = re.compile(
    r"[^.;!?\n]{0,120}?(?:,|\s[—–-])\s*(?:(?:and\s+)?so|hence|therefore|thus)\s+not\s+"
    r"(?:him|her|them)\s*(?:[.!;]|$)"
    r"|[^.;!?\n]{0,120}?(?:,|\s[—–-])\s*close,?\s+but\s+no\s*(?:[.!;]|$)",
    re.IGNORECASE,
)

_GAP = r"[\s*_" + QUOTES + r"]*"  # spaces, markup and quotes: 'not "Ld", "Le" or "Pl"'
_LISTED = re.compile(_GAP + r"(?:," + _GAP + r")?(?:(?:or|nor)" + _GAP + r")?(?:the\s+)?", re.I)

#: A negated predicate rejects the option only when it is about the answer ("Jupiter is not
#: the Red Planet", "is not correct", "did not write it"), not some other property; these
#: words speak of the answer itself
ANSWER_WORDS = {"correct", "right", "answer", "true", "it", "one", "that", "this", "so"}

_JOINED = re.compile(r"\s*(?:,\s*)?(?:and|or|nor)\s+(?:the\s+)?", re.IGNORECASE)

#: "Sydney and Melbourne are larger, but neither is …": the denial covers the whole list
_BOTH_DENIED_LATER = re.compile(
    r"[^.;!?\n]{0,200}?\b(?:but|yet|and)\s*,?\s+(?:neither|none)\b", re.IGNORECASE
)

_PLURAL_NEGATED_AFTER = re.compile(
    r"[\s" + QUOTES + r")]*(?:(?:are|were|do|did|have)\s+not\b|(?:are|were|do|did|have)n['’]t\b)",
    re.IGNORECASE,
)


def about_the_answer(predicate: str, question: str) -> bool:
    words = words_of(predicate)[:6]
    if not words or words[0] in ANSWER_WORDS or set(words) & ANSWER_WORDS:
        return True
    if not question:
        return True
    return bool(content_words(" ".join(words)) & content_words(question))


def denied_later(text: str, end: int, limit: int, question: str) -> bool:
    """Later in its sentence (before another option), the reply takes the option back: it
    disowns it ("…, so it can't be the answer", "…, but it's wrong"), ranks it below the
    asked one ("is the second-longest"), or gives it another property and then denies it the
    asked one, directly ("…, not its capital") or through a pronoun ("…, but it didn't
    abolish slavery").
    A denied property counts only when it has a question word the given one lacks, so
    "Ottawa is the capital of Canada, not the capital of Ontario" keeps Ottawa."""
    if (
        _DISOWNED_LATER.match(text, end, limit)
        or _CALLED_WRONG_LATER.match(text, end, limit)
        or _TURNED_DOWN_LATER.match(text, end, limit)
    ):
        return True
    ranked = _RANKED_BELOW.match(text, end, limit)
    if ranked and ranked.group("rank").casefold() not in words_of(question):
        # ranked among what the question asks about, not elsewhere ("second largest in Asia")
        scope = text[ranked.end() : piece_of(text, ranked.end(), CLAUSE_END)[1]]
        scope = re.split(r"\b(?:after|behind|to|than)\b", scope, maxsplit=1)[0]
        words = [w for w in words_of(scope) if w not in STOP and not w.isdigit()]
        if not words or only_the_asked(words, question):
            return True
    for pattern in (_DENIED_LATER, _PRONOUN_DENIES):
        denied = pattern.match(text, end, limit)
        if denied and _denies_the_asked(denied.group("given"), denied.group("what"), question):
            return True
    return False


#: a later clause whose subject is a pronoun: "…, so it's derived", "but it isn't …"
_PRONOUN_CLAUSE = re.compile(r"\b(?:it|he|she|they)(?:['’]s\b|\s+(?:is|was|are|were)\b)", re.I)
#: another option that is a clause's subject: a verb follows it before any punctuation
_SUBJECT_AT = re.compile(
    r"[^,.;:!?\n—–]{0,40}?\b(?:is|was|are|were|has|have|had|does|did|wrote|won)\b", re.I
)


def denied_to_the_subject(
    text: str, end: int, other: int, sentence_end: int, question: str
) -> bool:
    """The sentence's subject denied the asked property by a pronoun past another option that
    is only part of what it says of the subject: "A lumen is a candela times a steradian, so
    it's derived, not a base unit" ("it" is the lumen). ``other``: where that option starts.
    Not when the other option is a clause's subject itself ("…, and Toronto is larger, but it
    is not the capital"): the pronoun may be it."""
    if _SUBJECT_AT.match(text, other, sentence_end):
        return False
    pronoun = _PRONOUN_CLAUSE.search(text, other, sentence_end)
    return pronoun is not None and denied_later(text, pronoun.start(), sentence_end, question)


#: the kind of thing a question asks for ("Which *planet* …", "the name of the *ship* …"): any
#: option is one, so denying an option that word ("but it isn't the densest planet", "the
#: Mayflower, not the ship") says nothing about the answer
_KIND_ASKED = re.compile(
    r"\b(?:which|what|how\s+many)\s+(\w+)|\bname\s+of\s+(?:the|a|an)\s+(\w+)", re.IGNORECASE
)

#: a question about who wrote something, whose maker is its "author" or "writer"
_WRITING_ASKED = re.compile(r"\b(?:wrote|written|write|writes)\b", re.IGNORECASE)

#: words that add nothing to what a denial is about ("not the boiling point itself")
_EMPHATIC = {"itself", "themselves", "himself", "herself", "alone", "proper", "overall"}


def _denies_the_asked(given: str, what: str, question: str) -> bool:
    """The denied property is the asked one: it has question words (beyond the kind of thing
    asked for), and it is not the given property again about something else ("the capital
    of Canada, not the capital of Ontario": "Ontario" is in neither the question nor what
    the option was given)."""
    if _only_the_asked_rank(what, question):
        return True  # "Germany has won two, not the most" for "… won the most titles?"
    named = _A_NAME.match(what)
    if named and fold(named.group(1)) not in words_of(question):
        return False  # "Pacific Ocean is the answer, not Arctic Ocean": another thing named
    kinds = [word for found in _KIND_ASKED.findall(question) for word in found if word]
    asked = content_words(question) - content_words(" ".join(kinds))
    if _WRITING_ASKED.search(question):
        asked |= {"autho", "write"}  # "he wasn't its author" denies "Who wrote …?"
    denied = content_words(what) & asked
    if not denied:
        return False
    elsewhere = (
        content_words(what) - asked - content_words(given) - content_words(" ".join(_EMPHATIC))
    )
    return not (denied <= content_words(given) and elsewhere)


#: a name opening what is denied: "not Arctic Ocean", "not the Arctic Ocean"
_A_NAME = re.compile(r"[\s" + QUOTES + r"(*_]*(?:the\s+)?([A-Z][\w'’-]*)")

#: the words that give a rank: what a superlative question asks for
_RANKS = frozenset("most least first last best worst".split())  # noqa: SIM905


def _only_the_asked_rank(what: str, question: str) -> bool:
    """The denial is of the question's rank alone ("not the most", "not the largest"): the
    option was given something short of the answer, so the reply denies it the answer."""
    ranks = {w for w in words_of(question) if w in _RANKS or (w.endswith("est") and len(w) > 4)}
    said = [w for w in words_of(what) if w not in ("the", "a", "an", "one")]
    return bool(said) and all(w in ranks for w in said)


#: after a listed option: the list goes on or ends, no verb of its own follows
_LIST_GOES_ON = re.compile(r"[\s" + QUOTES + r")*_]*(?:[,.;:!?)]|and\b|or\b|nor\b|$)", re.I)

#: a sentence that takes back the one before: "Just not this one." / "But not this one."
_NOT_THIS_ONE = re.compile(
    r"\s*(?:just|but|only|only\s+not|though)?\s*,?\s*not\s+(?:this|that)\s+(?:one|opera|book"
    r"|film|song|play|painting|novel|work|piece|case)\b(?:,?\s*though)?\s*[.!]",
    re.IGNORECASE,
)
#: … or ends its own sentence so: "Rossini wrote a famous Figaro opera, just not this one."
_NOT_THIS_ONE_LATER = re.compile(
    r",\s*(?:just|but|only)\s+not\s+(?:this|that)\s+one\b\W*$", re.IGNORECASE
)
#: sarcasm that says the opposite: "Of course it's the joule, said no physicist ever."
_SAID_NO_ONE_EVER = re.compile(
    r",?\s*said\s+no\s*(?:one|body|\w+)?(?:\s+\w+)?\s+ever\b[\s.!]*$", re.IGNORECASE
)  # ending its sentence: "…, said no physicist ever — he developed it himself" is no sarcasm


def disowned_sentences(text: str, found: list[Mention]) -> list[Mention]:
    """Options put forward in a sentence the reply then disowns: the next sentence is "Just
    not this one." ("Rossini wrote a famous Figaro opera. Just not this one."), or the
    sentence ends ", just not this one" or "said no physicist ever"."""
    disowned: dict[tuple[int, int], int] = {}  # sentence: where its disowning starts, or -1
    out = []
    for m in found:
        sentence = sentence_of(text, m.start)
        if sentence not in disowned:
            disowned[sentence] = _disowned_from(text, *sentence)
        if m.polarity == "put" and disowned[sentence] >= 0 and m.end <= disowned[sentence]:
            m = m._replace(polarity="negated")
        out.append(m)
    return out


def _disowned_from(text: str, start: int, end: int) -> int:
    """Where the sentence is disowned (a mention before it is taken back), or -1; found once
    per sentence, so a long reply stays linear."""
    if _NOT_THIS_ONE.match(text, end):
        return end
    later = _NOT_THIS_ONE_LATER.search(text, start, end) or _SAID_NO_ONE_EVER.search(
        text, start, end
    )
    return later.start() if later else -1


def through_lists(text: str, found: list[Mention]) -> list[Mention]:
    """A negation runs through a list: forward ("not London or Rome") and back when the
    denial is plural ("0 and 1 are not prime", "X and Y are larger, but neither is …"); so
    does another's view, forward through "and"/"or" ("Many designers, including Chanel and
    Balenciaga, …")."""
    found = list(found)
    for i in range(1, len(found)):
        previous, current = found[i - 1], found[i]
        between = text[previous.end : current.start]
        if previous.polarity == "negated" and _LISTED.fullmatch(between):
            found[i] = current._replace(polarity="negated")
        elif (
            previous.polarity == "attributed"
            and _JOINED.fullmatch(between)
            and _LIST_GOES_ON.match(text, current.end)
        ):  # "including Chanel and Balenciaga, …"; not "… Sydney, and Canberra is the capital"
            found[i] = current._replace(polarity="attributed")
    for i in range(len(found) - 1, 0, -1):
        previous, current = found[i - 1], found[i]
        if (
            current.polarity == "negated"
            and _JOINED.fullmatch(text[previous.end : current.start])
            and (
                _PLURAL_NEGATED_AFTER.match(text, current.end)
                or _BOTH_DENIED_LATER.match(text, current.end)
            )
        ):
            found[i - 1] = previous._replace(polarity="negated")
    return found
