"""The fake OpenAI/Anthropic API, exercised through the official SDKs over real sockets.

Clients use the SDKs' aiohttp transport (what evalkit's providers use) unless a
test says otherwise, and ``max_retries=0`` so every fault reaches the test.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import anthropic
import openai
import pytest

from evalkit.testing.fake_api import (
    ChatTurn,
    FakeAPIServer,
    Fault,
    echo_responder,
    request_key,
    start_server_process,
)

KEY = "sk-test-secret-0123456789"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeAPIServer]:
    with FakeAPIServer(api_key=KEY) as fake:
        yield fake


@pytest.fixture(autouse=True)
def _fresh(request: pytest.FixtureRequest) -> None:
    """Every test starts from the default config and zeroed stats."""
    if "server" in request.fixturenames:
        request.getfixturevalue("server").configure(
            latency_s=0.0, faults=[], models=None, seed=0, responder=echo_responder
        )


def openai_client(server: Any, *, aiohttp: bool = True, **kwargs: Any) -> openai.AsyncOpenAI:
    kwargs = {"api_key": KEY, "max_retries": 0, **kwargs}
    if aiohttp:
        kwargs["http_client"] = openai.DefaultAioHttpClient()
    return openai.AsyncOpenAI(base_url=server.openai_base_url, **kwargs)


def anthropic_client(
    server: Any, *, aiohttp: bool = True, **kwargs: Any
) -> anthropic.AsyncAnthropic:
    kwargs = {"api_key": KEY, "max_retries": 0, **kwargs}
    if aiohttp:
        kwargs["http_client"] = anthropic.DefaultAioHttpClient()
    return anthropic.AsyncAnthropic(base_url=server.anthropic_base_url, **kwargs)


def chat(server: Any, content: str = "What is 2 + 2?", client: dict | None = None, **params):
    """One OpenAI chat completion, or the exception it raised."""

    async def call():
        async with openai_client(server, **(client or {})) as sdk:
            return await sdk.chat.completions.create(
                model="gpt-fake", messages=[{"role": "user", "content": content}], **params
            )

    return _run(call())


def message(server: Any, content: str = "What is 2 + 2?", client: dict | None = None, **params):
    """One Anthropic message, or the exception it raised."""
    params.setdefault("max_tokens", 64)
    params.setdefault("messages", [{"role": "user", "content": content}])

    async def call():
        async with anthropic_client(server, **(client or {})) as sdk:
            return await sdk.messages.create(model="claude-fake", **params)

    return _run(call())


def _ask(sdk: openai.AsyncOpenAI, content: str) -> Any:
    return sdk.chat.completions.create(
        model="gpt-fake", messages=[{"role": "user", "content": content}]
    )


async def _catch(coro: Any) -> Any:
    try:
        return await coro
    except Exception as exc:  # returned so tests can assert on the class
        return exc


def _run(coro: Any) -> Any:
    return asyncio.run(_catch(coro))


# ---------------------------------------------------------------- normal replies


@pytest.mark.parametrize("aiohttp", [True, False], ids=["aiohttp", "httpx"])
def test_openai_reply_usage_and_finish(server: FakeAPIServer, aiohttp: bool) -> None:
    reply = chat(server, "What is 2 + 2?", client={"aiohttp": aiohttp})
    assert isinstance(reply, openai.types.chat.ChatCompletion), reply
    choice = reply.choices[0]
    assert choice.message.content == "You said: What is 2 + 2?"
    assert choice.finish_reason == "stop"
    assert choice.message.refusal is None
    assert reply.object == "chat.completion"
    assert reply.model == "gpt-fake"
    assert reply.system_fingerprint
    assert (reply.usage.prompt_tokens, reply.usage.completion_tokens) == (5, 7)
    assert reply.usage.total_tokens == 12
    assert server.stats().by_path == {"/v1/chat/completions": 1}


@pytest.mark.parametrize("aiohttp", [True, False], ids=["aiohttp", "httpx"])
def test_anthropic_reply_usage_and_stop_reason(server: FakeAPIServer, aiohttp: bool) -> None:
    reply = message(server, system="Be brief.", client={"aiohttp": aiohttp})
    assert isinstance(reply, anthropic.types.Message), reply
    assert [block.type for block in reply.content] == ["text"]
    assert reply.content[0].text == "You said: What is 2 + 2?"
    assert reply.stop_reason == "end_turn"
    assert reply.stop_sequence is None
    assert (reply.role, reply.model) == ("assistant", "claude-fake")
    # the system prompt counts as input: "Be brief." + "What is 2 + 2?"
    assert (reply.usage.input_tokens, reply.usage.output_tokens) == (7, 7)
    assert server.stats().by_path == {"/v1/messages": 1}


def test_responder_sees_both_formats_as_chat_turns(server: FakeAPIServer) -> None:
    seen: list[list[ChatTurn]] = []

    def responder(turns: list[ChatTurn]) -> str:
        seen.append(turns)
        return "B"

    server.configure(responder=responder)
    message(
        server,
        system=[{"type": "text", "text": "Sys."}],
        messages=[
            {"role": "user", "content": [{"type": "text", "text": "Q?"}]},
            {"role": "assistant", "content": "The answer is ("},  # prefill
        ],
    )
    assert seen[-1] == [
        ChatTurn(role="system", content="Sys."),
        ChatTurn(role="user", content="Q?"),
        ChatTurn(role="assistant", content="The answer is ("),
    ]
    chat(server, "Q?")
    assert seen[-1] == [ChatTurn(role="user", content="Q?")]


def test_logprobs_shape_through_the_sdk(server: FakeAPIServer) -> None:
    reply = chat(server, "Pick A or B", logprobs=True, top_logprobs=3)
    content = reply.choices[0].logprobs.content
    assert "".join(t.token for t in content) == reply.choices[0].message.content
    assert len(content) == reply.usage.completion_tokens
    for token in content:
        assert len(token.top_logprobs) == 3
        assert token.top_logprobs[0].token == token.token
        assert token.logprob == max(alt.logprob for alt in token.top_logprobs) < 0
        assert bytes(token.bytes).decode() == token.token
    assert chat(server, "Pick A or B").choices[0].logprobs is None


def test_max_tokens_truncates_with_length(server: FakeAPIServer) -> None:
    openai_reply = chat(server, "one two three four", max_completion_tokens=3)
    assert openai_reply.choices[0].message.content == "You said: one"
    assert openai_reply.choices[0].finish_reason == "length"
    assert openai_reply.usage.completion_tokens == 3
    legacy = chat(server, "one two three four", max_tokens=2)
    assert legacy.choices[0].message.content == "You said:"

    anthropic_reply = message(server, "one two three four", max_tokens=3)
    assert anthropic_reply.content[0].text == "You said: one"
    assert anthropic_reply.stop_reason == "max_tokens"
    assert anthropic_reply.usage.output_tokens == 3


def test_stop_sequences_cut_at_the_first_occurrence(server: FakeAPIServer) -> None:
    openai_reply = chat(server, "A, then B. Then C.", stop=["Then", "."])
    assert openai_reply.choices[0].message.content == "You said: A, then B"
    assert openai_reply.choices[0].finish_reason == "stop"

    anthropic_reply = message(server, "A, then B. Then C.", stop_sequences=["then"])
    assert anthropic_reply.content[0].text == "You said: A, "
    assert anthropic_reply.stop_reason == "stop_sequence"
    assert anthropic_reply.stop_sequence == "then"


def test_parameters_and_extra_body_reach_the_server(server: FakeAPIServer) -> None:
    chat(server, "hi", temperature=0.0, seed=7, top_p=0.5, extra_body={"reasoning": "off"})
    body = server.stats().bodies("/v1/chat/completions")[-1]
    assert (body["temperature"], body["seed"], body["top_p"]) == (0.0, 7, 0.5)
    assert body["reasoning"] == "off"
    received = server.stats().received[-1]
    assert received.status == 200
    assert "Authorization" not in received.headers  # credentials are never recorded


def test_invalid_requests_are_rejected_like_the_real_apis(server: FakeAPIServer) -> None:
    too_hot = message(server, extra_body={"temperature": 1.5})  # no typed param in SDK 2.x
    assert isinstance(too_hot, anthropic.BadRequestError)
    system_role = message(server, messages=[{"role": "system", "content": "x"}])
    assert isinstance(system_role, anthropic.BadRequestError)
    assert "top-level `system`" in system_role.message
    no_top = chat(server, top_logprobs=2)
    assert isinstance(no_top, openai.BadRequestError)


# ---------------------------------------------------------------- faults


@pytest.mark.parametrize(
    ("kind", "openai_error", "anthropic_error", "status"),
    [
        ("rate_limit", openai.RateLimitError, anthropic.RateLimitError, 429),
        ("server_error", openai.InternalServerError, anthropic.InternalServerError, 500),
        ("overloaded", openai.InternalServerError, anthropic.OverloadedError, 529),
        ("unauthorized", openai.AuthenticationError, anthropic.AuthenticationError, 401),
        ("forbidden", openai.PermissionDeniedError, anthropic.PermissionDeniedError, 403),
        ("not_found", openai.NotFoundError, anthropic.NotFoundError, 404),
        ("bad_request", openai.BadRequestError, anthropic.BadRequestError, 400),
    ],
)
def test_each_fault_raises_the_sdk_error(
    server: FakeAPIServer, kind: str, openai_error: type, anthropic_error: type, status: int
) -> None:
    server.configure(faults=[Fault(kind=kind, retry_after_s=0.25)])

    from_openai = chat(server)
    assert type(from_openai) is openai_error, from_openai
    assert from_openai.status_code == (503 if kind == "overloaded" else status)
    assert from_openai.body["type"]  # OpenAI's error object: message, type, param, code

    from_anthropic = message(server)
    assert type(from_anthropic) is anthropic_error, from_anthropic
    assert from_anthropic.status_code == status
    assert from_anthropic.body["type"] == "error"
    assert from_anthropic.body["error"]["type"].endswith("_error")

    headers = from_anthropic.response.headers
    assert (headers["retry-after"], headers["retry-after-ms"]) == ("1", "250")
    assert server.stats().faults == {kind: 2}


def test_rate_limit_body_and_retry_after_as_openai_sends_them(server: FakeAPIServer) -> None:
    server.configure(faults=[Fault(kind="rate_limit", retry_after_s=2)])
    error = chat(server)
    assert isinstance(error, openai.RateLimitError)
    assert error.response.headers["retry-after"] == "2"
    assert error.code == "rate_limit_exceeded"
    assert error.type == "requests"


def test_malformed_body_breaks_the_sdk_parse(server: FakeAPIServer) -> None:
    # Both SDKs raise the bare json.JSONDecodeError (not an APIError subclass).
    server.configure(faults=[Fault(kind="malformed")])
    assert isinstance(chat(server), json.JSONDecodeError)
    assert isinstance(message(server), json.JSONDecodeError)
    assert server.stats().by_status == {200: 2}


def test_timeout_fault_trips_the_client_timeout(server: FakeAPIServer) -> None:
    server.configure(faults=[Fault(kind="timeout", delay_s=5)])
    assert isinstance(chat(server, client={"timeout": 0.3}), openai.APITimeoutError)
    assert isinstance(message(server, client={"timeout": 0.3}), anthropic.APITimeoutError)
    # the server drops a request whose client left (499), so stalls do not pile up
    for _ in range(50):
        if server.stats().by_status == {499: 2}:
            break
        time.sleep(0.02)
    assert server.stats().by_status == {499: 2}
    assert server.stats().in_flight == 0


def test_attempts_fail_exactly_n_times_then_succeed(server: FakeAPIServer) -> None:
    server.configure(faults=[Fault(kind="server_error", attempts=2)])
    results = [chat(server, "same question") for _ in range(3)]
    assert [type(r) for r in results[:2]] == [openai.InternalServerError] * 2
    assert results[2].choices[0].message.content == "You said: same question"
    assert isinstance(chat(server, "another question"), openai.InternalServerError)

    stats = server.stats()
    body = stats.bodies()[0]
    assert stats.attempts[request_key("/v1/chat/completions", body)] == 3
    assert sorted(stats.attempts.values()) == [1, 3]
    assert [r.attempt for r in stats.received] == [1, 2, 3, 1]
    assert stats.by_status == {500: 3, 200: 1}


def test_sdk_retries_honour_retry_after_ms(server: FakeAPIServer) -> None:
    server.configure(faults=[Fault(kind="rate_limit", attempts=2, retry_after_s=0.01)])
    reply = chat(server, client={"max_retries": 3})
    assert reply.choices[0].finish_reason == "stop"
    stats = server.stats()
    assert stats.by_status == {429: 2, 200: 1}
    assert [r.headers["x-stainless-retry-count"] for r in stats.received] == ["0", "1", "2"]


def test_faults_apply_in_order_and_only_where_they_match(server: FakeAPIServer) -> None:
    server.configure(
        faults=[
            Fault(kind="rate_limit", match="flaky"),
            Fault(kind="overloaded", match="flaky"),
        ]
    )
    assert isinstance(message(server, "a flaky one"), anthropic.RateLimitError)
    assert isinstance(message(server, "a flaky one"), anthropic.OverloadedError)
    assert message(server, "a flaky one").stop_reason == "end_turn"
    assert message(server, "a steady one").stop_reason == "end_turn"


def test_probabilistic_faults_are_seeded(server: FakeAPIServer) -> None:
    async def one_by_one() -> list[Any]:
        async with openai_client(server) as sdk:
            return [await _catch(_ask(sdk, f"q{i}")) for i in range(20)]

    def failures() -> int:
        server.configure(faults=[Fault(kind="server_error", probability=0.5)], seed=3)
        return sum(isinstance(r, openai.InternalServerError) for r in _run(one_by_one()))

    first = failures()
    assert 0 < first < 20
    assert failures() == first


# ---------------------------------------------------------------- auth, models, stats


def test_wrong_api_key_is_401_and_never_echoed(server: FakeAPIServer) -> None:
    wrong = "sk-wrong-key-that-must-not-leak"
    from_openai = chat(server, client={"api_key": wrong})
    from_anthropic = message(server, client={"api_key": wrong})
    assert isinstance(from_openai, openai.AuthenticationError)
    assert from_openai.code == "invalid_api_key"
    assert isinstance(from_anthropic, anthropic.AuthenticationError)
    assert from_anthropic.body["error"]["type"] == "authentication_error"
    for error in (from_openai, from_anthropic):
        assert wrong not in str(error) and wrong not in error.response.text
        assert KEY not in error.response.text


def test_unknown_model_is_404_and_models_are_listed(server: FakeAPIServer) -> None:
    server.configure(models=["gpt-other", "claude-other"])
    not_found = chat(server)
    assert isinstance(not_found, openai.NotFoundError)
    assert not_found.code == "model_not_found"
    assert isinstance(message(server), anthropic.NotFoundError)

    async def list_models():
        async with openai_client(server) as sdk:
            return [m.id async for m in sdk.models.list()]

    assert _run(list_models()) == ["gpt-other", "claude-other"]


def test_max_in_flight_counts_concurrent_requests(server: FakeAPIServer) -> None:
    server.configure(latency_s=0.2)

    async def ten():
        async with openai_client(server) as sdk:
            return await asyncio.gather(*(_ask(sdk, f"q{i}") for i in range(10)))

    assert len(_run(ten())) == 10
    stats = server.stats()
    assert (stats.requests, stats.max_in_flight, stats.in_flight) == (10, 10, 0)


def test_wrong_base_url_shows_up_in_stats(server: FakeAPIServer) -> None:
    async def doubled():
        sdk = anthropic.AsyncAnthropic(
            base_url=server.openai_base_url, api_key=KEY, max_retries=0
        )  # .../v1 + /v1/messages
        async with sdk:
            return await sdk.messages.create(
                model="m", max_tokens=5, messages=[{"role": "user", "content": "x"}]
            )

    assert isinstance(_run(doubled()), anthropic.NotFoundError)
    assert server.stats().by_path == {"/v1/v1/messages": 1}


# ---------------------------------------------------------------- separate process


def test_subprocess_mode_serves_and_stops() -> None:
    with start_server_process(latency_s=0.01, api_key=KEY, record_bodies=False) as proc:
        reply = chat(proc, "from another process")
        assert reply.choices[0].message.content == "You said: from another process"
        stats = proc.stats()
        assert (stats.requests, stats.by_status, stats.received) == (1, {200: 1}, [])
    assert proc.process.returncode == 0
