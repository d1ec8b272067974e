"""``answer_by: loglik``: a turn whose text nothing reads is scored, not generated."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import yaml

from evalkit.dry_run import estimate_run
from evalkit.messages import Message
from evalkit.plan import build_plan
from evalkit.providers.base import GenerationParams, ModelAdapter, ModelResponse, OptionScores
from evalkit.runner import run_sample

CAPITALS = ["Paris", "Rome", "Berlin", "Madrid"]


class ScriptedScorer(ModelAdapter):
    """Scores the second option highest; counts every call."""

    supports_option_scores = True

    def __init__(self) -> None:
        self.generated: list[list[Message]] = []
        self.scored: list[list[Message]] = []

    async def generate(self, messages: list[Message], params: GenerationParams) -> ModelResponse:
        self.generated.append(messages)
        return ModelResponse(text=f"reply {len(self.generated)}", finish_reason="stop")

    async def score_options(self, messages: list[Message], options: list[str]) -> OptionScores:
        self.scored.append(messages)
        return OptionScores(
            options=options,
            logprobs=[-1.0 if i == 1 else -5.0 for i in range(len(options))],
            num_tokens=[1] * len(options),
        )

    def describe(self) -> dict[str, Any]:
        return {}


def plan_for(tmp_path: Path, *templates: str):
    rows = [
        {
            "id": "c0",
            "question": "What is the capital of France?",
            "choices": CAPITALS,
            "correct_answer": "Paris",
            "incorrect_answer": "Rome",
        }
    ]
    data = tmp_path / "toy.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    config = {
        "name": "loglik",
        "models": [{"provider": "transformers", "model": "smollm2-135m-instruct"}],
        "datasets": [str(data)],
        "conditions": [{"template": t, "answer_by": "loglik"} for t in templates],
    }
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(config))
    return build_plan(path)


def test_a_single_turn_loglik_condition_is_not_generated(tmp_path: Path):
    plan = plan_for(tmp_path, "answer/neutral")
    [sample] = plan.samples
    adapter = ScriptedScorer()
    record = asyncio.run(run_sample(sample, plan, adapter))
    assert adapter.generated == [] and len(adapter.scored) == 1
    [turn] = record.turns
    assert turn.option_scores is not None and turn.option_scores.best_index == 1
    # the reply is the chosen option, marked as not generated, and cost nothing
    assert (turn.response.text, turn.response.finish_reason) == ("Rome", "other")
    assert not turn.generated
    assert turn.response.usage.completion_tokens == 0
    assert record.messages[-1] == Message(role="assistant", content="Rome")


def test_turns_whose_reply_is_read_are_still_generated(tmp_path: Path):
    # are_you_sure: turn 2 is asked after the generated turn-1 reply, and its judge reads
    # every reply, so both turns are generated and scored
    plan = plan_for(tmp_path, "are_you_sure/are_you_sure")
    [sample] = plan.samples
    adapter = ScriptedScorer()
    record = asyncio.run(run_sample(sample, plan, adapter))
    assert len(adapter.generated) == len(adapter.scored) == 2
    assert [t.generated for t in record.turns] == [True, True]
    assert [t.response.text for t in record.turns] == ["reply 1", "reply 2"]
    assert adapter.scored[1][1] == Message(role="assistant", content="reply 1")


def test_the_dry_run_counts_only_the_turns_the_runner_generates(tmp_path: Path):
    """A loglik turn nothing reads is scored, not generated: the dry run's requests (and
    its ceiling on completion tokens) leave it out, as the run does."""
    for template, generated in (("answer/neutral", 0), ("are_you_sure/are_you_sure", 2)):
        plan = plan_for(tmp_path, template)
        [sample] = plan.samples
        adapter = ScriptedScorer()
        asyncio.run(run_sample(sample, plan, adapter))
        assert len(adapter.generated) == generated
        [estimate] = estimate_run(plan, plan.samples, None).models
        # confirmations are a ceiling: asked only when an answer is unreadable
        assert estimate.requests - estimate.confirmations_max == generated, template
        assert estimate.scoring_calls >= len(adapter.scored) >= 1
        max_new = plan.config.models[0].generation.max_new_tokens
        assert estimate.completion_tokens_max == estimate.requests * max_new
