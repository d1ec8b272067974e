"""The last phase: with several options named and no statement, the option of the one
sentence (or clause) that answers the question, the one sharing most of its words; never for
a negative question, a number written as a word, a superlative narrowed to somewhere else,
or a sentence that turns from the option or is overruled by another.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from scorers.extraction.folding import fold
from scorers.extraction.hedges import hedges
from scorers.extraction.mention import Mention
from scorers.extraction.negative_questions import NEGATIVE_QUESTION
from scorers.extraction.numbers import small_numbers, worded_number
from scorers.extraction.quotes import QUOTES
from scorers.extraction.sentences import clause_of, clause_start, sentence_of
from scorers.extraction.words import STOP, content_words, same_word, words_of

_COPULA_BEFORE = re.compile(
    r"\b(?:is|was|are|were)(?:\s+(?:still|indeed|actually|definitely|clearly|in\s+fact))?"
    r"[\s" + QUOTES + r"(]+(?:(?:the|a|an)\s+)?$",
    re.IGNORECASE,
)

_TURN = re.compile(r"\b(?:but|however|yet)\b", re.IGNORECASE)

#: "… = X": X is what a computation comes to
_RESULT_BEFORE = re.compile(r"(?<![=<>!])=\s*[" + QUOTES + r"(]*$")


def answering_sentence(text: str, put: list[Mention], question: str) -> list[Mention]:
    """The mentions of the one sentence that answers the question, when the others name
    different options in sentences of their own: the sentence sharing the most words with
    the question (without a question: the first). When a sentence names two options, its
    clauses ("Sydney is bigger, but Canberra is the capital") are weighed the same way, and
    only a clause sharing strictly more question words than the others is taken. Empty when
    nothing stands out, or when the sentence hedges ("maybe", "or"). Never for a negative
    question ("Which is NOT a mammal?"), where the sentence sharing its words is as likely to
    be one that rules an option out ("bats are mammals")."""
    if NEGATIVE_QUESTION.search(question):
        return []
    blanked = without_options(text, (0, len(text)), put)  # once: a long reply has many units
    for unit_of, clauses in ((sentence_of, False), (_clause_with_its_antecedent, True)):
        by_unit: dict[tuple[int, int], list[Mention]] = {}
        wide: set[tuple[int, int]] = set()
        for m in put:
            unit = own = unit_of(text, m.start)
            if clauses and (unit := _with_the_noun_it_names(text, own, m)) != own:
                wide.add(unit)
            by_unit.setdefault(unit, []).append(m)
        if wide:
            by_unit = _inner_units_joined(by_unit, wide)
        if any(len({m.index for m in ms}) > 1 for ms in by_unit.values()):
            continue
        units = list(by_unit)
        if question:
            asked = asked_words(question)
            overlap = {u: _weight(text, u, asked) for u in units}
            named = sorted((m.start, m.end) for m in put)
            for u in units:  # "The riel is Cambodia's currency; Vietnam uses the dong."
                if anothers_own(text, u, named, question) or (
                    len(units) > 1 and of_another_thing(text[slice(*u)], question, sharing=False)
                ):  # "The Vltava flows through Prague; Vienna is on the Danube."
                    overlap[u] = -1
            if clauses:
                _share_the_clause_before(text, blanked, sorted(units), overlap, asked)
            best = max(overlap.values())
            units = sorted(u for u in units if overlap[u] == best)
            if len(units) > 1 and _TURN.search(text, units[-2][1], by_unit[units[-1]][0].start):
                units = units[-1:]  # "Venus is the hottest planet, but Mercury is the closest"
            if len(units) > 1 and best > 0:
                phrased = [u for u in units if _shares_a_phrase(text[slice(*u)], question)]
                if len(phrased) == 1:  # "…; Best Picture went to Forrest Gump": the asked phrase
                    units = phrased
            if not clauses and len({by_unit[u][0].index for u in units}) == 1:
                units = units[:1]  # "HTTPS uses port 443. … HTTPS uses port 443.": said again
            if not clauses and best <= 0 and len(units) > 1:
                bare = [u for u in units if _BARE.fullmatch(blanked[slice(*u)])]
                if (
                    len(bare) == 1
                    and bare[0] == min(units)
                    and not _TAKEN_BACK.search(text, bare[0][1])
                ):
                    units = bare
            if len(units) > 1 or (clauses and best == 0):
                return []
        elif clauses:
            return []
        chosen = by_unit[units[0]]
        if hedges(text, [sentence_of(text, chosen[0].start)], put, or_beside_an_option=True):
            return []
        if all(worded_number(text, m) for m in chosen):
            return []  # "Six strings is the standard for a guitar" is weak ground to pick on
        if _rescoped(without_options(text, units[0], put), question):
            return []  # "the largest desert in Asia" answers another question
        if of_another_thing(text[slice(*units[0])], question):
            return []  # "the unit of electric potential" for "… unit of resistance?"
        if not clauses and question and _turns_after(text, chosen, units[0], overlap, asked):
            return []  # "Borges was a giant, but he wrote short stories": granted, then not
        others = [m for m in put if m.index != chosen[0].index]
        if any(_overruled(text, chosen, m) for m in others):
            return []
        return chosen
    return _beside_a_crowded_sentence(text, put, question)


def _shares_a_phrase(unit: str, question: str) -> bool:
    """The unit says two of the question's content words side by side, as the question does
    ("Best Picture"), where tied units share single words only ("won Best Original
    Screenplay")."""
    return bool(_content_pairs(unit) & _content_pairs(question))


def _content_pairs(text: str) -> set[tuple[str, str]]:
    words = words_of(text)
    return {
        (a[:5], b[:5])
        for a, b in zip(words, words[1:], strict=False)
        if a not in STOP and b not in STOP and len(a) > 2 and len(b) > 2
    }


#: what is left of a clause whose verb is left out ("…, Athens in 2004"): a phrase after a
#: preposition, nothing else
_GAPPED = re.compile(r"[\s,;]*(?:in|on|at|by|with|for|from|during)\s+[\w ]+[\s.!]*", re.I)


def _share_the_clause_before(
    text: str,
    blanked: str,
    units: list[tuple[int, int]],
    overlap: dict[tuple[int, int], int],
    asked: set[str],
) -> None:
    """A clause that says what the clause before it says is weighed with that clause's
    question words too, so the words it leaves out alone pick neither: one that leaves out
    the earlier verb ("Sydney hosted in 2000, Athens in 2004": the words the earlier clause
    has before its own phrase), and one ending on a pronoun for the earlier clause's thing
    ("The Golgi apparatus packages proteins; the ribosome makes them": all its words).
    ``blanked``: the reply with its options blanked out (:func:`without_options`)."""
    for before, unit in zip(units, units[1:], strict=False):
        if overlap[unit] < 0:
            continue
        if _GAPPED.fullmatch(blanked[slice(*unit)]):
            earlier = blanked[slice(*before)]
            verb = _GAPPED.search(earlier)
            shared = content_words(earlier[: verb.start()] if verb else earlier) & asked
            overlap[unit] += len(shared)
        pronoun = _ENDS_ON_A_PRONOUN.search(text, *unit)
        if pronoun is None:
            continue  # (an option ending the clause is no pronoun: "it" is no option's name)
        if pronoun.group(1).casefold() == "it" and overlap[unit] == 0:
            continue  # "Gray's caveat did not stop it": only "Forrest Gump won it" says the verb
        overlap[unit] += len(content_words(blanked[slice(*before)]) & asked)


#: a clause whose object is a pronoun: "… makes them.", "… won it" ("it" only after the
#: question's own verb: "Gray's caveat did not stop it" says something else)
_ENDS_ON_A_PRONOUN = re.compile(r"\b(them|those|these|it)[\s.!;,]*$", re.IGNORECASE)

#: a sentence that is the option alone: "Saffron." (then "Turmeric is a root." says something
#: of another option, not the answer)
_BARE = re.compile(r"[\s*_#>\"'“‘(]*[\s*_)\"'”’]*[.!]?[\s*_)\"'”’]*")


#: what takes a bare answer back: "Samarkand. Sorry — Tashkent, I mean."
_TAKEN_BACK = re.compile(
    r"\b(?:sorry|i\s+mean|meant|wait|actually|rather|correction|oops|no)\b", re.I
)


def without_options(text: str, unit: tuple[int, int], mentions: list[Mention]) -> str:
    """The unit's text with the options it names blanked out (what a sentence, clause or gap
    between two options says besides them)."""
    piece = list(text[unit[0] : unit[1]])
    for m in mentions:
        if m.end > unit[0] and m.start < unit[1]:
            for i in range(max(m.start, unit[0]), min(m.end, unit[1])):
                piece[i - unit[0]] = " "
    return "".join(piece)


_SCOPE = re.compile(r"(\w+)\s+(?:in|of|on|among|across|within)\s+(?:the\s+)?([A-Z][\w'’-]+)")


def _rescoped(unit: str, question: str) -> bool:
    """The sentence narrows the question's superlative to a place or group the question does
    not name: "the largest desert in Asia" for "What is the largest desert in the world?"."""
    asked = words_of(question)
    superlatives = {w for w in asked if w.endswith("est") and len(w) > 5}
    if not superlatives & set(words_of(unit)):
        return False
    return any(
        fold(m.group(2)) not in asked and any(same_word(fold(m.group(1)), q) for q in asked)
        for m in _SCOPE.finditer(unit)
    )


_OF_PHRASE = re.compile(r"\b(\w+)\s+of\s+(?:the\s+|a\s+|an\s+)?((?:[\w-]+\s*){1,3})", re.I)
#: "active at night" for "… active at twilight?": the same word at another time or place
_AT_PHRASE = re.compile(r"\b(\w+)\s+at\s+(?:the\s+|a\s+|an\s+)?((?:[\w-]+\s*){1,2})", re.I)

#: "fly solo across the Atlantic", "solo from Britain to Australia": a word, then where it
#: goes or happens
_ROUTE_PHRASE = re.compile(
    r"(?=\b(\w{4,})\s+(?:across|over|from|to|into|through|around|along|past)\s+(?:the\s+|a\s+|an\s+)?"
    r"((?:(?!(?:in|on|at|by|for|with|of|from|to|and|or)\b)[A-Za-z][\w-]*\s*){1,3}))",
    re.I,
)


_ASKED_SLOT = re.compile(r"(?:which|what|whose|whom|how)\b", re.IGNORECASE)


def of_another_thing(unit: str, question: str, *, sharing: bool = True) -> bool:
    """The unit gives the question's "<word> of <thing>" about another thing: "the volt is
    the unit of electric potential" for "What is the SI unit of electrical resistance?"
    (a word after "of" that the question lacks), or its "<word> across/to/from <place>" for
    another place ("to fly solo from Britain" for "… fly solo across the Atlantic?"), so it
    is no ground to pick the option.
    Another spelling of the thing ("Türkiye" for "Turkey") is the same thing. With
    ``sharing=False`` a thing that shares a word with the question's is not another ("the
    stigmas of Crocus sativus" for "… the crocus flower?"): the stricter test weighs units
    against each other, where a wrong call picks another option rather than none."""
    # "active at night": only when units are weighed against each other (``sharing=False``);
    # alone, "active at dawn and dusk" may be the asked "at twilight" in other words
    for phrase in (
        (_OF_PHRASE, _ROUTE_PHRASE) if sharing else (_OF_PHRASE, _AT_PHRASE, _ROUTE_PHRASE)
    ):
        asked = {  # not the asked slot itself: "inflammation of which organ?"
            m.group(1).casefold(): (content_words(fold(m.group(2))), m.group(2)[:1].isupper())
            for m in phrase.finditer(question)
            if not _ASKED_SLOT.match(m.group(2))
        }
        for m in phrase.finditer(unit):
            if phrase is _ROUTE_PHRASE and m.group(1).casefold() in STOP:
                continue
            wanted, placed = asked.get(m.group(1).casefold(), (None, False))
            if phrase is _ROUTE_PHRASE and not (placed or m.group(2)[:1].isupper()):
                continue  # "opened to shipping" for "… opened to navigation?": no place named
            said = content_words(fold(m.group(2)))
            if phrase is _ROUTE_PHRASE and wanted and wanted & content_words(fold(unit)):
                continue  # "flows from Burgundy …, through Paris": the asked place is there too
            if (
                wanted
                and _others(said, wanted)
                and _others(wanted, said)
                and (sharing or not said & wanted)
            ):
                return True
    return False


def _others(words: set[str], than: set[str]) -> set[str]:
    """``words`` that are no spelling of one of ``than`` (the first three letters differ)."""
    return {w for w in words if all(w[:3] != t[:3] for t in than)}


def _turns_after(
    text: str,
    chosen: list[Mention],
    unit: tuple[int, int],
    overlap: dict[tuple[int, int], int],
    asked: set[str],
) -> bool:
    """The chosen sentence turns after its option ("Borges was a giant of the form, but he
    wrote only stories"; "Irène did win it, but decades later"): what it grants the option
    before the turn must outweigh every other sentence on its own, and a concession ("X did
    win …, but") never does. ``overlap``: each sentence's share of the question's words
    (``asked``)."""
    turn = _TURN.search(text, chosen[-1].end, unit[1])
    if turn is None:
        return False
    if _EMPHATIC_DO.match(text, chosen[-1].end):
        return True
    granted = _weight(text, (unit[0], turn.start()), asked)
    return granted <= max((w for u, w in overlap.items() if u != unit), default=-1)


#: "X did win …": the emphatic "did" of a concession
_EMPHATIC_DO = re.compile(r"[\s" + QUOTES + r")]*(?:did|does|do)\s+(?!not\b)[a-z]", re.IGNORECASE)


def _weight(text: str, unit: tuple[int, int], asked: set[str]) -> int:
    """How many of the question's words a sentence or clause shares; a sentence in brackets
    (or a clause of one) is an aside ("(340 m/s is the speed of sound.)"), and one dated
    only to years the question does not ask about speaks of another time: neither outweighs
    the reply's own."""
    sentence = text[slice(*sentence_of(text, unit[0]))].strip()
    if sentence.startswith("(") and sentence.rstrip(".").endswith(")"):
        return -1
    said = content_words(text[slice(*unit)])
    years = {w for w in said if YEAR.fullmatch(w)}
    if years and not years & asked and any(YEAR.fullmatch(w) for w in asked):
        return -1  # "Sydney hosted in 2000" for "… the 2004 Summer Olympics?": another year's
    return len((said | _numbers_in(text[slice(*unit)])) & asked)


def asked_words(question: str) -> set[str]:
    """What a sentence may share with the question: its content words and the small numbers
    it says ("fifty-dollar" shares 50 with "the $50")."""
    return content_words(question) | _numbers_in(question)


def _numbers_in(text: str) -> set[str]:
    return {"#" + n for n in small_numbers(text)}


#: a year (a whole word): shared with ``in_passing``
YEAR = re.compile(r"\b(?:1\d{3}|20\d{2})\b")

#: "Cambodia's currency": the question's word owned by something the question does not name
_OWNED = re.compile(r"\b((?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*)['’]s\s+(\w+)")
#: words whose "'s" is "is" or "has": "It's", "That's", "There's"
_CONTRACTED = frozenset(
    "it that there here what who he she let this where when how everyone everybody one".split()  # noqa: SIM905
)
#: "a separate award", "another currency": the question's word said of another one
_ANOTHER_ONE = re.compile(
    r"\b(?:a\s+separate|another|a\s+different|the\s+other)\s+(\w+)", re.I
)  # not "any other river": "more water than any other river" says it is the one


@lru_cache(maxsize=256)
def _asked_owners(question: str) -> tuple[set[str], set[str], set[str]]:
    """The question's content words, its words (its own owners) and its own "another X"
    phrases: read once per question, not once per unit of each reply."""
    return (
        content_words(question),
        set(words_of(question)),
        {fold(m.group(0)) for m in _ANOTHER_ONE.finditer(question)},
    )


def anothers_own(
    text: str, unit: tuple[int, int], named: list[tuple[int, int]], question: str
) -> bool:
    """The unit gives the question's word to another owner (no option, ``named``: sorted
    spans), calls it another one ("the riel is Cambodia's currency", "Sunrise won a separate
    award"): it answers about something else, and never outweighs the unit answering the
    question."""
    asked, owners, asked_another = _asked_owners(question)
    for m in _OWNED.finditer(text, *unit):
        owner = [w for w in words_of(m.group(1)) if w not in STOP] or words_of(m.group(1))
        if set(owner) <= owners or owner[-1] in _CONTRACTED or fold(m.group(2))[:5] not in asked:
            continue  # "Vietnam's currency": the asked owner; "It's celebrated …": no owner
        before = bisect_right(named, (m.start(1), len(text))) - 1
        if before < 0 or named[before][1] <= m.start(1):  # the owner is no option
            return True
    return any(
        fold(m.group(1))[:5] in asked and fold(m.group(0)) not in asked_another
        for m in _ANOTHER_ONE.finditer(text, *unit)
    )  # "the opposite of another word" restates "… the opposite of another word?"


def _with_the_noun_it_names(text: str, unit: tuple[int, int], m: Mention) -> tuple[int, int]:
    """A clause that is the option alone after a comma, ending its sentence, names the noun
    the clause before it ends on ("… was written by his son, John Stuart Mill."): the two
    are weighed as one."""
    if (
        unit[0] == 0
        or text[unit[0] - 1] != ","
        or not _BARE.fullmatch(text[unit[0] : m.start] + text[m.end : unit[1]])
    ):
        return unit
    if not _SENTENCE_ENDS.match(text, unit[1]):
        return unit
    return clause_of(text, unit[0] - 1)[0], unit[1]


def _inner_units_joined(
    by_unit: dict[tuple[int, int], list[Mention]], wide: set[tuple[int, int]]
) -> dict[tuple[int, int], list[Mention]]:
    """A unit inside a ``wide`` one (the clause before an option named after a comma: "… is
    sodium chloride, NaCl.") is weighed as part of it."""
    joined: dict[tuple[int, int], list[Mention]] = {}
    for unit, mentions in by_unit.items():
        outer = next((w for w in wide if w[0] <= unit[0] and unit[1] <= w[1]), unit)
        joined.setdefault(outer, []).extend(mentions)
    return {u: sorted(ms, key=lambda m: m.start) for u, ms in joined.items()}


#: the end of a sentence or of the reply
_SENTENCE_ENDS = re.compile(r"[.!?]?\s*(?:$|\n|(?<=[.!?])\s)")


def _clause_with_its_antecedent(text: str, at: int) -> tuple[int, int]:
    """The clause around ``at``; a relative clause restating the one before ("Water freezes
    at 0 °C, which is 273.15 K") is weighed with it."""
    start, end = clause_of(text, at)
    if _RESTATING_CLAUSE.match(text, start) and start > 0:
        start = clause_of(text, start - 1)[0]
    return start, end


_RESTATING_CLAUSE = re.compile(r"\s*(?:which|that)\s+(?:is|equals|means)\b|\s*i\.e\.", re.I)


def _beside_a_crowded_sentence(text: str, put: list[Mention], question: str) -> list[Mention]:
    """When some sentence names several options ("Uranus and Neptune have fewer moons"), a
    sentence naming one option still answers if it shares strictly more of the question's
    words than every other sentence, that crowded one included, puts the option after "is"
    (the answer to the question's subject), and does not hedge."""
    if not question:
        return []
    by_sentence: dict[tuple[int, int], list[Mention]] = {}
    for m in put:
        by_sentence.setdefault(sentence_of(text, m.start), []).append(m)
    asked = asked_words(question)
    overlap = {u: _weight(text, u, asked) for u in by_sentence}
    best = max(overlap.values())
    top = [u for u in by_sentence if overlap[u] == best]
    if best == 0 or len(top) > 1 or len({m.index for m in by_sentence[top[0]]}) > 1:
        return []
    chosen = by_sentence[top[0]]
    if all(worded_number(text, m) for m in chosen):
        return []
    if hedges(text, [top[0]], put, or_beside_an_option=True) or not any(
        _COPULA_BEFORE.search(text, clause_start(text, m.start), m.start) for m in chosen
    ):
        return []  # only "The planet with the most moons is Saturn", not "Saturn, by contrast, …"
    others = [m for m in put if m.index != chosen[0].index]
    return [] if any(_overruled(text, chosen, m) for m in others) else chosen


def _overruled(text: str, chosen: list[Mention], other: Mention) -> bool:
    """Another option the reply may put forward more strongly than the question's words
    suggest, so nothing stands out: it follows a turn after the chosen one in the same
    sentence ("The Arabian Desert is large, but the Sahara is four times bigger"), or it is a
    sentence of its own that is only the option ("Ostrich (by height). The albatross has the
    largest wingspan."), or it is what a computation comes to ("… = 1/2")."""
    sentence = sentence_of(text, other.start)
    if _RESULT_BEFORE.search(text, max(0, other.start - 8), other.start):
        return True  # "Each face has probability 1/6, and 3 × 1/6 = 1/2": a computed result
    if sentence_of(text, chosen[0].start) == sentence:
        return any(m.end <= other.start and _TURN.search(text, m.end, other.start) for m in chosen)
    rest = (text[sentence[0] : other.start] + text[other.end : sentence[1]]).strip()
    if rest.startswith("(") and rest.endswith(")"):  # a sentence in brackets is an aside
        rest = rest[1:-1]
    return not [w for w in words_of(re.sub(r"\([^)]*\)", " ", rest)) if w not in STOP]
