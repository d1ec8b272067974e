"""What the report needs of every record, noted in the one pass that loads them for scoring.

Scoring needs a run's records all at once (a family's metrics pair items across
conditions); nothing after it does. So while the records are loaded for scoring,
this notes the little the report needs of all of them (per model, the usage its
table sums; the order the transcript browser lists samples in, as where each
sample's line starts in ``results.jsonl``), and the records are let go once
scored: the report reads back the few it shows, one at a time, so a run's
records are never held past scoring.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel

from evalkit.records import SampleRecord


class RecordUsage(BaseModel):
    """One model's token use and latency, summed over its records' turns."""

    samples: int = 0
    turns: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    #: turns cut at max tokens
    cut: int = 0

    @classmethod
    def of(cls, records: Iterable[SampleRecord]) -> RecordUsage:
        """The sums over ``records``, added up in plain numbers (a model's fields set six
        times a record cost more than the sums)."""
        samples = turns = prompt_tokens = completion_tokens = cut = 0
        latency_s = 0.0
        for record in records:
            samples += 1
            for turn in record.turns:
                response = turn.response
                turns += 1
                prompt_tokens += response.usage.prompt_tokens
                completion_tokens += response.usage.completion_tokens
                latency_s += response.latency_s
                cut += response.finish_reason == "length"
        return cls(
            samples=samples,
            turns=turns,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            latency_s=latency_s,
            cut=cut,
        )


def page_key(record: SampleRecord) -> tuple[str, str, str, str, str]:
    """The order the report lists samples in: model, dataset, item, condition."""
    return (
        record.model,
        record.dataset,
        record.item.id,
        record.condition.family,
        record.condition.name,
    )


class RunIndex(BaseModel):
    """A run's records in a few numbers each: how many, whose, their usage, their page order."""

    count: int = 0
    #: the models that have records, sorted
    models: list[str] = []
    #: where each record's line starts in ``results.jsonl``, in page order (:func:`page_key`)
    order: list[int] = []
    #: model -> its records' usage
    usage: dict[str, RecordUsage] = {}

    @classmethod
    def of(cls, entries: Sequence[tuple[int, SampleRecord]]) -> RunIndex:
        """The index of ``(offset, record)`` pairs, in file order."""
        offsets = [offset for offset, _ in entries]
        records = [record for _, record in entries]
        by_model: dict[str, list[SampleRecord]] = {}
        for record in records:
            by_model.setdefault(record.model, []).append(record)
        ordered = sorted(range(len(records)), key=lambda i: page_key(records[i]))
        return cls(
            count=len(records),
            models=sorted(by_model),
            order=[offsets[i] for i in ordered],
            usage={model: RecordUsage.of(mine) for model, mine in by_model.items()},
        )
