"""A thirteenth blind corpus of real SmolLM2-135M-Instruct replies, opened at stop 38.

Made at stop 38 like the twelfth (``tests/test_reader_smollm2_blind12.py``), by a helper
that read none of the reader's rules: 50 new items, the quickstart's model, settings and
seven conditions through ``evalkit run``, 200 replies taken from the conversation texts
alone and labelled by reading each (125 null). Read for counts only, rows never listed:
stop 37's final rules 95.5% (191 / 200), 3 wrong, 6 missed; both of stop 38's first rounds
the same. Opened for the third round: a rule for "some cities like Berlin, Hamburg" was
dropped (it set aside only the first option of such a list); still 95.5%, 3 wrong.
"""

from __future__ import annotations

from reader_corpora import check_counts_hold, check_smollm2_set, load

CORPUS = load("reader_smollm2_blind13.jsonl")


def test_corpus_is_well_formed() -> None:
    check_smollm2_set(CORPUS, 24, items=50, nulls=125)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted (opened at stop 38)."""
    check_counts_hold(CORPUS, agreed=191, wrong=3)
