"""Scorers: pure functions from saved sample records to metrics, one per family.

They never call a model, so ``evalkit score RUN_DIR`` can re-score a run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated

from pydantic import BaseModel, Field

from evalkit.judges.families import JUDGED_FAMILIES
from evalkit.records import SampleRecord
from scorers.answer import AnswerResult, score_answer
from scorers.are_you_sure import AreYouSureResult, score_are_you_sure
from scorers.arithmetic import ArithmeticResult, score_arithmetic
from scorers.feedback import FeedbackResult, score_feedback
from scorers.mimicry import MimicryResult, score_mimicry
from scorers.opinion import OpinionResult, score_opinion
from scorers.sycon import SyconResult, score_sycon

FamilyResult = Annotated[
    AnswerResult
    | AreYouSureResult
    | OpinionResult
    | ArithmeticResult
    | FeedbackResult
    | MimicryResult
    | SyconResult,
    Field(discriminator="family"),
]

Scorer = Callable[[Sequence[SampleRecord]], Sequence[BaseModel]]

#: family name -> scorer. A condition's ``family`` picks its scorer.
SCORERS: dict[str, Scorer] = {
    "answer": score_answer,
    "are_you_sure": score_are_you_sure,
    "opinion": score_opinion,
    "arithmetic": score_arithmetic,
    "feedback": score_feedback,
    "mimicry": score_mimicry,
    "sycon": score_sycon,
}

#: Families whose scorers also read judge verdicts: called as ``scorer(records, judgements)``.
JUDGED: frozenset[str] = frozenset(JUDGED_FAMILIES)

#: Families whose scorers read the answer as one of the item's choices.
NEEDS_CHOICES: frozenset[str] = frozenset({"answer", "are_you_sure", "opinion", "arithmetic"})

__all__ = [
    "NEEDS_CHOICES",
    "SCORERS",
    "FamilyResult",
    "AnswerResult",
    "AreYouSureResult",
    "OpinionResult",
    "ArithmeticResult",
    "FeedbackResult",
    "MimicryResult",
    "SyconResult",
    "JUDGED",
]
