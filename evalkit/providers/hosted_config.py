"""YAML keys shared by providers that call a hosted or served model over HTTP."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from evalkit.providers.model_config import ModelConfig


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
    timeout_s: float = Field(default=120.0, gt=0, description="Per request, per attempt.")
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

    def identity(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude=set(self.OPERATIONAL))
