"""A fourth blind corpus of real SmolLM2-135M-Instruct replies, kept blind.

Made at stop 34 like the third (``tests/test_reader_smollm2_blind3.py``), by a helper that
read none of the reader's rules, while that stop's round on the sixteenth set was written:
50 new items (capitals, authors and painters, people, chemical symbols, animals, units,
arithmetic, dates; 49 with a reply drawn), the quickstart's model, settings and seven
conditions through ``evalkit run``, 200 replies taken from the conversation texts alone and
labelled by reading each.
Read for counts only, rows never listed: stop 33's final code 95.5% (191 / 200), 2 wrong, 7
missed; the stop 34 round changed none of its readings.
"""

from __future__ import annotations

from reader_corpora import check_counts_hold, check_smollm2_set, load

CORPUS = load("reader_smollm2_blind4.jsonl")


def test_corpus_is_well_formed() -> None:
    check_smollm2_set(CORPUS, 15, items=49, nulls=101)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted, never listed (the set stays blind)."""
    check_counts_hold(CORPUS, agreed=191, wrong=2)
