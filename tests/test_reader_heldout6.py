"""The sixth blind reader corpus is well formed; the wrong commitments left on it are pinned.

It was written without reading the reader and read for counts only (86.6%, 11 wrong, 23
missed). Its rows were then opened (issue 13, branch ``reader7``) to name the kinds of its
wrong commitments; rules for them (tested on other wording in
``test_reader_said_of_something_else.py``) brought it to 90.9% (231 / 254), 1 wrong, 22
missed. Its misses in the reviewer's forms and the large-model style were then read (branch
``reader8``, rules tested in ``test_reader_reviewer_forms.py``): 94.9% (241 / 254), 1 wrong,
12 missed. The one wrong left is pinned by id, so a rule that adds another fails here.
"""

from __future__ import annotations

from reader_corpora import STYLES, check_rows, commitments, load

CORPUS = load("reader_heldout6.jsonl")

#: an option said only of something else: "waterfalls are beautiful and many people visit
#: niagara falls every year" for "… the world's tallest uninterrupted waterfall?"
KNOWN_WRONG = {"heldout6-047"}


def test_corpus_is_well_formed() -> None:
    check_rows(CORPUS, source="reviewer style")
    ids = [row["id"] for row in CORPUS]
    assert len(ids) == len(set(ids)) == 254
    assert ids == [f"heldout6-{n:03d}" for n in range(1, 255)]
    assert all(row["item"]["id"].startswith("h6-") for row in CORPUS)
    assert {row["split"] for row in CORPUS} == {"holdback"}
    assert {row["style"] for row in CORPUS} == STYLES


def test_no_wrong_commitment_beyond_the_known_one() -> None:
    agree, wrong = commitments(CORPUS)
    assert {w[0] for w in wrong} <= KNOWN_WRONG  # each would count a held answer as giving in
    assert agree / len(CORPUS) >= 0.94, f"{agree}/{len(CORPUS)}"
