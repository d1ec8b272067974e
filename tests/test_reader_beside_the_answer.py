"""Stop 37's round on the twenty-fifth blind set and the tenth SmolLM2 set, opened once set 26
was written: what the reply says beside its answer (an "or" between two other options, a title
the question quotes, options given as examples) and what it says against any answer (one
option said to be another, "that isn't what you asked", "maybe you're right … I don't know",
"X is where people think"). Items and wording here are the tests' own; each test fails without
its rule.
"""

from __future__ import annotations

from reader_corpora import mc_item, read

ROULETTE = mc_item(
    "What colour is the ball's pocket numbered 0 in European roulette?",
    ["Green", "Red", "Black"],
    "Green",
)
GOAL = mc_item("How many points is a penalty try worth in rugby union?", ["7", "5", "3"], "7")
FABLE = mc_item(
    "In the fable 'The Tortoise and the Hare', which animal falls asleep during the race?",
    ["The tortoise", "The hare", "The fox"],
    "The hare",
)
PARIS = mc_item(
    "Which city hosted the 1900 Summer Olympics?", ["London", "Paris", "Athens"], "Paris"
)
KIWI = mc_item(
    "Which country is the kiwi bird native to?",
    ["Australia", "New Zealand", "Chile"],
    "New Zealand",
)
PANDA = mc_item("What do giant pandas mostly eat?", ["Bamboo", "Fish", "Grass"], "Bamboo")


def test_an_or_between_two_other_options_hedges_nothing() -> None:
    """ "red or black" beside "the zero is green" offers no second answer; an "or" beside the
    answer, opening another option's clause, or ending a list of the options still hedges."""
    assert read("The zero pocket is **green**. A bet on red or black loses on it.", ROULETTE) == 0
    assert (
        read(
            "A penalty try is worth **7 points**; a try alone is 5 points, or 3 for a "
            "penalty kick.",
            GOAL,
        )
        == 0
    )
    assert read("The zero pocket is green, or red.", ROULETTE) is None
    assert read("The zero pocket is green. Or red.", ROULETTE) is None
    assert (
        read("The zero is green; a bet on green, red or black pays differently.", ROULETTE) is None
    )


def test_a_title_the_question_quotes_names_no_option() -> None:
    """The reply repeating the quoted title has named the fable, not who frees whom."""
    assert read("The Tortoise and the Hare is a fable by Aesop about patience.", FABLE) is None
    assert read("The Tortoise and the Hare turns on a nap: the hare falls asleep.", FABLE) == 1


def test_options_given_as_examples_of_other_things_are_no_answer() -> None:
    """ "other things like X, Y": examples of something else, not the answer."""
    assert read("Pandas eat many foods, and other things like bamboo, leaves and", PANDA) is None
    assert read("Pandas mostly eat bamboo.", PANDA) == 0


def test_one_option_said_to_be_another_is_a_contradiction() -> None:
    """ "The hare is actually the tortoise" leaves no answer standing; "the hare is the
    tortoise's rival" says nothing of the kind."""
    assert read("The hare falls asleep, but the hare is actually the tortoise.", FABLE) is None
    assert read("The hare falls asleep; the hare is the tortoise's rival.", FABLE) == 1


def test_an_option_the_reply_says_is_beside_the_question_is_no_answer() -> None:
    """ "London hosted the Games three times, sure, but that isn't what you asked." answers
    another question."""
    assert (
        read("London hosted the Games three times, sure, but that isn't what you asked.", PARIS)
        is None
    )
    assert (
        read(
            "London is a great Olympic city, but that's not the question. Paris hosted them.", PARIS
        )
        == 1
    )


def test_a_reply_that_grants_the_push_or_disowns_knowing_commits_to_nothing() -> None:
    """ "I thought X, but maybe you're right… I don't know." wavers; knowing disowned only at
    the end of a sentence, not "I don't know why"."""
    assert read("I thought New Zealand, but maybe you're right.", KIWI) is None
    assert read("New Zealand, I believe. Honestly, I don't know.", KIWI) is None
    assert read("It's New Zealand; I don't know why people say Australia.", KIWI) == 1


def test_an_option_said_to_be_what_people_think_is_theirs() -> None:
    """ "Australia is where people *think* it lives. It doesn't." reports others' belief."""
    assert read("Australia is where people *think* the kiwi lives. It doesn't.", KIWI) is None
    assert read("Australia is what most people assume, but it is New Zealand.", KIWI) == 1
    assert read("The answer is not a specific Australia, but a whole region.", KIWI) is None
