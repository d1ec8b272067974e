"""Stored judge verdicts as scorers read them: by (sample id, question), never by calling a judge.

A verdict is *judged* (the judge gave one allowed label), *unparsed* (it
replied, but not with exactly one allowed label) or *missing* (not judged yet,
or the request failed). Scorers count the last two and leave them out of
rates instead of guessing.

A run's current verdicts are indexed once when the run is loaded and handed to
every metric computation (``scorers.contract.Metric.compute``), so the family
table, headline, gates, compare and export all read the same verdicts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from evalkit.judges.judgements import Judgement

VerdictState = Literal["judged", "unparsed", "missing"]


class Verdict(BaseModel):
    model_config = ConfigDict(frozen=True)

    state: VerdictState
    value: str | None = None


class Verdicts:
    """An index of judgements; later lines win (a re-judged question replaces the old verdict)."""

    def __init__(self, judgements: Iterable[Judgement] = ()) -> None:
        self._by_key: dict[tuple[str, str], Judgement] = {
            (j.sample_id, j.question): j for j in judgements
        }

    def __len__(self) -> int:
        return len(self._by_key)

    def __repr__(self) -> str:
        return f"Verdicts({len(self)} verdicts)"

    def get(self, sample_id: str, question: str) -> Verdict:
        judgement = self._by_key.get((sample_id, question))
        if judgement is None:
            return Verdict(state="missing")
        if judgement.value is None:
            return Verdict(state="unparsed")
        return Verdict(state="judged", value=judgement.value)


#: the verdicts of a run without judges (every question missing)
NO_VERDICTS = Verdicts()


class JudgeCounts(BaseModel):
    """How many questions a scorer needed answered, and how many it got."""

    model_config = ConfigDict(frozen=True)

    asked: int = 0
    judged: int = 0
    unparsed: int = 0
    missing: int = 0

    def add(self, state: VerdictState) -> JudgeCounts:
        return self.model_copy(update={"asked": self.asked + 1, state: getattr(self, state) + 1})
