"""The fourth blind reader corpus is well formed.

Only its shape is checked here: the reader's agreement on it is measured by the lead, so
that the held-back rows stay unseen while the reader is changed.
"""

from reader_corpora import check_rows, load

CORPUS = load("reader_heldout4.jsonl")


def test_heldout4_rows_are_well_formed() -> None:
    check_rows(CORPUS, source="reviewer style")
    ids = [row["id"] for row in CORPUS]
    assert len(ids) == len(set(ids)) == 227
    assert sum(row["split"] == "holdback" for row in CORPUS) == 68
