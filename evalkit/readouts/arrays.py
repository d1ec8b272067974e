"""Hidden states of a run's samples, one safetensors file each in ``RUN_DIR/readouts/``.

States are far too large for ``results.jsonl`` (a turn of four options at eight
layers of a 576-wide model is 36 KiB), so each sample's go into their own file,
named by a hash of the sample id (ids hold ``|`` and item ids hold anything),
with the id and layers in the file's metadata. One tensor a turn,
``turn.<number>``: ``(n_options, n_layers, hidden)`` float16.

A file is written whole or not at all (temporary file, fsync, ``os.replace``),
before the sample's record is appended to ``results.jsonl``: a run killed in
between leaves at most a file with no record, which the next attempt overwrites
or :meth:`ReadoutStore.prune` deletes. Run directories are shared, so a file that
is unreadable, not ours, a symbolic link, or named for another sample is treated
as missing, with a warning, never a crash.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    import numpy as np

    Array = np.ndarray
else:
    Array = Any  # numpy is imported only when arrays are written or read

READOUTS = "readouts"
_SUFFIX = ".safetensors"
_NAME = re.compile(r"[0-9a-f]{64}\.safetensors")
_TEMPORARY = re.compile(r"\.[0-9a-f]{64}\.safetensors\.tmp")
_TURN = re.compile(r"turn\.([1-9][0-9]{0,5})")
_FORMAT = "evalkit-readouts/1"
#: Larger files are not read (a turn of 4 options x 8 layers x 8192 wide is 512 KiB).
MAX_FILE_BYTES = 1 << 30
_MAX_HEADER_BYTES = 1 << 20


class SampleStates(BaseModel):
    """One sample's stored states: turn number (1-based) -> ``(n_options, n_layers, hidden)``."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    sample_id: str
    layers: list[int]
    turns: dict[int, Array]


def file_name(sample_id: str) -> str:
    """The file of a sample's states (a hash: sample ids are not file names)."""
    return hashlib.sha256(sample_id.encode("utf-8")).hexdigest() + _SUFFIX


class ReadoutStore:
    """The ``readouts/`` folder of one run directory."""

    def __init__(self, run_dir: Path) -> None:
        self.directory = run_dir / READOUTS

    def path(self, sample_id: str) -> Path:
        return self.directory / file_name(sample_id)

    # -- writing (the run holds the run directory's lock) ------------------------------

    def write(self, sample_id: str, layers: list[int], turns: dict[int, Array]) -> None:
        """Store a sample's states whole, replacing any earlier file of the same sample."""
        import numpy as np
        from safetensors.numpy import save

        tensors = {}
        for turn, states in sorted(turns.items()):
            array = np.ascontiguousarray(states, dtype=np.float16)
            if turn < 1 or array.ndim != 3 or array.shape[1] != len(layers):
                raise ValueError(f"turn {turn}: {array.shape} is not (options, layers, hidden)")
            tensors[f"turn.{turn}"] = array
        metadata = {"format": _FORMAT, "sample_id": sample_id, "layers": json.dumps(layers)}
        data = save(tensors, metadata=metadata)
        target = self.path(sample_id)
        temporary = self.directory / f".{target.name}.tmp"
        try:
            if self.directory.is_symlink():
                raise OSError(f"{self.directory} is a symbolic link")
            self.directory.mkdir(exist_ok=True)
            _write_synced(temporary, data)
            os.replace(temporary, target)
        except OSError as exc:
            from evalkit.store import write_error

            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            raise write_error(target, exc, resume=True) from None
        _sync_directory(self.directory)

    def prune(self, keep: set[str]) -> int:
        """Delete the files of samples not in ``keep`` (a run killed between a sample's file
        and its record) and unfinished temporary files; return how many were deleted."""
        wanted = {file_name(sample) for sample in keep}
        deleted = 0
        for name in self._names():
            if (_NAME.fullmatch(name) and name not in wanted) or _TEMPORARY.fullmatch(name):
                try:
                    (self.directory / name).unlink()  # a symbolic link itself, not its target
                except FileNotFoundError:
                    continue
                except OSError as exc:
                    from evalkit.store import write_error

                    raise write_error(self.directory / name, exc, resume=True) from None
                deleted += 1
        return deleted

    # -- reading -------------------------------------------------------------------------

    def read(self, sample_id: str) -> SampleStates | None:
        """The sample's states, or None if it has none (or its file cannot be trusted)."""
        path = self.path(sample_id)
        data = _read_file(path)
        if data is None:
            return None
        header = _header(path, data)
        if header is None:
            return None
        if header.sample_id != sample_id:
            _ignore(path, f"it holds sample {header.sample_id!r}")
            return None
        from safetensors.numpy import load

        try:
            tensors = load(data)
        except Exception as exc:  # a damaged file: safetensors says why
            _ignore(path, f"{type(exc).__name__}: {exc}")
            return None
        turns = {int(name.removeprefix("turn.")): array for name, array in tensors.items()}
        return SampleStates(sample_id=sample_id, layers=header.layers, turns=turns)

    def sample_ids(self) -> set[str]:
        """The samples with a readable file here (reading only each file's header)."""
        found: set[str] = set()
        for name in self._names():
            if not _NAME.fullmatch(name):
                continue
            path = self.directory / name
            header = _read_header(path)
            if header is None:
                continue
            if file_name(header.sample_id) != name:
                _ignore(path, f"its name is not that of its sample {header.sample_id!r}")
                continue
            found.add(header.sample_id)
        return found

    def _names(self) -> list[str]:
        if self.directory.is_symlink():
            _ignore(self.directory, "it is a symbolic link")
            return []
        try:
            return sorted(os.listdir(self.directory))
        except FileNotFoundError:
            return []
        except OSError as exc:
            _ignore(self.directory, exc.strerror or str(exc))
            return []


class _Header(BaseModel):
    sample_id: str
    layers: list[int]


def _write_synced(path: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_directory(directory: Path) -> None:
    """Make the rename durable before the record that counts on it is appended."""
    with contextlib.suppress(OSError):  # not every file system syncs a directory
        fd = os.open(directory, os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _open(path: Path) -> int | None:
    """A descriptor of ``path`` if it is a regular file of sane size (never a link)."""
    flags = os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        _ignore(path, "it is a symbolic link" if path.is_symlink() else exc.strerror or str(exc))
        return None
    info = os.fstat(fd)
    problem = None
    if not stat.S_ISREG(info.st_mode):
        problem = "it is not a regular file"
    elif info.st_size > MAX_FILE_BYTES:
        problem = f"it is {info.st_size} bytes, over the {MAX_FILE_BYTES} limit"
    if problem:
        os.close(fd)
        _ignore(path, problem)
        return None
    return fd


def _read_file(path: Path) -> bytes | None:
    fd = _open(path)
    if fd is None:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            return handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            _ignore(path, exc.strerror or str(exc))
            return None


def _read_header(path: Path) -> _Header | None:
    fd = _open(path)
    if fd is None:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            start = handle.read(8)
            size = int.from_bytes(start, "little") if len(start) == 8 else 0
            data = start + handle.read(min(size, _MAX_HEADER_BYTES + 1))
        except OSError as exc:
            _ignore(path, exc.strerror or str(exc))
            return None
    return _header(path, data)


def _header(path: Path, data: bytes) -> _Header | None:
    """The sample and layers a file declares, once its header is ours and consistent."""
    size = int.from_bytes(data[:8], "little") if len(data) >= 8 else 0
    if not 0 < size <= _MAX_HEADER_BYTES or len(data) < 8 + size:
        _ignore(path, "it is not a safetensors file")
        return None
    try:
        header = json.loads(data[8 : 8 + size])
        metadata = header.pop("__metadata__")
        if metadata.get("format") != _FORMAT:
            raise ValueError
        parsed = _Header(sample_id=metadata["sample_id"], layers=json.loads(metadata["layers"]))
        for name, tensor in header.items():
            shape = tensor["shape"]
            if not _TURN.fullmatch(name) or tensor["dtype"] != "F16" or len(shape) != 3:
                raise ValueError
            if shape[1] != len(parsed.layers):
                raise ValueError
    except Exception:  # any shape of foreign JSON
        _ignore(path, "it is not an evalkit readout file")
        return None
    return parsed


def _ignore(path: Path, why: str) -> None:
    warnings.warn(f"ignoring readout file {path}: {why}", RuntimeWarning, stacklevel=3)
