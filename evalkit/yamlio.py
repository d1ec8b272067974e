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
    """Parse ``path``; return ``(data, {field path: 1-based line})``.

    A key given twice in one mapping is an error (YAML would keep the last silently).
    """
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
        duplicate = _collect_lines(node, (), lines)
        if duplicate is not None:
            key_path, line, first = duplicate
            raise EvalkitError(
                f"key given twice (first on line {first})",
                file=path,
                line=line,
                field=".".join(str(k) for k in key_path),
                expected="each key once per mapping",
            )
    return data, lines


def _collect_lines(
    node: yaml.Node, prefix: PathKey, out: dict[PathKey, int]
) -> tuple[PathKey, int, int] | None:
    """Fill ``out``; return ``(key path, line, first line)`` of a duplicate key, if any."""
    out[prefix] = node.start_mark.line + 1
    children: list[tuple[PathKey, yaml.Node]] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = (*prefix, key_node.value)
            line = key_node.start_mark.line + 1
            if key_path in out:
                return key_path, line, out[key_path]
            out[key_path] = line
            children.append((key_path, value_node))
    elif isinstance(node, yaml.SequenceNode):
        children = [((*prefix, index), child) for index, child in enumerate(node.value)]
    for child_path, child in children:
        key_line = out.get(child_path)
        duplicate = _collect_lines(child, child_path, out)
        if duplicate is not None:
            return duplicate
        if key_line is not None:
            out[child_path] = key_line  # errors about a key point at the key, not its value
    return None


def line_for(lines: dict[PathKey, int], loc: PathKey) -> int | None:
    """The line of the deepest known prefix of ``loc``."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None
