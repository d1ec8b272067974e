"""Memory of ``evalkit run``: the plan is let go after the run, and the records read
back for scoring and the report share what they repeat.

Peak memory of ``evalkit run`` is set by the records held for scoring: read back one
object each, a record took ~8 KB, half of it the per-instance sets pydantic keeps of
the fields given. Loaded through :class:`~evalkit.records.RecordSharing` they share
conditions, items and those sets, and stay equal to records parsed on their own.
"""

from __future__ import annotations

import gc
import io
import json
import tracemalloc
import weakref
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from evalkit import runner as runner_module
from evalkit.items import Item
from evalkit.plan import build_plan
from evalkit.records import Sample, SampleRecord
from evalkit.runner import Runner
from evalkit.store import RunStore
from evalkit.testing.fake_api import FakeAPIServer
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
    counts = [(r.turns[0].response.usage, r.turns[0].response.usage.model_dump()) for r in loaded]
    for usage, dumped in counts:  # equal token counts are one object
        assert all(u is usage for u, d in counts if d == dumped)
    assert neutral.item.metadata is loaded[2].item.metadata == {}  # items without any
    assert neutral.item.correct_aliases is loaded[2].item.correct_aliases == []


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


def test_records_loaded_with_their_offsets_hold_no_pair_each(tmp_path: Path) -> None:
    """Scoring holds every record with where its line starts: as two lists, not a tuple per
    record (~1 MB at 16,000 samples); read as pairs all the same."""
    saved = write_run(tmp_path / "run")
    entries = RunStore(tmp_path / "run").load_records_at()
    held = [o for o in gc.get_referents(entries) if not isinstance(o, type)]
    assert len(held) == 2 and not any(isinstance(o, tuple) for o in held)
    assert [record for _, record in entries] == saved == [entries[i][1] for i in range(len(saved))]
    offsets = [offset for offset, _ in entries]
    assert offsets[0] == 0 and offsets == sorted(set(offsets))
    assert entries[1:3] == [entries[1], entries[2]]


def test_a_scoring_pass_keys_each_item_by_one_string(tmp_path: Path) -> None:
    """Every metric and condition keys its outcomes by ``dataset|item``: one string per item
    for all of them, not one per dict."""
    from scorers.contract import item_key

    write_run(tmp_path / "run")
    neutral, pressed = RunStore(tmp_path / "run").load_records()[:2]  # one item, two conditions
    assert item_key(neutral) == f"{neutral.dataset}|q0"
    assert item_key(neutral) is item_key(pressed) is item_key(neutral)


def memory_config(
    folder: Path, base_url: str, dataset: str | dict[str, object], in_flight: int = 4
) -> Path:
    config = folder / "run.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "name": "memory",
                "models": [
                    {
                        "provider": "openai",
                        "model": "fake-gpt",
                        "base_url": base_url,
                        "api_key_env": "MEMORY_KEY",
                        "max_in_flight": in_flight,
                    }
                ],
                "datasets": [dataset],
                "conditions": ["answer/neutral", "answer/suggest_incorrect"],
            }
        )
    )
    return config


def test_a_run_holds_the_samples_in_flight_not_every_planned_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The runner takes samples from the plan as its workers free up: however many are
    planned, only those in flight exist (the plan made every one up front before)."""
    monkeypatch.setenv("MEMORY_KEY", "sk-memory-0123456789")
    monkeypatch.setenv("EVALKIT_CACHE_DIR", str(tmp_path / "cache"))
    dataset = tmp_path / "items.jsonl"
    rows = [
        {
            "id": f"q{n}",
            "question": f"What is {n} + 1?",
            "choices": [str(n + 1), str(n + 2)],
            "correct_answer": str(n + 1),
            "incorrect_answer": str(n + 2),
        }
        for n in range(100)
    ]
    dataset.write_text("".join(json.dumps(row) + "\n" for row in rows))
    alive: list[int] = []
    asked: list[str] = []
    real = runner_module.run_sample

    async def counting(sample: Sample, *args: object, **kwargs: object) -> SampleRecord:
        asked.append(sample.id)
        if len(alive) < 5 or sample.item.id == "q60":  # early, and well into the run
            alive.append(sum(type(o) is Sample for o in gc.get_objects()))
        return await real(sample, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner_module, "run_sample", counting)
    with FakeAPIServer() as server:
        plan = build_plan(memory_config(tmp_path, server.openai_base_url, str(dataset)))
        runner = Runner(plan, tmp_path / "out", console=Console(file=io.StringIO()))
        assert runner.run().counts.completed == 200
    assert alive and max(alive) <= 4 * 2, alive  # the 4 in flight (and the iterator's next)
    assert asked == [s.id for s in plan.samples]  # taken in planning order


def test_a_finished_runner_lets_its_plan_go_without_a_collection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``evalkit run`` drops the plan (every sample and item) before reading the records
    back; nothing of the run may keep it in a reference cycle until a full collection."""
    monkeypatch.setenv("MEMORY_KEY", "sk-memory-0123456789")
    monkeypatch.setenv("EVALKIT_CACHE_DIR", str(tmp_path / "cache"))
    with FakeAPIServer() as server:
        config = memory_config(tmp_path, server.openai_base_url, {"name": "facts-mcq", "limit": 3})
        plan = build_plan(config)
        runner = Runner(plan, tmp_path / "out", console=Console(file=io.StringIO()))
        gc.collect()
        gc.disable()
        try:
            assert runner.run().status == "complete"
            plan_ref = weakref.ref(plan)
            del runner, plan
            assert plan_ref() is None
        finally:
            gc.enable()


def test_records_read_for_scoring_leave_the_conversation_to_the_turns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scoring reads the conversation from ``turns``: its records drop ``messages``
    (~490 bytes a record) and are otherwise the saved ones."""
    from evalkit.summary import ScoredRun

    saved = write_run(tmp_path / "run")
    store = RunStore(tmp_path / "run")
    scoring = [record for _, record in store.load_records_at(conversations=False)]
    assert all(record.messages == [] for record in scoring)
    assert all(record.messages is scoring[0].messages for record in scoring)  # one empty list
    restored = [
        r.model_copy(update={"messages": s.messages}) for r, s in zip(scoring, saved, strict=True)
    ]
    assert restored == saved
    asked: list[dict[str, object]] = []
    real = RunStore.load_records_at

    def watched(self: RunStore, **kwargs: bool) -> list[tuple[int, SampleRecord]]:
        asked.append(kwargs)
        return real(self, **kwargs)

    monkeypatch.setattr(RunStore, "load_records_at", watched)
    monkeypatch.setattr(RunStore, "require_manifest", lambda self: None)
    monkeypatch.setattr(ScoredRun, "score", classmethod(lambda cls, *args: args[2]))
    assert len(ScoredRun.load(store)) == len(saved)  # type: ignore[arg-type]
    assert asked == [{"conversations": False}]
