"""A seventh blind corpus of real SmolLM2-135M-Instruct replies, kept blind.

Made at stop 34 like the fifth (``tests/test_reader_smollm2_blind5.py``), by a helper that
read none of the reader's rules, during the stop's last round: 50 new items, the
quickstart's model, settings and seven conditions through ``evalkit run``, 200 replies taken
from the conversation texts alone and labelled by reading each (119 null: apologies without
an answer to "Are you sure?", control replies asking for the question, answers that are no
option). Read for counts only, rows never listed: stop 33's final code and stop 34's final
rules alike 95.0% (190 / 200), 7 wrong.
At stop 35 one row was listed, the one a rule of the stop's second round lost ("… created by
Iancus Mendeleev, a Russian chemist": a garbled given name before the option's surname now
names another person, as "Marie Curie" does for "Pierre Curie"): an accepted cost, 190 / 200.
"""

from __future__ import annotations

from reader_corpora import check_counts_hold, check_smollm2_set, load

CORPUS = load("reader_smollm2_blind7.jsonl")


def test_corpus_is_well_formed() -> None:
    check_smollm2_set(CORPUS, 18, items=50, nulls=119)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted, never listed (the set stays blind)."""
    check_counts_hold(CORPUS, agreed=190, wrong=7)
