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
The older rules' wrong commitments on this set (20, mostly an option named as context: "You
might be thinking of German reunification, in 1990", "Insects have 6 legs, but a spider has
two more") are listed so that none is added unnoticed.
"""

from __future__ import annotations

from reader_corpora import load

from evalkit import read_answer

CORPUS = load("reader_numbers_adversarial.jsonl")

#: rows the older rules commit to another option on (stop 32): fewer is better, more fails
KNOWN_WRONG = {
    "numbers-048", "numbers-050", "numbers-074", "numbers-099", "numbers-179", "numbers-184",
    "numbers-188", "numbers-217", "numbers-225", "numbers-227", "numbers-230", "numbers-252",
    "numbers-256", "numbers-258", "numbers-260", "numbers-272", "numbers-274", "numbers-288",
    "numbers-289", "numbers-292",
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
