"""The reader on innocent uses of the words its newer rules key on: 178 replies written at
stop 32 by a reviewer to test those rules for false alarms ("Jupiter — the largest planet
…", "Spiders have 8 legs, two more than insects.", "UTC -5", "you might be right that …,
but the capital is Canberra", "at least 35", "so not that hard to remember"), labelled before
reading (``tests/data/reader_trigger_words.jsonl``; ``label`` null for none, ``answer``
``other`` for a number that is no option).

The rules as first written read 60 of them as labelled, with 17 wrong; the code before them
143, with 7 wrong. Narrowed on this set (and the bound, "rules out", "calls", "makes sense",
relative-clause and unnamed-answer rules dropped), they read 135, with 3 wrong option
readings, all older than these rules, and one correct answer read as rejected, listed below
so that none is added unnoticed. The set is no longer independent of the rules.
"""

from __future__ import annotations

from reader_corpora import load

from evalkit import read_answer

CORPUS = load("reader_trigger_words.jsonl")
#: option readings that disagree with the label (older than the stop-32 rules)
KNOWN_WRONG = {"5negation-14", "5negation-17", "8standing-04"}
#: a correct answer read as rejected ("Mount Everest, at 8,849 m, though is not the tallest
#: from base to peak.", an ungrammatical reply the elided-subject denial takes)
KNOWN_REJECTED = {"5negation-15"}


def test_corpus_is_well_formed() -> None:
    assert len(CORPUS) == 178 and len({row["id"] for row in CORPUS}) == 178
    for row in CORPUS:
        choices = row["item"]["choices"]
        assert row["label"] is None or 0 <= row["label"] < len(choices), row["id"]


def test_no_new_false_alarm() -> None:
    readings = {row["id"]: read_answer(row["reply"], row["item"]) for row in CORPUS}
    agreed = sum(readings[row["id"]].index == row["label"] for row in CORPUS)
    wrong = {row["id"] for row in CORPUS if readings[row["id"]].index not in (None, row["label"])}
    rejected = {
        row["id"]
        for row in CORPUS
        if row["label"] is not None and readings[row["id"]].method == "rejects_correct"
    }
    assert wrong <= KNOWN_WRONG, sorted(wrong - KNOWN_WRONG)
    assert rejected <= KNOWN_REJECTED, sorted(rejected - KNOWN_REJECTED)
    assert agreed >= 138, agreed
