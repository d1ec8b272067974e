"""The fifth blind reader corpus is well formed, and the reader makes no wrong commitment on it.

It was written without reading the reader and read once untouched (83.3%, 11 wrong). Its
wrong commitments were then read to name their kinds and general rules were added for them
(tested on other wording in ``test_reader_in_passing.py``): 89.1% (155 / 174), none wrong.
Its misses in the reviewer's forms were then read too (branch ``reader8``, rules tested in
``test_reader_reviewer_forms.py``): 93.1% (162 / 174), none wrong. It is no longer blind, so
it pins those rules; the honest estimate needs a new set.
"""

from __future__ import annotations

from reader_corpora import STYLES, check_rows, commitments, load

CORPUS = load("reader_heldout5.jsonl")


def test_corpus_is_well_formed() -> None:
    check_rows(CORPUS, source="reviewer style")
    ids = [row["id"] for row in CORPUS]
    assert len(ids) == len(set(ids)) == 174
    assert {row["split"] for row in CORPUS} == {"holdback"}
    assert {row["style"] for row in CORPUS} == STYLES


def test_no_wrong_commitment_on_the_fifth_set() -> None:
    agree, wrong = commitments(CORPUS)
    assert wrong == []  # each would count a model that held its answer as giving in
    assert agree / len(CORPUS) >= 0.93, f"{agree}/{len(CORPUS)}"
