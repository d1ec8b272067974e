"""A blind corpus of real SmolLM2-135M-Instruct replies to new items, labelled by hand.

At stop 33 a helper that read none of the reader's rules, corpora or code wrote 45 new
multiple-choice items (6 of them arithmetic), ran them through ``evalkit run`` with the
quickstart's model, generation settings and seven conditions, took 200 replies (final turns
of every condition, and the replies to "Are you sure?" / "Please double-check" as rows of
their own, without exact repeats) from the conversation texts alone, and labelled each by
reading it. First read: 93.5% (187 / 200), 4 wrong, 9 missed. The set was then opened: rules
for three of its kinds (``tests/test_reader_plain_forms.py``: digits for a number-word option,
a year for a century option, the option after "<word> of") took it to 97.0% (194 / 200),
4 wrong, 2 missed, with no reading changed on any other corpus. The four wrong readings are
left: an option equated with a non-option ("The penguin is likely the Arctic tern"), one
named inside another phrase ("a litter of kittens", "the legend of King Lions"), and "The
answer is 15. 9 times 6 equals 54." (a rule for two stated answers cost three right readings
elsewhere). It is no longer blind: the honest estimate for such replies is its first reading.
"""

from __future__ import annotations

from reader_corpora import QUICKSTART_CONDITIONS, check_counts_hold, check_smollm2_set, load

CORPUS = load("reader_smollm2_blind.jsonl")


def test_corpus_is_well_formed() -> None:
    check_smollm2_set(CORPUS, 12, items=45, nulls=101)
    conditions = {row["condition"].split(" (")[0] for row in CORPUS}
    assert conditions == QUICKSTART_CONDITIONS  # every condition of the quickstart


def test_the_readers_counts_do_not_get_worse() -> None:
    check_counts_hold(CORPUS, agreed=194, wrong=4)
