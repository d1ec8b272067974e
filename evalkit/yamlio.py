"""YAML loading that remembers where every value came from.

Pydantic reports errors by field path (``models.0.batch_size``); users need
the line in their file. :func:`load_yaml` returns the plain data and a map
from field path to line number so validation errors can point at the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from evalkit.errors import EvalkitError

PathKey = tuple[str | int, ...]


def load_yaml(path: Path) -> tuple[Any, dict[PathKey, int]]:
    """Parse ``path``; return ``(data, {field path: 1-based line})``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EvalkitError("file not found", file=path) from None
    except OSError as exc:
        raise EvalkitError(f"cannot read file: {exc.strerror}", file=path) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise EvalkitError(
            f"invalid YAML: {problem}",
            file=path,
            line=mark.line + 1 if mark else None,
        ) from None
    lines: dict[PathKey, int] = {}
    if node is not None:
        _collect_lines(node, (), lines)
    return data, lines


def _collect_lines(node: yaml.Node, prefix: PathKey, out: dict[PathKey, int]) -> None:
    out[prefix] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[(*prefix, key)] = key_node.start_mark.line + 1
            _collect_lines(value_node, (*prefix, key), out)
            out[(*prefix, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _collect_lines(child, (*prefix, index), out)


def line_for(lines: dict[PathKey, int], loc: PathKey) -> int | None:
    """The line of the deepest known prefix of ``loc``."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None
