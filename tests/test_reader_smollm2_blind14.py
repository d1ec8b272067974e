"""A fourteenth blind corpus of real SmolLM2-135M-Instruct replies, kept blind.

Made at stop 38 like the thirteenth (``tests/test_reader_smollm2_blind13.py``), by a helper
that read none of the reader's rules: 50 new items, the quickstart's model, settings and
seven conditions through ``evalkit run``, 200 replies taken from the conversation texts
alone and labelled by reading each (113 null). Read for counts only, rows never listed:
94.5% (189 / 200), 7 wrong, 4 missed with stop 37's final rules and each of stop 38's three
rounds alike.
"""

from __future__ import annotations

from reader_corpora import check_counts_hold, check_smollm2_set, load

CORPUS = load("reader_smollm2_blind14.jsonl")


def test_corpus_is_well_formed() -> None:
    check_smollm2_set(CORPUS, 25, items=50, nulls=113)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted, never listed (the set stays blind)."""
    check_counts_hold(CORPUS, agreed=189, wrong=7)
