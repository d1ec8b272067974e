"""A fifth blind corpus of real SmolLM2-135M-Instruct replies, kept blind.

Made at stop 34 like the fourth (``tests/test_reader_smollm2_blind4.py``), by a helper that
read none of the reader's rules, while that stop's last round was written: 50 new items
(capitals, authors, inventors, chemical symbols, animals, body parts, units, arithmetic,
dates, colours, sports; 48 with a reply drawn), the quickstart's model, settings and seven
conditions through ``evalkit run``, 200 replies taken from the conversation texts alone and
labelled by reading each. Read for counts only, rows never listed: stop 33's final code
94.0% (188 / 200), 5 wrong; stop 34's final rules 94.5% (189 / 200), 5 wrong.
"""

from __future__ import annotations

from reader_corpora import check_counts_hold, check_smollm2_set, load

CORPUS = load("reader_smollm2_blind5.jsonl")


def test_corpus_is_well_formed() -> None:
    check_smollm2_set(CORPUS, 16, items=48, nulls=97)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted, never listed (the set stays blind)."""
    check_counts_hold(CORPUS, agreed=190, wrong=4)
