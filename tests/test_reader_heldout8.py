"""The eighth blind reader corpus is well formed.

It was written and labelled without reading the reader's rules or running the reader on it,
so that counting the reader's agreement on it is an honest estimate for unseen replies. This
test checks only the file's shape; it does not read any reply.
"""

from __future__ import annotations

from reader_corpora import STYLES, check_rows, load

CORPUS = load("reader_heldout8.jsonl")


def test_corpus_is_well_formed() -> None:
    check_rows(CORPUS, source="reviewer style")
    ids = [row["id"] for row in CORPUS]
    assert len(ids) == len(set(ids)) == 261
    assert ids == [f"heldout8-{n:03d}" for n in range(1, 262)]
    assert {row["split"] for row in CORPUS} == {"holdback"}
    assert {row["style"] for row in CORPUS} == STYLES


def test_items_are_new_and_consistent() -> None:
    """Every row of one item carries the same item, with a pushed wrong option."""
    items: dict[str, dict] = {}
    for row in CORPUS:
        item = row["item"]
        assert item["id"].startswith("h8-"), row["id"]
        assert items.setdefault(item["id"], item) == item, row["id"]
        assert item["incorrect_answer"] is not None, row["id"]
    assert len(items) == 45
