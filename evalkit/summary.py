"""Score saved records into ``summary.json`` and show it as tables.

Used at the end of ``evalkit run`` and by ``evalkit score RUN_DIR``; both read
only the run directory, never the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, SerializeAsAny

from evalkit.judges.judgement_store import current_judgements
from evalkit.judges.judgements import JudgeInfo, Judgement, judge_warnings
from evalkit.manifest import RunCounts, RunStatus
from evalkit.records import SampleRecord
from evalkit.store import RunStore, write_atomic
from evalkit.usage import ModelUsage
from scorers import registry
from scorers.contract import FamilyView
from scorers.generic_view import generic_view
from scorers.goal import GoalRow, goal_view
from scorers.grouping import group_by


def _family_result(value: Any) -> BaseModel:
    """A stored family result, parsed as the result type its family registered."""
    if isinstance(value, BaseModel):
        return value
    family = registry.get(str(value.get("family", "")) if isinstance(value, dict) else "")
    return family.result_type.model_validate(value)


FamilyResult = Annotated[SerializeAsAny[BaseModel], BeforeValidator(_family_result)]


class RunSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    run_name: str
    status: RunStatus
    counts: RunCounts
    scored_at: datetime
    results: list[FamilyResult]
    headline: list[GoalRow] = []
    usage: dict[str, ModelUsage] = {}
    judges: dict[str, JudgeInfo] = {}
    warnings: list[str] = []


def score_records(
    records: Sequence[SampleRecord], judgements: Sequence[Judgement] = ()
) -> list[BaseModel]:
    """Every family's metrics; judged families also read their stored ``judgements``."""
    by_family = group_by(records, lambda r: r.condition.family)
    results: list[BaseModel] = []
    for name, group in sorted(by_family.items()):
        mine = [j for j in judgements if j.family == name]
        results.extend(registry.get(name).score(group, mine))
    return results


def family_views(results: Sequence[BaseModel]) -> list[FamilyView]:
    """Each family's tables and plots, families in the scorers' order."""
    groups = group_by(results, lambda r: str(getattr(r, "family", "")))  # type: ignore[arg-type]
    views: list[FamilyView] = []
    for name, group in groups.items():
        family = registry.get(name)
        views += (family.view or generic_view)(group)
    return views


def summarize_run(store: RunStore) -> RunSummary:
    """Re-score a run directory and write its ``summary.json``."""
    manifest = store.require_manifest()
    records = store.load_records()
    judgements = current_judgements(store.run_dir, manifest.judges)
    summary = RunSummary(
        run_name=manifest.run_name,
        status=manifest.status,
        counts=manifest.counts,
        scored_at=datetime.now(timezone.utc),
        results=score_records(records, judgements),
        headline=goal_view(records),
        usage=manifest.usage,
        judges=manifest.judges,
        warnings=judge_warnings(manifest.judges),
    )
    write_atomic(store.summary_path, summary.model_dump_json(indent=2))
    return summary
