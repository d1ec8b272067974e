"""The run directory: results stream to disk one sample at a time.

``results.jsonl`` gets one line per finished sample, flushed at once, so a
crash loses at most the samples in flight. On resume, a torn last line (the
process died mid-write) is cut off and that sample runs again; a sample is
never written twice. ``errors.jsonl`` holds samples that failed, which the
next run retries. ``manifest.json`` says whether the results are complete.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
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
        records: list[SampleRecord] = []
        seen: set[str] = set()
        for number, line in self._lines(repair=repair):
            try:
                record = SampleRecord.model_validate_json(line)
            except ValidationError as exc:
                raise EvalkitError(
                    f"corrupt sample record: {exc.errors()[0]['msg']}",
                    file=self.results_path,
                    line=number,
                    expected="one SampleRecord JSON object a line",
                ) from None
            self._check_new(record.sample_id, seen, number)
            records.append(record)
        return records

    def sample_ids(self, *, repair: bool = False) -> set[str]:
        """The ids of the saved samples, without holding their records in memory.

        Resuming and finishing a run need only these, so memory stays flat
        however many samples a run has.
        """
        seen: set[str] = set()
        for number, line in self._lines(repair=repair):
            try:
                sample = json.loads(line)["sample_id"]
                if not isinstance(sample, str):
                    raise TypeError
            except (ValueError, KeyError, TypeError):
                raise EvalkitError(
                    "corrupt sample record: no sample_id",
                    file=self.results_path,
                    line=number,
                    expected="one SampleRecord JSON object a line",
                ) from None
            self._check_new(sample, seen, number)
        return seen

    def _lines(self, *, repair: bool) -> Iterator[tuple[int, str]]:
        """(line number, text) of each complete, non-empty line of ``results.jsonl``."""
        if not self.results_path.is_file():
            return
        if repair:
            self._cut_torn_line()
        with self.results_path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.endswith(b"\n"):
                    return  # torn: the process died mid-write; that sample runs again
                line = raw.decode("utf-8")
                if line.strip():
                    yield number, line

    def _cut_torn_line(self) -> None:
        with self.results_path.open("r+b") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size == 0:
                return
            handle.seek(size - 1)
            if handle.read(1) == b"\n":
                return
            # Find the last newline by reading back in blocks; keep everything before it.
            position, block = size, 1 << 16
            while position > 0:
                start = max(0, position - block)
                handle.seek(start)
                chunk = handle.read(position - start)
                cut = chunk.rfind(b"\n")
                if cut != -1:
                    handle.truncate(start + cut + 1)
                    return
                position = start
            handle.truncate(0)

    def _check_new(self, sample: str, seen: set[str], number: int) -> None:
        if sample in seen:
            raise EvalkitError(
                f"sample {sample!r} appears twice",
                file=self.results_path,
                line=number,
                expected="each sample once",
            )
        seen.add(sample)

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
