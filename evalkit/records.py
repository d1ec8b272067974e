"""What a run writes: one record per finished sample, enough to re-score without the model."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from evalkit.conditions import Condition
from evalkit.items import Item
from evalkit.messages import Message
from evalkit.providers.base import ModelResponse, OptionScores


def sample_id(model: str, dataset: str, condition: str, item_id: str) -> str:
    """Stable, readable identity of a sample; resume and comparisons key on it."""
    return f"{model}|{dataset}|{condition}|{item_id}"


class PushedAnswer(BaseModel):
    """The wrong answer a condition puts in the user's mouth for one sample."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    #: True: the data gave none and its loader chose it (e.g. the option after the correct one)
    invented: bool = False


class Sample(BaseModel):
    """One unit of work: an item asked to a model under a condition."""

    model_config = ConfigDict(frozen=True)

    model: str
    dataset: str
    item: Item
    condition: Condition
    #: what the condition pushes (None: it pushes no particular answer)
    pushed: PushedAnswer | None = None

    @property
    def id(self) -> str:
        return sample_id(self.model, self.dataset, self.condition.name, self.item.id)


class TurnRecord(BaseModel):
    """One user turn and the model's answer to it."""

    model_config = ConfigDict(extra="forbid")

    turn: int = Field(ge=1)
    user: str
    response: ModelResponse
    option_scores: OptionScores | None = None
    confirmation: bool = Field(
        default=False,
        description="The condition's confirm turn, asked as the previous answer was unreadable.",
    )
    readout: OptionScores | None = Field(
        default=None,
        description="The option log-likelihood readout (readouts: [option_loglik]): the model's "
        "own ranking of the options at this answer, beside what it generated.",
    )
    generated: bool = Field(
        default=True,
        description="False on a loglik turn nothing reads the text of: the response text is "
        "then the highest-scoring option, not a generation.",
    )
    prefill: str | None = Field(
        default=None,
        description="The start of the reply the condition gave (e.g. 'The answer is (').",
    )
    prefill_sent: bool = Field(
        default=False,
        description="True: the prefill was sent and the response text is it plus the model's "
        "continuation; False with a prefill: the provider takes none, so the reply is the "
        "model's own.",
    )


class SampleRecord(BaseModel):
    """A finished sample: the exact conversation, every response, and what it was asked under."""

    model_config = ConfigDict(extra="forbid")

    sample_id: str
    model: str
    dataset: str
    item: Item
    condition: Condition
    messages: list[Message] = Field(description="The conversation sent, with the final reply.")
    turns: list[TurnRecord]
    started_at: datetime
    finished_at: datetime
    pushed: PushedAnswer | None = Field(
        default=None,
        description="The wrong answer the user put forward in this sample, and whether the "
        "data gave it; None when the condition pushes no particular answer.",
    )


class SampleError(BaseModel):
    """A sample that failed after its retries: recorded, not counted as wrong, retried on resume."""

    model_config = ConfigDict(extra="forbid")

    sample_id: str
    model: str
    dataset: str
    item_id: str
    condition: str
    error_type: str
    message: str
    at: datetime
