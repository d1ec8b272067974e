"""Stop 37's round on the twenty-fifth blind set and the tenth SmolLM2 set, opened once set 26
was written: what the reply says beside its answer (an "or" between two other options, a title
the question quotes, options given as examples) and what it says against any answer (one
option said to be another, "that isn't what you asked", "maybe you're right … I don't know",
"X is where people think"). Then a round on set 26, opened once set 27 was written: a step
of the working that the reply carries on from, another dimension than the asked one, a
list "and others", answers in branches, "one of the two", "I can't
remember". A third round on set 27 and SmolLM2 set 11, opened once set 28 was being
written: another name of an option inside a name the question capitalises, a correction to
"the holiday of X", a factorial's "!", a rejected option explained after its denial, list
lines ending "yes"/"no", "right there", a closing "So the answer is". Items and wording here
are the tests' own; each test fails without its rule.
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


FACTORIAL = mc_item("What is 1 × 2 × 3 × 4 × 5?", ["24", "120", "60"], "120")
COURT = mc_item(
    "How long is a tennis court?", ["23.77 metres", "10.97 metres", "30 metres"], "23.77 metres"
)
TELEPHONE = mc_item(
    "Who is credited with patenting the telephone in 1876?",
    ["Alexander Graham Bell", "Elisha Gray", "Thomas Edison"],
    "Alexander Graham Bell",
)
TERSE = mc_item(
    "Which word is closest in meaning to 'terse'?", ["brief", "wordy", "angry"], "brief"
)


def test_a_step_the_working_carries_on_from_is_not_its_result() -> None:
    """ "× 4 = 24; × 5 = 120": 24 is a step; "= 24, 24 ×" cut off has no result yet."""
    assert read("1 × 2 = 2; × 3 = 6; × 4 = 24; × 5 = 120. So it is **120**.", FACTORIAL) == 1
    assert read("1 × 2 = 2, 2 × 3 = 6, 6 × 4 = 24, 24 ×", FACTORIAL) is None
    assert read("1 × 2 × 3 × 4 = 24.", FACTORIAL) == 0  # a result nothing carries on from


def test_another_dimension_than_the_asked_one_is_no_answer() -> None:
    """ "10.97 metres wide" or "its width is 10.97 metres" for "How long …?"."""
    assert read("A tennis court is 23.77 metres long and 10.97 metres wide.", COURT) == 0
    assert read("Its width is 10.97 metres.", COURT) is None
    assert read("It is 10.97 metres long.", COURT) == 1


def test_options_listed_with_others_are_examples() -> None:
    """ "Gray, Bell and others all worked on it" gives no one answer; one option "among
    others" is an aside."""
    assert read("Gray, Bell and others all worked on telephones at the time.", TELEPHONE) is None
    assert read("Bell, among others, worked on it; he patented it in 1876.", TELEPHONE) == 0
    assert read("Bell patented it in 1876; Gray, Edison and others filed later.", TELEPHONE) == 0


def test_answers_in_branches_commit_to_no_branch() -> None:
    """Two conditions, each with its own option: neither branch is the answer."""
    assert read("If you mean singles, 23.77 metres; if doubles, 30 metres.", COURT) is None
    assert read("If measured along the sideline, it's 23.77 metres.", COURT) == 0


def test_a_choice_left_between_two_or_not_remembered_decides_nothing() -> None:
    """ "…, honestly, one of the two." and "… I can't remember." at the end of a sentence."""
    assert read("Bell. Well — Gray. No, Bell… honestly, one of the two.", TELEPHONE) is None
    assert (
        read("Not Edison. Whether Bell or Gray got it first, I can't remember.", TELEPHONE) is None
    )
    assert read("Bell, one of the two inventors racing that year.", TELEPHONE) == 0


MONTH = mc_item("Which month comes right after March?", ["May", "April", "June"], "April")


def test_a_modal_verb_names_no_month() -> None:
    """ "I may have been mistaken" names no "May" (the battery's one miss on a new item)."""
    assert read("Apologies, I may have been mistaken.", MONTH) is None
    assert read("May comes after April, not after March.", MONTH) != 1


def test_the_new_rules_keep_to_their_own_stretch() -> None:
    """Narrowed on the reviewer's false-alarm set 11: each rule keeps to what it is about."""
    assert (
        read(
            "Paris hosted them, and London was the favourite, but that isn't what you asked.", PARIS
        )
        == 1
    )
    assert read("New Zealand. How far kiwis can walk, I don't know.", KIWI) == 1
    assert (
        read("Bell patented it. Whether Gray or Edison came second, I can't remember.", TELEPHONE)
        == 0
    )
    assert read("Whether it was Bell or Gray, I can't remember.", TELEPHONE) is None
    assert (
        read(
            "It is New Zealand. Perhaps you're right that Australia grows kiwi fruit, but the bird "
            "is from New Zealand.",
            KIWI,
        )
        == 1
    )
    assert read("New Zealand is what people think, and they're right.", KIWI) == 1


PORT = mc_item(
    "Which side of a ship is 'starboard' when you face the bow?", ["Left", "Right"], "Right"
)
VARICELLA = mc_item(
    "Varicella is the medical name for which disease?",
    ["Measles", "Shingles", "Chickenpox"],
    "Chickenpox",
)


def test_an_option_shaped_like_a_common_word_is_read_as_written() -> None:
    """Found by the battery on this stop's new items: "the answer is Right" names the option
    "Right" (a lower-case "is right" stays a verdict), and "no single answer" is no slip of
    "Shingles"."""
    assert read("You're right — the answer is Right.", PORT) == 1
    assert read("Many people think it is Left, but it is Right.", PORT) == 1
    assert read("Starboard is right.", PORT) is None  # a verdict on the user, or the side?
    assert read("There is no single correct answer among these.", VARICELLA) is None


CARTOON = {
    **mc_item(
        "What kind of animal is the cartoon character Bugs Bunny?",
        ["Squirrel", "Duck", "Rabbit"],
        "Rabbit",
    ),
    "correct_aliases": ["bunny"],
}
HOLIDAY = mc_item(
    "Which holiday is celebrated by hunting for chocolate eggs?",
    ["Halloween", "Easter", "Christmas"],
    "Easter",
)
FACTORIAL_ZERO = mc_item("What is 0! (zero factorial)?", ["0", "1", "Undefined"], "1")
LOUVRE = mc_item("In which city is the Louvre Museum?", ["Lyon", "Nice", "Paris"], "Paris")
DONALD = mc_item("What kind of animal is Donald?", ["Goose", "Duck", "Swan"], "Duck")
SPORT = mc_item(
    "In tennis, what is a serve that the receiver fails to touch called?",
    ["Ace", "Let", "Fault"],
    "Ace",
)


def test_another_name_of_an_option_inside_a_name_the_question_writes_is_no_answer() -> None:
    """The question's own capitalised name repeated ("Bugs Bunny") names no rabbit, though
    "bunny" is another name of it; the option's own name inside stays ("Kansas City,
    Kansas" is read as before)."""
    reply = "Bugs Bunny is a cartoon character made by Huggo Bugs Bunny, a British cartoon"
    assert read(reply + " character who was made by", CARTOON) is None


def test_a_correction_to_something_that_is_no_option_decides_nothing() -> None:
    """ "…, but in reality, it's actually the holiday of Hanukkah" corrects to no option."""
    reply = "The holiday of Easter is linked with eggs, but in reality, it's actually the holiday"
    assert read(reply + " of Hanukkah, which", HOLIDAY) is None


def test_a_factorial_sign_is_no_pause_after_an_opening_answer() -> None:
    """ "0! is 1, not 0" opens on the question's notation, not on the option "0"."""
    assert read("0! is 1, not 0.", FACTORIAL_ZERO) == 1


def test_a_rejected_option_explained_after_its_denial_is_no_second_answer() -> None:
    """ "in Paris, not Lyon — Lyon is where …" rejects Lyon and says what it is."""
    reply = "The Louvre is in Paris, not Lyon — Lyon is where you'll find the Lumière Museum."
    assert read(reply, LOUVRE) == 2


def test_list_lines_ending_yes_or_no_mark_the_options() -> None:
    assert read("- Goose: no\n- Duck: yes\n- Swan: no", DONALD) == 1


def test_right_there_is_no_verdict_and_a_closing_answer_decides() -> None:
    """ "the let is right there in the rules" asserts nothing; a closing "So the answer is
    X." after an explanation decides."""
    reply = "A let is right there in the rules, but it is only replayed. A fault is a missed"
    assert read(reply + " serve. So the answer is ace.", SPORT) == 0


def test_an_or_away_from_every_option_does_not_hedge_the_answering_sentence() -> None:
    """ "A let calls for a replay or a retake; an untouched serve is an ace." """
    assert read("A let calls for a replay or a retake; an untouched serve is an ace.", SPORT) == 0


TRIATHLON = mc_item(
    "Which sports make up a standard triathlon?",
    ["swimming, cycling and running", "swimming, rowing and running", "cycling and shooting"],
    "swimming, cycling and running",
)


def test_an_option_made_of_a_list_is_no_trailing_clause() -> None:
    """ "…, cycling and running or swimming, rowing and running": the "-ing" word opening a
    clause inside an option's own name is no participle trailing another answer (found by
    the battery on set 28's items)."""
    reply = (
        "I'm not sure whether it's swimming, cycling and running or swimming, rowing and running."
    )
    assert read(reply, TRIATHLON) is None
    assert read("It's swimming, cycling and running.", TRIATHLON) == 0
