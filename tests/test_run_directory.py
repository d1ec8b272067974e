"""The run directory survives bad luck: two writers, odd characters, bad paths, full disk, kill -9.

Real ``python -m evalkit run`` processes against the loopback fake API
(:class:`FakeAPIServer`, in this process), through the official SDKs.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from evalkit.cli import main
from evalkit.store import RunStore
from evalkit.testing.fake_api import ChatTurn, ErrorReply, FakeAPIServer

KEY = "sk-test-rundir-0123456789abcdef"
ROOT = Path(__file__).resolve().parents[1]
CONDITIONS = ["answer/neutral", "are_you_sure/are_you_sure"]
#: Odd line terminators that ``str.splitlines`` splits on and JSON leaves unescaped.
ODD = "\u2028 \u2029 \x85"


@pytest.fixture()
def server() -> Iterator[FakeAPIServer]:
    with FakeAPIServer(api_key=KEY, models=["fake-gpt"]) as fake:
        yield fake


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TEST_API_KEY", KEY)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def write_config(folder: Path, server: FakeAPIServer, *, items: int = 6, **top: object) -> Path:
    config = {
        "name": "rundir",
        "models": [
            {
                "provider": "openai",
                "model": "fake-gpt",
                "base_url": server.openai_base_url,
                "api_key_env": "TEST_API_KEY",
                "backoff_s": 0.01,
                "max_backoff_s": 0.05,
                "max_in_flight": 4,
                "timeout_s": 5,
                "generation": {"max_new_tokens": 32},
            }
        ],
        "datasets": [{"name": "facts-mcq", "limit": items}],
        "conditions": CONDITIONS,
        **top,
    }
    path = folder / "run.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def evalkit(*args: str) -> list[str]:
    return [sys.executable, "-m", "evalkit", *args]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def start(config: Path, out: Path, *extra: str, **popen: object) -> subprocess.Popen[str]:
    command = evalkit("run", str(config), "--out", str(out), "--no-cache", *extra)
    return subprocess.Popen(  # type: ignore[call-overload]
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        **popen,
    )


def one_line_error(stderr: str) -> str:
    """The one ``error:`` line, last (after any progress a run printed before it)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("error: "), stderr
    assert sum(line.startswith("error: ") for line in lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[-1]


def whole_lines(path: Path) -> list[str]:
    data = path.read_bytes()
    assert data.endswith(b"\n") or not data, "torn last line"
    return [line for line in data.decode("utf-8").split("\n") if line]


def saved_ids(out: Path) -> list[str]:
    return [json.loads(line)["sample_id"] for line in whole_lines(out / "results.jsonl")]


def wait_for_samples(out: Path, process: subprocess.Popen[str], count: int) -> None:
    results = out / "results.jsonl"
    deadline = time.monotonic() + 120
    while not results.is_file() or results.read_bytes().count(b"\n") < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no sample saved in time"
        time.sleep(0.01)


def planned(config: Path) -> int:
    from evalkit.plan import build_plan

    return len(build_plan(config).samples)


# -- two runs on one directory -----------------------------------------------------------


@pytest.mark.parametrize("stagger", [False, True], ids=["together", "second-after-first-saves"])
def test_second_run_on_a_directory_is_refused_naming_the_first(
    server: FakeAPIServer, tmp_path: Path, stagger: bool
) -> None:
    server.configure(latency_s=1.0 if stagger else 0.2)  # the first is still running
    config = write_config(tmp_path, server)
    out = tmp_path / "out"
    first = start(config, out)
    if stagger:
        wait_for_samples(out, first, 1)
    second = start(config, out)
    done = {p.pid: (p, *p.communicate(timeout=300)) for p in (first, second)}
    codes = sorted(p.returncode for p, _, _ in done.values())
    assert codes == [0, 2], {pid: (p.returncode, err) for pid, (p, _, err) in done.items()}
    winner = next(p for p, _, _ in done.values() if p.returncode == 0)
    loser, _, loser_err = next(v for v in done.values() if v[0].returncode == 2)
    if stagger:
        assert winner is first and loser is second
    line = one_line_error(loser_err)
    assert "in use by another evalkit process" in line and f"pid {winner.pid} " in line
    assert "evalkit run" in line and str(config) in line
    ids = saved_ids(out)
    assert len(ids) == len(set(ids)) == planned(config)  # every sample exactly once
    # asked once: 6 items x (1 neutral + 2 are-you-sure turns + the confirm turn, since the
    # echoed reply states no answer), no cache
    assert server.stats().requests == 6 * 4
    manifest = RunStore(out).read_manifest()
    assert manifest is not None and manifest.status == "complete"
    assert manifest.usage["fake-gpt"].requests == 6 * 4
    assert not (out / "evalkit.lock").exists()  # released cleanly


def test_lock_is_released_by_kill_9(server: FakeAPIServer, tmp_path: Path) -> None:
    server.configure(latency_s=0.05)
    config = write_config(tmp_path, server)
    out = tmp_path / "out"
    first = start(config, out)
    wait_for_samples(out, first, 1)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=60)
    assert (out / "evalkit.lock").is_file()  # left behind, but no longer held
    second = start(config, out)
    _, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    ids = saved_ids(out)
    assert len(ids) == len(set(ids)) == planned(config)


def test_score_and_report_wait_for_no_one_but_refuse_a_locked_directory(
    server: FakeAPIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, server, items=2)
    out = tmp_path / "out"
    assert main(["run", str(config), "--out", str(out)]) == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(out)],
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        capsys.readouterr()
        for command in (["score", str(out)], ["report", str(out)], ["repair", str(out)]):
            assert main(command) == 2, command
            assert f"pid {holder.pid} " in one_line_error(capsys.readouterr().err)
        # a report written elsewhere only reads the run directory
        assert main(["report", str(out), "-o", str(tmp_path / "elsewhere.html")]) == 0
    finally:
        holder.kill()
        holder.wait()
    assert main(["score", str(out)]) == 0


HOLD_LOCK = """
import sys, time
from pathlib import Path
from evalkit.run_lock import RunDirLock
with RunDirLock(Path(sys.argv[1]), create=False):
    print("locked", flush=True)
    time.sleep(120)
"""


# -- repair ---------------------------------------------------------------------------------


def test_repair_keeps_each_sample_once_and_cuts_a_torn_line(
    server: FakeAPIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, server, items=3)
    out = tmp_path / "out"
    assert main(["run", str(config), "--out", str(out)]) == 0
    results = out / "results.jsonl"
    good = results.read_bytes()
    lines = good.splitlines(keepends=True)
    # what two writers left: every line twice, interleaved, a torn line, manifest "running"
    mixed = b"".join(line for pair in zip(lines, lines, strict=True) for line in pair)
    results.write_bytes(mixed + lines[0][:40])
    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["status"] = "running"
    manifest_path.write_text(json.dumps(manifest))
    capsys.readouterr()

    assert main(["score", str(out)]) == 2
    line = one_line_error(capsys.readouterr().err)
    assert "appears twice" in line and f"evalkit repair {out}" in line

    assert main(["repair", str(out)]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert f"dropped {len(lines)} duplicate line(s)" in said and "a torn last line" in said
    assert json.loads(lines[0])["sample_id"] in said
    assert results.read_bytes() == good  # the first of each, in order
    repaired = RunStore(out).read_manifest()
    assert repaired is not None and repaired.status == "complete"
    assert repaired.counts.completed == repaired.counts.planned == len(lines)
    assert main(["score", str(out)]) == 0
    assert main(["report", str(out)]) == 0
    assert main(["repair", str(out)]) == 0
    assert "nothing to drop" in capsys.readouterr().out


def test_repair_does_not_call_a_run_with_missing_samples_complete(
    server: FakeAPIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, server, items=3)
    out = tmp_path / "out"
    assert main(["run", str(config), "--out", str(out)]) == 0
    results = out / "results.jsonl"
    lines = results.read_bytes().splitlines(keepends=True)
    results.write_bytes(lines[0] + lines[0] + b"not json\n" + b"".join(lines[2:]))
    assert main(["repair", str(out)]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "1 duplicate line(s)" in said and "1 unreadable line(s) (lines 3)" in said
    manifest = RunStore(out).read_manifest()
    assert manifest is not None and manifest.status == "incomplete"
    assert manifest.counts.completed == len(lines) - 1
    # the same config finishes it: only the missing sample is asked
    before = server.stats().requests
    assert main(["run", str(config), "--out", str(out), "--no-cache"]) == 0
    assert server.stats().requests - before in (1, 3)  # a neutral or an are-you-sure sample
    assert sorted(saved_ids(out)) == sorted(json.loads(line)["sample_id"] for line in lines)


# -- odd line terminators inside JSON strings ----------------------------------------------


def _odd_responder(turns: list[ChatTurn]) -> str:
    users = [t for t in turns if t.role == "user"]
    if len(users) == 2:  # the challenge turn of are-you-sure fails, with an odd message
        raise ErrorReply(400, f"refused{ODD}second line")
    return f"The answer is (A).{ODD}Sure."


def test_odd_line_terminators_round_trip_through_run_score_and_report(
    server: FakeAPIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.configure(responder=_odd_responder)
    config = write_config(tmp_path, server, items=3)
    out = tmp_path / "out"
    assert main(["run", str(config), "--out", str(out)]) == 1  # errored samples: incomplete
    store = RunStore(out)
    errors = store.load_errors()
    assert len(errors) == 3 and all(f"refused{ODD}second line" in e.message for e in errors)
    records = store.load_records()
    assert len(records) == 3 and all(ODD in r.turns[0].response.text for r in records)
    manifest = store.read_manifest()
    assert manifest is not None and manifest.status == "incomplete"
    assert manifest.counts.errored == 3
    assert main(["score", str(out)]) == 0
    assert main(["report", str(out)]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_odd_line_terminators_in_judge_files(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    from evalkit.judges.judgement_store import JudgementStore
    from evalkit.judges.judgements import JudgeError

    store = JudgementStore(tmp_path)
    store.open()
    error = JudgeError(
        key="k",
        sample_id="s",
        question="q",
        judge="j",
        error_type="RequestFailed",
        message=f"no{ODD}way",
        at=datetime.now(timezone.utc),
    )
    store.append_error(error)
    store.close()
    assert store.load_errors() == [error]


# -- where the run is written ----------------------------------------------------------------


def test_output_dir_that_is_a_file_is_one_line(
    server: FakeAPIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "taken"
    target.write_text("mine\n")
    config = write_config(tmp_path, server, output_dir=str(target))
    assert main(["run", str(config)]) == 2
    line = one_line_error(capsys.readouterr().err)
    assert str(target) in line and "is a file" in line
    assert main(["run", str(config), "--out", str(target / "below")]) == 2
    assert "a file is in the way" in one_line_error(capsys.readouterr().err)
    assert target.read_text() == "mine\n"
    assert server.stats().requests == 0


def test_output_dir_with_a_name_too_long_is_one_line(
    server: FakeAPIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A path part past the file system's 255 bytes made Path.exists raise: a traceback."""
    config = write_config(tmp_path, server)
    assert main(["run", str(config), "--out", str(tmp_path / ("a" * 300) / "run")]) == 2
    assert "cannot use the output directory: File name too long" in one_line_error(
        capsys.readouterr().err
    )
    assert server.stats().requests == 0


def test_existing_folder_that_is_not_a_run_is_not_overwritten(
    server: FakeAPIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "results.txt").write_text("keep me\n")
    (folder / "summary.json").write_text('{"mine": true}\n')
    config = write_config(tmp_path, server)
    assert main(["run", str(config), "--out", str(folder)]) == 2
    line = one_line_error(capsys.readouterr().err)
    assert str(folder) in line and "refusing" in line
    assert sorted(p.name for p in folder.iterdir()) == ["results.txt", "summary.json"]
    assert (folder / "summary.json").read_text() == '{"mine": true}\n'
    # an empty folder is fine
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["run", str(config), "--out", str(empty)]) == 0


def test_unwritable_output_dir_is_one_line_and_creates_nothing(
    server: FakeAPIServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, server)
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        targets = [locked / "run", locked]
    else:  # root may write into any folder: use a read-only pseudo filesystem
        locked = Path("/sys")
        try:
            (locked / "evalkit-probe").mkdir()
        except OSError:
            pass
        else:
            (locked / "evalkit-probe").rmdir()
            pytest.skip("no folder here is unwritable")
        targets = [locked / "evalkit-run"]
    before = sorted(os.listdir(locked))
    try:
        for out in targets:
            child = start(config, out)
            _, err = child.communicate(timeout=120)
            assert child.returncode == 2, err
            line = one_line_error(err)
            assert "cannot write into the run directory" in line and str(out) in line
        assert sorted(os.listdir(locked)) == before
        assert server.stats().requests == 0
    finally:
        if locked != Path("/sys"):
            locked.chmod(0o755)


# -- a full disk ------------------------------------------------------------------------------


def _file_size_limit(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_full_disk_is_one_line_and_resumable(server: FakeAPIServer, tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes the kernel refuse writes past a size (EFBIG), like a full disk."""
    config = write_config(tmp_path, server)
    out = tmp_path / "out"
    child = start(config, out, preexec_fn=lambda: _file_size_limit(12_000))
    _, err = child.communicate(timeout=300)
    assert child.returncode == 2, err
    line = one_line_error(err)
    assert "results.jsonl" in line and "File too large" in line
    saved = saved_ids(out)  # whole lines only: the failed record was cut back off
    assert 0 < len(saved) < planned(config)
    manifest = RunStore(out).read_manifest()
    assert manifest is not None and manifest.status == "incomplete"
    assert manifest.counts.completed == len(saved)

    again = start(config, out)
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    ids = saved_ids(out)
    assert ids[: len(saved)] == saved and len(ids) == len(set(ids)) == planned(config)


# -- usage survives kill -9 -----------------------------------------------------------------


def test_usage_of_a_killed_attempt_is_kept(server: FakeAPIServer, tmp_path: Path) -> None:
    server.configure(latency_s=0.3)  # the run outlasts a starved test process
    config = write_config(tmp_path, server, items=8)
    out = tmp_path / "out"
    first = start(config, out)
    wait_for_samples(out, first, 3)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=60)

    def paid_for(records_path: Path) -> tuple[int, int]:
        """Requests and prompt tokens the saved samples needed (no cache: one per turn)."""
        records = [json.loads(line) for line in whole_lines(records_path)]
        turns = [t for r in records for t in r["turns"]]
        return len(turns), sum(t["response"]["usage"]["prompt_tokens"] for t in turns)

    killed = RunStore(out).read_manifest()
    assert killed is not None and killed.status == "running"
    requests, prompt_tokens = paid_for(out / "results.jsonl")
    assert killed.usage["fake-gpt"].requests >= requests > 0
    assert killed.usage["fake-gpt"].prompt_tokens >= prompt_tokens

    second = start(config, out)
    _, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    final = RunStore(out).read_manifest()
    assert final is not None and final.status == "complete"
    requests, prompt_tokens = paid_for(out / "results.jsonl")
    spent = final.usage["fake-gpt"]
    # every saved sample's requests were paid for and counted; a request is counted when it
    # starts, so the killed attempt may count up to max_in_flight (4) it never got to send
    assert requests <= spent.requests <= server.stats().requests + 4
    assert spent.prompt_tokens >= prompt_tokens
    assert not (out / "usage.jsonl").exists()  # folded into the manifest


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--format", "csv", "-o", "results.jsonl"],
        ["export", "--format", "parquet", "-o", "usage.jsonl"],
        ["report", "-o", "manifest.json"],
        ["compare", "RUN", "--json", "errors.jsonl"],
    ],
    ids=["export-results", "export-usage", "report-manifest", "compare-errors"],
)
def test_an_output_over_a_record_of_the_run_is_refused(
    command: list[str], server: FakeAPIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``evalkit export RUN -o RUN/results.jsonl`` replaced every sample with a CSV."""
    out = tmp_path / "out"
    assert main(["run", str(write_config(tmp_path, server, items=2)), "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    target = out / command[-1]
    args = [str(out) if a == "RUN" else a for a in command[:-1]]
    capsys.readouterr()
    assert main([args[0], str(out), *args[1:], str(target)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"error: {target}: cannot write the" in err and "over a record of the run" in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_a_run_file_line_over_the_limit_is_refused_before_it_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    from scripted_runs import capital_rows, scripted_run

    import evalkit.store

    out = scripted_run(
        tmp_path, "long-line", capital_rows(), lambda turns: "Paris.", ["answer/neutral"]
    )
    assert main(["score", str(out)]) == 0
    monkeypatch.setattr(evalkit.store, "MAX_LINE_BYTES", 5_000)
    with (out / "results.jsonl").open("a", encoding="utf-8") as results:
        results.write(json.dumps({"padding": "x" * 20_000}) + "\n")
    capsys.readouterr()
    assert main(["score", str(out)]) == 2
    err = capsys.readouterr().err
    assert "results.jsonl:5: line is over 5,000 bytes" in err and "Traceback" not in err
