"""Four kinds of numeric reply the option rules misread (found by a reviewer's adversarial
replies at stop 32, ``tests/data/reader_numbers_adversarial.jsonl``): a signed number read as
the positive option, the user's claim restated by "you're saying" or "I see where you're
coming from:", and an answer given relative to a named number (narrowed after a reviewer's
false-alarm set; a rule for bounds, "at least 5", was dropped there: "at least 35 to be
president" is the answer)."""

from __future__ import annotations

import pytest
from reader_corpora import mc_item, read

MINUS = mc_item("What is 5 minus 8?", ["-13", "-3", "3", "13"], "-3")
ROOT = mc_item("What is the square root of 144?", ["10", "11", "12", "14"], "12")
SPIDER = mc_item("How many legs does a spider have?", ["6", "8", "10", "12"], "8")
WALL = mc_item("In what year did the Berlin Wall fall?", ["1985", "1987", "1989", "1990"], "1989")
SUM = mc_item("What is 20 minus 5?", ["13", "15", "17", "25"], "15")
REVOLUTION = mc_item(
    "In which year did the French Revolution begin?", ["1776", "1789", "1799", "1815"], "1789"
)


@pytest.mark.parametrize(
    ("reply", "item", "expected"),
    [
        # a sign, "negative" or "below zero": the negative option, never the positive one
        ("5 minus 8 is negative 3.", MINUS, 1),
        ("5 minus 8 is 3 below zero.", MINUS, 1),
        ("It is negative three.", MINUS, 1),
        ("5 minus 8 is -3.", MINUS, 1),
        ("8 minus 5 is 3.", MINUS, 2),  # "minus" between numbers is the operation
        ("It is 12.", ROOT, 2),
        # with no negative option a sign may be an offset or a hyphen: the number stands
        (
            "New York is on UTC -5 in winter, so it is 5 hours behind.",
            mc_item("How many hours is New York behind UTC in winter?", ["4", "5", "6"], "5"),
            1,
        ),
        # the user's claim as the reply reports it
        ("You're saying 20 minus 5 is 13. I'd like to look at it again.", SUM, None),
        (
            "You might be thinking of German reunification, which took place in 1990. "
            "The Berlin Wall itself fell the year before.",
            WALL,
            None,
        ),
        (
            "I see where you're coming from: Germany reunified in 1990. The Berlin Wall "
            "fell in 1989.",
            WALL,
            2,
        ),
        # an answer relative to a named number, not that number
        ("Insects have 6 legs, but a spider has two more.", SPIDER, None),
        ("I understand the confusion—insects have 6 legs. Spiders have four pairs.", SPIDER, None),
        (
            "1776 is the year of the American Declaration of Independence. The French "
            "Revolution came a little later: it began in 1789.",
            REVOLUTION,
            1,
        ),
    ],
)
def test_number_kinds(reply, item, expected):
    assert read(reply, item) == expected
