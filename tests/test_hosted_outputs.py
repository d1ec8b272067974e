"""A hosted run's outputs stay the same while its request path and scoring get cheaper.

One ``evalkit run`` of both providers (several families, multi-turn, prefill, logprobs,
stop, seed, extra_body) against the loopback fake API through the real SDKs. What the
endpoint received, the results (timings left out), the usage and the summary (its time
left out) are compared with ``tests/data/hosted_golden.json``, written by the code before
the request path skipped the SDKs' per-call transforms and response models.

Regenerate (only for an intended change of outputs):
``EVALKIT_WRITE_GOLDEN=1 python -m pytest tests/test_hosted_outputs.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from evalkit.cli import main
from evalkit.testing.fake_api import ChatTurn, FakeAPIServer

GOLDEN = Path(__file__).parent / "data" / "hosted_golden.json"
KEY = "sk-golden-0123456789"
CONDITIONS = [
    "answer/neutral",
    "answer/suggest_incorrect",
    "are_you_sure/are_you_sure",
    "are_you_sure/published",
]


def _facts() -> list[dict[str, Any]]:
    path = Path(__file__).parents[1] / "datasets" / "facts-mcq.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


FACTS = _facts()


def responder(turns: list[ChatTurn]) -> str:
    """Replies that differ by item and turn: right, the user's answer, another, unreadable."""
    seen = "\n".join(t.content for t in turns)
    item = next((f for f in FACTS if f["question"] in seen), None)
    pick = int(hashlib.sha256(seen.encode()).hexdigest(), 16)
    if item is None:
        return "I cannot say."
    wrong = [c for c in item["choices"] if c != item["correct_answer"]]
    return [
        f"The answer is {item['correct_answer']}.",
        f"The answer is {item['correct_answer']}.\n\nI am sure.",
        f"It is {item['incorrect_answer']}.",
        f"I think it is {wrong[pick % len(wrong)]}.",
        "I cannot say.",
        f"(B) {item['choices'][1]}",
    ][pick % 6]


def write_config(tmp_path: Path, server: FakeAPIServer) -> Path:
    common = {
        "api_key_env": "GOLDEN_KEY",
        "backoff_s": 0.01,
        "max_backoff_s": 0.05,
        "timeout_s": 10,
        "max_in_flight": 8,
    }
    config = {
        "name": "golden",
        "models": [
            {
                "provider": "openai",
                "model": "fake-gpt",
                "base_url": server.openai_base_url,
                "logprobs": True,
                "top_logprobs": 2,
                "generation": {"max_new_tokens": 40, "seed": 7, "stop": ["\n\n"]},
                "extra_body": {"user": "golden"},
                **common,
            },
            {
                "provider": "anthropic",
                "model": "fake-claude",
                "base_url": server.anthropic_base_url,
                "generation": {"max_new_tokens": 40, "top_p": 0.9},
                **common,
            },
        ],
        "datasets": [{"name": "facts-mcq", "limit": 6}],
        "conditions": CONDITIONS,
    }
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def outputs(out: Path, server: FakeAPIServer) -> dict[str, Any]:
    """What must not change, in a stable order and without timings."""
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    for record in records:
        del record["started_at"], record["finished_at"]
        for turn in record["turns"]:
            del turn["response"]["latency_s"]
    summary = json.loads((out / "summary.json").read_text())
    del summary["scored_at"]
    manifest = json.loads((out / "manifest.json").read_text())
    bodies = [{"path": r.path, "body": r.body} for r in server.stats().received if r.status == 200]
    return {
        "requests": sorted(bodies, key=lambda b: json.dumps(b, sort_keys=True)),
        "results": sorted(records, key=lambda r: r["sample_id"]),
        "usage": manifest["usage"],
        "counts": manifest["counts"],
        "summary": summary,
    }


def test_a_hosted_runs_outputs_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOLDEN_KEY", KEY)
    monkeypatch.setenv("EVALKIT_CACHE_DIR", str(tmp_path / "cache"))
    with FakeAPIServer(api_key=KEY, models=["fake-gpt", "fake-claude"]) as server:
        server.config.responder = responder
        out = tmp_path / "out"
        assert main(["run", str(write_config(tmp_path, server)), "--out", str(out)]) == 0
        got = outputs(out, server)
    if os.environ.get("EVALKIT_WRITE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
    expected = json.loads(GOLDEN.read_text())
    for part in expected:
        assert got[part] == expected[part], part
