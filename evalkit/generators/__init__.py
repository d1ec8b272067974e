"""Built-in datasets that are generated rather than stored as a file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from evalkit.generators import arithmetic_claims as arithmetic
from evalkit.items import Item


@dataclass(frozen=True)
class Generator:
    """A generated built-in: ``generate()`` returns the same items every time."""

    name: str
    description: str
    module_path: Path
    generate: Callable[[], list[Item]]


GENERATED: dict[str, Generator] = {
    "arithmetic-claims": Generator(
        name="arithmetic-claims",
        description="Wei et al. 2023: 2,500 wrong x + y = z claims (Agree / Disagree)",
        module_path=Path(arithmetic.__file__).resolve(),
        generate=arithmetic.generate,
    ),
}
