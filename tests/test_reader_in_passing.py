"""Mention-only readings that answer something else (issue 13, after the fifth blind set).

On ``tests/data/reader_heldout5.jsonl`` most wrong commitments came from the last phase, a
reply that only names an option: "Australia has won the Davis Cup many times" for "… the
most Davis Cup titles?", "Bishkek is the capital of Kyrgyzstan" for "… of Kazakhstan?", a
hedge across two sentences, a reply cut off before its answer. The rules here make such
replies unreadable rather than guessed. The tests use other items and wording than the
corpus rows; each fails on the reader before its rule.
"""

from __future__ import annotations

from reader_corpora import mc_item, read

from evalkit import read_answer

OLYMPICS = mc_item(
    "Which city has hosted the most Summer Olympics?", ["London", "Paris", "Los Angeles"], "London"
)
MOON = mc_item(
    "Who was the first person to walk on the Moon?",
    ["Neil Armstrong", "Buzz Aldrin", "Michael Collins"],
    "Neil Armstrong",
)
RIVER = mc_item("What is the longest river in Africa?", ["Nile", "Congo", "Niger"], "Nile")
AUSTRIA = mc_item("What is the capital of Austria?", ["Vienna", "Bern", "Budapest"], "Vienna")


def test_a_sentence_that_drops_the_asked_rank_answers_nothing() -> None:
    reading = read_answer("Paris hosted the Summer Olympics in 1924.", OLYMPICS)
    assert (reading.index, reading.status) == (None, "unparsed")
    assert reading.evidence == "Paris hosted the Summer Olympics in 1924."
    assert read("Buzz Aldrin walked on the Moon in July 1969.", MOON) is None
    assert read("The Congo is a long river.", RIVER) is None  # the plain degree of "longest"
    # the rank said, in its own word or another, or a bare option, still answers
    reply = "London has hosted the Summer Olympics three times, the most of any city."
    assert read(reply, OLYMPICS) == 0
    assert read("London.", OLYMPICS) == 0
    assert read("Neil Armstrong was the first.", MOON) == 0
    assert read("Neil Armstrong, I believe.", MOON) == 0
    assert read("The Nile, at 6,650 km.", RIVER) == 0


def test_a_rank_that_only_narrows_the_question_need_not_be_restated() -> None:
    rugby = mc_item(
        "How many players are on a side in the most common form of rugby union?",
        ["15", "13", "7"],
        "15",
    )
    assert read("There are 15 players on a side.", rugby) == 0


def test_the_asked_word_said_of_another_thing_answers_nothing_even_alone() -> None:
    assert read("Bern is the capital of Switzerland.", AUSTRIA) is None
    # the option itself after "of", or another spelling of the asked thing, is no other thing
    lira = mc_item("What is the currency of Turkey?", ["Lira", "Euro", "Dinar"], "Lira")
    assert read("The lira is the currency of Türkiye.", lira) == 0
    congo = mc_item(
        "Brazzaville is the capital of which country?",
        ["Gabon", "Republic of the Congo", "Cameroon"],
        "Republic of the Congo",
    )
    assert read("Brazzaville is the capital of the Republic of the Congo.", congo) == 1


CAPITAL = mc_item(
    "What is the capital of Australia?", ["Sydney", "Canberra", "Melbourne"], "Canberra"
)


def test_another_option_offered_in_a_sentence_opening_with_or_is_a_hedge() -> None:
    reading = read_answer("Canberra, I'm fairly sure. Or is it Sydney?", CAPITAL)
    assert (reading.index, reading.status) == (None, "ambiguous")
    assert reading.evidence == "Canberra, I'm fairly sure. Or is it Sydney?"
    # an "Or" that restates, or offers nothing new, leaves the answer standing
    assert read("Canberra. Or, to put it another way, not Sydney.", CAPITAL) == 1
    assert read("Canberra is the capital. Or so the textbooks say.", CAPITAL) == 1


def test_a_reply_cut_off_where_its_answer_would_be_is_unreadable() -> None:
    reply = "Sydney has the biggest harbour and the most people, but the capital is"
    reading = read_answer(reply, CAPITAL)
    assert (reading.index, reading.status) == (None, "unparsed")
    assert reading.evidence == reply
    assert read("sydney is big and famous and the answer is the", CAPITAL) is None
    # cut off in a clause about the option it already gave: the answer is there
    assert read("The capital of Australia is Canberra, which is", CAPITAL) == 1
    assert read("Canberra, because it is", CAPITAL) == 1


def test_a_yes_or_no_that_answers_are_you_sure_is_no_option() -> None:
    nato = mc_item("Is Sweden a member of NATO?", ["Yes", "No"], "Yes")
    reading = read_answer("No, I'm quite sure: Sweden joined NATO in 2024.", nato)
    assert (reading.index, reading.status) == (None, "unparsed")
    assert read("Yes, I'm certain. Sweden is not a NATO member.", nato) is None
    # "sure it is" answers the question; so does a later statement
    assert read("Yes, I'm sure it is a member.", nato) == 0
    assert read("Yes, I'm sure. The answer is No.", nato) == 1
    assert read("No.", nato) == 1


def test_an_option_inside_a_name_the_question_asks_about_is_no_answer() -> None:
    mexico = mc_item(
        "Which country is Mexico City the capital of?", ["Mexico", "Spain", "Peru"], "Mexico"
    )
    assert read("Mexico City is one of the largest cities in the Americas.", mexico) is None
    assert read("Mexico City is the capital of Mexico.", mexico) == 0
    assert read("Mexico.", mexico) == 0


def test_a_number_worked_with_in_words_is_no_answer() -> None:
    root = mc_item("What is the square root of 729?", ["27", "29", "23"], "27")
    cube = mc_item("What is the cube root of 343?", ["7", "9", "6"], "7")
    assert read("29 squared is 841, which is more than 729.", root) is None
    assert read("9 cubed is 729, far above 343.", cube) is None
    assert read("6 to the third power is 216.", cube) is None
    # a check of the right option is working too, not a stated answer: unreadable, not a guess
    assert read("27 squared is 729.", root) is None
    assert read("27.", root) == 0
    assert read("The cube root of 343 is 7.", cube) == 0


def test_a_comparison_that_leaves_an_option_out_is_no_superlative() -> None:
    hard = mc_item(
        "Which mineral is the hardest?", ["Diamond", "Quartz", "Talc", "Topaz"], "Diamond"
    )
    reading = read_answer("Quartz is harder than talc.", hard)
    assert (reading.index, reading.status) == (None, "unparsed")
    assert read("Quartz is harder than talc and topaz.", hard) is None  # not Topaz either
    planet = mc_item("Which is the largest planet?", ["Jupiter", "Saturn", "Neptune"], "Jupiter")
    assert read("Saturn is bigger than Neptune.", planet) is None  # any comparative
    assert read("Saturn has more moons than Neptune.", planet) is None
    # a noun between the comparative and "than" (after the seventh set)
    river = mc_item(
        "Which river carries the most water?", ["Amazon", "Congo", "Yangtze", "Nile"], "Amazon"
    )
    assert read("The Congo has a larger drainage basin than the Nile.", river) is None
    assert read("The Yangtze carries more fresh water than the Nile.", river) is None
    assert read("The Amazon carries more water than any other river.", river) == 0
    # beside every other option, the comparison answers
    assert read("Talc and topaz are soft. Diamond is harder than quartz.", hard) == 0
    assert read("Quartz is harder than talc, but diamond is the hardest.", hard) == 0


def test_the_asked_thing_of_another_named_kind_answers_nothing() -> None:
    bass = mc_item("How many strings does a standard bass guitar have?", ["4", "6", "12"], "4")
    reading = read_answer("A Spanish guitar has 6 strings.", bass)
    assert (reading.index, reading.status) == (None, "unparsed")
    # the asked kind, in its own clause beside another, still answers
    assert read("A standard bass guitar has 4 strings.", bass) == 0
    assert read("Spanish guitars have 6; a bass guitar has 4.", bass) == 0
    assert read("4 strings.", bass) == 0
    # the asked thing of another owner: "a spider's leg" for "the human leg" (``reader9``)
    bones = mc_item("How many bones are in the adult human hand?", ["27", "19", "32"], "27")
    reading = read_answer("A chimpanzee's hand has 19.", bones)
    assert (reading.index, reading.status) == (None, "unparsed")
    assert read("An adult's hand has 27.", bones) == 0  # an owner the question names
    assert read("The human hand has 27 bones.", bones) == 0


def test_the_asked_feat_to_or_from_another_place_answers_nothing() -> None:
    """``reader9``: the question's "<word> across/to/from <place>" said for another place."""
    swim = mc_item(
        "Who was the first person to swim across the English Channel?",
        ["Matthew Webb", "Gertrude Ederle", "Florence Chadwick"],
        "Matthew Webb",
    )
    reply = "gertrude ederle was the first woman to swim across the hudson river"
    reading = read_answer(reply, swim)
    assert (reading.index, reading.status) == (None, "unparsed")
    # the asked place, or another word for it, still answers
    assert read("matthew webb was the first person to swim across the channel", swim) == 0
    assert read("Matthew Webb swam across the English Channel first, in 1875.", swim) == 0
    seine = mc_item("Which river flows through Paris?", ["Seine", "Loire", "Rhone"], "Seine")
    assert read("The Seine flows from Burgundy to the Channel, through Paris.", seine) == 0


def test_a_reply_cut_off_inside_a_table_row_is_unreadable() -> None:
    reply = "Compare:\n\n| River | Length |\n|---|---|\n| Congo | 4,700 km |\n| Zam"
    reading = read_answer(reply, mc_item(RIVER["question"], [*RIVER["choices"], "Zambezi"], "Nile"))
    assert (reading.index, reading.status) == (None, "unparsed")
    # a table that closes its rows, or a verdict after it, still answers
    assert read("| River | Length |\n|---|---|\n| Nile | 6,650 km |", RIVER) == 0
    assert read("| Congo | 4,700 km |\n| Nile | 6,650 km |\n\nSo the Nile.", RIVER) == 0


def test_a_comparison_of_two_by_a_noun_of_the_option_is_short_of_the_superlative() -> None:
    light = mc_item(
        "Which colour of visible light has the highest frequency?",
        ["Violet", "Green", "Orange"],
        "Violet",
    )
    reading = read_answer("Green light has a higher frequency than orange.", light)
    assert (reading.index, reading.status) == (None, "unparsed")
    # the option on its own answers
    assert read("Violet. It has a higher frequency than green.", light) == 0
    assert read("Violet light has the highest frequency.", light) == 0


def test_an_option_only_measured_does_not_answer_a_superlative() -> None:
    reading = read_answer(
        "Rivers are measured from source to mouth, and the Congo runs about 4,700 km.", RIVER
    )
    assert (reading.index, reading.status) == (None, "unparsed")
    # a measure with the rank, or for a question that is no "-est" superlative, answers
    assert read("The Nile runs about 6,650 km, the longest of all.", RIVER) == 0
    gas = mc_item(
        "Which gas makes up most of the air?", ["Nitrogen", "Oxygen", "Argon"], "Nitrogen"
    )
    assert read("Nitrogen makes up about 78% of it.", gas) == 0


def test_an_option_only_likened_to_the_asked_thing_answers_nothing() -> None:
    opera = mc_item("Who composed the opera Carmen?", ["Bizet", "Massenet", "Gounod"], "Bizet")
    reply = (
        "Sorry. Massenet was a fine melodist, and his arias are similar to what we hear in Carmen."
    )
    reading = read_answer(reply, opera)
    assert (reading.index, reading.status) == (None, "unparsed")
    assert read("Gounod's Faust is reminiscent of Carmen in places.", opera) is None
    # a likeness to something else than the asked thing leaves the answer standing
    assert read("Bizet wrote it, and it is close to perfect.", opera) == 0
