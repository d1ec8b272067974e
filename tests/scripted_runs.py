"""``evalkit run`` of a scripted model over the loopback OpenAI-compatible API, written the
same way by the tests that check what the CLI makes of known replies."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from evalkit.cli import main
from evalkit.testing.fake_api import ChatTurn, FakeAPIServer

KEY = "sk-test-scripted-0123456789"
CAPITALS = ["Paris", "Rome", "Berlin", "Madrid"]


def loopback_model(server: FakeAPIServer, model: str) -> dict:
    """A config's model entry for ``model`` on the loopback ``server`` (key in TEST_API_KEY)."""
    return {
        "provider": "openai",
        "model": model,
        "base_url": server.openai_base_url,
        "api_key_env": "TEST_API_KEY",
        "generation": {"max_new_tokens": 32},
    }


def capital_rows() -> list[dict]:
    """Four items "What is the capital of country number i?": option i is right, the
    next one the user's wrong answer; a responder finds ``i`` in the question."""
    return [
        {
            "id": f"c{i}",
            "question": f"What is the capital of country number {i}?",
            "choices": CAPITALS,
            "correct_answer": CAPITALS[i],
            "incorrect_answer": CAPITALS[(i + 1) % 4],
        }
        for i in range(4)
    ]


def scripted_run(
    tmp: Path,
    name: str,
    rows: list[dict],
    responder: Callable[[list[ChatTurn]], str],
    conditions: list[str | dict],
    *,
    judge: bool = False,
) -> Path:
    """Run ``name``: ``rows`` as a dataset, the model ``fake-gpt`` answering with
    ``responder``, each of ``conditions``; its own response cache, so no reply is shared with
    another run. ``judge``: the run's judge is ``fake-judge`` on the same server, and
    ``responder`` answers its questions too. Returns the run directory (``tmp / name``)."""
    data = tmp / f"{name}.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp / name
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EVALKIT_CACHE_DIR", str(tmp / f"{name}-cache"))
        patch.setenv("TEST_API_KEY", KEY)
        with FakeAPIServer(api_key=KEY, models=["fake-gpt", "fake-judge"]) as server:
            server.config.responder = responder

            config = {
                "name": name,
                "models": [loopback_model(server, "fake-gpt")],
                "datasets": [str(data)],
                "conditions": conditions,
            }
            if judge:
                config["judge"] = loopback_model(server, "fake-judge")
            path = tmp / f"{name}.yaml"
            path.write_text(yaml.safe_dump(config), encoding="utf-8")
            assert main(["run", str(path), "--out", str(out)]) == 0
    return out
