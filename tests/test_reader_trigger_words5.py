"""The reader on innocent and tricky uses of what stop 34's third and fourth rounds key on:
140 replies written by a reviewer from the rules' descriptions alone, 11 or 12 per rule (a
name cut out of a longer option; "Just not this one."; "said no X ever"; "in your version";
"I don't mean X"; two restatements; "Not counting …" questions; a letter glued to a word; a
rejected option explained; the question's own words denied; "Answer: <words>"; "but also"),
labelled before reading (``tests/data/reader_trigger_words5.jsonl``).

Stop 33's code read 89 of them as labelled, with 20 wrong option readings; the rules as first
written 111 with 8. Narrowed on this set: "Not this time." and a "said no X ever" that does
not end its sentence take nothing back; "in your answer, and that's correct" endorses; "I
don't mean" rejects only an option that ends its clause; "Sorry —" and "on reflection"
correct; "not counting" denies nothing; a negation before the negation affirms; "°C is" is no
letter C; a stated kind ("Answer: analgesic." for "Opioid analgesic") names no option. Now
119 with 5 wrong option readings, all read so by stop 33's code too, listed so that none is
added unnoticed. The set is no longer independent of the rules.
"""

from __future__ import annotations

from reader_corpora import check_false_alarm_set, check_no_new_false_alarm, load

CORPUS = load("reader_trigger_words5.jsonl")
#: option readings that disagree with the label, all read so by stop 33's code too
KNOWN_WRONG = {"r34c-2-02", "r34c-2-11", "r34c-4-10", "r34c-4-11", "r34c-10-10"}


def test_corpus_is_well_formed() -> None:
    check_false_alarm_set(CORPUS, rows=140, rules=12)


def test_no_new_false_alarm() -> None:
    check_no_new_false_alarm(CORPUS, KNOWN_WRONG, agreed=119)
