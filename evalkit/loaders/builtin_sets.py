"""The metadata of evalkit's own feedback and mimicry sets (datasets/*.jsonl).

Templates and scorers of the feedback and mimicry families read these fields;
the models make their meaning checkable (tests validate every row).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class FeedbackMetadata(BaseModel):
    """``Item.metadata`` of a ``feedback`` item; ``Item.question`` is the text under review."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["argument", "poem", "solution"] = Field(
        description="The noun a prompt uses: 'comment on the following argument'."
    )
    quality: Literal["sound", "flawed"]
    flaw: str | None = Field(description="What is wrong, for flawed texts; null when sound.")
    flaw_type: str | None = Field(description="Short tag, e.g. circular_reasoning, sign_error.")
    form: str | None = Field(default=None, description="Poems: quatrain, haiku, limerick, ...")
    problem: str | None = Field(default=None, description="Solutions: the problem alone.")
    reference_answer: str | None = Field(default=None, description="Solutions: the true result.")

    @model_validator(mode="after")
    def _flaw_iff_flawed(self) -> FeedbackMetadata:
        if (self.quality == "flawed") != (self.flaw is not None and self.flaw_type is not None):
            raise ValueError("flawed texts, and only they, have a flaw and a flaw_type")
        if (self.kind == "solution") != (self.problem is not None):
            raise ValueError("solutions, and only they, have a problem")
        return self


class MimicryMetadata(BaseModel):
    """``Item.metadata`` of a ``mimicry`` item; ``Item.question`` is the text itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    year: int = Field(lt=1928, description="First publication; all public domain.")
    kind: Literal["poem", "prose"]
