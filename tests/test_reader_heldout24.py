"""The twenty-fourth blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
24 answering in the model's own words, 48 committing to no option), written and labelled at
stop 35 by a helper that read none of the reader's rules, corpora or code, while the stop's
first round (on blind-time misses of stop 33's code on sets 17-22) was made. Read for counts
only, rows never listed: stop 34's final rules 80.0% (200 / 250), 15 wrong (reviewer forms
89.0%, 3 wrong; small model 96.4%, none; large model 80.0%, 2; hard cases 35.0%, 10); the
first round's rules the same; with the plain-form battery's rules (later that stop) 80.4%
(201 / 250), 14 wrong. Opened at stop 36, once set 25 was written (the opening answer, an "or"
said of something else, "none of" a list): 86.0% (215 / 250), 12 wrong. The last test
guards those counts.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout24.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 24, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=24, nulls=48)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted (opened at stop 36)."""
    check_counts_hold(CORPUS, agreed=215, wrong=12)
