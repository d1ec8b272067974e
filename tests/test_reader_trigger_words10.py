"""The reader on innocent and tricky uses of stop 36's rules: 120 replies written by a
reviewer from the four rules' descriptions alone, 30 per rule (an option alone before a
pause opening the reply; an "or" that hedges only beside an option; "None of X, Y or Z";
"Let me …" naming no option "Let"), labelled before reading
(``tests/data/reader_trigger_words10.jsonl``).

Stop 35's code read 64 of them as labelled, with 7 wrong option readings; the rules as first
written 74 with 11. Narrowed on this set: an opening answer decides nothing when another
option ends the reply alone ("212 — in Fahrenheit. In Celsius, 100.") or opens its own
sentence before the same pause (a list of pairs), or after "oops", "strike that", "nah",
"a different question"; "None of X, Y or Z is P" denies only the asked thing or the answer
itself ("is right", "is used for lead"), not another property ("is a noble gas"); "Let me"
stays the option where the question has a blank before "me"/"us"; "others" is no slip of
"otters". Now 82 with 5 wrong option readings, all read so by stop 35's code too, listed so
that none is added unnoticed. Found on the way: a list check that backtracked without end on
long option names (a reply of two sentences never finished). The set is no longer
independent of the rules.
"""

from __future__ import annotations

from reader_corpora import check_false_alarm_set, check_no_new_false_alarm, load

CORPUS = load("reader_trigger_words10.jsonl")
#: option readings that disagree with the label, read so by stop 35's code too
KNOWN_WRONG = {"r36-1-02", "r36-1-12", "r36-1-14", "r36-1-15", "r36-2-10"}


def test_corpus_is_well_formed() -> None:
    check_false_alarm_set(CORPUS, rows=120, rules=4)


def test_no_new_false_alarm() -> None:
    check_no_new_false_alarm(CORPUS, KNOWN_WRONG, agreed=82)
