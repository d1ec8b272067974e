"""Compare two run directories item by item: ``evalkit compare RUN_A RUN_B``.

Samples are matched by ``dataset|condition|item`` (model labels may differ).
For every metric of a family that applies to a condition both runs share: the two
values, the paired difference B - A over the items both runs score, with an
interval (Tango's score interval when every per-item difference is -1, 0 or 1, else a
bootstrap) and a two-sided p-value chosen by the same test (exact McNemar on the
items that moved up and down, else bootstrap); and the items that became
sycophantic (gave in under pressure in B but not in A) or stopped being.
Each run's metrics read that run's own current judge verdicts, as its table does.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from evalkit.errors import EvalkitError
from evalkit.judges.judgement_store import run_verdicts
from evalkit.records import SampleRecord
from evalkit.store import RunStore
from scorers import registry
from scorers.contract import (
    ItemOutcomes,
    Metric,
    MetricKind,
    item_key,
    item_outcomes,
    transcript_head,
)
from scorers.fmt import diff, pct, points
from scorers.stats import (
    Difference,
    bootstrap_p_above,
    mcnemar_exact,
    paired_mean_difference,
    ternary,
)
from scorers.verdicts import Verdicts


class MetricComparison(BaseModel):
    model_config = ConfigDict(frozen=True)

    metric: str
    family: str
    condition: str
    model_a: str
    model_b: str
    kind: MetricKind = "binary"
    value_a: float | None
    n_a: int
    #: items in A's denominator whose answer was unreadable (left out of n_a)
    unreadable_a: int = 0
    #: items inside n_a whose answer or verdict was unreadable, at the value the metric's
    #: definition gives them (Sharma's "not correct", the inspect_evals port's NOANSWER)
    imputed_a: int = 0
    value_b: float | None
    n_b: int
    unreadable_b: int = 0
    imputed_b: int = 0
    #: B - A over the items both runs score (n_pairs of them), with its 95% interval.
    difference: Difference
    p_value: float | None
    test: str

    def side(self, which: str) -> str:
        """``71.4% (n=7) +3 unreadable``: one run's value, as a rate or a difference; ``(n=4
        incl. 4 unreadable)`` when its definition counts them inside n."""
        value, n, unreadable, imputed = (
            (self.value_a, self.n_a, self.unreadable_a, self.imputed_a)
            if which == "a"
            else (self.value_b, self.n_b, self.unreadable_b, self.imputed_b)
        )
        inside = f" incl. {imputed} unreadable" if imputed else ""
        text = f"{pct(value) if self.kind == 'binary' else points(value)} (n={n}{inside})"
        return text + (f" +{unreadable} unreadable" if unreadable else "")

    def difference_text(self) -> str:
        """``+0.0 [-66, +66] pts over 2 paired items``."""
        d = self.difference
        if not d.n_pairs or diff(d) == "-":
            return "- (no paired items)"
        return f"{diff(d, ' pts')} over {d.n_pairs} paired items"


class ItemChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    metric: str
    condition: str
    item: str  # dataset|item id
    model_a: str
    model_b: str
    transcript_a: str
    transcript_b: str
    #: "a" or "b": the run whose answer was unreadable (the item gave in in the other one)
    unreadable_in: str | None = None


class RunComparison(BaseModel):
    model_config = ConfigDict(frozen=True)

    run_a: str
    run_b: str
    complete_a: bool
    complete_b: bool
    metrics: list[MetricComparison]
    became_sycophantic: list[ItemChange]
    stopped_being_sycophantic: list[ItemChange]
    #: may have changed, but one run cannot tell: gave in in one run and unreadable in the
    #: other, or gave in where its own baseline is unreadable: neither a change nor hidden
    gave_in_where_the_other_is_unreadable: list[ItemChange] = []


def compare_runs(run_a: Path, run_b: Path) -> RunComparison:
    records_a, complete_a, verdicts_a = _load(run_a)
    records_b, complete_b, verdicts_b = _load(run_b)
    metrics: list[MetricComparison] = []
    became: list[ItemChange] = []
    stopped: list[ItemChange] = []
    one_sided: list[ItemChange] = []
    for model_a, model_b in _model_pairs(records_a, records_b, run_a, run_b):
        a = [r for r in records_a if r.model == model_a]
        b = [r for r in records_b if r.model == model_b]
        controls = {r.condition.name for r in a if r.condition.is_control}
        for condition, metric in _applicable(a, b):
            out_a = item_outcomes(metric, a, condition, verdicts=verdicts_a)
            out_b = item_outcomes(metric, b, condition, verdicts=verdicts_b)
            metrics.append(_compare_metric(out_a, out_b, model_a, model_b))
            if metric.sycophancy and condition not in controls:  # a control: instability
                up, down, unsure = _flips(out_a, out_b, a, b, model_a, model_b)
                became += up
                stopped += down
                one_sided += unsure
    # every row would be "-": nothing was compared
    if metrics and not any(m.difference.n_pairs for m in metrics):
        unfinished = [str(r) for r, done in ((run_a, complete_a), (run_b, complete_b)) if not done]
        if unfinished:  # a run killed while judging has records but no verdicts yet
            raise EvalkitError(
                f"nothing to compare: {' and '.join(unfinished)} is not a complete run (its "
                "samples or its judging did not finish), so no item has a value in both",
                expected="`evalkit run` on its config again, which resumes it",
            )
        raise EvalkitError(
            "the two runs have no items in common (an item is matched by its dataset label "
            f"and id): {run_a} has {_datasets(records_a)}, {run_b} has {_datasets(records_b)}",
            expected="runs of the same items, under the same dataset labels "
            "(a renamed dataset file changes its label; set `label:` on the dataset)",
        )
    return RunComparison(
        run_a=str(run_a),
        run_b=str(run_b),
        complete_a=complete_a,
        complete_b=complete_b,
        metrics=metrics,
        became_sycophantic=became,
        stopped_being_sycophantic=stopped,
        gave_in_where_the_other_is_unreadable=one_sided,
    )


def _datasets(records: Sequence[SampleRecord]) -> str:
    return ", ".join(sorted({r.dataset for r in records})) or "no records"


def _applicable(
    a: Sequence[SampleRecord], b: Sequence[SampleRecord]
) -> Iterator[tuple[str, Metric]]:
    """(condition, metric) for conditions of the same family in both runs, where it applies."""
    conditions_a = {r.condition.name: r.condition for r in a}
    conditions_b = {r.condition.name: r.condition for r in b}
    for name in sorted(set(conditions_a) & set(conditions_b)):
        here, there = conditions_a[name], conditions_b[name]
        if here.family != there.family:
            continue
        for metric in registry.get(here.family).metrics:
            if metric.applies(here, list(conditions_a.values())) is None and (
                metric.applies(there, list(conditions_b.values())) is None
            ):
                yield name, metric


def _compare_metric(
    out_a: ItemOutcomes, out_b: ItemOutcomes, model_a: str, model_b: str
) -> MetricComparison:
    shared = sorted(set(out_a.values) & set(out_b.values))
    deltas = [out_b.values[k] - out_a.values[k] for k in shared]
    # A difference metric (accuracy_drop, view_shift) whose per-item changes are all -1/0/1
    # carries exactly a McNemar table: its Tango interval and this p must agree (a bootstrap
    # p of the same data was 0.001 for six items all +1, where McNemar says 0.031).
    if out_a.kind == "binary" or ternary(deltas):
        up, down = sum(d > 0 for d in deltas), sum(d < 0 for d in deltas)
        p, test = mcnemar_exact(up, down, two_sided=True), "exact McNemar"
    else:
        tails = bootstrap_p_above(deltas), bootstrap_p_above([-d for d in deltas])
        p, test = min(1.0, 2 * min(tails)), "paired bootstrap"
    return MetricComparison(
        metric=out_a.metric,
        family=out_a.family,
        condition=out_a.condition,
        model_a=model_a,
        model_b=model_b,
        kind=out_a.kind,
        value_a=out_a.value,
        n_a=out_a.n,
        unreadable_a=len(out_a.unreadable),
        imputed_a=len(out_a.imputed),
        value_b=out_b.value,
        n_b=out_b.n,
        unreadable_b=len(out_b.unreadable),
        imputed_b=len(out_b.imputed),
        difference=paired_mean_difference(deltas),
        p_value=p if shared else None,
        test=test,
    )


def _load(run_dir: Path) -> tuple[list[SampleRecord], bool, Verdicts]:
    store = RunStore(run_dir)
    manifest = store.require_manifest()
    return store.load_records(), manifest.status == "complete", run_verdicts(store)


def _model_pairs(
    records_a: Sequence[SampleRecord], records_b: Sequence[SampleRecord], run_a: Path, run_b: Path
) -> list[tuple[str, str]]:
    """One model each: compare them whatever their labels; else the labels both runs have."""
    models_a = sorted({r.model for r in records_a})
    models_b = sorted({r.model for r in records_b})
    if len(models_a) == 1 and len(models_b) == 1:
        return [(models_a[0], models_b[0])]
    pairs = [(m, m) for m in models_a if m in models_b]
    if not pairs:
        raise EvalkitError(
            f"cannot pair models of {run_a} ({', '.join(models_a) or 'none'}) with "
            f"{run_b} ({', '.join(models_b) or 'none'})",
            expected="runs of one model each, or runs that share model labels",
        )
    return pairs


def _unknown(outcomes: ItemOutcomes) -> set[str]:
    """Items whose outcome a run cannot tell: unreadable, imputed, or with an unreadable
    baseline that might have put a giving in into the denominator. One that held despite
    its unreadable baseline did not give in either way (in the denominator or out of it)."""
    held_anyway = {k for k, v in outcomes.may_belong.items() if v == 0}
    return {*outcomes.unreadable, *outcomes.imputed} - held_anyway


def _flips(
    out_a: ItemOutcomes,
    out_b: ItemOutcomes,
    a: Sequence[SampleRecord],
    b: Sequence[SampleRecord],
    model_a: str,
    model_b: str,
) -> tuple[list[ItemChange], list[ItemChange], list[ItemChange]]:
    """Items asked in both runs whose outcome went 0 -> 1 and 1 -> 0; and those one run cannot
    tell that may have changed: gave in in one run and unreadable in the other, or took the
    pushed answer in one run whose own baseline answer is unreadable (it may not have known)
    while the other did not give in.

    An item outside a run's denominator (say, not known at neutral) did not give in there.
    An item whose answer was unreadable in either run is not listed: left out of the rate, or
    at the value its definition gives it, it neither became nor stopped being sycophantic.
    """
    condition = out_a.condition
    asked_a = {item_key(r): r for r in a if r.condition.name == condition}
    asked_b = {item_key(r): r for r in b if r.condition.name == condition}
    unread_a, unread_b = _unknown(out_a), _unknown(out_b)
    became: list[ItemChange] = []
    stopped: list[ItemChange] = []
    one_sided: list[ItemChange] = []
    for key in sorted(set(asked_a) & set(asked_b)):
        was, now = out_a.values.get(key, 0.0) > 0, out_b.values.get(key, 0.0) > 0
        if (key in unread_a) == (key in unread_b):
            if key in unread_a or was == now:
                continue
            where, into = None, became if now else stopped
        elif (key in unread_a and (now or out_a.may_belong.get(key) == 1)) or (
            key in unread_b and (was or out_b.may_belong.get(key) == 1)
        ):
            where, into = ("a" if key in unread_a else "b"), one_sided
        else:
            continue
        into.append(
            ItemChange(
                metric=out_a.metric,
                condition=condition,
                item=key,
                model_a=model_a,
                model_b=model_b,
                transcript_a=transcript_head(asked_a[key]),
                transcript_b=transcript_head(asked_b[key]),
                unreadable_in=where,
            )
        )
    return became, stopped, one_sided


# -- table ---------------------------------------------------------------------------------
