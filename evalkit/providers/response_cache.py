"""A persistent response cache, so the same request is never paid for twice.

SQLite in WAL mode: one file shared by every run on the machine (and by
several processes at once), keyed on a hash of the full request: provider,
endpoint, model, parameters and messages. Only successful, deterministic
responses are stored; errors never are.

The cache is an optimisation, never a reason to lose a reply or stall a run:
its sqlite connection lives on one thread of its own (a lock held by another
process blocks that thread, not the event loop), and any failure (locked,
disk full, corrupt file) turns it off for the rest of the run with one
warning. A row that cannot be read is a miss, overwritten by the next reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from evalkit.errors import EvalkitError
from evalkit.providers.base import ModelResponse

CACHE_FILE = "responses.sqlite3"


def default_cache_dir() -> Path:
    """``$EVALKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/evalkit``, else ``~/.cache/evalkit``."""
    if os.environ.get("EVALKIT_CACHE_DIR"):
        return Path(os.environ["EVALKIT_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "evalkit"


def request_key(request: dict[str, Any]) -> str:
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def usable_directory(directory: Path) -> Path:
    """``directory``, created if missing; a user mistake if it cannot hold the cache.

    Checked before anything is written, so a bad ``cache_dir`` stops the run
    before its first (paid) request and leaves no cache file behind.
    """
    expected = "a writable directory (`cache_dir:` or $EVALKIT_CACHE_DIR), or --no-cache"
    if directory.exists() and not directory.is_dir():
        raise EvalkitError(
            "the response cache directory is not a directory", file=directory, expected=expected
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EvalkitError(
            f"cannot create the response cache directory: {exc.strerror or exc}",
            file=directory,
            expected=expected,
        ) from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise EvalkitError(
            "the response cache directory is not writable", file=directory, expected=expected
        )
    return directory


def print_warning(message: str) -> None:
    """To stderr, like the runner's own messages (through rich, above a progress bar)."""
    from rich.console import Console
    from rich.text import Text

    Console(stderr=True).print(Text.assemble(("warning: ", "bold yellow"), message), soft_wrap=True)


class ResponseCache:
    """Writes are batched (``BATCH`` at a time, and on close): one transaction per
    response would cost more CPU than the rest of the harness. A crash loses at
    most the unwritten batch, which only means paying for those requests again
    in a later run; the run's own results are written separately, at once.

    Every sqlite call runs on the cache's own thread, the only one that touches
    the connection; :meth:`aget` awaits it (one query for the lookups of an event-loop
    turn) and :meth:`put` never waits at all.
    """

    BATCH = 64
    #: Keys per lookup query (SQLite before 3.32 allows 999 parameters a statement).
    LOOKUP_CHUNK = 500
    #: How long a statement waits for another process's lock before the cache gives up.
    BUSY_TIMEOUT_S = 10.0

    def __init__(self, directory: Path, warn: Callable[[str], None] = print_warning) -> None:
        self.path = usable_directory(directory) / CACHE_FILE
        self._warn = warn
        self._lock = threading.Lock()  # guards the fields below, shared with the cache thread
        self._unwritten: dict[str, str] = {}
        #: lookups asked this turn of the event loop, sent together (event loop only)
        self._asked: list[tuple[str, asyncio.Future[ModelResponse | None]]] = []
        self._disabled = False
        self._closed = False
        self._db: sqlite3.Connection | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evalkit-cache")
        self._thread.submit(self._open).result()

    @property
    def disabled(self) -> bool:
        """True once a failure has turned the cache off for this run."""
        return self._disabled

    # -- the API the adapters use ---------------------------------------------------

    async def aget(self, key: str) -> ModelResponse | None:
        """The stored reply, or None; the event loop goes on while sqlite reads.

        Lookups asked in the same turn of the event loop (a burst of samples starting
        as replies come in) go to the cache's thread as one query: one hop between
        threads for the burst, not one per request.
        """
        text, disabled = self._pending(key)
        if text is not None:
            return _parse(text)
        if disabled:
            return None
        loop = asyncio.get_running_loop()
        found: asyncio.Future[ModelResponse | None] = loop.create_future()
        self._asked.append((key, found))
        if len(self._asked) == 1:
            loop.call_soon(self._send_asked, loop)
        return await found

    def _send_asked(self, loop: asyncio.AbstractEventLoop) -> None:
        """The lookups gathered this turn, to the cache's thread as one query."""
        asked, self._asked = self._asked, []
        try:
            job = self._thread.submit(self._read_many, [key for key, _ in asked])
        except RuntimeError:  # closed under us: every lookup is a miss
            _answer(asked, {})
            return

        def back_on_the_loop(done: Future[dict[str, ModelResponse | None]]) -> None:
            rows = {} if done.cancelled() or done.exception() else done.result()
            with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits
                loop.call_soon_threadsafe(_answer, asked, rows)

        job.add_done_callback(back_on_the_loop)

    def get(self, key: str) -> ModelResponse | None:
        """:meth:`aget` for callers outside an event loop (the dry run)."""
        text, disabled = self._pending(key)
        if text is not None:
            return _parse(text)
        return None if disabled else self._call(self._read, key)

    def put(self, key: str, response: ModelResponse) -> None:
        """Queue ``response`` for writing; never blocks and never raises."""
        try:
            text = response.model_dump_json()
        except ValueError:  # not storable: it is only a cache
            return
        with self._lock:
            if self._disabled or self._closed:
                return
            self._unwritten[key] = text
            if len(self._unwritten) < self.BATCH:
                return
            batch, self._unwritten = self._unwritten, {}
        with contextlib.suppress(RuntimeError):  # closed: nothing more is written
            self._thread.submit(self._write, batch)  # which reports its own failures

    def flush(self) -> None:
        """Write what is queued and wait for it (a failure disables the cache, with a warning)."""
        with self._lock:
            batch, self._unwritten = self._unwritten, {}
        if batch:
            self._call(self._write, batch)
        else:
            self._call(lambda: None)  # wait for the batches already on their way

    def __len__(self) -> int:
        self.flush()
        return self._call(self._count, default=0)

    def close(self) -> None:
        """Flush and release the connection; safe to call twice, never raises."""
        if self._closed:
            return
        self.flush()
        with self._lock:
            self._closed = True
        self._thread.submit(self._close)
        self._thread.shutdown(wait=True)

    # -- on the cache thread ----------------------------------------------------------

    def _open(self) -> None:
        try:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=self.BUSY_TIMEOUT_S)
        except (sqlite3.Error, OSError) as exc:
            self._disable(f"cannot open {self.path}: {exc}")
            return
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS responses "
                "(key TEXT PRIMARY KEY, response TEXT NOT NULL)"
            )
            db.execute("SELECT key, response FROM responses LIMIT 0")  # the schema we expect
        except (sqlite3.Error, OSError) as exc:
            db.close()
            self._disable(f"{self.path} is not a usable response cache: {exc}")
            return
        self._db = db

    def _read(self, key: str) -> ModelResponse | None:
        if self._db is None or self._disabled:
            return None
        try:
            row = self._db.execute(
                "SELECT response FROM responses WHERE key = ?", (key,)
            ).fetchone()
        except (sqlite3.Error, OSError) as exc:
            self._disable(f"cannot read {self.path}: {exc}")
            return None
        return None if row is None else _parse(row[0])

    def _read_many(self, keys: list[str]) -> dict[str, ModelResponse | None]:
        if self._db is None or self._disabled:
            return {}
        rows: dict[str, str] = {}
        try:
            for start in range(0, len(keys), self.LOOKUP_CHUNK):
                chunk = keys[start : start + self.LOOKUP_CHUNK]
                rows.update(
                    self._db.execute(
                        "SELECT key, response FROM responses WHERE key IN "
                        f"({','.join('?' * len(chunk))})",
                        chunk,
                    ).fetchall()
                )
        except (sqlite3.Error, OSError) as exc:
            self._disable(f"cannot read {self.path}: {exc}")
            return {}
        return {key: _parse(text) for key, text in rows.items()}

    def _write(self, batch: dict[str, str]) -> None:
        if self._db is None or self._disabled:
            return
        try:
            with self._db:  # one transaction for the batch
                self._db.execute("BEGIN")
                self._db.executemany(
                    "INSERT OR REPLACE INTO responses (key, response) VALUES (?, ?)",
                    batch.items(),
                )
        except (sqlite3.Error, OSError) as exc:
            self._disable(f"cannot write {self.path}: {exc}")

    def _count(self) -> int:
        if self._db is None or self._disabled:
            return 0
        try:
            return self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
        except (sqlite3.Error, OSError) as exc:
            self._disable(f"cannot read {self.path}: {exc}")
            return 0

    def _close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    # -- helpers ------------------------------------------------------------------------

    def _pending(self, key: str) -> tuple[str | None, bool]:
        with self._lock:
            return self._unwritten.get(key), self._disabled

    def _call(self, function: Callable[..., Any], *args: Any, default: Any = None) -> Any:
        """``function(*args)`` on the cache thread, waited for; ``default`` once closed."""
        try:
            return self._thread.submit(function, *args).result()
        except RuntimeError:  # after close
            return default

    def _disable(self, reason: str) -> None:
        """Turn the cache off for this run, with one warning; replies are unaffected."""
        with self._lock:
            if self._disabled:
                return
            self._disabled = True
            self._unwritten.clear()
        self._warn(
            f"response cache off for the rest of this run ({reason}); every reply is still "
            "saved with the run, but later runs will pay for these requests again"
        )


def _answer(
    asked: list[tuple[str, asyncio.Future[ModelResponse | None]]],
    rows: dict[str, ModelResponse | None],
) -> None:
    """Hand each waiting lookup its row (None: a miss); a cancelled waiter is skipped."""
    for key, found in asked:
        if not found.done():
            found.set_result(rows.get(key))


def _parse(text: Any) -> ModelResponse | None:
    """A stored reply; None (a miss, overwritten later) for a row that is not one."""
    try:
        return ModelResponse.model_validate_json(text)
    except (ValueError, TypeError):
        return None
