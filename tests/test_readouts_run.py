"""Readouts on the real model: a run killed with SIGKILL and resumed keeps its hidden-state
files and its records aligned, and `evalkit score` recomputes the readouts without the model."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from evalkit.readouts import ReadoutStore

pytestmark = pytest.mark.model

REPO = Path(__file__).resolve().parents[1]
FACTS = REPO / "datasets" / "facts-mcq.jsonl"
LAYERS = [14, 17]
CONDITIONS = ["answer/neutral", "answer/suggest_incorrect", "answer/mention_incorrect"]
ITEMS = 8


def evalkit(*args: str) -> list[str]:
    return [sys.executable, "-m", "evalkit", *args]


def write_config(folder: Path) -> Path:
    data = folder / "facts8.jsonl"
    data.write_text("".join(FACTS.read_text().splitlines(keepends=True)[:ITEMS]))
    config = folder / "readouts.yaml"
    config.write_text(
        json.dumps(
            {
                "name": "readouts-resume",
                "models": [
                    {
                        "provider": "transformers",
                        "model": "smollm2-135m-instruct",
                        "batch_size": 8,
                        "threads": 2,
                        "readouts": ["option_loglik", "probe"],
                        "probe_layers": LAYERS,
                        "generation": {"max_new_tokens": 12, "temperature": 0},
                    }
                ],
                "datasets": [str(data)],
                "conditions": [*CONDITIONS, "are_you_sure/are_you_sure"],
            }
        )
    )
    return config


def saved_ids(results: Path) -> list[str]:
    if not results.is_file():
        return []
    data = results.read_bytes()
    complete = data[: data.rfind(b"\n") + 1].splitlines()
    return [json.loads(line)["sample_id"] for line in complete]


@pytest.fixture(scope="module")
def resumed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readouts")
    config = write_config(folder)
    run_dir = folder / "run"
    command = evalkit("run", str(config), "--out", str(run_dir))
    with (folder / "first.log").open("wb") as log:
        first = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 600
            while not saved_ids(run_dir / "results.jsonl"):
                assert first.poll() is None, (folder / "first.log").read_text()
                assert time.monotonic() < deadline, "no sample saved in time"
                time.sleep(0.02)
        finally:
            if first.poll() is None:
                first.send_signal(signal.SIGKILL)
            first.wait(timeout=60)
    killed = saved_ids(run_dir / "results.jsonl")
    # as if the kill had landed between a sample's states file and its record
    item = json.loads(FACTS.read_text().splitlines()[ITEMS - 1])["id"]
    orphan = f"smollm2-135m-instruct|facts8|neutral|{item}"
    pending = orphan not in killed
    junk = {1: np.zeros((1, 1, 1), dtype=np.float16)}
    if pending:
        ReadoutStore(run_dir).write(orphan, [0], junk)
    # and a file of a sample that no record will ever claim: the resumed run deletes it
    ReadoutStore(run_dir).write("smollm2-135m-instruct|facts8|neutral|no-such-item", [0], junk)
    second = subprocess.run(command, capture_output=True, text=True, timeout=900)
    return {"run_dir": run_dir, "killed": killed, "orphan": orphan, "second": second}


def records(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "results.jsonl").read_text().splitlines()]


def test_resume_keeps_states_and_records_aligned(resumed):
    second = resumed["second"]
    assert second.returncode == 0, second.stderr
    run_dir = resumed["run_dir"]
    saved = records(run_dir)
    assert len(saved) == ITEMS * (len(CONDITIONS) + 1)
    assert len({r["sample_id"] for r in saved}) == len(saved)
    store = ReadoutStore(run_dir)
    # one states file per record, none without a record (the orphan was replaced)
    assert store.sample_ids() == {r["sample_id"] for r in saved}
    for record in saved:
        states = store.read(record["sample_id"])
        assert states is not None and states.layers == LAYERS
        assert sorted(states.turns) == [t["turn"] for t in record["turns"]]
        for turn in record["turns"]:
            array = states.turns[turn["turn"]]
            assert array.shape == (len(record["item"]["choices"]), len(LAYERS), 576)
            assert array.dtype == np.float16
            readout = turn["readout"]
            assert readout["options"] == record["item"]["choices"]
            assert len(readout["logprobs"]) == len(record["item"]["choices"])


def test_score_recomputes_readouts_without_the_model(resumed, tmp_path):
    run_dir = resumed["run_dir"]
    summary = json.loads((run_dir / "summary.json").read_text())
    [result] = summary["readouts"]
    assert result["readouts"] == ["probe", "option_loglik"]
    assert result["probe"]["n_items"] == ITEMS
    assert result["probe"]["layers"] == LAYERS
    assert {row["condition"] for row in result["rows"]} == {
        "suggest_incorrect",
        "are_you_sure",
    }
    assert all(row["priming"] is not None for row in result["rows"] if row["family"] == "answer")
    # torch and transformers cannot even be imported: the arrays and records are enough
    blocker = tmp_path / "blocked"
    blocker.mkdir()
    for name in ("torch", "transformers"):
        (blocker / f"{name}.py").write_text("raise ImportError('blocked for this test')\n")
    env_path = f"{blocker}:{REPO}"
    rescored = subprocess.run(
        evalkit("score", str(run_dir)),
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin", "COLUMNS": "200"},
    )
    assert rescored.returncode == 0, rescored.stderr
    assert "truth probe" in rescored.stdout
    again = json.loads((run_dir / "summary.json").read_text())
    assert again["readouts"] == summary["readouts"]
