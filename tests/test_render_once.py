"""A sample's first turn is rendered once: the plan's check renders it, the run sends that.

No reply precedes a first turn, so the text the plan renders to check the template is the
text the run would render again; later turns follow real replies and are rendered then.
Observed with a profiler hook on the calling thread, never by patching.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from types import FrameType

import pytest
import yaml

from evalkit.conditions import ConditionTemplate
from evalkit.plan import build_plan
from evalkit.runner import Runner
from evalkit.testing.fake_api import FakeAPIServer

KEY = "sk-render-once-0123456789"


def write_config(tmp_path: Path, server: FakeAPIServer) -> Path:
    config = {
        "name": "render-once",
        "models": [
            {
                "provider": "openai",
                "model": "fake-gpt",
                "base_url": server.openai_base_url,
                "api_key_env": "RENDER_ONCE_KEY",
                "max_in_flight": 4,
                "generation": {"max_new_tokens": 16},
            }
        ],
        "datasets": [{"name": "facts-mcq", "limit": 3}],
        "conditions": ["answer/neutral", "are_you_sure/are_you_sure"],
        "cache": False,
    }
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_first_turns_are_rendered_once_from_plan_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RENDER_ONCE_KEY", KEY)
    renders: Counter[tuple[str, str, int]] = Counter()  # (template, item, turn) -> renders
    code = ConditionTemplate.render.__code__

    def profile(frame: FrameType, event: str, _: object) -> None:
        if event == "call" and frame.f_code is code:
            found = frame.f_locals
            renders[(found["self"].reference, found["item"].id, found["turn"])] += 1

    with FakeAPIServer(api_key=KEY) as server:
        config = write_config(tmp_path, server)
        sys.setprofile(profile)
        try:
            plan = build_plan(config)
            manifest = Runner(plan, tmp_path / "out").run()
        finally:
            sys.setprofile(None)
        sent = [r.body["messages"][0]["content"] for r in server.stats().received]
    assert manifest.counts.completed == manifest.counts.planned == 6
    first = {key: count for key, count in renders.items() if key[2] == 1}
    assert len(first) == 6 and set(first.values()) == {1}, first
    # later turns: once to check the template (placeholder replies), once after the reply
    assert {count for key, count in renders.items() if key[2] == 2} == {2}
    # and what was sent first is what the plan rendered
    rendered = [first for turns in plan.first_turns.values() for first in turns.values()]
    assert all(isinstance(first, str) for first in rendered)  # no system message or prefill
    assert set(sent) == set(rendered)


def test_past_the_plans_budget_first_turns_are_rendered_again_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan keeps at most FIRST_TURNS_MAX_CHARS of first turns; the run renders the others
    again, to the same text."""
    from evalkit import plan as plan_module

    monkeypatch.setenv("RENDER_ONCE_KEY", KEY)
    with FakeAPIServer(api_key=KEY) as server:
        config = write_config(tmp_path, server)
        whole = build_plan(config)
        monkeypatch.setattr(plan_module, "FIRST_TURNS_MAX_CHARS", 150)
        bounded = build_plan(config)
    kept = [t for turns in bounded.first_turns.values() for t in turns.values()]
    assert 0 < sum(map(len, kept)) <= 150 and len(kept) < 6
    for sample in whole.iter_samples():
        assert bounded.render(sample, 1, []) == whole.render(sample, 1, [])
        assert bounded.render(sample, 1, []) == whole.templates[sample.condition.name].render(
            1, sample.item, []
        )
