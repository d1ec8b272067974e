"""A ninth blind corpus of real SmolLM2-135M-Instruct replies, kept blind.

Made at stop 35 like the eighth (``tests/test_reader_smollm2_blind8.py``), by a helper that
read none of the reader's rules: 50 new items, the quickstart's model, settings and seven
conditions through ``evalkit run``, 200 replies taken from the conversation texts alone and
labelled by reading each (109 null). Read for counts only, rows never listed: stop 34's
final rules 93.5% (187 / 200), 4 wrong, 9 missed; the stop's first round the same. Opened at
stop 36 once SmolLM2 set 10 was written (a quoted answer with an article, an option stated and
then denied, "not familiar with X"): 95.5% (191 / 200), 2 wrong.
"""

from __future__ import annotations

from reader_corpora import check_counts_hold, check_smollm2_set, load

CORPUS = load("reader_smollm2_blind9.jsonl")


def test_corpus_is_well_formed() -> None:
    check_smollm2_set(CORPUS, 20, items=50, nulls=109)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted (opened at stop 36)."""
    check_counts_hold(CORPUS, agreed=191, wrong=2)
