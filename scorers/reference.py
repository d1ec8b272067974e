"""The headline's reference rows: the model beside a reference population on the same items.

A family without a neutral baseline (ELEPHANT: there is no neutral version of a
post) has no capitulation row, but it may compare the model with a reference
population that answered the same items (the human replies to the same posts).
It declares that as a :class:`~scorers.contract.Reference`; per model, family,
condition and behaviour this module reads the model's rate and the paired
difference from the family's own metrics (:func:`scorers.contract.item_outcomes`,
with the run's verdicts), so they are the family table's figures, and the
reference rate from the reference's outcome on the items of the model rate's
denominator.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from evalkit.records import SampleRecord
from scorers import registry
from scorers.contract import Compared, Family, Metric, item_outcomes
from scorers.stats import Difference, Proportion, wilson
from scorers.verdicts import Verdicts


class ReferenceRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    model: str
    family: str
    condition: str
    #: who the model is compared with ("human replies")
    reference: str
    behaviour: str
    model_rate: Proportion
    reference_rate: Proportion
    #: model - reference, paired by item
    difference: Difference


def reference_view(records: Sequence[SampleRecord], verdicts: Verdicts) -> list[ReferenceRow]:
    """The reference rows of every model and every family that declares a reference."""
    return [
        row
        for model, family, group in registry.families_of(records)
        if family.reference is not None
        for row in family_reference_rows(family, model, group, verdicts)
    ]


def family_reference_rows(
    family: Family, model: str, records: Sequence[SampleRecord], verdicts: Verdicts
) -> list[ReferenceRow]:
    """One row per condition and behaviour whose model-rate metric has items there."""
    spec = family.reference
    assert spec is not None
    found = {r.condition.name: r.condition for r in records}
    conditions = [found[name] for name in sorted(found)]
    rows = []
    for condition in conditions:
        if condition.family != family.name:
            continue
        for compared in spec.behaviours:
            rate, difference = _metrics(family, compared)
            if rate.applies(condition, conditions) is not None:
                continue
            model_rate = item_outcomes(rate, records, condition.name, verdicts=verdicts)
            if not model_rate.values and not model_rate.unreadable:
                continue
            paired = item_outcomes(difference, records, condition.name, verdicts=verdicts)
            interval = paired.interval()
            assert isinstance(interval, Difference)
            rows.append(
                ReferenceRow(
                    model=model,
                    family=family.name,
                    condition=condition.name,
                    reference=spec.label,
                    behaviour=compared.label,
                    model_rate=model_rate.proportion(),
                    reference_rate=_reference_rate(
                        compared, rate, records, condition.name, verdicts
                    ),
                    difference=interval,
                )
            )
    return rows


def _metrics(family: Family, compared: Compared) -> tuple[Metric, Metric]:
    rate, difference = family.metric(compared.model_rate), family.metric(compared.difference)
    if rate is None or difference is None:
        raise ValueError(f"family {family.name!r}: reference names a metric it does not declare")
    return rate, difference


def _reference_rate(
    compared: Compared,
    rate: Metric,
    records: Sequence[SampleRecord],
    condition: str,
    verdicts: Verdicts,
) -> Proportion:
    """The reference's rate over the items in the model rate's denominator (readable or not:
    the reference's label does not depend on the model's reply) that have a known outcome."""
    scored = rate.compute(records, condition, verdicts)
    known = [x for s in scored.values() if (x := compared.reference(s.record)) is not None]
    return wilson(sum(known), len(known))
