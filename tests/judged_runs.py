"""A run config for the loopback fake API with a judge, written the same way by the judge tests."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from scripted_runs import loopback_model

from evalkit.testing.fake_api import FakeAPIServer


def write_judged_run(
    tmp_path: Path,
    server: FakeAPIServer,
    name: str,
    dataset: str,
    rows: list[dict],
    conditions: list,
) -> Path:
    """Run ``name``: ``rows`` as the items-format dataset ``dataset`` (its file's stem, which
    item keys carry), the model under test ``fake-gpt`` and the judge
    ``fake-judge``, both on ``server``; returns the config's path."""
    data = tmp_path / f"{dataset}.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    config = {
        "name": name,
        "models": [loopback_model(server, "fake-gpt")],
        "judge": loopback_model(server, "fake-judge"),
        "datasets": [{"name": str(data), "format": "items"}],
        "conditions": conditions,
    }
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path
