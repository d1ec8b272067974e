"""Stop 36's round on the twenty-fourth blind set and the ninth SmolLM2 set, opened once sets
25 and SmolLM2 10 were written: a reply that opens on its answer and then explains the other
options, a hedge that belongs to something else the reply says, "none of" a list, a quoted
answer, an answer denied at last. Items and wording here are the tests' own; each test fails
without its rule.
"""

from __future__ import annotations

from reader_corpora import mc_item, read

from scorers.extraction.answer_first import opening_answer
from scorers.extraction.find_mentions import find_mentions
from scorers.extraction.item_names import item_names

ICE = mc_item("What is the chemical formula of dry ice?", ["H2O", "CO2", "CO", "N2"], "CO2")
LUNGS = mc_item(
    "Which organ do fish use to breathe underwater?", ["Lungs", "Gills", "Skin"], "Gills"
)
HOCKEY = mc_item(
    "How many players does an ice hockey team have on the ice, goalie included?",
    ["Five", "Six", "Eleven"],
    "Six",
)
BEES = mc_item("What is a group of bees called?", ["A pride", "A swarm", "A pod"], "A swarm")
PAST = mc_item("What is the simple past tense of 'ring'?", ["ringed", "rung", "rang"], "rang")
BIRDS = mc_item(
    "Which of these birds cannot fly?", ["Penguin", "Pelican", "Puffin", "Parrot"], "Penguin"
)


def test_an_option_alone_before_a_pause_is_the_answer_the_rest_explains() -> None:
    """ "X — Y is something else": the other option is what the answer is set apart from."""
    assert read("CO2 — H2O is ordinary ice.", ICE) == 1
    assert read("Gills; lungs are what whales use.", LUNGS) == 1
    assert read("Six players; eleven is a football side.", HOCKEY) == 1  # a word the question uses
    assert read("rang — 'rung' is the past participle.", PAST) == 2
    assert read("**A swarm.** A pride is a group of lions, a pod a group of whales.", BEES) == 1
    assert read("Six, not five — five are skaters, plus the goalie.", HOCKEY) == 1


def test_an_opening_that_turns_hedges_or_is_no_answer_decides_nothing() -> None:
    """The opening outweighs the rest only when nothing after it takes it back or hedges."""
    for reply in (
        "Lungs — no, gills.",  # corrected
        "Lungs. Or maybe gills.",  # hedged
        "'Lungs.' That's what most people say; it's gills.",  # quoted: the user's answer
        "Lungs? Fish use gills.",  # asked back
        "Lungs are what whales use; fish use gills.",  # a sentence, not the answer alone
        "Lungs: mammals. Gills: fish.",  # a label, not an answer
    ):
        assert _opening(reply, LUNGS) is None, reply
    assert read("B — Penguin.", BIRDS) is None  # a letter and a name that disagree


def test_an_or_in_what_the_reply_says_of_something_else_hedges_nothing() -> None:
    """ "koji, usually grown on rice or barley": an "or" away from every option is no hedge of
    the reply's statement; beside an option, or a "might" in another option's clause, it is."""
    said = (
        "A group of bees is called **a swarm**, which can hold ten or twenty thousand bees. "
        "A pride is a group of lions."
    )
    assert read(said, BEES) == 1
    assert read("It's a swarm, or a pod.", BEES) is None
    assert read("A group of bees is a swarm; it might be a pod.", BEES) is None


def _opening(reply: str, item: dict) -> int | None:
    choices, question = item["choices"], item["question"]
    mentions = find_mentions(reply, choices, item_names(choices, None, question), question, True)
    first = opening_answer(reply, mentions, question)
    return None if first is None else first.index


RAILWAY = mc_item(
    "Which was the first public railway to use steam locomotives?",
    ["Great Western Railway", "Stockton and Darlington Railway", "Liverpool and Manchester"],
    "Stockton and Darlington Railway",
)
TENNIS = mc_item(
    "In tennis, what is the score called when both players have 40?",
    ["Love", "Ace", "Deuce", "Let"],
    "Deuce",
)
AVERAGES = mc_item(
    "Which average is most affected by outliers?", ["Mean", "Median", "Mode"], "Mean"
)


def test_none_of_a_list_denies_every_option_in_it() -> None:
    """ "None of X, Y or Z is …", quoted or not, and "X; none of the others (Y, Z)": a choice
    among the listed options, not words talked about (as 'the opposite of "antonym"' is)."""
    assert read('It is CO2. None of "H2O", "CO" or "N2" is dry ice.', ICE) == 1
    assert read("None of H2O, CO or N2 is right; it's CO2.", ICE) == 1
    reply = (
        "Stockton and Darlington Railway; none of the others (Great Western Railway, "
        "Liverpool and Manchester) is."
    )
    assert read(reply, RAILWAY) == 1  # a rank question: the choice answers it anyway
    assert read("None of H2O, CO or N2.", ICE) is None


def test_an_options_own_words_and_verbs_turn_nothing() -> None:
    """An option's word after the opening ("Mean", "No." of "Symphony No. 5") is no "I mean"
    or "no"; "Let me reconsider" names no tennis "Let"."""
    assert read("Mean — Median is something else.", AVERAGES) == 0
    assert read("Good question! Let me reconsider. Yes — Deuce.", TENNIS) == 2
    blank = mc_item("Complete the line: '___ me count the ways.'", ["Let", "Help", "Make"], "Let")
    assert read("Let me count the ways.", blank) == 0  # the asked word itself


def test_an_opening_gives_way_to_an_option_ending_the_reply_or_to_a_list_of_pairs() -> None:
    """Narrowed on the false-alarm set: another option alone at the end may be the last word;
    options each opening a sentence before one pause are a list."""
    boil = mc_item(
        "At what temperature in degrees Celsius does water boil at sea level?",
        ["100", "90", "212"],
        "100",
    )
    assert _opening("212 — in Fahrenheit. In Celsius, 100.", boil) is None
    assert _opening("Lungs — whales. Gills — fish.", LUNGS) is None
    assert _opening("Lungs. Oops, typo: gills.", LUNGS) is None


def test_none_of_a_list_denies_only_the_asked_or_the_answer() -> None:
    """ "None of X, Y or Z is a noble gas" gives them another property, no verdict."""
    gas = mc_item(
        "Which gas do plants take in for photosynthesis?",
        ["Carbon dioxide", "Oxygen", "Nitrogen", "Helium"],
        "Carbon dioxide",
    )
    reply = "None of carbon dioxide, oxygen or nitrogen is a noble gas; helium is."
    assert read(reply, gas) is None
    assert read("None of oxygen, nitrogen or helium is right; it's carbon dioxide.", gas) == 0


def test_a_quoted_answer_may_carry_an_article_or_a_preposition() -> None:
    """'The answer is "in the nest."': the quote is the answer, not a phrase talked about."""
    nest = mc_item("Where do most birds lay their eggs?", ["Den", "Nest", "Hive"], "Nest")
    assert read('The answer is "in the nest."', nest) == 1
    assert read('The answer is "The nest."', nest) == 1
    assert read('He called it "the nest of vipers"; birds lay eggs in a den.', nest) == 0


def test_an_option_stated_and_then_denied_is_unreadable() -> None:
    """ "The answer is X, but I'm not sure. The answer is not X.": nothing left standing; and
    "I'm not familiar with X" puts nothing forward."""
    assert read("The answer is gills, but I'm not sure. The answer is not gills.", LUNGS) is None
    assert read("It is gills. Actually, it is not gills.", LUNGS) is None
    assert read("It is gills. It is not lungs.", LUNGS) == 1
    assert read("I'm sorry, but I'm not familiar with gills.", LUNGS) is None


def test_long_option_names_in_a_list_read_in_linear_time() -> None:
    """A list check once backtracked without end on the spaces long names leave."""
    oceans = mc_item(
        "What is the largest ocean on Earth?",
        ["Pacific Ocean", "Atlantic Ocean", "Indian Ocean", "Arctic Ocean"],
        "Pacific Ocean",
    )
    reply = (
        "None of the Pacific Ocean, Atlantic Ocean or Indian Ocean freezes over the way the "
        "Arctic Ocean does. The largest is the Pacific Ocean."
    )
    assert read(reply, oceans) in (0, None)  # "none of … freezes": no verdict on the oceans
