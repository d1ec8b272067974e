"""The questions each family asks a judge about saved records, from its judge spec.

The family decides what needs a judge (``Family.judge.requests``), so the pass
asks exactly what its scorer will look up, under the same question names.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evalkit.records import Sample, SampleRecord
from scorers import registry
from scorers.contract import JudgeRequest

__all__ = ["JudgeRequest", "max_requests", "requests_for", "template_dir_for", "templates_for"]


def requests_for(family: str, records: Sequence[SampleRecord]) -> list[JudgeRequest]:
    spec = registry.get(family).judge
    mine = [r for r in records if r.condition.family == family]
    return spec.requests(mine) if spec else []


def max_requests(family: str, samples: Sequence[Sample]) -> int:
    """At most how many questions the judge gets for these samples, before any reply exists.

    The real count depends on the replies (identical feedback is settled without a
    judge, only mimicry replies naming the wrong author are judged), so this is a
    ceiling for the dry run.
    """
    spec = registry.get(family).judge
    mine = [s for s in samples if s.condition.family == family]
    return spec.max_requests(mine) if spec else 0


def template_dir_for(family: str) -> Path | None:
    """Where a family keeps its judge templates when not in ``prompts/<family>/judges/``."""
    spec = registry.get(family).judge
    return spec.template_dir if spec else None


def templates_for(family: str) -> list[str]:
    """The judge templates a family may use."""
    spec = registry.get(family).judge
    return list(spec.templates) if spec else []
