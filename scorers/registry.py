"""The families evalkit knows: every one registered once, found by name.

Built-in families and families shipped in other packages register the same way,
through the ``evalkit.families`` entry-point group (``name = "module:FAMILY"``,
the value a :class:`~scorers.contract.Family`); notebooks and tests may call
:func:`register` directly. The engine asks this module, never a family module.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from importlib.metadata import entry_points

from evalkit.errors import EvalkitError
from evalkit.records import SampleRecord
from scorers.contract import Family

ENTRY_POINT_GROUP = "evalkit.families"

#: The built-in families, by module: the same list pyproject.toml declares as entry points,
#: so a source checkout that was not installed still has them.
BUILTIN_MODULES = (
    "scorers.answer",
    "scorers.are_you_sure",
    "scorers.opinion",
    "scorers.arithmetic",
    "scorers.feedback",
    "scorers.mimicry",
    "scorers.sycon",
    "scorers.elephant",
)

_FAMILIES: dict[str, Family] = {}
_loaded = False


def register(family: Family, *, replace: bool = False) -> Family:
    """Make ``family`` known to every command; a second family under one name is an error."""
    if not isinstance(family, Family):
        raise EvalkitError(
            f"cannot register {family!r}", expected="a scorers.contract.Family instance"
        )
    existing = _FAMILIES.get(family.name)
    if existing is not None and existing is not family and not replace:
        raise EvalkitError(
            f"family {family.name!r} is registered twice",
            expected="one Family per name (pass replace=True to override on purpose)",
        )
    _FAMILIES[family.name] = family
    return family


def unregister(name: str) -> None:
    _FAMILIES.pop(name, None)


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in BUILTIN_MODULES:
        register(importlib.import_module(module).FAMILY)
    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.value.split(":")[0] in BUILTIN_MODULES:
            continue
        try:
            family = point.load()
        except Exception as exc:  # a broken plug-in must name itself, not crash evalkit
            raise EvalkitError(
                f"cannot load family plug-in {point.name!r} ({point.value}): "
                f"{type(exc).__name__}: {exc}",
                expected=f"an importable Family object under entry points {ENTRY_POINT_GROUP}",
            ) from None
        register(family, replace=True)


def families() -> dict[str, Family]:
    """Every registered family, by name."""
    _load()
    return dict(_FAMILIES)


def get(name: str) -> Family:
    """The family called ``name``; a clear error naming the known ones otherwise."""
    known = families()
    if name not in known:
        raise EvalkitError(
            f"unknown family {name!r}",
            field="family",
            expected="one of: " + ", ".join(sorted(known)),
        )
    return known[name]


def find(name: str) -> Family | None:
    return families().get(name)


def families_of(records: Iterable[SampleRecord]) -> list[tuple[str, Family, list[SampleRecord]]]:
    """(model, family, its records) for every registered family the records were asked under,
    sorted by model and family name: how the cross-family views (headline, reference rows,
    readouts) walk a run."""
    groups: dict[tuple[str, str], list[SampleRecord]] = {}
    for record in records:
        groups.setdefault((record.model, record.condition.family), []).append(record)
    return [
        (model, family, group)
        for (model, name), group in sorted(groups.items())
        if (family := find(name)) is not None
    ]
