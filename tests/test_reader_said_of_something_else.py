"""Options named by a reply that says something else of them (issue 13, after the sixth set).

On ``tests/data/reader_heldout6.jsonl`` the wrong commitments were replies that name an option
without asserting it as the answer: an option's word inside a contraction ("I don't know" for
the river Don), the asked thing done to nothing ("Socrates wrote nothing down"), a state dated
to a past stretch of time for a question about the present ("was on clay from 1975 to 1977"),
a comparison the question does not ask for ("Etna erupts more often than Vesuvius") and a reply
cut off on the second of a pair ("12 on the roster and 5"). The tests use other items and
wording than the corpus rows; each fails on the reader before its rule.
"""

from __future__ import annotations

from reader_corpora import mc_item, read

from evalkit import read_answer

RIVER = mc_item("Which river flows through Rostov?", ["Don", "Volga", "Ural"], "Don")
WON = mc_item("What is the currency of South Korea?", ["Won", "Yen", "Yuan"], "Won")
ILIAD = mc_item("Who wrote the Iliad?", ["Homer", "Hesiod", "Virgil"], "Homer")
CAPITAL = mc_item("What is the capital of Kazakhstan?", ["Astana", "Almaty", "Shymkent"], "Astana")
GRASS = mc_item(
    "Which Grand Slam tournament is played on grass?",
    ["Wimbledon", "French Open", "US Open"],
    "Wimbledon",
)
TITANIC = mc_item(
    "Which ship sank after hitting an iceberg in 1912?",
    ["Titanic", "Lusitania", "Britannic"],
    "Titanic",
)
HAND = mc_item("How many fingers are on one human hand?", ["5", "4", "6"], "5")


def test_an_options_word_inside_a_contraction_names_nothing() -> None:
    reading = read_answer("Sorry, I don't remember which river that is.", RIVER)
    assert (reading.index, reading.status) == (None, "unparsed")
    assert read("It won't be the yen, I can tell you that.", WON) is None
    # the option on its own, or before an apostrophe that is no contraction, still names it
    assert read("The Don.", RIVER) == 0
    assert read("The Don's delta is at Rostov, so the Don.", RIVER) == 0
    assert read("Won, the South Korean won.", WON) == 0


def test_the_asked_thing_done_to_nothing_puts_the_option_nowhere() -> None:
    reading = read_answer("Hesiod wrote nothing about Troy.", ILIAD)
    assert (reading.index, reading.status) == (None, "unparsed")
    assert read("Virgil wrote nothing of the kind.", ILIAD) is None
    # another verb, or the asked verb with something done, is no denial
    assert read("Homer wrote it.", ILIAD) == 0
    assert read("Hesiod wrote nothing about Troy; Homer wrote the Iliad.", ILIAD) == 0


def test_a_state_dated_to_a_past_stretch_does_not_answer_a_question_about_now() -> None:
    reading = read_answer("Almaty was the capital from 1929 to 1997.", CAPITAL)
    assert (reading.index, reading.status) == (None, "unparsed")
    assert read("The French Open was on grass, centuries ago.", GRASS) is None
    assert read("The US Open was played on grass between 1881 and 1974.", GRASS) is None
    # a state without a past date still answers, and a question about the past is answered
    assert read("Astana is the capital.", CAPITAL) == 0
    assert read("Wimbledon, as it has been since 1877.", GRASS) == 0
    assert read("The Titanic was the ship, in 1912 - a century ago.", TITANIC) == 0
    # the past stretch said before the option (``reader9``)
    assert read("For much of the 20th century the capital was Almaty.", CAPITAL) is None
    assert read("Until 1997, the capital was Almaty.", CAPITAL) is None
    assert read("In 1999 the capital became Astana, and it still is.", CAPITAL) == 0
    assert read("In 1912 the ship that sank was the Titanic.", TITANIC) == 0  # asks the past
    assert read("In 1997 the capital was moved from Almaty to Astana.", CAPITAL) == 0


def test_a_comparison_the_question_does_not_ask_answers_nothing() -> None:
    reading = read_answer("The Lusitania carried more passengers than the Titanic.", TITANIC)
    assert (reading.index, reading.status) == (None, "unparsed")
    assert reading.evidence == "The Lusitania carried more passengers than the Titanic."
    # a question that asks a comparison or a rank is still answered by one
    bigger = mc_item(
        "Which ship was larger, Titanic or Lusitania?", ["Titanic", "Lusitania"], "Titanic"
    )
    assert read("The Titanic was larger than the Lusitania.", bigger) == 0
    assert read("The Titanic sank in 1912 after hitting an iceberg.", TITANIC) == 0


def test_a_reply_cut_off_on_the_second_of_a_pair_names_no_answer() -> None:
    reading = read_answer("A hand has 14 finger bones and 5", HAND)
    assert (reading.index, reading.status) == (None, "unparsed")
    # finished, or the option alone, it answers
    assert read("A hand has 14 finger bones and 5 fingers.", HAND) == 0
    assert read("5", HAND) == 0
    # two options joined by "and" are a pair said in full, not a cut-off second: ambiguous
    shell = mc_item(
        "Which animal carries its home on its back?", ["Snail", "Tortoise", "Crab"], "Snail"
    )
    reading = read_answer("both the snail and tortoise", shell)
    assert (reading.index, reading.status) == (None, "ambiguous")


PORTRAIT = mc_item(
    "Who painted The Night Watch?", ["Rembrandt", "Vermeer", "Frans Hals"], "Rembrandt"
)
NOVEL = mc_item(
    "Who wrote Frankenstein?", ["Mary Shelley", "Lord Byron", "John Polidori"], "Mary Shelley"
)


def test_the_work_said_to_be_by_an_option_names_its_maker() -> None:
    reply = (
        "A copy of The Night Watch made around 1655 is often linked to Frans Hals's pupils. "
        "The painting itself, however, is by Rembrandt."
    )
    reading = read_answer(reply, PORTRAIT)
    assert (reading.index, reading.status) == (0, "answer")
    # "Frans Hals's pupils" names others through Hals: shown beside the answer as set aside
    assert reading.evidence == reply
    assert read("Honestly? The Night Watch was painted by Rembrandt.", PORTRAIT) == 0
    # only the work itself: a copy "painted by" another option is no answer beside it
    reply = "A small copy was painted by Frans Hals; the painting itself is by Rembrandt."
    assert read(reply, PORTRAIT) == 0


def test_a_denial_through_a_pronoun_after_a_dash_rejects_the_option() -> None:
    reply = "Byron suggested the ghost-story contest — which shows he wasn't its author."
    reading = read_answer(reply, NOVEL)
    assert (reading.index, reading.status) == (None, "unparsed")
    assert read("Polidori was at the villa too — he didn't write it.", NOVEL) is None
    # a pronoun denying something else leaves the option standing
    assert read("Mary Shelley wrote it — she wasn't yet twenty.", NOVEL) == 0


def test_the_asked_role_given_elsewhere_answers_nothing() -> None:
    cells = mc_item(
        "Which organelle makes most of the ATP in animal cells?",
        ["Mitochondrion", "Chloroplast", "Nucleus"],
        "Mitochondrion",
    )
    reading = read_answer("The chloroplast does a similar job in plants.", cells)
    assert (reading.index, reading.status) == (None, "unparsed")
    # the role in what the question names is its answer
    assert read("The mitochondrion plays that role in animal cells.", cells) == 0


def test_a_common_noun_phrase_option_is_named_in_the_plural_too() -> None:
    otter = mc_item(
        "Which animal uses stones to crack open shellfish while floating?",
        ["Sea otter", "Harbor seal", "Walrus"],
        "Sea otter",
    )
    reading = read_answer("Sea otters.", otter)
    assert (reading.index, reading.method, reading.evidence) == (0, "option_text", "Sea otters.")
    # two options named as one thing ("white with red polka dots") commit to neither
    assert read_answer("Harbor seals and sea otters both do.", otter).status == "ambiguous"
    # a proper name ending in a capitalised word takes no plural: "Angel Falls" stays itself
    falls = mc_item(
        "Which is the tallest waterfall?", ["Angel Falls", "Iguazu Falls"], "Angel Falls"
    )
    assert read("Angel Falls.", falls) == 0


# After the seventh blind set (branch ``reader9``): kinds of its wrong commitments, on other
# items and wording.

LONGEST_BONE = mc_item(
    "What is the longest bone in the human body?", ["Femur", "Tibia", "Humerus"], "Femur"
)
CANADA = mc_item("What is the capital of Canada?", ["Ottawa", "Toronto", "Vancouver"], "Ottawa")


def test_an_option_the_reply_later_calls_a_slip_or_a_guess_is_not_its_answer() -> None:
    reading = read_answer("The humerus is in the arm, which is a common mix-up.", LONGEST_BONE)
    assert (reading.index, reading.status) == (None, "unparsed")
    reply = "Toronto is the biggest city, which is why many people guess it."
    assert read(reply, CANADA) is None
    assert read("Vancouver hosted the 2010 Games, which you might be thinking of.", CANADA) is None
    # a clause about something else after the option leaves it the answer
    assert read("Ottawa is the capital, which is an easy fact to check.", CANADA) == 0
    assert read("The femur, which is in the thigh.", LONGEST_BONE) == 0
    # the slip said of another option named after it is that option's
    assert read("Ottawa is the capital, not Toronto, which you may be thinking of.", CANADA) == 0
    reply = "Ottawa is the capital, not Toronto, which is what you're thinking of."
    assert read(reply, CANADA) == 0


def test_the_asked_thing_said_not_to_exist_for_an_option_rejects_it() -> None:
    jersey = mc_item(
        "In which race does the leader wear the yellow jersey?",
        ["Tour de France", "Giro d'Italia", "Vuelta a España"],
        "Tour de France",
    )
    reply = (
        "There is no yellow jersey in the Giro d'Italia; the leader there wears pink, so the "
        "Tour de France."
    )
    assert read(reply, jersey) == 0
    # something else said not to exist there leaves the option named
    assert read("There is no doubt in the Tour de France's case.", jersey) == 0


def test_an_option_named_only_as_kin_of_the_answer_is_not_it() -> None:
    queen = mc_item(
        "Which English queen was known as the Virgin Queen?",
        ["Elizabeth I", "Mary I", "Anne Boleyn"],
        "Elizabeth I",
    )
    reading = read_answer("It was the daughter of Henry VIII and Anne Boleyn.", queen)
    assert (reading.index, reading.status) == (None, "unparsed")
    assert read("Elizabeth I, daughter of Anne Boleyn.", queen) == 0
    # a question that asks for that kin is answered by it
    mother = mc_item(
        "Who was the mother of Elizabeth I?", ["Anne Boleyn", "Catherine of Aragon"], "Anne Boleyn"
    )
    assert read("Her mother was Anne Boleyn.", mother) == 0
    assert read("She was the daughter of Anne Boleyn.", mother) == 0
    tutor = mc_item("Who tutored Alexander the Great?", ["Aristotle", "Plato"], "Aristotle")
    assert read("Alexander was a pupil of Aristotle.", tutor) == 0  # asked by its verb


def test_a_subject_denied_through_a_pronoun_past_a_factor_of_it_is_rejected() -> None:
    force = mc_item(
        "What is the SI base unit of mass?", ["Kilogram", "Newton", "Joule"], "Kilogram"
    )
    reply = "A joule is a newton times a metre, so it is derived, not a base unit."
    reading = read_answer(reply, force)
    assert (reading.index, reading.status) == (None, "unparsed")  # neither factor is put
    # the factor of a compound unit is not the answer; a subject said to be it is
    assert read("That unit is a kilogram times a metre per second squared.", force) is None
    assert read("The kilogram is the base unit; a newton is derived from it.", force) == 0
    # another option that is a clause's subject may be the pronoun's: not the first one's
    reply = "The kilogram is the base unit, and the joule is derived, so it is not a base unit."
    assert read(reply, force) == 0


def test_what_something_moved_away_from_is_no_answer_about_now() -> None:
    """ "… since 1997, when the government moved there from Almaty" for the capital now."""
    reply = (
        "**Astana** has been the capital since 1997, when the government moved there from Almaty."
    )
    assert read(reply + " Almaty is still the largest city.", CAPITAL) == 0
    # a question about the move itself is answered by it
    moved = mc_item(
        "From which city was Kazakhstan's capital moved in 1997?", ["Almaty", "Astana"], "Almaty"
    )
    assert read("In 1997 the government moved from Almaty.", moved) == 0


def test_the_other_end_of_a_move_is_not_the_asked_end() -> None:
    """ "from Portuguese and Spanish into English" for "Into which language …?"."""
    translated = mc_item(
        "Into which language did Tyndale translate the New Testament?",
        ["English", "Latin", "German"],
        "English",
    )
    reply = "Tyndale translated from Greek and Latin into English; his was the first printed one."
    assert read(reply, translated) == 0
    sailed = mc_item(
        "From which port did the Titanic begin its maiden voyage?",
        ["Southampton", "New York", "Cherbourg"],
        "Southampton",
    )
    assert read("It sailed from Southampton to New York.", sailed) == 0
    assert read("It sailed to Cherbourg and New York from Southampton.", sailed) == 0
    # a question that asks no end of a move leaves "from X" as it was
    origin = mc_item("Which language does 'algebra' come from?", ["Arabic", "Greek"], "Arabic")
    assert read("It comes from Arabic.", origin) == 0


# After the eighth set (branch ``reader10``): an option held by someone the reply names, one
# that "would" be so only under a condition contrary to fact, one given for another edition
# or a narrower region than asked, and one that did the asked hyphenated verb to something else.

OPERA = mc_item("Who composed the opera Tosca?", ["Puccini", "Verdi", "Rossini"], "Puccini")
FILM = mc_item(
    "Who directed the 1954 film Sabrina?",
    ["Billy Wilder", "Sydney Pollack", "John Ford"],
    "Billy Wilder",
)
LAKE = mc_item(
    "What is the largest lake in Africa?",
    ["Lake Victoria", "Lake Tanganyika", "Lake Malawi"],
    "Lake Victoria",
)
FOUNDED = mc_item(
    "Who co-founded Google with Larry Page?",
    ["Sergey Brin", "Eric Schmidt", "Jerry Yang"],
    "Sergey Brin",
)


def test_a_view_held_by_someone_the_reply_names_is_not_its_answer() -> None:
    assert read("My uncle always said Verdi wrote it.", OPERA) is None
    assert read("Some of my classmates insist it's Rossini. It is Puccini.", OPERA) == 0
    assert read("Our guide claimed Verdi did. It was Puccini, in fact.", OPERA) == 0
    # the reply's own words, or someone agreeing with it, still answer
    assert read("Puccini wrote it; my teacher said so too.", OPERA) == 0
    assert read("My teacher always said Puccini, and she was right.", OPERA) == 0
    assert read("My answer: Puccini.", OPERA) == 0


def test_what_would_be_so_under_a_condition_contrary_to_fact_is_no_answer() -> None:
    assert read("If Tosca were a comic opera, I'd say Rossini. It isn't, so Puccini.", OPERA) == 0
    assert read("If it had been written in Milan, you could call it Verdi's.", OPERA) is None
    # a turn after the condition, or the same answer either way, is the reply's own
    assert read("If Tosca were set in Venice, it would still be Puccini.", OPERA) == 0
    assert read("If the plot were Verdi's kind of story, well — it's Puccini.", OPERA) == 0


def test_an_option_given_for_another_edition_than_the_asked_year_is_set_aside() -> None:
    reading = read_answer("Sydney Pollack directed Sabrina: the 1995 remake.", FILM)
    assert (reading.index, reading.status) == (None, "unparsed")
    assert read("Pollack made the 1995 version; the 1954 original is Billy Wilder's.", FILM) == 0
    # the asked edition, or no year at all, still answers
    assert read("Billy Wilder directed the 1954 film.", FILM) == 0
    assert read("Billy Wilder directed it.", FILM) == 0


def test_a_rank_in_a_narrower_region_than_asked_answers_another_question() -> None:
    reading = read_answer("Lake Malawi is the largest lake in East Africa.", LAKE)
    assert (reading.index, reading.status) == (None, "unparsed")
    # the asked region, or no region, still answers
    assert read("Lake Victoria is the largest lake in Africa.", LAKE) == 0
    assert read("Lake Victoria is the largest lake.", LAKE) == 0


def test_a_hyphenated_asked_verb_done_for_another_subject_answers_another_question() -> None:
    reading = read_answer("Jerry Yang co-founded Yahoo with David Filo.", FOUNDED)
    assert (reading.index, reading.status) == (None, "unparsed")
    # the same verb for the asked subject answers
    assert read("Sergey Brin co-founded Google with Page.", FOUNDED) == 0


def test_an_options_word_inside_a_compound_or_as_a_verb_names_nothing() -> None:
    energy = mc_item("What is the SI unit of energy?", ["Joule", "Watt", "Newton"], "Joule")
    reading = read_answer("A watt-second.", energy)
    assert (reading.index, reading.status) == (None, "unparsed")
    metal = mc_item("Which metal has the symbol Sn?", ["Tin", "Iron", "Lead"], "Tin")
    assert read("Let me lead with this: Sn is not iron.", metal) is None
    assert read("I'll iron out the confusion: Sn is not lead.", metal) is None
    # the word on its own, a number so joined, or a capitalised name still names the option
    assert read("A joule: one watt-second.", energy) == 0
    assert read("Tin is Sn, not lead.", metal) == 0
    mile = mc_item("How many feet are in a mile?", ["5280", "3280", "1760"], "5280")
    assert read("It's a 5280-foot mile.", mile) == 0


def test_a_distinctive_function_word_names_its_option_only_capitalised() -> None:
    bands = mc_item(
        "Which band recorded 'Tommy'?", ["The Who", "The Kinks", "The Byrds"], "The Who"
    )
    reading = read_answer("The band who recorded it named it after a pinball player.", bands)
    assert (reading.index, reading.status) == (None, "unparsed")
    # capitalised, or in full, it names the band
    assert read("The Who.", bands) == 0
    assert read("It was Who, of course.", bands) == 0


def test_a_verb_denied_before_an_option_and_then_done_by_a_pronoun_rejects_it() -> None:
    tomb = mc_item(
        "Which ship did Robert Ballard locate in 1985?",
        ["Titanic", "Bismarck", "Lusitania"],
        "Titanic",
    )
    assert read("Ballard didn't reach the Bismarck that year; he reached the Titanic.", tomb) == 0
    assert read("He never photographed Lusitania first; he photographed Titanic.", tomb) == 0
    # an option the verb is done to, without a denial, is no rejection
    assert read("He found the Titanic; he found it in 1985.", tomb) == 0


def test_an_answer_that_is_no_option_after_a_turn_makes_the_reply_unreadable() -> None:
    soup = mc_item(
        "Borscht is a soup from which country?", ["Ukraine", "Poland", "Hungary"], "Ukraine"
    )
    reading = read_answer("Poland has beet soups too, but borscht is Lithuanian at heart.", soup)
    assert (reading.index, reading.status) == (None, "ambiguous")
    # a country's people, said of the asked thing, name the country (stop 33)
    assert read("Poland has beet soups too, but borscht is Ukrainian at heart.", soup) == 0
    opera = mc_item("Who composed the opera Tosca?", ["Puccini", "Verdi", "Rossini"], "Puccini")
    assert read("Verdi wrote many operas, but not this one: it's Giacomo's.", opera) is None
    assert read("Poland makes it too. It is Lithuanian.", soup) is None
    assert read("Poland makes it too. It is Ukrainian.", soup) == 0
    god = mc_item("Which Greek god carries a trident?", ["Poseidon", "Zeus", "Hades"], "Poseidon")
    assert (
        read(
            "Zeus holds thunderbolts, but the god with the trident is the one who rules the sea.",
            god,
        )
        is None
    )
    # the turn naming an option, a predicate that is no name, or another owner's restatement
    assert read("Poland has beet soups too, but borscht is from Ukraine.", soup) == 0
    assert read("Borscht is made in Ukraine, but borscht is popular everywhere.", soup) == 0
    assert read("It's Ukraine, though Poland's national soup is Żurek.", soup) == 0


def test_an_options_name_before_a_feature_of_the_land_names_the_feature() -> None:
    country = mc_item("In which country is Khartoum?", ["Sudan", "Egypt", "Chad"], "Sudan")
    reading = read_answer("khartoum sits where the niles meet, far from the chad basin", country)
    assert (reading.index, reading.status) == (None, "unparsed")
    assert read("It lies well east of Lake Chad and the Chad basin.", country) is None
    # the feature asked for, or the option on its own, still names it
    river = mc_item("Which river flows through Khartoum?", ["Nile", "Congo", "Niger"], "Nile")
    assert read("The Nile river.", river) == 0
    assert read("Sudan, on the Nile.", country) == 0


def test_an_opening_letter_before_another_options_name_is_ambiguous() -> None:
    river = mc_item("Which river flows through Khartoum?", ["Nile", "Congo", "Niger"], "Nile")
    reading = read_answer("C, the Nile.", river)
    assert (reading.index, reading.status) == (None, "ambiguous")
    # the letter with its own option's name, or the name alone, answers
    assert read("A, the Nile.", river) == 0
    assert read("The Nile.", river) == 0
