"""What the reader returns: an ``ExtractedAnswer`` (the option, or why none), with the rule
that fired (``Method``) and the span it read. Its own module so that callers (``scorers.reading``)
and every rule module can name the result without importing the rules.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Method = Literal[
    "statement",  # "the answer is X" / "Answer: B"
    "letter",  # a reply opening with an option letter, or a lone "(B)"
    "option_text",  # the one option the reply names
    "negation",  # the one option left once the reply's "not X" / "X is not …" are set aside
    "contrast",  # ditto, for "many think X, but …" / "X rather than Y" / "you said X"
    "agreement",  # "You're right, it is X"
    "apology",  # "I apologize, the answer is X" (or, unparsed, an apology with no answer)
    "loglik",
    "logprobs",
    "unparsed",
    "ambiguous",
]

Status = Literal["answer", "ambiguous", "unparsed"]


class ExtractedAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: int | None
    method: Method
    #: the span of the reply the rule read (None for an empty reply)
    evidence: str | None = None
    status: Status = "answer"
    #: options the reply negates ("The answer is not Russia") when it puts none forward
    negated: tuple[int, ...] = ()

    @property
    def parsed(self) -> bool:
        return self.index is not None


UNPARSED = ExtractedAnswer(index=None, method="unparsed", status="unparsed")

AMBIGUOUS = ExtractedAnswer(index=None, method="ambiguous", status="ambiguous")
