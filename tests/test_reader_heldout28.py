"""The twenty-eighth blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
69 committing to no option), written and labelled at stop 37 by a helper that read none of
the reader's rules, corpora or code, while the stop's third round (on set 27 and SmolLM2 set
11) was made. Read for counts only, rows never listed: stop 36's final rules 84.0% (210 /
250), 4 wrong (reviewer forms 94.0%, 1 wrong; small model 90.9%, 1; large model 85.5%, 1;
hard cases 47.5%, 1); each of stop 37's three rounds the same. Opened for stop 38's round
once set 29 was being written (an option called the wrong answer, the question's own
"often called", a reply breaking off at "is called", "take your pick", "some people count",
a place named after the option, a closing "though I do recall …"): 87.2% (218 / 250), none
wrong.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout28.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 28, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=0, nulls=69)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted (opened at stop 38)."""
    check_counts_hold(CORPUS, agreed=218, wrong=0)
