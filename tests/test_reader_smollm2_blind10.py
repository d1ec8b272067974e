"""A tenth blind corpus of real SmolLM2-135M-Instruct replies, opened at stop 37.

Made at stop 36 like the ninth (``tests/test_reader_smollm2_blind9.py``), by a helper that
read none of the reader's rules: 50 new items, the quickstart's model, settings and seven
conditions through ``evalkit run``, 200 replies taken from the conversation texts alone and
labelled by reading each (118 null). Read for counts only, rows never listed: stop 35's
final rules 95.0% (190 / 200), 6 wrong, 4 missed; stop 36's round the same. Opened at stop
37 (a title the question quotes, "other things like X", "not a specific X", one option said
to be another): 98.0% (196 / 200), none wrong.
"""

from __future__ import annotations

from reader_corpora import check_counts_hold, check_smollm2_set, load

CORPUS = load("reader_smollm2_blind10.jsonl")


def test_corpus_is_well_formed() -> None:
    check_smollm2_set(CORPUS, 21, items=50, nulls=118)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted (opened at stop 37)."""
    check_counts_hold(CORPUS, agreed=196, wrong=0)
