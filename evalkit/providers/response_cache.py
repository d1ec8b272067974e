"""A persistent response cache, so the same request is never paid for twice.

SQLite in WAL mode: one file shared by every run on the machine (and by
several processes at once), keyed on a hash of the full request: provider,
endpoint, model, parameters and messages. Only successful, deterministic
responses are stored; errors never are.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

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


class ResponseCache:
    """Writes are batched (``BATCH`` at a time, and on close): one transaction per
    response would cost more CPU than the rest of the harness. A crash loses at
    most the unwritten batch, which only means paying for those requests again
    in a later run; the run's own results are written separately, at once.
    """

    BATCH = 64

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / CACHE_FILE
        # Autocommit: each put is its own short transaction, visible to other processes.
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, response TEXT NOT NULL)"
        )
        self._unwritten: dict[str, str] = {}

    def get(self, key: str) -> ModelResponse | None:
        text = self._unwritten.get(key)
        if text is None:
            row = self._db.execute(
                "SELECT response FROM responses WHERE key = ?", (key,)
            ).fetchone()
            text = None if row is None else row[0]
        return None if text is None else ModelResponse.model_validate_json(text)

    def put(self, key: str, response: ModelResponse) -> None:
        self._unwritten[key] = response.model_dump_json()
        if len(self._unwritten) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self._unwritten:
            return
        with self._db:  # one transaction for the batch
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO responses (key, response) VALUES (?, ?)",
                self._unwritten.items(),
            )
        self._unwritten.clear()

    def __len__(self) -> int:
        self.flush()
        return self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def close(self) -> None:
        self.flush()
        self._db.close()
