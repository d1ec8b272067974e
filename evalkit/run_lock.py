"""One writer per run directory: an exclusive ``flock`` on ``RUN_DIR/evalkit.lock``.

Two ``evalkit run`` on one directory would each ask (and pay for) every sample
and write each twice. So every command that writes into a run directory (run
and gate, score, report into the directory, repair, the judging pass) holds
this lock; a second one fails at once with one line naming the holder, whose
pid, host, command and start time are written into the lock file.

The kernel drops a ``flock`` when its process ends, however it ends (kill -9
too), so a lock file left behind never blocks anyone: its text is only a
description. A clean release deletes the file; a process that locked a file
deleted meanwhile notices (the path no longer names its inode) and locks the
new one. The lock is reentrant within a process (the CLI holds it around the
runner, which takes it too). Readers do not lock: a run appends whole lines and
replaces its manifest atomically, so a reader sees a consistent prefix.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shlex
import socket
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from pydantic import BaseModel, ValidationError

from evalkit.errors import EvalkitError

LOCK = "evalkit.lock"


class LockHolder(BaseModel):
    """What the lock file says about the process holding it."""

    pid: int
    host: str
    command: str
    started_at: datetime

    def describe(self) -> str:
        return (
            f"pid {self.pid} on {self.host}, `{self.command}`, "
            f"since {self.started_at.isoformat(timespec='seconds')}"
        )


@dataclass
class _Held:
    fd: int
    depth: int
    created_dir: bool


#: Locks this process holds, by resolved run directory.
_HELD: dict[Path, _Held] = {}


class RunDirLock:
    """``with RunDirLock(run_dir):`` - the exclusive right to write into ``run_dir``.

    ``create`` makes the directory if it is missing (``run``); a directory made
    here is removed again on release if nothing else was written into it, so a
    run that fails before its first file leaves no trace.
    """

    def __init__(self, run_dir: Path, *, create: bool = True) -> None:
        self.run_dir = run_dir
        self.key = run_dir.resolve()
        self.create = create

    @property
    def path(self) -> Path:
        return self.run_dir / LOCK

    def __enter__(self) -> RunDirLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()

    def acquire(self) -> None:
        held = _HELD.get(self.key)
        if held is not None:
            held.depth += 1
            return
        created = not self.run_dir.exists()
        if not self.create and not self.run_dir.is_dir():
            raise EvalkitError(
                "not a run directory", file=self.run_dir, expected="a directory of `evalkit run`"
            )
        for _ in range(100):
            try:
                fd = self._open()
            except EvalkitError:
                if created:
                    _remove_if_empty(self.run_dir)
                raise
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(fd)
                os.close(fd)
                raise EvalkitError(
                    "this run directory is in use by another evalkit process ("
                    + (holder.describe() if holder else "holder unknown")
                    + ")",
                    file=self.run_dir,
                    expected="one process per run directory: wait for it to finish, "
                    "or use another --out",
                ) from None
            if _same_file(fd, self.path):
                _write_holder(fd)
                _HELD[self.key] = _Held(fd, 1, created)
                return
            os.close(fd)  # the file was deleted by its last holder: lock the new one
        raise EvalkitError("could not lock the run directory", file=self.run_dir)

    def release(self) -> None:
        held = _HELD.get(self.key)
        if held is None:
            return
        held.depth -= 1
        if held.depth > 0:
            return
        del _HELD[self.key]
        with contextlib.suppress(OSError):  # while still locked: no one takes the old file
            self.path.unlink(missing_ok=True)
        os.close(held.fd)
        if held.created_dir:
            _remove_if_empty(self.run_dir)  # a run that wrote nothing leaves nothing

    def _open(self) -> int:
        try:
            if self.create:
                self.run_dir.mkdir(parents=True, exist_ok=True)
            # never through a link: the lock's holder is written into the file it opens
            flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
            return os.open(self.path, flags, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise EvalkitError(
                    f"{LOCK} is a link: evalkit does not write through links in a run directory",
                    file=self.run_dir,
                    expected="the run directory's own files (remove the link)",
                ) from None
            raise EvalkitError(
                f"cannot write into the run directory: {exc.strerror or exc}",
                file=self.run_dir,
                expected="a writable directory",
            ) from None


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


def holds_lock(run_dir: Path) -> bool:
    return run_dir.resolve() in _HELD


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = path.lstat()
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _command() -> str:
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if program in ("__main__.py", "evalkit"):
        program = "evalkit"
    return shlex.join([program, *sys.argv[1:]])


def _write_holder(fd: int) -> None:
    holder = LockHolder(
        pid=os.getpid(),
        host=socket.gethostname(),
        command=_command(),
        started_at=datetime.now(timezone.utc),
    )
    try:  # a description only: a full disk must not stop the run here
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder.model_dump_json().encode("utf-8") + b"\n", 0)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            raise


def _read_holder(fd: int) -> LockHolder | None:
    """The holder's description; it writes it just after locking, so wait a moment for it."""
    for _ in range(50):
        text = os.pread(fd, 4096, 0)
        if text.endswith(b"\n"):
            try:
                return LockHolder.model_validate_json(text)
            except ValidationError:
                return None
        time.sleep(0.01)
    return None
