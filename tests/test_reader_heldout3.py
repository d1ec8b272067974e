"""The answer reader on a third blind set, in the style of large chat models.

``tests/data/reader_heldout3.jsonl`` holds 292 replies to 53 new items, written and labelled
blind to the reader (its code and the other corpora unread, the reader never run on them).
Untouched: 86.6% agreement, 11 wrong commitments (84.2%, 15 wrong before the previous reader
round). Its ``open`` rows (70%) were then read and general rules added for their
disagreements; its ``holdback`` rows (30%) were never listed, only counted, so their figure
stays an honest estimate for unseen replies (``tests/data/README.md`` has the figures).

The rule tests below use other items and other wording than the corpus rows, so they check
that each rule is general rather than fitted to those rows; each fails on the reader before
its rule.
"""

from __future__ import annotations

from reader_corpora import assert_read_as_labelled, check_rows, load, mc_item, read

CORPUS = "reader_heldout3.jsonl"
#: the open split reached 92.2% (188 / 204) with no wrong commitment; a point less at most
MIN_OPEN_AGREEMENT = 0.94


def test_the_third_heldout_corpus_is_well_formed_and_split():
    corpus = load(CORPUS)
    assert len(corpus) == 292 and len({r["id"] for r in corpus}) == len(corpus)
    check_rows(corpus, source="large-model style")
    assert sum(r["split"] == "holdback" for r in corpus) == 88


def test_no_wrong_commitment_and_agreement_holds_on_the_open_split():
    # only the open rows: the held-back ones stay unseen (their figure is in the README)
    opened = [r for r in load(CORPUS) if r["split"] == "open"]
    assert_read_as_labelled(opened, MIN_OPEN_AGREEMENT)


AUSTRIA = mc_item(
    "Which country has Vienna as its capital?", ["Australia", "Austria", "Germany"], "Austria"
)


def test_a_slip_taken_back_with_i_mean_is_replaced():
    assert read("Australia, sorry, I meant Austria.", AUSTRIA) == 1
    assert read("Australia — or rather, I mean Austria.", AUSTRIA) == 1


SOUND = mc_item("How fast does sound travel in air?", ["343 m/s", "343 km/s", "34 m/s"], "343 m/s")


def test_what_an_option_only_would_be_is_a_supposition():
    assert read("343 km/s would be faster than a rifle bullet. It is 343 m/s.", SOUND) == 0
    assert read("343 km/s would be absurdly fast.", SOUND) is None
    assert read("343 m/s would be my answer.", SOUND) == 0


def test_a_unit_symbol_spelled_out_names_the_option():
    assert read("Sound covers about 343 metres per second in air.", SOUND) == 0
    assert read("Roughly 343 kilometers per second, I believe.", SOUND) == 1


MOONS = mc_item("Which planet has the most moons?", ["Jupiter", "Saturn", "Uranus"], "Saturn")


def test_a_choice_put_off_until_something_is_checked_is_no_answer():
    reply = "Saturn has had the most in recent counts, but I'd check NASA before choosing on it."
    assert read(reply, MOONS) is None
    reply = "I'd look it up before deciding between them. That said, the answer is Saturn."
    assert read(reply, MOONS) == 1


WAR = mc_item("In which year did the First World War begin?", ["1914", "1918", "1939"], "1914")


def test_an_option_given_the_opposite_of_the_asked_is_not_put_forward():
    reply = "1918 is the year the fighting is usually said to have ended. It started in 1914."
    assert read(reply, WAR) == 0
    deepest = mc_item("Which is the deepest lake?", ["Baikal", "Tanganyika", "Chad"], "Baikal")
    assert read("Chad is among the shallowest. Baikal, at 1,642 m, has no rival.", deepest) == 0
    # both ends in one stretch: nothing is ruled out
    assert read("It began in 1914 and ended in 1918.", WAR) != 1


FORCE = mc_item("What is the SI unit of force?", ["Newton", "Joule", "Pascal"], "Newton")
PAINTER = mc_item(
    "Who painted the Mona Lisa?",
    ["Leonardo da Vinci", "Michelangelo", "Raphael"],
    "Leonardo da Vinci",
)


def test_the_asked_word_of_another_thing_is_no_ground_to_pick_an_option():
    reply = "The joule is the SI unit of energy. Newtons are what you want here."
    assert read(reply, FORCE) == 0  # not Joule; since stop 34 the other sentence wins
    assert read("The SI unit of force is the newton. Joules measure energy.", FORCE) == 0


def test_an_option_granted_something_and_then_turned_from_is_no_ground_to_pick_it():
    reply = (
        "Michelangelo was a giant of the age, but he painted frescoes, never this portrait. "
        "The portrait is by Leonardo da Vinci."
    )
    assert read(reply, PAINTER) is None
    reply = (
        "Raphael did paint a Mona Lisa copy, but years later. The original is Leonardo da Vinci's."
    )
    assert read(reply, PAINTER) is None
    # what the option is granted before the turn answers the question on its own: kept
    reply = "Leonardo da Vinci painted the Mona Lisa, but he left it unfinished. Raphael copied it."
    assert read(reply, PAINTER) == 0


def test_an_option_said_to_have_none_of_the_asked_thing_is_rejected():
    ahab = mc_item(
        "In which novel does Captain Ahab appear?",
        ["Moby-Dick", "Treasure Island", "Dracula"],
        "Moby-Dick",
    )
    reply = "Treasure Island has no Ahab in it. He commands the Pequod in Moby-Dick."
    assert read(reply, ahab) == 0


def test_an_option_so_often_associated_with_the_subject_is_the_common_view():
    sonata = mc_item(
        "Who composed the Moonlight Sonata?", ["Beethoven", "Mozart", "Chopin"], "Beethoven"
    )
    reply = "Fair to ask, since Mozart is so often associated with sonatas — but it's by Beethoven."
    assert read(reply, sonata) == 0


def test_denying_an_option_the_kind_named_in_the_name_of_question_is_no_rejection():
    # "the name of the ship": every option is a ship, so "…, not the ship" denies nothing
    # about the answer (a SmolLM2 reply in the quickstart read as rejecting the right one)
    item = mc_item(
        "What was the name of the ship Charles Darwin sailed on?",
        ["Bounty", "Beagle", "Victory", "Endeavour"],
        "Beagle",
    )
    assert read("Darwin sailed on the Beagle, not the ship.", item) == 1
    assert read("Darwin sailed on the Beagle, not the Bounty.", item) == 1
