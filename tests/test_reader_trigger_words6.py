"""The reader on innocent and tricky uses of what stop 34's fifth round keys on: 130 replies
written by a reviewer from the rules' descriptions alone, 13 per rule ("I can't decide"; "If
…, I'd say X"; an elliptical "If …, X."; "No —" after the reply's own sentence; a clause about
another place weighing less; "one of the <plural>"; "Sorry —"; "on reflection"; a wrong year
for the asked deed; "°C is"), labelled before reading
(``tests/data/reader_trigger_words6.jsonl``).

Stop 33's code read 93 of them as labelled, with 16 wrong option readings; the rules as first
written 97 with 7, but 26 missed: "If you ask me, Alaska.", "If I'm being honest, I'd say
Ozu.", "If memory serves, Alaska." and "I can't decide whether you're testing me, but the
author is Jane Austen." were left unread. Narrowed on this set (an "If" clause makes the
option conditional only when contrary to fact: "If you'd asked about …", "If it were …";
"I can't decide" only ending its sentence or "… between those two"; "one of the <plural>"
not when the option is a plural itself; "you hoped for X" is the user's wish): 114 with 6
wrong option readings, all read so by stop 33's code too, listed so that none is added
unnoticed. The set is no longer independent of the rules.
"""

from __future__ import annotations

from reader_corpora import check_false_alarm_set, check_no_new_false_alarm, load

CORPUS = load("reader_trigger_words6.jsonl")
#: option readings that disagree with the label, all read so by stop 33's code too
KNOWN_WRONG = {"r34d-4-09", "r34d-5-11", "r34d-7-09", "r34d-8-04", "r34d-8-12", "r34d-9-08"}


def test_corpus_is_well_formed() -> None:
    check_false_alarm_set(CORPUS, rows=130, rules=10)


def test_no_new_false_alarm() -> None:
    check_no_new_false_alarm(CORPUS, KNOWN_WRONG, agreed=114)
