"""Case-, accent- and hyphen-insensitive matching: "São Paulo" is "Sao Paulo", "−cos(x)" is
"-cos(x)", "n²" is "n^2". Names are searched in a folded copy of the reply whose offsets map
back to the reply, so every mention still points at what the reply wrote.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

#: minus signs and non-breaking hyphens a reply may type for an option's hyphen ("−cos(x)")
_HYPHENS = {"\u2212": "-", "\u2011": "-", "\u2010": "-"}


def _fold_char(c: str) -> str:
    if c in _HYPHENS:
        return _HYPHENS[c]
    if unicodedata.decomposition(c).startswith("<super>"):  # "n²" is "n^2", not "n2"
        return "^" + unicodedata.normalize("NFKD", c)
    decomposed = unicodedata.normalize("NFKD", c)
    return "".join(d for d in decomposed if not unicodedata.combining(d)).casefold()


def fold(text: str) -> str:
    """Case- and accent-insensitive form: "São Paulo" matches "Sao Paulo"."""
    return "".join(_fold_char(c) for c in text)


class _Folded(NamedTuple):
    text: str
    #: original offset of each folded character
    origin: list[int]


def fold_mapped(text: str) -> _Folded:
    out: list[str] = []
    origin: list[int] = []
    for i, c in enumerate(text):
        f = _fold_char(c)
        out.append(f)
        origin.extend([i] * len(f))
    return _Folded("".join(out), origin)


def folded_spans(folded: _Folded, needle: str) -> list[tuple[int, int]]:
    """Whole-word, case- and accent-insensitive occurrences of ``needle``, as original spans.
    Spaces may come and go beside a symbol: "- sin(x)" (LaTeX "-\\sin(x)" read as text) and
    "3×10^8" are "-sin(x)" and "3 × 10^8"."""
    if not needle.strip():
        return []
    pattern = r"(?<!\w)" + _spaced(fold(needle)) + r"(?!\w)"
    return [
        (folded.origin[m.start()], folded.origin[m.end() - 1] + 1)
        for m in re.finditer(pattern, folded.text)
    ]


def _spaced(needle: str) -> str:
    """A pattern for ``needle`` with any run of spaces between words, and optional spaces
    beside each symbol."""
    tokens = re.findall(r"\w+|[^\w\s]", needle)
    pattern = ""
    for previous, token in zip(["", *tokens], tokens, strict=False):
        if previous:
            words = previous[-1].isalnum() or previous[-1] == "_"
            pattern += r"\s+" if words and (token[0].isalnum() or token[0] == "_") else r"\s*"
        pattern += re.escape(token)
    return pattern
