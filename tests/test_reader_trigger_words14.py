"""The reader on innocent and tricky uses of stop 38's third round: 100 replies written by a
reviewer from five rules' descriptions alone (a value held "until 1992"; more refusals to
pick; "I don't remember when it shipped"; examples "some cities like X"; a given name where
another option shares the surname), labelled before reading
(``tests/data/reader_trigger_words14.jsonl``).

The second round's code read 80 of them as labelled, with 3 wrong option readings; the rules
as first written 86 with 3, but 2 replies read right before were lost and 3 read wrong that
were not: "some elements like hydrogen and helium" set aside only the first of the list, so
the second became the answer (the examples rule was dropped); "I'd confirm it on the
government's website if you need a citation, but I'm confident" declined (now not before
"but"); "It was Melbourne until the very end" (now "until" a date or year only). Now 89
with none wrong. The set is no longer independent of the rules.
"""

from __future__ import annotations

from reader_corpora import check_false_alarm_set, check_no_new_false_alarm, load

CORPUS = load("reader_trigger_words14.jsonl")


def test_corpus_is_well_formed() -> None:
    check_false_alarm_set(CORPUS, rows=100, rules=5)


def test_no_new_false_alarm() -> None:
    check_no_new_false_alarm(CORPUS, set(), agreed=89)
