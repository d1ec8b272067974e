"""The thirtieth blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
66 committing to no option), written and labelled at stop 38 by a helper that read none of
the reader's rules, corpora or code, while the stop's second round (on set 29) was made; its
writer kept each style's label mix near the whole set's. Read for counts only, rows never
listed: stop 37's final rules 76.8% (192 / 250), 10 wrong (reviewer forms 89.0%, 3 wrong;
small model 69.1%, 4; large model 92.7%, 2; hard cases 35.0%, 1); both of stop 38's rounds
the same. Opened for the third round once set 31 was being written (more refusals to pick,
"I don't remember when it actually shipped", "four until 1992", a correction after "wait",
"… or 34", a reply breaking off at "I think the letter", "her husband Percy"): 80.8% (202 /
250), 2 wrong.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout30.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 30, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=0, nulls=66)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted (opened at stop 38)."""
    check_counts_hold(CORPUS, agreed=202, wrong=2)
