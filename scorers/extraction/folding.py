"""Case-, accent- and hyphen-insensitive matching: "São Paulo" is "Sao Paulo", "−cos(x)" is
"-cos(x)", "n²" is "n^2". Names are searched in a folded copy of the reply whose offsets map
back to the reply, so every mention still points at what the reply wrote.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

#: minus signs and non-breaking hyphens a reply may type for an option's hyphen ("−cos(x)")
_HYPHENS = {"\u2212": "-", "\u2011": "-", "\u2010": "-"}


@lru_cache(maxsize=8192)
def _fold_char(c: str) -> str:
    if c in _HYPHENS:
        return _HYPHENS[c]
    if unicodedata.decomposition(c).startswith("<super>"):  # "n²" is "n^2", not "n2"
        return "^" + unicodedata.normalize("NFKD", c)
    decomposed = unicodedata.normalize("NFKD", c)
    return "".join(d for d in decomposed if not unicodedata.combining(d)).casefold()


def fold(text: str) -> str:
    """Case- and accent-insensitive form: "São Paulo" matches "Sao Paulo"."""
    if text.isascii():  # what every ASCII character folds to (read in a whole reply's time)
        return text.lower()
    return "".join(_fold_char(c) for c in text)


class _Folded(NamedTuple):
    text: str
    #: original offset of each folded character
    origin: list[int]


def fold_mapped(text: str) -> _Folded:
    if text.isascii():  # one character each, lower-cased: the same as folding one by one
        return _Folded(text.lower(), list(range(len(text))))
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
    word = fold(needle).strip()
    if _ONE_WORD.fullmatch(word):  # most names: found without compiling a pattern for each
        return [
            (folded.origin[a], folded.origin[a + len(word) - 1] + 1)
            for a in _words_at(folded.text, word)
        ]
    words = word.split()
    if all(_ONE_WORD.fullmatch(w) for w in words):  # names of plain words: the same, in turn
        return [
            (folded.origin[a], folded.origin[end - 1] + 1)
            for a, end in phrase_at(folded.text, words)
        ]
    return [
        (folded.origin[m.start()], folded.origin[m.end() - 1] + 1)
        for m in _whole_word(needle).finditer(folded.text)
    ]


_ONE_WORD = re.compile(r"\w+")


def _words_at(text: str, word: str) -> list[int]:
    r"""Where ``word`` (word characters only) stands as a whole word: what the pattern
    ``(?<!\w)word(?!\w)`` finds (a character is ``\w`` when alphanumeric or "_")."""
    found, at = [], text.find(word)
    while at >= 0:
        end = at + len(word)
        before = text[at - 1] if at else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            found.append(at)
            at = text.find(word, end)
        else:
            at = text.find(word, at + 1)
    return found


def phrase_at(text: str, words: list[str]) -> list[tuple[int, int]]:
    r"""Where ``words`` stand in turn, whole, with any run of white space between them: what
    the pattern ``(?<!\w)one\s+two(?!\w)`` finds, as (start, end)."""
    found: list[tuple[int, int]] = []
    first, rest = words[0], words[1:]
    floor = 0  # matches do not overlap, as finditer's
    for start in _words_at(text, first):
        if start < floor:
            continue
        at = start + len(first)
        for word in rest:
            gap = at
            while at < len(text) and text[at].isspace():
                at += 1
            if at == gap or not text.startswith(word, at):
                break
            at += len(word)
        else:
            if at == len(text) or not (text[at].isalnum() or text[at] == "_"):
                found.append((start, at))
                floor = at
    return found


@lru_cache(maxsize=4096)
def _whole_word(needle: str) -> re.Pattern[str]:
    """The compiled pattern for ``needle`` (options recur across a run's turns and items;
    ``re``'s own cache of 512 is too small for a run's option names)."""
    return re.compile(r"(?<!\w)" + _spaced(fold(needle)) + r"(?!\w)")


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
