"""Turn pydantic validation errors into one clear :class:`EvalkitError`.

Shared by the run-config loader and the dataset loader so that every bad
input reads the same way: ``file:line: field.path: what is wrong (expected …)``.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from evalkit.errors import EvalkitError
from evalkit.yamlio import PathKey, line_for


def data_path(loc: tuple[Any, ...], data: Any) -> PathKey:
    """Drop the parts of a pydantic ``loc`` that are not keys of the input.

    Pydantic inserts union tags (``transformers``) and validator names into
    locations; users only know the keys they wrote. The last part is kept when
    it names a missing or unknown key of a mapping.
    """
    kept: list[str | int] = []
    current = data
    for position, part in enumerate(loc):
        in_mapping = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_mapping or in_list:
            kept.append(part)
            current = current[part]
        elif isinstance(current, dict) and position == len(loc) - 1 and isinstance(part, str):
            kept.append(part)
    return tuple(kept)


def dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def allowed_keys(model: type[BaseModel], path: PathKey) -> list[str] | None:
    """Field names accepted at ``path`` (the parent of an unknown key), if resolvable."""
    current: Any = model
    for part in path[:-1]:
        current = _resolve(current, part)
        if current is None:
            return None
    current = _resolve(current, None)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return sorted((f.alias or name) for name, f in current.model_fields.items())
    return None


def _resolve(tp: Any, part: str | int | None) -> Any:
    """Step one level into ``tp`` along ``part`` (``None``: just unwrap)."""
    tp = _unwrap(tp)
    if part is None:
        return tp
    if isinstance(part, int):
        args = typing.get_args(tp)
        return args[0] if args else None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        field = tp.model_fields.get(part)
        return field.annotation if field else None
    return None


def _unwrap(tp: Any) -> Any:
    """Unwrap Optional and Annotated down to the model type, if there is one."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
            models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
            return models[0] if len(models) == 1 else None
        return tp


def raise_validation_error(
    exc: ValidationError,
    *,
    file: str | Path,
    data: Any,
    lines: dict[PathKey, int] | None = None,
    model: type[BaseModel] | None = None,
    line: int | None = None,
    prefix: tuple[str | int, ...] = (),
) -> typing.NoReturn:
    """Raise an :class:`EvalkitError` for the first error in ``exc``.

    ``prefix`` locates the validated object inside ``data`` (e.g. ``("models", 0)``).
    """
    errors = exc.errors(include_url=False)
    # an unknown key first: `condtions:` is both an unknown key and a missing `conditions`,
    # and only the unknown key's message (with the keys allowed there) shows the typo
    error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    path = data_path(prefix + tuple(error["loc"]), data)
    kind = error["type"]
    message = error["msg"]
    expected: str | None = None
    if kind == "missing":
        message = "required field is missing"
    elif kind == "extra_forbidden":
        message = "unknown key"
        keys = allowed_keys(model, path) if model else None
        expected = "one of: " + ", ".join(keys) if keys else None
    elif message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    elif kind.endswith("_type") or kind.endswith("_parsing"):
        got = error.get("input")
        message = f"{message} (got {got!r})" if not isinstance(got, (dict, list)) else message
    at_line = line if line is not None else (line_for(lines, path) if lines else None)
    raise EvalkitError(message, file=file, line=at_line, field=dotted(path), expected=expected)
