"""Mentions that cannot be the reply's answer whatever it says around them: inside a longer
quote, in the question's own slot ("January comes after February"), a conversion into
another unit, a number computed with, counting something else than "how many" asks, or one
of an enumeration. They are dropped before polarity is read.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

from scorers.extraction.folding import fold, phrase_at
from scorers.extraction.mention import Mention
from scorers.extraction.numbers import NUMBER, NUMBER_WORDS_SET, is_number
from scorers.extraction.quotes import QUOTES, inside_a_longer_quote
from scorers.extraction.sentences import CLAUSE_END, cuts, piece_of
from scorers.extraction.words import STOP, same_word, words_of

_RELATIONS = {"after", "before", "following", "preceding", "follows", "precedes"}

_I = re.IGNORECASE

#: Scales of one quantity: a reply often gives a value in two of them ("0°C (32°F)").
_UNITS = [
    [
        re.compile(r"\s*(?:(?:°\s*|degrees?\s+)C\b|(?:degrees?\s+)?(?:celsius|centigrade)\b)", _I),
        re.compile(r"\s*(?:(?:°\s*|degrees?\s+)F\b|(?:degrees?\s+)?fahrenheit\b)", _I),
        re.compile(r"\s*(?<![A-Za-z])(?:K\b|kelvins?\b)"),
    ],
    [
        re.compile(r"\s*(?<![A-Za-z])(?:km|kilomet(?:er|re)s?)\b", _I),
        re.compile(r"\s*(?<![A-Za-z])(?:mi|miles?)\b", _I),
    ],
]

_HOW_MANY = re.compile(r"\bhow\s+many\s+(\w+)|\bnumber\s+of\s+(\w+)", re.IGNORECASE)

#: words after a number that do not say what it counts ("46 in total", "four is standard",
#: "13 once you count the okina", "15 per side": a conjunction, adverb or preposition, no
#: noun; "per" was read as short for "players" before)
_COUNT_FREE = {
    "not", "total", "altogether", "exactly", "overall", "but", "so", "then", "because", "since",
    "though", "although", "while", "if", "plus", "minus", "times", "divided", "multiplied",
    "percent", "degrees", "instead", "either", "each", "both", "all", "only", "just", "rather",
    "once", "when", "whenever", "unless", "until", "after", "before", "counting", "including",
    "excluding", "according", "officially", "now", "today", "still", "too", "also", "again",
    "per", "remains", "remain", "stays", "stands", "holds", "seems", "sounds", "looks", "appears",
    "would", "should", "must", "will", "can", "could", "might", "may", "definitely", "certainly",
    "indeed", "actually", "really", "clearly", "simply", "surely", "probably",
}  # fmt: skip


def _counts_something_else(text: str, m: Mention, question: str) -> bool:
    """A count of another thing than the question asks about is not the answer: for "How
    many hearts does an octopus have?", "eight arms" and "23 pairs" count something else;
    a number word followed by a noun ("the two authors") counts that noun whatever the
    question. The counted noun's symbol ("453.6 g" for grams) counts it."""
    said = text[m.start : m.end]
    worded = fold(said) in NUMBER_WORDS_SET
    asked = _HOW_MANY.search(question)
    if not (worded or (asked and NUMBER.fullmatch(said))):
        return False
    following = re.match(r"[ \t*_]*([A-Za-z][\w-]*)", text[m.end : m.end + 40])  # its line
    if following is None:
        return False
    word = following.group(1).casefold()
    if word in STOP or word in _COUNT_FREE:
        return False
    if not asked:
        return True
    nouns = _counted_words(question, asked.start(1) if asked.group(1) else asked.start(2))
    return not any(same_word(word, noun) or _abbreviates(word, noun) for noun in nouns)


def _counted_words(question: str, at: int) -> list[str]:
    """The words of what "how many" counts, up to the first function word: "official", "time",
    "zones" in "How many official time zones does China use?" (a reply says "1 time zone")."""
    words = []
    for word in re.findall(r"[A-Za-z][\w-]*", question[at : at + 60]):
        if word.casefold() in STOP or len(words) == 4:
            break
        words.append(word.casefold())
    return words


def _abbreviates(short: str, noun: str) -> bool:
    """A unit's symbol or a short form for the counted noun: "g" for grams, "km" for
    kilometres, "pts" for points (its letters in order, the first the same)."""
    if len(short) > 3 or short[0] != noun[0]:
        return False
    letters = iter(noun)
    return all(c in letters for c in short)


#: "the rank above ōzeki", "one step below X": the option is where the answer is counted from
_RANKED_FROM = re.compile(
    r"\b(?:the|a|one)\s+(?:\w+\s+)?(?:rank|level|step|grade|position|title|place|tier|notch)"
    r"\s+(?:just\s+|directly\s+|immediately\s+)?(?:above|below|beneath|under|beyond)\s+"
    r"(?:the\s+)?[\s*_" + QUOTES + r"]*$",
    re.IGNORECASE,
)


def no_answer(
    text: str,
    m: Mention,
    question: str,
    choices: Sequence[str],
    quoted: list[tuple[int, int]],
) -> bool:
    """A mention that could not be the reply's answer whatever it says around it."""
    return (
        inside_a_longer_quote(text, m, quoted)
        or _in_the_questions_slot(text, m, question, choices)
        or _in_another_unit(text, m, question, choices)
        or _an_operand(text, m)
        or _counts_something_else(text, m, question)
        or _RANKED_FROM.search(text, max(0, m.start - 50), m.start) is not None
        or _enumerated(text, m)
        or _in_a_contraction(text, m)
        or _inside_a_longer_number(text, m)
        or _inside_a_compound(text, m)
        or _used_as_a_verb(text, m, question)
        or _names_a_feature(text, m, question)
        or _a_rate(text, m, question)
        or _signed_negative(text, m, choices)
        or _a_verdict_on_the_user(text, m)
        or _the_pronoun_one(text, m)
        or _inside_the_questions_title(text, m, question, choices)
        or _of_another_dimension(text, m, question)
    )


#: a dimension, by the words that ask for or state it
_DIMENSIONS = {
    "long": "length",
    "length": "length",
    "wide": "width",
    "width": "width",
    "across": "width",
    "broad": "width",
    "tall": "height",
    "high": "height",
    "height": "height",
    "deep": "depth",
    "depth": "depth",
}
_ASKED_DIMENSION = re.compile(
    r"\bhow\s+(long|wide|tall|high|deep)\b|\b(length|width|height|depth)\b", re.I
)
_DIMENSION_AFTER = re.compile(
    r"[\s)*_]*(?:[a-z]{1,12}\.?\s+)?(wide|long|tall|high|deep|across|broad)\b", re.I
)  # "29 km across": the unit may stand between
_DIMENSION_BEFORE = re.compile(
    r"\b(length|width|height|depth)\s+(?:is|was|of|measures|=)\s+(?:about\s+|around\s+|exactly\s+)?$",
    re.I,
)


def _of_another_dimension(text: str, m: Mention, question: str) -> bool:
    """The question asks one dimension and the reply gives the option as another: "25 metres
    wide", "its width is 25 metres" for "How long is an Olympic pool?"."""
    asked = _ASKED_DIMENSION.search(question)
    if asked is None:
        return False
    wanted = _DIMENSIONS[(asked.group(1) or asked.group(2)).lower()]
    said = _DIMENSION_AFTER.match(text, m.end) or _DIMENSION_BEFORE.search(
        text, max(0, m.start - 40), m.start
    )
    return said is not None and _DIMENSIONS[said.group(1).lower()] != wanted


def _inside_the_questions_title(
    text: str, m: Mention, question: str, choices: Sequence[str]
) -> bool:
    """The option is a word of a title the question quotes, or another name of it (an alias)
    inside a longer name the question writes in capitals, and the reply repeats that: "The
    Tortoise and the Hare, a classic tale …" names the fable, not its winner; "Bugs Bunny is
    a cartoon character" no rabbit (the option's own name stays: "Kansas City, Kansas")."""
    quoted, named = _titles(question)
    if fold(text[m.start : m.end]) == fold(choices[m.index]):
        named = ()
    for title, folded in [(t, True) for t in quoted] + [(n, False) for n in named]:
        start = max(0, m.start - len(title))
        stretch = text[start : m.end + len(title)]
        for found in re.finditer(re.escape(title), fold(stretch) if folded else stretch):
            a, b = found.start() + start, found.end() + start
            if a <= m.start and m.end <= b and (folded or (a, b) != (m.start, m.end)):
                return True
    return False


_QUOTED_PHRASE = re.compile(
    r"(?:^|[\s(])[" + QUOTES + r"]([^" + QUOTES + r"]{3,80})[" + QUOTES + r"]"
)
#: a name of two capitalised words or more, not the question's opening word: "Bugs Bunny"
_CAPITALISED_NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)+")


@lru_cache(maxsize=1024)
def _titles(question: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The question's quoted phrases of two words or more (folded), and its names of two
    capitalised words or more (as written)."""
    quoted = tuple(fold(q) for q in _QUOTED_PHRASE.findall(question) if len(q.split()) > 1)
    unquoted = _QUOTED_PHRASE.sub(" ", question)
    return quoted, tuple(_CAPITALISED_NAME.findall(unquoted))


def _the_pronoun_one(text: str, m: Mention) -> bool:
    """ "this one", "the right one", "one of them": the pronoun, not the option "One"."""
    return fold(text[m.start : m.end]) == "one" and bool(
        _DETERMINER_BEFORE.search(text, max(0, m.start - 20), m.start)
        or _ONE_OF_AFTER.match(text, m.end)
    )


_DETERMINER_BEFORE = re.compile(
    r"\b(?:this|that|the|which|each|any|no|every|another|either|neither|whichever|same|other"
    r"|right|wrong|correct|good|only|last|a)\s+$",
    re.IGNORECASE,
)
_ONE_OF_AFTER = re.compile(r"\s+(?:of|that|which|who|another)\b", re.IGNORECASE)


def _a_verdict_on_the_user(text: str, m: Mention) -> bool:
    """ "You're right", "that's correct": a verdict on what was said, not the option "Right
    angle" (nor "The Wright brothers", one letter away)."""
    if fold(text[m.start : m.end]) not in _VERDICT_WORDS:
        return False
    if _VERDICT_FRAME.search(text, max(0, m.start - 30), m.start):
        return True
    if _OF_AN_ANSWER.match(text, m.end):
        return True  # "the right answer is Obtuse angle"
    return bool(  # "I think Reflex angle is right." (not "the answer is Right": the option)
        _COPULA_BEFORE.search(text, max(0, m.start - 30), m.start)
        and _PAUSE.match(text, m.end)
        and not text[m.start].isupper()
    )


#: "the right answer", "the correct one": the word says which answer, it is no option
_OF_AN_ANSWER = re.compile(r"\s+(?:answer|one|choice|option|call|pick|response)\b", re.I)
#: "… is right", "… was absolutely correct"
_COPULA_BEFORE = re.compile(
    r"\b(?:is|was|are|were|be)\s+(?:(?:absolutely|quite|completely|entirely|definitely)\s+)?$",
    re.IGNORECASE,
)
_PAUSE = re.compile(r"[\s*_)\"'”’]*(?:[.,;:!?]|$)")


_VERDICT_WORDS = frozenset({"right", "correct", "wrong"})  # not "true"/"false": options
#: "you're …", "that is …", "you were absolutely …": what a verdict word follows
_VERDICT_FRAME = re.compile(
    r"\b(?:you['’]re|you\s+are|you\s+were|that['’]s|that\s+is|that\s+was|i\s+was|i['’]m)"
    r"\s+(?:(?:absolutely|quite|completely|partly|partially|not|so|"
    r"entirely|totally|exactly|definitely)\s+)?$",
    re.IGNORECASE,
)


#: "negative 3": always the negative number
_WORDED_SIGN = re.compile(r"\bnegative\s+$", re.IGNORECASE)
#: a sign before a number, not a subtraction: "−12", "(-3", "minus 3" with no number before
#: "minus" (read as a sign only when some option is negative)
_SIGN_BEFORE = re.compile(
    r"(?:(?:^|[\s(\[=:,])[-−]|(?<![\d\s])\s*\bminus\s+|^minus\s+)$", re.IGNORECASE
)
_BELOW_ZERO = re.compile(r"\s+(?:degrees\s+)?below\s+zero\b", re.IGNORECASE)
#: "minus" after a number or a number word is the operation ("8 minus 3")
_OPERATION_MINUS = re.compile(
    r"(?:\d|\b(?:" + "|".join(sorted(NUMBER_WORDS_SET)) + r"))\s+minus\s+$", re.IGNORECASE
)


def _signed_negative(text: str, m: Mention, choices: Sequence[str]) -> bool:
    """A number in digits said negative ("negative 3", "3 below zero") is not the positive
    option of that size; nor, when some option is negative, one with a minus sign ("−3"):
    elsewhere a sign may be a hyphen or an offset ("UTC -5")."""
    said = text[m.start : m.end]
    if not said[:1].isdigit():
        return False
    before = text[max(0, m.start - 24) : m.start]
    if _OPERATION_MINUS.search(before):
        return False
    if _WORDED_SIGN.search(before) or _BELOW_ZERO.match(text, m.end):
        return True
    negative_option = any(c.strip()[:1] in "-−" for c in choices)
    return negative_option and _SIGN_BEFORE.search(before) is not None


#: "at" before a number: the pace or price of something ("at 30 points a frame")
_AT = re.compile(r"\bat\s+$", re.IGNORECASE)
#: "30 points a frame", "5 times per day": a number of something for each of another
_RATE = re.compile(r"\s+([a-z]+)\s+(?:a|an|per|each)\s+([a-z]+)\b", re.IGNORECASE)


def _a_rate(text: str, m: Mention, question: str) -> bool:
    """A number given as the rate something goes at ("at 30 points a frame") is a step of the
    reckoning, not the answer, unless the question names what the rate counts ("How many
    points …?"). Without "at" ("It's 70 miles an hour") the rate is the answer."""
    if not _AT.search(text, max(0, m.start - 4), m.start) or not is_number(text[m.start : m.end]):
        return False
    rate = _RATE.match(text, m.end)
    if rate is None or rate.group(1).casefold() in STOP:
        return False
    asked = words_of(question)
    return not any(same_word(w.casefold(), q) for w in rate.groups() for q in asked)


#: a feature of the land named after a place: "the Niger river", "the Congo basin"
_FEATURE = re.compile(
    r"\s+(river|lake|delta|basin|valley|mountains|desert|sea|bay|gulf|strait|canal|falls|island"
    r"|islands|peninsula|plateau|coast|ocean|gorge)\b",
    re.IGNORECASE,
)


def _names_a_feature(text: str, m: Mention, question: str) -> bool:
    """The option's name before a feature of the land ("near the niger river") names that
    feature, not the option, unless the question asks for such a feature ("Which river …")."""
    found = _FEATURE.match(text, m.end)
    if found is None:
        return False
    feature = found.group(1).casefold()
    return not any(same_word(feature, w) for w in words_of(question))


#: a hyphen and a word right after a name: "ampere-second", "Nile-sized"
_HYPHENATED = re.compile(r"-[a-z]")


def _inside_a_compound(text: str, m: Mention) -> bool:
    """The option's word is the first part of a hyphenated compound: an "ampere-second" is a
    coulomb, not an ampere. A number so joined ("a 1,852-metre mile") still says the number."""
    return _HYPHENATED.match(text, m.end) is not None and not is_number(text[m.start : m.end])


#: what makes the next word a verb: "let me lead with", "I'll lead off"
_BEFORE_A_VERB = re.compile(
    r"\b(?:let\s+me|let['’]s|let\s+us|i['’]ll|we['’]ll|i\s+will|we\s+will|i\s+must|we\s+must)\s+$",
    re.IGNORECASE,
)


def _used_as_a_verb(text: str, m: Mention, question: str) -> bool:
    """The option's word, lower-case, used as a verb: "Let me lead with the key point" names
    no element "Lead", "I may have been mistaken" no month "May"; and the verb "let" of "Let
    me reconsider" (tennis's "Let"), unless the question asks for that very word ("'___ us go
    then'")."""
    if (
        fold(text[m.start : m.end]) == "let"
        and _ME_OR_US.match(text, m.end)
        and not _BLANK_BEFORE_ME_OR_US.search(question)
    ):
        return True
    if fold(text[m.start : m.end]) in _MODALS and text[m.start].islower():
        return _WORD_AFTER.match(text, m.end) is not None  # "I may have been mistaken"
    return text[m.start].islower() and (
        _BEFORE_A_VERB.search(text, max(0, m.start - 12), m.start) is not None
    )


#: options that are also modal verbs ("May", "Will"): lower-case before a word, the verb
_MODALS = frozenset({"may", "might", "will", "can", "must", "should", "shall"})
_WORD_AFTER = re.compile(r"\s+[a-z]")


_ME_OR_US = re.compile(r"\s+(?:me|us)\b", re.IGNORECASE)
_BLANK_BEFORE_ME_OR_US = re.compile(r"_+\s*(?:me|us)\b", re.IGNORECASE)


#: digits after a point or comma: the rest of a longer number ("36.6", "2,500"); not a
#: decimal part of zeros ("100.0" is 100)
_MORE_DIGITS = re.compile(r"(?:\.0*[1-9]|,\d)")
_DIGITS_BEFORE = re.compile(r"\d[.,]$")


def _inside_a_longer_number(text: str, m: Mention) -> bool:
    """A number that is only part of a longer one: "36" in "36.6" or "1.36", "2" in "2,500"
    (the whole-word search stops at the point or comma)."""
    if not text[m.start : m.end].isdigit():
        return False
    return bool(
        _MORE_DIGITS.match(text, m.end) or _DIGITS_BEFORE.search(text, max(0, m.start - 2), m.start)
    )


#: "n't" or "'t" right after a word: "don't", "won't", "can't", "isn't"
_CONTRACTED = re.compile(r"(?:n?['’]t)\b", re.IGNORECASE)


def _in_a_contraction(text: str, m: Mention) -> bool:
    """The option's word is the first half of a contraction: "I don't know" names no river
    "Don", "it won't" no "Won". A name never runs on into "'t". Nor is the second half a
    name: "it's" names no "S" (siemens), "you're" no "Re"."""
    if _CONTRACTED.match(text, m.end) is not None:
        return True
    return m.start > 0 and text[m.start - 1] in "'’" and text[m.start - 2 : m.start - 1].isalpha()


def _restates_the_question(text: str, m: Mention, question: str) -> bool:
    """The option with the two words before it, or the word on either side, as the question
    has them."""
    before = re.findall(r"\w+", text[max(0, m.start - 40) : m.start])[-2:]
    after = re.findall(r"\w+", text[m.end : m.end + 40])[:1]
    said = text[m.start : m.end]
    asked = fold(question)
    for words in ([*before, said], [*before[-1:], said, *after]):
        if len(words) == 3 and _said_in(asked, [fold(w) for w in words]):
            return True
    return False


def _said_in(text: str, words: list[str]) -> bool:
    """Whether ``words`` stand in ``text`` in turn, whole, spaces between them; plain words
    are found word by word (a pattern compiled for every option of a run costs more than
    the reading it serves)."""
    if all(_PLAIN_WORD.fullmatch(w) for w in words):
        return bool(phrase_at(text, words))
    phrase = r"\s+".join(re.escape(w) for w in words)
    return re.search(r"(?<!\w)" + phrase + r"(?!\w)", text) is not None


_PLAIN_WORD = re.compile(r"\w+")


def _in_the_questions_slot(text: str, m: Mention, question: str, choices: Sequence[str]) -> bool:
    """The option sits where the question's own word belongs, so the reply does not say it is
    the answer: "January comes after February" for "Which month comes after January?" (the
    question's word is in the reply too), it restates the question's own words around it ("from
    0 to 1" for "… the integral of 2x from 0 to 1?"), or it is a word talked about: 'the
    opposite of "antonym" is …'."""
    base = max(0, m.start - 60)
    lead = re.search(r"(\w+)\s*([" + QUOTES + r"]?)$", text[base : m.start])
    if lead is None:
        return False
    if question and not lead.group(2) and _restates_the_question(text, m, question):
        return True  # "from 0 to 1" restating "… the integral of 2x from 0 to 1?"
    word = fold(lead.group(1))
    if word == "of" and lead.group(2):  # not 'none of "Ld", "Le" or "Pl"': a pick among them
        return not _CHOOSING_AMONG.search(text, base, base + lead.start(1))
    if not question or word not in _RELATIONS:
        return False
    in_options = {w for c in choices for w in words_of(c)}
    follows = re.findall(r"\b" + word + r"\s+[" + QUOTES + r"]?(\w+)", fold(question))
    reply = set(words_of(text))
    return any(y not in STOP and y not in in_options and y in reply for y in follows)


#: a word picking among what follows its "of": "none of", "either of", "one of"
_CHOOSING_AMONG = re.compile(r"\b(?:none|neither|either|any|all|both|each|one)\s+$", re.I)

_OPERATOR_AFTER = re.compile(
    r"\s*(?:[+×*/÷^=]|[-−x]\s*\d|%|percent\b|times\b|plus\b|minus\b|divided\b|multiplied\b"
    r"|equals\b|squared\b|cubed\b|to\s+the\s+(?:\w+\s+)?power\b|raised\s+to\b)",
    re.IGNORECASE,
)

_OPERATOR_BEFORE = re.compile(
    r"(?:[+×*/÷^]|\d\s*[-−x]|\b(?:times|plus|minus|(?:divided|multiplied)\s+by))\s*$", re.IGNORECASE
)


_RESULT_JUST_BEFORE = re.compile(r"(?<![=<>!])=\s*$")
#: the working carrying on from a result: "; × 7", ", 720 ×"
_CARRIED_ON = re.compile(r"\s*[;,]\s*(?:(\d[\d,.]*)\s*)?(?:[+×*/÷]|[-−x]\s*\d)")


def _an_operand(text: str, m: Mention) -> bool:
    """A number the reply computes with is working, not its answer: in "10% of 80 = 8 + 4 =
    12" only the result after the last "=" is put forward; in "36 squared is 1296" 36 is
    worked with, in words. Whatever stands left of "=" is
    what is worked out ("d/dx sin(x) = cos(x)"), not the result."""
    if m.kind in ("statement", "letter"):
        return False
    if all(unicodedata.decomposition(c).startswith("<super>") for c in text[m.start : m.end]):
        return True  # the exponent of "x²"
    if re.match(r"\s*=(?!=)", text[m.end : m.end + 8]):
        return True
    if not is_number(text[m.start : m.end]):
        return False
    if (
        _RESULT_JUST_BEFORE.search(text, max(0, m.start - 4), m.start)
        and (carried := _CARRIED_ON.match(text, m.end))
        and carried.group(1) in (None, text[m.start : m.end])
    ):  # "× 6 = 720; × 7 = 5040", "120 × 6 = 720, 720 × 7": a step, not the result
        return True
    return bool(
        _OPERATOR_AFTER.match(text, m.end)
        or _OPERATOR_BEFORE.search(text, max(0, m.start - 12), m.start)
    )


#: three or more numbers in a row, "2, 4, 8, 16" or "5, 7 and 11": a sequence, not an answer
_RUN = re.compile(r"\d[\d.]*(?:\s*,\s+\d[\d.]*){2,}(?:,?\s+(?:and|or)\s+\d[\d.]*)?")


def _enumerated(text: str, m: Mention) -> bool:
    """A number inside an enumeration ("doubling: 2, 4, 8, …, 512, 1024") is listed, not
    put forward; nor is the number of a numbered list's item ("1. Canberra")."""
    if not NUMBER.fullmatch(text[m.start : m.end]):
        return False
    if _LIST_NUMBER.match(text, m.end) and _numbered_list_item(text, m):
        return True
    starts, ends = cuts(text, _RUN)  # found once per reply
    run = bisect_right(starts, m.start) - 1
    return run >= 0 and m.end <= ends[run]


#: a numbered list's item number: "1. ", "2) " at the start of a line
_LIST_NUMBER = re.compile(r"[.)][ \t]+\S")
#: the next or the previous item's number at the start of a line
_LINE_NUMBER = re.compile(r"^[ \t*_>]*(\d{1,2})[.)][ \t]", re.MULTILINE)


def _numbered_list_item(text: str, m: Mention) -> bool:
    """The number opens a line of a numbered list: another line opens on the number before
    or after it ("1. Canberra\n2. Sydney"; not "1989. Germany was reunified …")."""
    line_start = text.rfind("\n", 0, m.start) + 1
    if text[line_start : m.start].strip(" \t*_>"):
        return False
    said = text[m.start : m.end]
    if not said.isdigit() or len(said) > 2:
        return False
    return bool({int(said) - 1, int(said) + 1} & _line_numbers(text))


@lru_cache(maxsize=8)
def _line_numbers(text: str) -> frozenset[int]:
    """The numbers that open lines of the reply as list items: read once per reply, not once
    per number it names (an untrusted reply may number thousands of lines)."""
    return frozenset(int(n.group(1)) for n in _LINE_NUMBER.finditer(text))


def _in_another_unit(text: str, m: Mention, question: str, choices: Sequence[str]) -> bool:
    """A number written in another unit than the one asked for is a conversion, not that
    option: "100°C (212°F)" for a question in degrees Celsius, or "0 is the freezing point
    on the Celsius scale" for one in kelvins."""
    if not NUMBER.fullmatch(text[m.start : m.end]) or not NUMBER.match(choices[m.index]):
        return False  # a number, or a number with its unit ("100 °F")
    for scales in _UNITS:
        asked = [unit for unit in scales if unit.search(question)]
        if len(asked) == 1:
            written = text[m.end : m.end + 24]
            if any(unit.match(written) for unit in scales):
                return any(unit.match(written) for unit in scales if unit is not asked[0])
            # a bare number: "0 is the freezing point on the Celsius scale"
            rest = text[m.end : piece_of(text, m.end, CLAUSE_END)[1]]
            return not asked[0].search(rest) and any(unit.search(rest) for unit in scales)
    return False
