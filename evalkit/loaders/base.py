"""What every loader shares: raw rows with their line, the load report, row-level errors.

Loaders turn a published format into :class:`~evalkit.items.Item` rows. They
never drop a row silently: each row read ends up as an item, or is counted in
the :class:`LoadReport` as an exact duplicate, as merged into an earlier item,
or as skipped with a reason. A row that does not fit its format is an
:class:`~evalkit.errors.EvalkitError` naming the file, the line and the field.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from evalkit.errors import EvalkitError
from evalkit.items import Item

#: ``format:`` values of a dataset entry. ``auto`` picks by built-in name, extension, content.
DatasetFormat = Literal["auto", "items", "sharma", "anthropic-mwe", "sycon", "jsonl", "csv"]


class RawRow(NamedTuple):
    """One source record and where it starts: a file line, or a row number on the hub."""

    line: int
    data: dict[str, Any]


class Source(BaseModel):
    """Where rows came from: ``display`` is shown in errors, ``stem`` prefixes item ids."""

    model_config = ConfigDict(frozen=True)

    display: str
    stem: str


class LoadReport(BaseModel):
    """How the rows read became items; the counts always add up (checked)."""

    model_config = ConfigDict(frozen=True)

    format: str
    source: str
    rows_read: int = Field(ge=0)
    items: int = Field(ge=0)
    duplicates_removed: int = Field(default=0, ge=0)
    duplicate_lines: list[int] = Field(default_factory=list)
    merged_rows: int = Field(
        default=0, ge=0, description="Rows folded into an earlier item (same question)."
    )
    skipped: dict[str, list[int]] = Field(
        default_factory=dict, description="Reason -> lines of rows that cannot become items."
    )
    warnings: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _accounted(self) -> LoadReport:
        skipped = sum(len(lines) for lines in self.skipped.values())
        if self.rows_read != self.items + self.duplicates_removed + self.merged_rows + skipped:
            raise ValueError(
                f"rows do not add up: {self.rows_read} read, {self.items} items, "
                f"{self.duplicates_removed} duplicates, {self.merged_rows} merged, "
                f"{skipped} skipped"
            )
        if len(self.duplicate_lines) != self.duplicates_removed:
            raise ValueError("duplicate_lines must list every removed duplicate")
        return self

    def summary(self) -> str:
        """One line for logs and the manifest: ``7268 rows -> 1817 items; 6 duplicates …``."""
        parts = [f"{self.rows_read} rows -> {self.items} items ({self.format})"]
        if self.duplicates_removed:
            parts.append(f"{self.duplicates_removed} exact duplicate rows removed")
        if self.merged_rows:
            parts.append(f"{self.merged_rows} rows merged into items as prompt variants")
        parts += [f"{len(lines)} skipped: {reason}" for reason, lines in self.skipped.items()]
        parts += self.warnings
        return "; ".join(parts)


class Loaded(BaseModel):
    """A loader's result."""

    model_config = ConfigDict(frozen=True)

    items: list[Item]
    report: LoadReport


def row_error(
    source: Source, line: int, field: str | None, message: str, expected: str | None = None
) -> EvalkitError:
    return EvalkitError(message, file=source.display, line=line, field=field, expected=expected)


def _nan_to_none(token: str) -> float | None:
    """Upstream files hold bare ``NaN`` (pandas export); it means "no value"."""
    if token == "NaN":
        return None
    return float(token)  # Infinity / -Infinity: keep what Python's json would


def read_jsonl(path: Path, *, display: str | None = None, limit: int | None = None) -> list[RawRow]:
    """Every non-blank line (or the first ``limit``) as a JSON object; bare ``NaN`` is ``None``."""
    shown = display or str(path)
    rows: list[RawRow] = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        if limit is not None and len(rows) >= limit:
            break
        try:
            data = json.loads(line, parse_constant=_nan_to_none)
        except json.JSONDecodeError as exc:
            raise EvalkitError(
                f"invalid JSON: {exc.msg} at column {exc.colno}", file=shown, line=number
            ) from None
        if not isinstance(data, dict):
            raise EvalkitError("row is not a JSON object", file=shown, line=number)
        rows.append(RawRow(number, data))
    return rows


def read_csv(path: Path, *, display: str | None = None) -> tuple[list[str], list[RawRow]]:
    """Header and rows of a CSV file; each row's line is the line its record starts on."""
    shown = display or str(path)
    text = read_text(path)
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = next(reader)
    except StopIteration:
        raise EvalkitError("CSV file is empty", file=shown, expected="a header row") from None
    except csv.Error as exc:
        raise EvalkitError(f"invalid CSV: {exc}", file=shown, line=1) from None
    if len(set(header)) != len(header):
        twice = sorted({h for h in header if header.count(h) > 1})
        raise EvalkitError(f"column {twice[0]!r} appears twice", file=shown, line=1)
    rows: list[RawRow] = []
    start = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise EvalkitError(f"invalid CSV: {exc}", file=shown, line=start) from None
        if values and any(v.strip() for v in values):
            if len(values) != len(header):
                raise EvalkitError(
                    f"row has {len(values)} values for {len(header)} columns",
                    file=shown,
                    line=start,
                    expected="one value per header column",
                )
            rows.append(RawRow(start, dict(zip(header, values, strict=True))))
        start = reader.line_num + 1
    return header, rows


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise EvalkitError("file not found", file=path) from None
    except UnicodeDecodeError as exc:
        raise EvalkitError(f"not UTF-8 text (byte {exc.start})", file=path) from None
    except OSError as exc:
        raise EvalkitError(f"cannot read file: {exc.strerror}", file=path) from None


def canonical(data: Any) -> str:
    """Content identity of a row: key order and spacing do not matter."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def drop_exact_duplicates(rows: Iterable[RawRow]) -> tuple[list[RawRow], list[int]]:
    """Keep the first of rows with identical content; return the kept rows and removed lines."""
    seen: set[str] = set()
    kept: list[RawRow] = []
    removed: list[int] = []
    for row in rows:
        key = canonical(row.data)
        if key in seen:
            removed.append(row.line)
            continue
        seen.add(key)
        kept.append(row)
    return kept, removed


def items_sha256(items: Sequence[Item]) -> str:
    """Identity of loaded items, for sources that are not one file read as-is."""
    digest = hashlib.sha256()
    for item in items:
        digest.update(canonical(item.model_dump(mode="json")).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def make_item(source: Source, line: int, data: dict[str, Any], fields: dict[str, str]) -> Item:
    """Validate an item built from a row; errors name the row's own field (``fields`` maps)."""
    try:
        return Item.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        loc = error["loc"]
        item_field = str(loc[0]) if loc else None
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "string_too_short":
            message = "must not be empty"
        name = item_field or _guess_field(message)
        raise row_error(source, line, fields.get(name, name) if name else None, message) from None


def _guess_field(message: str) -> str | None:
    """Model-level checks (choices vs answers) name their field in the message."""
    for name in ("incorrect_answer", "correct_answer", "choices"):
        if message.startswith(name) or f" {name} " in f" {message} ":
            return name
    return None


def unique_ids(source: Source, items: Sequence[Item], lines: Sequence[int]) -> None:
    """Item ids must be unique: results and resume key on them."""
    first: dict[str, int] = {}
    for item, line in zip(items, lines, strict=True):
        if item.id in first:
            raise row_error(
                source,
                line,
                "id",
                f"duplicate id {item.id!r} (first on line {first[item.id]})",
                "unique item ids",
            )
        first[item.id] = line
