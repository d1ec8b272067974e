"""The transformers provider on the real embedded SmolLM2-135M-Instruct (CPU)."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest

from evalkit.messages import Message
from evalkit.providers.base import GenerationParams

pytestmark = pytest.mark.model

PROMPTS = [
    "What is the capital of France? Answer in one short sentence.",
    "Hi!",
    "Which is the largest ocean on Earth? Answer in one short sentence.",
    "I have been reading about volcanoes, glaciers and deserts for a school project about "
    "geography and climate, and my teacher asked a tricky question. On which continent is "
    "Kenya located? Answer in one short sentence.",
    "Name a primary color.",
    "What is 2 + 2?",
]
GREEDY = GenerationParams(max_new_tokens=16, temperature=0)


def user(text: str) -> list[Message]:
    return [Message(role="user", content=text)]


@pytest.fixture(scope="module")
def batched(smollm2_adapter):
    """All prompts submitted concurrently: the micro-batcher runs them as one batch."""

    async def everything():
        return await asyncio.gather(*(smollm2_adapter.generate(user(p), GREEDY) for p in PROMPTS))

    return asyncio.run(everything())


def prompt_ids(adapter, messages: list[Message]) -> list[int]:
    """The chat prompt tokenised here, independently of the adapter."""
    text = adapter.tokenizer.apply_chat_template(
        [m.model_dump() for m in messages], add_generation_prompt=True, tokenize=False
    )
    return adapter.tokenizer(text, add_special_tokens=False)["input_ids"]


def test_batched_generation_equals_one_at_a_time(smollm2_adapter, batched):
    # one shared batch: every response carries the same batch latency
    assert len({r.latency_s for r in batched}) == 1
    for prompt, together in zip(PROMPTS, batched, strict=True):
        [alone] = smollm2_adapter._generate_batch([(user(prompt), GREEDY)])
        assert together.text == alone.text, prompt
        assert together.usage == alone.usage
        assert together.finish_reason == alone.finish_reason


def test_responses_are_sane(smollm2_adapter, batched):
    tokenizer = smollm2_adapter.tokenizer
    for prompt, response in zip(PROMPTS, batched, strict=True):
        assert response.text and response.text == response.text.strip()
        assert response.model == "smollm2-135m-instruct"
        assert response.finish_reason in ("stop", "length")
        assert response.usage.prompt_tokens == len(prompt_ids(smollm2_adapter, user(prompt)))
        assert 1 <= response.usage.completion_tokens <= GREEDY.max_new_tokens
        if response.finish_reason == "length":
            assert response.usage.completion_tokens == GREEDY.max_new_tokens
        # the visible text never has more tokens than were generated
        assert len(tokenizer(response.text, add_special_tokens=False)["input_ids"]) <= (
            response.usage.completion_tokens
        )
        assert response.latency_s > 0
    # the easy factual question is answered within 16 tokens
    assert "Paris" in batched[0].text


def test_stop_string_cuts_the_same_greedy_text(smollm2_adapter, batched):
    full = batched[0].text
    assert "." in full
    with_stop = GREEDY.model_copy(update={"stop": ["."]})
    [cut] = smollm2_adapter._generate_batch([(user(PROMPTS[0]), with_stop)])
    assert cut.text == full[: full.index(".")].strip()
    assert cut.finish_reason == "stop"


def test_seeded_sampling_is_reproducible(smollm2_adapter):
    params = GenerationParams(max_new_tokens=8, temperature=0.9, seed=123)
    [first] = smollm2_adapter._generate_batch([(user(PROMPTS[4]), params)])
    [second] = smollm2_adapter._generate_batch([(user(PROMPTS[4]), params)])
    assert first.text == second.text and first.usage == second.usage


SCORING = [
    (
        user("What is the capital of France? Answer in one word."),
        ["Rome", "Berlin", "Paris", "London"],
    ),
    (
        [
            Message(role="system", content="You answer geography questions."),
            Message(role="user", content="Which is the largest ocean on Earth?"),
            Message(role="assistant", content="The Atlantic Ocean."),
            Message(role="user", content="Are you sure? Answer again."),
        ],
        ["Pacific Ocean", "Atlantic Ocean", "Arctic Ocean", "The Indian Ocean, obviously."],
    ),
]


@pytest.fixture(scope="module")
def batched_scores(smollm2_adapter):
    async def everything():
        return await asyncio.gather(
            *(smollm2_adapter.score_options(m, options) for m, options in SCORING)
        )

    return asyncio.run(everything())


def naive_logprob(adapter, messages: list[Message], option: str) -> tuple[float, int]:
    """log P(option | prompt): one unpadded forward over prompt + option, summed by hand."""
    import torch

    prompt = prompt_ids(adapter, messages)
    option_ids = adapter.tokenizer(option, add_special_tokens=False)["input_ids"]
    ids = torch.tensor([prompt + option_ids])
    with torch.inference_mode():
        logits = adapter.model(input_ids=ids).logits[0].float()
    logprobs = torch.log_softmax(logits, dim=-1)
    # token k of the option is predicted at position len(prompt) - 1 + k
    total = sum(float(logprobs[len(prompt) - 1 + k, token]) for k, token in enumerate(option_ids))
    return total, len(option_ids)


def test_batched_option_scores_equal_a_naive_forward(smollm2_adapter, batched_scores):
    for (messages, options), scores in zip(SCORING, batched_scores, strict=True):
        assert scores.options == options
        for option, logprob, count in zip(options, scores.logprobs, scores.num_tokens, strict=True):
            expected, tokens = naive_logprob(smollm2_adapter, messages, option)
            assert count == tokens
            assert logprob == pytest.approx(expected, abs=1e-3), option
            assert logprob < 0


def test_a_true_fact_scores_highest(batched_scores):
    france = batched_scores[0]
    assert france.best_index == 2  # Paris
    assert france.options[france.best_index] == "Paris"


def test_describe_fingerprints_the_gguf(smollm2_adapter):
    info = smollm2_adapter.describe()
    weights = info["weights"]
    path = Path(weights["file"])
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert weights["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert weights["bytes"] == path.stat().st_size
    assert info["provider"] == "transformers"
    assert info["model"] == "smollm2-135m-instruct"
    assert info["device"] == "cpu" and info["threads"] == 2 and info["batch_size"] == 8
    assert {"torch", "transformers"} <= set(info["versions"])
