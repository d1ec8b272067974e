"""Loading datasets: built-in names (``facts-mcq``) or any JSONL file with item fields."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from evalkit.errors import EvalkitError
from evalkit.items import Item
from evalkit.resources import datasets_dir
from evalkit.validation import raise_validation_error


class Dataset(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    path: Path
    sha256: str
    items: list[Item]


def builtin_datasets() -> dict[str, Path]:
    return {path.stem: path for path in sorted(datasets_dir().glob("*.jsonl"))}


def resolve_dataset(reference: str, base_dir: Path) -> Path:
    builtins = builtin_datasets()
    if reference in builtins:
        return builtins[reference]
    candidate = Path(reference).expanduser()
    if not candidate.is_absolute():
        candidate = base_dir / candidate
    if candidate.is_file():
        return candidate.resolve()
    raise EvalkitError(
        f"dataset {reference!r} not found",
        expected="a built-in dataset (" + ", ".join(builtins) + ") or a path to a .jsonl "
        "file relative to the config",
    )


def load_dataset(reference: str, base_dir: Path) -> Dataset:
    """Read every row; the first bad row stops loading with its file, line and field."""
    path = resolve_dataset(reference, base_dir)
    raw = path.read_bytes()
    items: list[Item] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalkitError(
                f"invalid JSON: {exc.msg} at column {exc.colno}", file=path, line=number
            ) from None
        if not isinstance(data, dict):
            raise EvalkitError("row is not a JSON object", file=path, line=number)
        try:
            item = Item.model_validate(data)
        except ValidationError as exc:
            raise_validation_error(exc, file=path, data=data, model=Item, line=number)
        if item.id in first_line:
            raise EvalkitError(
                f"duplicate id {item.id!r} (first on line {first_line[item.id]})",
                file=path,
                line=number,
                field="id",
                expected="unique item ids",
            )
        first_line[item.id] = number
        items.append(item)
    if not items:
        raise EvalkitError("dataset has no rows", file=path, expected="one JSON object a line")
    name = path.stem  # a built-in's name is its file stem
    return Dataset(name=name, path=path, sha256=hashlib.sha256(raw).hexdigest(), items=items)


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
