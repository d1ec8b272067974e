"""A run directory read once: manifest, records, errors, scores, and each turn's parsed answer.

The report re-scores the records instead of trusting ``summary.json``: scoring
is cheap and deterministic, and a stale or missing summary cannot then make
the page disagree with its own transcripts.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from evalkit.judges.records import Judgement
from evalkit.judges.store import current_judgements
from evalkit.manifest import RunManifest
from evalkit.records import SampleError, SampleRecord
from evalkit.store import RunStore
from evalkit.summary import score_records
from scorers.outcomes import TurnAnswer, turn_answer


class RunData(BaseModel):
    model_config = ConfigDict(frozen=True)

    run_dir: Path
    manifest: RunManifest
    records: list[SampleRecord]
    errors: list[SampleError]
    #: family results (AnswerResult, AreYouSureResult, … whatever the scorers return)
    results: list[BaseModel]
    #: sample id -> parsed answer per turn (None where the item has no options)
    answers: dict[str, list[TurnAnswer | None]]
    #: sample id -> the current judges' verdicts on it
    judgements: dict[str, list[Judgement]] = {}

    @property
    def models(self) -> list[str]:
        return sorted({r.model for r in self.records} | set(self.manifest.models))


def load_run(run_dir: Path) -> RunData:
    store = RunStore(run_dir)
    manifest = store.require_manifest()
    records = store.load_records()
    judgements = current_judgements(run_dir, manifest.judges)
    by_sample: dict[str, list[Judgement]] = defaultdict(list)
    for judgement in judgements:
        by_sample[judgement.sample_id].append(judgement)
    return RunData(
        run_dir=run_dir,
        manifest=manifest,
        records=records,
        errors=store.load_errors(),
        results=list(score_records(records, judgements)),
        answers={r.sample_id: turn_answers(r) for r in records},
        judgements=dict(by_sample),
    )


def turn_answers(record: SampleRecord) -> list[TurnAnswer | None]:
    """The answer read from every turn; free-form items (no options) have none to read."""
    if record.item.choices is None:
        return [None] * len(record.turns)
    return [turn_answer(record, number) for number in range(1, len(record.turns) + 1)]
