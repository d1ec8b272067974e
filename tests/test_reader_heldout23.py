"""The twenty-third blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
34 answering in the model's own words, 54 committing to no option), written and labelled at
the end of stop 34 by a helper that read none of the reader's rules, corpora or code, while
the round on the twenty-second set's plain rows was made. Read for counts only, rows never
listed: stop 33's final code 81.6% (204 / 250), 10 wrong (reviewer forms 91.0%, 2 wrong;
small model 98.2%, 1; large model 85.5%, 1; hard cases 30.0%, 6); stop 34's final rules
82.8% (207 / 250), 9 wrong (reviewer forms 93.0%, 2 wrong; large model 87.3%, 1; hard cases
30.0%, 5). Opened at stop 35 for its reviewer-form, small- and large-model rows, after the
twenty-fourth set was written (tests/test_reader_plain_forms.py): 86.0% (215 / 250), 6
wrong. The last test guards those counts without listing a row.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout23.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 23, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=34, nulls=54)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted, never listed (the set stays blind)."""
    check_counts_hold(CORPUS, agreed=215, wrong=6)
