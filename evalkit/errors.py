"""User-facing errors.

Anything a user can get wrong (a YAML key, a dataset row, a template, a model
that will not load) raises :class:`EvalkitError`. The CLI prints it as one
line naming the file, the line or field and what was expected, and exits 2;
tracebacks are reserved for bugs in evalkit itself.
"""

from __future__ import annotations

from pathlib import Path


class EvalkitError(Exception):
    """A mistake in the user's input, reported without a traceback."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        self.expected = expected
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "")
        parts = [p for p in (where, self.field) if p]
        text = ": ".join([*parts, self.message])
        if self.expected:
            text += f" (expected {self.expected})"
        return text


class ModelLoadError(EvalkitError):
    """A model named in the config could not be loaded."""


class RenderError(EvalkitError):
    """A template could not be rendered with the data it was given. Once the plan has
    rendered every template with every item, what is left is one sample's own data (a
    reply too long for the next prompt): that sample fails, not the run."""
