"""OpenAI chat completions, and every server that speaks them (vLLM, Ollama, llama.cpp, TGI).

Built on the official ``openai`` SDK's async client over its aiohttp transport
(about half the CPU per request of the default httpx one), through its raw
``client.post`` (:meth:`~evalkit.providers.hosted.HostedAdapter.post`): the
reply's few fields evalkit keeps are read from its JSON, not from a
``ChatCompletion`` model built per reply. The SDK's own retries are off:
:class:`~evalkit.providers.hosted.HostedAdapter` retries, so attempts are
counted and bounded in one place.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from evalkit.messages import Message
from evalkit.providers.base import (
    FinishReason,
    GenerationParams,
    ModelResponse,
    TokenLogprob,
    TopLogprob,
)
from evalkit.providers.hosted import HostedAdapter, MalformedResponse, malformed
from evalkit.providers.hosted_config import HostedModelConfig

if TYPE_CHECKING:
    from evalkit.providers.response_cache import ResponseCache

_FINISH: dict[str, FinishReason] = {
    "stop": "stop",
    "length": "length",
    "content_filter": "content_filter",
}


class OpenAIModelConfig(HostedModelConfig):
    """A model behind an OpenAI-compatible chat-completions endpoint."""

    provider: Literal["openai"] = "openai"
    logprobs: bool = Field(default=False, description="Ask for token log-probabilities.")
    top_logprobs: int | None = Field(default=None, ge=0, le=20)
    max_tokens_field: Literal["max_tokens", "max_completion_tokens"] = Field(
        default="max_tokens",
        description="OpenAI's newest models want max_completion_tokens; servers take max_tokens.",
    )


def build_request(
    config: OpenAIModelConfig, messages: list[Message], params: GenerationParams
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "model": config.model,
        "messages": [{"role": m.role, "content": m.content} for m in messages],
        config.max_tokens_field: params.max_new_tokens,
        "temperature": params.temperature,
    }
    if params.top_p != 1.0:
        request["top_p"] = params.top_p
    if params.seed is not None:
        request["seed"] = params.seed
    if params.stop:
        request["stop"] = list(params.stop)
    if config.logprobs:
        request["logprobs"] = True
        if config.top_logprobs is not None:
            request["top_logprobs"] = config.top_logprobs
    if config.extra_body:
        request["extra_body"] = dict(config.extra_body)
    return request


class OpenAIAdapter(HostedAdapter):
    provider = "openai"
    default_key_env = "OPENAI_API_KEY"

    sync_client = "OpenAI"
    async_client = "AsyncOpenAI"

    def __init__(self, config: OpenAIModelConfig, cache: ResponseCache | None = None) -> None:
        super().__init__(config, cache)
        self.config: OpenAIModelConfig = config

    request_body = staticmethod(build_request)

    async def send(self, request: dict[str, Any]) -> ModelResponse:
        return read_completion(await self.post("/chat/completions", request), self.config.model)


def read_completion(content: bytes, model: str) -> ModelResponse:
    """The reply in a chat completion's JSON body; :class:`MalformedResponse` if it is none.

    ``model`` stands in when the body names no model; a body without ``usage``
    (some servers) counts no tokens.
    """
    try:
        completion = json.loads(content)
        choice = completion["choices"][0]
        usage = completion.get("usage") or {}
        return ModelResponse.model_validate(  # one validation, the usage's inside it
            {
                "text": choice["message"].get("content") or "",
                "finish_reason": _FINISH.get(choice.get("finish_reason") or "", "other"),
                "usage": {
                    "prompt_tokens": usage.get("prompt_tokens", 0),
                    "completion_tokens": usage.get("completion_tokens", 0),
                },
                "model": completion.get("model") or model,
                "logprobs": _logprobs(choice),
            }
        )
    except (ValueError, LookupError, TypeError, AttributeError) as exc:  # not a completion
        raise MalformedResponse(malformed(content, exc)) from None


def _logprobs(choice: dict[str, Any]) -> list[TokenLogprob] | None:
    content = (choice.get("logprobs") or {}).get("content")
    if not content:
        return None
    return [
        TokenLogprob(
            token=t["token"],
            logprob=t["logprob"],
            top=[
                TopLogprob(token=a["token"], logprob=a["logprob"])
                for a in (t.get("top_logprobs") or [])
            ],
        )
        for t in content
    ]
