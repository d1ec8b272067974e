"""Any JSONL or CSV file, with a field mapping written in the run YAML.

```yaml
datasets:
  - {name: my.csv, format: csv, fields: {question: prompt, correct_answer: gold, choices: options}}
```

``fields`` maps an item field to the source column (a column of the same
name is used when a field is not mapped). ``choices`` may also map to a list
of columns (``[opt_a, opt_b, opt_c]``); a single choices or aliases value may
be a list, a JSON list, or options separated by ``|``. When there are choices,
``correct_answer`` / ``incorrect_answer`` may be an option's letter (``B``).
Every column not used lands in ``metadata``, so nothing in the file is lost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from evalkit.items import LETTERS, Item
from evalkit.loaders.rows import (
    Loaded,
    LoadReport,
    RawRow,
    Source,
    make_item,
    row_error,
    unique_ids,
)

#: Item fields a mapping may name; only these two may map to several columns / a list.
MAPPABLE = (
    "id",
    "question",
    "choices",
    "correct_answer",
    "correct_aliases",
    "incorrect_answer",
    "category",
    "source",
)
LIST_FIELDS = ("choices", "correct_aliases")
_LETTER = re.compile(r"^\(?([A-Z])\)?$")

FieldMap = Mapping[str, "str | list[str]"]


def load_mapped(
    rows: Sequence[RawRow], source: Source, fields: FieldMap | None, fmt: str
) -> Loaded:
    mapping = dict(fields or {})
    items: list[Item] = []
    for row in rows:
        items.append(_item(row, source, mapping))
    unique_ids(source, items, [row.line for row in rows])
    report = LoadReport(format=fmt, source=source.display, rows_read=len(rows), items=len(items))
    return Loaded(items=items, report=report)


def missing_columns(header: Sequence[str], fields: FieldMap | None) -> list[tuple[str, str]]:
    """(item field, column) pairs whose column the header lacks: checked once for a CSV."""
    out = []
    for name, columns in (fields or {}).items():
        for column in [columns] if isinstance(columns, str) else columns:
            if column not in header:
                out.append((name, column))
    return out


def _item(row: RawRow, source: Source, mapping: dict[str, str | list[str]]) -> Item:
    data = row.data
    used: set[str] = set()
    values: dict[str, Any] = {}
    shown: dict[str, str] = {}  # item field -> column name, for errors
    for name in MAPPABLE:
        columns = mapping.get(name, name if name in data else None)
        if columns is None:
            continue
        column_list = [columns] if isinstance(columns, str) else list(columns)
        for column in column_list:
            if column not in data:
                raise row_error(
                    source,
                    row.line,
                    column,
                    f"column {column!r} (fields.{name}) is missing",
                    "a column or key of that name in every row",
                )
        used.update(column_list)
        shown[name] = column_list[0]
        if isinstance(columns, list):
            values[name] = [_text(data[c]) for c in columns if _text(data[c]).strip()]
        elif name in LIST_FIELDS:
            values[name] = _as_list(data[columns], row, source, columns)
        else:
            values[name] = _text(data[columns])
    for name in ("category", "source", "incorrect_answer", "id"):
        if values.get(name) == "":
            values.pop(name)  # an empty cell means "not given"
    if values.get("correct_aliases") is None:
        values.pop("correct_aliases", None)
    choices = values.get("choices")
    if choices:
        for name in ("correct_answer", "incorrect_answer"):
            if isinstance(values.get(name), str):
                values[name] = _by_letter(values[name], choices)
    values.setdefault("id", f"{source.stem}-{row.line}")
    values.setdefault("source", source.stem)
    extra = data.get("metadata") if "metadata" not in used else None
    metadata = dict(extra) if isinstance(extra, dict) else {}
    metadata.update(
        {k: v for k, v in data.items() if k not in used and k != "metadata" and v not in ("", None)}
    )
    values["metadata"] = metadata
    return make_item(source, row.line, values, shown)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _as_list(value: Any, row: RawRow, source: Source, column: str) -> list[str] | None:
    """A list, a JSON list in a string, or ``a | b | c``; empty means no list."""
    if value is None or value == "":
        return None
    if isinstance(value, list):
        return [_text(v) for v in value]
    if not isinstance(value, str):
        raise row_error(source, row.line, column, f"got {value!r}", "a list or text")
    stripped = value.strip()
    if stripped.startswith("["):
        try:
            parsed = json.loads(stripped)
        except json.JSONDecodeError:
            parsed = None
        if not isinstance(parsed, list):
            raise row_error(source, row.line, column, "invalid JSON list", '["a", "b"]')
        return [_text(v) for v in parsed]
    return [part.strip() for part in stripped.split("|") if part.strip()]


def _by_letter(value: str, choices: list[str]) -> str:
    """``B`` or ``(B)`` names the second option, unless some option is literally that text."""
    if value in choices:
        return value
    match = _LETTER.match(value.strip())
    if match and LETTERS.index(match.group(1)) < len(choices):
        return choices[LETTERS.index(match.group(1))]
    return value
