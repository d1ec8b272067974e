"""Dataset loaders: every published sycophancy format becomes a list of :class:`Item`.

:func:`load_source` reads a file, a folder or an ``hf://`` reference in the
format the dataset entry names, or the one it detects (``format: auto``):
a folder is SYCON-Bench; a ``.csv`` is SYCON-Bench by its header, else a
mapped CSV; a JSONL file is told by its first row's keys (``prompt`` +
``base``: Sharma; ``answer_matching_behavior``: model-written evals; only
item fields with an ``id``: evalkit items; ``question`` and ``correct_answer``
among other keys, or any keys with ``fields:``: mapped JSONL).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from evalkit.config_paths import check_folder_links, config_input, folder_member
from evalkit.errors import EvalkitError
from evalkit.items import Item, Items
from evalkit.loaders import hub
from evalkit.loaders.elephant import load_elephant
from evalkit.loaders.items_format import load_items
from evalkit.loaders.mapped import load_mapped, missing_columns
from evalkit.loaders.mwe import load_mwe
from evalkit.loaders.rows import (
    DatasetFormat,
    Loaded,
    LoadReport,
    RawRow,
    Source,
    file_sha256,
    items_sha256,
    read_csv,
    read_jsonl,
)
from evalkit.loaders.sharma import load_sharma
from evalkit.loaders.sycon_bench import detect_setting, load_sycon

__all__ = ["DatasetFormat", "LoadReport", "LoadedSource", "load_source"]

_ITEM_KEYS = set(Item.model_fields)


class LoadedSource(BaseModel):
    """Items of one dataset entry with where they came from."""

    model_config = ConfigDict(frozen=True)

    name: str
    path: Path
    display: str
    sha256: str
    items: Items
    report: LoadReport


class SourceOptions(BaseModel):
    """The dataset-entry keys that shape loading (see ``DatasetConfig``)."""

    model_config = ConfigDict(frozen=True)

    format: DatasetFormat = "auto"
    fields: dict[str, str | list[str]] | None = None
    split: str | None = None
    subset: str | None = None
    local_path: str | None = None


def load_source(reference: str, base_dir: Path, options: SourceOptions) -> LoadedSource:
    """Load a path (file or folder) or an ``hf://`` reference; errors name file, line, field."""
    if hub.is_hub(reference):
        return _load_hub(hub.parse(reference), base_dir, options)
    if options.local_path is not None:
        raise EvalkitError(
            "local_path is only for hf:// sources", field="local_path", expected="no local_path"
        )
    path = _resolve(reference, base_dir, "name")
    return _load_path(path, options, stem=path.stem if path.is_file() else path.name)


def _load_hub(ref: hub.HubRef, base_dir: Path, options: SourceOptions) -> LoadedSource:
    if options.local_path is not None:
        local = _resolve(options.local_path, base_dir, "local_path")
        if local.is_dir():
            check_folder_links(local)
        if local.is_dir() and ref.filename:
            for candidate in (local / ref.filename, local / Path(ref.filename).name):
                if candidate.is_file():
                    member = folder_member(candidate, local, "name")
                    return _load_path(member, options, stem=ref.stem)
            raise EvalkitError(
                f"{ref.filename!r} is not in this folder",
                file=local,
                expected=f"local_path: the file itself, or a folder holding {ref.filename}",
            )
        if local.is_dir() and detect_setting(local) is None:
            rows = hub.load_local_rows(local, options.split)
            return _from_rows(rows, Source(display=str(local), stem=ref.stem), local, options)
        return _load_path(local, options, stem=ref.stem)
    if ref.filename:
        return _load_path(hub.download_file(ref), options, stem=ref.stem)
    rows = hub.load_rows(ref, options.subset, options.split)
    source = Source(display=ref.reference, stem=ref.stem)
    return _from_rows(rows, source, Path(ref.repo_id), options)


def _resolve(reference: str, base_dir: Path, field: str) -> Path:
    candidate = config_input(reference, base_dir, field)
    if candidate.exists():
        return candidate
    raise EvalkitError(
        f"{reference!r} not found",
        field=None if field == "name" else field,
        expected="a path relative to the config" if field == "local_path" else None,
    )


def _load_path(path: Path, options: SourceOptions, *, stem: str) -> LoadedSource:
    fmt = options.format
    if fmt == "auto" and path.is_file():
        fmt = _detect_file(path, options)
    if path.is_dir() or fmt == "sycon":
        if fmt not in ("auto", "sycon"):
            raise EvalkitError(
                f"format {fmt!r} reads a file, but this is a folder",
                file=path,
                expected="a file path, or format: sycon",
            )
        loaded = load_sycon(path, str(path))
        return _result(loaded, path, loaded.report.source, stem=_sycon_stem(loaded))
    if fmt == "elephant":
        header, rows = read_csv(path)
        loaded = load_elephant(header, rows, Source(display=str(path), stem=stem))
    elif fmt == "csv":
        header, rows = read_csv(path)
        missing = missing_columns(header, options.fields)
        if missing:
            name, column = missing[0]
            raise EvalkitError(
                f"no column {column!r} (fields.{name})",
                file=path,
                line=1,
                expected="one of the header's columns: " + ", ".join(header),
            )
        loaded = load_mapped(rows, Source(display=str(path), stem=stem), options.fields, "csv")
    else:
        rows = read_jsonl(path)
        loaded = _dispatch(rows, Source(display=str(path), stem=stem), fmt, options)
    raw_identity = file_sha256(path) if fmt == "items" else None
    return _result(loaded, path, str(path), stem=stem, sha256=raw_identity)


def _from_rows(
    rows: list[RawRow], source: Source, path: Path, options: SourceOptions
) -> LoadedSource:
    fmt = options.format
    if fmt == "auto":
        fmt = _detect_rows(rows, source.display, options)
    if fmt in ("sycon", "csv"):
        fmt = "jsonl"  # hub rows are already records: map them like JSONL
    return _result(_dispatch(rows, source, fmt, options), path, source.display, stem=source.stem)


def _dispatch(rows: Sequence[RawRow], source: Source, fmt: str, options: SourceOptions) -> Loaded:
    if fmt == "items":
        return load_items(rows, source)
    if fmt == "sharma":
        return load_sharma(rows, source)
    if fmt == "anthropic-mwe":
        return load_mwe(rows, source)
    if fmt == "elephant":
        return load_elephant(list(rows[0].data) if rows else [], rows, source)
    return load_mapped(rows, source, options.fields, "jsonl")


def _detect_file(path: Path, options: SourceOptions) -> str:
    if path.suffix.lower() in (".csv", ".tsv"):
        if options.fields is None and detect_setting(path) is not None:
            return "sycon"
        return "csv"
    return _detect_rows(read_jsonl(path, limit=1), str(path), options)


def _detect_rows(rows: Sequence[RawRow], display: str, options: SourceOptions) -> str:
    """Tell the format from the first row's keys; say so when it cannot be told."""
    if options.fields is not None:
        return "jsonl"
    if not rows:
        raise EvalkitError("dataset has no rows", file=display, expected="one JSON object a line")
    keys = set(rows[0].data)
    if {"prompt", "base"} <= keys:
        return "sharma"
    if "answer_matching_behavior" in keys:
        return "anthropic-mwe"
    if keys <= _ITEM_KEYS and "id" in keys:
        return "items"
    if {"question", "correct_answer"} <= keys:
        return "jsonl"
    raise EvalkitError(
        "cannot tell the dataset format from the first row's keys ("
        + ", ".join(sorted(keys)[:8])
        + ")",
        file=display,
        line=rows[0].line,
        expected="format: items | sharma | anthropic-mwe | sycon | jsonl | csv, and for jsonl/csv "
        "a fields: mapping such as {question: prompt, correct_answer: gold}",
    )


def _sycon_stem(loaded: Loaded) -> str:
    return loaded.items[0].id.rsplit("-", 1)[0] if loaded.items else "sycon"


def _result(
    loaded: Loaded, path: Path, display: str, *, stem: str, sha256: str | None = None
) -> LoadedSource:
    if not loaded.items:
        raise EvalkitError(
            "dataset has no rows"
            if loaded.report.rows_read == 0
            else "no row became an item: " + loaded.report.summary(),
            file=display,
            expected="one record a line" if loaded.report.rows_read == 0 else None,
        )
    return LoadedSource(
        name=stem,
        path=path,
        display=display,
        sha256=sha256 or items_sha256(loaded.items),
        items=loaded.items,
        report=loaded.report,
    )
