"""Opening untrusted input files and writing outputs, with one-line errors and bounded memory.

Configs and datasets come from other people, and their paths from the command
line. A path may name a FIFO or ``/dev/zero`` (a read would block or never
end), a folder, or a file far larger than any real config or dataset. Inputs
are opened without blocking and refused unless they are regular files under a
size limit, checked before anything is read:

- a run config: :data:`MAX_CONFIG_BYTES` (4 MiB);
- a dataset file: :data:`MAX_DATASET_BYTES` (512 MiB), or ``EVALKIT_MAX_DATASET_MB``
  megabytes if that environment variable is set.

Outputs (``report -o``, ``export -o``, ``compare --json``) are checked before the
work that produces them, and a write that fails anyway is one error line with
no temporary file left behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO

from evalkit.errors import EvalkitError
from evalkit.system_files import is_system_file

MAX_CONFIG_BYTES = 4 * 2**20
MAX_DATASET_BYTES = 512 * 2**20
DATASET_LIMIT_ENV = "EVALKIT_MAX_DATASET_MB"


def dataset_limit() -> int:
    """Largest dataset file read, in bytes (``EVALKIT_MAX_DATASET_MB`` overrides)."""
    value = os.environ.get(DATASET_LIMIT_ENV, "").strip()
    if not value:
        return MAX_DATASET_BYTES
    try:
        megabytes = float(value)
    except ValueError:
        raise EvalkitError(
            f"{DATASET_LIMIT_ENV}={value!r} is not a number", expected="megabytes, e.g. 2048"
        ) from None
    return int(megabytes * 2**20)


def size_text(count: int) -> str:
    return f"{count / 2**20:.1f} MiB" if count >= 2**20 else f"{count} bytes"


@contextlib.contextmanager
def open_input(path: Path, limit: int, what: str) -> Iterator[BinaryIO]:
    """``path`` opened for binary reading, once it is known to be a regular file under ``limit``.

    ``O_NONBLOCK`` makes opening a FIFO return at once instead of waiting for a
    writer; ``fstat`` on the open descriptor then refuses it (no check-then-open race).
    """
    if is_system_file(Path(os.path.realpath(path))):  # by a link, or a path in a folder
        raise EvalkitError(
            "is a file of the running system, not data", file=path, expected=f"a {what} file"
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise EvalkitError("file not found", file=path) from None
    except OSError as exc:
        raise EvalkitError(f"cannot read file: {exc.strerror}", file=path) from None
    try:
        _check_input(path, os.fstat(fd), limit, what)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        yield handle


def _check_input(path: Path, info: os.stat_result, limit: int, what: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise EvalkitError("is a folder", file=path, expected=f"a {what} file")
    if not stat.S_ISREG(info.st_mode):
        raise EvalkitError(
            "not a regular file (a device, FIFO or socket)", file=path, expected=f"a {what} file"
        )
    if info.st_size > limit:
        raise EvalkitError(
            f"file is {size_text(info.st_size)}, over the {size_text(limit)} limit for a {what}",
            file=path,
            expected=f"a smaller {what}"
            + (f" or a larger {DATASET_LIMIT_ENV}" if what == "dataset" else ""),
        )


def read_input(path: Path, limit: int, what: str) -> bytes:
    """The whole of a regular file no larger than ``limit`` (see :func:`open_input`)."""
    with open_input(path, limit, what) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise EvalkitError(f"cannot read file: {exc.strerror}", file=path) from None
    if len(data) > limit:  # grew after it was checked
        raise EvalkitError(f"file is over the {size_text(limit)} limit for a {what}", file=path)
    return data


def decode_utf8(data: bytes, path: Path | str) -> str:
    """UTF-8 text (a leading byte-order mark dropped); a bad byte names its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise EvalkitError(
            f"not UTF-8 text (byte {exc.start}); is this a binary file?", file=path, line=line
        ) from None


def split_lines(text: str) -> list[str]:
    """Lines split at ``\\n`` only (a trailing ``\\r`` dropped).

    ``str.splitlines`` also splits at U+2028, U+2029, U+0085 and others, which
    are ordinary characters inside a JSON string or a text line.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


# -- outputs -----------------------------------------------------------------------------


def check_output_path(path: Path, what: str) -> None:
    """Refuse an output path that cannot be a file we may write, before doing the work."""
    _check_not_run_record(path, what)
    if path.is_dir():
        raise EvalkitError(
            "is a folder", file=path, expected=f"a file path for the {what}, e.g. {path / 'x'}"
        )
    parent = path.parent
    if not parent.is_dir():
        raise EvalkitError(
            f"cannot write the {what}: no such folder",
            file=parent,
            expected="an existing folder",
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise EvalkitError(
            f"cannot write the {what}: folder is not writable",
            file=parent,
            expected="a folder you may write to",
        )


def _check_not_run_record(path: Path, what: str) -> None:
    """Refuse to write over a run directory's own records (samples, errors, usage, verdicts,
    manifest, lock): ``export -o RUN/results.jsonl`` replaced every sample with a CSV."""
    from evalkit.run_files import MANIFEST, RECORDS

    if path.name in RECORDS and (path.parent / MANIFEST).is_file():
        raise EvalkitError(
            f"cannot write the {what} over a record of the run in {path.parent}",
            file=path,
            expected=f"another file name for the {what}",
        )


#: Flags that never follow a link at the last part of a path (0 where the OS has none).
NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def open_own(path: Path, *, truncate: bool = False) -> BinaryIO:
    """``path`` opened to append (or emptied, ``truncate``), refused if it is a link.

    A run directory can come from someone else: a ``results.jsonl`` or ``errors.jsonl``
    linked to another file would have a resume append to it, or empty it."""
    flags = os.O_WRONLY | os.O_CREAT | NO_FOLLOW | (os.O_TRUNC if truncate else os.O_APPEND)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _linked(path) from None
        raise
    return os.fdopen(fd, "wb", buffering=0)


def create_fresh(path: Path) -> IO[str]:
    """A new file at ``path`` for a temporary, whatever was there removed first and never
    written through (``O_EXCL``): a ``summary.json.tmp`` planted as a link to another file
    would otherwise have that file replaced."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # a link itself, or a leftover of ours
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NO_FOLLOW, 0o644)
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


def _linked(path: Path) -> EvalkitError:
    return EvalkitError(
        "is a link: evalkit does not write through links in a run directory",
        file=path,
        expected="the run directory's own files (remove the link)",
    )


def temporary_of(path: Path) -> Path:
    """Where a file is written before it replaces ``path`` (:func:`write_output`,
    :func:`evalkit.store.write_atomic`)."""
    return path.with_suffix(path.suffix + ".tmp")


@contextlib.contextmanager
def output_errors(path: Path, what: str) -> Iterator[Path]:
    """An ``OSError`` while writing ``path`` becomes one error line; the temporary is removed.

    Yields the temporary path to write before ``os.replace`` onto ``path``.
    """
    temporary = temporary_of(path)
    try:
        yield temporary
    except OSError as exc:
        with contextlib.suppress(OSError):
            if temporary.is_file():
                temporary.unlink()
        reason = exc.strerror or type(exc).__name__
        raise EvalkitError(f"cannot write the {what}: {reason}", file=path) from None


def write_output(path: Path, text: str, what: str) -> None:
    """Replace ``path`` with ``text`` whole or not at all; mistakes are one error line."""
    check_output_path(path, what)
    with output_errors(path, what):
        replace_with(path, text)


def replace_with(path: Path, text: str) -> None:
    """``path`` replaced by ``text`` through a fresh temporary beside it (:func:`temporary_of`):
    a link at ``path`` is replaced, its target untouched. ``OSError`` is the caller's."""
    temporary = temporary_of(path)
    with create_fresh(temporary) as handle:
        handle.write(text)
    os.replace(temporary, path)
