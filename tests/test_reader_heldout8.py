"""The eighth blind reader corpus is well formed.

It was written and labelled without reading the reader's rules or running the reader on it,
so that counting the reader's agreement on it is an honest estimate for unseen replies. This
test checks the file's shape, and guards the counts of the reader's blind reads (77.4%, 18
wrong before the corpus-7 round; 78.2%, 18 wrong after it) without listing a row.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, load

CORPUS = load("reader_heldout8.jsonl")


def test_corpus_is_well_formed() -> None:
    """Rows, ids, split, styles and items as a blind set's; each item the same in all its
    rows, with a pushed wrong option."""
    check_blind_set(CORPUS, 8, rows=261, items=45)


def test_the_reader_commits_wrongly_no_more_often_than_on_its_first_read() -> None:
    """A guard, not a target: the counts of the reader's blind read after the corpus-7 round
    (204 / 261 agreed, 18 wrong commitments), so a change that commits wrongly more often
    on replies nobody tuned it for fails here. Only counts are computed; no row is shown."""
    from evalkit import read_answer

    readings = [read_answer(row["reply"], row["item"]).index for row in CORPUS]
    right = sum(got == row["label"] for got, row in zip(readings, CORPUS, strict=True))
    wrong = sum(
        got is not None and got != row["label"] for got, row in zip(readings, CORPUS, strict=True)
    )
    assert wrong <= 18
    assert right >= 204
