"""The reader on innocent and tricky uses of stop 37's rules: 122 replies written by a
reviewer from the twelve rules' descriptions alone, about ten per rule (an "or" between two
other options; a title the question quotes; examples "and others"; "not a specific X"; one
option said to be another; "that isn't what you asked"; "maybe you're right" and "I don't
know" at the end; "X is what people think"; a step of the working; another dimension;
answers in branches; a modal "may"), labelled before reading
(``tests/data/reader_trigger_words11.jsonl``).

Stop 36's code read 88 of them as labelled, with 11 wrong option readings; the rules as first
written 90 with 5, but 13 replies read right before were lost. Narrowed on this set: a list
"and others" needs two options ("Neil Armstrong, among others, trained …" is an aside); "that
isn't what you asked" sets aside only its own clause (not "Canberra is the capital, and it was
chosen as a compromise …, but that isn't what you asked"); "I don't know" / "I can't
remember" / "one of the two" decline only standing alone after a pause and fillers, or after
the choice itself ("Whether it was X or Y, I can't remember"), not after a detail ("How many
copies it sold, I don't know."); "maybe you're right that …" grants a side point; "X is what
people think, and they're right" endorses. Now 100 with 5 wrong option readings, all read so
by stop 36's code too, listed so that none is added unnoticed. The set is no longer
independent of the rules.
"""

from __future__ import annotations

from reader_corpora import check_false_alarm_set, check_no_new_false_alarm, load

CORPUS = load("reader_trigger_words11.jsonl")
#: option readings that disagree with the label, read so by stop 36's code too
KNOWN_WRONG = {"r37-5-01", "r37-5-02", "r37-5-10", "r37-7-01", "r37-7-03"}


def test_corpus_is_well_formed() -> None:
    check_false_alarm_set(CORPUS, rows=122, rules=12)


def test_no_new_false_alarm() -> None:
    check_no_new_false_alarm(CORPUS, KNOWN_WRONG, agreed=100)
