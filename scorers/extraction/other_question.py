"""Options the reply names while answering another question than the one asked.

A careful grader does not read "Rembrandt painted The Night Watch" as an answer to "Who
painted 'Girl with a Pearl Earring'?", "There are 12 inches in a foot" as one to "How many
inches are in ten feet?", or "Ride was the first American woman in space" as one to "Who was
the first woman in space?": each gives the option for another subject, another amount or a
narrower superlative. Such an option is set aside (not put forward); with nothing else
named the reply is unreadable rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from scorers.extraction.sentences import ABBREVIATIONS, piece_of

#: a full stop that ends a sentence: not after a title, an abbreviation or an initial
#: ("Martin Luther King Jr. was", "John F. Kennedy")
_STOP = ABBREVIATIONS.replace(")", r"\.)") + r"(?<!\b[A-Z]\.)(?<=\.)(?:\s|$)"
#: where the part of a sentence that says one thing ends: the sentence, a semicolon, a turn
_PART_END = re.compile(
    r"[;!?\n]|\." + _STOP + r"|\b(?:but|however|yet|whereas|while|although|though)\b",
    re.IGNORECASE,
)
#: where the option's own clause ends: a name after a comma, a dash or a bracket is an
#: aside ("The Khmer Empire, under King Suryavarman II"), not the subject of what it says
_OWN_CLAUSE_END = re.compile(
    r"[,;:()!?\n—–]|\." + _STOP + r"|\s-\s|\b(?:but|however|yet|whereas|while)\b", re.I
)
#: where a clause ends (an amount is read in its own clause: "12 in a foot, so 120 in ten")
_CLAUSE_END = re.compile(r"[,;:!?\n—–]|\.(?:\s|$)|\b(?:so|but|and\s+so|which)\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"(?<![\w-])(?:[A-Z][a-zà-ÿ]+(?:[-'’][a-zà-ÿ]+)*|[A-Z]{2,})(?![\w-])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n)[\s\"'“‘(\[*_#>-]*$")
#: capitalised words that open sentences as ordinary words, not as names
OPENERS = frozenset(
    """the a an this that these those it its it's in on at as for but and or so yes no not
    actually however also both neither either many some most while although though since
    because here there they he she we you your my our their his her what which who when
    where why how if only just even after before during from to of with without today
    historically sorry apologies thanks thank great good correct right wrong true false let
    note i one two three four five each every all none another other such well indeed sure
    certainly definitely absolutely fair you're i'm i'd that's it's there's let's given
    instead rather again still yet nor then thus hence therefore overall originally
    technically strictly generally usually typically answer option choice final summary
    conclusion verdict short tl maybe perhaps probably possibly likely surely clearly
    obviously honestly frankly basically essentially unfortunately oh ah hmm okay ok could
    would might must should can will may upon despite wait oops whoops hold scratch
    correction um uh er hm""".split()  # noqa: SIM905
)
#: names that date a statement rather than name its subject ("on July 20, 1969")
_CALENDAR = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()  # noqa: SIM905
)
#: a name the reply rejects ("France, not Britain") or glosses in brackets is no subject
_SET_OFF = re.compile(r"(?:\bnot|\bnor|\bneither)\s+(?:the\s+)?$|\([^)]*$")
_STOP = frozenset(
    "the a an of in on at to for by with and or is was are were be as it its this that".split()  # noqa: SIM905
)


def _folded_words(text: str) -> set[str]:
    return {re.sub(r"['’]s$", "", w.casefold()) for w in re.findall(r"[\w'’-]+", text)}


def _similar(a: str, b: str) -> bool:
    """Perhaps one name in two spellings or languages: "Türkiye"/"Turkey", "Brasil"/"Brazil"."""
    a, b = _fold(a), _fold(b)
    if a[:4] == b[:4] or SequenceMatcher(None, a, b).ratio() >= 0.75:
        return True
    return a[:3] == b[:3] and any(w.endswith(_DEMONYM) for w in (a, b))  # "Swiss"


#: a pronoun that may stand for the question's subject
_PRONOUN = re.compile(
    r"\b(?:he|she|him|her|his|hers|they|them|their|its|himself|herself|itself)\b", re.I
)
#: endings of the adjective a country's name gives its people ("Swiss", "Turkish", "Thai")
_DEMONYM = ("ss", "ish", "ese", "ian", "an", "ch", "i", "ic")


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def part_of(text: str, at: int) -> tuple[int, int]:
    """The part of the sentence around ``at`` that says one thing: cut at semicolons and at
    turns ("…, but …")."""
    return piece_of(text, at, _PART_END)


def _names_in(
    text: str, start: int, end: int, skip: Sequence[tuple[int, int]], own: frozenset[str]
) -> set[str]:
    """Capitalised words between ``start`` and ``end`` that read as names: a sentence's first
    word only when it is no ordinary opener; not a month or a day, not one the reply rejects
    or glosses in brackets, and not beside (or inside) a stretch in ``skip`` (the option's own
    name: "the British pound", "Domo arigato"); a capitalised word right before a
    capitalised option counts only when it is none of ``own`` (the words that may open the
    option's own name): "Isaac Newton" names a person, not the unit; "Mount Everest" is the
    mountain."""
    found = set()
    for m in _CAPITALISED.finditer(text, start, end):
        if any(a - 1 <= m.start() <= b + 1 for a, b in skip):
            continue  # right after the option
        if any(
            a - 1 <= m.end() <= b + 1 and (not text[a].isupper() or m.group(0).casefold() in own)
            for a, b in skip
        ):
            continue  # the option's own modifier or title
        word = re.sub(r"['’]s$", "", m.group(0).casefold())
        opening = _SENTENCE_START.search(text, max(0, m.start() - 8), m.start())
        if (
            len(word) < 3
            or word in _STOP
            or word in _CALENDAR
            or word.startswith(("i'", "i’"))
            or (opening and word in OPENERS)
            or _SET_OFF.search(text, max(0, m.start() - 40), m.start())
        ):
            continue
        found.add(word)
    return found


@lru_cache(maxsize=256)
def _subject_of(question: str, choices: tuple[str, ...]) -> frozenset[str]:
    """The names the question asks about ("India", "Magna Carta"): capitalised words after
    its first, none an option's word."""
    option_words = set().union(*(_folded_words(c) for c in choices))
    names = set()
    for m in _CAPITALISED.finditer(question, len(question) - len(question.lstrip()) + 1):
        word = m.group(0).casefold()
        if word not in _STOP and word not in option_words:
            names.add(word)
    return frozenset(names)


def of_another_subject(
    text: str, start: int, skip: Sequence[tuple[int, int]], choices: Sequence[str], question: str
) -> bool:
    """The option's part of its sentence names another subject by name and none of the
    question's: "Rembrandt painted The Night Watch" for "Who painted 'Girl with a Pearl
    Earring'?", "Indonesia uses the rupiah" for "… the currency of India?". ``skip``: where
    the reply names options (their words are no other subject), sorted."""
    subject = _subject_of(question, tuple(choices))
    if not subject:
        return False
    option_words = set().union(*(_folded_words(c) for c in choices))
    if not _says_nothing_of_the_subject(text, *piece_of(text, start, _PART_END), question, subject):
        return False
    own_start, own_end = piece_of(text, start, _OWN_CLAUSE_END)
    if text[own_start - 1 : own_start] == "(":
        return False  # an option named in brackets glosses something else
    skip = _near(skip, own_start, own_end)
    skip = [*skip, *_places_of_the_options(text, skip)]
    names = _names_in(text, own_start, own_end, skip, _NAME_PREFIXES | option_words)
    if re.match(r"\W*who", question, re.IGNORECASE):  # a person asked for: a given name is theirs
        names = {n for n in names if not _right_before_a_mention(text, n, skip)}
    return bool(names - _folded_words(question))


#: where an option is, right after its name: "the Louvre in Paris", "the Uffizi Gallery in
#: Florence", "Vermeer, in Delft"
_PLACE_AFTER = re.compile(r"[\s,]*(?:in|at)\s+(?:the\s+)?(?:[A-Z][\w'’.-]*\s*)+")


def _places_of_the_options(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The place named right after each option ("the Louvre in Paris"): it says where the
    option is, it names no other subject the sentence answers about."""
    return [(b, found.end()) for _, b in spans if (found := _PLACE_AFTER.match(text, b))]


def _near(spans: Sequence[tuple[int, int]], start: int, end: int) -> Sequence[tuple[int, int]]:
    """The sorted ``spans`` that reach into ``start - 1 : end + 1``, found by bisection: a
    reply may name options thousands of times, and every mention asks this."""
    first = bisect_left(spans, start - 1 - _LONGEST_SPAN, key=lambda span: span[0])
    last = bisect_right(spans, end + 1, key=lambda span: span[0])
    return [span for span in spans[first:last] if span[1] >= start - 1]


#: longer than any option's name as a reply writes it; a longer span is only missed by
#: :func:`_near` when it starts that far before the clause and still reaches into it
_LONGEST_SPAN = 1000


#: words that open a place's or a title's name ("Mount Everest", "Lake Victoria")
_NAME_PREFIXES = frozenset(
    """mount mt lake river cape port fort saint st san santa new old north south east west
    upper lower great little queen king emperor empress pope prince princess lord lady sir
    dame president general captain doctor professor planet sea gulf bay isle island""".split()  # noqa: SIM905
)


def _right_before_a_mention(text: str, name: str, skip: Sequence[tuple[int, int]]) -> bool:
    return any(
        re.search(rf"(?i:\b{re.escape(name)})\s+$", text[max(0, a - len(name) - 3) : a])
        for a, _ in skip
    )


@lru_cache(maxsize=256)
def _says_nothing_of_the_subject(
    text: str, start: int, end: int, question: str, subject: frozenset[str]
) -> bool:
    """The part ``start:end`` names none of the question's subject (in any spelling), says
    nothing else of what is asked, and has no pronoun that may stand for the subject. Found
    once per part."""
    part = text[start:end]
    said = _folded_words(part)
    if any(_similar(a, b) for a in subject for b in said):
        return False
    if _content(part) & (_content(question) - _content(_asked_verb(question))):
        return False  # it says something of what is asked ("the capital of Türkiye")
    return not _PRONOUN.search(part)  # "He commands the Pequod": he may be the subject


def _asked_verb(question: str) -> str:
    """The verb of a "Who painted …?" question: said of another work, it answers another."""
    m = re.match(r"\W*who\s+((?:\w+-)?\w+)", question, re.IGNORECASE)  # "co-founded"
    return m.group(1) if m and m.group(1).casefold() not in ("is", "was", "are", "were") else ""


def _content(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"\w+", text.casefold()) if w not in _STOP and len(w) > 2}


_NUMBER_WORDS = {
    w: str(n)
    for n, w in enumerate(
        (  # noqa: SIM905
            "zero one two three four five six seven eight nine ten eleven twelve thirteen"
            " fourteen fifteen sixteen seventeen eighteen nineteen twenty"
        ).split()
    )
} | {"a": "1", "an": "1", "single": "1", "each": "1", "per": "1", "dozen": "12", "hundred": "100"}
_AMOUNT = re.compile(
    r"(?<![\w.,])(\d[\d,]*(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) + r")\s+([a-z]+)\b", re.IGNORECASE
)
_IRREGULAR = {"feet": "foot", "teeth": "tooth", "men": "man", "women": "woman", "people": "person",
              "children": "child", "mice": "mouse", "geese": "goose"}  # fmt: skip


def _unit(noun: str) -> str:
    noun = noun.casefold()
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    for suffix in ("es", "s"):
        if noun.endswith(suffix) and len(noun) - len(suffix) >= 3:
            return noun[: -len(suffix)]
    return noun


def _amount(said: str) -> str:
    said = said.casefold()
    return _NUMBER_WORDS.get(said, said.replace(",", ""))


def of_another_amount(text: str, start: int, question: str) -> bool:
    """The option's clause gives it for another amount of what the question counts in:
    "12 inches in a foot" for "How many inches are in ten feet?"."""
    if not _asked_amounts(question):
        return False
    return _another_amount_in(text, *piece_of(text, start, _CLAUSE_END), question)


#: the unit the answer is asked in: "How long, in cm, is its hypotenuse?", "… in metres?"
_ANSWERED_IN = re.compile(
    r"\bhow\s+\w+,?\s+in\s+(\w+)|\bin\s+(?:what\s+)?(\w+)\s*\?\s*$", re.IGNORECASE
)


@lru_cache(maxsize=256)
def _asked_amounts(question: str) -> dict[str, str]:
    """The amounts the question gives, by unit, leaving out what it counts or asks the answer
    in: {"foot": "10"} for "How many inches are in ten feet?", nothing for "legs of 6 cm and
    8 cm. How long, in cm, is its hypotenuse?". Shared: never changed by a caller."""
    counted = {_unit(w) for w in re.findall(r"\bhow\s+many\s+(\w+)", question, re.IGNORECASE)}
    counted |= {_unit(m.group(1) or m.group(2)) for m in _ANSWERED_IN.finditer(question)}
    return {
        _unit(m.group(2)): _amount(m.group(1))
        for m in _AMOUNT.finditer(question)
        if _unit(m.group(2)) not in counted
    }


@lru_cache(maxsize=64)
def _another_amount_in(text: str, start: int, end: int, question: str) -> bool:
    """:func:`of_another_amount` for one clause, read once for every option in it (a reply
    may name options thousands of times in one clause)."""
    asked = _asked_amounts(question)
    clause = text[start:end]
    given = [(_unit(m.group(2)), _amount(m.group(1))) for m in _AMOUNT.finditer(clause)]
    given = [(unit, amount) for unit, amount in given if unit in asked]
    return bool(given) and all(asked[unit] != amount for unit, amount in given)


#: the place a rank is given in: "in Southeast Asia", "of the Americas"
_PLACE = re.compile(r"\s+(?:in|of|on)\s+(?:the\s+)?((?:[A-Z][\w-]*\s*)+)")


def _narrower_place(said: str, asked: str) -> bool:
    """The reply gives the rank in a place that adds a name to the question's ("in Southeast
    Asia" for "in Asia"): a narrower region answers another question."""
    in_reply, in_question = _PLACE.match(said), _PLACE.match(asked)
    if in_reply is None or in_question is None:
        return False
    return bool(_folded_words(in_reply.group(1)) - _folded_words(in_question.group(1)))


#: a superlative or a rank the question asks for ("the first woman", "the largest desert")
_RANKED = re.compile(r"\b(first|last|only|most|least|\w{3,}est)\s+(\w+)", re.IGNORECASE)
#: words that stress a rank without narrowing it ("the very first", "the first ever")
_INTENSIFIERS = frozenset(
    "very ever true real actual official recorded known single".split()  # noqa: SIM905
)


def narrower_than_asked(text: str, start: int, question: str) -> bool:
    """The option's part of its sentence gives the question's rank to a narrower kind:
    "the first American woman" for "the first woman", "the largest hot desert" for "the
    largest desert"."""
    return _narrower_in(text, *piece_of(text, start, _PART_END), question)


@lru_cache(maxsize=64)
def _narrower_in(text: str, start: int, end: int, question: str) -> bool:
    """:func:`narrower_than_asked` for one part of a sentence, read once for every option in
    it."""
    asked_words = _folded_words(question)
    part = text[start:end]
    for m in _RANKED.finditer(question):
        rank, kind = m.group(1).casefold(), _unit(m.group(2))
        pattern = rf"\b{re.escape(rank)}\s+((?:[\w-]+\s+){{1,3}}?)(\w+)\b"
        for said in re.finditer(pattern, part, re.IGNORECASE):
            if _unit(said.group(2)) != kind:
                continue
            inserted = set(said.group(1).casefold().split())
            if inserted - asked_words - _INTENSIFIERS:
                return True
        asked_place = question[m.end() :]
        for said in re.finditer(rf"\b{re.escape(rank)}\s+(\w+)\b", part, re.IGNORECASE):
            if _unit(said.group(1)) == kind and _narrower_place(part[said.end() :], asked_place):
                return True  # "the longest river in Southeast Asia" for "… in Asia"
    return False


#: a year naming one edition of a thing: "the 1960 film", "the 1998 remake", "the 2002 final"
_EDITION = re.compile(r"\bthe\s+((?:1[5-9]|20)\d\d)\s+[a-z-]+", re.IGNORECASE)


def of_another_edition(text: str, start: int, question: str) -> bool:
    """The question names one edition by its year ("the 1960 film Psycho") and the option's
    part of its sentence names another edition and not the asked one: "Gus Van Sant directed
    Psycho: the 1998 remake" answers for the remake."""
    asked = {m.group(1) for m in _EDITION.finditer(question)}
    if not asked:
        return False
    part = text[slice(*piece_of(text, start, _PART_END))]
    said = {m.group(1) for m in _EDITION.finditer(part)}
    return bool(said) and not said & asked
