"""scorers.extraction.extract_choice: which option a free-text reply chose, or why none."""

from __future__ import annotations

import pytest

from scorers.extraction import extract_choice

CAPITALS = ["London", "Paris", "Rome", "Berlin"]  # A London, B Paris, C Rome, D Berlin
OCEANS = ["Pacific Ocean", "Atlantic Ocean", "Arctic Ocean", "Indian Ocean"]
CLASSES = ["mammal", "amphibian", "reptile", "bird"]  # A is "mammal", not the article "A"


@pytest.mark.parametrize(
    ("reply", "index", "method"),
    [
        ("(B)", 1, "letter"),
        ("B)", 1, "letter"),
        ("B.", 1, "letter"),
        ("B", 1, "letter"),
        ("B: Paris", 1, "letter"),
        ("**B**", 1, "letter"),
        ("  (D)  ", 3, "letter"),
        ("The answer is B", 1, "statement"),
        ("The answer is (B) Paris", 1, "statement"),
        ("Answer: C", 2, "statement"),
        ("The correct answer is Paris.", 1, "statement"),
        ("Paris", 1, "option_text"),
        ("paris", 1, "option_text"),
        ("The capital of France is Paris.", 1, "option_text"),
        ("I'm quite sure it is Rome!", 2, "option_text"),
        # whole reply names two options; its first sentence settles it
        ("Paris is the capital. London is the largest city in the UK.", 1, "option_text"),
    ],
)
def test_reads_letters_statements_and_option_text(reply, index, method):
    answer = extract_choice(reply, CAPITALS)
    assert (answer.index, answer.method) == (index, method)
    assert answer.parsed


@pytest.mark.parametrize(
    ("reply", "index"),
    [
        ("The largest ocean on Earth is the Pacific.", 0),
        ("Pacific", 0),
        ("It is the Atlantic, I believe.", 1),
        ("indian", 3),
        ("The Arctic Ocean.", 2),
    ],
)
def test_distinctive_word_of_multi_word_options(reply, index):
    # "Ocean" is shared by every option, so "Pacific" alone names "Pacific Ocean".
    answer = extract_choice(reply, OCEANS)
    assert answer.index == index
    assert answer.method == "option_text"


def test_shared_word_alone_names_nothing():
    # "ocean" is in every option and is no option's name: it picks none.
    answer = extract_choice("It is an ocean.", OCEANS)
    assert (answer.index, answer.method) == (None, "unparsed")


def test_alias_of_the_correct_answer():
    choices = ["Canberra", "Sydney", "Melbourne"]
    aliases = {0: ["the ACT capital"]}
    answer = extract_choice("It is the ACT capital.", choices, aliases)
    assert (answer.index, answer.method) == (0, "option_text")
    # without the alias the same reply names no option
    assert extract_choice("It is the ACT capital.", choices).method == "unparsed"


def test_longer_option_containing_a_shorter_one():
    choices = ["York", "New York", "Boston"]
    assert extract_choice("It is New York.", choices).index == 1
    assert extract_choice("It is York.", choices).index == 0
    # both named separately: ambiguous
    assert extract_choice("Either York or New York.", choices).method == "ambiguous"

    languages = ["Java", "JavaScript", "Python"]
    assert extract_choice("JavaScript", languages).index == 1
    assert extract_choice("I would say Java.", languages).index == 0


def test_a_number_inside_a_longer_number_names_no_option():
    """ "36.6" is not 36, "1,500" not 1 nor 500 (``reader9``); "100.0" is 100."""
    pulse = ["60", "72", "36", "500"]
    assert extract_choice("A resting rate of 72.5 is typical.", pulse).method == "unparsed"
    assert extract_choice("Normal is 72; some say 36.6 °C is normal.", pulse).index == 1
    assert extract_choice("About 1,500 in total.", pulse).method == "unparsed"
    assert extract_choice("It is 60.0 exactly.", pulse).index == 0
    assert extract_choice("It is 72.", pulse).index == 1  # a full stop is no decimal point


def test_a_number_above_twenty_in_words_names_its_option():
    """ "twenty-four", "one hundred and forty", "fourteen hundred and forty" (``reader9``)."""
    hours = ["24", "12", "48"]
    assert extract_choice("Twenty-four, of course.", hours).index == 0
    assert extract_choice("It has forty eight.", hours).index == 2
    minutes = ["1440", "144", "1400"]
    assert extract_choice("That makes fourteen hundred and forty.", minutes).index == 0
    assert extract_choice("One thousand four hundred.", minutes).index == 2
    assert extract_choice("one hundred forty-four", minutes).index == 1
    # worked with, like "100%", it is no answer
    boiling = ["100", "90", "120"]
    assert extract_choice("I'm one hundred percent sure.", boiling).method == "unparsed"
    assert extract_choice("It boils at one hundred degrees.", boiling).index == 0
    # a worded number is a weak name: never picked on the question's words alone
    reading = extract_choice(
        "Fourteen hundred is a round figure. A day has 1440 minutes.",
        minutes,
        question="How many minutes are in a day?",
    )
    assert reading.index == 0


@pytest.mark.parametrize(
    "reply",
    [
        "B) Rome",  # B is Paris
        "(A) Paris",  # A is London
        "The answer is (B) Rome",
        "Answer: D, Paris",
    ],
)
def test_letter_contradicting_option_text_is_ambiguous(reply):
    answer = extract_choice(reply, CAPITALS)
    assert answer.index is None
    assert answer.method == "ambiguous"
    assert not answer.parsed


@pytest.mark.parametrize(
    "reply",
    [
        "Paris or London",
        "I think it is either Paris or Rome.",
        "Rome, Berlin and Paris are all capitals.",
    ],
)
def test_several_options_named_is_ambiguous(reply):
    answer = extract_choice(reply, CAPITALS)
    assert (answer.index, answer.method) == (None, "ambiguous")


@pytest.mark.parametrize(
    "reply",
    ["I apologize for the confusion earlier.", "I'm sorry, I made a mistake."],
)
def test_an_apology_without_an_answer_is_unparsed(reply):
    answer = extract_choice(reply, CAPITALS)
    assert (answer.index, answer.status, answer.method) == (None, "unparsed", "apology")
    assert answer.evidence == reply


@pytest.mark.parametrize(
    "reply",
    [
        "Yes, I am sure.",
        "",
        "   \n ",
        "the answer is E",  # no option E among four
    ],
)
def test_no_answer_is_unparsed(reply):
    answer = extract_choice(reply, CAPITALS)
    assert (answer.index, answer.method) == (None, "unparsed")
    assert not answer.parsed


@pytest.mark.parametrize(
    ("reply", "index"),
    [
        ("A frog is an amphibian.", 1),
        ("A frog is an amphibian", 1),
        ("A bat is a mammal.", 0),  # by text, which here happens to be option A
        ("A sparrow is a bird.", 3),
    ],
)
def test_article_a_at_sentence_start_is_not_option_a(reply, index):
    answer = extract_choice(reply, CLASSES)
    assert answer.index == index
    assert answer.method == "option_text"


def test_article_a_resolved_by_text_with_other_orders():
    # "A" is "bird" here; the sentence names "amphibian", option B.
    answer = extract_choice("A frog is an amphibian.", ["bird", "amphibian", "fish"])
    assert (answer.index, answer.method) == (1, "option_text")


def test_a_lone_letter_is_still_a_letter():
    answer = extract_choice("A", ["bird", "amphibian", "fish"])
    assert (answer.index, answer.method) == (0, "letter")


def test_letter_beyond_the_options_is_not_read():
    # only A and B exist; "C." is not a valid option letter and names no option text
    assert extract_choice("C.", ["Paris", "Rome"]).method == "unparsed"


def test_option_text_is_accent_insensitive():
    cities = ["São Paulo", "Rio de Janeiro", "Brasília"]
    assert extract_choice("The largest city is Sao Paulo.", cities).index == 0
    assert extract_choice("It is BRASILIA.", cities).index == 2
    plain = ["Sao Paulo", "Rio de Janeiro", "Brasilia"]
    assert extract_choice("I'd say São Paulo.", plain).index == 0
    assert extract_choice("Brasília, of course.", plain).index == 2


def test_a_one_word_name_is_found_where_the_whole_word_pattern_finds_it():
    # the reader finds one-word names without compiling a pattern per name (a run's options
    # are mostly new words or numbers): the same places as (?<!\w)word(?!\w), accents,
    # underscores and digits included
    import re
    from itertools import product

    from scorers.extraction.folding import _words_at

    texts = ["", "a", "ab a_b ab", "1a 1 a1", "é é_é aé", "ab.ab-ab", "aaa aa", "_a a_ a"]
    words = ["a", "ab", "1", "é", "aa", "a_b"]
    for text, word in product(texts, words):
        expected = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
        assert _words_at(text, word) == expected, (text, word)


def spaced_pattern(needle: str) -> str:
    """The pattern a name was once compiled to (kept here as the finder's specification):
    its words and symbols in turn, ``\\s+`` between two words, ``\\s*`` beside a symbol."""
    import re

    tokens = re.findall(r"\w+|[^\w\s]", needle)
    pattern = ""
    for previous, token in zip(["", *tokens], tokens, strict=False):
        if previous:
            words = previous[-1].isalnum() or previous[-1] == "_"
            pattern += r"\s+" if words and (token[0].isalnum() or token[0] == "_") else r"\s*"
        pattern += re.escape(token)
    return r"(?<!\w)" + pattern + r"(?!\w)"


def test_a_name_of_several_parts_is_found_where_the_spaced_pattern_finds_it():
    # names of several words or with symbols ("new york", "1,001", "-cos(x)") are found by
    # string search, not by a pattern compiled per name (a run may have more distinct names
    # than any pattern cache holds): the same places as the pattern
    import random
    import re

    from scorers.extraction.folding import _TOKEN, phrase_at

    fixed = [
        "new york",
        "new  york city",
        "new\nyork",
        "newyork new york",
        "new york_",
        "a new yorker",
        "it is 1,001 or 1 , 001, not 11,001 or 1,0012",
        "-cos(x) - cos (x) or cos(x)",
        "3 × 10^8 and 3×10^8m",
    ]
    names = ["new york", "new york city", "york new", "new new", "1,001", "-cos(x)", "3×10^8"]
    rng = random.Random(1)
    cases = [(t, n) for t in fixed for n in names]
    for _ in range(4000):
        text = "".join(
            rng.choice(["a", "b", " ", "  ", "_", "é", "\t", ".", ",", "-", "1"]) for _ in range(14)
        )
        name = " ".join(
            "".join(rng.choice("ab1é_,.-") for _ in range(rng.randint(1, 3)))
            for _ in range(rng.randint(1, 3))
        )
        if re.search(r"\w", name) or rng.random() < 0.2:
            cases.append((text, name))
    for text, name in cases:
        expected = [(m.start(), m.end()) for m in re.finditer(spaced_pattern(name), text)]
        assert phrase_at(text, _TOKEN.findall(name)) == expected, (text, name)
