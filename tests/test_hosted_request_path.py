"""The hosted request path spends only the CPU the SDKs require, over real loopback HTTP.

Requests still go through the official SDKs' clients (key, headers, base URL, transport,
error classes), but not through their typed methods' per-call argument transform, nor
the response models they build from every reply: evalkit reads the few fields it keeps
from the JSON. Observed with a profiler hook on the calling thread, never by patching.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from evalkit.messages import Message
from evalkit.providers import load_adapter
from evalkit.providers.anthropic_api import AnthropicModelConfig, read_message
from evalkit.providers.base import GenerationParams, ModelResponse
from evalkit.providers.hosted import MalformedResponse
from evalkit.providers.openai_api import OpenAIModelConfig, read_completion
from evalkit.testing.fake_api import FakeAPIServer

KEY = "sk-path-0123456789"
#: The SDK functions a typed ``create`` runs per call that evalkit does not need.
SKIPPED = {
    "transform",
    "async_transform",
    "maybe_transform",
    "async_maybe_transform",
    "construct_type",
    "construct",  # the request's options: built once per path, copied per request
}


@pytest.fixture()
def server():
    with FakeAPIServer(api_key=KEY) as fake:
        yield fake


def sdk_calls(provider: str, server: FakeAPIServer, **keys: Any) -> tuple[ModelResponse, set]:
    """One reply through the adapter, and the names of the SDK functions it called."""
    config: Any
    if provider == "openai":
        config = OpenAIModelConfig(
            model="fake-gpt", base_url=server.openai_base_url, api_key_env="PATH_KEY", **keys
        )
    else:
        config = AnthropicModelConfig(
            model="fake-claude",
            base_url=server.anthropic_base_url,
            api_key_env="PATH_KEY",
            **keys,
        )
    adapter = load_adapter(config, None)
    called: set[str] = set()
    package = f"{Path(sys.modules[provider].__file__).parent}"  # type: ignore[arg-type]

    def profile(frame: FrameType, event: str, _: object) -> None:
        if event == "call" and frame.f_code.co_filename.startswith(package):
            called.add(frame.f_code.co_name)

    async def ask() -> ModelResponse:
        messages = [Message(role="system", content="Be brief."), Message(role="user", content="Hi")]
        await adapter.generate(messages, GenerationParams(max_new_tokens=8))  # client made
        sys.setprofile(profile)
        try:
            return await adapter.generate(messages, GenerationParams(max_new_tokens=8, seed=3))
        finally:
            sys.setprofile(None)
            await adapter.aclose()

    return asyncio.run(ask()), called


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_requests_skip_the_sdks_per_call_transform_and_response_models(
    provider: str, server: FakeAPIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH_KEY", KEY)
    response, called = sdk_calls(provider, server)
    assert response.text == "You said: Hi"
    assert response.usage.prompt_tokens > 0 and response.finish_reason == "stop"
    assert "request" in called  # through the SDK's client
    assert not called & SKIPPED, sorted(called & SKIPPED)


def test_openai_logprobs_are_read_from_the_json(
    server: FakeAPIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH_KEY", KEY)
    response, _ = sdk_calls("openai", server, logprobs=True, top_logprobs=2)
    assert response.logprobs is not None
    assert [t.token for t in response.logprobs] == ["You", " said:", " Hi"]
    assert all(len(t.top) == 2 and t.top[0].token == t.token for t in response.logprobs)


@pytest.mark.parametrize(
    "body",
    [
        b'{"id": "chatcmpl-x", "choices": [',
        b'{"id": "chatcmpl-x", "choices": []}',
        b'{"id": "chatcmpl-x", "choices": [{"message": null}]}',
        b'{"id": "chatcmpl-x", "choices": [{"message": {"content": 3}}]}',
        b'["chatcmpl-x"]',
    ],
)
def test_a_body_that_is_no_completion_is_malformed_with_its_start(body: bytes) -> None:
    with pytest.raises(MalformedResponse, match="chatcmpl-x"):
        read_completion(body, "m")


@pytest.mark.parametrize(
    "body",
    [
        b'{"id": "msg_x", "content": [',
        b'{"id": "msg_x", "content": [{"type": "text"}], "usage": {}}',
        b'{"id": "msg_x", "content": [], "usage": {"input_tokens": 1}}',
        b'{"id": "msg_x", "content": 5, "usage": {"input_tokens": 1, "output_tokens": 1}}',
    ],
)
def test_a_body_that_is_no_message_is_malformed_with_its_start(body: bytes) -> None:
    with pytest.raises(MalformedResponse, match="msg_x"):
        read_message(body, "m")


def test_replies_read_as_the_sdk_models_read_them() -> None:
    """No usage counts no tokens; a null content is an empty reply; the model named in the
    body wins over the configured one; text blocks join, other blocks are skipped."""
    completion = read_completion(
        b'{"choices": [{"message": {"content": null}, "finish_reason": "length"}]}', "conf"
    )
    assert (completion.text, completion.finish_reason, completion.model) == ("", "length", "conf")
    assert completion.usage.prompt_tokens == completion.usage.completion_tokens == 0
    message = read_message(
        b'{"model": "served", "stop_reason": "max_tokens", "usage": {"input_tokens": 3, '
        b'"output_tokens": 4}, "content": [{"type": "text", "text": "a"}, {"type": '
        b'"thinking", "thinking": "x"}, {"type": "text", "text": "b"}]}',
        "conf",
    )
    assert (message.text, message.finish_reason, message.model) == ("ab", "length", "served")
    assert (message.usage.prompt_tokens, message.usage.completion_tokens) == (3, 4)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="3.10 has no asyncio.timeout")
def test_an_attempt_runs_in_the_samples_own_task(
    server: FakeAPIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deadline on a whole attempt costs no task of its own per request."""
    monkeypatch.setenv("PATH_KEY", KEY)
    server.configure(latency_s=0.3)
    config = OpenAIModelConfig(
        model="fake-gpt", base_url=server.openai_base_url, api_key_env="PATH_KEY", timeout_s=5
    )
    adapter = load_adapter(config, None)

    async def count_tasks() -> int:
        asking = asyncio.ensure_future(
            adapter.generate([Message(role="user", content="Hi")], GenerationParams())
        )
        await asyncio.sleep(0.15)  # the request is in flight
        tasks = len(asyncio.all_tasks())
        assert (await asking).text == "You said: Hi"
        await adapter.aclose()
        return tasks

    assert asyncio.run(count_tasks()) == 2  # this one and the sample's
