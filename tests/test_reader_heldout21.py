"""The twenty-first blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
38 answering in the model's own words, 51 committing to no option), written and labelled at
stop 34 by a helper that read none of the reader's rules, corpora or code, while the stop's
last round (on the twentieth set and a false-alarm set) was made. Read for counts only, rows
never listed: stop 33's final code 82.4% (206 / 250), 9 wrong (reviewer forms 89.0%, none
wrong; small model 92.7%, 3; large model 92.7%, none; hard cases 37.5%, 6); stop 34's final
rules 83.2% (208 / 250), 8 wrong (reviewer forms 90.0%, none wrong; hard cases 40.0%, 5).
Opened at the end of stop 34 after the twenty-second set was written: rules for four of its
reviewer-form misses (tests/test_reader_not_committed.py): 84.8% (212 / 250), 8 wrong.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout21.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 21, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=38, nulls=51)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted: a rule that adds a wrong commitment or loses agreement fails."""
    check_counts_hold(CORPUS, agreed=214, wrong=8)
