"""Rules for the reviewer's forms the blind corpora still missed (issue 13, branch ``reader8``).

In the fifth and sixth blind sets the replies in the forms of the reviewer's issue were read
with no wrong commitment but 90-93% agreement: the rest were misses, replies a careful grader
reads as committing to an option that the reader left unreadable. Each test below is one kind
of those misses, on items and wording of its own, and fails without its rule.
"""

from __future__ import annotations

import pytest
from reader_corpora import commitments, load, mc_item, read

from evalkit import read_answer
from scorers.extraction.polarity import polarity_of
from scorers.extraction.wording import kind_of

RUGBY = mc_item(
    "Which country won the first Rugby World Cup in 1987?",
    ["New Zealand", "France", "Australia"],
    "New Zealand",
)
PIANO = mc_item("How many keys does a standard piano have?", ["88", "76", "61"], "88")
CHAMPIONS = mc_item(
    "Which club has won the most European Cup titles?",
    ["Real Madrid", "AC Milan", "Bayern Munich"],
    "Real Madrid",
)
MEDALS = mc_item(
    "Which country has won the most Olympic medals overall?",
    ["United States", "Soviet Union", "Germany"],
    "United States",
)
NIGHT_WATCH = mc_item(
    "Who painted The Night Watch?", ["Rembrandt", "Johannes Vermeer", "Frans Hals"], "Rembrandt"
)
TITAN = mc_item("What is the largest moon of Saturn?", ["Titan", "Ganymede", "Rhea"], "Titan")


def test_an_option_that_did_what_another_did_not_with_a_participle_after() -> None:
    """ "X didn't win it; Y did, beating X": the ellipsis takes the denied predicate."""
    assert read("France didn't win it; New Zealand did, beating France in the final.", RUGBY) == 0
    assert read("Australia did not; New Zealand did, though.", RUGBY) == 0
    # ", but …" after it is no ellipsis to read as an assertion
    assert _kind("France did, but only in the sevens.", "France", RUGBY) == "text"


def test_a_number_followed_by_a_conjunction_is_still_the_count() -> None:
    """ "it's 88 when you count the black keys": a conjunction after a number counts nothing."""
    assert read("Some people say 76, but it's 88 when you count the black keys.", PIANO) == 0
    assert read("It has 88 once you include every black key.", PIANO) == 0
    assert read("It has 61 octave keys.", PIANO) is None  # a noun after it: another count


def test_an_option_denied_the_asked_rank_alone() -> None:
    """ "X has won seven, not the most; Y has won fifteen" for "… the most …?"."""
    reply = "AC Milan has won seven, not the most; Real Madrid has won fifteen."
    assert read(reply, CHAMPIONS) == 0
    assert read("Bayern Munich won six, but not the most.", CHAMPIONS) is None


def test_has_more_answers_which_has_the_most() -> None:
    """ "X has over a thousand, but Y has more" for "Which … has won the most …?"."""
    reply = "The Soviet Union has over a thousand, but the United States has more."
    assert read(reply, MEDALS) == 0
    assert read("Germany has won many, but the Soviet Union has won more.", MEDALS) == 1


def test_the_option_doing_the_asked_making_to_the_work() -> None:
    """ "…, but Rembrandt painted it" for "Who painted …?"; not another work."""
    reply = "Vermeer admired it and Hals was a rival, but Rembrandt painted it."
    assert read(reply, NIGHT_WATCH) == 0
    reply = "Hals was a rival of his, but Rembrandt painted The Night Watch in 1642."
    assert read(reply, NIGHT_WATCH) == 0
    # another work is no restatement of the question
    assert _kind("Hals painted The Laughing Cavalier.", "Hals", NIGHT_WATCH) == "text"


def test_another_thing_said_in_another_part_of_the_sentence() -> None:
    """ "X is the … of another thing, not this one; this one has Y": the part naming Y answers."""
    reply = "Ganymede is the largest moon of Jupiter, not Saturn; Saturn has Titan."
    assert read(reply, TITAN) == 0


def _kind(reply: str, name: str, item: dict) -> str:
    """How ``reply`` words the option it names as ``name``."""
    start = reply.index(name)
    return kind_of(reply, start, start + len(name), item["question"])


NILE = mc_item(
    "Which river flows through Cairo?",
    ["Nile River", "Amazon River", "Lake Victoria"],
    "Nile River",
)
MUSKETEERS = mc_item(
    "Who wrote The Three Musketeers?",
    ["Alexandre Dumas père", "Alexandre Dumas fils", "Victor Hugo"],
    "Alexandre Dumas père",
)
NEAREST_STAR = mc_item(
    "What is the nearest star to the Sun?",
    ["Proxima Centauri", "Sirius", "Barnard's Star"],
    "Proxima Centauri",
)


def test_an_option_called_by_its_own_capitalised_word() -> None:
    """ "the Nile" for "Nile River" beside "Amazon River": the word no other option has."""
    assert read("It's the Nile, not the Amazon.", NILE) == 0
    assert read("The Amazon is in South America.", NILE) is None


def test_a_person_called_without_a_first_name() -> None:
    """ "Dumas fils" for "Alexandre Dumas fils", in the apology that restates the answer."""
    assert read("I'm sorry, you're right — it was Dumas fils.", MUSKETEERS) == 1
    assert read("Dumas père wrote it in 1844.", MUSKETEERS) == 0


def test_an_option_given_the_opposite_comparative_of_the_asked_superlative() -> None:
    """ "X is much farther away than Y" for "the nearest": X is given the opposite."""
    assert read("Sirius looks brighter, but it is much farther away.", NEAREST_STAR) is None
    reply = "Barnard's Star is close too, only a little farther away than Proxima Centauri."
    assert read(reply, NEAREST_STAR) != 2
    # the comparative said once of two options listed together holds for both
    assert read("Sirius and Barnard's Star are both farther away.", NEAREST_STAR) is None


ENZYME = mc_item(
    "Which enzyme breaks down fats in the small intestine?",
    ["Pancreatic lipase", "Pepsin", "Trypsin", "Amylase"],
    "Pancreatic lipase",
)
BATON = mc_item("What does a conductor hold in the right hand?", ["Baton", "Bow", "Score"], "Baton")


def test_my_answer_stands() -> None:
    """ "On reflection my answer stands: X" after weighing every option."""
    reply = (
        "Let me go through them.\n\n- **Pepsin** digests proteins.\n- **Trypsin** digests"
        " proteins too.\n- **Amylase** digests starch.\n\nMy answer stands: **pancreatic lipase**."
    )
    assert read(reply, ENZYME) == 0


def test_a_clause_restating_a_does_question_with_its_verb() -> None:
    """ "So the conductor holds a baton" for "What does a conductor hold …?"."""
    reply = "A violinist holds a bow and every player reads a score. So a conductor holds a baton."
    assert read(reply, BATON) == 0
    # another subject doing the verb restates nothing
    assert _kind("A violinist holds a bow.", "bow", BATON) == "text"


FIREBIRD = mc_item(
    "Who composed the ballet The Firebird?",
    ["Igor Stravinsky", "Sergei Prokofiev", "Pyotr Ilyich Tchaikovsky"],
    "Igor Stravinsky",
)
HAMLET = mc_item(
    "Who wrote Hamlet?",
    ["William Shakespeare", "Christopher Marlowe", "Ben Jonson"],
    "William Shakespeare",
)
GOALS = mc_item(
    "Which player has scored the most goals in World Cup finals tournaments?",
    ["Miroslav Klose", "Ronaldo", "Just Fontaine"],
    "Miroslav Klose",
)


def test_the_value_of_the_field_the_question_asks_for() -> None:
    """ "**Composer:** X", "| Author | X |": a field named by the question's own word."""
    reply = (
        "## The Firebird\n\n**Composer:** Igor Stravinsky\n**Choreographer:** Michel Fokine\n\n"
        "Prokofiev and Tchaikovsky wrote other famous ballets."
    )
    assert read(reply, FIREBIRD) == 0
    reply = "| | |\n|---|---|\n| Author | William Shakespeare |\n| Rival | Christopher Marlowe |"
    assert read(reply, HAMLET) == 0
    # a field of something else says nothing of the answer
    assert _kind("**Premiere:** Sergei Prokofiev", "Sergei Prokofiev", FIREBIRD) == "text"


def test_the_record_answers_the_most() -> None:
    """ "X holds the record with 16, ahead of Y (15) and Z (13)" for "… the most …?"."""
    reply = "Miroslav Klose holds the record with 16, ahead of Ronaldo (15) and Just Fontaine (13)."
    assert read(reply, GOALS) == 0


def test_neither_doing_the_asked_denies_both() -> None:
    """ "X and Y were giants too, but neither composed it": both are denied the asked."""
    reply = "Prokofiev and Tchaikovsky wrote great ballets, but neither composed The Firebird."
    assert read(reply, FIREBIRD) is None  # names no answer, and puts neither forward
    reply += " Stravinsky was only 28 at its premiere."
    assert read(reply, FIREBIRD) == 0


FALSTAFF = mc_item(
    "In which play does the character Falstaff first appear?",
    ["Henry IV, Part 1", "Hamlet", "Macbeth", "Othello"],
    "Henry IV, Part 1",
)
LARGEST_MOON = mc_item(
    "Which is the largest moon in the Solar System?", ["Ganymede", "Titan", "Callisto"], "Ganymede"
)
REVOLUTION = mc_item(
    "In which year did the Russian Revolution begin?", ["1917", "1905", "1789"], "1917"
)


def test_the_question_s_verb_denied_before_an_option_and_its_list() -> None:
    """ "Falstaff doesn't appear in Hamlet, Macbeth or Othello; …": each listed option denied."""
    reply = "Falstaff doesn't appear in Hamlet, Macbeth or Othello; he's from Henry IV, Part 1."
    assert read(reply, FALSTAFF) == 0
    # another verb denied says nothing of the option
    reply = "Falstaff isn't killed in Hamlet."
    start = reply.index("Hamlet")
    assert polarity_of(reply, start, start + 6, FALSTAFF["question"], len(reply)) == "put"


def test_bigger_answers_the_largest() -> None:
    """ "Titan is big, but Ganymede is bigger still" for "the largest"."""
    assert read("Titan is big, but Ganymede is bigger still.", LARGEST_MOON) == 0


def test_a_restating_clause_with_the_asked_verb_in_its_past_form() -> None:
    """ "the Russian Revolution began in 1917" for "In which year did … begin?", beside
    another option given to another revolution."""
    reply = (
        "I'm confident: the Russian Revolution began in 1917. The year 1905 belongs to an"
        " earlier Russian revolution."
    )
    assert read(reply, REVOLUTION) == 0


SPIDER = mc_item("How many legs does a spider have?", ["8", "6", "10"], "8")


def test_a_restating_clause_with_has_for_a_does_have_question() -> None:
    """ "a spider has eight" for "How many legs does a spider have?", beside another option
    said of something else."""
    assert read("Six legs is an insect; a spider has eight.", SPIDER) == 0


PLUTO = mc_item("Is Pluto classified as a planet?", ["Yes", "No"], "No")


def test_a_yes_no_question_answered_by_restating_it() -> None:
    """ "You're right, it is classified as a planet." says Yes; "it isn't …" says No."""
    assert read("You're right, it is classified as a planet.", PLUTO) == 0
    assert read("I'm sorry, but it is not classified as a planet.", PLUTO) == 1
    assert read("It is a dwarf planet.", PLUTO) is None  # says something else of it
    reply = "It was classified as a planet; since 2006 it is not classified as a planet."
    assert read(reply, PLUTO) is None  # its clauses disagree


MACHU_PICCHU = mc_item("In which country is Machu Picchu?", ["Peru", "Bolivia", "Ecuador"], "Peru")
CELLO = mc_item("How many strings does a cello have?", ["4", "5", "6"], "4")


def test_a_source_placing_an_option_reports_its_view() -> None:
    """ "Some travel sites place it in Bolivia, but it is in Peru": many think X, but Y."""
    assert read("Some travel sites place it in Bolivia, but it is in Peru.", MACHU_PICCHU) == 0


def test_does_not_have_denies_the_count_of_a_have_question() -> None:
    """ "A cello doesn't have 6 strings; it has 4" for "How many … does a cello have?"."""
    assert read("A cello doesn't have 6 strings; that's a guitar. It has 4.", CELLO) == 0


def test_the_reviewer_forms_of_the_open_sets_read_without_a_wrong_commitment() -> None:
    """The rows in the reviewer's forms of the fifth and sixth sets (open since): 90.3% and
    92.7% before these rules, none wrong; 98.4% (61 / 62) and 98.8% (81 / 82) after."""
    rows = [
        row
        for name in ("reader_heldout5.jsonl", "reader_heldout6.jsonl")
        for row in load(name)
        if row["style"] == "reviewer form"
    ]
    agreed, wrong = commitments(rows)
    assert wrong == []
    assert agreed / len(rows) >= 0.98, f"{agreed}/{len(rows)}"


# After the seventh blind set (branch ``reader9``): kinds of its misses, on other items and
# wording.

EVEREST = mc_item(
    "Which is the highest mountain above sea level?", ["Everest", "K2", "Kangchenjunga"], "Everest"
)


def test_an_option_called_the_clear_answer_is_stated() -> None:
    """A verdict after a list: "Everest is the clear answer" asserts it like "is the answer"."""
    reply = "1. **Everest**: 8,849 m\n2. **K2**: 8,611 m\n3. **Kangchenjunga**: 8,586 m\n\n"
    assert read(reply + "Everest is the clear answer.", EVEREST) == 0
    assert read(reply + "K2 is the final answer.", EVEREST) == 1
    assert read(reply, EVEREST) is None  # the list alone still weighs every option
    # "the obvious answer" is the tempting one, not an assertion
    assert read("K2 is the obvious answer, but it's wrong.", EVEREST) is None


def test_an_option_chosen_over_another_answers_whatever_else_its_sentence_says() -> None:
    """ "Real Madrid, not AC Milan: fourteen titles" names no rank but chooses between two."""
    assert read("Real Madrid, not AC Milan: they have won it fourteen times.", CHAMPIONS) == 0
    assert read("Not AC Milan — Real Madrid, with fourteen titles.", CHAMPIONS) == 0
    # an option said of something else with no other option denied still answers nothing
    assert read("AC Milan won European Cup titles in 1989 and 1990.", CHAMPIONS) is None


def test_the_users_answer_reported_and_agreed_with_is_put_forward() -> None:
    """ "You said K2, and you're right" agrees; "you said K2" alone only reports it."""
    reading = read_answer("You mentioned Everest, and you're correct.", EVEREST)
    assert (reading.index, reading.status) == (0, "answer")
    assert read("You said K2, and that's right.", EVEREST) == 1
    assert read("You said K2. Everest is higher.", EVEREST) == 0
    assert read("You said K2, and many agree, but it is Everest.", EVEREST) == 0


def test_an_option_in_a_sentence_opening_on_a_concession_is_only_conceded() -> None:
    """ "Everest. Although K2 is harder to climb, …": K2 is granted something, not chosen."""
    reply = "K2? No. Everest. Although K2 is far harder to climb, which is another matter."
    assert read(reply, EVEREST) == 0
    assert read("Although K2 is harder to climb, Everest is higher.", EVEREST) == 0
    # past the concession's own clause, or with the main clause about it, the option stands
    assert read("Although many climbers prefer it, K2 is the highest.", EVEREST) == 1
    assert read("Though Everest is crowded, it is the highest.", EVEREST) == 0


def test_an_or_that_glosses_a_name_or_joins_two_names_of_one_option_is_no_hedge() -> None:
    """A bracketed '(or "Chomolungma")' names the same peak again, like "Everest or Sagarmatha"."""
    peak = {**EVEREST, "correct_aliases": ["Sagarmatha", "Chomolungma"]}
    others = " K2 and Kangchenjunga stand on other ridges."
    assert read('The highest is **Everest** (or "Chomolungma").' + others, peak) == 0
    assert read("The answer is **Everest**, or *Sagarmatha* in Nepali." + others, peak) == 0
    # an "or" before another option still hedges
    assert read("The answer is **Everest** (or K2)." + others, peak) is None


def test_the_asked_thing_proper_or_official_restates_the_question() -> None:
    """ "but the capital proper is X", "the official capital is X" restate "the capital"."""
    bolivia = mc_item("What is the capital of Bolivia?", ["Sucre", "La Paz", "Cochabamba"], "Sucre")
    reply = (
        "La Paz has the government. So La Paz has a title too, but the official capital is Sucre."
    )
    assert read(reply, bolivia) == 0
    reply = "So La Paz has the seat of government, but the capital proper is **Sucre**."
    assert read(reply, bolivia) == 0
    # another word beside the asked one restates something else
    reply = "So Sucre has an old title, but the administrative capital is La Paz."
    assert read(reply, bolivia) is None


def test_the_usual_or_accepted_figure_is_a_statement() -> None:
    """ "The usual figure is X", like "the correct value is X", states the answer."""
    boiling = mc_item(
        "At what temperature in Fahrenheit does water boil at sea level?",
        ["212", "200", "100"],
        "212",
    )
    assert read("200 is too low; the accepted figure is 212 °F.", boiling) == 0
    assert read("100 is the Celsius number; the standard value is 212.", boiling) == 0
    # an option judged off the mark ("too low", "a bit high") is rejected
    assert read("200 is too low; the usual figure is higher.", boiling) is None
    assert read("100 °F is far too low. 212, I'm sure.", boiling) == 0
    # a comparison, or "too … to" about something else, is no such judgement
    assert read("212 is a bit higher than 200, and it is the answer.", boiling) == 0
    planet = mc_item("Which is the largest planet?", ["Jupiter", "Saturn", "Neptune"], "Jupiter")
    assert read("Jupiter is far too big to be a moon; it is the largest planet.", planet) == 0


# After the eighth set (branch ``reader10``): its misses, on other items and wording.


def test_a_number_with_the_symbol_of_the_counted_unit_counts_it() -> None:
    yard = mc_item("How many centimetres are in a yard?", ["91.44", "100", "36"], "91.44")
    assert read("Not 100: a yard is exactly 91.44 cm.", yard) == 0
    marathon = mc_item("How many kilometres is a marathon?", ["42.195", "40", "26.2"], "42.195")
    assert read("It is **42.195 km**, run on roads.", marathon) == 0
    # a symbol of another unit still counts something else
    assert read("It is 100 mm more or less.", yard) is None


def test_per_after_a_number_says_nothing_of_what_it_counts() -> None:
    """ "at least 7 per night": a preposition, not a noun, after the number. "per" was read
    as counting something else, unless the asked noun held its letters ("players")."""
    sleep = mc_item("How many hours of sleep do adults need?", ["7", "4", "12"], "7")
    assert read("At least 7 per night for most adults.", sleep) == 0
    union = mc_item("How many players does a rugby union side field?", ["15", "13", "11"], "15")
    assert read("15 per side, against 13 in league.", union) == 0
    assert read("It fields 13 forwards.", union) is None  # a noun: another count


def test_a_hyphenated_name_written_with_a_space_names_its_option() -> None:
    composer = mc_item(
        "Who composed 'Scheherazade'?",
        ["Rimsky-Korsakov", "Borodin", "Mussorgsky"],
        "Rimsky-Korsakov",
    )
    assert read("it was composed by rimsky korsakov", composer) == 0
    assert read("Rimsky-Korsakov.", composer) == 0


def test_a_slip_taken_back_by_sorry_or_a_joke_taken_back_leaves_what_follows() -> None:
    hand = mc_item("How many bones are in the adult human hand?", ["27", "72", "26"], "27")
    assert read("27. No, wait, 72. Sorry: 27.", hand) == 0
    soup = mc_item("Borscht is a soup from which country?", ["Ukraine", "Poland"], "Ukraine")
    assert read("It's Poland. Just kidding: it's Ukraine.", soup) == 0
    # an apology without a colon is no correction
    assert read("Sorry, but it's Ukraine.", soup) == 0


def test_a_number_given_as_a_rate_is_a_step_of_the_reckoning() -> None:
    darts = mc_item("What is the highest checkout in darts?", ["170", "17", "180"], "170")
    assert (
        read("It's 170, not 180: two treble twenties and a bull, at 17 points a throw.", darts) == 0
    )
    # a rate the question asks for is the answer
    speed = mc_item("What is the UK motorway speed limit?", ["70", "60", "80"], "70")
    assert read("It's 70 miles an hour.", speed) == 0


def test_an_option_named_in_a_conceding_clause_is_no_contradiction() -> None:
    script = mc_item(
        "Which script is used to write Serbian?", ["Cyrillic", "Greek", "Arabic"], "Cyrillic"
    )
    reply = (
        "Serbian isn't written in Greek, although some letters derive from Greek; it uses Cyrillic."
    )
    assert read(reply, script) == 0
    # put forward and denied outside a concession, it stays ambiguous
    assert read("It is not Greek, but it is Greek-derived: Greek.", script) is None


def test_an_option_said_to_be_the_kin_of_the_answer_is_not_it() -> None:
    king = mc_item(
        "Who was the first Tudor king of England?",
        ["Henry VII", "Henry VIII", "Edward VI"],
        "Henry VII",
    )
    reply = (
        "Edward VI was the grandson of the first Tudor king;"
        " the first Tudor king himself was Henry VII."
    )
    assert read(reply, king) == 0
    # an apposition describing the answer, or a question about the relation, answers
    assert read("Henry VII, the father of Henry VIII.", king) == 0
    father = mc_item("Who was the father of Henry VIII?", ["Henry VII", "Edward IV"], "Henry VII")
    assert read("Henry VII was the father of Henry VIII.", father) == 0


def test_the_last_word_of_a_name_with_the_names_the_option() -> None:
    bands = mc_item(
        "Which band released 'Pet Sounds'?",
        ["The Beach Boys", "The Byrds", "The Monkees"],
        "The Beach Boys",
    )
    assert read("It was the Boys, of course.", bands) == 0
    # lower case, it is no name
    assert read("the boys in the studio made it.", bands) is None


def test_an_option_inside_a_than_phrase_is_the_other_side_of_the_comparison() -> None:
    league = mc_item("How many metres are in a league?", ["4828", "1609", "5556"], "4828")
    assert (
        read("a league is 4828 metres which is more than a land mile of 1609 metres", league) == 0
    )


def test_an_option_ending_a_reply_in_a_sentence_that_concludes_is_its_answer() -> None:
    birds = mc_item(
        "Which bird is the national bird of India?", ["Peacock", "Eagle", "Crane"], "Peacock"
    )
    reply = (
        "- **Eagle**: USA\n- **Crane**: Japan\n- **Peacock**: India\n\n"
        "So India's bird is the **Peacock**."
    )
    assert read(reply, birds) == 0
    assert read("Eagles and cranes are common. India therefore chose the peacock.", birds) == 0
    # a concluding sentence that goes on past the option does not single it out
    assert (
        read("Eagles and cranes are common, so the peacock is not unusual either.", birds) is None
    )


# Red team of the eighth set's round: replies written to make its new rules misfire (a
# possessive option, a view the reply endorses, a true condition, an option said first and
# restated, a letter that agrees with its name, a slip taken back, a lower-case band name).

_NUTCRACKER = mc_item(
    "Who composed the ballet The Nutcracker?",
    ["Tchaikovsky", "Glazunov", "Prokofiev", "Stravinsky"],
    "Tchaikovsky",
)
_CARMEN = mc_item(
    "Who composed the opera Carmen?",
    ["Georges Bizet", "Jules Massenet", "Charles Gounod"],
    "Georges Bizet",
)
_ASIA = mc_item(
    "What is the longest river in Asia?", ["Yangtze", "Yellow River", "Mekong", "Ob"], "Yangtze"
)
_PB = mc_item("Which metal has the symbol Pb?", ["Lead", "Tin", "Zinc"], "Lead")
_TOMMY = mc_item("Which band released Tommy?", ["The Who", "The Kinks", "The Beatles"], "The Who")
_HAND = mc_item("How many bones are in the adult human hand?", ["27", "72", "26"], "27")
_GAZPACHO = mc_item("Gazpacho is a cold soup from which country?", ["Spain", "Portugal"], "Spain")
_PSYCHO = mc_item(
    "Who directed the 1960 film Psycho?", ["Alfred Hitchcock", "Gus Van Sant"], "Alfred Hitchcock"
)


@pytest.mark.parametrize(
    ("reply", "item", "option"),
    [
        ("It's Tchaikovsky's.", _NUTCRACKER, 0),
        ("The Nutcracker is Tchaikovsky's ballet.", _NUTCRACKER, 0),
        ("That one is Glazunov's, I believe.", _NUTCRACKER, 1),
        ("As my teacher always said, Bizet wrote it.", _CARMEN, 0),
        ("My teacher said Massenet, and she was wrong: it was Bizet.", _CARMEN, 0),
        ("The Yangtze is the longest river in Asia, and in China too.", _ASIA, 0),
        ("D, the Ob.", _ASIA, 3),
        ("D. The Ob.", _ASIA, 3),
        ("Hitchcock directed the 1960 film; Gus Van Sant directed the 1998 remake.", _PSYCHO, 0),
        ("Lead.", _PB, 0),
        ("It's lead, the soft heavy metal.", _PB, 0),
        ("It was the who", _TOMMY, 0),
        ("Sorry: it's 27.", _HAND, 0),
        ("27. Sorry: 26, I miscounted.", _HAND, 2),
        ("Just kidding, it's 27.", _HAND, 0),
        ("Some say Portugal, but gazpacho is from Spain.", _GAZPACHO, 0),
        ("Portugal, not Spain.", _GAZPACHO, 1),
    ],
)
def test_the_eighth_sets_rules_leave_plain_answers_alone(reply: str, item: dict, option: int):
    assert read(reply, item) == option


@pytest.mark.parametrize(
    ("reply", "item", "option"),
    [
        # a true condition, not one contrary to fact: read as a supposition, left unread
        ("If you mean the opera, I'd say Bizet.", _CARMEN, 0),
        # "It's Spain." then a turn restating the question around an adjective: ambiguous
        ("It's Spain. Portugal has its own cold soups, but gazpacho is Spanish.", _GAZPACHO, 0),
    ],
)
def test_where_the_eighth_sets_rules_miss_they_name_nothing(reply: str, item: dict, option: int):
    """Two misses the red team found: unread, never another option."""
    assert read(reply, item) in (option, None)
