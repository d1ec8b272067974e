"""An eighth blind corpus of real SmolLM2-135M-Instruct replies, kept blind.

Made at the end of stop 34 like the seventh (``tests/test_reader_smollm2_blind7.py``), by a
helper that read none of the reader's rules: 50 new items (49 with a reply drawn), the
quickstart's model, settings and seven conditions through ``evalkit run``, 200 replies taken
from the conversation texts alone and labelled by reading each (103 null). Read for counts
only, rows never listed: stop 33's final code and stop 34's final rules alike 89.0%
(178 / 200), 2 wrong, 20 missed (the helper's report lists paraphrases it labelled as
options, "cocoa" for Cacao and "movement of the Earth's crust" for Earthquakes in 4 rows,
which the rules do not read).
"""

from __future__ import annotations

from reader_corpora import check_counts_hold, check_smollm2_set, load

CORPUS = load("reader_smollm2_blind8.jsonl")


def test_corpus_is_well_formed() -> None:
    check_smollm2_set(CORPUS, 19, items=49, nulls=103)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted, never listed (the set stays blind)."""
    check_counts_hold(CORPUS, agreed=178, wrong=2)
