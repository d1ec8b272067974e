"""Every name of an item's options, made once per item: a run reads each item's replies under
several conditions and turns, and the names (spelled-out numbers, other forms, surnames, short
names, other groupings) depend on the item alone, not on the reply (~15% of a reading)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from scorers.extraction.folding import fold
from scorers.extraction.names import (
    century_years,
    demonyms,
    function_word_cores,
    modifier_of_a_shared_head,
    numbered_work,
    option_names,
    option_surnames,
    other_forms,
    players,
    short_names,
    words_every_option_has,
)
from scorers.extraction.number_forms import other_groupings

#: items remembered: more than a batch of conditions reads before moving to the next item
_ITEMS = 1024


def item_names(
    choices: Sequence[str], aliases: Mapping[int, Sequence[str]] | None, question: str
) -> list[list[str]]:
    """For each option, every name a reply may call it by (:func:`_names`)."""
    given = tuple((index, tuple(named)) for index, named in (aliases or {}).items())
    return [list(own) for own in _names(tuple(choices), given, question)]


@lru_cache(maxsize=_ITEMS)
def _names(
    choices: tuple[str, ...], given: tuple[tuple[int, tuple[str, ...]], ...], question: str
) -> tuple[tuple[str, ...], ...]:
    """Its text and aliases and the forms of :func:`option_names`, then its other grammatical
    number, a person's surname, shorter names (read only capitalised) and other groupings."""
    aliases = dict(given)
    names = option_names(choices, aliases)
    for index, extra in other_forms(choices, question).items():
        names[index] = [*names[index], *extra]
    for index, surname in option_surnames(choices, question, aliases).items():
        names[index] = [*names[index], surname]
    for index, short in short_names(choices, question).items():  # "Andromeda", capitalised
        names[index] = [*names[index], *short]
    for index, grouped in other_groupings(choices).items():  # "5280" for "5,280"
        names[index] = [*names[index], *grouped]
    for index, years in century_years(choices, question).items():  # "1789": 18th century
        names[index] = [*names[index], *years]
    for index, people in demonyms(choices, question).items():  # "a Japanese dish": Japan
        names[index] = [*names[index], *people]
    for index, player in players(choices, question).items():  # "a pianist": the piano
        names[index] = [*names[index], *player]
    return tuple(tuple(own) for own in names)


@lru_cache(maxsize=_ITEMS)
def predicative_only(choices: tuple[str, ...], question: str) -> frozenset[str]:
    """The names (folded) that name an option only when said of the asked thing: a country's
    people ("a Japanese dish" names Japan; "the Norwegian prince" does not). Read only
    capitalised, like surnames (:func:`capitalised_only`)."""
    return frozenset(fold(name) for own in demonyms(choices, question).values() for name in own)


@lru_cache(maxsize=_ITEMS)
def capitalised_only(choices: tuple[str, ...], question: str) -> frozenset[str]:
    """The names (folded) that name an option only when capitalised: surnames ("Bell", not
    "a bell"; one written with accents, "Dvořák", is no English word and needs none), short
    names ("Andromeda") and a distinctive word that is a function word ("Who" of "The Who",
    not "the band who recorded it")."""
    surnames = {
        fold(name) for name in option_surnames(choices, question).values() if name.isascii()
    }  # "dvorak" is no English word: a surname with accents is read in small letters too
    surnames |= {fold(name) for own in short_names(choices, question).values() for name in own}
    surnames |= predicative_only(choices, question)
    surnames |= {fold(n) for c in choices for n in numbered_work(c, choices)}
    return frozenset((surnames - set(modifiers(choices))) | function_word_cores(choices))


@lru_cache(maxsize=_ITEMS)
def proper_name_cores(choices: tuple[str, ...]) -> dict[str, str]:
    """The one word that sets a proper name apart from the other options' (folded), with the
    word the names share: "black" -> "sea" for "Black Sea" beside "Aegean Sea". In small
    letters it names the option only where it modifies no other noun ("indian", "the
    pacific is"; not "black sails")."""
    shared = words_every_option_has(choices)
    cores = {}
    for words in (c.split() for c in choices):
        own = [w for w in words if fold(w) not in shared]
        if len(words) > 1 and len(own) == 1 and all(w[:1].isupper() for w in words):
            cores[fold(own[0])] = fold(words[-1])
    return cores


@lru_cache(maxsize=_ITEMS)
def modifiers(choices: tuple[str, ...]) -> dict[str, str]:
    """Each option's :func:`~scorers.extraction.names.modifier_of_a_shared_head` (folded),
    with the head it modifies: "alto" -> "saxophone", read in small letters too."""
    heads = {}
    for index, choice in enumerate(choices):
        if modifier := modifier_of_a_shared_head(index, choices):
            heads[fold(modifier)] = fold(choice).split()[-1]
    return heads


@lru_cache(maxsize=_ITEMS)
def given_names(choices: tuple[str, ...], question: str) -> dict[str, frozenset[str]]:
    """Each surname that names an option (folded), with the option's other names: "curie" ->
    {"pierre"}; "Marie Curie" is another person, no "Pierre Curie"."""
    return {
        fold(surname): frozenset(fold(w) for w in choices[index].split()[:-1])
        for index, surname in option_surnames(choices, question).items()
    }
