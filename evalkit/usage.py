"""What a run spent per model: requests, retries, cache hits, tokens and cost."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from evalkit.providers.base import ModelResponse


class ModelUsage(BaseModel):
    """Counters of one model over a run (summed over resumes).

    Tokens count only responses that were paid for: cache hits and replies
    shared between identical requests add to ``cache_hits`` / ``deduplicated``.
    """

    model_config = ConfigDict(extra="forbid")

    requests: int = 0
    retries: int = 0
    failed_requests: int = 0
    cache_hits: int = 0
    deduplicated: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None

    def count_response(self, response: ModelResponse) -> None:
        if response.cached:
            return
        self.prompt_tokens += response.usage.prompt_tokens
        self.completion_tokens += response.usage.completion_tokens

    def plus(self, other: ModelUsage) -> ModelUsage:
        """The sum of two runs' counters (cost is recomputed by the caller)."""
        fields = set(ModelUsage.model_fields) - {"cost_usd"}
        return ModelUsage(**{f: getattr(self, f) + getattr(other, f) for f in fields})


class UsageSoFar(BaseModel):
    """A line of ``usage.jsonl``: a run's spending (all attempts) up to a saved sample.

    Appended before each sample is saved, so kill -9 cannot drop a saved sample's
    cost; the manifest folds the last line in (see :mod:`evalkit.store`).
    """

    model_config = ConfigDict(extra="forbid")

    usage: dict[str, ModelUsage]
    at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
