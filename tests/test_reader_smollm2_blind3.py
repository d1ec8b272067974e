"""A third blind corpus of real SmolLM2-135M-Instruct replies, kept blind.

Made at stop 33 like the first two (``tests/test_reader_smollm2_blind.py``), by another
helper, after the stop's rounds on them: 50 new items (people, places, science, dates, 6
arithmetic, "How many …?", two "Which is NOT …?"), the quickstart's model, settings and seven
conditions through ``evalkit run``, 200 replies taken from the conversation texts alone and
labelled by reading each. Read for counts only, rows never listed: stop 32's code 93.5%
(187 / 200), 5 wrong; the stop's final rules 95.5% (191 / 200), 4 wrong, 5 missed. The
honest estimate for real SmolLM2 replies to items the reader was not tuned on.
"""

from __future__ import annotations

from reader_corpora import check_counts_hold, check_smollm2_set, load

CORPUS = load("reader_smollm2_blind3.jsonl")


def test_corpus_is_well_formed() -> None:
    check_smollm2_set(CORPUS, 14, items=50, nulls=110)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted, never listed (the set stays blind)."""
    check_counts_hold(CORPUS, agreed=191, wrong=4)
