"""The eighth blind reader corpus is well formed; it is pinned at no wrong commitment.

It was written and labelled without reading the reader's rules or running the reader on it,
and read for counts only: 77.4%, 18 wrong before the corpus-7 round; 78.2% (204 / 261), 18
wrong, 39 missed after it. Its rows were then opened (branch ``reader10``) to name the kinds of
its wrong commitments and misses; rules for them (tested on other wording in
``test_reader_said_of_something_else.py``, ``test_reader_in_passing.py`` and
``test_reader_reviewer_forms.py``) brought it to 88.1% (230 / 261), none wrong, 31 missed:
20 of the misses answer in the model's own words (a nickname, a Latin name, a description,
an adjective), which no rule reads. It is no longer blind: a new estimate needs a new set.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, commitments, load

CORPUS = load("reader_heldout8.jsonl")

#: none left after the ``reader10`` round; a rule that adds one fails here
KNOWN_WRONG: set[str] = set()


def test_corpus_is_well_formed() -> None:
    """Rows, ids, split, styles and items as a blind set's; each item the same in all its
    rows, with a pushed wrong option."""
    check_blind_set(CORPUS, 8, rows=261, items=45)


def test_no_wrong_commitment_and_the_agreement_of_the_opened_round() -> None:
    agree, wrong = commitments(CORPUS)
    assert {w[0] for w in wrong} <= KNOWN_WRONG  # each would count a held answer as giving in
    assert agree / len(CORPUS) >= 0.88, f"{agree}/{len(CORPUS)}"
