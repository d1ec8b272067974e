"""``evalkit run`` tunes the garbage collector while samples run and while records are
scored, and leaves it as it was."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
import yaml

from evalkit import runner as runner_module
from evalkit.cli import main
from evalkit.collection import RUN_THRESHOLDS, paused, run_heap
from evalkit.records import Sample, SampleRecord
from evalkit.summary import ScoredRun
from evalkit.testing.fake_api import FakeAPIServer


def test_a_run_freezes_the_heap_and_scoring_pauses_the_collector(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLLECTION_KEY", "sk-collection-0123456789")
    monkeypatch.setenv("EVALKIT_CACHE_DIR", str(tmp_path / "cache"))
    seen: dict[str, object] = {}
    real_sample, real_score = runner_module.run_sample, ScoredRun.score.__func__

    async def sample(one: Sample, *args: object, **kwargs: object) -> SampleRecord:
        seen["run"] = (gc.get_threshold(), gc.get_freeze_count() > 0, gc.isenabled())
        return await real_sample(one, *args, **kwargs)  # type: ignore[arg-type]

    def score(cls: type[ScoredRun], *args: object) -> ScoredRun:
        seen["score"] = gc.isenabled()
        return real_score(cls, *args)

    monkeypatch.setattr(runner_module, "run_sample", sample)
    monkeypatch.setattr(ScoredRun, "score", classmethod(score))
    before = gc.get_threshold()
    with FakeAPIServer() as server:
        config = tmp_path / "run.yaml"
        model = {
            "provider": "openai",
            "model": "fake-gpt",
            "base_url": server.openai_base_url,
            "api_key_env": "COLLECTION_KEY",
        }
        config.write_text(
            yaml.safe_dump(
                {
                    "name": "collection",
                    "models": [model],
                    "datasets": [{"name": "facts-mcq", "limit": 3}],
                    "conditions": ["answer/neutral"],
                }
            )
        )
        assert main(["run", str(config), "--out", str(tmp_path / "out")]) == 0
    assert seen == {"run": (RUN_THRESHOLDS, True, True), "score": False}
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0 and gc.isenabled()


def test_both_leave_the_collector_as_it_was_after_an_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), run_heap():
        raise RuntimeError
    with pytest.raises(RuntimeError), paused():
        raise RuntimeError
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0 and gc.isenabled()
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()  # paused by its caller: still paused
    finally:
        gc.enable()
