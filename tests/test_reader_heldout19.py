"""The nineteenth blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
36 answering in the model's own words, 52 committing to no option), written and labelled at
stop 34 by a helper that read none of the reader's rules, corpora or code, while the round on
the opened eighteenth set was made. Read for counts only, rows never listed: stop 33's final
code 80.4% (201 / 250), 11 wrong (reviewer forms 91.0%, 2 wrong; small model 94.5%, 1; large
model 89.1%, 1; hard cases 22.5%, 7); stop 34's rules before that round 80.8%, 8 wrong (three
hard cases' wrong commitments made unreadable); after it 81.2% (203 / 250), 8 wrong (reviewer
forms 93.0%, 2 wrong). Opened at stop 34 after the twentieth set was written: rules for the
kinds of its wrong commitments and reviewer-form misses (tests/test_reader_not_committed.py):
83.2% (208 / 250), 3 wrong.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout19.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 19, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=36, nulls=52)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted: a rule that adds a wrong commitment or loses agreement fails."""
    check_counts_hold(CORPUS, agreed=209, wrong=3)
