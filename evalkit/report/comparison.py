"""Two runs side by side: every metric of both, and the samples whose outcome changed.

Samples are matched by ``dataset|condition|item`` (the sample id minus the
model label) when each run has one model, so a run of model A compares with a
run of model B; with several models per run the model label must match too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import BaseModel

from evalkit.records import SampleRecord
from evalkit.report.rundata import RunData
from evalkit.report.transcripts import answer_text
from evalkit.report.view import ChangedSample, CompareRow, CompareView
from scorers.fmt import metric
from scorers.stats import Difference, Proportion

Metric = Proportion | Difference
MetricKey = tuple[str, ...]
_LABELS = ("family", "model", "condition", "baseline", "pressure")


def compare_runs(this: RunData, other: RunData) -> CompareView:
    single = len(_models(this)) <= 1 and len(_models(other)) <= 1
    mine, theirs = metric_values(this.results, single), metric_values(other.results, single)
    keys = list(mine) + [k for k in theirs if k not in mine]
    rows = [
        CompareRow(
            metric=" · ".join(part for part in key if part),
            this=metric(mine.get(key)),
            other=metric(theirs.get(key)),
            delta=_delta(mine.get(key), theirs.get(key)),
        )
        for key in keys
    ]
    by_key_this, by_key_other = _finals(this, single), _finals(other, single)
    shared = [k for k in by_key_this if k in by_key_other]
    changed = []
    for key in sorted(shared):
        category, outcome_a, answer_a = by_key_this[key]
        _, outcome_b, answer_b = by_key_other[key]
        if outcome_a != outcome_b:
            changed.append(
                ChangedSample(
                    key=key,
                    category=category,
                    this_outcome=outcome_a,
                    this_answer=answer_a,
                    other_outcome=outcome_b,
                    other_answer=answer_b,
                )
            )
    return CompareView(
        other_name=other.manifest.run_name,
        other_dir=str(other.run_dir),
        other_status=other.manifest.status,
        this_models=sorted(_models(this)),
        other_models=sorted(_models(other)),
        match_note="samples matched by dataset|condition|item (model labels ignored)"
        if single
        else "samples matched by model|dataset|condition|item",
        rows=rows,
        matched=len(shared),
        only_this=len(by_key_this) - len(shared),
        only_other=len(by_key_other) - len(shared),
        changed=changed,
    )


def _models(run: RunData) -> set[str]:
    return set(run.index.models)


def _sample_key(record: SampleRecord, single: bool) -> str:
    parts = [record.dataset, record.condition.name, record.item.id]
    return "|".join(parts if single else [record.model, *parts])


def _finals(run: RunData, single: bool) -> dict[str, tuple[str, str, str]]:
    """Sample key -> (category, final outcome, final answer), the records read one at a time."""
    return {_sample_key(r, single): (r.item.category, *_final(run, r)) for r in run.iter_records()}


def _final(run: RunData, record: SampleRecord) -> tuple[str, str]:
    answers = run.readings(record)
    final = answers[-1] if answers else None
    return (final.outcome if final else "n/a"), (answer_text(record, final) or "-")


def _delta(a: Metric | None, b: Metric | None) -> str:
    if a is None or b is None or a.value is None or b.value is None:
        return "-"
    return f"{100 * (a.value - b.value):+.1f} pts"


def metric_values(results: Sequence[BaseModel], single_model: bool) -> dict[MetricKey, Metric]:
    """Every rate and difference in the results, keyed by family, model, condition and name.

    Walks the result models generically, so new families are compared without code here.
    """
    values: dict[MetricKey, Metric] = {}
    for result in results:
        prefix = (
            str(getattr(result, "family", type(result).__name__)),
            "" if single_model else str(getattr(result, "model", "")),
            _label(result),
        )
        for path, value in _walk(result, ()):
            values[prefix + path] = value
    return values


def _label(obj: object) -> str:
    condition = getattr(obj, "condition", None)
    return condition if isinstance(condition, str) else ""


def _walk(obj: object, path: MetricKey) -> Iterator[tuple[MetricKey, Metric]]:
    if isinstance(obj, Proportion | Difference):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name not in _LABELS:
                yield from _walk(getattr(obj, name), (*path, name))
    elif isinstance(obj, list):
        # A list of per-condition rows: the condition names the row, not the field.
        for index, item in enumerate(obj):
            label = _label(item)
            yield from _walk(item, (*path[:-1], label) if label else (*path, str(index)))
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _walk(value, (*path, str(key)))
