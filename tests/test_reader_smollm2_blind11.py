"""An eleventh blind corpus of real SmolLM2-135M-Instruct replies, opened at stop 37.

Made at stop 37 like the tenth (``tests/test_reader_smollm2_blind10.py``), by a helper that
read none of the reader's rules: 50 new items, the quickstart's model, settings and seven
conditions through ``evalkit run``, 200 replies taken from the conversation texts alone and
labelled by reading each (129 null). Read for counts only, rows never listed: stop 36's
final rules 96.5% (193 / 200), 6 wrong, 1 missed; stop 37's first two rounds the same.
Opened for the third round (another name of an option inside a name the question
capitalises, "Bugs Bunny"; a correction to "the holiday of Hanukkah"): 97.5% (195 / 200), 4
wrong.
"""

from __future__ import annotations

from reader_corpora import check_counts_hold, check_smollm2_set, load

CORPUS = load("reader_smollm2_blind11.jsonl")


def test_corpus_is_well_formed() -> None:
    check_smollm2_set(CORPUS, 22, items=50, nulls=129)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted (opened at stop 37)."""
    check_counts_hold(CORPUS, agreed=195, wrong=4)
