"""Dequantized GGUF weights kept as a safetensors folder, so only the first load converts.

Loading a GGUF with ``transformers`` dequantizes every tensor (tens of seconds
even for a 135M model); reading the same weights back from a
``save_pretrained`` folder takes about two. The folder is keyed by the GGUF's
sha256 (which the run manifest records anyway), the dtype and the
transformers version (its GGUF converter decides what the weights become).
Hashing the GGUF each run would cost time too, so the digest is remembered by
(path, size, mtime) in a small JSON index beside the folders.

A folder appears only complete: it is written under a temporary name and
renamed into place, so a killed run or two runs converting at once never
leave a half-written folder where a later run would read it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

from evalkit.providers.response_cache import default_cache_dir

INDEX_FILE = "sha256-index.json"
#: Seconds after which a temporary folder is a killed run's leftover, not a write in progress.
STALE_AFTER_S = 24 * 3600


def weights_cache_dir() -> Path:
    """``<evalkit cache dir>/weights``."""
    return default_cache_dir() / "weights"


class WeightsCache:
    """Converted weights folders and the remembered digests of the GGUF files they came from."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else weights_cache_dir()

    # -- digests ----------------------------------------------------------------

    def sha256(self, path: Path) -> str:
        """The file's sha256, computed once per (path, size, mtime) and remembered."""
        path = path.resolve()
        stat = path.stat()
        stamp = {"bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        index = self._read_index()
        known = index.get(str(path))
        if isinstance(known, dict) and {k: known.get(k) for k in stamp} == stamp:
            digest = known.get("sha256")
            if isinstance(digest, str) and len(digest) == 64:
                return digest
        digest = file_sha256(path)
        index[str(path)] = {**stamp, "sha256": digest}
        with contextlib.suppress(OSError):  # a read-only cache only means hashing again
            self._write_index(index)
        return digest

    def _read_index(self) -> dict[str, Any]:
        try:
            data = json.loads((self.directory / INDEX_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write_index(self, index: dict[str, Any]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        temporary = self.directory / f".{INDEX_FILE}.{uuid.uuid4().hex}"
        temporary.write_text(json.dumps(index, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.directory / INDEX_FILE)

    # -- folders ----------------------------------------------------------------

    def folder(self, sha256: str, dtype: str, transformers_version: str) -> Path:
        return self.directory / f"{sha256}-{dtype}-transformers{transformers_version}"

    def store(self, folder: Path, save: Any) -> None:
        """Write ``folder`` through ``save(temporary_path)``, then rename it into place.

        A folder already in place (another run converted first) is kept; a folder
        that failed to load is moved aside first by :meth:`discard`.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        self._sweep()
        temporary = self.directory / f".tmp-{folder.name}-{uuid.uuid4().hex}"
        try:
            save(temporary)
            os.rename(temporary, folder)  # atomic; fails if another run's folder is there
        except OSError:
            if not folder.is_dir():
                raise
        finally:
            shutil.rmtree(temporary, ignore_errors=True)

    def _sweep(self) -> None:
        """Delete what killed runs left behind (a converted model is hundreds of MB)."""
        cutoff = time.time() - STALE_AFTER_S
        for entry in self.directory.glob(".tmp-*"):
            with contextlib.suppress(OSError):
                if entry.stat().st_mtime < cutoff:
                    shutil.rmtree(entry, ignore_errors=True)

    def discard(self, folder: Path) -> None:
        """Move a broken folder out of the way (atomically), then delete it."""
        trash = self.directory / f".trash-{folder.name}-{uuid.uuid4().hex}"
        with contextlib.suppress(OSError):
            os.rename(folder, trash)
        shutil.rmtree(trash, ignore_errors=True)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
