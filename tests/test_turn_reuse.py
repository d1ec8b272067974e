"""What a local model keeps between turns and shares between identical requests (no model)."""

from __future__ import annotations

import asyncio

import pytest
import torch

from evalkit.messages import Message
from evalkit.providers.shared_requests import SharedRequests
from evalkit.providers.turn_cache import (
    KeptTurn,
    TurnCache,
    as_next_turn_sees_it,
    conversation_key,
    history_of,
)


def turn(tokens: list[int], kept: int, layers: int = 2) -> KeptTurn:
    """A kept turn whose first ``kept`` tokens have (1, 3, kept, 4) float32 keys and values."""
    return KeptTurn(
        tokens=tokens,
        layers=[(torch.zeros(1, 3, kept, 4), torch.zeros(1, 3, kept, 4)) for _ in range(layers)],
    )


def test_a_prompt_reuses_the_tokens_it_shares_and_keeps_its_last_one():
    kept = turn([1, 2, 3, 4, 5, 6], kept=5)  # the last generated token has no keys yet
    assert kept.length == 5 and kept.nbytes == 2 * 2 * 3 * 5 * 4 * 4
    assert kept.reusable([1, 2, 3, 4, 5, 6, 7, 8]) == 5
    assert kept.reusable([1, 2, 9, 4, 5, 6, 7]) == 2  # a reply re-tokenized differently
    assert kept.reusable([1, 2, 3]) == 2  # the prompt's last token always runs
    assert kept.reusable([7, 1, 2]) == 0


def test_the_history_a_later_turn_looks_up():
    system = Message(role="system", content="Be brief.")
    question = Message(role="user", content="Capital of France?")
    reply = Message(role="assistant", content="Paris.")
    doubt = Message(role="user", content="Are you sure?")
    assert history_of([system, question]) is None  # a first turn
    assert history_of([system, question, reply, doubt]) == [system, question, reply]
    prefill = Message(role="assistant", content="The answer is (")
    assert history_of([question, reply, doubt, prefill]) == [question, reply]
    # kept under the conversation as the next turn sends it, prefill and continuation joined
    after = as_next_turn_sees_it([question, reply, doubt, prefill], "B) Paris")
    assert after[-1] == Message(role="assistant", content="The answer is (B) Paris")
    assert conversation_key(after[:-1]) != conversation_key(after)
    assert conversation_key(as_next_turn_sees_it([question], "Paris.")) == conversation_key(
        [question, reply]
    )


def test_the_oldest_turns_go_first_beyond_the_budget():
    one = turn([1, 2, 3], kept=2).nbytes
    cache = TurnCache(budget_bytes=2 * one)
    cache.keep("a", turn([1, 2, 3], kept=2))
    cache.keep("b", turn([1, 2, 3], kept=2))
    assert cache.find("a") is not None  # used: now the most recent
    cache.keep("c", turn([1, 2, 3], kept=2))
    assert cache.find("b") is None and cache.find("a") is not None and cache.find("c") is not None
    assert len(cache) == 2 and cache.bytes == 2 * one
    assert (cache.lookups, cache.hits) == (4, 3)
    cache.keep("huge", turn([1] * 10, kept=9))  # larger than the whole budget: not kept
    assert cache.find("huge") is None and len(cache) == 2


def test_identical_requests_in_flight_and_later_share_one_computation():
    calls: list[str] = []

    async def compute(key: str) -> str:
        calls.append(key)
        await asyncio.sleep(0.01)
        return key.upper()

    async def main() -> list[tuple[str, bool]]:
        shared: SharedRequests[str] = SharedRequests()
        together = await asyncio.gather(*(shared.run(k, lambda k=k: compute(k)) for k in "aab"))
        later = await shared.run("a", lambda: compute("a"))
        return [*together, later]

    # each result says whether it was another caller's
    assert asyncio.run(main()) == [("A", False), ("A", True), ("B", False), ("A", True)]
    assert calls == ["a", "b"]


def test_a_failure_is_delivered_to_every_caller_and_not_remembered():
    attempts = 0

    async def flaky() -> str:
        nonlocal attempts
        attempts += 1
        await asyncio.sleep(0)
        if attempts == 1:
            raise RuntimeError("batch failed")
        return "ok"

    async def main() -> tuple[str, bool]:
        shared: SharedRequests[str] = SharedRequests()
        results = await asyncio.gather(
            shared.run("k", flaky), shared.run("k", flaky), return_exceptions=True
        )
        assert [type(r) for r in results] == [RuntimeError, RuntimeError]
        return await shared.run("k", flaky)

    assert asyncio.run(main()) == ("ok", False) and attempts == 2


def test_one_caller_cancelled_leaves_the_others_answer():
    async def slow() -> str:
        await asyncio.sleep(0.05)
        return "done"

    async def main() -> tuple[str, bool]:
        shared: SharedRequests[str] = SharedRequests()
        first = asyncio.ensure_future(shared.run("k", slow))
        second = asyncio.ensure_future(shared.run("k", slow))
        await asyncio.sleep(0.01)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        return await second

    assert asyncio.run(main()) == ("done", True)


def test_a_later_turn_is_batched_by_what_it_still_has_to_encode():
    from evalkit.providers.transformers_local import _conversation_chars

    question = Message(role="user", content="What is the capital of France?")  # 30
    reply = Message(role="assistant", content="Paris is the capital of France.")
    doubt = Message(role="user", content="Are you sure?")  # 13
    prefill = Message(role="assistant", content="The answer is")  # 13
    assert _conversation_chars([question]) == 30
    assert _conversation_chars([question, reply, doubt]) == 13  # the history is kept
    assert _conversation_chars([question, reply, doubt, prefill]) == 26
    assert _conversation_chars([question, prefill]) == 43
