"""A run directory read once: manifest, scores and errors, for the report.

The report scores the records instead of trusting ``summary.json``: scoring is
cheap and deterministic, and a stale or missing summary cannot then make the
page disagree with its own transcripts. ``evalkit run`` hands over the
:class:`ScoredRun` it has just summarised, so the records are read and scored
once. No record is held: the transcripts read theirs back one at a time
(:meth:`RunData.records_in_order`), and each turn's reading is made when a
transcript is shown (:meth:`RunData.readings`), so the report's memory does not
grow with the run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from evalkit.judges.judgements import Judgement
from evalkit.manifest import RunManifest
from evalkit.records import SampleError, SampleRecord
from evalkit.run_index import RunIndex
from evalkit.store import RunStore
from evalkit.summary import ScoredRun
from scorers import registry
from scorers.contract import Reading
from scorers.goal import GoalRow
from scorers.readouts import ReadoutResult
from scorers.reference import ReferenceRow


class RunData(BaseModel):
    model_config = ConfigDict(frozen=True)

    run_dir: Path
    manifest: RunManifest
    #: how many records, whose, their usage, where each is in ``results.jsonl``
    index: RunIndex
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
    #: samples whose ``gave_in`` is None because their baseline answer is unreadable
    baseline_unreadable: frozenset[str] = frozenset()
    #: sample id -> the current judges' verdicts on it
    judgements: dict[str, list[Judgement]] = {}
    #: sample id -> (family, question) its judge was to answer, without a stored verdict
    unjudged: dict[str, list[tuple[str, str]]] = {}
    #: internal readouts of local models (probe, option log-likelihood), if the run has them
    readouts: list[ReadoutResult] = []

    @property
    def models(self) -> list[str]:
        return sorted(set(self.index.models) | set(self.manifest.models))

    def records_in_order(self, start: int = 0, stop: int | None = None) -> Iterator[SampleRecord]:
        """Records ``start`` to ``stop`` in the page's order, each read back when asked for."""
        return RunStore(self.run_dir).records_at(self.index.order[start:stop])

    def iter_records(self) -> Iterator[SampleRecord]:
        """Every record, in file order, each read back when asked for."""
        return RunStore(self.run_dir).iter_records()

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
        index=run.index,
        errors=store.load_errors(),
        results=run.results,
        headline=run.headline,
        reference=run.reference,
        gave_in=run.gave_in,
        baseline_unreadable=frozenset(run.baseline_unreadable),
        judgements=dict(by_sample),
        unjudged=run.unjudged,
        readouts=run.readouts,
    )


def turn_readings(record: SampleRecord) -> list[Reading | None]:
    """The family's reading of every turn; items without options have none to read."""
    family = registry.get(record.condition.family)
    return [family.reading(record, number) for number in range(1, len(record.turns) + 1)]
