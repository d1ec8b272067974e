"""``hf://`` sources: Hugging Face hub datasets, read through the ``datasets`` library.

Two forms:
- ``hf://owner/name/path/in/repo.jsonl``: one file of a dataset repo,
  downloaded (or taken from the cache) and read by the file loaders, so
  upstream quirks (bare NaN, line numbers in errors) are handled as for a
  local copy. Use this for meg-tong/sycophancy-eval and anthropics-style files.
- ``hf://owner/name``: the whole dataset through ``datasets.load_dataset``
  (``subset:`` and ``split:`` pick the configuration and split).

``local_path:`` points at a local copy instead (a file, or a folder); the hub
is then never contacted. Offline and not cached is one error saying what to
download and where to put it. The hub is probed with one short connection
first, so an offline machine gets that error at once instead of after the
client's retries.
"""

from __future__ import annotations

import math
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import ParseResult, urlparse

from pydantic import BaseModel, ConfigDict

from evalkit.errors import EvalkitError
from evalkit.loaders.rows import RawRow
from evalkit.safeio import DATASET_LIMIT_ENV, dataset_limit, size_text

PREFIX = "hf://"
_TRUE = {"1", "true", "yes", "on"}


class HubRef(BaseModel):
    """A parsed ``hf://owner/name[/file]`` reference."""

    model_config = ConfigDict(frozen=True)

    reference: str
    repo_id: str
    filename: str | None

    @property
    def stem(self) -> str:
        if self.filename:
            return Path(self.filename).name.split(".")[0]
        return self.repo_id.split("/")[1]

    @property
    def url(self) -> str:
        """Where to download it by hand: on the configured endpoint (a mirror) if any."""
        base = f"{_endpoint().geturl().rstrip('/')}/datasets/{self.repo_id}"
        return f"{base}/blob/main/{self.filename}" if self.filename else base


def is_hub(reference: str) -> bool:
    return reference.startswith(PREFIX)


def parse(reference: str) -> HubRef:
    parts = [p for p in reference.removeprefix(PREFIX).split("/") if p]
    if len(parts) < 2:
        raise EvalkitError(
            f"{reference!r} does not name a dataset repository",
            expected="hf://owner/name or hf://owner/name/path/to/file.jsonl",
        )
    if any(p in (".", "..") for p in parts):
        raise EvalkitError(
            f"{reference!r} has a '.' or '..' part",
            field="name",
            expected="hf://owner/name/path/to/file.jsonl, with a path inside the repository",
        )
    filename = "/".join(parts[2:]) or None
    return HubRef(reference=reference, repo_id="/".join(parts[:2]), filename=filename)


def hub_reachable(timeout: float = 3.0) -> bool:
    """False when offline mode is set or the hub's host does not answer quickly."""
    if any(os.environ.get(v, "").strip().lower() in _TRUE for v in _OFFLINE_VARS):
        return False
    endpoint = _endpoint()
    host = endpoint.hostname or "huggingface.co"
    port = endpoint.port or (80 if endpoint.scheme == "http" else 443)  # a mirror's own port
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _endpoint() -> ParseResult:
    return urlparse(os.environ.get("HF_ENDPOINT") or "https://huggingface.co")


_OFFLINE_VARS = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE")


def download_file(ref: HubRef) -> Path:
    """The file's local path: from the cache, or downloaded when the hub answers."""
    assert ref.filename is not None
    online = hub_reachable()
    hub = _import("huggingface_hub", ref, online)
    try:
        return Path(
            hub.hf_hub_download(
                ref.repo_id, ref.filename, repo_type="dataset", local_files_only=not online
            )
        )
    except Exception as exc:  # the hub client raises many kinds; all mean "not available"
        raise not_available(ref, online, exc) from None


def load_rows(ref: HubRef, subset: str | None, split: str | None) -> list[RawRow]:
    """Rows of a whole hub dataset (row numbers from 1), via ``datasets.load_dataset``."""
    online = hub_reachable()
    datasets = _import("datasets", ref, online)
    datasets.disable_progress_bars()
    try:
        with _offline(not online):
            table = datasets.load_dataset(ref.repo_id, subset, split=split or "train")
    except Exception as exc:
        raise not_available(ref, online, exc) from None
    return rows_of(table, ref.reference)


def load_local_rows(folder: Path, split: str | None) -> list[RawRow]:
    """A local copy of a whole dataset: a ``save_to_disk`` folder or a folder of data files."""
    datasets = _import("datasets")
    datasets.disable_progress_bars()
    try:
        if (folder / "dataset_dict.json").is_file() or (folder / "state.json").is_file():
            table = datasets.load_from_disk(str(folder))
            if isinstance(table, datasets.DatasetDict):
                table = table[split or "train"]
        else:
            with _offline(True):
                table = datasets.load_dataset(str(folder), split=split or "train")
    except Exception as exc:
        raise EvalkitError(
            f"cannot read a dataset from this folder: {type(exc).__name__}: {exc}",
            file=folder,
            expected="a datasets save_to_disk folder or a folder of .jsonl/.csv/.parquet files",
        ) from None
    return rows_of(table, folder)


def rows_of(table: Any, source: str | Path) -> list[RawRow]:
    """Rows numbered from 1; float NaN (missing values after a pandas round trip) is None.

    The table is Arrow, memory-mapped, until its rows become Python objects here (several
    times its size): over the dataset limit a file would have, it is refused first."""
    size = getattr(getattr(table, "data", None), "nbytes", 0)
    limit = dataset_limit()
    if size > limit:
        raise EvalkitError(
            f"dataset is {size_text(size)} of table data, over the {size_text(limit)} limit "
            "for a dataset",
            file=source,
            expected=f"a smaller dataset, split or subset, or a larger {DATASET_LIMIT_ENV}",
        )
    return [
        RawRow(index, {k: None if _is_nan(v) else v for k, v in dict(row).items()})
        for index, row in enumerate(table, start=1)
    ]


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def not_available(ref: HubRef, online: bool, exc: Exception) -> EvalkitError:
    """The one message for a hub source that cannot be had here."""
    what = f"file {ref.filename!r} of " if ref.filename else ""
    if online:
        return EvalkitError(
            f"cannot load {what}hub dataset {ref.repo_id!r} ({ref.reference}): "
            f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
            expected=f"a dataset that exists at {ref.url}, or `local_path:` to a local copy",
        )
    get = (
        f"huggingface-cli download --repo-type dataset {ref.repo_id} {ref.filename}"
        if ref.filename
        else f"huggingface-cli download --repo-type dataset {ref.repo_id}"
    )
    return EvalkitError(
        f"{ref.reference} is not in the local Hugging Face cache and the hub cannot be "
        f"reached (offline)",
        expected=f"a local copy: download {ref.url} on a connected machine (e.g. `{get} "
        f"--local-dir DIR`), copy it here and set `local_path:` on this dataset entry to "
        f"{'the file' if ref.filename else 'that folder'}",
    )


@contextmanager
def _offline(offline: bool) -> Iterator[None]:
    """Make the hub clients use only their cache (no retries against a dead network)."""
    if not offline:
        yield
        return
    import datasets.config as datasets_config
    import huggingface_hub.constants as hub_constants

    saved = (datasets_config.HF_HUB_OFFLINE, hub_constants.HF_HUB_OFFLINE)
    datasets_config.HF_HUB_OFFLINE = hub_constants.HF_HUB_OFFLINE = True
    try:
        yield
    finally:
        datasets_config.HF_HUB_OFFLINE, hub_constants.HF_HUB_OFFLINE = saved


def _import(name: str, ref: HubRef | None = None, online: bool = True) -> Any:
    """The hub client library; offline without it, nothing can be cached, so say that."""
    try:
        return __import__(name)
    except ImportError:
        if ref is not None and not online:
            raise not_available(ref, online, ImportError(name)) from None
        raise EvalkitError(
            f"hf:// sources need the {name!r} package, which is not installed",
            expected="`pip install datasets` (it brings huggingface_hub)",
        ) from None
