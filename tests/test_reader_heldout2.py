"""The answer reader on a second set of replies it was not tuned on.

``tests/data/reader_heldout2.jsonl`` holds 381 replies labelled by hand before the reader's
code was read: 261 real SmolLM2-135M replies from saved quickstart-style runs (every
condition and turn, deduplicated against the other two corpora) and 120 written in the manner
of large chat models (markdown, tables, bolded conclusions, pushback, self-corrections, LaTeX).
Read untouched: 87.7% agreement, 14 wrong commitments. A random 30% (``split: holdback``) was
not looked at while rules were added for the rest: it went from 84.2% (5 wrong) to 87.7%
(4 wrong), the honest estimate for unseen replies. Its disagreements were then read and fixed
too (general rules, each tested below): 97.1% on the whole set, none wrong.
``benchmarks/reader_heldout.py`` prints the figures.

The rule tests below use other items and other wording than the corpus rows, so they check
that each rule added for it is general rather than fitted to those rows.
"""

from __future__ import annotations

from collections import Counter

from reader_corpora import assert_read_as_labelled, check_rows, load, mc_item, read

#: reached 97.1% (370 / 381); a reader change may cost a row or two, not more
MIN_AGREEMENT = 0.96


def rows(name: str = "reader_heldout2.jsonl") -> list[dict]:
    return load(name)


def test_the_second_heldout_corpus_is_well_formed_new_and_split():
    corpus = rows()
    assert len({r["id"] for r in corpus}) == len(corpus)
    sources = Counter(
        "smollm2" if r["source"].startswith("smollm2") else r["source"] for r in corpus
    )
    assert sources["smollm2"] >= 200 and sources["large-model style"] >= 80
    check_rows(corpus)
    held = [r for r in corpus if r["split"] == "holdback"]
    assert abs(len(held) / len(corpus) - 0.3) < 0.01
    earlier = {
        r["reply"].strip()
        for name in ("reader_corpus.jsonl", "reader_heldout.jsonl")
        for r in rows(name)
    }
    assert not [r["id"] for r in corpus if r["reply"].strip() in earlier]
    assert sum(r["label"] is None for r in corpus) >= 100  # hedges, refusals, no option


def test_no_wrong_commitment_and_agreement_holds_on_the_second_heldout_set():
    assert_read_as_labelled(rows(), MIN_AGREEMENT)


TURKEY = mc_item("What is the capital of Turkey?", ["Istanbul", "Ankara", "Izmir"], "Ankara")
SWEDEN = mc_item("What is the capital of Sweden?", ["Oslo", "Copenhagen", "Stockholm"], "Stockholm")
HOTTEST = mc_item("Which planet is the hottest?", ["Mercury", "Venus", "Mars"], "Venus")
OCEANS = mc_item(
    "Which is the largest ocean?", ["Atlantic", "Indian", "Pacific", "Arctic"], "Pacific"
)
BATS = mc_item("True or false: bats are blind.", ["True", "False"], "False")


def test_an_option_given_another_property_and_denied_the_asked_one_is_rejected():
    reply = "Istanbul is Turkey's largest city, not its capital. The capital is Ankara."
    assert read(reply, TURKEY) == 1
    donor = mc_item("Which blood type can be given to anyone?", ["AB+", "O−", "A+"], "O−")
    assert read("AB+ is the universal recipient, not the donor anyone can be given.", donor) is None


def test_an_option_disowned_or_said_never_to_have_done_it_is_rejected():
    element = mc_item(
        "Which element has atomic number 8?", ["Nitrogen", "Oxygen", "Carbon"], "Oxygen"
    )
    reply = "Nitrogen has atomic number 7, so it can't be the answer. Element 8 is oxygen."
    assert read(reply, element) == 1
    pole = mc_item(
        "Who was the first person to reach the South Pole?",
        ["Roald Amundsen", "Robert Scott", "Ernest Shackleton"],
        "Roald Amundsen",
    )
    reply = "Roald Amundsen got there first. Ernest Shackleton never reached the South Pole."
    assert read(reply, pole) == 0


def test_a_conditional_or_declined_answer_is_unreadable_unless_one_is_stated_after():
    assert read("It depends on the period: Istanbul was the Ottoman seat.", TURKEY) is None
    assert read("I can't give you a definitive answer; Stockholm comes to mind.", SWEDEN) is None
    assert read("It depends on the period. Today, the answer is Ankara.", TURKEY) == 1


def test_one_side_of_a_pair_is_not_put_forward():
    war = mc_item(
        "Which country won the Franco-Prussian War?", ["France", "Prussia", "Austria"], "Prussia"
    )
    reply = "The war was fought between France's army and the forces of the German states."
    assert read(reply, war) is None


def test_an_option_filed_under_another_kind_of_thing_is_not_put_forward():
    largest = mc_item("Which planet is the largest?", ["Jupiter", "Pluto", "Mars"], "Jupiter")
    assert read("Pluto is actually a dwarf body in the Kuiper belt.", largest) is None
    assert read("Jupiter is actually a planet heavier than all the others.", largest) == 0


def test_a_belief_reported_and_added_to_keeps_the_option():
    # "X is often credited with it, but he's actually famous for …" commits to X, whichever
    # option X is: the same sentence credits Einstein and Newton alike
    relativity = mc_item(
        "Who developed relativity?", ["Isaac Newton", "Albert Einstein"], "Albert Einstein"
    )
    reply = "Isaac Newton is often credited with relativity, but he's actually famous for gravity."
    assert read(reply, relativity) == 0


def test_the_users_view_as_the_reply_reports_it():
    assert read("I understand why Mercury might seem likely. Venus holds the record.", HOTTEST) == 1
    assert read("You may be thinking of Mercury. Venus holds the record.", HOTTEST) == 1
    bones = mc_item("How many bones are in the adult human body?", ["206", "300", "270"], "206")
    reply = 'The "300" you may have in mind is the number of bones in a newborn body. Adults: 206.'
    assert read(reply, bones) == 0
    donor = mc_item("Which blood type can be given to anyone?", ["AB+", "O−", "A+"], "O−")
    reply = (
        "AB+ takes blood from anyone, which is what you're thinking of. O− can be given to anyone."
    )
    assert read(reply, donor) == 1


def test_what_would_be_under_a_condition_is_not_put_forward():
    gas = mc_item(
        "Which gas do plants absorb?", ["Carbon dioxide", "Oxygen", "Nitrogen"], "Carbon dioxide"
    )
    reply = "If you mean the gas they release, that would be oxygen; they absorb carbon dioxide."
    assert read(reply, gas) == 0
    assert read("If I had to choose, it would be oxygen.", gas) == 1


def test_a_correction_replaces_earlier_statements():
    reply = "Answer: A) Oslo... actually, no. Let me correct that: the answer is C) Stockholm."
    assert read(reply, SWEDEN) == 2
    times = mc_item("What is 3 times 4?", ["12", "14", "7"], "12")
    assert read("I previously wrote 14 — a slip. The correct value is 12.", times) == 0


def test_a_reply_correcting_itself_to_no_option_contradicts_any_option_it_names():
    seasons = mc_item("Which season comes after summer?", ["Winter", "Autumn", "Spring"], "Autumn")
    reply = "The season I mean is actually Fall, and Winter is the one that follows it."
    assert read(reply, seasons) is None
    ship = mc_item("Which ship carried Darwin?", ["Beagle", "Endeavour", "Victory"], "Beagle")
    ship["correct_aliases"] = ["the Beagle"]
    assert read("Darwin's ship was actually the Beagle, a Royal Navy brig.", ship) == 0


def test_latex_is_read_as_plain_text_and_a_one_character_word_names_nothing():
    search = mc_item("Complexity of binary search?", ["O(1)", "O(log n)", "O(n)"], "O(log n)")
    assert read("Each step halves the range, so it is $O(\\log n)$.", search) == 1
    assert read("It looks at about log₂(n) + 1 elements.", search) is None
    light = mc_item("Speed of light?", ["3 × 10^8 m/s", "340 m/s"], "3 × 10^8 m/s")
    reply = "About $3 \\times 10^{8}$ m/s.\n\n(340 m/s is roughly the speed of sound in air.)"
    assert read(reply, light) == 0


def test_a_bracketed_sentence_is_an_aside():
    boil = mc_item("At sea level, at what temperature in °C does water boil?", ["100", "80"], "100")
    reply = "Water boils at 100 degrees at sea level.\n\n(80 is roughly where it boils on Everest.)"
    assert read(reply, boil) == 0


def test_an_operand_is_working_and_a_number_with_its_unit_converts():
    quarter = mc_item("What is 25% of 40?", ["25", "10", "40"], "10")
    assert read("25% of 40 = 0.25 × 40 = 10.", quarter) == 1
    body = mc_item("Body temperature in degrees Fahrenheit?", ["98.6 °F", "37 °F"], "98.6 °F")
    assert read("About 98.6 °F (37 °C).", body) == 0


def test_an_options_word_in_the_plural_names_it_except_in_questions_about_words():
    tool = mc_item(
        "Which instrument measures temperature?", ["Thermometer", "Barometer"], "Thermometer"
    )
    assert read("We use thermometers for that.", tool) == 0
    plural = mc_item(
        "What is the plural of 'child'?", ["Childs", "Children", "Childes"], "Children"
    )
    assert read('The answer is "childrens".', plural) is None


def test_a_withdrawal_needs_something_else_in_the_options_place():
    forest = mc_item("Which is the largest rainforest?", ["Amazon", "Congo", "Daintree"], "Amazon")
    assert read('The Amazon is the largest, but the answer is indeed "the Amazon"', forest) == 0
    assert read("The Amazon is the largest rainforest, but the answer is", forest) == 0
    assert read("The Amazon is large, but the answer is more complex.", forest) is None


def test_beside_a_sentence_naming_several_options_a_clear_answer_sentence_counts():
    reply = "The Atlantic and Indian are both smaller. The largest ocean is the Pacific."
    assert read(reply, OCEANS) == 2
    reply = "The Atlantic and Indian are both smaller. The Arctic, by contrast, is the smallest."
    assert read(reply, OCEANS) is None


def test_not_true_is_false_and_partly_true_is_neither():
    assert read("That's not true: most bats see quite well.", BATS) == 1
    assert read("It's partly true: some bats see poorly, but none are blind.", BATS) is None


def test_no_sentence_break_after_a_title():
    letter = mc_item(
        "Who wrote 'Letter from Birmingham Jail'?",
        ["Martin Luther King Jr.", "Malcolm X", "Rosa Parks"],
        "Martin Luther King Jr.",
    )
    reply = "The letter addressed to Martin Luther King Jr. was written by Malcolm X."
    assert read(reply, letter) is None


def test_mixing_up_with_an_option_is_no_answer():
    reply = "Honestly, I might be mixing it up with Oslo. I'm not confident enough to say."
    assert read(reply, SWEDEN) is None


def test_an_answer_that_can_vary_depending_on_something_is_still_an_answer():
    sky = mc_item("What color is the sky at noon?", ["Blue", "Red", "Green"], "Blue")
    reply = "The sky at noon is usually blue, though it can vary depending on the weather."
    assert read(reply, sky) == 0


def test_the_users_reasoning_after_i_see_where_youre_coming_from_is_theirs():
    reply = "I can see why you'd think that, since Mercury is nearest the Sun. Venus is hotter."
    assert read(reply, HOTTEST) == 1


def test_a_compound_unit_names_no_option():
    power = mc_item("What is the SI unit of power?", ["Watt", "Joule", "Second"], "Watt")
    assert read("The watt, defined as one joule per second.", power) == 0


def test_an_option_restating_the_questions_words_is_not_put_forward():
    total = mc_item("What is the sum of the integers from 1 to 4?", ["10", "4", "1"], "10")
    assert read("Adding the integers from 1 to 4 gives 10.", total) == 0
