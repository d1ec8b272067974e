"""The reader on innocent and tricky uses of stop 38's second round: 120 replies written by a
reviewer from the seven rules' descriptions alone (declining to pick; "<option> won it";
an amount in the unit asked in; "I'm going with X" and "the phrase you want is X"; "plenty
of people"; a ruler's bare name; a proper name's distinctive word in small letters),
labelled before reading (``tests/data/reader_trigger_words13.jsonl``).

The first round's code read 90 of them as labelled, with 10 wrong option readings; the rules
as first written 90 with 5, but 12 replies read right before were lost, all to the declining
phrases: "I'd hesitate to crown a single answer in most invention disputes, but the
conventional credit … goes to Bell", "partly a matter of definition — but by the usual
reckoning, 1945". Narrowed on this set: those phrases decline only when no option is named
after them; "the word you're looking for is X" was dropped (it lost a reply to an option
explained after a dash). Now 103 with 5 wrong option readings, all read so by the first
round's code too, listed so that none is added unnoticed. The set is no longer independent
of the rules.
"""

from __future__ import annotations

from reader_corpora import check_false_alarm_set, check_no_new_false_alarm, load

CORPUS = load("reader_trigger_words13.jsonl")
#: option readings that disagree with the label, read so by the first round's code too
KNOWN_WRONG = {"trigger13-012", "trigger13-013", "trigger13-024", "trigger13-032", "trigger13-112"}


def test_corpus_is_well_formed() -> None:
    check_false_alarm_set(CORPUS, rows=120, rules=7)


def test_no_new_false_alarm() -> None:
    check_no_new_false_alarm(CORPUS, KNOWN_WRONG, agreed=103)
