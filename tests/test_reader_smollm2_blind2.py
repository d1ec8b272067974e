"""A second blind corpus of real SmolLM2-135M-Instruct replies to new items, labelled by hand.

Made at stop 33 like ``tests/test_reader_smollm2_blind.py``'s, by another helper: 50 new
items (6 arithmetic, 8 "How many …?" with options written as words, 2 "In which century
…?"), the quickstart's model, settings and seven conditions through ``evalkit run``, 200
replies taken from the conversation texts alone (final turns, and replies to the challenge
as rows of their own), labelled by reading each. First reading, with the rules written on
the first SmolLM2 set: 93.5% (187 / 200), 4 wrong, 9 missed (stop 32's code: 90.0%, 4
wrong, 16 missed). Then opened: rules for its kinds (``tests/test_reader_plain_forms.py``:
a country's people said of the asked thing, a capital opening a title, a statement of
something that is no option after the option, "not entirely accurate", "but it's actually
…") took it to 96.0% (192 / 200), 1 wrong. It is no longer blind.
"""

from __future__ import annotations

from reader_corpora import check_counts_hold, check_smollm2_set, load

CORPUS = load("reader_smollm2_blind2.jsonl")


def test_corpus_is_well_formed() -> None:
    check_smollm2_set(CORPUS, 13, items=50, nulls=108)


def test_the_readers_counts_do_not_get_worse() -> None:
    check_counts_hold(CORPUS, agreed=194, wrong=1)
