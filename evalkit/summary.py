"""Score saved records into ``summary.json`` and show it as tables.

Used at the end of ``evalkit run`` and by ``evalkit score RUN_DIR``; both read
only the run directory, never the model. :class:`ScoredRun` is a run loaded and
scored once, so the summary, the console and the HTML report share one pass
over the records instead of each reading and scoring them again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SerializeAsAny

from evalkit.collection import paused
from evalkit.judges.judgement_store import current_judgements
from evalkit.judges.judgements import JudgeInfo, Judgement, judge_warnings
from evalkit.judges.requests import requests_for
from evalkit.manifest import RunCounts, RunManifest, RunStatus
from evalkit.readouts.arrays import ReadoutStore, SampleStates
from evalkit.records import SampleRecord
from evalkit.run_index import RunIndex
from evalkit.store import RunStore, write_atomic
from evalkit.usage import ModelUsage
from scorers import registry
from scorers.contract import Family, FamilyView, Metric
from scorers.generic_view import generic_view
from scorers.goal import GoalRow, capitulation_metric, goal_view
from scorers.grouping import group_by
from scorers.readouts import ReadoutResult, StatesOf, readout_results
from scorers.reference import ReferenceRow, reference_view
from scorers.sample_values import sample_outcomes
from scorers.verdicts import Verdicts


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
    #: the model beside a family's reference population (human replies), per behaviour
    reference: list[ReferenceRow] = []
    #: internal readouts of local models run with ``readouts:`` (probe, option log-likelihood)
    readouts: list[ReadoutResult] = []
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


class ScoredRun(BaseModel):
    """A run directory read and scored once: what the summary, console and report all use.

    It holds no records: scoring needs them all at once, nothing after it does, so they
    are let go once scored and the report reads back the ones it shows (:attr:`index`).
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    manifest: RunManifest
    #: how many records, whose, their usage, where each is in ``results.jsonl``
    index: RunIndex
    #: the current judges' verdicts (judged families score with them)
    judgements: list[Judgement]
    #: the same, indexed once: what every metric computation reads
    verdicts: Verdicts = Field(exclude=True, repr=False)
    #: family results (AnswerResult, AreYouSureResult, … whatever the scorers return)
    results: list[BaseModel]
    headline: list[GoalRow]
    reference: list[ReferenceRow] = []
    readouts: list[ReadoutResult] = []
    #: sample id -> gave in (1) or held (0) by its family's capitulation metric; None when
    #: the answer was unreadable; absent when the sample is not in that metric's denominator
    gave_in: dict[str, float | None] = {}
    #: samples whose ``gave_in`` is None because their baseline answer is unreadable (they
    #: may belong to capitulation's denominator), not their own
    baseline_unreadable: list[str] = []
    #: sample id -> (family, question) its current judge was to answer and has no stored
    #: verdict for: a failed request, or a judging pass not run or not finished
    unjudged: dict[str, list[tuple[str, str]]] = {}

    @classmethod
    def load(cls, store: RunStore) -> ScoredRun:
        """Read and score the run; the records make no reference cycles, so the collector
        is paused meanwhile (it scanned them over and over: ~1 s at 16,000 samples)."""
        manifest = store.require_manifest()
        with paused():
            return cls.score(store, manifest, store.load_records_at(conversations=False))

    @classmethod
    def score(
        cls, store: RunStore, manifest: RunManifest, entries: Sequence[tuple[int, SampleRecord]]
    ) -> ScoredRun:
        """Score ``entries`` (``store.load_records_at()``: each record and where it is)."""
        records = [record for _, record in entries]
        judgements = current_judgements(store.run_dir, manifest.judges)
        verdicts = Verdicts(judgements)
        return cls(
            manifest=manifest,
            index=RunIndex.of(entries),
            judgements=judgements,
            verdicts=verdicts,
            results=score_records(records, judgements),
            headline=goal_view(records, verdicts),
            reference=reference_view(records, verdicts),
            readouts=readout_results(records, stored_states(store), verdicts=verdicts),
            gave_in=(marks := gave_in(records, verdicts))[0],
            baseline_unreadable=marks[1],
            unjudged=unjudged(records, manifest, judgements),
        )


def unjudged(
    records: Sequence[SampleRecord], manifest: RunManifest, judgements: Sequence[Judgement]
) -> dict[str, list[tuple[str, str]]]:
    """The questions each sample's judge was to answer that have no stored verdict: the
    report's transcripts list them, so a missing verdict is seen where it counts. A family
    whose judging pass finished with every question judged has none, so its questions are
    not built again (the judging pass built them once)."""
    stored = {(j.family, j.sample_id, j.question) for j in judgements}
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for family, info in manifest.judges.items():
        if info.pending == 0 and family not in manifest.awaiting_judges:
            continue
        for request in requests_for(family, records):
            if (family, request.sample_id, request.question) not in stored:
                out[request.sample_id].append((family, request.question))
    return dict(out)


def gave_in(
    records: Sequence[SampleRecord], verdicts: Verdicts
) -> tuple[dict[str, float | None], list[str]]:
    """Per sample, its outcome in its family's capitulation metric: the same per-item
    outcomes, read with the same verdicts, as the headline, gates and compare aggregate;
    and the samples whose None there is their baseline's unreadable answer, not their own.
    Samples of a control condition (no pressure) have none: a change there is instability."""
    outcomes = sample_outcomes(records, verdicts, _capitulation)
    out: dict[str, float | None] = {}
    baseline_unreadable = []
    for record in records:
        if record.condition.is_control:
            continue
        metric = capitulation_metric(registry.get(record.condition.family))
        mine = outcomes.values.get(record.sample_id, {})
        if metric is not None and metric.name in mine:
            out[record.sample_id] = mine[metric.name]
            if metric.name in outcomes.baseline_unreadable.get(record.sample_id, []):
                baseline_unreadable.append(record.sample_id)
    return out, baseline_unreadable


def _capitulation(family: Family) -> list[Metric]:
    metric = capitulation_metric(family)
    return [] if metric is None else [metric]


def stored_states(store: RunStore) -> StatesOf:
    """The run's stored hidden states, each sample's file read once."""
    readouts = ReadoutStore(store.run_dir)
    present = readouts.sample_ids()
    cache: dict[str, SampleStates | None] = {}

    def states_of(sample_id: str) -> SampleStates | None:
        if sample_id not in present:
            return None
        if sample_id not in cache:
            cache[sample_id] = readouts.read(sample_id)
        return cache[sample_id]

    return states_of


def _record_count_warnings(run: ScoredRun) -> list[str]:
    """A complete run whose results hold fewer or more records than it finished with: the
    file was cut (a bad copy, a full disk) or edited after the run, and every figure with it."""
    manifest = run.manifest
    if manifest.status != "complete" or run.index.count == manifest.counts.completed:
        return []
    return [
        f"results.jsonl holds {run.index.count} records, but the run completed "
        f"{manifest.counts.completed}: it was cut or edited after the run; the figures are "
        "of what it holds (`evalkit repair` checks it)"
    ]


def _judged_so_far(manifest: RunManifest, judgements: Sequence[Judgement]) -> dict[str, JudgeInfo]:
    """The manifest's judges; for a family whose judging pass was killed, its counts as the
    verdicts stored so far say (the manifest holds those from before that pass)."""
    judges = dict(manifest.judges)
    for family in manifest.awaiting_judges:
        if family not in judges:
            continue
        stored = [j for j in judgements if j.family == family]
        judges[family] = judges[family].model_copy(
            update={
                "judged": min(len(stored), judges[family].requests),
                "unparsed": sum(not j.parsed for j in stored),
            }
        )
    return judges


def summarize_run(store: RunStore, scored: ScoredRun | None = None) -> RunSummary:
    """Write the run's ``summary.json``, scoring it unless ``scored`` already is."""
    run = scored if scored is not None else ScoredRun.load(store)
    manifest = run.manifest
    counts, status = manifest.counts, manifest.status
    if status != "complete":  # the manifest's counts are from the run's start or end
        counts = counts.model_copy(update={"completed": run.index.count})
    if status == "running":  # summaries are written under the run's lock: its writer is gone
        status = "incomplete"
    summary = RunSummary(
        run_name=manifest.run_name,
        status=status,
        counts=counts,
        scored_at=datetime.now(timezone.utc),
        results=run.results,
        headline=run.headline,
        reference=run.reference,
        readouts=run.readouts,
        usage=manifest.usage,
        judges=(judges := _judged_so_far(manifest, run.judgements)),
        warnings=judge_warnings(judges) + _record_count_warnings(run),
    )
    write_atomic(store.summary_path, summary.model_dump_json(indent=2))
    return summary
