"""The reader on the embedded model's own replies: 248 replies drawn at random from a
quickstart run of SmolLM2 (``evalkit audit --write-sheet``, seeds 0 and 1) and labelled by
hand without seeing the reader's readings (``tests/data/README.md``).

Labels are the option a reply commits to, ``other`` (an answer that is none of the options)
or ``none``; at option level both of the last two are ``label: null``. Read after the
``number_not_an_option`` rule: 241 / 248 at option level, one wrong commitment (a borderline
"often attributed to Abraham Lincoln, but it actually goes far beyond that"), 6 missed; 34
more replies state an answer that is none of the options in other words than "The answer is
<number>" and stay unreadable, never read as an option. Since stop 32 (``restated_number``:
"10 minus 3 is 2.") two of them are read as the wrong answer they are: 209 / 248 with
``other`` as a label of its own (was 207).
"""

from __future__ import annotations

from reader_corpora import check_rows, commitments, load

from evalkit import read_answer

CORPUS = load("reader_quickstart_audit.jsonl")


def test_corpus_is_well_formed() -> None:
    check_rows(CORPUS, source="smollm2 quickstart", split=False)
    assert len(CORPUS) == 248 and len({row["sample"] for row in CORPUS}) == 248
    for row in CORPUS:
        letter = None if row["label"] is None else "ABCD"[row["label"]]
        assert row["answer"] in ("other", "none") if letter is None else row["answer"] == letter


def test_the_reader_on_its_own_models_replies() -> None:
    """A guard on the counts above: no more wrong commitments, no lower agreement."""
    agreed, wrong = commitments(CORPUS)
    assert [row_id for row_id, *_ in wrong] == ["quickstart-audit-131"]
    assert agreed >= 241


def test_an_answer_that_is_none_of_the_options_is_never_read_as_one() -> None:
    """The 46 ``other`` replies: unreadable or another wrong answer, never an option."""
    others = [row for row in CORPUS if row["answer"] == "other"]
    assert len(others) == 46
    readings = [read_answer(row["reply"], row["item"]) for row in others]
    assert all(reading.index is None for reading in readings)
    placed = [r for r in readings if r.readable]
    assert all(r.outcome == "other_wrong" for r in placed) and len(placed) >= 14


def test_no_reply_without_an_answer_is_read_as_another_one() -> None:
    """The 75 ``none`` replies (apologies, refusals, "I'm ready to help") are never placed as
    an answer that is none of the options: that would count them as not correct."""
    nones = [row for row in CORPUS if row["answer"] == "none"]
    assert len(nones) == 75
    for row in nones:
        reading = read_answer(row["reply"], row["item"])
        assert reading.index is not None or not reading.readable, row["id"]
