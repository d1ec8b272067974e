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
    "3×10^8" are "-sin(x)" and "3 × 10^8"; words need a space between them.

    Found by string search, not by a pattern compiled per name: a run has more distinct
    names (every "1,001" of a numeric item) than any pattern cache holds, and compiling
    cost more than the reading it served."""
    if not needle.strip():
        return []
    word = fold(needle).strip()
    if _ONE_WORD.fullmatch(word):  # most names: one word
        return [
            (folded.origin[a], folded.origin[a + len(word) - 1] + 1)
            for a in _words_at(folded.text, word)
        ]
    for part in word.split():
        if part.isalnum() and part not in folded.text:
            return []  # a whole word of the name is not in the reply (quicker than tokenising)
    return [
        (folded.origin[a], folded.origin[end - 1] + 1)
        for a, end in phrase_at(folded.text, _TOKEN.findall(word))
    ]


_ONE_WORD = re.compile(r"\w+")
#: a name's parts: its words and, one by one, the symbols between them
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _is_word(c: str) -> bool:
    r"""Whether ``c`` is what ``\w`` matches in a str pattern."""
    return c.isalnum() or c == "_"


def _words_at(text: str, word: str) -> list[int]:
    r"""Where ``word`` (word characters only) stands as a whole word: what the pattern
    ``(?<!\w)word(?!\w)`` finds (a character is ``\w`` when alphanumeric or "_")."""
    found, at = [], text.find(word)
    while at >= 0:
        end = at + len(word)
        before = text[at - 1] if at else " "
        after = text[end] if end < len(text) else " "
        if not _is_word(before) and not _is_word(after):
            found.append(at)
            at = text.find(word, end)
        else:
            at = text.find(word, at + 1)
    return found


def phrase_at(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    r"""Where ``tokens`` (words, and symbols one character each) stand in turn, as (start,
    end), not overlapping: what ``finditer`` finds for ``(?<!\w)`` + the tokens + ``(?!\w)``
    with ``\s+`` between two words and ``\s*`` beside a symbol."""
    found: list[tuple[int, int]] = []
    first = tokens[0]
    at = text.find(first)
    while at >= 0:
        end = None if at and _is_word(text[at - 1]) else _tokens_from(text, at, tokens)
        if end is None:
            at = text.find(first, at + 1)
        else:
            found.append((at, end))
            at = text.find(first, end)
    return found


def _tokens_from(text: str, start: int, tokens: list[str]) -> int | None:
    """Where ``tokens`` matched from ``start`` end (then a non-word character or the end of
    the text), or None. Spaces are never part of a token, so no choice is ever undone."""
    at = start + len(tokens[0])
    for previous, token in zip(tokens, tokens[1:], strict=False):
        gap = at
        while at < len(text) and text[at].isspace():
            at += 1
        if at == gap and _is_word(previous[-1]) and _is_word(token[0]):
            return None
        if not text.startswith(token, at):
            return None
        at += len(token)
    if at < len(text) and _is_word(text[at]):
        return None
    return at
