"""A loopback fake of the OpenAI and Anthropic HTTP APIs, with injected faults.

The hosted providers must be tested through the official SDKs over real
sockets: mocking the SDK would hide exactly what breaks in production (base
URLs, headers, error classes, retries, parse failures). This server speaks
both wire formats on 127.0.0.1:

* ``POST /v1/chat/completions`` - OpenAI chat completions
  (SDK ``base_url=server.openai_base_url``, i.e. ``http://127.0.0.1:PORT/v1``);
* ``POST /v1/messages`` - Anthropic messages
  (SDK ``base_url=server.anthropic_base_url``, i.e. ``http://127.0.0.1:PORT``;
  the SDK itself appends ``/v1/messages``);
* ``GET /v1/models`` - OpenAI list format, or Anthropic's when the request
  carries an ``anthropic-version`` header.

Replies come from a ``responder`` (default: echo the last user message),
called with the conversation as :class:`ChatTurn` s: Anthropic's ``system``
becomes a leading system turn, content-block lists are their text blocks
joined by newlines. An Anthropic prefill (last message from the assistant)
stays visible as the last turn, and whatever the responder returns is sent as
its continuation, as is. Tokens are whitespace-separated words, so usage and
``max_tokens`` are exact and predictable. Requests are validated where the
real APIs are strict (e.g. Anthropic's required ``max_tokens``, no ``system``
role in its messages, temperature ranges); streaming is not supported (400).

:class:`Fault` injects the errors real providers return on the two completion
routes, deterministically (the first N attempts of each distinct request) so
tests can assert exact counts, or with a seeded probability for chaos
benchmarks; besides HTTP errors, a fault can stall (``timeout``), drip the
reply a byte at a time (``drip``), send a body that never ends (``flood``, or
``flood_error`` with status 500) or a truncated body (``malformed``).
:class:`FakeAPIStats` counts what arrived (also served as JSON at
``GET /_fake/stats`` for the process mode; ``POST /_fake/reset`` zeroes it).

Use :class:`FakeAPIServer` in-process (a background thread with its own event
loop), or :func:`start_server_process` / ``python -m evalkit.testing.fake_api``
when the server must not share the CPU time of the process under test.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import importlib
import json
import math
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

Api = Literal["openai", "anthropic"]
FaultKind = Literal[
    "rate_limit",
    "server_error",
    "overloaded",
    "timeout",
    "drip",
    "flood",
    "flood_error",
    "malformed",
    "unauthorized",
    "forbidden",
    "not_found",
    "bad_request",
]

#: Request bodies up to this size are accepted (aiohttp's default is 1 MiB).
MAX_BODY_BYTES = 64 * 1024 * 1024
#: What a "malformed" fault sends with status 200: truncated JSON.
MALFORMED_BODY = {
    "openai": b'{"id": "chatcmpl-malformed", "object": "chat.completion", "choices": [',
    "anthropic": b'{"id": "msg_malformed", "type": "message", "content": [',
}
_WORD = re.compile(r"\S+")
_TOKEN = re.compile(r"\s*\S+")


class ChatTurn(BaseModel):
    """One message as the responder sees it, whichever wire format it came in."""

    model_config = ConfigDict(frozen=True)

    role: str
    content: str


Responder = Callable[[list[ChatTurn]], str]


def echo_responder(turns: list[ChatTurn]) -> str:
    """Default reply: deterministic, and shows which message the server saw."""
    last_user = next((t.content for t in reversed(turns) if t.role == "user"), "")
    return "You said: " + last_user[:200]


class Fault(BaseModel):
    """An error to inject, as the real provider would send it.

    Deterministic faults (``probability`` unset) hit the first ``attempts``
    attempts of each distinct request (path + canonical JSON body). Several
    deterministic faults apply one after the other: ``[rate_limit x2,
    server_error x1]`` fails attempts 1-2 with 429, attempt 3 with 500, and
    attempt 4 succeeds. A fault with ``probability`` instead fails any
    matching request with that chance (seeded, see ``FakeAPIConfig.seed``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: FaultKind
    attempts: int = Field(default=1, ge=1)
    #: Only requests whose last user message contains this substring.
    match: str | None = None
    probability: float | None = Field(default=None, ge=0.0, le=1.0)
    #: Sent as ``retry-after`` (whole seconds, rounded up) and ``retry-after-ms``.
    retry_after_s: float | None = Field(default=None, ge=0.0)
    #: For ``timeout``: how long to stall before answering normally.
    delay_s: float = Field(default=30.0, ge=0.0)
    #: For ``drip``: the normal reply, headers at once, then one body byte every this often
    #: (a server that is alive but never done; a per-read timeout never fires on it).
    interval_s: float = Field(default=0.5, gt=0.0)
    #: For the HTTP error kinds: the error message to send instead of the default one
    #: (e.g. one quoting the caller's key, as some servers do).
    message: str | None = None


class FakeAPIConfig(BaseModel):
    """How the server behaves; change it between tests with ``server.configure``."""

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, arbitrary_types_allowed=True
    )

    #: Sleep before answering every API request.
    latency_s: float = Field(default=0.0, ge=0.0)
    #: When set, requests must carry it (``Authorization: Bearer`` / ``x-api-key``).
    api_key: str | None = None
    #: When set, any other model is a 404.
    models: list[str] | None = None
    faults: list[Fault] = Field(default_factory=list)
    #: Keep every request body in the stats (benchmarks turn it off to save memory).
    record_bodies: bool = True
    #: Seeds the random draws of probabilistic faults.
    seed: int = 0
    responder: Responder = Field(default=echo_responder, exclude=True)


class ReceivedRequest(BaseModel):
    """One request as it arrived; ``status`` is filled in once it is answered."""

    path: str
    key: str
    attempt: int
    #: The parsed JSON body, untouched (None when it was not JSON).
    body: Any = None
    #: Request headers, without the credentials.
    headers: dict[str, str] = Field(default_factory=dict)
    fault: FaultKind | None = None
    #: HTTP status sent; 499 when the client went away first; None while in flight.
    status: int | None = None


class FakeAPIStats(BaseModel):
    """What the server saw since it started or since ``reset_stats()``."""

    requests: int = 0
    by_path: dict[str, int] = Field(default_factory=dict)
    by_status: dict[int, int] = Field(default_factory=dict)
    #: Faults injected, by kind.
    faults: dict[str, int] = Field(default_factory=dict)
    in_flight: int = 0
    max_in_flight: int = 0
    #: Attempts per distinct request, keyed by :func:`request_key`.
    attempts: dict[str, int] = Field(default_factory=dict)
    #: Every request, in arrival order (empty unless ``record_bodies``).
    received: list[ReceivedRequest] = Field(default_factory=list)

    def bodies(self, path: str | None = None) -> list[Any]:
        """The received JSON bodies, optionally for one path only."""
        return [r.body for r in self.received if path is None or r.path == path]


def request_key(path: str, body: Any) -> str:
    """Identify a distinct request: a retry of the same call gets the same key."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha1(f"{path}\n{canonical}".encode()).hexdigest()[:16]


# ---------------------------------------------------------------- errors


class _ErrorSpec(NamedTuple):
    status: int
    openai_type: str
    openai_code: str | None
    anthropic_type: str


_FAULT_ERRORS: dict[str, _ErrorSpec] = {
    "rate_limit": _ErrorSpec(429, "requests", "rate_limit_exceeded", "rate_limit_error"),
    "server_error": _ErrorSpec(500, "server_error", None, "api_error"),
    "overloaded": _ErrorSpec(529, "server_error", None, "overloaded_error"),
    "unauthorized": _ErrorSpec(
        401, "invalid_request_error", "invalid_api_key", "authentication_error"
    ),
    "forbidden": _ErrorSpec(403, "invalid_request_error", "permission_denied", "permission_error"),
    "not_found": _ErrorSpec(404, "invalid_request_error", "not_found", "not_found_error"),
    "bad_request": _ErrorSpec(400, "invalid_request_error", None, "invalid_request_error"),
}


class ErrorReply(Exception):
    """An error answer, rendered in whichever provider's format the path speaks.

    Raised inside a handler; the handler turns it into the HTTP response.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        openai_type: str = "invalid_request_error",
        openai_code: str | None = None,
        anthropic_type: str = "invalid_request_error",
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.openai_type = openai_type
        self.openai_code = openai_code
        self.anthropic_type = anthropic_type
        self.param = param
        self.headers = headers or {}

    @classmethod
    def from_fault(cls, fault: Fault, api: Api) -> ErrorReply:
        spec = _FAULT_ERRORS[fault.kind]
        # OpenAI has no 529; its overloaded answer is a 503.
        status = 503 if api == "openai" and fault.kind == "overloaded" else spec.status
        headers = {}
        if fault.retry_after_s is not None:
            headers["retry-after"] = str(math.ceil(fault.retry_after_s))
            headers["retry-after-ms"] = str(round(fault.retry_after_s * 1000))
        return cls(
            status,
            fault.message or f"{fault.kind.replace('_', ' ')} (injected fault)",
            openai_type=spec.openai_type,
            openai_code=spec.openai_code,
            anthropic_type=spec.anthropic_type,
            headers=headers,
        )

    def body(self, api: Api) -> dict[str, Any]:
        if api == "openai":
            return {
                "error": {
                    "message": self.message,
                    "type": self.openai_type,
                    "param": self.param,
                    "code": self.openai_code,
                }
            }
        return {
            "type": "error",
            "error": {"type": self.anthropic_type, "message": self.message},
            "request_id": _new_id("req_"),
        }


def _bad_request(message: str, param: str | None = None) -> ErrorReply:
    return ErrorReply(400, message, param=param)


# ---------------------------------------------------------------- replies


class Reply(NamedTuple):
    """The reply after max_tokens / stop sequences, in provider-neutral terms."""

    text: str
    finish: Literal["end", "length", "stop_sequence"]
    stop_sequence: str | None
    prompt_tokens: int
    completion_tokens: int


def count_tokens(text: str) -> int:
    """The fake's tokenizer: whitespace-separated words."""
    return len(_WORD.findall(text))


def finish_reply(
    text: str, turns: Sequence[ChatTurn], max_tokens: int | None, stops: Sequence[str]
) -> Reply:
    """Cut ``text`` where a real model would have stopped, and count tokens.

    The earliest stop sequence cuts the text (the sequence itself is not
    returned); if more than ``max_tokens`` words remain, the text is cut after
    the last allowed word and the finish is ``length``. A reply of exactly
    ``max_tokens`` words counts as a natural end.
    """
    cut, hit = _cut_at_stop(text, stops)
    finish: Literal["end", "length", "stop_sequence"] = "end"
    words = list(_WORD.finditer(cut))
    if max_tokens is not None and len(words) > max_tokens:
        cut = cut[: words[max_tokens - 1].end()] if max_tokens > 0 else ""
        words, hit, finish = words[:max_tokens], None, "length"
    elif hit is not None:
        finish = "stop_sequence"
    prompt_tokens = sum(count_tokens(t.content) for t in turns)
    return Reply(cut, finish, hit, prompt_tokens, len(words))


def _cut_at_stop(text: str, stops: Sequence[str]) -> tuple[str, str | None]:
    best: tuple[int, str] | None = None
    for stop in stops:
        at = text.find(stop) if stop else -1
        if at >= 0 and (best is None or at < best[0]):
            best = (at, stop)
    return (text, None) if best is None else (text[: best[0]], best[1])


def fake_logprobs(text: str, top_logprobs: int) -> list[dict[str, Any]]:
    """Per-token logprobs in OpenAI's shape; one token per word (with its leading space).

    Numbers are deterministic; the chosen token is always the most likely, so
    ``top_logprobs`` lists it first, then ``top_logprobs - 1`` alternatives.
    """
    tokens = _TOKEN.findall(text)
    if tokens:
        tokens[-1] += text[len("".join(tokens)) :]  # trailing whitespace
    return [_token_logprob(token, top_logprobs) for token in tokens]


def _token_logprob(token: str, top: int) -> dict[str, Any]:
    chosen = -0.001 * (1 + zlib.crc32(token.encode()) % 500)
    entries = [(token, chosen)] + [(f" alt{k}", chosen - 1.5 * k) for k in range(1, top)]
    top_list = [{"token": t, "logprob": lp, "bytes": list(t.encode())} for t, lp in entries[:top]]
    return {
        "token": token,
        "logprob": chosen,
        "bytes": list(token.encode()),
        "top_logprobs": top_list,
    }


def _new_id(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:24]


# ---------------------------------------------------------------- request parsing


class ParsedRequest(NamedTuple):
    """What both wire formats boil down to."""

    model: str
    turns: list[ChatTurn]
    max_tokens: int | None
    stops: list[str]


def _text_of(content: Any, where: str) -> str:
    """A message's text: a string, or the text blocks of a content list joined by newlines."""
    if content is None or isinstance(content, str):
        return content or ""
    if isinstance(content, list):
        return "\n".join(
            block["text"]
            for block in content
            if isinstance(block, dict) and isinstance(block.get("text"), str)
        )
    raise _bad_request(f"{where}: expected a string or a list of content blocks", where)


def _int_field(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise _bad_request(f"{name}: expected an integer >= 1", name)
    return value


def _number_in(body: dict[str, Any], name: str, low: float, high: float) -> None:
    value = body.get(name)
    if value is None:
        return
    if not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high:
        raise _bad_request(f"{name}: range: {low:g}..{high:g}", name)


def _common_checks(body: dict[str, Any]) -> str:
    if not isinstance(body.get("model"), str) or not body["model"]:
        raise _bad_request("model: Field required", "model")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _bad_request("messages: at least one message is required", "messages")
    if not all(isinstance(m, dict) for m in messages):
        raise _bad_request("messages: each message must be an object", "messages")
    if body.get("stream"):
        raise _bad_request("stream: the fake API does not stream", "stream")
    return body["model"]


def parse_openai(body: dict[str, Any]) -> ParsedRequest:
    model = _common_checks(body)
    turns = [
        ChatTurn(role=str(m.get("role", "")), content=_text_of(m.get("content"), "messages"))
        for m in body["messages"]
    ]
    _number_in(body, "temperature", 0, 2)
    _number_in(body, "top_p", 0, 1)
    _number_in(body, "top_logprobs", 0, 20)
    if body.get("top_logprobs") is not None and not body.get("logprobs"):
        raise _bad_request("logprobs must be true when top_logprobs is set", "top_logprobs")
    _int_field(body, "n")
    max_tokens = _int_field(body, "max_completion_tokens") or _int_field(body, "max_tokens")
    stop = body.get("stop")
    stops = [stop] if isinstance(stop, str) else list(stop or [])
    return ParsedRequest(model, turns, max_tokens, stops)


def parse_anthropic(body: dict[str, Any]) -> ParsedRequest:
    model = _common_checks(body)
    if body.get("max_tokens") is None:
        raise _bad_request("max_tokens: Field required", "max_tokens")
    max_tokens = _int_field(body, "max_tokens")
    _number_in(body, "temperature", 0, 1)
    _number_in(body, "top_p", 0, 1)
    turns: list[ChatTurn] = []
    if body.get("system"):
        turns.append(ChatTurn(role="system", content=_text_of(body["system"], "system")))
    for message in body["messages"]:
        role = message.get("role")
        if role not in ("user", "assistant"):
            raise _bad_request(
                f'messages: Unexpected role "{role}". The Messages API accepts a top-level '
                '`system` parameter, not "system" as an input message role.'
            )
        turns.append(ChatTurn(role=role, content=_text_of(message.get("content"), "messages")))
    if turns[-1].role == "assistant" and turns[-1].content != turns[-1].content.rstrip():
        raise _bad_request("messages: final assistant content cannot end with trailing whitespace")
    return ParsedRequest(model, turns, max_tokens, list(body.get("stop_sequences") or []))


# ---------------------------------------------------------------- response bodies


_OPENAI_FINISH = {"end": "stop", "length": "length", "stop_sequence": "stop"}
_ANTHROPIC_STOP = {"end": "end_turn", "length": "max_tokens", "stop_sequence": "stop_sequence"}


def openai_completion(body: dict[str, Any], model: str, reply: Reply) -> dict[str, Any]:
    n = body.get("n") or 1
    logprobs = None
    if body.get("logprobs"):
        content = fake_logprobs(reply.text, body.get("top_logprobs") or 0)
        logprobs = {"content": content, "refusal": None}
    choice = {
        "message": {"role": "assistant", "content": reply.text, "refusal": None, "annotations": []},
        "logprobs": logprobs,
        "finish_reason": _OPENAI_FINISH[reply.finish],
    }
    completion_tokens = reply.completion_tokens * n
    return {
        "id": _new_id("chatcmpl-"),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": i, **choice} for i in range(n)],
        "usage": {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": reply.prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
        "service_tier": "default",
        "system_fingerprint": "fp_evalkit_fake",
    }


def anthropic_message(model: str, reply: Reply) -> dict[str, Any]:
    return {
        "id": _new_id("msg_"),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": reply.text}],
        "stop_reason": _ANTHROPIC_STOP[reply.finish],
        "stop_sequence": reply.stop_sequence,
        "usage": {
            "input_tokens": reply.prompt_tokens,
            "output_tokens": reply.completion_tokens,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "service_tier": "standard",
        },
    }


def model_list(api: Api, models: Sequence[str]) -> dict[str, Any]:
    if api == "openai":
        data = [
            {"id": m, "object": "model", "created": 0, "owned_by": "evalkit-fake"} for m in models
        ]
        return {"object": "list", "data": data}
    data = [
        {"type": "model", "id": m, "display_name": m, "created_at": "2025-01-01T00:00:00Z"}
        for m in models
    ]
    return {
        "data": data,
        "has_more": False,
        "first_id": models[0] if models else None,
        "last_id": models[-1] if models else None,
    }


def _json_response(
    api: Api, payload: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    headers = dict(headers or {})
    headers["x-request-id" if api == "openai" else "request-id"] = _new_id("req_")
    return web.Response(
        body=json.dumps(payload).encode(),
        status=status,
        headers=headers,
        content_type="application/json",
    )


# ---------------------------------------------------------------- the app


class FakeAPI:
    """The aiohttp application, its configuration and its counters (no threads)."""

    def __init__(self, config: FakeAPIConfig | None = None, **config_fields: Any) -> None:
        self.config = _updated(config or FakeAPIConfig(), config_fields)
        self._lock = threading.Lock()
        self._stats = FakeAPIStats()
        self._rng = random.Random(self.config.seed)

    # -- configuration and stats (callable from any thread)

    def configure(self, **changes: Any) -> None:
        """Change the config (validated) and start counting afresh."""
        self.config = _updated(self.config, changes)
        self.reset_stats()

    def stats(self) -> FakeAPIStats:
        """A consistent snapshot, safe to read while requests are in flight."""
        with self._lock:
            return self._stats.model_copy(deep=True)

    def reset_stats(self) -> None:
        """Zero the counters; fault attempts count from here, the fault dice are re-seeded."""
        with self._lock:
            in_flight = self._stats.in_flight
            self._stats = FakeAPIStats(in_flight=in_flight)
            self._rng = random.Random(self.config.seed)

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_post("/v1/chat/completions", self._chat_completions)
        app.router.add_post("/v1/messages", self._messages)
        app.router.add_get("/v1/models", self._models)
        app.router.add_get("/_fake/stats", self._stats_route)
        app.router.add_post("/_fake/reset", self._reset_route)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        return app

    # -- routes

    async def _chat_completions(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, "openai")

    async def _messages(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, "anthropic")

    async def _models(self, request: web.Request) -> web.StreamResponse:
        api: Api = "anthropic" if "anthropic-version" in request.headers else "openai"
        return await self._serve(request, api)

    async def _unknown(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, "openai")

    async def _stats_route(self, request: web.Request) -> web.StreamResponse:
        return web.Response(text=self.stats().model_dump_json(), content_type="application/json")

    async def _reset_route(self, request: web.Request) -> web.StreamResponse:
        self.reset_stats()
        return web.Response(status=204)

    # -- one request

    async def _serve(self, request: web.Request, api: Api) -> web.StreamResponse:
        """Count the request in and out, so stats see it even if the client leaves."""
        config = self.config
        body = _decode_json(await request.read())
        record = self._begin(request, body, config.record_bodies)
        status = 499
        try:
            response = await self._answer(request, api, body, record, config)
            status = response.status
            return response
        finally:
            self._end(record, status)

    async def _answer(
        self,
        request: web.Request,
        api: Api,
        body: Any,
        record: ReceivedRequest,
        config: FakeAPIConfig,
    ) -> web.StreamResponse:
        if config.latency_s:
            await asyncio.sleep(config.latency_s)
        try:
            self._check_auth(request, api, config.api_key)
            if request.method == "GET" and request.path == "/v1/models":
                return _json_response(api, model_list(api, config.models or []))
            if request.path not in ("/v1/chat/completions", "/v1/messages"):
                raise ErrorReply(
                    404,
                    f"Unknown request URL: {request.method} {request.path}.",
                    openai_code="unknown_url",
                    anthropic_type="not_found_error",
                )
            if not isinstance(body, dict):
                raise _bad_request("The request body must be a JSON object")
            parsed = parse_openai(body) if api == "openai" else parse_anthropic(body)
            _check_model(parsed.model, config.models)
            fault = self._pick_fault(record, parsed.turns, config)
            if fault is not None:
                return await self._fault_response(request, fault, api, body, parsed, config)
            return _json_response(api, self._complete(api, body, parsed, config))
        except ErrorReply as err:
            return _json_response(api, err.body(api), err.status, err.headers)

    async def _fault_response(
        self,
        request: web.Request,
        fault: Fault,
        api: Api,
        body: dict[str, Any],
        parsed: ParsedRequest,
        config: FakeAPIConfig,
    ) -> web.StreamResponse:
        if fault.kind == "malformed":
            return web.Response(body=MALFORMED_BODY[api], content_type="application/json")
        if fault.kind == "timeout":
            await asyncio.sleep(fault.delay_s)
            return _json_response(api, self._complete(api, body, parsed, config))
        if fault.kind == "drip":
            payload = json.dumps(self._complete(api, body, parsed, config)).encode()
            return await _drip(request, payload, fault.interval_s)
        if fault.kind in ("flood", "flood_error"):
            return await _flood(request, 200 if fault.kind == "flood" else 500)
        raise ErrorReply.from_fault(fault, api)

    @staticmethod
    def _complete(
        api: Api, body: dict[str, Any], parsed: ParsedRequest, config: FakeAPIConfig
    ) -> dict[str, Any]:
        text = config.responder(parsed.turns)
        reply = finish_reply(text, parsed.turns, parsed.max_tokens, parsed.stops)
        if api == "openai":
            return openai_completion(body, parsed.model, reply)
        return anthropic_message(parsed.model, reply)

    @staticmethod
    def _check_auth(request: web.Request, api: Api, api_key: str | None) -> None:
        """401 in the provider's format; never echoes what the client sent.

        Anthropic takes ``x-api-key`` or a bearer token: the anthropic 2.x SDK
        sends ``api_key`` as ``Authorization: Bearer``, older ones as ``x-api-key``.
        """
        if api_key is None or request.headers.get("Authorization") == f"Bearer {api_key}":
            return
        if api == "anthropic":
            if request.headers.get("x-api-key") == api_key:
                return
            raise ErrorReply(401, "invalid x-api-key", anthropic_type="authentication_error")
        raise ErrorReply(
            401,
            "Incorrect API key provided. You can find your API key in your account settings.",
            openai_code="invalid_api_key",
        )

    # -- bookkeeping

    def _begin(self, request: web.Request, body: Any, keep: bool) -> ReceivedRequest:
        key = request_key(request.path, body)
        with self._lock:
            stats = self._stats
            stats.requests += 1
            stats.by_path[request.path] = stats.by_path.get(request.path, 0) + 1
            stats.in_flight += 1
            stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
            attempt = stats.attempts[key] = stats.attempts.get(key, 0) + 1
            record = ReceivedRequest.model_construct(
                path=request.path,
                key=key,
                attempt=attempt,
                body=body if keep else None,
                headers=_safe_headers(request) if keep else {},
                fault=None,
                status=None,
            )
            if keep:
                stats.received.append(record)
        return record

    def _end(self, record: ReceivedRequest, status: int) -> None:
        with self._lock:
            stats = self._stats
            stats.in_flight -= 1
            stats.by_status[status] = stats.by_status.get(status, 0) + 1
            record.status = status
            if record.fault is not None:
                stats.faults[record.fault] = stats.faults.get(record.fault, 0) + 1

    def _pick_fault(
        self, record: ReceivedRequest, turns: list[ChatTurn], config: FakeAPIConfig
    ) -> Fault | None:
        """The first fault, in list order, that claims this attempt (or wins its dice roll)."""
        if not config.faults:
            return None
        last_user = next((t.content for t in reversed(turns) if t.role == "user"), "")
        used = 0
        for fault in config.faults:
            if fault.match is not None and fault.match not in last_user:
                continue
            if fault.probability is None:
                used += fault.attempts
                hit = record.attempt <= used
            else:
                with self._lock:
                    hit = self._rng.random() < fault.probability
            if hit:
                record.fault = fault.kind
                return fault
        return None


async def _drip(request: web.Request, payload: bytes, interval_s: float) -> web.StreamResponse:
    """Status and headers now, then ``payload`` one byte per ``interval_s``."""
    response = web.StreamResponse(
        status=200,
        headers={"Content-Type": "application/json", "Content-Length": str(len(payload))},
    )
    await response.prepare(request)
    try:
        for at in range(len(payload)):
            await response.write(payload[at : at + 1])
            await asyncio.sleep(interval_s)
        await response.write_eof()
    except ConnectionError:  # the client gave up, as it should
        pass
    return response


async def _flood(request: web.Request, status: int) -> web.StreamResponse:
    """A chunked JSON body that never ends (a server stuck in a loop), until the client
    hangs up: a reply (200) or an error (500) whose message never ends."""
    response = web.StreamResponse(status=status, headers={"Content-Type": "application/json"})
    await response.prepare(request)
    chunk = b"A" * 2**20
    field = (
        b'{"choices": [{"message": {"content": "' if status == 200 else b'{"error": {"message": "'
    )
    try:
        await response.write(field)
        while True:
            await response.write(chunk)
    except ConnectionError:  # the client gave up, as it should
        pass
    return response


def _updated(config: FakeAPIConfig, changes: dict[str, Any]) -> FakeAPIConfig:
    """A validated copy with ``changes`` applied (``responder`` is not dumped, so carry it)."""
    fields = {**config.model_dump(), "responder": config.responder, **changes}
    return FakeAPIConfig.model_validate(fields)


def _decode_json(raw: bytes) -> Any:
    """The parsed body; the raw text when it is not JSON (answered with a 400 later)."""
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode(errors="replace")


def _check_model(model: str, models: list[str] | None) -> None:
    if models is not None and model not in models:
        raise ErrorReply(
            404,
            f"The model `{model}` does not exist or you do not have access to it.",
            openai_code="model_not_found",
            anthropic_type="not_found_error",
            param="model",
        )


_SECRET_HEADERS = frozenset({"authorization", "x-api-key"})


def _safe_headers(request: web.Request) -> dict[str, str]:
    return {k: v for k, v in request.headers.items() if k.lower() not in _SECRET_HEADERS}


# ---------------------------------------------------------------- in-process server


class FakeAPIServer(FakeAPI):
    """The fake API on 127.0.0.1, served from a background thread with its own loop.

    ``with FakeAPIServer(latency_s=0.05, faults=[Fault(kind="rate_limit")]) as server:``
    then point the SDKs at ``server.openai_base_url`` / ``server.anthropic_base_url``.
    """

    def __init__(
        self,
        config: FakeAPIConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        **config_fields: Any,
    ) -> None:
        super().__init__(config, **config_fields)
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._startup_error: BaseException | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def openai_base_url(self) -> str:
        return self.base_url + "/v1"

    @property
    def anthropic_base_url(self) -> str:
        return self.base_url

    def start(self, timeout_s: float = 10.0) -> FakeAPIServer:
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(ready,), name="fake-api", daemon=True
        )
        self._thread.start()
        if not ready.wait(timeout_s):
            raise RuntimeError(f"fake API did not start within {timeout_s} s")
        if self._startup_error is not None:
            raise RuntimeError(f"fake API failed to start: {self._startup_error}")
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout_s)
        self._loop = self._thread = None

    def __enter__(self) -> FakeAPIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self, ready: threading.Event) -> None:
        loop = self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        runner = web.AppRunner(
            self.make_app(),
            access_log=None,
            handler_cancellation=True,  # a client that gives up cancels its handler
            shutdown_timeout=1.0,
        )
        try:
            loop.run_until_complete(self._listen(runner))
        except BaseException as exc:  # reported by start()
            self._startup_error = exc
            ready.set()
            loop.close()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(runner.cleanup())
            loop.close()

    async def _listen(self, runner: web.AppRunner) -> None:
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port, backlog=1024)
        await site.start()
        self.port = runner.addresses[0][1]


# ---------------------------------------------------------------- separate process


class ServerProcess:
    """A fake API running in a child process; terminated on exit."""

    def __init__(self, process: subprocess.Popen[str], base_url: str) -> None:
        self.process = process
        self.base_url = base_url

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    @property
    def openai_base_url(self) -> str:
        return self.base_url + "/v1"

    @property
    def anthropic_base_url(self) -> str:
        return self.base_url

    def stats(self) -> FakeAPIStats:
        with urllib.request.urlopen(self.base_url + "/_fake/stats", timeout=10) as response:
            return FakeAPIStats.model_validate_json(response.read())

    def reset_stats(self) -> None:
        request = urllib.request.Request(self.base_url + "/_fake/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass

    def stop(self, timeout_s: float = 10.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_server_process(
    latency_s: float = 0.0,
    *,
    port: int = 0,
    api_key: str | None = None,
    models: list[str] | None = None,
    faults: Sequence[Fault] = (),
    record_bodies: bool = True,
    seed: int = 0,
    responder: str | None = None,
    startup_timeout_s: float = 20.0,
) -> ServerProcess:
    """Run ``python -m evalkit.testing.fake_api`` and wait until it listens.

    ``responder`` is an import path (``package.module:function``), since a
    callable cannot cross the process boundary.
    """
    config = FakeAPIConfig(
        latency_s=latency_s,
        api_key=api_key,
        models=models,
        faults=list(faults),
        record_bodies=record_bodies,
        seed=seed,
    )
    command = [sys.executable, "-m", "evalkit.testing.fake_api", "--port", str(port)]
    command += ["--config", config.model_dump_json()]
    if responder:
        command += ["--responder", responder]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=_child_env())
    line = _first_line(process, startup_timeout_s)
    if not line.startswith("listening "):
        process.kill()
        process.wait()
        raise RuntimeError(
            f"fake API process did not start (exit code {process.poll()}, first line {line!r}; "
            "see its stderr)"
        )
    return ServerProcess(process, line.split(" ", 1)[1].strip())


def _child_env() -> dict[str, str]:
    """Make sure the child imports this same evalkit, installed or not."""
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def _first_line(process: subprocess.Popen[str], timeout_s: float) -> str:
    lines: list[str] = []
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout_s)
    return lines[0] if lines else ""


def _import_responder(path: str) -> Responder:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until SIGTERM/SIGINT; print one ``listening URL`` line once ready."""
    parser = argparse.ArgumentParser(prog="python -m evalkit.testing.fake_api")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, help="seconds before every answer")
    parser.add_argument("--api-key")
    parser.add_argument("--no-record-bodies", action="store_true")
    parser.add_argument("--config", help="FakeAPIConfig as JSON (faults, models, seed, ...)")
    parser.add_argument("--responder", help="package.module:function")
    args = parser.parse_args(argv)

    fields: dict[str, Any] = json.loads(args.config) if args.config else {}
    if args.latency is not None:
        fields["latency_s"] = args.latency
    if args.api_key is not None:
        fields["api_key"] = args.api_key
    if args.no_record_bodies:
        fields["record_bodies"] = False
    if args.responder:
        fields["responder"] = _import_responder(args.responder)

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    with FakeAPIServer(host=args.host, port=args.port, **fields) as server:
        print(f"listening {server.base_url}", flush=True)
        while not stop.wait(1.0):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
