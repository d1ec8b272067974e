"""The eighth blind reader corpus is well formed.

It was written and labelled without reading the reader's rules or running the reader on it,
so that counting the reader's agreement on it is an honest estimate for unseen replies. This
test checks the file's shape, and guards the counts of the reader's blind reads (77.4%, 18
wrong before the corpus-7 round; 78.2%, 18 wrong after it) without listing a row.
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
