"""What every HTTP provider shares: cache, pacing, retries, usage and secret hygiene.

A provider subclass only says how to build its request body, send it once,
and read the reply. Around that, :class:`HostedAdapter` answers from the
response cache or from an identical request already in flight, waits for a
slot (max in flight, requests and tokens per minute), retries transient
failures with exponential backoff and jitter (honouring ``Retry-After``),
bounds each attempt as a whole by ``timeout_s``, stops the whole run on errors
no retry can fix (bad key, unknown model, an endpoint nothing answers on),
and scrubs the API key, in any encoding, out of anything it reports.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import os
import random
import time
from abc import abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evalkit.errors import EvalkitError
from evalkit.messages import Message
from evalkit.providers.base import GenerationParams, ModelAdapter, ModelResponse
from evalkit.providers.hosted_config import HostedModelConfig, has_credentials, public_url
from evalkit.providers.key_hosts import check_key_destination
from evalkit.providers.redaction import Redactor
from evalkit.providers.response_cache import request_key

if TYPE_CHECKING:
    from evalkit.providers.response_cache import ResponseCache

#: Statuses worth another try: timeouts, conflicts, rate limits, server trouble.
RETRYABLE_STATUS = frozenset({408, 409, 429}) | frozenset(range(500, 600))
#: Statuses that no retry fixes and that will hit every sample: stop the run.
FATAL_STATUS = frozenset({401, 403, 404})
#: Longest ``Retry-After`` honoured; beyond it the server is asking for something else.
MAX_RETRY_AFTER_S = 600.0

#: Requests refused as invalid (HTTP 400) before any succeeded, after which the run stops:
#: a setting the endpoint refuses (temperature: 5) fails every sample the same way.
BAD_REQUESTS_TO_GIVE_UP = 5

#: Connection failures in a row, with no reply from the endpoint, before the run stops.
CONNECT_FAILURES_TO_GIVE_UP = 3
#: ... and, once the endpoint has answered in this run, how long it must have been silent.
SILENT_FOR_S_TO_GIVE_UP = 60.0


class RequestFailed(Exception):
    """A request that failed after its retries; the sample is recorded as errored."""


#: Characters of the longest reply kept: 128 a token at the largest max_new_tokens (32,768).
#: A longer one comes from an endpoint that ignored max_tokens, and is refused: a 10 MB
#: reply took ~10 s and ~450 MB to score, and more to report, every time the run is read.
MAX_REPLY_CHARS = 128 * 32_768


#: Bytes of the largest reply body read: a reply of MAX_REPLY_CHARS with top-20 log-probs
#: for every token is ~40 MB. A longer body is refused as it streams in, before it is all in
#: memory (at 128 requests in flight, an endpoint that never stops would otherwise fill it).
MAX_BODY_BYTES = 64 * 2**20
#: Bytes of the largest error body read (HTTP 4xx/5xx): the SDK reads it whole to raise,
#: and evalkit keeps only the provider's message from it.
MAX_ERROR_BODY_BYTES = 2**20


class MalformedResponse(Exception):
    """The endpoint answered 200 with a body that is not a valid reply."""


def malformed(content: bytes, exc: Exception) -> str:
    """What the user sees of a 200 body that is not a reply: the error and the body's start."""
    snippet = content.decode("utf-8", "replace")[:300]
    return f"malformed response ({type(exc).__name__}): {snippet!r}"


class ProviderError(EvalkitError):
    """The endpoint refuses every request (bad key, no access, unknown model): stop the run."""


@dataclass(frozen=True)
class Failure:
    """One failed attempt, classified."""

    reason: str
    retryable: bool
    fatal: bool = False
    retry_after_s: float | None = None
    #: The endpoint answered (an HTTP error or a bad body): it is up.
    answered: bool = False
    #: No connection was made: nothing is listening, or the host does not resolve.
    unreachable: bool = False
    #: The HTTP status the endpoint answered with, if it did.
    status: int | None = None


class Pacer:
    """Keeps at most ``max_in_flight`` requests open and under per-minute budgets."""

    def __init__(self, config: HostedModelConfig) -> None:
        self._slots = asyncio.Semaphore(config.max_in_flight)
        self._requests = _per_second(config.requests_per_minute)
        self._tokens = _per_second(config.tokens_per_minute)
        self.in_flight = 0
        self.max_in_flight_seen = 0

    def slot(self, estimated_tokens: int) -> _Slot:
        """``async with pacer.slot(tokens):`` a request, once its budgets and a slot allow."""
        return _Slot(self, estimated_tokens)


class _Slot:
    """One request's slot (a class, not ``asynccontextmanager``: one per request, and a
    generator-based one costs more than the rest of the pacing)."""

    __slots__ = ("_pacer", "_tokens")

    def __init__(self, pacer: Pacer, estimated_tokens: int) -> None:
        self._pacer = pacer
        self._tokens = estimated_tokens

    async def __aenter__(self) -> None:
        pacer = self._pacer
        if pacer._requests is not None:
            await pacer._requests.acquire()
        if pacer._tokens is not None:  # a request bigger than a second's budget waits a second
            await pacer._tokens.acquire(min(float(self._tokens), pacer._tokens.max_rate))
        await pacer._slots.acquire()
        pacer.in_flight += 1
        pacer.max_in_flight_seen = max(pacer.max_in_flight_seen, pacer.in_flight)

    async def __aexit__(self, *_: object) -> None:
        self._pacer.in_flight -= 1
        self._pacer._slots.release()


def _per_second(per_minute: float | None) -> Any:
    """A leaky bucket refilling every second, so a per-minute budget is spent evenly.

    (A one-minute bucket would allow the whole minute's budget as one burst.)
    """
    if per_minute is None:
        return None
    from aiolimiter import AsyncLimiter

    per_second = per_minute / 60
    if per_second >= 1:
        return AsyncLimiter(per_second, 1)
    return AsyncLimiter(1, 1 / per_second)


def looks_like_a_key(name: str) -> bool:
    """A variable name that is more likely a pasted key (``gsk_8fK2mQ9xLp4RtY7wZ3vN``): long,
    with digits and letters of both cases, as no one names a variable."""
    return (
        len(name) >= 16
        and any(c.isdigit() for c in name)
        and any(c.islower() for c in name)
        and any(c.isupper() for c in name)
    )


def estimate_tokens(messages: list[Message], params: GenerationParams) -> int:
    """A rough request size for token budgets: ~4 characters a token, plus the reply limit."""
    return sum(len(m.content) for m in messages) // 4 + params.max_new_tokens


class HostedAdapter(ModelAdapter):
    """Base of the HTTP providers, on an official SDK (``openai`` or ``anthropic``).

    Subclasses name their SDK and implement :meth:`request_body` and :meth:`send`.
    """

    provider: str = ""  # also the SDK's module name
    sync_client: str = ""  # e.g. "OpenAI": resolves the endpoint without connecting
    async_client: str = ""  # e.g. "AsyncOpenAI"
    default_key_env: str = ""
    uses_response_cache = True

    def __init__(self, config: HostedModelConfig, cache: ResponseCache | None = None) -> None:
        self.config = config
        self.cache = cache
        self.key_env = config.api_key_env or self.default_key_env
        self._api_key = api_key = api_key_for(config, type(self))
        self.redact = Redactor(api_key)
        self.max_concurrency = config.max_in_flight
        self._pacer: Pacer | None = None
        self._inflight: dict[str, asyncio.Future[tuple[ModelResponse, bool]]] = {}
        self._random = random.Random()
        self._sdk = importlib.import_module(self.provider)
        self._client: Any = None
        self._options: dict[str, Any] = {}  # path -> the SDK's request options, built once
        self._raw_response = transport_response_class(self._sdk)
        self.endpoint = checked_endpoint(type(self), config)
        self._unreachable_in_a_row = 0
        self._last_reply: float | None = None  # monotonic time of the endpoint's last answer
        self._succeeded = False
        self._bad_requests = 0

    def client(self) -> Any:
        """The SDK's async client, created inside the running event loop aiohttp needs.

        The SDK's own retries are off: attempts are counted and bounded here.
        """
        if self._client is None:
            self._client = getattr(self._sdk, self.async_client)(
                api_key=self._api_key,
                base_url=self.endpoint,
                timeout=self.config.timeout_s,
                max_retries=0,
                http_client=self._sdk.DefaultAioHttpClient(
                    timeout=self.config.timeout_s,
                    event_hooks={"response": [bound_error_body]},
                ),
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    # -- provider hooks -----------------------------------------------------------

    @staticmethod
    @abstractmethod
    def request_body(
        config: Any, messages: list[Message], params: GenerationParams
    ) -> dict[str, Any]:
        """The request body, JSON-serialisable: it is also the cache key.

        Static, so ``--dry-run`` can compute cache keys without a client or a key.
        """

    @abstractmethod
    async def send(self, request: dict[str, Any]) -> ModelResponse:
        """One attempt. Raise the SDK's exceptions or :class:`MalformedResponse`."""

    async def post(self, path: str, request: dict[str, Any]) -> bytes:
        """POST ``request`` to ``path`` through the SDK's client; the reply's body, unparsed.

        ``client.post(..., cast_to=bytes)`` is the SDKs' own route for raw requests:
        their client still sets the key, headers, base URL and timeout, sends on its
        aiohttp transport and raises its exception classes for HTTP errors (which
        :meth:`classify` reads), but skips the typed method's per-call argument
        transform and the response models built from every reply; the provider
        reads the few fields it keeps from the JSON itself. ``post`` itself only
        builds the request's options and hands them to ``client.request``: those are
        built once per path here and copied with each body (constructing them
        resolves every default again). Together about a third of the SDK's CPU per
        request (``benchmarks/api_throughput.py`` says what remains).
        """
        body = wire_body(request)
        options = self._options.get(path)
        if options is None:
            options = self._options[path] = request_options(self._sdk, path)
        if options is False:  # an SDK without them where we look: its own post
            return await self.client().post(path, cast_to=bytes, body=body)
        options = options.model_copy(update={"json_data": body})
        raw = self._raw_response
        if raw is None:  # an SDK without its transport's response class where we look
            return await self.client().request(bytes, options)
        return await read_bounded(await self.client().request(raw, options, stream=True))

    # -- the shared machinery -----------------------------------------------------

    @property
    def max_in_flight_seen(self) -> int:
        return self._pacer.max_in_flight_seen if self._pacer else 0

    async def generate(self, messages: list[Message], params: GenerationParams) -> ModelResponse:
        """A reply from the cache, from an identical request in flight, or from the endpoint.

        The first of identical requests registers a future before anything else
        can await, and resolves it on every path; later ones wait on it. The
        cache only ever sees a reply after it is handed out: writing it cannot
        fail the sample or keep a waiter waiting.
        """
        self._refuse_the_key(messages)
        request = self.request_body(self.config, messages, params)
        tokens = estimate_tokens(messages, params)
        if self.cache is None or not params.greedy:
            return await self._send_with_retries(request, tokens)
        key = cache_key(self.provider, self.endpoint, request)
        shared = self._inflight.get(key)
        if shared is not None:  # the same request is on its way: wait for its answer
            response, from_cache = await asyncio.shield(shared)
            if from_cache:
                self.usage.cache_hits += 1
            else:
                self.usage.deduplicated += 1
            return response.model_copy(update={"cached": True})
        future: asyncio.Future[tuple[ModelResponse, bool]] = (
            asyncio.get_running_loop().create_future()
        )
        self._inflight[key] = future
        try:
            hit = await self.cache.aget(key)
            response = hit if hit is not None else await self._send_with_retries(request, tokens)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved here, so an unshared failure is not logged twice
            raise
        finally:
            del self._inflight[key]
        future.set_result((response, hit is not None))
        if hit is not None:
            self.usage.cache_hits += 1
            return hit.model_copy(update={"cached": True})
        self.cache.put(key, response)
        return response

    def _without_key(self, response: ModelResponse) -> ModelResponse:
        """The reply with the key, in any rendering, out of its text, model name and
        log-prob tokens (each scanned quickly for it first)."""
        key_only = self.redact.key_only
        response.text = key_only(response.text)
        response.model = key_only(response.model)
        for token in response.logprobs or ():  # in place: most hold no key
            token.token = key_only(token.token)
            for alternative in token.top:
                alternative.token = key_only(alternative.token)
        return response

    def _refuse_the_key(self, messages: list[Message]) -> None:
        """A prompt holding the API key (a dataset or template that quotes it, say from
        ``/proc/self/environ``) is never sent: it would reach the endpoint and every
        record, cache row and export of the run, where the key must never be."""
        for message in messages:
            if self.redact.key_only(message.content) != message.content:
                raise RequestFailed(
                    f"the {message.role} message holds the API key (the value of "
                    f"{self.key_env}): not sent"
                )

    async def _send_with_retries(self, request: dict[str, Any], tokens: int) -> ModelResponse:
        if self._pacer is None:
            self._pacer = Pacer(self.config)
        attempts = self.config.max_retries + 1
        for attempt in range(1, attempts + 1):
            async with self._pacer.slot(tokens):
                self.usage.requests += 1
                started = time.perf_counter()
                try:  # timeout_s bounds the whole attempt, not each read of it
                    response = await self._attempt(request)
                except MalformedResponse as exc:
                    self._answered()
                    self.usage.failed_requests += 1
                    raise MalformedResponse(self.redact(str(exc))) from None
                except asyncio.TimeoutError:  # the attempt's deadline; the SDK wraps its own
                    failure = Failure(
                        f"request timed out: no complete reply within {self.config.timeout_s:g} s",
                        retryable=True,
                    )
                except Exception as exc:
                    failure = self.classify(exc)
                    if failure is None:  # not a failure the SDK knows: still report it clean
                        self.usage.failed_requests += 1
                        raise RequestFailed(
                            f"{type(exc).__name__}: {self.redact(str(exc))}"
                        ) from None
                else:
                    self._answered()
                    self._succeeded = True
                    if len(response.text) > MAX_REPLY_CHARS:
                        self.usage.failed_requests += 1
                        raise MalformedResponse(
                            f"a reply of {len(response.text):,} characters, more than "
                            f"{MAX_REPLY_CHARS:,}: the endpoint did not keep to max_tokens"
                        )
                    response.latency_s = time.perf_counter() - started
                    # a gateway may quote the key in a reply's text (an error sent as a
                    # completion), its model name or its tokens; all are stored and cached
                    return self._without_key(response)
            self._check_reachable(failure)
            self._check_valid(failure)
            if failure.fatal:
                not_found = failure.status == 404  # a wrong path, or a model it lacks
                raise ProviderError(
                    f"{self.provider} endpoint {public_url(self.endpoint)} refused the request: "
                    + self.redact(failure.reason),
                    field="base_url" if not_found and self.config.base_url else "model",
                    expected=(
                        "base_url at the API's root (an OpenAI-compatible server's ends in /v1) "
                        "and a model the endpoint serves"
                        if not_found
                        else "a valid API key with access to this model"
                    ),
                )
            if not failure.retryable or attempt == attempts:
                self.usage.failed_requests += 1
                tries = f"after {attempt} attempts" if attempt > 1 else "not retryable"
                raise RequestFailed(f"{self.redact(failure.reason)} ({tries})")
            self.usage.retries += 1
            await asyncio.sleep(self._delay(attempt, failure.retry_after_s))
        raise AssertionError("unreachable")

    async def _attempt(self, request: dict[str, Any]) -> ModelResponse:
        """:meth:`send`, within ``timeout_s`` as a whole.

        ``asyncio.timeout`` (Python 3.11+) bounds it in the sample's own task;
        ``wait_for``, all 3.10 has, runs it in a task of its own, one more per request.
        """
        deadline = getattr(asyncio, "timeout", None)
        if deadline is None:
            return await asyncio.wait_for(self.send(request), self.config.timeout_s)
        async with deadline(self.config.timeout_s):
            return await self.send(request)

    def _answered(self) -> None:
        """The endpoint answered (anything, even an error): it is up."""
        self._unreachable_in_a_row = 0
        self._last_reply = time.monotonic()

    def _check_reachable(self, failure: Failure) -> None:
        """Stop the run when nothing answers at the endpoint, instead of retrying every sample.

        Before any reply, a few connection failures in a row are enough (a wrong
        port or a server that is not running); after one, the endpoint must also
        have been silent for a while (a server that died mid-run).
        """
        if failure.answered:
            self._answered()
        if not failure.unreachable:
            return
        self._unreachable_in_a_row += 1
        if self._unreachable_in_a_row < CONNECT_FAILURES_TO_GIVE_UP:
            return
        last = self._last_reply
        if last is not None and time.monotonic() - last < SILENT_FOR_S_TO_GIVE_UP:
            return
        since = (
            "no reply in this run" if last is None else f"none for {SILENT_FOR_S_TO_GIVE_UP:g} s"
        )
        raise ProviderError(
            f"{self.redact(failure.reason)} ({self._unreachable_in_a_row} attempts in a row, "
            f"{since}); stopped the run",
            field="base_url",
            expected=f"a server of the {self.provider} API listening at that address",
        )

    def _check_valid(self, failure: Failure) -> None:
        """Stop the run when the endpoint refuses every request as invalid, before any
        succeeded (a setting it does not accept), instead of erroring every sample and
        advising a retry that fails the same way."""
        if failure.status != 400 or self._succeeded:
            return
        self._bad_requests += 1
        if self._bad_requests >= BAD_REQUESTS_TO_GIVE_UP:
            raise ProviderError(
                f"{self.provider} endpoint {public_url(self.endpoint)} refused the first "
                f"{self._bad_requests} requests as invalid: {self.redact(failure.reason)}",
                field="generation",
                expected="settings this endpoint accepts (its message says which)",
            )

    def _delay(self, attempt: int, retry_after_s: float | None) -> float:
        """``Retry-After`` when the server sent one, else exponential backoff; both jittered."""
        if retry_after_s is not None:
            base = min(max(retry_after_s, 0.0), MAX_RETRY_AFTER_S)
            return base + self._random.uniform(0, 0.1 * base + 0.01)
        ceiling = min(self.config.max_backoff_s, self.config.backoff_s * 2 ** (attempt - 1))
        return self._random.uniform(ceiling / 2, ceiling)

    def classify(self, exc: Exception) -> Failure | None:
        """Classify an SDK exception; ``None`` for one that is a bug, not a failure."""
        if (
            isinstance(exc, self._sdk.APIConnectionError)
            and (cause := connection_failure(exc)) is not None
        ):
            return Failure(
                reason=f"{cause}: {public_url(self.endpoint)}", retryable=True, unreachable=True
            )
        return classify_sdk_error(exc, self._sdk)

    def describe(self) -> dict[str, Any]:
        from evalkit.manifest import package_versions

        return {
            "provider": self.provider,
            "model": self.config.model,
            "endpoint": public_url(self.endpoint),
            "api_key_env": self.key_env,
            "transport": "aiohttp",
            "packages": package_versions(self.provider, "aiohttp"),
        }


def request_options(sdk: Any, path: str) -> Any:
    """The options ``client.post(path, ...)`` builds for every call, built once (the SDK's
    ``FinalRequestOptions``, in its ``_models`` since 1.0); False where the SDK has none."""
    try:
        options = importlib.import_module(f"{sdk.__name__}._models").FinalRequestOptions
        return options.construct(method="post", url=path)
    except (ImportError, AttributeError, TypeError):
        return False


def transport_response_class(sdk: Any) -> Any:
    """The response class of the SDK's HTTP transport (``httpx2`` or ``httpx``), which
    ``client.request`` returns unread when asked to stream; None if it is not found."""
    base = importlib.import_module(f"{sdk.__name__}._base_client")
    transport = getattr(base, "httpx2", None) or getattr(base, "httpx", None)
    return getattr(transport, "Response", None)


async def read_bounded(response: Any, limit: int = MAX_BODY_BYTES) -> bytes:
    """A streamed 200 response's body, refused as soon as it passes ``limit`` bytes.

    The SDK has already raised for an HTTP error status (reading that body itself).
    """
    try:
        declared = _declared_size(response)
        if declared is not None and declared > limit:
            raise MalformedResponse(_too_long(declared, limit))
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise MalformedResponse(_too_long(size, limit, at_least=True))
            chunks.append(chunk)
    finally:
        await response.aclose()
    return b"".join(chunks)


async def bound_error_body(response: Any) -> None:
    """The transport's response hook: an HTTP error's body is cut off at
    :data:`MAX_ERROR_BODY_BYTES` as the SDK reads it, instead of read whole.

    The SDK reads an error body completely before it raises, outside
    :func:`read_bounded`'s reach; a server that never ends one would fill memory.
    """
    if response.status_code < 400:
        return
    what = f"an HTTP {response.status_code} error body"
    declared = _declared_size(response)
    if declared is not None and declared > MAX_ERROR_BODY_BYTES:
        await response.aclose()
        raise MalformedResponse(_too_long(declared, MAX_ERROR_BODY_BYTES, what=what))
    base = next((c for c in type(response.stream).__mro__ if c.__name__ == "AsyncByteStream"), None)
    if base is not None:  # the transport's async stream, as httpx2 and httpx name it
        response.stream = _bounded_stream_class(base)(response.stream, MAX_ERROR_BODY_BYTES, what)


@functools.cache
def _bounded_stream_class(base: type) -> type:
    """A subclass of the transport's stream base (``httpx2`` or ``httpx``, whose response
    checks the stream's class) that raises once more than ``limit`` bytes passed."""

    class BoundedStream(base):  # type: ignore[misc, valid-type]
        def __init__(self, stream: Any, limit: int, what: str) -> None:
            self._stream = stream
            self._limit = limit
            self._what = what

        async def __aiter__(self) -> Any:
            size = 0
            async for chunk in self._stream:
                size += len(chunk)
                if size > self._limit:
                    message = _too_long(size, self._limit, at_least=True, what=self._what)
                    raise MalformedResponse(message)
                yield chunk

        async def aclose(self) -> None:
            await self._stream.aclose()

    return BoundedStream


def _declared_size(response: Any) -> int | None:
    """The body's size as its Content-Length header says, if it says one."""
    declared = response.headers.get("content-length")
    return int(declared) if declared is not None and declared.isdigit() else None


def _too_long(size: int, limit: int, *, at_least: bool = False, what: str = "a reply body") -> str:
    more = "more than " if at_least else ""
    return f"{what} of {more}{size:,} bytes, over the {limit:,}-byte limit"


def wire_body(request: dict[str, Any]) -> dict[str, Any]:
    """The JSON body sent for ``request``: its fields, with ``extra_body`` merged over them.

    That is the body the SDKs' typed methods send (they merge ``extra_body`` over
    the arguments last), without what they do per call first: walking every
    argument and message through a type-driven ``transform`` that changes nothing
    for plain JSON (anthropic-sdk-python#1195 reports its cost).
    """
    body = {k: v for k, v in request.items() if k != "extra_body"}
    body.update(request.get("extra_body") or {})
    return body


def api_key_for(config: HostedModelConfig, adapter: type[HostedAdapter]) -> str:
    """The key from the environment variable the config names (or the SDK's own); refused
    before any request when it is not set, naming the variable unless the name is a key."""
    key_env = config.api_key_env or adapter.default_key_env
    api_key = os.environ.get(key_env, "").strip()
    if not api_key and looks_like_a_key(key_env):  # never repeated: it may be one
        raise EvalkitError(
            "api_key_env names no environment variable that is set, and the name looks "
            "like a key itself",
            field="api_key_env",
            expected="the NAME of the variable that holds the key (e.g. OPENAI_API_KEY), "
            "with the key in the environment, not in the config",
        )
    if not api_key:  # checked before any request is made
        raise EvalkitError(
            f"environment variable {key_env} is not set",
            field="api_key_env" if config.api_key_env else "provider",
            expected=f"the {adapter.provider} API key in {key_env} "
            "(any non-empty value for a server without authentication), "
            "or `api_key_env:` naming the variable that holds it",
        )
    return api_key


def checked_endpoint(adapter_class: type[HostedAdapter], config: HostedModelConfig) -> str:
    """The endpoint the SDK will use, refused if the config sends the key to a host the user
    has not allowed or the URL holds credentials. Needs no key and makes no connection, so
    ``evalkit validate`` and a run's judges are checked before anything runs."""
    key_env = config.api_key_env or adapter_class.default_key_env
    try:
        endpoint = resolve_endpoint(adapter_class, config.base_url)
    except Exception as exc:  # its message may quote the URL, credentials and all
        raise EvalkitError(
            f"the {adapter_class.provider} endpoint URL is not valid ({type(exc).__name__})",
            field="base_url",
            expected="a URL such as https://host/v1, without user:password@",
        ) from None
    check_key_destination(
        config.base_url, endpoint, lambda: resolve_endpoint(adapter_class, None), key_env
    )
    if has_credentials(endpoint):  # from the SDK's *_BASE_URL variable
        raise EvalkitError(
            f"the {adapter_class.provider} endpoint URL holds credentials (user:password@); "
            "the SDK's transport refuses them and they would be stored with the run",
            field="base_url",
            expected=f"a URL without them, and the key in {key_env}",
        )
    return endpoint


def resolve_endpoint(adapter_class: type[HostedAdapter], base_url: str | None) -> str:
    """The base URL the SDK will use: ``base_url``, else its own *_BASE_URL variable or API.

    Asks the SDK's sync client, which makes no connection and needs no real key.
    """
    sdk = importlib.import_module(adapter_class.provider)
    with getattr(sdk, adapter_class.sync_client)(api_key="unused", base_url=base_url) as probe:
        return str(probe.base_url)


def cache_key(provider: str, endpoint: str, request: dict[str, Any]) -> str:
    return request_key({"provider": provider, "endpoint": endpoint, "request": request})


def retry_after_seconds(headers: Any) -> float | None:
    """Seconds from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date)."""
    if headers is None:
        return None
    with contextlib.suppress(TypeError, ValueError):
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        from email.utils import parsedate_to_datetime

        with contextlib.suppress(TypeError, ValueError):
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    return None


def classify_sdk_error(exc: Exception, sdk: Any) -> Failure | None:
    """Shared by the openai and anthropic SDKs, whose exception classes mirror each other."""
    if isinstance(exc, sdk.APIStatusError):
        status = exc.status_code
        reason = f"HTTP {status} {type(exc).__name__}: {_provider_message(exc)}"
        return Failure(
            reason=reason,
            retryable=status in RETRYABLE_STATUS,
            fatal=status in FATAL_STATUS,
            retry_after_s=retry_after_seconds(exc.response.headers),
            answered=True,
            status=status,
        )
    if isinstance(exc, sdk.APITimeoutError):
        return Failure(reason="request timed out (no data within timeout_s)", retryable=True)
    if isinstance(exc, sdk.APIConnectionError):
        return Failure(reason=f"connection error: {exc}", retryable=True)
    if isinstance(exc, sdk.APIResponseValidationError):
        return Failure(reason=f"malformed response: {exc}", retryable=False, answered=True)
    return None


def _provider_message(exc: Any) -> str:
    """The error text the provider put in its body, else the SDK's message."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return error["message"]
    return str(getattr(exc, "message", exc))


def connection_failure(exc: BaseException) -> str | None:
    """What kept a connection from being made, from the causes the SDK wraps; None if one was.

    The SDKs wrap a refused connection as ``APIConnectionError`` or even as
    ``APITimeoutError`` ("Request timed out."), which would send the user looking
    for a slow server instead of a missing one.
    """
    import aiohttp

    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, aiohttp.ClientConnectorDNSError):
            return "host not found"
        if isinstance(cause, aiohttp.ClientConnectorError):
            if isinstance(cause.os_error, ConnectionRefusedError):
                return "connection refused"
            return f"cannot connect ({cause.os_error.strerror or cause.os_error})"
        if isinstance(cause, aiohttp.ConnectionTimeoutError):
            return "connection timed out"
        cause = cause.__cause__ or cause.__context__
    return None
