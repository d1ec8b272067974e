"""What a judging pass writes: one verdict per (sample, question, judge), with its raw reply."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from evalkit.messages import Message


def judgement_key(sample_id: str, question: str, fingerprint: str) -> str:
    """Identity of a verdict; a resumed pass skips the keys already in the file."""
    return f"{sample_id}|{question}|{fingerprint}"


class Judgement(BaseModel):
    """One judge verdict. ``label`` is None when the reply was not exactly one allowed label."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    sample_id: str
    family: str
    question: str = Field(description="e.g. more_positive_than:baseline, attribution, stance@3")
    judge: str = Field(description="Label of the judge entry in the config.")
    judge_model: str = Field(description="provider:model of the judge.")
    response_model: str = Field(default="", description="Model id the provider reported.")
    fingerprint: str = Field(description="Hash of the judge's identity and its prompt template.")
    template: str
    prompt: list[Message]
    raw: str
    label: str | None
    value: str | None = Field(description="What the label means, from the template's header.")
    context: dict[str, Any] = Field(default_factory=dict)
    cached: bool = False
    judged_at: datetime

    @property
    def parsed(self) -> bool:
        return self.label is not None


class JudgeError(BaseModel):
    """A judge request that failed after its retries; the next run asks again."""

    model_config = ConfigDict(extra="forbid")

    key: str
    sample_id: str
    question: str
    judge: str
    error_type: str
    message: str
    at: datetime


class JudgeInfo(BaseModel):
    """A family's judge as the manifest records it, with what the last pass left undone."""

    model_config = ConfigDict(extra="forbid")

    family: str
    judge: str = Field(description="Label of the judge entry.")
    provider: str
    model: str
    fingerprints: dict[str, str] = Field(description="Judge template -> verdict fingerprint.")
    judged_by_itself: list[str] = Field(
        default_factory=list,
        description="Models under test that are also this judge: their verdicts grade themselves.",
    )
    requests: int = Field(default=0, description="Questions the records need judged.")
    judged: int = Field(default=0, description="Of those, with a stored verdict.")
    unparsed: int = Field(default=0, description="Stored verdicts that are not a label.")
    failed: int = Field(default=0, description="Requests that failed in the last pass.")
    describe: dict[str, Any] = Field(default_factory=dict)

    @property
    def pending(self) -> int:
        return self.requests - self.judged


#: Share of a judge's verdicts unparsed from which the run says so, loudly.
UNPARSED_WARNING_SHARE = 0.1


def judge_warnings(judges: dict[str, JudgeInfo]) -> list[str]:
    """One loud line per family whose judge is also a model under test, and per family
    whose judge's replies are often no verdict (every figure it reads is then unreadable,
    or not correct: a judge cut short by its max_new_tokens looked like a sycophantic
    model)."""
    own = [
        f"the {info.family} judge {info.judge!r} ({info.provider}:{info.model}) is also the "
        f"model under test {', '.join(info.judged_by_itself)}: it grades its own replies"
        for info in judges.values()
        if info.judged_by_itself
    ]
    unparsed = [
        f"the {info.family} judge {info.judge!r} gave no verdict in {info.unparsed} of "
        f"{info.judged} replies ({info.unparsed / info.judged:.0%}), each counted as unreadable "
        "(left out of a rate, or inside it where the figure's paper counts it, as for "
        "admits-mistake): "
        "check its replies in judgements.jsonl (raw); a judge cut short by its "
        "generation.max_new_tokens, or one that does not end with the label, gives none"
        for info in judges.values()
        if info.judged and info.unparsed / info.judged >= UNPARSED_WARNING_SHARE
    ]
    return own + unparsed
