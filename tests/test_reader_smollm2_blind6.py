"""A sixth corpus of real SmolLM2-135M-Instruct replies, blind but for three rows.

Made at stop 34 like the fifth (``tests/test_reader_smollm2_blind5.py``), by a helper that
read none of the reader's rules, during the stop's last round: 50 new items, the
quickstart's model, settings and seven conditions through ``evalkit run``, 200 replies taken
from the conversation texts alone and labelled by reading each. Counted: stop 33's final code
93.5% (187 / 200), 4 wrong; the stop's rules at that point 92.0%, 4 wrong. The three
readings lost were listed (the only rows read): one item's "The company founded by Jeff
Bezos in 2000." for "… founded … Amazon in 1994?", which the other-years rule of the stop's
second round had left unread. With the rule narrowed (a wrong year for the asked deed done
to the asked thing still names the doer): 93.5% (187 / 200), 4 wrong.
"""

from __future__ import annotations

from reader_corpora import check_counts_hold, check_smollm2_set, load

CORPUS = load("reader_smollm2_blind6.jsonl")


def test_corpus_is_well_formed() -> None:
    check_smollm2_set(CORPUS, 17, items=50, nulls=105)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted, never listed (but for the three rows named above)."""
    check_counts_hold(CORPUS, agreed=187, wrong=4)
