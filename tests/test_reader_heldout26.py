"""The twenty-sixth blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
70 committing to no option), written and labelled at stop 37 by a helper that read none of
the reader's rules, corpora or code, while the stop's round on sets 25 and SmolLM2 10 was
made. Read for counts only, rows never listed: stop 36's final rules 76.8% (192 / 250), 17
wrong (reviewer forms 86.0%, 4 wrong; small model 92.7%, 2; large model 76.4%, 1; hard cases
32.5%, 10); the round's rules the same. Opened at stop 37 for a second round, once set 27
was written (a step the working carries on from, another dimension, a list "and others",
answers in branches, "one of the two", "I can't remember"): 80.0% (200 / 250), 11 wrong.
The last test guards those counts.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout26.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 26, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=0, nulls=70)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted (opened at stop 37)."""
    check_counts_hold(CORPUS, agreed=200, wrong=11)
