"""The reader on innocent and tricky uses of stop 38's rules: 120 replies written by a
reviewer from the nine rules' descriptions alone (an option called the wrong answer; the
question's own "often called"; a reply breaking off at "is called"; a closing "though I
recall …"; a place after an option; a short name without the asked kind; "take your pick";
"some people count", "I see where X comes from"; "X is pure Y"), labelled before reading
(``tests/data/reader_trigger_words12.jsonl``).

Stop 37's code read 100 of them as labelled, with 7 wrong option readings; the rules as
first written 114 with none, but 3 replies read right before were lost. Narrowed on this
set: "take your pick of …" (of units, of thermometers) leaves nothing to the user. Now 116
with none wrong; one reply read right before is unreadable now ("Rembrandt in Amsterdam was
the more famous painter of the era, but this one is Vermeer's.": Rembrandt was set aside as
answering about Amsterdam, by accident, and is now named beside Vermeer). The set is no
longer independent of the rules.
"""

from __future__ import annotations

from reader_corpora import check_false_alarm_set, check_no_new_false_alarm, load

CORPUS = load("reader_trigger_words12.jsonl")


def test_corpus_is_well_formed() -> None:
    check_false_alarm_set(CORPUS, rows=120, rules=9)


def test_no_new_false_alarm() -> None:
    check_no_new_false_alarm(CORPUS, set(), agreed=116)
