"""Records grouped by a key (model, condition, …): every scorer splits its input this way."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, NamedTuple, TypeVar

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


ItemKey = tuple[str, str]  # (dataset, item id)
A = TypeVar("A")


def item_key(record: SampleRecord) -> ItemKey:
    """The item a record asked, across conditions: the key that pairs samples."""
    return (record.dataset, record.item.id)


class ByCondition(NamedTuple, Generic[A]):
    """One model's records indexed for a family scorer: the answer read from each sample,
    per condition and item, plus what each condition is."""

    #: condition -> item -> the answer ``read`` took from the record
    answers: dict[str, dict[ItemKey, A]]
    #: item -> a record of it (the item is the same in every condition)
    records: dict[ItemKey, SampleRecord]
    #: condition -> its pressure
    pressures: dict[str, str]
    #: condition -> generation or loglik
    answer_by: dict[str, str]


def by_condition(
    records: Iterable[SampleRecord], read: Callable[[SampleRecord], A]
) -> ByCondition[A]:
    indexed: ByCondition[A] = ByCondition(defaultdict(dict), {}, {}, {})
    for record in records:
        key = item_key(record)
        indexed.answers[record.condition.name][key] = read(record)
        indexed.records[key] = record
        indexed.pressures[record.condition.name] = record.condition.pressure
        indexed.answer_by[record.condition.name] = record.condition.answer_by
    return indexed
