"""A run directory from someone else may hold links where its files belong: evalkit never
writes through them (a resume emptied ``errors.jsonl``'s target, a report replaced
``report.html.tmp``'s, the lock's holder was written into ``evalkit.lock``'s)."""

from __future__ import annotations

import pytest
from gate_runs import make_run, replies

from evalkit.cli import main
from evalkit.errors import EvalkitError
from evalkit.store import RunStore

VICTIM = "precious data\n"


@pytest.fixture
def shared(tmp_path):
    make_run(tmp_path, "shared", replies(), label="v1")
    victim = tmp_path / "victim.txt"
    victim.write_text(VICTIM, encoding="utf-8")
    return tmp_path / "shared-run", victim


def test_a_temporary_planted_as_a_link_is_replaced_not_written_through(shared, capsys):
    run_dir, victim = shared
    for name in ("report.html.tmp", "summary.json.tmp", "report.transcripts.jsonl.tmp"):
        (run_dir / name).symlink_to(victim)
    (run_dir / "summary.json").unlink(missing_ok=True)
    (run_dir / "summary.json").symlink_to(victim)  # the file itself: replaced, not followed
    assert main(["score", str(run_dir)]) == 0
    assert main(["report", str(run_dir)]) == 0
    assert victim.read_text(encoding="utf-8") == VICTIM
    assert not (run_dir / "summary.json").is_symlink()
    assert "<html" in (run_dir / "report.html").read_text(encoding="utf-8").lower()


def test_a_lock_planted_as_a_link_is_refused(shared, capsys):
    run_dir, victim = shared
    (run_dir / "evalkit.lock").unlink(missing_ok=True)
    (run_dir / "evalkit.lock").symlink_to(victim)
    assert main(["score", str(run_dir)]) == 2
    assert "evalkit.lock is a link" in " ".join(capsys.readouterr().err.split())
    assert victim.read_text(encoding="utf-8") == VICTIM


@pytest.mark.parametrize("name", ["errors.jsonl", "results.jsonl", "usage.jsonl"])
def test_a_record_file_planted_as_a_link_is_refused_on_resume(shared, name):
    run_dir, victim = shared
    (run_dir / name).unlink(missing_ok=True)
    (run_dir / name).symlink_to(victim)
    store = RunStore(run_dir)
    with pytest.raises(EvalkitError) as caught:
        store.open_for_append()
    assert "is a link" in caught.value.message and caught.value.file.endswith(name)
    assert victim.read_text(encoding="utf-8") == VICTIM  # errors.jsonl was emptied before
    store.close()
