"""What a run writes: one record per finished sample, enough to re-score without the model."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field

from evalkit.conditions import Condition
from evalkit.items import Item
from evalkit.messages import Message
from evalkit.providers.base import ModelResponse, OptionScores, Usage


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
    turns: list[TurnRecord] = Field(min_length=1)
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


class RecordSharing:
    """Makes loaded records share what they repeat, so a run's records fit in less memory.

    Records read back from ``results.jsonl`` are each parsed on their own: every one
    gets its own copy of its condition (the same few for the whole run) and of its item
    (the same under every condition), the conversation's texts twice (in ``messages``
    and in ``turns``), and for each of its ~10 models a set of the field names given,
    which pydantic allocates per instance (~730 bytes once it holds 5 names: half of a
    record's memory). Here equal conditions and items become one object, each message
    text the turn's equal string, equal token counts (a response's ``usage``, ~260
    bytes a turn) one object, items without aliases or metadata one empty list and one
    empty dict (~120 bytes an item), and instances with the same field names share one
    set. (Short strings, like the model and role, the JSON parser already shares.)
    Values and equality are unchanged; the token counts, those empty containers and
    ``model_fields_set`` are shared, which nothing in evalkit mutates on a loaded record
    (an attribute assigned, or an alias added, later would change every record sharing it).
    """

    def __init__(self, *, conversations: bool = True) -> None:
        """``conversations=False``: records for scoring, whose ``messages`` are dropped (the
        scorers read the conversation from ``turns``; ~490 bytes a record), all sharing one
        empty list."""
        self._conversations = conversations
        self._conditions: dict[Condition, Condition] = {}
        self._items: dict[tuple[str, str], Item] = {}
        self._field_sets: dict[frozenset[str], set[str]] = {}
        self._usages: dict[tuple[int, int], Usage] = {}
        self._no_aliases: list[str] = []
        self._no_metadata: dict[str, Any] = {}
        self._no_messages: list[Message] = []
        #: ids of the conditions and items held above, whose field sets are shared already
        self._walked: set[int] = set()

    def share(self, record: SampleRecord) -> SampleRecord:
        """``record``, its parts replaced by equal ones already held (it is changed in place)."""
        fields = record.__dict__
        condition = self._conditions.setdefault(record.condition, record.condition)
        if condition is record.condition:  # new: walked below, then held
            self._share_field_sets(condition)
            self._walked.add(id(condition))
        fields["condition"] = condition
        key = (record.dataset, record.item.id)
        known = self._items.get(key)
        if known is None:
            self._items[key] = self._share_empty(record.item)
            self._share_field_sets(record.item)
            self._walked.add(id(record.item))
        elif known == record.item:
            fields["item"] = known
        for turn in record.turns:
            response = turn.response.__dict__
            usage = response["usage"]
            counts = (usage.prompt_tokens, usage.completion_tokens)
            response["usage"] = self._usages.setdefault(counts, usage)
        if not self._conversations:
            fields["messages"] = self._no_messages  # one empty list for all (~1 MB at 16,000)
        texts = {t: t for turn in record.turns for t in (turn.user, turn.response.text)}
        for message in record.messages:
            same = texts.get(message.content)
            if same is not None:
                message.__dict__["content"] = same
        self._share_field_sets(record)
        return record

    def _share_empty(self, item: Item) -> Item:
        """``item`` with its empty aliases and metadata replaced by the shared empty ones."""
        fields = item.__dict__
        if not fields["correct_aliases"]:
            fields["correct_aliases"] = self._no_aliases
        if not fields["metadata"]:
            fields["metadata"] = self._no_metadata
        return item

    def _share_field_sets(self, value: BaseModel) -> None:
        """Share the field sets of ``value`` and of the models in its fields and lists (a
        list whose first element is no model, like choices or token ids, is not walked).
        Only fields whose type can hold a model are looked at; a condition or item already
        held (walked when first seen) is not walked again."""
        if id(value) in self._walked:
            return
        names = value.__pydantic_fields_set__
        shared = self._field_sets.setdefault(frozenset(names), names)
        if shared is not names:
            object.__setattr__(value, "__pydantic_fields_set__", shared)
        fields = value.__dict__
        for name in _may_hold_models(type(value)):
            field = fields[name]
            if isinstance(field, BaseModel):
                self._share_field_sets(field)
            elif type(field) is list and field and isinstance(field[0], BaseModel):
                for element in field:
                    if isinstance(element, BaseModel):
                        self._share_field_sets(element)


@cache
def _may_hold_models(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` whose type can hold a model (or a list of them): a model,
    ``Any``, or a type with either among its arguments."""
    return tuple(name for name, info in model.model_fields.items() if _holds(info.annotation))


def _holds(annotation: Any) -> bool:
    if annotation is Any or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return True
    return any(_holds(argument) for argument in get_args(annotation))
