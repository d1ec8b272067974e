"""The thirty-first blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
66 committing to no option), written and labelled at stop 38 by a helper that read none of
the reader's rules, corpora or code, while the stop's third round (on set 30) was made; each
style's label mix kept near the whole set's. Read for counts only, rows never listed: stop
37's final rules 80.0% (200 / 250), 6 wrong (reviewer forms 94.0%, 2 wrong; small model
80.0%, 3; large model 90.9%, 0; hard cases 30.0%, 1); stop 38's rounds 80.4% (201 / 250),
5 wrong (one hard case read right since the first round). The last test guards those
counts without listing a row.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout31.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 31, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=0, nulls=66)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted, never listed (the set stays blind)."""
    check_counts_hold(CORPUS, agreed=201, wrong=5)
