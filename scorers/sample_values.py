"""Every metric's per-item outcome, by sample: what export and the transcripts show.

The same :func:`~scorers.contract.item_outcomes` the tables, headline, gates
and compare aggregate, with the same judge verdicts, turned around: for each
sample, the value it contributes to each metric of its family that applies to
its condition (None when it is in the denominator but its answer was unreadable).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import NamedTuple

from evalkit.records import SampleRecord
from scorers import registry
from scorers.contract import Family, Metric, item_key, item_outcomes
from scorers.grouping import group_by
from scorers.verdicts import Verdicts


class SampleOutcomes(NamedTuple):
    #: sample id -> metric name -> the sample's outcome in it
    values: dict[str, dict[str, float | None]]
    #: sample id -> the metrics whose value for it is imputed: its answer or verdict was
    #: unreadable and the metric's definition counts it at that value (Scored.imputed)
    imputed: dict[str, list[str]]
    #: sample id -> the metrics whose value for it is None because its baseline answer is
    #: unreadable (it may belong to the denominator: ItemOutcomes.may_belong), not its own
    baseline_unreadable: dict[str, list[str]] = {}


def sample_values(
    records: Sequence[SampleRecord],
    verdicts: Verdicts,
    metrics: Callable[[Family], Sequence[Metric]] = lambda family: family.metrics,
) -> dict[str, dict[str, float | None]]:
    """sample id -> metric name -> the sample's outcome in it (absent: not in its denominator),
    read with the run's current judge ``verdicts``; only the ``metrics`` of each family asked
    for (default: all of them)."""
    return sample_outcomes(records, verdicts, metrics).values


def sample_outcomes(
    records: Sequence[SampleRecord],
    verdicts: Verdicts,
    metrics: Callable[[Family], Sequence[Metric]] = lambda family: family.metrics,
) -> SampleOutcomes:
    """:func:`sample_values`, with which of the values are imputed and which are None
    because the sample's baseline answer, not its own, is unreadable."""
    out: dict[str, dict[str, float | None]] = defaultdict(dict)
    imputed: dict[str, list[str]] = defaultdict(list)
    baseline: dict[str, list[str]] = defaultdict(list)
    for (_, name), group in group_by(records, lambda r: (r.model, r.condition.family)).items():
        family = registry.get(name)
        conditions = list({r.condition.name: r.condition for r in group}.values())
        for metric in metrics(family):
            for condition in conditions:
                if metric.applies(condition, conditions) is not None:
                    continue
                outcomes = item_outcomes(metric, group, condition.name, verdicts=verdicts)
                unreadable = set(outcomes.unreadable)
                inside = set(outcomes.imputed)
                for record in group:
                    if record.condition.name != condition.name:
                        continue
                    key = item_key(record)
                    if key in outcomes.values:
                        out[record.sample_id][metric.name] = outcomes.values[key]
                        if key in inside:
                            imputed[record.sample_id].append(metric.name)
                    elif key in unreadable:
                        out[record.sample_id][metric.name] = None
                        if key in outcomes.may_belong:
                            baseline[record.sample_id].append(metric.name)
    return SampleOutcomes(dict(out), dict(imputed), dict(baseline))
