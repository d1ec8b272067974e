"""``evalkit repair RUN_DIR``: make a run directory that every command refuses readable again.

Two processes writing one directory at once (before it had a lock), or a crash,
can leave a sample twice, a torn last line or a line that is not a record. Repair
keeps the first line of each sample (a later copy is the same sample asked
again), drops the rest, says what it dropped, and replaces ``results.jsonl``
atomically. The manifest's counts and status are then set to what the records
support: ``complete`` only if every planned sample is there, nothing errored and
no judge question is pending; otherwise ``incomplete``, and running the same
config again finishes what is missing.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, ValidationError

from evalkit.manifest import RunCounts, RunStatus
from evalkit.records import SampleRecord
from evalkit.store import RunStore, write_error

#: Sample ids and line numbers named in the report, at most.
SHOWN = 10


class RepairReport(BaseModel):
    run_dir: str
    kept: int
    duplicates: list[str]
    corrupt_lines: list[int]
    torn_bytes: int
    counts: RunCounts
    status: RunStatus

    @property
    def changed(self) -> bool:
        return bool(self.duplicates or self.corrupt_lines or self.torn_bytes)

    def describe(self) -> str:
        dropped = []
        if self.duplicates:
            ids = ", ".join(self.duplicates[:SHOWN])
            more = " ..." if len(self.duplicates) > SHOWN else ""
            dropped.append(f"{len(self.duplicates)} duplicate line(s) (samples {ids}{more})")
        if self.corrupt_lines:
            lines = ", ".join(map(str, self.corrupt_lines[:SHOWN]))
            more = " ..." if len(self.corrupt_lines) > SHOWN else ""
            dropped.append(f"{len(self.corrupt_lines)} unreadable line(s) (lines {lines}{more})")
        if self.torn_bytes:
            dropped.append(f"a torn last line ({self.torn_bytes} bytes)")
        what = "dropped " + "; ".join(dropped) if dropped else "nothing to drop"
        counts = self.counts
        text = (
            f"{self.run_dir}: kept {self.kept} sample(s), {what}; status {self.status} "
            f"({counts.completed} of {counts.planned} samples, {counts.errored} errored)"
        )
        if self.status != "complete":
            text += "; run the same config again to finish the rest"
        return text


def repair_run(run_dir: Path) -> RepairReport:
    """Rewrite ``results.jsonl`` with each sample once and set the manifest to match."""
    store = RunStore(run_dir)
    with store.lock():
        manifest = store.require_manifest()
        kept, duplicates, corrupt, torn = _rewrite(store)
        errored = {e.sample_id for e in store.load_errors()} - kept
        counts = RunCounts(
            planned=manifest.counts.planned, completed=len(kept), errored=len(errored)
        )
        judged = not manifest.awaiting_judges and all(
            info.pending == 0 for info in manifest.judges.values()
        )
        # exactly the planned number: more are samples of another plan (a renamed model)
        complete = counts.completed == counts.planned and not errored and judged
        status: RunStatus = "complete" if complete else "incomplete"
        finished = (manifest.finished_at or datetime.now(timezone.utc)) if complete else None
        update = {"counts": counts, "status": status, "finished_at": finished}
        store.write_manifest(manifest.model_copy(update=update))
        store.fold_usage()  # the manifest read above already holds the killed attempt's usage
    return RepairReport(
        run_dir=str(run_dir),
        kept=len(kept),
        duplicates=duplicates,
        corrupt_lines=corrupt,
        torn_bytes=torn,
        counts=counts,
        status=status,
    )


def _rewrite(store: RunStore) -> tuple[set[str], list[str], list[int], int]:
    """(kept ids, dropped duplicate ids, unreadable line numbers, torn bytes)."""
    kept: set[str] = set()
    duplicates: list[str] = []
    corrupt: list[int] = []
    path = store.results_path
    if not path.is_file():
        return kept, duplicates, corrupt, 0
    temporary = path.with_suffix(path.suffix + ".tmp")
    torn = 0
    try:
        with path.open("rb") as source, temporary.open("wb") as target:
            for number, raw in enumerate(source, start=1):
                if not raw.endswith(b"\n"):
                    torn = len(raw)
                    break
                if not raw.strip():
                    continue
                try:
                    sample = SampleRecord.model_validate_json(raw).sample_id
                except ValidationError:
                    corrupt.append(number)
                    continue
                if sample in kept:
                    duplicates.append(sample)
                    continue
                kept.add(sample)
                target.write(raw)
        if duplicates or corrupt or torn:
            os.replace(temporary, path)
        else:
            temporary.unlink()
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise write_error(path, exc) from None
    return kept, duplicates, corrupt, torn
