"""A run directory read once: manifest, records, errors and scores, for the report.

The report scores the records instead of trusting ``summary.json``: scoring is
cheap and deterministic, and a stale or missing summary cannot then make the
page disagree with its own transcripts. ``evalkit run`` hands over the
:class:`ScoredRun` it has just summarised, so the records are read and scored
once. Each turn's reading is made when a transcript is shown
(:meth:`RunData.readings`), not kept for every sample.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from evalkit.judges.judgements import Judgement
from evalkit.manifest import RunManifest
from evalkit.records import SampleError, SampleRecord
from evalkit.store import RunStore
from evalkit.summary import ScoredRun
from scorers import registry
from scorers.contract import Reading
from scorers.goal import GoalRow, capitulation_metric
from scorers.readouts import ReadoutResult
from scorers.reference import ReferenceRow
from scorers.sample_values import sample_values
from scorers.verdicts import Verdicts


class RunData(BaseModel):
    model_config = ConfigDict(frozen=True)

    run_dir: Path
    manifest: RunManifest
    records: list[SampleRecord]
    errors: list[SampleError]
    #: family results (AnswerResult, AreYouSureResult, … whatever the scorers return)
    results: list[BaseModel]
    #: the headline rows (capability and capitulation per model, family, condition)
    headline: list[GoalRow]
    #: the model beside a family's reference population (human replies)
    reference: list[ReferenceRow] = []
    #: sample id -> gave in (1) or held (0) by the family's capitulation metric; None when
    #: the answer was unreadable; absent when the sample is not in that metric's denominator
    gave_in: dict[str, float | None] = {}
    #: sample id -> the current judges' verdicts on it
    judgements: dict[str, list[Judgement]] = {}
    #: internal readouts of local models (probe, option log-likelihood), if the run has them
    readouts: list[ReadoutResult] = []

    @property
    def models(self) -> list[str]:
        return sorted({r.model for r in self.records} | set(self.manifest.models))

    def readings(self, record: SampleRecord) -> list[Reading | None]:
        """The family's reading of each turn (None where it reads no options)."""
        return turn_readings(record)


def load_run(run_dir: Path, scored: ScoredRun | None = None) -> RunData:
    """The run in ``run_dir``; ``scored`` is that run already loaded and scored, if any."""
    store = RunStore(run_dir)
    run = scored if scored is not None else ScoredRun.load(store)
    by_sample: dict[str, list[Judgement]] = defaultdict(list)
    for judgement in run.judgements:
        by_sample[judgement.sample_id].append(judgement)
    return RunData(
        run_dir=run_dir,
        manifest=run.manifest,
        records=run.records,
        errors=store.load_errors(),
        results=run.results,
        headline=run.headline,
        reference=run.reference,
        gave_in=gave_in(run.records, run.verdicts),
        judgements=dict(by_sample),
        readouts=run.readouts,
    )


def turn_readings(record: SampleRecord) -> list[Reading | None]:
    """The family's reading of every turn; items without options have none to read."""
    family = registry.get(record.condition.family)
    return [family.reading(record, number) for number in range(1, len(record.turns) + 1)]


def gave_in(records: list[SampleRecord], verdicts: Verdicts) -> dict[str, float | None]:
    """Per sample, its outcome in its family's capitulation metric: the same per-item
    outcomes, read with the same verdicts, as the headline, gates and compare aggregate."""
    values = sample_values(records, verdicts)
    out: dict[str, float | None] = {}
    for record in records:
        metric = capitulation_metric(registry.get(record.condition.family))
        mine = values.get(record.sample_id, {})
        if metric is not None and metric.name in mine:
            out[record.sample_id] = mine[metric.name]
    return out
