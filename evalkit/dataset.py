"""Loading datasets: built-in names, files and folders in any supported format, ``hf://``.

Built-ins are the JSONL files in ``datasets/`` (by file stem, e.g. ``facts-mcq``)
and the generated sets in :mod:`evalkit.generators` (``arithmetic-claims``).
Anything else goes through :mod:`evalkit.loaders`, which knows the published
formats; the result always says how its rows became items (:class:`LoadReport`).
"""

from __future__ import annotations

import random
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from evalkit.config import DatasetConfig
from evalkit.config_paths import written_path
from evalkit.errors import EvalkitError
from evalkit.generators import GENERATED
from evalkit.items import Item, Items
from evalkit.loaders import SourceOptions, load_source
from evalkit.loaders.hub import is_hub
from evalkit.loaders.rows import LoadReport, items_sha256, read_text
from evalkit.resources import datasets_dir
from evalkit.safeio import split_lines


class Dataset(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    path: Path
    sha256: str
    items: Items
    #: What the entry named: a built-in, a path or an ``hf://`` reference.
    source: str = ""
    #: How the rows became items: format, rows read, duplicates removed, merged, skipped.
    report: LoadReport | None = None


class BuiltinDataset(BaseModel):
    """A built-in as ``evalkit list`` shows it."""

    model_config = ConfigDict(frozen=True)

    name: str
    items: int
    path: Path
    generated: bool


def builtin_datasets() -> dict[str, Path]:
    """Built-in datasets stored as files, by name."""
    return {path.stem: path for path in sorted(datasets_dir().glob("*.jsonl"))}


def list_builtins() -> list[BuiltinDataset]:
    """Every built-in, stored or generated, with its item count."""
    stored = [
        BuiltinDataset(name=name, items=_count_rows(path), path=path, generated=False)
        for name, path in builtin_datasets().items()
    ]
    generated = [
        BuiltinDataset(name=name, items=len(gen.generate()), path=gen.module_path, generated=True)
        for name, gen in GENERATED.items()
    ]
    return sorted(stored + generated, key=lambda b: b.name)


def _count_rows(path: Path) -> int:
    return sum(1 for line in split_lines(read_text(path)) if line.strip())


def _not_found(reference: str) -> EvalkitError:
    names = sorted([*builtin_datasets(), *GENERATED])
    return EvalkitError(
        f"dataset {reference!r} not found",
        expected="a built-in dataset (" + ", ".join(names) + "), a path to a file or folder "
        "relative to the config, or hf://owner/name",
    )


def load_dataset(reference: str | DatasetConfig, base_dir: Path) -> Dataset:
    """Read every row; the first bad row stops loading with its file, line and field.

    ``reference`` is a dataset entry of the run config, or just its ``name``.
    """
    entry = DatasetConfig(name=reference) if isinstance(reference, str) else reference
    name = entry.name
    if name in GENERATED and entry.format == "auto":
        return _generated(entry)
    builtins = builtin_datasets()
    if name in builtins and entry.format in ("auto", "items"):
        target = str(builtins[name])
    else:
        target = name
        if not is_hub(name) and not _exists(name, base_dir):
            raise _not_found(name)
    options = SourceOptions(
        format=entry.format,
        fields=entry.fields,
        split=entry.split,
        subset=entry.subset,
        local_path=entry.local_path,
    )
    loaded = load_source(target, base_dir, options)
    return Dataset(
        name=entry.label or loaded.name,
        path=loaded.path,
        sha256=loaded.sha256,
        items=loaded.items,
        source=name,
        report=loaded.report,
    )


def _exists(reference: str, base_dir: Path) -> bool:
    return written_path(reference, base_dir).exists()


def _generated(entry: DatasetConfig) -> Dataset:
    generator = GENERATED[entry.name]
    items = generator.generate()
    report = LoadReport(
        format="generated", source=entry.name, rows_read=len(items), items=len(items)
    )
    return Dataset(
        name=entry.label or entry.name,
        path=generator.module_path,
        sha256=items_sha256(items),
        items=items,
        source=entry.name,
        report=report,
    )


def select_items(
    items: list[Item], *, limit: int | None, seed: int, categories: list[str] | None = None
) -> list[Item]:
    """Filter by category, then keep a seeded random ``limit`` items, in file order.

    The selection for a larger limit contains the one for a smaller limit, so
    raising ``--limit`` on an existing run only adds samples.
    """
    chosen = [i for i in items if categories is None or i.category in categories]
    if limit is None or limit >= len(chosen):
        return chosen
    order = list(range(len(chosen)))
    random.Random(seed).shuffle(order)
    return [chosen[i] for i in sorted(order[:limit])]
