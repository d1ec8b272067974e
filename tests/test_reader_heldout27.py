"""The twenty-seventh blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
64 committing to no option), written and labelled at stop 37 by a helper that read none of
the reader's rules, corpora or code, while the stop's second round (on set 26) was made.
Read for counts only, rows never listed: stop 36's final rules 79.6% (199 / 250), 10 wrong
(reviewer forms 91.0%, 2 wrong; small model 87.3%, 3; large model 94.5%, 1; hard cases
20.0%, 4); both of stop 37's rounds the same. Opened at stop 37 for a third round, once set
28 was being written (a factorial's "!", a rejected option explained after its denial, list
lines ending "yes"/"no", "right there", a closing "So the answer is", an "or" away from every
option in the answering sentence, a preposition taken for a kind): 81.6% (204 / 250), 9
wrong. The last test guards those counts.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout27.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 27, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=0, nulls=64)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted (opened at stop 37)."""
    check_counts_hold(CORPUS, agreed=204, wrong=9)
