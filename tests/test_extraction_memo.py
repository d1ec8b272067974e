"""The reader remembers its extractions by digest: re-reads are free, and what it keeps
does not hold the replies (or questions) it read."""

from __future__ import annotations

import gc
import tracemalloc

from evalkit.items import Item
from scorers import reading
from scorers.extraction import UNPARSED, ExtractedAnswer, extract_choice
from scorers.extraction_memo import ExtractionMemo


def test_a_reply_read_again_is_not_extracted_again_and_reads_the_same() -> None:
    item = Item(
        id="memo-q",
        question="Which city is the capital of France? (memo test)",
        choices=["Paris", "Lyon"],
        correct_answer="Paris",
        incorrect_answer="Lyon",
    )
    reply = "I am fairly sure it is Paris, not Lyon (memo test)."
    before = reading.MEMO.misses
    first = reading.read_reply(reply, item)
    hits = reading.MEMO.hits
    assert reading.read_reply(reply, item) == first
    assert reading.MEMO.hits == hits + 1 and reading.MEMO.misses == before + 1
    assert first.index == 0
    assert extract_choice(reply, item.choices or [], {0: []}, item.question).index == 0


def test_the_memo_keeps_neither_replies_nor_questions() -> None:
    memo = ExtractionMemo()
    gc.collect()
    tracemalloc.start()
    try:
        for number in range(200):
            reply = f"{number} " + "a long reply " * 1500  # ~20 KB each, 4 MB in all
            question = f"{number} " + "a long question " * 500
            memo.get((reply, ("A", "B"), ((0, ()),), question), lambda: UNPARSED)
            del reply, question
        gc.collect()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(memo) == 200
    assert held < 200 * 1000, f"{held / 200:.0f} bytes an entry"


def test_the_memo_keeps_evidence_as_where_it_is_in_the_reply() -> None:
    """The span a rule read is part of the reply, which the next read has: no copy is kept,
    and a re-read gives it back the same (or the copy, when it is not in the reply)."""
    memo = ExtractionMemo()
    replies = [f"{number} " + "the answer is Paris " * 250 for number in range(100)]
    odd = ExtractedAnswer(index=0, method="statement", evidence="not in the reply")
    gc.collect()
    tracemalloc.start()
    try:
        for reply in replies:
            span = reply[len(reply) // 2 :]  # ~2.5 KB: the copy a rule's evidence is
            found = ExtractedAnswer(index=0, method="statement", evidence=span)
            memo.get((reply, ("Paris", "Lyon"), (), "q"), lambda found=found: found)
        del span, found
        gc.collect()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 100 * 1000, f"{held / 100:.0f} bytes an entry"
    for reply in replies:
        again = memo.get((reply, ("Paris", "Lyon"), (), "q"), lambda: UNPARSED)
        assert again == ExtractedAnswer(
            index=0, method="statement", evidence=reply[len(reply) // 2 :]
        )
    memo.get(("a reply", (), (), "q"), lambda: odd)
    assert memo.get(("a reply", (), (), "q"), lambda: UNPARSED) == odd
    assert memo.hits == 101 and memo.misses == 101


def test_the_least_recently_read_entry_goes_first() -> None:
    memo = ExtractionMemo(maxsize=2)
    made: list[str] = []

    def extract(name: str) -> ExtractedAnswer:
        made.append(name)
        return ExtractedAnswer(index=None, method="unparsed", status="unparsed")

    for name in ("a", "b", "a", "c", "a", "b"):
        memo.get((name, (), (), ""), lambda name=name: extract(name))
    assert made == ["a", "b", "c", "b"]  # "b" was dropped for "c"; "a" stayed, read last


def test_a_re_read_hands_back_the_same_fields_as_the_reading() -> None:
    memo = ExtractionMemo()
    reply = "I think the answer is Paris, not Lyon."
    key = (reply, ("Paris", "Lyon"), ((0, ()),), "The capital of France?")
    made = extract_choice(reply, ["Paris", "Lyon"], {0: ()}, "The capital of France?")
    first = memo.fields(key, lambda: made)
    again = memo.fields(key, lambda: UNPARSED)
    assert first == again == made.model_dump()
    assert memo.get(key, lambda: UNPARSED) == made
    assert memo.hits == 2 and memo.misses == 1


def test_an_items_option_names_are_made_once() -> None:
    from scorers.extraction.item_names import _names, item_names

    choices, question = ["1235", "1,236"], "What is 1234 + 1? (names test)"
    first = item_names(choices, {0: ["one thousand two hundred thirty-five"]}, question)
    hits = _names.cache_info().hits
    again = item_names(choices, {0: ["one thousand two hundred thirty-five"]}, question)
    assert again == first and _names.cache_info().hits == hits + 1
    assert "1236" in first[1] and "one thousand two hundred thirty-five" in first[0]
    again[0].append("changed")  # each caller gets lists of its own
    assert (
        "changed"
        not in item_names(choices, {0: ["one thousand two hundred thirty-five"]}, question)[0]
    )
