"""The run directory: results stream to disk one sample at a time.

``results.jsonl`` gets one line per finished sample, flushed at once, so a
crash loses at most the samples in flight. On resume, a torn last line (the
process died mid-write) is cut off and that sample runs again; a sample is
never written twice. ``errors.jsonl`` holds samples that failed, which the
next run retries. ``manifest.json`` says whether the results are complete.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from evalkit.errors import EvalkitError
from evalkit.manifest import RunManifest
from evalkit.records import SampleError, SampleRecord

RESULTS = "results.jsonl"
ERRORS = "errors.jsonl"
MANIFEST = "manifest.json"
SUMMARY = "summary.json"


class RunStore:
    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self._results: IO[str] | None = None
        self._errors: IO[str] | None = None

    @property
    def results_path(self) -> Path:
        return self.run_dir / RESULTS

    @property
    def errors_path(self) -> Path:
        return self.run_dir / ERRORS

    @property
    def manifest_path(self) -> Path:
        return self.run_dir / MANIFEST

    @property
    def summary_path(self) -> Path:
        return self.run_dir / SUMMARY

    def read_manifest(self) -> RunManifest | None:
        if not self.manifest_path.is_file():
            return None
        try:
            return RunManifest.model_validate_json(self.manifest_path.read_text())
        except ValidationError as exc:
            raise EvalkitError(
                f"unreadable run manifest: {exc.errors()[0]['msg']}",
                file=self.manifest_path,
                expected="a manifest written by evalkit",
            ) from None

    def require_manifest(self) -> RunManifest:
        """The manifest of a finished or interrupted run; a clear error for any other folder."""
        manifest = self.read_manifest()
        if manifest is None:
            raise EvalkitError(
                "not a run directory (no manifest.json)",
                file=self.run_dir,
                expected="a directory written by `evalkit run`",
            )
        return manifest

    def write_manifest(self, manifest: RunManifest) -> None:
        write_atomic(self.manifest_path, manifest.model_dump_json(indent=2))

    def load_records(self, *, repair: bool = False) -> list[SampleRecord]:
        """Every saved sample. With ``repair``, cut a torn final line off the file."""
        if not self.results_path.is_file():
            return []
        data = self.results_path.read_bytes()
        if data and not data.endswith(b"\n"):
            if repair:
                with self.results_path.open("r+b") as handle:
                    handle.truncate(data.rfind(b"\n") + 1)
            data = data[: data.rfind(b"\n") + 1]
        records: list[SampleRecord] = []
        seen: set[str] = set()
        for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = SampleRecord.model_validate_json(line)
            except ValidationError as exc:
                raise EvalkitError(
                    f"corrupt sample record: {exc.errors()[0]['msg']}",
                    file=self.results_path,
                    line=number,
                    expected="one SampleRecord JSON object a line",
                ) from None
            if record.sample_id in seen:
                raise EvalkitError(
                    f"sample {record.sample_id!r} appears twice",
                    file=self.results_path,
                    line=number,
                    expected="each sample once",
                )
            seen.add(record.sample_id)
            records.append(record)
        return records

    def load_errors(self) -> list[SampleError]:
        if not self.errors_path.is_file():
            return []
        lines = self.errors_path.read_text().splitlines()
        return [SampleError.model_validate_json(line) for line in lines if line.endswith("}")]

    def open_for_append(self) -> None:
        """Start a (resumed) run: errors of earlier attempts are retried, so cleared."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self._results = self.results_path.open("a", encoding="utf-8")
        self._errors = self.errors_path.open("w", encoding="utf-8")

    def append(self, record: SampleRecord) -> None:
        assert self._results is not None, "open_for_append first"
        self._results.write(record.model_dump_json() + "\n")
        self._results.flush()

    def append_error(self, error: SampleError) -> None:
        assert self._errors is not None, "open_for_append first"
        self._errors.write(error.model_dump_json() + "\n")
        self._errors.flush()

    def close(self) -> None:
        for handle in (self._results, self._errors):
            if handle is not None:
                handle.close()
        self._results = self._errors = None


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` whole or not at all."""
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
