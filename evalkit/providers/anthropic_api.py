"""Anthropic's messages API on the official ``anthropic`` SDK (async, aiohttp transport).

System messages go to the ``system`` field; a trailing assistant message is
sent as a prefill, and the reply is its continuation (Claude 4.6 and later
answer a prefill with a 400: ``prefill: false`` asks those turns without it).
The messages API has no seed, so ``generation.seed`` is not sent; the SDK has
no temperature or top_p arguments, so those travel in the body
(``sampling_params: false`` drops them for models that refuse them). Sent
through the SDK's raw ``client.post``
(:meth:`~evalkit.providers.hosted.HostedAdapter.post`), the reply read from its JSON.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from evalkit.messages import Message
from evalkit.providers.base import FinishReason, GenerationParams, ModelResponse, Usage
from evalkit.providers.hosted import HostedAdapter, MalformedResponse, malformed
from evalkit.providers.hosted_config import HostedModelConfig

if TYPE_CHECKING:
    from evalkit.providers.response_cache import ResponseCache

_STOP: dict[str, FinishReason] = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "refusal": "content_filter",
}


class AnthropicModelConfig(HostedModelConfig):
    """A Claude model (or anything speaking the Anthropic messages API)."""

    provider: Literal["anthropic"] = "anthropic"
    sampling_params: bool = Field(
        default=True,
        description="Send temperature and top_p (in the body: this SDK has no arguments for "
        "them). Set false for models that reject them.",
    )
    prefill: bool = Field(
        default=True,
        description="Send a condition's start of the reply (Sharma's 'The answer is (') as a "
        "prefill. Claude 4.6 and later refuse prefills: set false to ask without (recorded).",
    )

    def identity(self) -> dict[str, Any]:
        """The default leaves the identity as before the option existed (plan hashes hold)."""
        identity = super().identity()
        if self.prefill:
            identity.pop("prefill", None)
        return identity


def build_request(
    config: AnthropicModelConfig, messages: list[Message], params: GenerationParams
) -> dict[str, Any]:
    system = "\n\n".join(m.content for m in messages if m.role == "system")
    request: dict[str, Any] = {
        "model": config.model,
        "max_tokens": params.max_new_tokens,
        "messages": [
            {"role": m.role, "content": m.content} for m in messages if m.role != "system"
        ],
    }
    if system:
        request["system"] = system
    if params.stop:
        request["stop_sequences"] = list(params.stop)
    extra_body: dict[str, Any] = {}
    if config.sampling_params:
        extra_body["temperature"] = params.temperature
        if params.top_p != 1.0:
            extra_body["top_p"] = params.top_p
    extra_body.update(config.extra_body)
    if extra_body:
        request["extra_body"] = extra_body
    return request


class AnthropicAdapter(HostedAdapter):
    provider = "anthropic"
    default_key_env = "ANTHROPIC_API_KEY"

    sync_client = "Anthropic"
    async_client = "AsyncAnthropic"

    def __init__(self, config: AnthropicModelConfig, cache: ResponseCache | None = None) -> None:
        super().__init__(config, cache)
        self.config: AnthropicModelConfig = config
        self.supports_prefill = config.prefill

    request_body = staticmethod(build_request)

    async def send(self, request: dict[str, Any]) -> ModelResponse:
        return read_message(await self.post("/v1/messages", request), self.config.model)


def read_message(content: bytes, model: str) -> ModelResponse:
    """The reply in a message's JSON body (its text blocks, joined); :class:`MalformedResponse`
    if it is none. ``model`` stands in when the body names no model."""
    try:
        message = json.loads(content)
        text = "".join(b["text"] for b in message["content"] if b.get("type") == "text")
        usage = Usage(
            prompt_tokens=message["usage"]["input_tokens"],
            completion_tokens=message["usage"]["output_tokens"],
        )
        return ModelResponse(
            text=text,
            finish_reason=_STOP.get(message.get("stop_reason") or "", "other"),
            usage=usage,
            model=message.get("model") or model,
        )
    except (ValueError, LookupError, TypeError, AttributeError) as exc:  # not a message
        raise MalformedResponse(malformed(content, exc)) from None
