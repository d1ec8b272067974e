"""The reader on innocent and tricky uses of what stop 34's second rules key on: 138 replies
written by a reviewer from the rules' descriptions alone, 16 to 19 per rule (an option given
a lesser part with "only"/"merely"; named through a relative, "Akbar's father"; ranked by
another measure; dated to other years than the question's; another's view through a list;
"hard to credit any one person"; "Wait — no," with nothing after; a lone option in a clause
about another owner), labelled before reading (``tests/data/reader_trigger_words4.jsonl``).

Stop 33's code read 87 of them as labelled, with 27 wrong option readings; the rules as first
written 91 with 6, but 41 missed: "Mercury only appears at dusk", "By size, Pluto", "Neil
Armstrong (1930–2012) walked on the Moon first", "Many think Sydney, and Canberra is in fact
the capital", "hard to single out one person, but the credit goes to Bell" were left unread.
Narrowed on this set (a second hand's verb or a lesser kind; measures that rank the same;
life dates, spans and relative clauses set aside, a bare dated answer kept; a listed option
with a verb of its own is no list; an answer after a turn from "hard to credit"), they read
112 with 5 wrong option readings, all read so by stop 33's code too, listed so that none is
added unnoticed. One labelled answer is left unread on purpose: "Chadwick discovered it in
1931" for "… in 1932?" is read like "Sudan became independent in 1956" for "… in 2011?",
which commits to nothing. 113 since "Chadwick discovered it in 1931" reads Chadwick again (a
wrong year for the asked deed done to the asked thing), 112 since a surname that is a word of
the question names nobody ("Mozart's father taught him." for "Who taught … Mozart …?" had read
"Leopold Mozart" by that surname). The set is no longer independent of the rules.
"""

from __future__ import annotations

from reader_corpora import check_false_alarm_set, check_no_new_false_alarm, load

CORPUS = load("reader_trigger_words4.jsonl")
#: option readings that disagree with the label, all read so by stop 33's code too
KNOWN_WRONG = {"r34b-1-14", "r34b-1-17", "r34b-4-05", "r34b-7-11", "r34b-8-13"}


def test_corpus_is_well_formed() -> None:
    check_false_alarm_set(CORPUS, rows=138, rules=8)


def test_no_new_false_alarm() -> None:
    check_no_new_false_alarm(CORPUS, KNOWN_WRONG, agreed=112)
