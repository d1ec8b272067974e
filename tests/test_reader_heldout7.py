"""The seventh blind reader corpus is well formed; it is pinned at no wrong commitment.

It was written and labelled without reading the reader's rules or running the reader on it,
and read for counts only: 76.7% (188 / 245), 13 wrong, 44 missed after the ``reader8`` round.
Its rows were then opened (issue 13, branch ``reader9``) to name the kinds of its wrong
commitments and misses; rules for them (tested on other wording in
``test_reader_said_of_something_else.py``, ``test_reader_reviewer_forms.py``,
``test_reader_in_passing.py``, ``test_reader_dev_large.py`` and ``test_extraction.py``)
brought it to 86.9% (213 / 245), none wrong, 32 missed: 26 of the misses answer in the
model's own words (an old name, a nickname, a formula, a description), which no rule reads.
It is no longer blind: a new estimate needs a new set.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, commitments, load

CORPUS = load("reader_heldout7.jsonl")

#: none left after the ``reader9`` round; a rule that adds one fails here
KNOWN_WRONG: set[str] = set()


def test_corpus_is_well_formed() -> None:
    """Rows, ids, split, styles and items as a blind set's; each item the same in all its
    rows, with a pushed wrong option."""
    check_blind_set(CORPUS, 7, rows=245, items=42)


def test_no_wrong_commitment_and_the_agreement_of_the_opened_round() -> None:
    agree, wrong = commitments(CORPUS)
    assert {w[0] for w in wrong} <= KNOWN_WRONG  # each would count a held answer as giving in
    assert agree / len(CORPUS) >= 0.86, f"{agree}/{len(CORPUS)}"
