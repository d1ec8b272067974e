"""``judgements.jsonl``: verdicts stream to disk one at a time, like the samples.

A verdict is written once, at once; a torn last line (the process died
mid-write) is cut off on the next pass and that question is asked again.
Failed requests go to ``judge_errors.jsonl``, rewritten by every pass. Lines
are read as the run's results are (:func:`evalkit.store.jsonl_lines`), and
writing holds the run directory's lock.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from evalkit.judges.judgements import JudgeError, JudgeInfo, Judgement
from evalkit.run_files import JUDGE_ERRORS, JUDGEMENTS
from evalkit.run_lock import RunDirLock
from evalkit.store import (
    RunStore,
    append_line,
    cut_torn_line,
    read_models,
    write_error,
)
from scorers.verdicts import NO_VERDICTS, Verdicts


class JudgementStore:
    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / JUDGEMENTS
        self.errors_path = run_dir / JUDGE_ERRORS
        self._out: IO[bytes] | None = None
        self._errors: IO[bytes] | None = None
        self._lock: RunDirLock | None = None

    def load(self, *, repair: bool = False) -> list[Judgement]:
        """Every stored verdict. With ``repair``, cut a torn final line off the file."""
        if not self.path.is_file():
            return []
        if repair:
            cut_torn_line(self.path)
        return [j for _, j in read_models(self.path, Judgement, "judgement")]

    def load_errors(self) -> list[JudgeError]:
        if not self.errors_path.is_file():
            return []
        return [e for _, e in read_models(self.errors_path, JudgeError, "judge error record")]

    def open(self) -> None:
        """Start appending; holds the run directory's lock until :meth:`close` (reentrant)."""
        lock = RunDirLock(self.path.parent)
        lock.acquire()
        try:
            self._out = self.path.open("ab", buffering=0)
            self._errors = self.errors_path.open("wb", buffering=0)
        except OSError as exc:
            self.close()
            lock.release()
            raise write_error(self.path.parent, exc) from None
        self._lock = lock

    def append(self, judgement: Judgement) -> None:
        assert self._out is not None, "open first"
        append_line(self._out, self.path, judgement.model_dump_json())

    def append_error(self, error: JudgeError) -> None:
        assert self._errors is not None, "open first"
        append_line(self._errors, self.errors_path, error.model_dump_json())

    def close(self) -> None:
        for handle in (self._out, self._errors):
            if handle is not None:
                handle.close()
        self._out = self._errors = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def current_judgements(run_dir: Path, judges: dict[str, JudgeInfo]) -> list[Judgement]:
    """The verdicts of the run's current judges (an earlier judge's stay in the file, unused)."""
    wanted = {(f, fp) for f, info in judges.items() for fp in info.fingerprints.values()}
    return [j for j in JudgementStore(run_dir).load() if (j.family, j.fingerprint) in wanted]


def run_verdicts(store: RunStore) -> Verdicts:
    """The run's current verdicts, indexed once: what its metrics are computed with on every
    surface (a run without a manifest or judges has none)."""
    manifest = store.read_manifest()
    if manifest is None or not manifest.judges:
        return NO_VERDICTS
    return Verdicts(current_judgements(store.run_dir, manifest.judges))
