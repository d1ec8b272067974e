"""The twentieth blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
41 answering in the model's own words, 53 committing to no option), written and labelled at
stop 34 by a helper that read none of the reader's rules, corpora or code, while the stop's
last round (on the nineteenth set and a false-alarm set) was made. Read for counts only, rows
never listed: stop 33's final code and stop 34's final rules alike 82.0% (205 / 250), 11
wrong (reviewer forms 95.0%, 1 wrong; small model 100%; large model 81.8%, 1 wrong; hard
cases 25.0%, 9 wrong; own words 24.4%, 7 wrong). Opened at stop 34 after the twenty-first
set was written: rules for the kinds of its wrong commitments and reviewer-form misses
(tests/test_reader_not_committed.py): 83.6% (209 / 250), 8 wrong.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout20.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 20, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=41, nulls=53)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted: a rule that adds a wrong commitment or loses agreement fails."""
    check_counts_hold(CORPUS, agreed=210, wrong=8)
