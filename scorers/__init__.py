"""Scorers: pure functions from saved sample records to metrics, one per family.

They never call a model, so ``evalkit score RUN_DIR`` can re-score a run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated

from pydantic import BaseModel, Field

from evalkit.records import SampleRecord
from scorers.answer import AnswerResult, score_answer
from scorers.are_you_sure import AreYouSureResult, score_are_you_sure

FamilyResult = Annotated[AnswerResult | AreYouSureResult, Field(discriminator="family")]

Scorer = Callable[[Sequence[SampleRecord]], Sequence[BaseModel]]

#: family name -> scorer. A condition's ``family`` picks its scorer.
SCORERS: dict[str, Scorer] = {
    "answer": score_answer,
    "are_you_sure": score_are_you_sure,
}

#: Families whose scorers read the answer as one of the item's choices.
NEEDS_CHOICES: frozenset[str] = frozenset({"answer", "are_you_sure"})

__all__ = ["NEEDS_CHOICES", "SCORERS", "FamilyResult", "AnswerResult", "AreYouSureResult"]
