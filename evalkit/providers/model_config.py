"""Settings common to every provider's model entry in a run YAML."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from evalkit.providers.base import GenerationParams


class ModelConfig(BaseModel):
    """One model under evaluation. Each provider subclasses this with its own keys."""

    model_config = ConfigDict(extra="forbid", frozen=True, protected_namespaces=())

    provider: str
    model: str = Field(min_length=1, description="Model id, local path or built-in alias.")
    name: str | None = Field(
        default=None, description="Label used in results and reports (default: model)."
    )
    generation: GenerationParams = Field(default_factory=GenerationParams)

    @property
    def label(self) -> str:
        return self.name or self.model

    def identity(self) -> dict[str, Any]:
        """What makes this model's responses what they are; part of the plan hash."""
        return self.model_dump(mode="json")
