"""Records grouped by a key (model, condition, …): every scorer splits its input this way."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from evalkit.records import SampleRecord

K = TypeVar("K", bound=Hashable)


def group_by(
    records: Iterable[SampleRecord], key: Callable[[SampleRecord], K]
) -> dict[K, list[SampleRecord]]:
    """``key(record)`` -> records, in the order first seen; callers sort where order matters."""
    groups: dict[K, list[SampleRecord]] = defaultdict(list)
    for record in records:
        groups[key(record)].append(record)
    return dict(groups)


def by_model(records: Iterable[SampleRecord]) -> list[tuple[str, list[SampleRecord]]]:
    """(model, its records), models in sorted order."""
    return sorted(group_by(records, lambda r: r.model).items())
