"""A run whose writer was killed reads as incomplete, with the samples it saved counted.

After ``kill -9`` the manifest still says ``running`` with the counts of the run's start
(0 completed): ``evalkit score`` said "run is running: 0/80 samples" beside 11 saved and
scored ones. Summaries are written under the run's lock, so a ``running`` manifest there
means its writer is gone.
"""

from __future__ import annotations

import json

from gate_runs import make_run, replies

from evalkit.cli import main


def test_a_killed_run_is_scored_as_incomplete_with_what_it_saved(tmp_path, capsys):
    make_run(tmp_path, "killed", replies(), label="v1")
    run_dir = tmp_path / "killed-run"
    manifest_path = run_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    planned = manifest["counts"]["planned"]
    manifest["status"] = "running"
    manifest["counts"]["completed"] = 0
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    lines = (run_dir / "results.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    saved = len(lines) // 2
    (run_dir / "results.jsonl").write_text("".join(lines[:saved]), encoding="utf-8")

    assert main(["score", str(run_dir)]) == 0
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "incomplete"
    assert (summary["counts"]["completed"], summary["counts"]["planned"]) == (saved, planned)
    out = " ".join(capsys.readouterr().out.split())
    assert f"is incomplete: {saved}/{planned} samples" in out


def test_an_export_of_a_killed_run_says_it_is_partial(tmp_path, capsys):
    make_run(tmp_path, "killed", replies(), label="v1")
    run_dir = tmp_path / "killed-run"
    manifest_path = run_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["status"] = "running"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["export", str(run_dir), "--format", "csv"]) == 0
    assert "the run is not complete (running)" in " ".join(capsys.readouterr().out.split())


def test_a_complete_run_whose_results_were_cut_afterwards_is_warned_about(tmp_path, capsys):
    """A torn last line after completion (a bad copy) was skipped, and the run scored as
    complete on one record fewer, silently."""
    make_run(tmp_path, "cut", replies(), label="v1")
    run_dir = tmp_path / "cut-run"
    results = run_dir / "results.jsonl"
    data = results.read_bytes()
    results.write_bytes(data[: len(data) - 40])  # the last line torn
    completed = json.loads((run_dir / "manifest.json").read_text())["counts"]["completed"]
    assert main(["score", str(run_dir)]) == 0
    [warning] = json.loads((run_dir / "summary.json").read_text())["warnings"]
    held = f"results.jsonl holds {completed - 1} records, but the run completed {completed}"
    assert held in warning
    assert "cut or edited" in " ".join(capsys.readouterr().out.split())


def test_repair_does_not_call_a_run_with_more_samples_than_planned_complete(tmp_path, capsys):
    """It confirmed "36 of 10 samples, complete" for a run holding another plan's samples."""
    make_run(tmp_path, "extra", replies(), label="v1")
    run_dir = tmp_path / "extra-run"
    manifest_path = run_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["counts"]["planned"] -= 5
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["repair", str(run_dir)]) == 0
    assert json.loads(manifest_path.read_text(encoding="utf-8"))["status"] == "incomplete"


def test_sigterm_stops_a_run_as_ctrl_c_does(tmp_path):
    """`kill` and `timeout` send SIGTERM: it left the manifest "running" with 0 completed and
    the lock and usage journal behind, as SIGKILL does."""
    import signal
    import subprocess
    import sys
    import time

    import yaml

    from evalkit.testing.fake_api import start_server_process

    data = tmp_path / "items.jsonl"
    data.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"q{i}",
                    "question": f"What is {i} + 1?",
                    "choices": [str(i + 1), "x"],
                    "correct_answer": str(i + 1),
                }
            )
            + "\n"
            for i in range(40)
        ),
        encoding="utf-8",
    )
    with start_server_process(latency_s=0.3, record_bodies=False) as server:
        config = tmp_path / "run.yaml"
        config.write_text(
            yaml.safe_dump(
                {
                    "name": "terminated",
                    "models": [
                        {
                            "provider": "openai",
                            "model": "fake-model",
                            "api_key_env": "TERM_KEY",
                            "base_url": server.openai_base_url,
                            "max_in_flight": 2,
                        }
                    ],
                    "datasets": [str(data)],
                    "conditions": ["answer/neutral"],
                }
            ),
            encoding="utf-8",
        )
        out = tmp_path / "out"
        env = {
            **__import__("os").environ,
            "TERM_KEY": "sk-term",
            "EVALKIT_CACHE_DIR": str(tmp_path / "c"),
        }
        command = [sys.executable, "-m", "evalkit", "run", str(config), "--out", str(out)]
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 60
        results = out / "results.jsonl"
        while not (results.is_file() and results.read_bytes().count(b"\n") >= 2):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert b"interrupted: finished samples are saved" in err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    saved = results.read_bytes().count(b"\n")
    assert manifest["status"] == "incomplete" and manifest["counts"]["completed"] == saved
    assert not (out / "evalkit.lock").exists()
