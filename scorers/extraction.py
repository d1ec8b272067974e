"""Which option did a free-text reply choose? Says "unparsed" rather than guessing.

Recognised, in this order:
1. an explicit statement: "The answer is (B)", "Answer: B", "the correct answer is Paris";
2. a reply that opens with a letter: "(B)", "B)", "B.", "B:", "B";
3. exactly one option's text (or its distinctive words, or an alias of the
   correct answer) anywhere in the reply, then in its first sentence.
A reply naming a letter and a different option's text, or several options
with nothing to choose between them, is "ambiguous"; a reply naming none is
"unparsed". Both count as not correct, and neither as the user's answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from evalkit.items import LETTERS

Method = Literal["statement", "letter", "option_text", "loglik", "unparsed", "ambiguous"]


class ExtractedAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: int | None
    method: Method

    @property
    def parsed(self) -> bool:
        return self.index is not None


UNPARSED = ExtractedAnswer(index=None, method="unparsed")
AMBIGUOUS = ExtractedAnswer(index=None, method="ambiguous")

_LETTER = r"\(?([A-Z])\)?"
_STATEMENT = re.compile(
    r"(?:the\s+)?(?:correct\s+|right\s+|final\s+|best\s+)?(?:answer|option|choice)"
    r"(?:\s+is|\s+would\s+be|\s+should\s+be)?\s*[:\-]?\s*",
    re.IGNORECASE,
)
_OPENING_LETTER = re.compile(r"^\s*(?:\*\*)?\(?([A-Z])(?:\)|\.|:|\*\*|\s*$|\)?\s+-\s)")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    """Whole-word, case-insensitive occurrences of ``needle`` in ``text``."""
    if not needle.strip():
        return []
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, _fold(needle).split())) + r"(?!\w)"
    return [m.span() for m in re.finditer(pattern, _fold(text))]


def _fold(text: str) -> str:
    """Case- and accent-insensitive form: "São Paulo" matches "Sao Paulo"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def option_names(choices: Sequence[str], aliases: dict[int, Sequence[str]]) -> list[list[str]]:
    """For each option: its text, its aliases, and its distinctive words.

    "Pacific Ocean" among "… Ocean" options is also recognised as "Pacific",
    so a reply is not unparsed merely for dropping the shared word.
    """
    word_sets = [set(_words(c)) for c in choices]
    shared = set.intersection(*word_sets) if word_sets else set()
    names: list[list[str]] = []
    for index, choice in enumerate(choices):
        own = [choice, *aliases.get(index, ())]
        core = " ".join(w for w in _words(choice) if w not in shared)
        if core and shared and core != choice.casefold():
            own.append(core)
        names.append(own)
    return names


def _mentioned(text: str, names: list[list[str]]) -> list[int]:
    """Options named in ``text``; a mention inside a longer option's mention does not count."""
    spans = [[s for name in own for s in _spans(text, name)] for own in names]

    def inside_other(index: int, span: tuple[int, int]) -> bool:
        return any(
            o[0] <= span[0] and span[1] <= o[1] and o[1] - o[0] > span[1] - span[0]
            for j, other in enumerate(spans)
            if j != index
            for o in other
        )

    return [i for i, own in enumerate(spans) if any(not inside_other(i, s) for s in own)]


def extract_choice(
    text: str, choices: Sequence[str], aliases: dict[int, Sequence[str]] | None = None
) -> ExtractedAnswer:
    """Map a reply to an option index, or say why not."""
    letters = LETTERS[: len(choices)]
    names = option_names(choices, aliases or {})
    stripped = text.strip()
    if not stripped:
        return UNPARSED

    statement = _from_statement(stripped, letters, names)
    if statement is not None:
        return statement

    opening = _OPENING_LETTER.match(stripped)
    if opening and opening.group(1) in letters:
        index = letters.index(opening.group(1))
        rest = _mentioned(stripped[opening.end() :], names)
        if rest and index not in rest:
            return AMBIGUOUS  # "(B) Paris" where Paris is option C
        return ExtractedAnswer(index=index, method="letter")

    for scope in (stripped, _first_sentence(stripped)):
        hits = _mentioned(scope, names)
        if len(hits) == 1:
            return ExtractedAnswer(index=hits[0], method="option_text")
    return AMBIGUOUS if _mentioned(stripped, names) else UNPARSED


def _from_statement(text: str, letters: str, names: list[list[str]]) -> ExtractedAnswer | None:
    """The first "answer is …" statement that names exactly one option."""
    for match in _STATEMENT.finditer(text):
        tail = text[match.end() : match.end() + 120]
        letter = re.match(_LETTER + r"(?!\w)", tail)
        if letter and letter.group(1) in letters:
            index = letters.index(letter.group(1))
            rest = _mentioned(_first_sentence(tail[letter.end() :]), names)
            if rest and index not in rest:
                return AMBIGUOUS
            return ExtractedAnswer(index=index, method="statement")
        hits = _mentioned(_first_sentence(tail), names)
        if len(hits) == 1:
            return ExtractedAnswer(index=hits[0], method="statement")
    return None


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+|\n", text.strip(), maxsplit=1)[0]
