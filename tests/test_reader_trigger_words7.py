"""The reader on innocent and tricky uses of what stop 34's sixth round keys on: 120 replies
written by a reviewer from the rules' descriptions alone, 15 per rule (a verb denied, then
the question's verb said by a pronoun; a possessive with its noun left out; "…, the
<superlative> of any/all …"; "but no —"; "I can't say which"; deferring to the user; a
restatement about another thing; "one of the <plural>"), labelled before reading
(``tests/data/reader_trigger_words7.jsonl``).

Stop 33's code read 84 of them as labelled, with 18 wrong option readings; the rules as first
written 89 with 12. Narrowed on this set: "didn't only write X" denies nothing; the pronoun's
verb rejects the option only when it is said of something else ("the Volga does, and it
empties into the Caspian Sea" keeps the Caspian); "the hardest of all the silicates" ranks
among fewer than the question; "but no —" takes back only what its own sentence said before
it; deferring ("if you're sure about X, I'd go with X") only when the condition names the
option ("If you insist on a single name, I'd say Hesse" answers). Now 95 with 11 wrong option
readings, all read so by stop 33's code too, listed so that none is added unnoticed. The set
is no longer independent of the rules.
"""

from __future__ import annotations

from reader_corpora import check_false_alarm_set, check_no_new_false_alarm, load

CORPUS = load("reader_trigger_words7.jsonl")
#: option readings that disagree with the label, all read so by stop 33's code too
KNOWN_WRONG = {
    "r34e-1-11",
    "r34e-2-05",
    "r34e-2-15",
    "r34e-3-03",
    "r34e-3-09",
    "r34e-3-11",
    "r34e-3-14",
    "r34e-3-15",
    "r34e-7-08",
    "r34e-7-14",
    "r34e-7-15",
}


def test_corpus_is_well_formed() -> None:
    check_false_alarm_set(CORPUS, rows=120, rules=8)


def test_no_new_false_alarm() -> None:
    check_no_new_false_alarm(CORPUS, KNOWN_WRONG, agreed=95)
