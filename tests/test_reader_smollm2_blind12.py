"""A twelfth blind corpus of real SmolLM2-135M-Instruct replies, opened at stop 38.

Made at stop 38 like the eleventh (``tests/test_reader_smollm2_blind11.py``), by a helper
that read none of the reader's rules: 50 new items, the quickstart's model, settings and
seven conditions through ``evalkit run``, 200 replies taken from the conversation texts
alone and labelled by reading each (109 null). Read for counts only, rows never listed:
stop 37's final rules 95.5% (191 / 200), 4 wrong, 5 missed; stop 38's first round the same.
Opened for its second round: of the four wrong readings, one ("The answer is a mix of a dog
and a wizard.") had a rule tried and dropped ("a mix of" / "a combination of" before an
option: it lost three right readings and made one new wrong one on the older sets); the
others ("she's actually following a fox", "not familiar with the concept of "house" and
"bedroom"", "served with pasta") are left. Still 95.5%, 4 wrong.
"""

from __future__ import annotations

from reader_corpora import check_counts_hold, check_smollm2_set, load

CORPUS = load("reader_smollm2_blind12.jsonl")


def test_corpus_is_well_formed() -> None:
    check_smollm2_set(CORPUS, 23, items=50, nulls=109)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted (opened at stop 38)."""
    check_counts_hold(CORPUS, agreed=191, wrong=4)
