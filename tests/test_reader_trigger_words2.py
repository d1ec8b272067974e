"""The reader on innocent uses of what stop 33's rules key on: 164 replies written by a
reviewer from the rules' descriptions alone, 10 to 28 per rule (a cut-off after "is", "the
patent" for "the first patent", "the Incas", a cleft "it was …, X, who", "X is 10, the
hardest", options beside years, digits for "Six", years for centuries, "<word> of X", a later
sentence repeating the question's words), labelled before reading
(``tests/data/reader_trigger_words2.jsonl``).

The code before the stop read 91 of them as labelled, with 10 wrong option readings; the
rules as first written 117, with 7 wrong, but the later-sentence rule left 11 plain answers
unreadable ("Leonardo da Vinci painted it in the early 1500s. The Mona Lisa was painted in
oil on a poplar wood panel.") and the cleft rule committed one reply to the wrong option
("It was the old emperor, Franz Joseph, who declared war …"). Narrowed on this set (a
later restatement counts only when it marks itself as the answer in other words: "itself",
"though", "actually", a doer described, "by a young German physicist"; the cleft rule
dropped; a year names no century beside a century the reply names), they read 129, with 6
wrong option readings, all older than these rules, listed so that none is added unnoticed.
The set is no longer independent of the rules.
"""

from __future__ import annotations

from reader_corpora import check_false_alarm_set, check_no_new_false_alarm, load

CORPUS = load("reader_trigger_words2.jsonl")
#: option readings that disagree with the label, all read so by the code before stop 33
KNOWN_WRONG = {"r33-4-05", "r33-4-12", "r33-5-10", "r33-5-14", "r33-6-11", "r33-9-15"}


def test_corpus_is_well_formed() -> None:
    check_false_alarm_set(CORPUS, rows=164, rules=10)


def test_no_new_false_alarm() -> None:
    check_no_new_false_alarm(CORPUS, KNOWN_WRONG, agreed=133)
