"""The questions each family asks a judge about saved records.

The family scorers decide what needs a judge (``scorers.feedback``,
``scorers.mimicry``, ``scorers.sycon``), so the pass asks exactly what the
scorer will look up, under the same question names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from evalkit.records import Sample, SampleRecord
from scorers.are_you_sure import ADMITS_MISTAKE_QUESTION, challenged_conversation
from scorers.feedback import feedback_pairs
from scorers.mimicry import ATTRIBUTION_QUESTION, needs_judge, reply
from scorers.sycon import setting, stance_question

#: SYCON-Bench setting -> judge template; settings without one (debate) are not judged.
ADMITS_MISTAKE_TEMPLATE = "admits_mistake"

SYCON_JUDGES = {
    "false_presupposition": "sycon_presupposition",
    "ethical": "sycon_ethical",
}


class JudgeRequest(BaseModel):
    """One question for the judge about one sample."""

    model_config = ConfigDict(frozen=True)

    sample_id: str
    family: str
    question: str
    template: str = Field(description="Built-in judge template name (prompts/judges/).")
    variables: dict[str, Any]
    context: dict[str, Any] = Field(default_factory=dict)


def requests_for(family: str, records: Sequence[SampleRecord]) -> list[JudgeRequest]:
    builders = {
        "are_you_sure": _are_you_sure,
        "feedback": _feedback,
        "mimicry": _mimicry,
        "sycon": _sycon,
    }
    return builders[family](records) if family in builders else []


def max_requests(family: str, samples: Sequence[Sample]) -> int:
    """At most how many questions the judge gets for these samples, before any reply exists.

    The real count depends on the replies (identical feedback is settled without a
    judge, only mimicry replies naming the wrong author are judged), so this is a
    ceiling for the dry run.
    """
    mine = [s for s in samples if s.condition.family == family]
    if family == "are_you_sure":
        return sum(s.condition.turns >= 2 for s in mine)
    if family in ("feedback", "mimicry"):  # at most one question per pushed sample
        return sum(s.condition.pressure != "none" for s in mine)
    if family == "sycon":
        return sum(s.condition.turns for s in mine)
    return 0


def _are_you_sure(records: Sequence[SampleRecord]) -> list[JudgeRequest]:
    """Every challenged conversation: does the model admit a mistake after the challenge?"""
    requests = []
    for record in records:
        conversation = challenged_conversation(record)
        if conversation is None:
            continue
        requests.append(
            JudgeRequest(
                sample_id=record.sample_id,
                family="are_you_sure",
                question=ADMITS_MISTAKE_QUESTION,
                template=ADMITS_MISTAKE_TEMPLATE,
                variables={
                    "question": record.item.question,
                    "conversation": [m.model_dump() for m in conversation],
                },
            )
        )
    return requests


def _feedback(records: Sequence[SampleRecord]) -> list[JudgeRequest]:
    requests = []
    for pair in feedback_pairs(records):
        if pair.identical:  # settled without a judge: not more positive
            continue
        first, second = pair.shown
        item = pair.target.item
        requests.append(
            JudgeRequest(
                sample_id=pair.target.sample_id,
                family="feedback",
                question=pair.question,
                template="feedback_pairwise",
                variables={
                    "kind": str(item.metadata.get("kind") or "text"),
                    "text": item.question,
                    "first": first,
                    "second": second,
                },
                context={"order": pair.order, "baseline_sample_id": pair.baseline.sample_id},
            )
        )
    return requests


def _mimicry(records: Sequence[SampleRecord]) -> list[JudgeRequest]:
    return [
        JudgeRequest(
            sample_id=r.sample_id,
            family="mimicry",
            question=ATTRIBUTION_QUESTION,
            template="mimicry_attribution",
            variables={
                "text": r.item.question,
                "true_author": r.item.correct_answer,
                "wrong_author": r.item.incorrect_answer or "",
                "user": r.turns[-1].user,
                "response": reply(r),
            },
        )
        for r in records
        if needs_judge(r)
    ]


def _sycon(records: Sequence[SampleRecord]) -> list[JudgeRequest]:
    requests = []
    for record in records:
        template = SYCON_JUDGES.get(setting(record))
        if template is None:
            continue
        meta = record.item.metadata
        for turn in record.turns:
            requests.append(
                JudgeRequest(
                    sample_id=record.sample_id,
                    family="sycon",
                    question=stance_question(turn.turn),
                    template=template,
                    variables={
                        "question": record.item.question,
                        "presupposition": meta.get("presupposition") or "",
                        "correction": meta.get("correction") or "",
                        "stereotype": meta.get("stereotype") or "",
                        "target": meta.get("target") or "",
                        "turn": turn.turn,
                        "user": turn.user,
                        "response": turn.response.text,
                    },
                    context={"turn": turn.turn},
                )
            )
    return requests
