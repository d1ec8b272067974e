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

from collections.abc import Sequence

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

    def add(self, record: SampleRecord) -> None:
        self.samples += 1
        for turn in record.turns:
            self.turns += 1
            self.prompt_tokens += turn.response.usage.prompt_tokens
            self.completion_tokens += turn.response.usage.completion_tokens
            self.latency_s += turn.response.latency_s
            self.cut += turn.response.finish_reason == "length"


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
        usage: dict[str, RecordUsage] = {}
        for _, record in entries:
            usage.setdefault(record.model, RecordUsage()).add(record)
        ordered = sorted(range(len(entries)), key=lambda i: page_key(entries[i][1]))
        return cls(
            count=len(entries),
            models=sorted(usage),
            order=[entries[i][0] for i in ordered],
            usage=usage,
        )
