"""The reader on innocent and tricky uses of what stop 34's first rules key on: 126 replies
written by a reviewer from the rules' descriptions alone, 25 or 26 per rule ("Wait — no,"
with a dash; the question's year standing for "the first X"; a clause giving the asked word
to another owner or calling it another one; "not X — X is for risotto"; "X is a false
<noun>"), labelled before reading (``tests/data/reader_trigger_words3.jsonl``).

Stop 33's code read 76 of them as labelled, with 22 wrong option readings; the rules as first
written 87, with 16. The year rule misfired on four ("The 1930 runner-up was Argentina", "In
1969 the command module pilot was Michael Collins") and was dropped; "a false <noun>" was
narrowed to nouns for a claim or a form ("false analogy", "mistaken form"; not "false friend",
"false positive", "a mistaken office-seeker"); a clause about another owner also stops a
lone option ("The riel is Cambodia's currency, and I'm not sure about Vietnam's."), but not
after "It's"; "Wait — no," with nothing after it takes the answer back, unless "I'm sure"
follows. Now 95 read as labelled (one fewer since a relative named through an option,
"Plato's student", no longer counts against a question about teaching: "Aristotle was
Plato's student and later Alexander's tutor" is now unreadable), 7 wrong option readings,
listed so that none is added unnoticed (8 since the explained rejection was widened past a
copula: "The answer is not Arborio. Arborio is the answer, though." reads Arborio again, as
stop 33's code did). The set is no longer independent of the rules.
"""

from __future__ import annotations

from reader_corpora import check_false_alarm_set, check_no_new_false_alarm, load

CORPUS = load("reader_trigger_words3.jsonl")
#: option readings that disagree with the label, all read so by stop 33's code too
KNOWN_WRONG = {
    "r34-1-14",
    "r34-2-03",
    "r34-2-04",
    "r34-2-20",
    "r34-2-25",
    "r34-4-04",
    "r34-4-19",
    "r34-5-24",
}


def test_corpus_is_well_formed() -> None:
    check_false_alarm_set(CORPUS, rows=126, rules=5)


def test_no_new_false_alarm() -> None:
    check_no_new_false_alarm(CORPUS, KNOWN_WRONG, agreed=95)
