"""The twenty-fifth blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
69 committing to no option), written and labelled at stop 36 by a helper that read none of
the reader's rules, corpora or code, while the stop's round on set 24 was made. Read for
counts only, rows never listed: stop 35's final rules 86.0% (215 / 250), 6 wrong (reviewer
forms 94.0%, 2 wrong; small model 96.4%, none; large model 96.4%, none; hard cases 37.5%, 4);
with the hedge beside an option the same; with the opening answer 87.2% (218 / 250), 6 wrong
(reviewer forms 96.0%, 2 wrong; hard cases 40.0%, 4). Opened at stop 37, once set 26 was
written (an "or" between two other options, a title the question quotes, "that isn't what
you asked", "X is where people think"): 89.2% (223 / 250), 3 wrong. The last test guards
those counts.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout25.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 25, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=0, nulls=69)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted (opened at stop 37)."""
    check_counts_hold(CORPUS, agreed=223, wrong=3)
