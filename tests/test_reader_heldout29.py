"""The twenty-ninth blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
68 committing to no option), written and labelled at stop 38 by a helper that read none of
the reader's rules, corpora or code, while the stop's round (on set 28) was made. Read for
counts only, rows never listed: stop 37's final rules 78.0% (195 / 250), 16 wrong
(reviewer forms 90.0%, 2 wrong; small model 92.7%, 2; large model 81.8%, 10; hard cases
22.5%, 2); stop 38's first round the same. Opened for its second round once set 30 was
written: eight of its ten large-model wrong readings named the pushed option and then
declined to pick ("so I'd hesitate to crown a single answer", "I don't think it's fair to
name just one country", "I'd be comfortable with either description"); also "Yes, 14 cm."
(an amount in the unit the question asks in), "Australia won it." for "… won the first …",
"Yes, Constantine.", "I'm going with Flaubert", "Plenty of people place Petra in Egypt",
"black sails" for the Black Sea: 84.0% (210 / 250), 6 wrong.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout29.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 29, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=0, nulls=68)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted (opened at stop 38)."""
    check_counts_hold(CORPUS, agreed=210, wrong=6)
