"""Every mention of an option in a reply, in order, with its wording and polarity: names and
letters found, mentions that are no answer dropped, polarity read, then ticks, letters beside
their names, and negations through lists applied. The one entry from the rules to the phases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scorers.extraction.folding import fold, fold_mapped, folded_spans
from scorers.extraction.item_names import (
    capitalised_only,
    given_names,
    modifiers,
    predicative_only,
    proper_name_cores,
)
from scorers.extraction.letters import (
    BRACKETED_LETTER,
    letters_with_their_names,
    names_after_their_letters,
    option_letter_spans,
)
from scorers.extraction.mention import Mention
from scorers.extraction.misspelt import misspelt_spans
from scorers.extraction.names import LIST_MARKER, SYMBOL, numbered_work
from scorers.extraction.negation import disowned_sentences, none_of_a_list, through_lists
from scorers.extraction.not_an_answer import no_answer
from scorers.extraction.polarity import polarity_of
from scorers.extraction.quotes import QUOTED, QUOTES
from scorers.extraction.ticks_and_crosses import ticked_and_crossed
from scorers.extraction.wording import kind_of
from scorers.extraction.words import STOP, same_word, words_of


def find_mentions(
    text: str, choices: Sequence[str], names: list[list[str]], question: str, letters: bool = True
) -> list[Mention]:
    """Every mention of an option in the reply, in order, with how it is worded (``kind``)
    and whether the reply puts it forward or rejects it (``polarity``). Mentions that are no
    answer at all (quoted inside a longer phrase, the question's own word, a conversion, a
    number worked with, counted or listed) are left out."""
    spans = _name_spans(text, choices, names, question)
    letter_spans = option_letter_spans(text, choices, question) if letters else []
    inside = _inside_longer({span for own in spans for span in own})
    inside |= _cut_from_another(text, choices, spans)
    if letters:  # "(C) Vitamin D": a bracketed letter is no one-letter name ("Vitamin C")
        inside |= {m.span(1) for m in BRACKETED_LETTER.finditer(text)}
    found = [
        Mention(index, start, end, kind_of(text, start, end, question), "put")
        for index, own in enumerate(spans)
        for start, end in own
        if (start, end) not in inside
    ]
    in_a_name = _inside_names(len(text), [(m.start, m.end) for m in found])
    found += [  # "A. A. Milne", "A parliament", "Vitamin D": a name's own letter is no letter
        Mention(i, s, e, k, "put") for i, s, e, k in letter_spans if not all(in_a_name[s:e])
    ]
    if not found:
        found = _stated_part(text, choices, question)
    quoted = [m.span(1) for m in QUOTED.finditer(text)]
    found = [m for m in found if not no_answer(text, m, question, choices, quoted)]
    found = _years_only_without_a_century(text, found)
    found.sort(key=lambda m: m.start)
    found = [
        m._replace(polarity=polarity_of(text, m.start, m.end, question, limit))
        for m, limit in zip(found, _next_others(found), strict=True)
    ]
    found = letters_with_their_names(text, ticked_and_crossed(text, found))
    found = [
        m._replace(polarity="attributed") if _one_of_several(text, m, choices) else m for m in found
    ]
    found = none_of_a_list(text, names_after_their_letters(text, found), question)
    return disowned_sentences(text, through_lists(text, found))


def _inside_names(size: int, spans: list[tuple[int, int]]) -> bytearray:
    """Which characters of the reply lie inside a name of two characters or more."""
    inside = bytearray(size)
    for a, b in spans:
        if b - a > 1:
            inside[a:b] = b"\x01" * (b - a)
    return inside


def _name_spans(
    text: str, choices: Sequence[str], names: list[list[str]], question: str
) -> list[list[tuple[int, int]]]:
    """For each option, where the reply names it. A surname counts only capitalised ("Bell",
    not "a bell"), a people's name only said of the asked thing ("a Japanese dish", not "the
    Kenyan side"), a symbol only as written ("so it's Na" names no "So"); and where it
    misspells an option's word (``scorers.extraction.misspelt``)."""
    folded = fold_mapped(text)
    spans = [sorted({s for name in own for s in folded_spans(folded, name)}) for own in names]
    surnames = capitalised_only(tuple(choices), question)
    peoples = predicative_only(tuple(choices), question)
    heads = modifiers(tuple(choices))
    cores = proper_name_cores(tuple(choices))
    given = given_names(tuple(choices), question)
    symbols = all(SYMBOL.fullmatch(c.strip()) for c in choices)
    ordinals = {fold(n) for c in choices for n in numbered_work(c, choices)}
    keywords = {fold(c.strip()) for c in choices if c.strip().isupper() and fold(c) in STOP}
    spans = [
        [
            (a, b)
            for a, b in own
            if not (fold(text[a:b]) in surnames and text[a].islower())
            # "WHERE" of SQL's clauses is no "I see where you're coming from"
            and not (fold(text[a:b]) in keywords and not text[a:b].isupper())
            and not (fold(text[a:b]) in peoples and not _SAID_OF_IT.search(text, max(0, a - 30), a))
            and not _modifying_another_noun(text, b, heads.get(fold(text[a:b])))
            and not (
                text[a].islower() and _before_another_noun(text, b, cores.get(fold(text[a:b])))
            )
            and not _another_given_name(text, a, given.get(fold(text[a:b])))
            and not (symbols and text[a:b] in _WORD_SYMBOLS and _USED_AS_A_WORD.match(text, b))
            and not (fold(text[a:b]) in ordinals and _counts_points(text, a, b))
        ]
        for own in spans
    ]
    taken = [s for own in spans for s in own]
    slips = misspelt_spans(text, choices, names, question, surnames, taken)
    spans = [sorted([*own, *slipped]) for own, slipped in zip(spans, slips, strict=True)]
    if symbols:
        spans = [
            [
                (a, b)
                for a, b in own
                if fold(text[a:b]) != fold(choice.strip()) or text[a:b] == choice.strip()
            ]
            for own, choice in zip(spans, choices, strict=True)
        ]
    return spans


def _modifying_another_noun(text: str, end: int, head: str | None) -> bool:
    """An option's modifier alone (``head``: the noun it modifies in the option) names it only
    before a pause or that noun: "played alto, not tenor", "an alto saxophonist"; not "nitric
    oxide" for "Nitric acid", nor "played bass in the band"."""
    if head is None:
        return False
    after = _NEXT_WORD.match(text, end)
    return after is not None and not same_word(fold(after.group(1)), head)


def _before_another_noun(text: str, end: int, head: str | None) -> bool:
    """A proper name's distinctive word in small letters (``head``: the word the options'
    names share) right before a noun of its own: "black sails" names no Black Sea; "indian",
    "the pacific is", "the black sea" do."""
    return _modifying_another_noun(text, end, head) and (
        _NEXT_WORD.match(text, end).group(1).casefold() not in STOP  # "the pacific is"
    )


def _another_given_name(text: str, start: int, own: frozenset[str] | None) -> bool:
    """An option's surname after given names the option does not have ("Marie Curie" for
    "Pierre Curie"): another person of that name. A title or a sentence's opening word is no
    given name ("Sir Alex Fleming", "It's Nabokov"), and a middle name beside the option's own
    one is its ("Wilhelm Conrad Röntgen")."""
    if own is None:
        return False
    run = _NAMES_BEFORE.search(text, max(0, start - 60), start)
    if run is None:
        return False
    words = [fold(w).split("'")[0].split("’")[0] for w in run.group(0).split()]
    if words[-1] in _TITLES or words[-1] in STOP:
        return False
    return not any(_same_given_name(w, g) for w in words for g in own)


def _same_given_name(said: str, own: str) -> bool:
    """ "alex" for "alexander", "j." or "johann" for "j.s.": one begins the other, or either is
    initials and they begin alike."""
    said, own = said.rstrip("."), own.rstrip(".")
    if not said or not own:
        return False
    if "." in own or len(own) == 1 or "." in said or len(said) == 1:
        return said[0] == own[0]
    return said.startswith(own) or own.startswith(said)


#: symbols (every option one: ``SYMBOL``) that are also English words: "I", "In", "As", "He"
_WORD_SYMBOLS = frozenset({"I", "In", "As", "At", "Be", "He", "No", "So", "Am", "Es"})
#: after such a symbol, what makes it the word: "I'm", "I apologize", "In chemistry" (not
#: "In is indium's symbol")
_USED_AS_A_WORD = re.compile(r"['’]|\s+(?!(?:is|was|has|stands|means|it|too|then)\b)[a-z]")


def _counts_points(text: str, start: int, end: int) -> bool:
    """An ordinal opening its sentence, then a comma, counts the reply's own points ("First,
    …. Second, …. Third, it contains a funeral march"), not a numbered work."""
    return bool(LIST_MARKER.match(text, end)) and text[:start].rstrip(" *_#>-")[-1:] in (
        "",
        ".",
        "!",
        "?",
        "\n",
    )


#: the capitalised words right before a name: "Marie ", "Wilhelm Conrad "
_NAMES_BEFORE = re.compile(r"(?:\b(?:[A-Z][\w'’-]*|[A-Z]\.)\s+){1,3}$")
#: words before a surname that are no given name
_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "madame", "monsieur",
     "professor", "prof", "president", "king", "queen", "prince", "princess", "saint", "st",
     "general", "admiral", "captain", "emperor", "pope", "the", "a", "an", "and", "or", "but",
     "so", "it", "yes", "no", "not", "as", "by", "was", "is", "i", "maybe", "perhaps", "then",
     "definitely", "surely", "actually", "wait", "sorry", "okay", "ok", "well", "answer",
     "like", "both", "neither", "nor", "with", "from", "of", "to", "for", "on", "in", "at"}
)  # fmt: skip

#: the word right after a name, with no pause between
_NEXT_WORD = re.compile(r"[ \t]+(\w+)")

#: "Sushi is a Japanese dish", "It's Japanese": a people's name said of the asked thing
#: (not "the Norwegian prince", "the Kenyan side": something else of theirs), or the reply's
#: first word
_SAID_OF_IT = re.compile(
    r"(?:\b(?:is|are|was|were)|['’]s)\s+(?:(?:a|an|originally|actually|definitely|indeed|"
    r"traditionally)\s+)*$|^[\s*_\"'“‘]*$",
    re.IGNORECASE,
)


def _years_only_without_a_century(text: str, found: list[Mention]) -> list[Mention]:
    """A year names its century option (``names.century_years``) only in a reply that names
    no century: "You're correct, it was the 19th century — things got going in 1789"
    answers with the century it names."""
    years = [m for m in found if _YEAR.fullmatch(text[m.start : m.end])]
    if years and any("century" in text[m.start : m.end].casefold() for m in found):
        return [m for m in found if m not in years]
    return found


_YEAR = re.compile(r"\d{3,4}")


def _next_others(found: list[Mention]) -> list[int]:
    """For each mention (in order), where the next mention of another option starts: what
    follows an option is about it only up to there. One sweep from the end."""
    limits = [1 << 30] * len(found)
    for i in range(len(found) - 2, -1, -1):
        following = found[i + 1]
        same = following.index == found[i].index
        limits[i] = limits[i + 1] if same else following.start
    return limits


#: "Answer: anti-inflammatory.": a statement whose whole answer is a few words
_STATED_WORDS = re.compile(
    r"\b(?:(?:the\s+)?answer\s*(?::|is\b)|final\s+answer\s*:)\s*[*_" + QUOTES + r"(]*"
    r"(?P<said>[A-Za-z][\w-]*(?:\s+[\w-]+){0,3})[*_" + QUOTES + r")]*\s*[.!]?\s*$",
    re.IGNORECASE,
)


def _stated_part(text: str, choices: Sequence[str], question: str) -> list[Mention]:
    """A reply naming no option whose closing statement gives words of one option only
    ("Answer: anti-inflammatory." for "Nonsteroidal anti-inflammatory drug"): that option, if
    the words run in it in order, one of them of six letters or more is in no other option,
    none is a word of the question, and they are not just its last word (a kind, not the
    option: "analgesic" of "Opioid analgesic")."""
    stated = _STATED_WORDS.search(text)
    if stated is None:
        return []
    said = fold(stated.group("said")).split()
    asked = set(words_of(question))
    if any(w in asked for w in said):
        return []
    folded = [f" {fold(c)} " for c in choices]
    holding = [i for i, f in enumerate(folded) if f" {' '.join(said)} " in f]
    if len(holding) != 1:
        return []
    others = {w for j, f in enumerate(folded) if j != holding[0] for w in f.split()}
    if not any(len(w) >= 6 and w not in others for w in said):
        return []
    own = folded[holding[0]].split()
    if len(own) > 1 and said == own[-1:]:
        return []  # "Answer: analgesic." names the class, not "Opioid analgesic"
    return [Mention(holding[0], *stated.span("said"), "statement", "put")]


#: "one of the Guineas": the option's name made plural, one of several
_ONE_OF_THE = re.compile(r"\bone\s+of\s+(?:the\s+)?$", re.IGNORECASE)


def _one_of_several(text: str, m: Mention, choices: Sequence[str]) -> bool:
    """The option named as a plural after "one of the", when the option is no plural itself
    ("It's one of the Guineas"; not "one of the US Virgin Islands")."""
    return (
        m.kind == "text"
        and text[m.end - 1 : m.end].casefold() == "s"
        and not fold(choices[m.index]).endswith("s")
        and _ONE_OF_THE.search(text, max(0, m.start - 20), m.start) is not None
    )


#: the capitalised word right before a name: "New" of "New Guinea"
_CAPITALISED_BEFORE = re.compile(r"\b([A-Z][\w'’-]*)\s+$")


def _cut_from_another(
    text: str, choices: Sequence[str], spans: list[list[tuple[int, int]]]
) -> set[tuple[int, int]]:
    """Names that a capitalised word before them makes part of another option's longer name,
    cut short: "New Guinea" is neither "Guinea" nor "Papua New Guinea"."""
    folded = [fold(c) for c in choices]
    cut: set[tuple[int, int]] = set()
    for index, own in enumerate(spans):
        for start, end in own:
            before = _CAPITALISED_BEFORE.search(text, max(0, start - 30), start)
            if before is None:
                continue
            longer = fold(text[before.start(1) : end])
            if any(longer in f and f != longer for j, f in enumerate(folded) if j != index):
                cut.add((start, end))
    return cut


def _inside_longer(spans: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Spans inside a longer one: "York" in "New York", the alias "Armstrong" in "Neil
    Armstrong". One sweep in order of start (longest first), keeping the furthest end seen."""
    inside: set[tuple[int, int]] = set()
    furthest = -1
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if furthest >= end:
            inside.add((start, end))
        furthest = max(furthest, end)
    return inside
