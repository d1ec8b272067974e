"""YAML loading that remembers where every value came from, and cannot be made to blow up.

Pydantic reports errors by field path (``models.0.batch_size``); users need
the line in their file. :func:`load_yaml` returns the plain data and a map
from field path to line number so validation errors can point at the line.

A config comes from someone else, so its size is bounded before anything
walks it: the file is at most :data:`~evalkit.safeio.MAX_CONFIG_BYTES`; nesting
at most :data:`MAX_DEPTH` levels (deeper would exhaust Python's stack); and the
document, with every alias expanded, at most :data:`MAX_NODES` values. Aliases
are shared node objects, so nine anchors of nine aliases each ("billion
laughs") are a few hundred bytes that expand to 9**9 values for every walk of
the data (line map, pydantic, hashing); the count is kept while composing, so
such a file is refused at the alias that crosses the limit, in microseconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent

from evalkit.errors import EvalkitError
from evalkit.safeio import MAX_CONFIG_BYTES, decode_utf8, read_input

PathKey = tuple[str | int, ...]

#: Values in a config with every alias expanded; real run configs have a few hundred.
MAX_NODES = 100_000
#: Nesting levels of mappings and lists; real run configs have fewer than ten.
MAX_DEPTH = 100


class _LimitExceeded(yaml.MarkedYAMLError):
    """Raised while composing; reported like any YAML error, with the offending line."""


class _BoundedLoader(yaml.SafeLoader):
    """A ``SafeLoader`` that counts the expanded size and depth of the document as it composes.

    ``expanded`` is exactly the number of values of the fully expanded document
    composed so far: one per new node, plus the expanded size of the target for
    each alias (known once its anchor's node is complete).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.expanded = 0
        self.depth = 0
        self.sizes: dict[int, int] = {}  # id(node) -> expanded size, for anchored nodes

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None:  # an undefined alias is PyYAML's own error
                size = self.sizes.get(id(target))
                if size is None:
                    raise _LimitExceeded(
                        problem=f"alias *{event.anchor} refers to a value that contains it",
                        problem_mark=event.start_mark,
                    )
                self._count(size, event.start_mark, f" at alias *{event.anchor} (an alias bomb?)")
            return super().compose_node(parent, index)
        event = self.peek_event()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _LimitExceeded(
                problem=f"nested more than {MAX_DEPTH} levels deep",
                problem_mark=event.start_mark,
            )
        start = self.expanded
        self._count(1, event.start_mark, "")
        node = super().compose_node(parent, index)
        self.depth -= 1
        if event.anchor is not None:
            self.sizes[id(node)] = self.expanded - start
        return node

    def _count(self, size: int, mark: yaml.Mark, where: str) -> None:
        self.expanded += size
        if self.expanded > MAX_NODES:
            raise _LimitExceeded(
                problem=f"more than {MAX_NODES:,} values with aliases expanded{where}",
                problem_mark=mark,
            )

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A scalar Python cannot build (a 5,000-digit int, February 30) is a YAML error."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:
            reason = str(exc).split(";")[0]
            raise yaml.constructor.ConstructorError(
                problem=f"cannot read {node.value!s:.40} as {node.tag.rsplit(':', 1)[-1]}: "
                + reason,
                problem_mark=node.start_mark,
            ) from None


def load_yaml(path: Path) -> tuple[Any, dict[PathKey, int]]:
    """Parse ``path``; return ``(data, {field path: 1-based line})``.

    A key given twice in one mapping is an error (YAML would keep the last silently).
    """
    text = decode_utf8(read_input(path, MAX_CONFIG_BYTES, "config"), path)
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text)  # checks for control characters at once
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise EvalkitError(
            f"invalid YAML: {exc.problem or exc}",
            file=path,
            line=mark.line + 1 if mark else None,
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character: binary data
        raise EvalkitError(
            f"not a text file: character #x{exc.character:04x} at position {exc.position}",
            file=path,
            line=text.count("\n", 0, exc.position) + 1,
        ) from None
    except yaml.YAMLError as exc:
        raise EvalkitError(f"invalid YAML: {' '.join(str(exc).split())}", file=path) from None
    finally:
        if loader is not None:
            loader.dispose()
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
