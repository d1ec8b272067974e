"""The converted-weights cache without a model: remembered digests, atomic folders."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from evalkit.providers.weights_cache import INDEX_FILE, WeightsCache, weights_cache_dir


def test_the_digest_is_computed_once_per_path_size_and_mtime(tmp_path: Path):
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"weights" * 1000)
    cache = WeightsCache(tmp_path / "weights")
    real = hashlib.sha256(gguf.read_bytes()).hexdigest()
    assert cache.sha256(gguf) == real
    index_path = tmp_path / "weights" / INDEX_FILE
    index = json.loads(index_path.read_text())
    assert index[str(gguf.resolve())]["sha256"] == real
    # remembered: a planted digest is returned while size and mtime are unchanged
    index[str(gguf.resolve())]["sha256"] = "f" * 64
    index_path.write_text(json.dumps(index))
    assert cache.sha256(gguf) == "f" * 64
    # the file changed (new mtime): hashed again
    gguf.write_bytes(b"other weights" * 1000)
    os.utime(gguf, ns=(1, 1))
    assert cache.sha256(gguf) == hashlib.sha256(gguf.read_bytes()).hexdigest()


def test_a_broken_index_only_means_hashing_again(tmp_path: Path):
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"weights")
    (tmp_path / "weights").mkdir()
    (tmp_path / "weights" / INDEX_FILE).write_text("{not json")
    assert WeightsCache(tmp_path / "weights").sha256(gguf) == hashlib.sha256(b"weights").hexdigest()


def test_a_write_killed_midway_leaves_no_folder(tmp_path: Path):
    cache = WeightsCache(tmp_path)
    folder = cache.folder("ab" * 32, "float32", "5.0")

    def save(target: Path) -> None:
        target.mkdir()
        (target / "config.json").write_text("{}")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        cache.store(folder, save)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_another_run_finished_first_is_kept(tmp_path: Path):
    cache = WeightsCache(tmp_path)
    folder = cache.folder("ab" * 32, "float32", "5.0")

    def save(marker: str):
        def write(target: Path) -> None:
            target.mkdir()
            (target / "who").write_text(marker)

        return write

    cache.store(folder, save("first"))
    cache.store(folder, save("second"))
    assert (folder / "who").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]


def test_leftovers_of_killed_runs_are_swept(tmp_path: Path):
    stale, fresh = tmp_path / ".tmp-old-1", tmp_path / ".tmp-new-2"
    for path in (stale, fresh):
        path.mkdir()
    os.utime(stale, (0, 0))
    cache = WeightsCache(tmp_path)
    cache.store(cache.folder("cd" * 32, "float32", "5.0"), lambda target: target.mkdir())
    assert not stale.exists() and fresh.exists()  # a fresh one may be another run's write


def test_the_cache_lives_in_the_evalkit_cache_dir(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("EVALKIT_CACHE_DIR", str(tmp_path))
    assert weights_cache_dir() == tmp_path / "weights"
    assert WeightsCache().directory == tmp_path / "weights"
