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
import io
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from evalkit.errors import EvalkitError
from evalkit.items import Item, Items
from evalkit.safeio import dataset_limit, decode_utf8, open_input, read_input

#: ``format:`` values of a dataset entry. ``auto`` picks by built-in name, extension, content.
DatasetFormat = Literal[
    "auto", "items", "sharma", "anthropic-mwe", "sycon", "elephant", "jsonl", "csv"
]


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

    items: Items
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


def read_jsonl(
    path: Path,
    *,
    display: str | None = None,
    limit: int | None = None,
    what: str = "dataset",
    max_bytes: int | None = None,
) -> list[RawRow]:
    """Every non-blank line (or the first ``limit``) as a JSON object; bare ``NaN`` is ``None``.

    Lines end at ``\n`` only (``\r\n`` tolerated): U+2028 and friends are ordinary
    characters inside JSON strings. The file is streamed line by line, after
    :func:`~evalkit.safeio.open_input` has refused non-regular files and ones over
    ``max_bytes`` (default: the dataset limit); ``what`` names the file in that error.
    """
    shown = display or str(path)
    rows: list[RawRow] = []
    with open_input(path, dataset_limit() if max_bytes is None else max_bytes, what) as handle:
        for number, raw in enumerate(handle, start=1):
            if limit is not None and len(rows) >= limit:
                break
            line = _decode_line(raw, number, shown)
            if not line.strip():
                continue
            rows.append(RawRow(number, _parse_json_line(line, number, shown)))
    return rows


def _decode_line(raw: bytes, number: int, shown: str) -> str:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EvalkitError(
            f"not UTF-8 text (byte {exc.start} of the line)", file=shown, line=number
        ) from None
    if number == 1:
        line = line.removeprefix("\ufeff")
    return line.removesuffix("\n").removesuffix("\r")


class _HugeInt(str):
    """An integer literal longer than Python converts (``sys.get_int_max_str_digits``)."""


def _parse_int(token: str) -> int | _HugeInt:
    try:
        return int(token)
    except ValueError:
        return _HugeInt(token)


#: One decoder for every line (``json.loads`` with these hooks makes a decoder per call).
_DECODER = json.JSONDecoder(parse_constant=_nan_to_none, parse_int=_parse_int)


def _parse_json_line(line: str, number: int, shown: str) -> dict[str, Any]:
    try:
        data = _DECODER.decode(line)
    except json.JSONDecodeError as exc:
        raise EvalkitError(
            f"invalid JSON: {exc.msg} at column {exc.colno}", file=shown, line=number
        ) from None
    except RecursionError:
        raise EvalkitError(
            "invalid JSON: nested too deeply", file=shown, line=number, expected="a flat record"
        ) from None
    if not isinstance(data, dict):
        raise EvalkitError("row is not a JSON object", file=shown, line=number)
    problem = _unreadable_value(data)
    if problem is not None:
        where, message, expected = problem
        raise EvalkitError(
            message,
            file=shown,
            line=number,
            field=".".join(str(key) for key in where) or None,
            expected=expected,
        )
    return data


#: Nesting levels of a dataset record; real ones have fewer than five. Deeper would
#: exhaust Python's stack in the code that copies, validates and hashes records.
MAX_JSON_DEPTH = 50


def _unreadable_value(data: Any) -> tuple[tuple[str | int, ...], str, str] | None:
    """Where and why a parsed record cannot be used: nested too deeply, a too-long integer.

    Iterative, so the walk itself cannot run out of stack. Records are walked by depth
    alone (a path per value cost more than parsing the line); only a record that has a
    problem is walked again for where it is. Only containers are kept to visit: a list
    of ten million numbers is scanned in place, not copied into ten million entries.
    """
    if isinstance(data, _HugeInt):
        return _where_unreadable(data)
    stack: list[tuple[int, Any]] = [(0, data)] if isinstance(data, (dict, list)) else []
    while stack:
        depth, value = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if children and depth + 1 > MAX_JSON_DEPTH:
            return _where_unreadable(data)
        for child in children:
            if isinstance(child, (dict, list)):
                stack.append((depth + 1, child))
            elif isinstance(child, _HugeInt):
                return _where_unreadable(data)
    return None


def _where_unreadable(data: Any) -> tuple[tuple[str | int, ...], str, str] | None:
    """:func:`_unreadable_value`'s answer, with the path of the first problem (in order)."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, _HugeInt):
            digits = getattr(sys, "get_int_max_str_digits", lambda: 0)()
            return where, f"integer too long (over {digits} digits)", "a shorter number or a string"
        if len(where) > MAX_JSON_DEPTH:
            return where[:3], f"nested more than {MAX_JSON_DEPTH} levels deep", "a flat record"
        if isinstance(value, dict):
            stack += [((*where, key), child) for key, child in reversed(value.items())]
        elif isinstance(value, list):
            stack += [((*where, index), child) for index, child in reversed(list(enumerate(value)))]
    return None


def read_csv(path: Path, *, display: str | None = None) -> tuple[list[str], list[RawRow]]:
    """Header and rows of a CSV file; each row's line is the line its record starts on.

    Records are split by the csv module itself (as a file opened with ``newline=""``):
    line breaks inside quoted fields, U+2028 included, stay in the field.
    """
    shown = display or str(path)
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
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
    """A dataset file's text: a regular file within the dataset size limit, UTF-8."""
    return decode_utf8(read_input(path, dataset_limit(), "dataset"), path)


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


def file_sha256(path: Path) -> str:
    """Identity of a dataset file as read, hashed in chunks."""
    digest = hashlib.sha256()
    with open_input(path, dataset_limit(), "dataset") as handle:
        while chunk := handle.read(2**20):
            digest.update(chunk)
    return digest.hexdigest()


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
