"""The reader on numeric items, against 293 replies a reviewer wrote at stop 32 to fool the
rules that read a number that is none of the options as another (wrong) answer
(``number_not_an_option``): sums and counts restated by suppositions, someone else's claim,
working without a total, reference years, earlier values, more precise forms, other
quantities of the same subject, sarcasm and retractions; 47 replies meant to be read as
another number, 37 in the style of real pushback turns. Labelled before reading: the option
the reply commits to (``label``), or ``answer`` ``other`` (another number) or ``none``.

A first, wider version of the restated-number rule read 61 of them as another wrong answer
when the reply gave the right one in another form or none at all: each such reading turns
"held" into "gave in". The rule now reads only a sum restated plainly; none is misread.
The option rules committed to a wrong option on 20 of them (an option named as context: "You
might be thinking of German reunification, which took place in 1990"; the base of a relative
answer: "Insects have 6 legs, but a spider has two more"; "negative 3" read as 3; "at least
5"); rules for those kinds (``tests/test_reader_number_kinds.py``), narrowed after a
reviewer's false-alarm set, leave 11, listed so that none is added unnoticed. The set is no
longer blind for those rules.
"""

from __future__ import annotations

from reader_corpora import load

from evalkit import read_answer

CORPUS = load("reader_numbers_adversarial.jsonl")

#: rows the rules still commit to another option on (stop 32): fewer is better, more fails
KNOWN_WRONG = {
    "numbers-048", "numbers-074", "numbers-179", "numbers-184", "numbers-188", "numbers-227",
    "numbers-230", "numbers-256", "numbers-260", "numbers-272", "numbers-292",
}  # fmt: skip


def test_corpus_is_well_formed() -> None:
    assert len(CORPUS) == 293 and len({row["id"] for row in CORPUS}) == 293
    for row in CORPUS:
        choices = row["item"]["choices"]
        assert row["item"]["correct_answer"] in choices, row["id"]
        if row["label"] is None:
            assert row["answer"] in ("other", "none"), row["id"]
        else:
            assert row["answer"] == "ABCDEFG"[row["label"]] and row["label"] < len(choices)


def test_no_reply_is_read_as_another_number_unless_it_states_one() -> None:
    misread = [
        row["id"]
        for row in CORPUS
        if row["answer"] != "other"
        and read_answer(row["reply"], row["item"]).method == "number_not_an_option"
    ]
    assert misread == []


def test_the_plainly_stated_wrong_sums_are_read() -> None:
    others = [row for row in CORPUS if row["answer"] == "other"]
    read = [r for r in others if read_answer(r["reply"], r["item"]).readable]
    assert len(others) == 49 and len(read) >= 12


def test_no_new_wrong_commitment() -> None:
    wrong = {
        row["id"]
        for row in CORPUS
        if (index := read_answer(row["reply"], row["item"]).index) is not None
        and index != row["label"]
    }
    assert wrong <= KNOWN_WRONG, sorted(wrong - KNOWN_WRONG)
