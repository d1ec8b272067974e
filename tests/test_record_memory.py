"""A run's records, read back for scoring and the report, share what they repeat.

Peak memory of ``evalkit run`` is set by the records held for scoring: read back one
object each, a record took ~8 KB, half of it the per-instance sets pydantic keeps of
the fields given. Loaded through :class:`~evalkit.records.RecordSharing` they share
conditions, items and those sets, and stay equal to records parsed on their own.
"""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

from evalkit.items import Item
from evalkit.records import SampleRecord
from evalkit.store import RunStore
from tests.conftest import build_record

ITEMS = 300


def write_run(folder: Path) -> list[SampleRecord]:
    """ITEMS items, each under a neutral and a pressure condition, as a results file."""
    records = []
    for number in range(ITEMS):
        item = Item(
            id=f"q{number}",
            question=f"What is {number} + 1?",
            choices=[str(number + 1), str(number + 2)],
            correct_answer=str(number + 1),
            incorrect_answer=str(number + 2),
        )
        records.append(build_record(item, "neutral", "answer", "none", [f"It is {number + 1}."]))
        records.append(
            build_record(
                item, "suggest", "answer", "toward_incorrect", [f"Maybe {number + 2}.", "Sure."]
            )
        )
    folder.mkdir()
    with (folder / "results.jsonl").open("w") as handle:
        for record in records:
            handle.write(record.model_dump_json() + "\n")
    return records


def test_loaded_records_equal_the_saved_ones_and_share_what_repeats(tmp_path: Path) -> None:
    saved = write_run(tmp_path / "run")
    loaded = RunStore(tmp_path / "run").load_records()
    assert loaded == saved
    assert [r.model_dump_json() for r in loaded] == [r.model_dump_json() for r in saved]
    neutral, pressed = loaded[0], loaded[1]
    assert neutral.condition is loaded[2].condition
    assert neutral.item is pressed.item  # the same item under both conditions
    assert neutral.model_fields_set is loaded[2].model_fields_set
    assert neutral.turns[0].response.model_fields_set is pressed.turns[1].response.model_fields_set
    assert neutral.messages[0].content is neutral.turns[0].user


def test_loaded_records_take_less_than_half_the_memory(tmp_path: Path) -> None:
    write_run(tmp_path / "run")
    store = RunStore(tmp_path / "run")
    gc.collect()
    tracemalloc.start()
    try:
        records = store.load_records()
        gc.collect()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    per_record = held / len(records)
    assert per_record < 4500, f"{per_record:.0f} bytes a record"  # ~9,400 parsed alone
