"""YAML keys shared by providers that call a hosted or served model over HTTP."""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from evalkit.providers.model_config import ModelConfig

#: Request fields the providers set from the config, the conversation and ``generation``
#: (OpenAI and Anthropic), or whose answer evalkit could not read (``stream``, ``n``).
_REQUEST_FIELDS = frozenset(
    {
        *("model", "messages", "system", "max_tokens", "max_completion_tokens"),
        *("temperature", "top_p", "seed", "stop", "stop_sequences", "logprobs"),
        *("top_logprobs", "stream", "n"),
    }
)
#: Query parameters whose values are credentials (``?api_key=...``, ``?sig=...``).
_SECRET_PARAM = re.compile(r"key|token|secret|passw|sig|auth|credential", re.IGNORECASE)


def public_url(url: str) -> str:
    """``url`` without user:password and secret query values, for manifests, logs and errors."""
    try:
        parts = urlsplit(url)
        netloc = parts.hostname or ""
        if ":" in netloc:  # an IPv6 literal
            netloc = f"[{netloc}]"
        if parts.port:
            netloc += f":{parts.port}"
    except ValueError:  # not a URL we can take apart: keep nothing that may be a secret
        return "[unparsable URL]"
    query = parts.query
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(_SECRET_PARAM.search(name) for name, _ in pairs):
        hidden = [(n, "[redacted]" if _SECRET_PARAM.search(n) else v) for n, v in pairs]
        query = urlencode(hidden, safe="[]")
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def has_credentials(url: str) -> bool:
    """True when ``url`` carries user:password (which the SDKs' transport refuses to send)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.username is not None or parts.password is not None


class Price(BaseModel):
    """US dollars per million tokens, as providers publish them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input_per_mtok: float = Field(ge=0)
    output_per_mtok: float = Field(ge=0)

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        dollars = prompt_tokens * self.input_per_mtok + completion_tokens * self.output_per_mtok
        return dollars / 1e6


class HostedModelConfig(ModelConfig):
    """Endpoint, credentials, pacing and retries of an HTTP model.

    Pacing and retry settings change how a run is executed, not what its
    samples mean, so they are left out of :meth:`identity` and can be tuned
    between a run and its resume.
    """

    base_url: str | None = Field(
        default=None, description="Endpoint; default: the SDK's own *_BASE_URL variable or API."
    )
    api_key_env: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="Environment variable holding the key (default: the SDK's own).",
    )
    max_in_flight: int = Field(default=32, ge=1, le=4096, description="Concurrent requests.")
    requests_per_minute: float | None = Field(default=None, gt=0)
    tokens_per_minute: float | None = Field(default=None, gt=0)
    timeout_s: float = Field(
        default=120.0,
        gt=0,
        description="Per attempt, start to finish (connect, send, the whole reply); then a retry.",
    )
    max_retries: int = Field(default=6, ge=0, le=100, description="Retries after the first try.")
    backoff_s: float = Field(default=1.0, ge=0, description="First retry delay; doubles each try.")
    max_backoff_s: float = Field(default=60.0, ge=0)
    extra_body: dict[str, Any] = Field(
        default_factory=dict, description="Passed through verbatim in every request body."
    )
    price: Price | None = Field(default=None, description="For a cost figure in the summary.")

    #: Fields that do not change what a response means.
    OPERATIONAL: ClassVar[frozenset[str]] = frozenset(
        {
            "name",
            "api_key_env",
            "max_in_flight",
            "requests_per_minute",
            "tokens_per_minute",
            "timeout_s",
            "max_retries",
            "backoff_s",
            "max_backoff_s",
            "price",
        }
    )

    @field_validator("extra_body")
    @classmethod
    def _no_fields_evalkit_sets(cls, value: dict[str, Any]) -> dict[str, Any]:
        # Merged over the body, they would change what is sent but not what is recorded:
        # results showing the template's question when the model was asked another.
        taken = sorted(set(value) & _REQUEST_FIELDS)
        if taken:
            raise ValueError(
                f"extra_body sets {', '.join(map(repr, taken))}, which evalkit sends itself "
                "(the recorded conversation and generation settings must be what was sent): "
                "use the model's `generation:` and `model:`, or other fields only"
            )
        return value

    @field_validator("base_url")
    @classmethod
    def _no_credentials(cls, value: str | None) -> str | None:
        # The message must not repeat the URL: it holds the secret.
        if value is not None and has_credentials(value):
            raise ValueError(
                "credentials in the URL (user:password@) are not supported: they would be "
                "stored in the run's manifest, and the SDK sends the key itself; put the key "
                "in the environment variable named by api_key_env"
            )
        return value

    @field_serializer("base_url")
    def _public_base_url(self, value: str | None) -> str | None:
        """Manifests, hashes and dumps never carry a secret query parameter."""
        return None if value is None else public_url(value)

    def identity(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude=set(self.OPERATIONAL))
