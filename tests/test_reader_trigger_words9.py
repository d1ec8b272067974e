"""The reader on innocent and tricky uses of the rules stop 35's plain-form battery led to:
128 replies written by a reviewer from the sixteen rules' descriptions alone, 8 per rule (a
name's own letter; symbols that are English words; contractions; verdict words; "change my
answer to"; "While X …,"; "the accepted answer"; "X — definitely not Y", "Not Y but X", "X
rather than Y"; numbered lists; modal openers; set phrases of degree; a verb after a number;
the pronoun "one"; a slip's first letter; "a common distractor"; "That's right, X."),
labelled before reading (``tests/data/reader_trigger_words9.jsonl``).

Stop 34's code read 91 of them as labelled, with 7 wrong option readings; the rules as first
written 113 with 2. Narrowed on this set: "I won't change my answer to X" changes nothing;
"While Canberra is the capital, …" and "While Mercury is my answer, …" set facts side by
side, they concede nothing; "was the standard answer before 2006" is history (only "is/remains
the accepted answer" states). Now 117 with 1 wrong option reading ("I'll switch from
Southampton to Belfast." for "From which port …?", read so by stop 34's code too), listed so
that none is added unnoticed. The set is no longer independent of the rules.
"""

from __future__ import annotations

from reader_corpora import check_false_alarm_set, check_no_new_false_alarm, load

CORPUS = load("reader_trigger_words9.jsonl")
#: option readings that disagree with the label, read so by stop 34's code too
KNOWN_WRONG = {"r35b-5-03"}


def test_corpus_is_well_formed() -> None:
    check_false_alarm_set(CORPUS, rows=128, rules=16)


def test_no_new_false_alarm() -> None:
    check_no_new_false_alarm(CORPUS, KNOWN_WRONG, agreed=117)
