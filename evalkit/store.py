"""The run directory: results stream to disk one sample at a time.

``results.jsonl`` gets one line per finished sample, written at once, so a
crash loses at most the samples in flight. On resume, a torn last line (the
process died mid-write) is cut off and that sample runs again; a sample is
never written twice (one writer per directory: :mod:`evalkit.run_lock`).
``errors.jsonl`` holds samples that failed, which the next run retries.
``manifest.json`` says whether the results are complete.

``usage.jsonl`` is a journal of what the run has spent so far: before each
sample (or error) is saved, one line with the totals of all attempts is
appended (an append costs ~50x less than replacing a file), so a saved sample
is never missing from the cost even after kill -9. Its last whole line is the
latest; :meth:`RunStore.read_manifest` folds it into the manifest, and a run
that ends appends its final totals, writes them into the manifest and deletes
the journal (killed in between, the journal still says the same).

Lines are split on ``\n`` only: JSON strings may hold U+2028, U+0085 and
friends, which ``str.splitlines`` would take for line breaks. A failed write
(full disk) is an :class:`EvalkitError`, and a record is either appended
whole or cut back off.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import shlex
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import IO, TypeVar, overload

from pydantic import BaseModel, TypeAdapter, ValidationError

from evalkit.errors import EvalkitError
from evalkit.manifest import RunManifest
from evalkit.records import RecordSharing, SampleError, SampleRecord
from evalkit.run_files import (
    ERRORS,
    MANIFEST,
    RESULTS,
    SUMMARY,
    USAGE,
)
from evalkit.run_lock import LOCK, RunDirLock
from evalkit.safeio import open_own, replace_with, temporary_of
from evalkit.usage import ModelUsage, UsageSoFar

#: No line of a run file is longer (a record holds a few replies, each bounded by the
#: hosted reply limit); a longer one is refused before it is read whole.
MAX_LINE_BYTES = 256 * 2**20
#: The journal's last line is found in this much of its end (a line is ~300 bytes a model).
_USAGE_TAIL = 1 << 20
#: What a run leaves in a directory before its manifest exists (killed at the very start).
_NOT_CONTENT = {LOCK, MANIFEST + ".tmp"}


class RunStore:
    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self._results: IO[bytes] | None = None
        self._errors: IO[bytes] | None = None
        self._usage: IO[bytes] | None = None
        self._lock: RunDirLock | None = None

    # Joined once: a run asks for them with every sample it saves.
    @cached_property
    def results_path(self) -> Path:
        return self.run_dir / RESULTS

    @cached_property
    def errors_path(self) -> Path:
        return self.run_dir / ERRORS

    @property
    def manifest_path(self) -> Path:
        return self.run_dir / MANIFEST

    @property
    def summary_path(self) -> Path:
        return self.run_dir / SUMMARY

    @cached_property
    def usage_path(self) -> Path:
        return self.run_dir / USAGE

    def lock(self, *, create: bool = False) -> RunDirLock:
        """The exclusive right to write here (``with store.lock():``); see :mod:`.run_lock`."""
        return RunDirLock(self.run_dir, create=create)

    def check_output_dir(self) -> None:
        """Before a run creates anything: a new, empty or run directory, else one clear line."""
        folder = self.run_dir
        existing = folder
        try:  # exists() raises for a name longer than the file system takes
            while not existing.exists() and existing != existing.parent:
                existing = existing.parent
            is_dir = existing.is_dir()
        except OSError as exc:
            raise EvalkitError(
                f"cannot use the output directory: {exc.strerror}",
                file=folder,
                expected="a directory path this file system accepts",
            ) from None
        if not is_dir:
            raise EvalkitError(
                "the output directory is a file" if existing == folder else "a file is in the way",
                file=existing,
                expected="a directory (or a path that does not exist yet) for the run",
            )
        if existing != folder:
            return  # created by the run; if that fails, the lock says so in one line
        if self.manifest_path.exists():
            return
        try:
            content = sorted(n for n in os.listdir(folder) if n not in _NOT_CONTENT)
        except OSError as exc:
            raise EvalkitError(
                f"cannot read the output directory: {exc.strerror}", file=folder
            ) from None
        if content:
            shown = ", ".join(content[:5]) + (", ..." if len(content) > 5 else "")
            raise EvalkitError(
                f"refusing to write a run into a folder of other files ({shown}) "
                "with no manifest.json",
                file=folder,
                expected="a new or empty directory, or an evalkit run directory",
            )

    def read_manifest(self) -> RunManifest | None:
        """The manifest, with the usage so far of a run still going or killed folded in."""
        if not self.manifest_path.is_file():
            return None
        try:
            manifest = RunManifest.model_validate_json(self.manifest_path.read_bytes())
        except ValidationError as exc:
            raise EvalkitError(
                f"unreadable run manifest: {exc.errors()[0]['msg']}",
                file=self.manifest_path,
                expected="a manifest written by evalkit",
            ) from None
        so_far = self.read_usage()
        return manifest if so_far is None else manifest.model_copy(update={"usage": so_far})

    def read_usage(self) -> dict[str, ModelUsage] | None:
        """All attempts' spending up to the last saved sample, if not folded in yet."""
        if not self.usage_path.is_file():
            return None
        with self.usage_path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - _USAGE_TAIL))
            whole = handle.read().rsplit(b"\n", 2)  # [..., last whole line, torn or b""]
        if len(whole) < 2:
            return None
        try:
            return UsageSoFar.model_validate_json(whole[-2]).usage
        except ValidationError:
            return None  # not ours: the manifest's usage stands

    def save_usage(self, usage: dict[str, ModelUsage]) -> None:
        """Append the totals so far to the journal (before the sample they paid for)."""
        line = usage_line(usage)
        if self._usage is not None:
            append_line(self._usage, self.usage_path, line)
            return
        try:
            with open_own(self.usage_path) as handle:
                append_line(handle, self.usage_path, line)
        except OSError as exc:
            raise write_error(self.usage_path, exc) from None

    def fold_usage(self) -> None:
        """The manifest now holds the final usage: the journal is no longer needed."""
        try:
            self.usage_path.unlink(missing_ok=True)
        except OSError as exc:
            raise write_error(self.usage_path, exc) from None

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
        return [record for _, record in self.load_records_at(repair=repair)]

    def load_records_at(self, *, repair: bool = False, conversations: bool = True) -> RecordsAt:
        """Every saved sample with where its line starts in ``results.jsonl``, so what needs
        it again later (the report's transcripts, export) can read it back
        (:meth:`records_at`) instead of holding it. ``conversations=False``: for scoring,
        each record's ``messages`` left empty (see :class:`RecordSharing`)."""
        records = RecordsAt()
        if not self.results_path.is_file():
            return records
        if repair:
            cut_torn_line(self.results_path)
        seen: set[str] = set()
        sharing = RecordSharing(conversations=conversations)  # records repeat much
        for number, offset, line in jsonl_lines_at(self.results_path):
            record = _parse(line, SampleRecord, "sample record", self.results_path, number)
            self._check_new(record.sample_id, seen, number)
            records.append(offset, sharing.share(record))
        return records

    def iter_records(self) -> Iterator[SampleRecord]:
        """The saved samples one at a time, in file order, none held after it is used."""
        if self.results_path.is_file():
            for _, record in read_models(self.results_path, SampleRecord, "sample record"):
                yield record

    def records_at(self, offsets: Iterable[int]) -> Iterator[SampleRecord]:
        """The records whose lines start at ``offsets`` (from :meth:`load_records_at`), in
        that order, each read when asked for."""
        with self.results_path.open("rb") as handle:
            for offset in offsets:
                handle.seek(offset)
                line = handle.readline().decode("utf-8")
                yield _parse(line, SampleRecord, "sample record", self.results_path, None)

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
            cut_torn_line(self.results_path)
        yield from jsonl_lines(self.results_path)

    def _check_new(self, sample: str, seen: set[str], number: int) -> None:
        if sample in seen:
            raise EvalkitError(
                f"sample {sample!r} appears twice (two runs wrote into this directory at once?)",
                file=self.results_path,
                line=number,
                expected="each sample once: `evalkit repair "
                + shlex.quote(str(self.run_dir))
                + "` keeps the first of each",
            )
        seen.add(sample)

    def load_errors(self) -> list[SampleError]:
        if not self.errors_path.is_file():
            return []
        return [e for _, e in read_models(self.errors_path, SampleError, "error record")]

    def open_for_append(self) -> None:
        """Start a (resumed) run: errors of earlier attempts are retried, so cleared.

        Holds the run directory's lock until :meth:`close` (reentrant, so a caller
        already holding it keeps it).
        """
        lock = self.lock(create=True)
        lock.acquire()
        try:
            self._results = open_own(self.results_path)
            self._errors = open_own(self.errors_path, truncate=True)
            self._usage = open_own(self.usage_path)
        except (OSError, EvalkitError) as exc:
            self.close()
            lock.release()
            if isinstance(exc, EvalkitError):  # a link where a file of the run belongs
                raise
            raise write_error(self.run_dir, exc, resume=True) from None
        self._lock = lock

    def append(self, record: SampleRecord) -> None:
        assert self._results is not None, "open_for_append first"
        append_line(self._results, self.results_path, record.model_dump_json())

    def append_error(self, error: SampleError) -> None:
        assert self._errors is not None, "open_for_append first"
        append_line(self._errors, self.errors_path, error.model_dump_json())

    def close(self) -> None:
        for handle in (self._results, self._errors, self._usage):
            if handle is not None:
                handle.close()
        self._results = self._errors = self._usage = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None


class RecordsAt(Sequence[tuple[int, SampleRecord]]):
    """(where its line starts in ``results.jsonl``, record) of each loaded record, held as
    two lists and paired when read: a pair held per record for a whole scoring pass is
    ~1 MB at 16,000 samples."""

    __slots__ = ("offsets", "records")

    def __init__(self) -> None:
        self.offsets: list[int] = []
        self.records: list[SampleRecord] = []

    def append(self, offset: int, record: SampleRecord) -> None:
        self.offsets.append(offset)
        self.records.append(record)

    def __len__(self) -> int:
        return len(self.records)

    @overload
    def __getitem__(self, index: int) -> tuple[int, SampleRecord]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, SampleRecord]]: ...
    def __getitem__(
        self, index: int | slice
    ) -> tuple[int, SampleRecord] | list[tuple[int, SampleRecord]]:
        if isinstance(index, slice):
            return list(zip(self.offsets[index], self.records[index], strict=True))
        return self.offsets[index], self.records[index]

    def __iter__(self) -> Iterator[tuple[int, SampleRecord]]:
        return zip(self.offsets, self.records, strict=True)


M = TypeVar("M", bound=BaseModel)


def read_models(path: Path, model: type[M], what: str) -> Iterator[tuple[int, M]]:
    """(line number, parsed model) of each complete line of a JSON-lines run file; a line
    that is not one ``model`` is a one-line error naming the file and line.

    The one reader of results, errors, verdicts and judge errors.
    """
    for number, line in jsonl_lines(path):
        yield number, _parse(line, model, what, path, number)


def _parse(line: str, model: type[M], what: str, path: Path, number: int | None) -> M:
    try:
        return model.model_validate_json(line)
    except ValidationError as exc:
        raise EvalkitError(
            f"corrupt {what}: {exc.errors()[0]['msg']}",
            file=path,
            line=number,
            expected=f"one {model.__name__} JSON object a line",
        ) from None


def jsonl_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each complete, non-empty line of a JSON-lines run file.

    Split on ``\n`` only (JSON escapes it inside strings; U+2028 and the like
    it does not), and a last line without its ``\n`` is torn: skipped.
    """
    for number, _, line in jsonl_lines_at(path):
        yield number, line


def jsonl_lines_at(path: Path) -> Iterator[tuple[int, int, str]]:
    """(line number, byte offset of its start, text) of each line :func:`jsonl_lines` gives.

    A line longer than :data:`MAX_LINE_BYTES` is refused before it is read whole: a run
    directory someone shares may hold one line of gigabytes."""
    offset = 0
    with path.open("rb") as handle:
        for number in itertools.count(1):
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if len(raw) > MAX_LINE_BYTES:
                raise EvalkitError(
                    f"line is over {MAX_LINE_BYTES:,} bytes",
                    file=path,
                    line=number,
                    expected="a run file evalkit wrote (none of its lines is that long)",
                )
            if not raw.endswith(b"\n"):
                return  # end of file, or torn: the process died mid-write; that sample runs again
            line = raw.decode("utf-8")
            if line.strip():
                yield number, offset, line
            offset += len(raw)


def cut_torn_line(path: Path) -> int:
    """Cut a last line without its ``\n`` off ``path``; return how many bytes were cut."""
    with path.open("r+b") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            return 0
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return 0
        # Find the last newline by reading back in blocks; keep everything before it.
        position, block = size, 1 << 16
        while position > 0:
            start = max(0, position - block)
            handle.seek(start)
            chunk = handle.read(position - start)
            cut = chunk.rfind(b"\n")
            if cut != -1:
                handle.truncate(start + cut + 1)
                return size - (start + cut + 1)
            position = start
        handle.truncate(0)
        return size


def append_line(handle: IO[bytes], path: Path, text: str) -> None:
    """Append one line whole, or cut what got written back off and raise (full disk).

    ``handle`` belongs to the one writer of ``path`` and writes only at its end, so the
    line starts where the file ends: where to cut back to is asked only when a write
    fails (not a seek per line, twice a sample).
    """
    data = (text + "\n").encode("utf-8")
    written = 0
    try:
        while written < len(data):  # one write, but for a full disk (or a signal)
            more = handle.write(memoryview(data)[written:] if written else data)
            if not more:
                raise OSError(errno.EIO, "nothing written")
            written += more
    except OSError as exc:
        with contextlib.suppress(OSError):  # else the next run cuts the torn line
            handle.truncate(os.fstat(handle.fileno()).st_size - written)
        raise write_error(path, exc, resume=True) from None


_USAGE = TypeAdapter(dict[str, ModelUsage])
_MOMENT = TypeAdapter(datetime)


def usage_line(usage: dict[str, ModelUsage]) -> str:
    """The JSON of ``UsageSoFar(usage=usage)``, its parts serialised as they are: a line a
    sample, and the model would validate the counters again first (a test holds the two
    the same)."""
    moment = _MOMENT.dump_json(datetime.now(timezone.utc)).decode()
    return f'{{"usage":{_USAGE.dump_json(usage).decode()},"at":{moment}}}'


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` whole or not at all."""
    try:
        replace_with(path, text)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary_of(path).unlink(missing_ok=True)
        raise write_error(path, exc) from None


def write_error(path: Path, exc: OSError, *, resume: bool = False) -> EvalkitError:
    again = "; saved samples are kept: run the same command again to resume" if resume else ""
    return EvalkitError(
        f"cannot write: {exc.strerror or exc}",
        file=path,
        expected="a writable directory with free space" + again,
    )
