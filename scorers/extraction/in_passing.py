"""Whether the sentence that merely names an option answers the question at all.

The last phase reads a reply that states nothing ("the answer is …", "it's …") by the
options it names. A careful grader commits such a reply only when the sentence naming the
option answers what was asked; one that says something else of the option answers nothing:
"Australia has won the Davis Cup many times" for "Which country has won the most Davis Cup
titles?" (the question's superlative dropped), "Bishkek is the capital of Kyrgyzstan" for
"What is the capital of Kazakhstan?" (the asked word said of another thing). Such a reply is
unreadable rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scorers.extraction.answering_sentence import YEAR, anothers_own, of_another_thing
from scorers.extraction.folding import fold
from scorers.extraction.mention import Mention
from scorers.extraction.other_question import OPENERS
from scorers.extraction.sentences import clause_of, part_of, sentence_of
from scorers.extraction.words import STOP, content_words, same_word, words_of

#: "the longest", "the most", "the first": the rank the question asks for
_RANKED = re.compile(r"\bthe\s+(?P<rank>most|least|first|last|best|worst|\w{2,}est)\b", re.I)
#: words ending in "est" that are no superlative
_NOT_RANKS = frozenset(
    """forest interest honest request contest harvest protest suggest everest invest digest
    arrest budapest modest southwest northwest midwest""".split()  # noqa: SIM905
)
#: a rank in the reply, the asked one or another ("the longest and heaviest" for "the
#: largest"), or said without a rank's word: "more than any other", "the record", "begins with"
_RANK_SAID = re.compile(
    r"\b(?:most|least|first|last|best|worst|\w{2,}est|than\s+(?:any|all|every)|record|ever|top"
    r"|number\s+one|begins?|began|starts?|started|original|earliest)\b",
    re.I,
)
#: a rank in a phrase that only narrows the question ("in the most common convention")
_SCOPING = re.compile(r"\b(?:in|of|on|by|under|to|for|from|at|with|among)\s+$", re.I)


def asks_a_superlative(question: str) -> bool:
    """The question asks for a rank above the others ("the longest", "the most", "closest")."""
    return any(
        (w.endswith("est") and len(w) > 5 and w not in _NOT_RANKS) or w in ("most", "least")
        for w in words_of(question)
    )


#: "Russia, not France": the option set against another right after it
_SET_AGAINST_AFTER = re.compile(
    r"[\s*_)\"”’]*(?:,|—|–|\s-)?[\s(]*(?:and\s+|but\s+)?"
    r"(?:(?:definitely|certainly|surely|absolutely|clearly)\s+)?not\s+(?:the\s+)?[\s*_(\"“‘]*$"
    r"|[\s*_)\"”’]*[,;—–]\s*none\s+of\s+(?:the\s+others\s*)?[\s*_(\"“‘]*$",
    re.I,
)  # "Russia, not France", "X — definitely not Y", "**X** (not **Y**)", "X; none of the others (Y"
#: "X rather than Y", "X instead of Y": the option preferred over another
_PREFERRED_OVER = re.compile(
    r"[\s*_)\"”’]*,?\s*(?:rather\s+than|instead\s+of)\s+(?:the\s+)?[\s*_(\"“‘]*$", re.I
)
#: "Not France — Russia", "not France; it's Russia": the option right after another's denial
_SET_AGAINST_BEFORE = re.compile(
    r"[\s*_)\"”’]*(?:[,;:—–-]\s*(?:but\s+|rather\s+|instead\s+)?|\s+but\s+)"
    r"(?:it['’]s\s+|it\s+is\s+)?"
    r"(?:the\s+)?[\s*_(\"“‘]*$",
    re.I,
)


def chosen_over_another(text: str, m: Mention, rejected: Sequence[Mention]) -> bool:
    """The option is set against another the reply denies right beside it ("Russia, not
    France", "Not France — Russia"): a choice between options answers the question, whatever
    else the sentence says."""
    for r in rejected:
        if r.index == m.index:
            continue
        if m.end <= r.start and _PREFERRED_OVER.fullmatch(text, m.end, r.start):
            return True  # "Berlin Wall rather than Hadrian's Wall"
        if r.polarity != "negated":
            continue
        if m.end <= r.start and _SET_AGAINST_AFTER.fullmatch(text, m.end, r.start):
            return True
        if r.end <= m.start and _SET_AGAINST_BEFORE.fullmatch(text, r.end, m.start):
            return True
        if (
            r.end <= m.start
            and _DID_INSTEAD.match(text, m.end)
            and sentence_of(text, r.start) == sentence_of(text, m.start)
        ):
            return True  # "Vesalius did not publish that account; Harvey did, in 1628"
    return False


#: "…; Y did.", "…; Y did, in 1498": the option takes the predicate denied to another
_DID_INSTEAD = re.compile(
    r"[\s*_)\"”’]*(?:did|does|do|was|were|is|are|has|had|could|can)(?:\s+so|\s+too)?"
    r"[\s*_\"”’]*(?:[,.;:!—–]|$)",
    re.I,
)


def answers_something_else(
    text: str, chosen: list[Mention], question: str, rejected: Sequence[Mention] = ()
) -> bool:
    """Every sentence naming the chosen option says something of it other than what is asked:
    it restates part of the question but drops its rank ("Germany won in 2003"), gives the
    question's "<word> of <thing>" for another thing or for another kind of it ("Gaelic
    football" for "Australian rules football"), or names the option only inside a longer
    name the question asks about ("Kansas City" for Kansas). A sentence that is only
    the option ("Australia, I believe.") answers the question it follows, and so does one
    that chooses it over another option (``rejected``: "Russia, not France: eleven zones")."""
    if not question or any(chosen_over_another(text, m, rejected) for m in chosen):
        return False
    return all(_says_something_else(text, m, question) for m in chosen)


def _says_something_else(text: str, m: Mention, question: str) -> bool:
    if _part_of_an_asked_name(text, m, question):
        return True
    start, end = sentence_of(text, m.start)
    rest = text[start : m.start] + " " * (m.end - m.start) + text[m.end : end]
    # a rank denied in one part holds for the next
    if _drops_the_rank(rest, question, m.end - start):
        return True
    if _only_measured(text, m.end, rest, question):
        return True
    if _by_another_measure(rest, question):
        return True  # "By mass, the answer is Eris." for "… largest … by diameter?"
    if _dated_otherwise(text, m, question):
        return True  # "Chanel reopened her house in 1954" for "… the New Look in 1947?"
    if _likened_to_the_asked(text, *part_of(text, m.start), question):
        return True  # "… his colours are close to what we hear in The Nutcracker"
    start, end = part_of(text, m.start)  # "…, not haem; haem has iron": the option's own part
    before = text[start : m.start]
    if (of := _OF_THE_OPTION.search(before)) is not None:  # "the capital city of Canada"
        before = before[: of.start()]  # its "<word> of" names the option: not another thing
    own = before + " " * (m.end - m.start) + text[m.end : end]
    if of_another_thing(own, question):
        return True
    if _in_that_role_elsewhere(text[m.end : end], question):
        return True
    start, end = clause_of(text, m.start)  # "Spanish guitars have 6; a bass guitar has 4"
    if _SUBJECT_OPENING.fullmatch(text, start, m.start) and anothers_own(
        text, (start, end), [(m.start, m.end)], question
    ):  # "The riel is Cambodia's currency, and I'm not sure about Vietnam's."; not "he's
        return True  # Olivia's steward in Twelfth Night", which says it of someone else
    return _of_another_kind(text[start : m.start] + " " + text[m.end : end], question)


#: "<word> of" right before the option: the phrase is about the option itself
_OF_THE_OPTION = re.compile(r"\b\w+\s+of\s+(?:the\s+)?$", re.IGNORECASE)

#: capitalised words right before and after a mention: the rest of the name it is part of
_NAME_BEFORE = re.compile(r"(?:\b[A-Z][\w'’.-]*\s+)+$")
_NAME_AFTER = re.compile(r"(?:\s+[A-Z][\w'’-]*\b)+")


def _part_of_an_asked_name(text: str, m: Mention, question: str) -> bool:
    """The option's name inside a longer name the question itself asks about: "Kansas City is
    a city in the Midwest" names the city of "In which state is Kansas City?", not Kansas."""
    before = _NAME_BEFORE.search(text, max(0, m.start - 60), m.start)
    after = _NAME_AFTER.match(text, m.end)
    if before is None and after is None:
        return False
    name = text[before.start() if before else m.start : after.end() if after else m.end]
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", question, re.IGNORECASE) is not None


#: a likeness, not an identity: "close to", "similar to", "reminiscent of", "resembles"
_LIKENED = re.compile(
    r"\b(?:(?:close|similar|akin|comparable)\s+to|reminiscent\s+of|resembl(?:es?|ed|ing)"
    r"|in\s+the\s+(?:style|manner|spirit)\s+of)\b",
    re.IGNORECASE,
)


def _likened_to_the_asked(text: str, start: int, end: int, question: str) -> bool:
    """The part likens something to what the question asks about ("his colours are close to
    what we hear in The Nutcracker"): a likeness, not the asked relation."""
    found = _LIKENED.search(text, start, end)
    return found is not None and bool(
        content_words(text[found.end() : end]) & content_words(question)
    )


#: the option measured and no more: "violet sits around 400 nm", "X measures about 5 km"
_MEASURED = re.compile(
    r"[\s*_)]*(?:[a-z]+\s+){1,2}?(?:at\s+|to\s+)?(?:around|about|roughly|approximately|near|some"
    r"|nearly|almost|just\s+(?:over|under))\s+~?\d",
    re.IGNORECASE,
)


def _only_measured(text: str, end: int, rest: str, question: str) -> bool:
    """For a question asking for a superlative in "-est" ("the longest"), the option given
    only a measure ("violet sits around 400 nm"), with no rank or comparison in its sentence:
    a fact about it, not the answer. (For "most of", a measure may answer: "roughly 78%".)"""
    if _MEASURED.match(text, end) is None or not any(
        w.endswith("est") and len(w) > 5 and w not in _NOT_RANKS for w in words_of(question)
    ):
        return False
    return not _RANK_SAID.search(rest) and not re.search(r"\b\w+er\s+than\b", rest, re.I)


def _drops_the_rank(rest: str, question: str, option_end: int = -1) -> bool:
    """The sentence gives a weaker predicate than the rank asked for: the question's words
    without "the most"/"the first" ("Germany won in 2003" for "… won the most titles?"), or
    the plain degree of its superlative ("a long river" for "the longest river"), and no
    rank of its own."""
    if any(w.casefold() not in _NOT_RANKS for w in _RANK_SAID.findall(rest)):
        return False
    for r in _RANKED.finditer(question):
        rank = r.group("rank").casefold()
        if rank in _NOT_RANKS or _SCOPING.search(question, 0, r.start()):
            continue
        if (
            rank in _COUNTED
            and content_words(rest) & content_words(question)
            and not _refers_back(rest, question, r.end())
            and not (rank in _ONE_OF_A_KIND and _done_to_it(rest, option_end, question))
            and not (rank == "first" and _ASKS_WHEN.search(question))
        ):
            return True
        if rank.endswith("est") and _plain_degree(rank).search(rest):
            return True
    return False


#: what a ranking is by: "by diameter", "by mass", "by population"
_BY_MEASURE = re.compile(
    r"\bby\s+(mass|weight|volume|area|diameter|radius|height|length|population|size|revenue"
    r"|sales|elevation|prominence|depth|circulation|gdp|number\s+of\s+\w+)\b",
    re.IGNORECASE,
)


def by_another_measure(text: str, m: Mention, question: str) -> bool:
    """The option's sentence ranks by another measure than the question's (a statement's
    too: "By mass, the answer is Eris." for "… the largest dwarf planet by diameter?")."""
    return _by_another_measure(text[slice(*sentence_of(text, m.start))], question)


def _by_another_measure(rest: str, question: str) -> bool:
    """The sentence ranks by another measure than the question's and names none of the
    question's (nor one that comes to the same: "by size" for "by area", "by radius" for "by
    diameter"), nor says the measures agree ("and by volume too"): another question."""
    rest = _FROM_THE_BASE.sub("prominence", rest)
    asked = _same_measures(_measures(question))
    said = _same_measures(_measures(rest))
    if not asked or not said or said & asked or _AGREEING.search(rest):
        return False
    return not _same_measures(set(words_of(rest))) & asked


def _same_measures(words: set[str]) -> set[str]:
    """The measures named, each with those ranking the same ("radius": diameter; "size":
    diameter, area and volume)."""
    same = {_MEASURE_OF.get(w, w) for w in words}
    return same | _SIZES if "size" in same else same


def _measures(text: str) -> set[str]:
    return {m.group(1).casefold() for m in _BY_MEASURE.finditer(text)}


#: measures that come to the same ranking
_MEASURE_OF = {"radius": "diameter", "weight": "mass", "height": "elevation"}
#: a question by diameter, area or volume is also ranked "by size"
_SIZES = frozenset({"diameter", "area", "volume"})
#: "by height from its base" is no elevation above sea level
_FROM_THE_BASE = re.compile(r"\bheight\s+from\s+(?:its|the|their)\s+base\b", re.I)
#: "and by volume too", "on every measure": the measures agree
_AGREEING = re.compile(r"\b(?:too|also|as\s+well|either\s+way|every\s+measure|both)\b", re.I)


def _dated_otherwise(text: str, m: Mention, question: str) -> bool:
    """The question names a year (not a quoted title: "'1984'") and the option's part of its
    sentence dates what it says to other years only ("Chanel reopened her house in 1954" for
    "… launched the New Look in 1947?"); not life dates in brackets or a span ("Chadwick
    (1891–1974)"), a relative clause ("Dior, whose house opened in 1946, launched it"), or a
    bare answer with its year ("Yuri Gagarin, in 1961."), or the option's own clause doing
    the question's deed to the asked thing with a wrong year ("The company founded by Jeff
    Bezos in 2000" for "Who founded the company Amazon in 1994?", "Chadwick discovered it in
    1931"; not "Brazil won in 1958, 1962 and 1970" for "… won the World Cup in 1966?", nor
    "Sudan became independent in 1956" for "… in 2011?", which date the option's own deeds;
    nor a conceded deed, "St. Louis did host a world's fair, but that was the 1904 …")."""
    asked_years = set(YEAR.findall(_QUOTED.sub(" ", question)))
    if not asked_years:
        return False
    start, end = part_of(text, m.start)
    part = text[start : m.start] + " \0 " + text[m.end : end]
    part = _RELATIVE_CLAUSE.sub(" ", _DATES_ASIDE.sub(" ", part))
    said = set(YEAR.findall(part))
    if not said or asked_years & said or _BARE_DATED.fullmatch(part.replace("\0", "")):
        return False
    own = next(c for c in _CLAUSES.split(part) if "\0" in c)  # the option's own clause
    asked = words_of(question)
    at = [i for i, w in enumerate(asked) if (w.endswith("ed") and len(w) > 4) or w in _DONE]
    deeds = {asked[i] for i in at}
    # what the deed is done to, not its complement: "company" of "Who founded the company
    # Amazon …?" (not "independent" of "… became independent in 2011?"), nor its year
    things = {
        w
        for i, w in enumerate(asked)
        if w not in STOP and i not in at and i - 1 not in at and not YEAR.fullmatch(w)
    }
    done = words_of(_CONCEDED_DEED.sub(" ", own))
    does_it = any(same_word(w, d) for w in done for d in deeds)
    return not (does_it and ("it" in done or bool(set(done) & things)))


_QUOTED = re.compile(r"(['‘\"“])[^'’\"”]*['’\"”]")
#: what a bare answer adds to its option: "Yuri Gagarin, in 1961."
_BARE_DATED = re.compile(r"[\s,*_]*(?:in|c\.|circa)?\s*(?:1\d{3}|20\d{2})[\s.!*_]*", re.I)
#: life dates and spans: "(1891–1974)", "1945–1950"
_DATES_ASIDE = re.compile(r"\([^)]*\)|\b\d{4}\s*[–-]\s*\d{2,4}\b")
#: ", whose house opened in 1946,": said of the option in passing
_RELATIVE_CLAUSE = re.compile(r",\s*(?:whose|which|who)\b[^,;]*,", re.I)
_CLAUSES = re.compile(r"[,;:]|\s[—–-]\s|[—–]|\bbut\b|\band\b", re.I)
#: "St. Louis did host a world's fair, but …": a deed granted, then turned from
_CONCEDED_DEED = re.compile(r"\b(?:did|does|do)\s+\w+", re.I)
#: past tenses that do not end in "-ed"
_DONE = frozenset(
    "won wrote found built led made took became began sang drew gave ran held sank fought"  # noqa: SIM905
    " flew threw shot struck".split()
)


#: "In which year was the first version … released?": the rank names the thing, whose date
#: a reply gives without repeating it ("Linux was released in 1991")
_ASKS_WHEN = re.compile(r"\b(?:when|what\s+year|which\s+year|what\s+date|which\s+century)\b", re.I)

#: ranks the reply must say outright: sharing the question's other words is not enough
_COUNTED = frozenset({"most", "least", "first", "last"})

#: the words after a rank, up to a preposition or the end: "US patent" in "the first US
#: patent for the telephone"
_RANKED_THING = re.compile(r"(?:\s+(?!(?:for|of|in|on|to|at|by|from|with|ever)\b)[A-Za-z][\w-]*)+")


#: ranks that pick out one thing, which "it" can stand for ("the first Rugby World Cup")
_ONE_OF_A_KIND = frozenset({"first", "last"})
#: the question's verb done to "it" right after the option: "Australia won it", "Bell
#: actually received it"
_DONE_TO_IT = re.compile(r"[\s*_]*(?:\w+ly\s+|then\s+)?(\w+)\s+(?:it|them)\b", re.IGNORECASE)


def _done_to_it(rest: str, option_end: int, question: str) -> bool:
    """The option does the question's verb to "it" ("New Zealand won it" for "Which country
    won the first Rugby World Cup?"): the pronoun stands for the ranked thing, rank and all
    (not for "the most titles"; not "…, beating Argentina" after "The hosts won it")."""
    done = _DONE_TO_IT.match(rest, option_end) if option_end >= 0 else None
    return done is not None and any(
        same_word(fold(done.group(1)), w) for w in words_of(question) if w not in STOP
    )


def _refers_back(rest: str, question: str, after_rank: int) -> bool:
    """The sentence names the ranked thing with "the", as one refers back to it: "Bell got
    the patent" for "Who received the first US patent …?" keeps the rank the question gave
    it ("Australia has won the Davis Cup" is not "the titles" of "the most Davis Cup
    titles"), or calls it "the <question's word> one" ("Io is the volcanic one")."""
    if any(
        any(same_word(fold(m.group(1)), w) for w in words_of(question) if w not in STOP)
        for m in _THE_ONE.finditer(rest)
    ):
        return True  # "Io is the volcanic one" for "… the most volcanically active …?"
    thing = _RANKED_THING.match(question, after_rank)
    if thing is None:
        return False
    head = thing.group(0).split()[-1]
    return re.search(rf"\bthe\s+{re.escape(head)}\b", rest, re.IGNORECASE) is not None


#: what may open a clause before its subject
_SUBJECT_OPENING = re.compile(r"[\s,;:—–*_(\"'“‘]*(?:(?:and|but|so)\s+)?(?:(?:the|a|an)\s+)?", re.I)
#: "the volcanic one": a definite description by a word of the question
_THE_ONE = re.compile(r"\bthe\s+(\w+)\s+one\b", re.IGNORECASE)


def _plain_degree(superlative: str) -> re.Pattern[str]:
    """The plain degree of a superlative: "long" for "longest", "big" for "biggest",
    "large" for "largest". (Its comparative, "longer", is left to the statements: the
    corpora read "the cheetah is faster" as an answer to "the fastest".)"""
    stem = superlative[:-3]
    if len(stem) > 2 and stem[-1] == stem[-2]:
        stem = stem[:-1]  # "biggest" -> "big"
    return re.compile(rf"\b{stem}e?\b", re.I)


#: a capitalised word naming the kind of the noun after it: "Gaelic football", "Roman numerals";
#: or an owner before it: "a frog's heart", "the cat's whiskers"
_NAMED_KIND = re.compile(r"\b([A-Z][a-z]+|[A-Za-z]{3,}['’]s)\s+([a-z]{3,})\b")


def _of_another_kind(rest: str, question: str) -> bool:
    """The sentence says it of another kind of the asked thing: "Gaelic football has 15 a
    side" for "… in Australian rules football?", "A dog's heart has …" for "… the human
    heart?": a name or owner before a noun that the question qualifies otherwise ("rules
    football", "human heart"), one the question does not have."""
    asked = words_of(question)
    qualified = {
        m.group(2)
        for m in _QUALIFIED.finditer(question)
        if m.group(1).casefold() not in STOP and m.group(2) not in STOP
    }
    for m in _NAMED_KIND.finditer(rest):
        kind, noun = _POSSESSIVE_S.sub("", m.group(1).casefold()), m.group(2)
        if (
            kind not in OPENERS
            and noun not in _PREPOSITIONS  # "Out without scoring is a duck": no kind of noun
            and any(same_word(noun, q) for q in qualified)
            and not any(same_word(kind, q) for q in asked)
        ):
            return True
    return False


_POSSESSIVE_S = re.compile(r"['’]s$")
_PREPOSITION_WORDS = (
    "without within about after before through over under into onto upon against during"
    " across along around behind below beneath beside between beyond inside outside"
)
_PREPOSITIONS = frozenset(_PREPOSITION_WORDS.split())

#: a common noun in the question with a word before it that says which kind: "rules football"
_QUALIFIED = re.compile(r"\b(\w+)\s+(?=([a-z]{3,})\b)")


#: "… plays that role in the blood of crabs": the option given the asked part for
#: something the sentence names instead
_THAT_ROLE_IN = re.compile(
    r"\b(?:(?:plays|fills|does|serves|performs|has)\s+(?:that|this|the\s+same|a\s+similar)"
    r"\s+(?:role|job|function|part|task)\s+(?:in|for))\s+(?:the\s+|a\s+|an\s+)?"
    r"(?P<whom>(?:[\w-]+\s*){1,3})",
    re.IGNORECASE,
)


def _in_that_role_elsewhere(after: str, question: str) -> bool:
    """After the option, its sentence gives it the asked role ("that role", "the same job")
    in or for something the question does not name: "Copper plays that role in the blood of
    horseshoe crabs" for "… at the centre of the haem group in hemoglobin?"."""
    found = _THAT_ROLE_IN.search(after)
    return found is not None and not content_words(found.group("whom")) & content_words(question)
