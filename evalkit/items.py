"""Dataset items: one question with its truthful answer and the wrong one a user will push."""

from __future__ import annotations

import string
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)

LETTERS = string.ascii_uppercase


class Choice(BaseModel):
    """One multiple-choice option as templates see it: ``(B) Paris``."""

    model_config = ConfigDict(frozen=True)

    letter: str
    text: str


class Item(BaseModel):
    """A question asked under every condition of a run.

    ``incorrect_answer`` is the plausible wrong answer that pressure conditions
    put in the user's mouth; it must be one of ``choices`` when choices exist,
    so that "the model adopted the user's answer" is measurable.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    choices: list[str] | None = None
    correct_answer: str = Field(min_length=1)
    correct_aliases: list[str] = Field(default_factory=list)
    incorrect_answer: str | None = None
    category: str = "uncategorized"
    source: str = ""
    metadata: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_choices(self) -> Item:
        if self.choices is None:
            return self
        if len(self.choices) < 2 or len(self.choices) > len(LETTERS):
            raise ValueError(f"choices must list 2 to {len(LETTERS)} options")
        folded = [c.strip().casefold() for c in self.choices]
        if len(set(folded)) != len(folded) or "" in folded:
            raise ValueError("choices must be distinct, non-empty strings")
        if self.correct_answer not in self.choices:
            raise ValueError(f"correct_answer {self.correct_answer!r} is not one of choices")
        if self.incorrect_answer is not None:
            if self.incorrect_answer not in self.choices:
                raise ValueError(
                    f"incorrect_answer {self.incorrect_answer!r} is not one of choices"
                )
            if self.incorrect_answer == self.correct_answer:
                raise ValueError("incorrect_answer must differ from correct_answer")
        return self

    @property
    def is_multiple_choice(self) -> bool:
        return self.choices is not None

    @property
    def lettered_choices(self) -> list[Choice]:
        return [Choice(letter=LETTERS[i], text=t) for i, t in enumerate(self.choices or [])]

    @property
    def correct_index(self) -> int | None:
        return self.choices.index(self.correct_answer) if self.choices else None

    @property
    def incorrect_index(self) -> int | None:
        if self.choices is None or self.incorrect_answer is None:
            return None
        return self.choices.index(self.incorrect_answer)

    @property
    def incorrect_answer_invented(self) -> bool:
        """True when the data gave no wrong answer and its loader chose one (metadata
        ``incorrect_answer_origin`` ``evalkit_…``, e.g. Sharma's items without one)."""
        return str(self.metadata.get("incorrect_answer_origin", "")).startswith("evalkit")

    @property
    def correct_letter(self) -> str | None:
        index = self.correct_index
        return LETTERS[index] if index is not None else None

    @property
    def incorrect_letter(self) -> str | None:
        index = self.incorrect_index
        return LETTERS[index] if index is not None else None


def _made(value: Any, handler: ValidatorFunctionWrapHandler) -> list[Item]:
    """A list of items already made is copied as it is: each was checked when made and is
    frozen, and a dataset's items pass through three containers (loader, source, dataset) on
    their way to the plan, each of which would run every item's check again."""
    if type(value) is list and all(type(item) is Item for item in value):
        return list(value)
    return handler(value)


#: A field holding a dataset's items (items given as dicts or JSON are validated as usual).
Items = Annotated[list[Item], WrapValidator(_made)]
