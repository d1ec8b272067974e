"""Streaming results, torn lines, and resuming a killed run without duplicates."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from evalkit.errors import EvalkitError
from evalkit.plan import build_plan
from evalkit.runner import Runner
from evalkit.store import RunStore, usage_line
from evalkit.usage import ModelUsage, UsageSoFar

SMALL_CONFIG = """\
name: resume-test
seed: 0
limit: {limit}
models:
  - provider: transformers
    model: smollm2-135m-instruct
    batch_size: 2
    threads: 2
    generation:
      max_new_tokens: {max_new_tokens}
      temperature: 0
datasets:
  - facts-mcq
conditions:
  - answer/neutral
  - are_you_sure/are_you_sure
"""


def write_config(
    folder: Path, *, limit: int = 4, max_new_tokens: int = 16, extra: str = ""
) -> Path:
    path = folder / "run.yaml"
    path.write_text(
        SMALL_CONFIG.format(limit=limit, max_new_tokens=max_new_tokens) + extra, encoding="utf-8"
    )
    return path


# -- store level (no model) ------------------------------------------------------------


@pytest.fixture
def plan_and_records(tmp_path, make_record):
    """A plan of 2 items x 2 conditions and a finished record for each of its samples."""
    plan = build_plan(write_config(tmp_path, limit=2))
    records = [
        make_record(
            s.item,
            s.condition.name,
            s.condition.family,
            s.condition.pressure,
            [f"reply {k}" for k in range(s.condition.turns)],
            model=s.model,
            dataset=s.dataset,
        )
        for s in plan.samples
    ]
    assert [r.sample_id for r in records] == [s.id for s in plan.samples]
    return plan, records


def test_store_round_trip(tmp_path, plan_and_records):
    _, records = plan_and_records
    store = RunStore(tmp_path / "run")
    store.open_for_append()
    for record in records:
        store.append(record)
    store.close()
    assert store.load_records() == records
    lines = store.results_path.read_text().splitlines()
    assert len(lines) == 4 and all(json.loads(line)["sample_id"] for line in lines)


def test_usage_journal_lines_are_what_the_model_would_write(tmp_path):
    """The journal's line is serialised without the model (a line a sample): the same JSON
    as ``UsageSoFar``, read back by the manifest as the latest totals."""
    usage = {"m": ModelUsage(requests=3, prompt_tokens=7, cost_usd=0.5), "n/ü": ModelUsage()}
    line = json.loads(usage_line(usage))
    expected = json.loads(UsageSoFar(usage=usage).model_dump_json())
    assert line.keys() == expected.keys() and line["usage"] == expected["usage"]
    store = RunStore(tmp_path / "run")
    store.open_for_append()
    store.save_usage({"m": ModelUsage(requests=1)})
    store.save_usage(usage)
    store.close()
    assert store.read_usage() == usage


def test_torn_final_line_is_cut_and_its_sample_runs_again(tmp_path, plan_and_records):
    plan, records = plan_and_records
    run_dir = tmp_path / "run"
    store = RunStore(run_dir)
    store.open_for_append()
    for record in records[:2]:
        store.append(record)
    store.close()
    whole = store.results_path.read_bytes()
    torn = records[2].model_dump_json()
    with store.results_path.open("a") as handle:
        handle.write(torn[: len(torn) // 2])  # the process died mid-write

    # without repair the torn line is ignored but left in place
    assert [r.sample_id for r in store.load_records()] == [r.sample_id for r in records[:2]]
    assert store.results_path.read_bytes() == whole + torn[: len(torn) // 2].encode()

    # the runner sees the torn sample as missing (and repairs the file)
    runner = Runner(plan, run_dir)
    assert [s.id for s in runner.pending()] == [s.id for s in plan.samples[2:]]
    assert store.results_path.read_bytes() == whole
    assert store.load_records(repair=True) == records[:2]


def test_duplicate_or_corrupt_lines_are_errors(tmp_path, plan_and_records):
    _, records = plan_and_records
    store = RunStore(tmp_path)
    line = records[0].model_dump_json() + "\n"
    store.results_path.write_text(line + line)
    with pytest.raises(EvalkitError, match="appears twice") as caught:
        store.load_records()
    assert caught.value.line == 2
    assert "evalkit repair" in str(caught.value)
    store.results_path.write_text(line + '{"sample_id": "x"}\n')
    with pytest.raises(EvalkitError, match="corrupt sample record") as caught:
        store.load_records()
    assert caught.value.line == 2


def test_results_without_manifest_are_refused(tmp_path, plan_and_records):
    plan, records = plan_and_records
    store = RunStore(tmp_path)
    store.results_path.write_text(records[0].model_dump_json() + "\n")
    with pytest.raises(EvalkitError, match="without a manifest"):
        Runner(plan, tmp_path).check_same_plan()


# -- a real run killed and resumed -----------------------------------------------------


def evalkit(*args: str) -> list[str]:
    return [sys.executable, "-m", "evalkit", *args]


def complete_lines(path: Path) -> list[bytes]:
    if not path.is_file():
        return []
    data = path.read_bytes()
    return data[: data.rfind(b"\n") + 1].splitlines(keepends=True)


@pytest.fixture(scope="module")
def resumed(tmp_path_factory):
    """Start a run, SIGKILL it after its first saved sample, then rerun it to completion."""
    folder = tmp_path_factory.mktemp("resume")
    config = write_config(folder)
    run_dir = folder / "run"
    results = run_dir / "results.jsonl"
    command = evalkit("run", str(config), "--out", str(run_dir))
    with (folder / "first.log").open("wb") as log:
        first = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 420
            while not complete_lines(results):
                assert first.poll() is None, "first run ended before any sample was saved"
                assert time.monotonic() < deadline, "no sample saved in time"
                time.sleep(0.02)
        finally:
            if first.poll() is None:
                first.send_signal(signal.SIGKILL)
            first.wait(timeout=60)
    assert first.returncode == -signal.SIGKILL
    killed_lines = complete_lines(results)
    killed_manifest = json.loads((run_dir / "manifest.json").read_text())
    # as if the kill had landed mid-write: half a line, no newline, at the end
    with results.open("ab") as handle:
        handle.write(killed_lines[0][: len(killed_lines[0]) // 2])

    second = subprocess.run(command, capture_output=True, text=True, timeout=600)
    return {
        "config": config,
        "run_dir": run_dir,
        "command": command,
        "killed_lines": killed_lines,
        "killed_manifest": killed_manifest,
        "second": second,
    }


@pytest.mark.model
def test_killed_run_is_not_complete(resumed):
    assert resumed["killed_manifest"]["status"] != "complete"
    # killed early: not everything was saved
    assert 1 <= len(resumed["killed_lines"]) < 8


@pytest.mark.model
def test_rerun_completes_every_sample_exactly_once(resumed):
    second = resumed["second"]
    assert second.returncode == 0, second.stderr
    run_dir = resumed["run_dir"]
    lines = (run_dir / "results.jsonl").read_bytes().splitlines(keepends=True)
    # the samples saved before the kill are kept as they were, not redone
    assert lines[: len(resumed["killed_lines"])] == resumed["killed_lines"]
    records = [json.loads(line) for line in lines]
    ids = [r["sample_id"] for r in records]
    planned = [s.id for s in build_plan(resumed["config"]).samples]
    # 4 items x 2 conditions
    assert len(planned) == 8 and len({p.split("|")[3] for p in planned}) == 4
    assert sorted(ids) == sorted(planned)  # each planned sample exactly once
    turns = {r["condition"]["name"]: len(r["turns"]) for r in records}
    assert turns == {"neutral": 1, "are_you_sure": 3}
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["counts"] == {"planned": 8, "completed": 8, "errored": 0}
    assert manifest["started_at"] == resumed["killed_manifest"]["started_at"]


@pytest.mark.model
def test_third_run_does_nothing(resumed):
    assert resumed["second"].returncode == 0
    results = resumed["run_dir"] / "results.jsonl"
    before = results.read_bytes()
    third = subprocess.run(resumed["command"], capture_output=True, text=True, timeout=300)
    assert third.returncode == 0, third.stderr
    assert "(0 to do)" in " ".join(third.stderr.split())
    assert "loading model" not in third.stderr
    assert results.read_bytes() == before
    manifest = json.loads((resumed["run_dir"] / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["counts"]["completed"] == 8


@pytest.mark.model
@pytest.mark.parametrize(
    "change",
    [
        {"max_new_tokens": 20},
        {"extra": "  - answer/suggest_incorrect\n"},
    ],
    ids=["max_new_tokens", "extra-condition"],
)
def test_different_config_on_the_same_directory_is_refused(resumed, tmp_path, change):
    assert resumed["second"].returncode == 0
    run_dir = resumed["run_dir"]
    before = {p.name: p.read_bytes() for p in run_dir.iterdir()}
    config = write_config(tmp_path, **change)
    done = subprocess.run(
        evalkit("run", str(config), "--out", str(run_dir)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert "different config" in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr
    assert {p.name: p.read_bytes() for p in run_dir.iterdir()} == before


def test_larger_limit_keeps_the_same_plan(tmp_path):
    """Only limits differ: the plan identity is the same, so a run can be extended."""
    small = build_plan(write_config(tmp_path, limit=2))
    large = build_plan(write_config(tmp_path, limit=4))
    assert small.plan_hash == large.plan_hash
    assert {s.id for s in small.samples} < {s.id for s in large.samples}
    edited = build_plan(write_config(tmp_path, limit=2, max_new_tokens=17))
    assert edited.plan_hash != small.plan_hash


def test_edited_template_changes_the_plan(tmp_path):
    template = tmp_path / "mine.jinja"
    template.write_text(
        textwrap.dedent(
            """\
            {#- evalkit
            family: answer
            pressure: none
            -#}
            {% block user_1 %}{{ item.question }}{% endblock %}
            """
        )
    )
    config = write_config(tmp_path, limit=2, extra="  - mine.jinja\n")
    before = build_plan(config).plan_hash
    template.write_text(template.read_text().replace("{{ item.question }}", "{{ item.question }}!"))
    assert build_plan(config).plan_hash != before
