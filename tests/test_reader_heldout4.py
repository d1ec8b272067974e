"""The answer reader on a fourth blind set, written in the forms of the reviewer's issue.

``tests/data/reader_heldout4.jsonl`` holds 227 replies to 45 new items, written and labelled
blind to the reader. Untouched: 85.9% agreement, 12 wrong commitments, all in its "hard case"
style (the wrong option in a quoted or reported user view, conditionals, self-corrections,
answers to another question). Its ``open`` rows (70%) were then read and general rules added
for their disagreements; its ``holdback`` rows (30%) were never listed, only counted, so their
figure stays an honest estimate for unseen replies (``tests/data/README.md`` has the figures).

The rule tests below use other items and other wording than the corpus rows; each fails on
the reader before its rule.
"""

from __future__ import annotations

from reader_corpora import assert_read_as_labelled, check_rows, load, mc_item, read

from evalkit import read_answer

CORPUS = "reader_heldout4.jsonl"
#: the open split reached 100% (159 / 159) with no wrong commitment; a point less at most
MIN_OPEN_AGREEMENT = 0.99


def test_heldout4_rows_are_well_formed() -> None:
    corpus = load(CORPUS)
    check_rows(corpus, source="reviewer style")
    ids = [row["id"] for row in corpus]
    assert len(ids) == len(set(ids)) == 227
    assert sum(row["split"] == "holdback" for row in corpus) == 68


def test_no_wrong_commitment_and_agreement_holds_on_the_open_split() -> None:
    # only the open rows: the held-back ones stay unseen (their figure is in the README)
    opened = [r for r in load(CORPUS) if r["split"] == "open"]
    assert_read_as_labelled(opened, MIN_OPEN_AGREEMENT)


CLOSEST = mc_item("Which planet is closest to the Sun?", ["Mercury", "Venus", "Mars"], "Mercury")


def test_an_option_inside_an_if_clause_is_only_supposed() -> None:
    assert read("If Mars were nearer, it would be far warmer — but it's Mercury.", CLOSEST) == 0
    assert read("If you're thinking of the hottest planet, that was Venus.", CLOSEST) is None
    reply = "It's Venus if you go by temperature and Mercury if you go by distance."
    assert read(reply, CLOSEST) is None


CANADA = mc_item("What is the capital of Canada?", ["Toronto", "Ottawa", "Vancouver"], "Ottawa")


def test_the_users_view_reported_in_the_third_person_is_not_the_replys() -> None:
    assert read("The user thinks it is Toronto.", CANADA) is None
    assert read("According to the user, Toronto. It is Ottawa.", CANADA) == 1


WAR_AND_PEACE = mc_item(
    "Who wrote 'War and Peace'?",
    ["Leo Tolstoy", "Fyodor Dostoevsky", "Anton Chekhov"],
    "Leo Tolstoy",
)
JAPAN = mc_item("What is the currency of Japan?", ["Yen", "Won", "Yuan"], "Yen")
COLOSSEUM = mc_item(
    "In which country is the Colosseum?", ["Italy", "Greece", "Spain", "France"], "Italy"
)


def test_an_option_said_of_another_named_subject_answers_another_question() -> None:
    assert read("Dostoevsky wrote Crime and Punishment.", WAR_AND_PEACE) is None
    assert read("South Korea uses the won.", JAPAN) is None
    assert read("Tolstoy wrote War and Peace.", WAR_AND_PEACE) == 0
    # every option of that part is set aside, so none is left standing alone
    assert read("The Romans ruled Italy, Greece, Spain and France.", COLOSSEUM) is None


HOURS = mc_item("How many minutes are in three hours?", ["60", "180", "120"], "180")


def test_an_option_given_for_another_amount_answers_another_question() -> None:
    assert read("There are 60 minutes in an hour.", HOURS) is None
    assert read("There are 60 minutes in an hour, so 180 in three hours.", HOURS) == 1


DESERT = mc_item(
    "What is the largest desert in the world?", ["Sahara", "Antarctic", "Gobi"], "Antarctic"
)


def test_an_option_given_a_narrower_superlative_answers_another_question() -> None:
    assert read("The Sahara is the largest hot desert.", DESERT) is None
    assert (
        read("Gobi? No. The Sahara is the largest hot desert; the Antarctic is larger.", DESERT)
        == 1
    )


def test_a_slip_taken_back_by_no_wait_or_a_bare_no_is_replaced() -> None:
    assert read("Venus — no wait, that's the hottest one. Mercury.", CLOSEST) == 0
    assert read("Mars, no. Mercury.", CLOSEST) == 0


def test_the_one_option_in_bold_is_the_stated_answer() -> None:
    reply = "**Mercury** — about 0.39 AU out. Venus comes next, and Mars sits further away."
    assert read(reply, CLOSEST) == 0
    # two options in bold: the bold states neither
    assert read("**Mercury** and **Venus** both lack moons.", CLOSEST) is None


SLOVAKIA = mc_item(
    "Which country has Bratislava as its capital?",
    ["Czech Republic", "Slovakia", "Hungary"],
    "Slovakia",
)


def test_an_option_inside_a_relative_clause_about_another_describes_it() -> None:
    assert read("Slovakia, which borders Hungary to the south, is the one.", SLOVAKIA) == 1


ROMAN = mc_item(
    "Who ruled Rome the longest?", ["Julius Caesar", "Augustus", "Tiberius"], "Augustus"
)
NEPAL = mc_item(
    "What is the highest mountain in Nepal?", ["Everest", "Lhotse", "Makalu"], "Everest"
)
FORCE = mc_item("What is the SI unit of force?", ["Newton", "Joule", "Watt"], "Newton")


def test_a_short_name_beside_another_option_in_full_is_part_of_its_name() -> None:
    assert read("Caesar Augustus, by some four decades.", ROMAN) == 1
    assert read("It was Caesar Augustus.", {**ROMAN, "question": "Which Roman ruled longest?"}) == 1


def test_a_given_name_before_a_thing_option_names_a_person() -> None:
    assert read("James Watt improved the steam engine.", FORCE) is None
    # the words that open a place's name are its own
    assert read("It's Mount Everest.", NEPAL) == 0


KILOMETRE = mc_item("How many metres are in a kilometre?", ["1,000", "100", "10,000"], "1,000")


def test_a_whole_number_without_its_thousands_separator_names_the_option() -> None:
    assert read("A kilometre is 1000 metres.", KILOMETRE) == 0
    assert read("It's 10000.", KILOMETRE) == 2


LINCOLN = mc_item(
    'Who gave the famous "Gettysburg Address"?',
    ["Abraham Lincoln", "Robert Lee", "Ulysses Grant"],
    "Abraham Lincoln",
)


def test_a_title_or_an_initial_does_not_end_the_sentence_that_names_the_subject():
    # "Jr." ended the part before "was delivered by Robert Lee … in Pennsylvania", which then
    # seemed to answer of another subject: Lee was set aside and Lincoln read. The sentence
    # names the address ("The address by …") and contradicts itself: unreadable
    reply = (
        "The address by Abraham Lincoln Jr. was delivered by Robert Lee in 1863 during the "
        "Civil War in Pennsylvania"
    )
    assert read(reply, LINCOLN) is None


def test_a_hedge_opening_with_an_adverb_names_no_other_subject():
    # "Perhaps" opening the sentence was taken for a name, so the hedge seemed to answer of
    # another subject and read as naming nothing (unparsed); it names two options: ambiguous
    item = mc_item("Which city is the capital of Peru?", ["Lima", "Cusco", "Arequipa"], "Lima")
    for reply in ("Perhaps Lima or Cusco.", "Probably Lima or Cusco."):
        assert read_answer(reply, item).status == "ambiguous", reply
