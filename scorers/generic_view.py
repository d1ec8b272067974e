"""Tables for a family that declares no view of its own, readable without knowing it.

One table of each result's own metrics (one row per result), then one table
per list-of-records field (e.g. per-condition rows), each row led by the
result's model. Metrics show with their intervals, never as raw reprs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pydantic import BaseModel

from scorers.contract import FamilyView, TableView
from scorers.fmt import metric
from scorers.stats import Difference, Proportion


def generic_view(results: Sequence[BaseModel]) -> list[FamilyView]:
    family = str(getattr(results[0], "family", type(results[0]).__name__))
    fields = list(dict.fromkeys(name for r in results for name in type(r).model_fields))
    nested = [f for f in fields if any(_is_records(getattr(r, f, None)) for r in results)]
    flat = [f for f in fields if f not in nested and f != "family"]
    tables = [
        TableView(
            caption=f"{family} family",
            columns=flat,
            rows=[[cell(getattr(r, name, None)) for name in flat] for r in results],
        )
    ]
    for name in nested:
        rows: list[tuple[str, BaseModel]] = [
            (str(getattr(r, "model", "")), element)
            for r in results
            for element in getattr(r, name, None) or []
        ]
        columns = list(dict.fromkeys(f for _, e in rows for f in type(e).model_fields))
        tables.append(
            TableView(
                caption=f"{family}: {name.replace('_', ' ')}",
                columns=["model", *columns],
                rows=[[model, *(cell(getattr(e, c, None)) for c in columns)] for model, e in rows],
            )
        )
    return [FamilyView(family=family, title=family, tables=tables)]


def _is_records(value: object) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], BaseModel)


def cell(value: object) -> str:
    """Any field value as table text: metrics with their intervals, mappings compactly."""
    if isinstance(value, Proportion | Difference):
        return metric(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, str | int) or value is None:
        return "-" if value is None else str(value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {cell(v)}" for k, v in value.items()) or "-"
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(cell(v) for v in value) or "-"
    if isinstance(value, BaseModel):
        return "; ".join(f"{k}: {cell(getattr(value, k))}" for k in type(value).model_fields)
    return json.dumps(value, ensure_ascii=False, default=str)
