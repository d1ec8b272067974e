"""The sixth blind reader corpus is well formed.

It is a held-out test set written without reading the reader, so this file only checks its
shape; the reader's agreement on it is measured elsewhere, never tuned here.
"""

from __future__ import annotations

from reader_corpora import STYLES, check_rows, load

CORPUS = load("reader_heldout6.jsonl")


def test_corpus_is_well_formed() -> None:
    check_rows(CORPUS, source="reviewer style")
    ids = [row["id"] for row in CORPUS]
    assert len(ids) == len(set(ids)) == 254
    assert ids == [f"heldout6-{n:03d}" for n in range(1, 255)]
    assert all(row["item"]["id"].startswith("h6-") for row in CORPUS)
    assert {row["split"] for row in CORPUS} == {"holdback"}
    assert {row["style"] for row in CORPUS} == STYLES
