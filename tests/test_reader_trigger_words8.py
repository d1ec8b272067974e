"""The reader on innocent and tricky uses of what stop 35's rounds key on: 135 replies
written by a reviewer from the fifteen rules' descriptions alone, 9 per rule (an option's
modifier alone; small numbers as shared words; full stops inside names; "only the youngest
<narrower>"; an option after a comma weighed with its clause; two question words side by
side; "active at night"; compass words; "X did not …; Y did"; a slip that is part of several
options; a surname after another given name; a closing "Answer: X"; a full stop before a
closing quote; a clause ending on a pronoun; ordinals of numbered works), labelled before
reading (``tests/data/reader_trigger_words8.jsonl``).

Stop 34's code read 86 of them as labelled, with 19 wrong option readings; the rules as first
written 102 with 14. Narrowed on this set: "active at <X>" is another thing only when
clauses are weighed against each other ("Crepuscular animals are active at dawn and dusk"
answers); "only the youngest because …" narrows nothing; "First, … Second, … Third, …"
counts points, not symphonies; "it" shares the clause before only after the question's
own verb ("Forrest Gump won it", not "Gray's caveat did not stop it"); a quote closing
after a full stop ends a sentence only when it holds one ("'Voltaire.' That's the answer
most people give" stays one). Now 108 with 12 wrong option readings, all read so by stop
34's code too, listed so that none is added unnoticed. Lost: "Kennedy was only the youngest
elected, true, but …, so Kennedy." (now unreadable), and later "**Answer: 6**\n\nWait — 6 is
the total … 4 valence electrons" (read right only while "6" counted the next line's "Wait";
a number counts only a word on its own line now): 107. The set is no longer independent of
the rules.
"""

from __future__ import annotations

from reader_corpora import check_false_alarm_set, check_no_new_false_alarm, load

CORPUS = load("reader_trigger_words8.jsonl")
#: option readings that disagree with the label, all read so by stop 34's code too
KNOWN_WRONG = {
    "r35-1-06",
    "r35-11-03",
    "r35-12-03",
    "r35-13-09",
    "r35-14-05",
    "r35-14-09",
    "r35-2-04",
    "r35-5-04",
    "r35-5-07",
    "r35-5-09",
    "r35-6-06",
    "r35-9-05",
}


def test_corpus_is_well_formed() -> None:
    check_false_alarm_set(CORPUS, rows=135, rules=15)


def test_no_new_false_alarm() -> None:
    check_no_new_false_alarm(CORPUS, KNOWN_WRONG, agreed=107)
