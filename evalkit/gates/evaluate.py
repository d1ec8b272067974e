"""Check gates against a finished run: absolute bounds and paired regression tests.

Resolution (metric, model, baseline directory) happens before any model runs,
so a typo or a missing baseline costs nothing; evaluation reads only saved
records and each run's current judge verdicts (the same ones its family table
reads, so a judged metric gates the figure the table shows). Regression
semantics, also in ``docs/ci.md``:

- samples of the two runs are matched by ``dataset|condition|item``; the model
  labels may differ (``v1`` against ``v2``);
- per-item binary metrics use the paired outcomes: with no margin, the exact
  one-sided McNemar test on the discordant items; with a margin d > 0, Tango's
  score test of H0: increase <= d;
- per-item differences (``accuracy_drop``, ``view_shift``) whose changes between
  the runs are all -1, 0 or 1 are such a table too and are tested the same way;
  only other changes (an item moving by 2) use a one-sided paired bootstrap;
- a gate fails only when the move in the tested direction exceeds the margin
  *and* is significant at ``alpha``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from evalkit.config_paths import config_input
from evalkit.errors import EvalkitError
from evalkit.gates.spec import FlippedItem, GateConfig, GateResult
from evalkit.items import Item
from evalkit.judges.assignment import judge_for
from evalkit.judges.judgement_store import run_verdicts
from evalkit.plan import RunPlan
from evalkit.records import SampleRecord
from evalkit.store import RunStore
from evalkit.validation import dotted
from evalkit.yamlio import line_for
from scorers import registry
from scorers.contract import ItemOutcomes, Metric, item_key, item_outcomes
from scorers.stats import bootstrap_p_above, mcnemar_exact, paired_margin_p, ternary
from scorers.verdicts import NO_VERDICTS, Verdicts

DEFAULT_ALPHA = 0.05
WORST_ITEMS = 5


class IncompleteRunError(EvalkitError):
    """The run to gate is missing samples: the gates fail rather than judge part of it."""

    exit_code = 1


class GatedRun(NamedTuple):
    """A run's records and its current judge verdicts, indexed once: what a metric reads."""

    records: list[SampleRecord]
    verdicts: Verdicts


class ResolvedGate(BaseModel):
    """A gate with everything it names looked up and checked."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    config: GateConfig
    metric: Metric
    model: str
    baseline_dir: Path | None = None
    baseline_model: str | None = None
    baseline_records: list[SampleRecord] = []
    #: the baseline run's current judge verdicts
    baseline_verdicts: Verdicts = NO_VERDICTS

    @property
    def name(self) -> str:
        return self.config.name


def resolve_gates(plan: RunPlan) -> list[ResolvedGate]:
    """Every gate of the plan, or the first mistake as an error at its YAML line."""
    return [resolve_gate(plan, index) for index in range(len(plan.config.gates))]


def resolve_gate(
    plan: RunPlan, index: int, baselines: dict[Path, GatedRun] | None = None
) -> ResolvedGate:
    """Check gate ``index`` against the plan and load its baseline (cached in ``baselines``)."""
    gate = plan.config.gates[index]
    where = _Locator(plan, index)
    others = [g.name for g in plan.config.gates[:index]]
    if gate.name in others:
        raise where.error("name", f"two gates are named {gate.name!r}", "unique gate names")
    conditions = {c.name: c for c in plan.conditions}
    condition = conditions.get(gate.condition)
    if condition is None:
        raise where.error(
            "condition",
            f"gate {gate.name!r}: unknown condition {gate.condition!r}",
            "one of: " + ", ".join(conditions),
        )
    if gate.family is not None and gate.family != condition.family:
        raise where.error(
            "family",
            f"gate {gate.name!r}: condition {condition.name!r} is of family "
            f"{condition.family!r}, not {gate.family!r}",
            f"family {condition.family} (or leave it out)",
        )
    family = registry.get(condition.family)
    metric = family.metric(gate.metric)
    if metric is None:
        names = [m.name for m in family.metrics]
        raise where.error(
            "metric",
            f"gate {gate.name!r}: unknown metric {gate.metric!r} for family {condition.family!r}",
            "one of: " + (", ".join(names) or "(no gateable metrics for this family)"),
        )
    if metric.judged and judge_for(plan.config, condition.family) is None:
        raise where.error(
            "metric",
            f"gate {gate.name!r}: metric {metric.name!r} is read from a judge's verdicts, but "
            f"the config names no judge for family {condition.family!r}",
            f"a top-level `judge:` model entry or `judges: {{{condition.family}: …}}`",
        )
    reason = metric.applies(condition, plan.conditions)
    if reason is not None:
        raise where.error(
            "condition",
            f"gate {gate.name!r}: metric {metric.name!r} does not apply: {reason}",
            metric.description,
        )
    margin_key = "max_increase" if gate.max_increase is not None else "max_decrease"
    tested = "higher" if margin_key == "max_increase" else "lower"
    if getattr(gate, margin_key) is not None and tested != metric.worse:
        right = "max_increase" if metric.worse == "higher" else "max_decrease"
        raise where.error(
            margin_key,
            f"gate {gate.name!r}: {metric.name} is worse when {metric.worse}, so {margin_key} "
            "tests a change for the better: a regression would pass",
            f"{right}: (the same margin), or neither for a margin of 0",
        )
    labels = [m.label for m in plan.config.models]
    if gate.model is not None and gate.model not in labels:
        raise where.error(
            "model",
            f"gate {gate.name!r}: unknown model {gate.model!r}",
            "one of: " + ", ".join(labels),
        )
    if gate.model is None and len(labels) > 1:
        raise where.error(
            "model",
            f"gate {gate.name!r}: the run has {len(labels)} models; say which one",
            "model: one of " + ", ".join(labels),
        )
    model = gate.model or labels[0]
    if gate.category is not None:
        present = sorted({i.category for d in plan.datasets for i in d.items})
        if gate.category not in present:
            raise where.error(
                "category",
                f"gate {gate.name!r}: no item of category {gate.category!r} in this run",
                "one of: " + ", ".join(present),
            )
    resolved = ResolvedGate(config=gate, metric=metric, model=model)
    if gate.baseline is None:
        return resolved
    return _with_baseline(resolved, plan, where, baselines if baselines is not None else {})


class _Locator:
    """Errors at the YAML line of one gate's field."""

    def __init__(self, plan: RunPlan, index: int) -> None:
        self.plan = plan
        self.index = index

    def error(self, field: str, message: str, expected: str | None = None) -> EvalkitError:
        path = ("gates", self.index, field)
        return EvalkitError(
            message,
            file=self.plan.config_path,
            line=line_for(self.plan.lines, path),
            field=dotted(path),
            expected=expected,
        )


def _with_baseline(
    gate: ResolvedGate, plan: RunPlan, where: _Locator, cache: dict[Path, GatedRun]
) -> ResolvedGate:
    config = gate.config
    assert config.baseline is not None
    try:
        path = config_input(config.baseline, plan.config_path.resolve().parent, "baseline")
    except EvalkitError as exc:
        message = f"gate {config.name!r}: {exc.message}"
        raise where.error("baseline", message, exc.expected) from None
    how = f"a complete run directory; create it with `evalkit run {plan.config_path} --out {path}`"
    store = RunStore(path)
    if not path.is_dir():
        raise where.error("baseline", f"gate {config.name!r}: baseline {path} does not exist", how)
    manifest = store.read_manifest()
    if manifest is None:
        raise where.error(
            "baseline", f"gate {config.name!r}: {path} is not a run directory (no manifest)", how
        )
    if manifest.status != "complete":
        raise where.error(
            "baseline",
            f"gate {config.name!r}: baseline {path} is not a complete run ({manifest.status}, "
            f"{manifest.counts.completed}/{manifest.counts.planned} samples)",
            how,
        )
    resolved_path = path.resolve()
    if resolved_path not in cache:
        cache[resolved_path] = GatedRun(store.load_records(), run_verdicts(store))
    records, verdicts = cache[resolved_path]
    if len(records) != manifest.counts.completed:  # cut or edited after it completed
        raise where.error(
            "baseline",
            f"gate {config.name!r}: baseline {path} holds {len(records)} records, but the run "
            f"completed {manifest.counts.completed}: it was cut or edited after the run",
            how,
        )
    models = sorted({r.model for r in records})
    if config.baseline_model is not None:
        model = config.baseline_model
    elif len(models) == 1:
        model = models[0]
    elif gate.model in models:
        model = gate.model
    else:
        model = ""
    if model not in models:
        raise where.error(
            "baseline_model",
            f"gate {config.name!r}: baseline {path} has no model {model!r}"
            if model
            else f"gate {config.name!r}: baseline {path} has {len(models)} models; say which one",
            "baseline_model: one of " + ", ".join(models),
        )
    mine = [r for r in records if r.model == model]
    if not any(r.condition.name == config.condition for r in mine):
        present = sorted({r.condition.name for r in mine})
        raise where.error(
            "condition",
            f"gate {config.name!r}: baseline {path} has no samples of condition "
            f"{config.condition!r} for model {model!r}",
            "a condition of the baseline: " + ", ".join(present),
        )
    return gate.model_copy(
        update={
            "baseline_dir": path,
            "baseline_model": model,
            "baseline_records": mine,
            "baseline_verdicts": verdicts,
        }
    )


# -- evaluation --------------------------------------------------------------------------


def load_planned_run(plan: RunPlan, run_dir: Path, loaded: GatedRun | None = None) -> GatedRun:
    """The run's records for exactly the planned samples, with its current judge verdicts
    (read from ``run_dir``, unless ``loaded`` already holds them); refuses a partial run."""
    store = RunStore(run_dir)
    if loaded is None:
        loaded = GatedRun(store.load_records(), run_verdicts(store))
    planned = {sample for _, sample in plan.sample_ids()}
    records = [r for r in loaded.records if r.sample_id in planned]
    missing = len(planned) - len(records)
    if missing:
        raise IncompleteRunError(
            f"the run is missing {missing} of {len(planned)} samples; gates need all of them",
            file=run_dir,
            expected="a complete run: run the same command again to retry (see errors.jsonl)",
        )
    manifest = store.require_manifest()
    if manifest.status != "complete":  # every sample, but verdicts a metric reads missing
        unjudged = sum(j.pending for j in manifest.judges.values())
        raise IncompleteRunError(
            f"the run is {manifest.status}"
            + (f": {unjudged} questions its judges have not answered" if unjudged else "")
            + "; gates need a complete run",
            file=run_dir,
            expected="a complete run: run the same command again to retry (see judge_errors.jsonl)",
        )
    return GatedRun(records, loaded.verdicts)


def evaluate_gates(plan: RunPlan, run_dir: Path) -> list[GateResult]:
    """Resolve every gate, then check each against the finished run in ``run_dir``."""
    gates = resolve_gates(plan)
    run = load_planned_run(plan, run_dir)
    return [evaluate_gate(gate, run) for gate in gates]


def evaluate_gate(gate: ResolvedGate, run: GatedRun) -> GateResult:
    mine = [r for r in run.records if r.model == gate.model]
    config = gate.config
    outcomes = item_outcomes(
        gate.metric, mine, config.condition, verdicts=run.verdicts, category=config.category
    )
    if config.baseline is None:
        return _absolute(gate, outcomes)
    base = item_outcomes(
        gate.metric,
        gate.baseline_records,
        config.condition,
        verdicts=gate.baseline_verdicts,
        category=config.category,
    )
    changed = _changed_items(mine, gate.baseline_records, config.condition)
    return _regression(gate, outcomes, base, changed)


def _changed_items(
    records: list[SampleRecord], baseline: list[SampleRecord], condition: str
) -> list[str]:
    """Items paired by dataset label and id whose question or answers differ: a baseline
    made from other data under the same names compares other items."""

    def content(item: Item) -> tuple[object, ...]:
        return (item.question, item.choices, item.correct_answer, item.incorrect_answer)

    ours = {item_key(r): content(r.item) for r in records if r.condition.name == condition}
    return sorted(
        key
        for r in baseline
        if r.condition.name == condition
        and (key := item_key(r)) in ours
        and ours[key] != content(r.item)
    )


def _worst_case(gate: ResolvedGate, outcomes: ItemOutcomes) -> float | None:
    """The rate (or paired difference) had every unreadable answer (left out, or inside n
    at the definition's value) gone the worse way; None: no unreadable answer."""
    if not (outcomes.unreadable or outcomes.imputed):
        return None
    figure = outcomes.interval()
    # against the gate's own bound (a `min:` on a higher-is-worse metric checks the low end)
    config = gate.config
    side = "higher" if config.upper is not None else "lower" if config.lower is not None else None
    return figure.bound_high if (side or gate.metric.worse) == "higher" else figure.bound_low


def _more_unreadable(candidate: ItemOutcomes, baseline: ItemOutcomes) -> str | None:
    """A warning when the candidate has more unreadable answers than its baseline: the
    paired test leaves them out, or sees only the value its definition gives them."""
    ours = len(candidate.unreadable) + len(candidate.imputed)
    theirs = len(baseline.unreadable) + len(baseline.imputed)
    if ours <= theirs:
        return None
    return (
        f"{ours} unreadable answers in the candidate, {theirs} in the baseline: the paired "
        "test leaves them out or counts them as the metric's definition says, not as answered"
    )


def _common(gate: ResolvedGate, outcomes: ItemOutcomes) -> dict[str, Any]:
    interval = outcomes.interval()
    return {
        "name": gate.name,
        "kind": gate.config.kind,
        "metric": gate.metric.name,
        "family": gate.metric.family,
        "condition": gate.config.condition,
        "model": gate.model,
        "category": gate.config.category,
        "value": outcomes.value,
        "ci_low": interval.ci_low,
        "ci_high": interval.ci_high,
        "n": outcomes.n,
        "unreadable": len(outcomes.unreadable),
        "imputed": len(outcomes.imputed),
        "worst_case": _worst_case(gate, outcomes),
    }


def _absolute(gate: ResolvedGate, outcomes: ItemOutcomes) -> GateResult:
    config = gate.config
    on = config.on or "value"
    common = _common(gate, outcomes)
    worst = common["worst_case"]
    statistic = {
        "value": common["value"],
        "upper_ci": common["ci_high"],
        "lower_ci": common["ci_low"],
        "worst_case": worst if worst is not None else common["value"],
    }[on]
    limit = config.upper if config.upper is not None else config.lower
    assert limit is not None
    is_max = config.upper is not None
    bound = f"{'max' if is_max else 'min'} {limit:g} on {on}"
    flipped = _worst(outcomes, gate.metric, None)
    if on == "worst_case":  # what the worst case counts against the gate: its unknown items
        flipped = (flipped + _unknown_items(outcomes, high=is_max))[:WORST_ITEMS]
    unreadable = common["unreadable"]
    imputed = common["imputed"]
    if statistic is None:
        return GateResult(
            **common,
            passed=False,
            bound=bound,
            message=f"no items in the denominator of {gate.metric.name}: nothing to check"
            + (f" ({unreadable} unreadable)" if unreadable else ""),
        )

    def holds(value: float) -> bool:
        return value <= limit if is_max else value >= limit

    passed = holds(statistic)
    relation = ("<=" if passed else ">") if is_max else (">=" if passed else "<")
    where = [f"{unreadable} left out of n={common['n']}"] if unreadable else []
    where += [f"{imputed} counted inside n as the metric's definition says"] if imputed else []
    warning = None
    if passed and on != "worst_case" and worst is not None and not holds(worst):
        warning = (
            f"unreadable answers ({'; '.join(where)}): had they all gone the worse way, "
            f"{worst:.3f} {'>' if is_max else '<'} {limit:g} "
            "(`on: worst_case` fails the gate then)"
        )
    return GateResult(
        **common,
        passed=passed,
        bound=bound,
        message=f"{on} {statistic:.3f} {relation} {limit:g}",
        warning=warning,
        flipped=[] if passed else flipped,
    )


def _regression(
    gate: ResolvedGate, outcomes: ItemOutcomes, base: ItemOutcomes, changed: list[str]
) -> GateResult:
    config = gate.config
    alpha = config.alpha if config.alpha is not None else DEFAULT_ALPHA
    direction: Literal["higher", "lower"]
    if config.max_decrease is not None:
        direction, margin = "lower", config.max_decrease
    elif config.max_increase is not None:
        direction, margin = "higher", config.max_increase
    else:
        direction, margin = gate.metric.worse, 0.0
    word = "increase" if direction == "higher" else "decrease"
    sign = 1.0 if direction == "higher" else -1.0
    shared = sorted(set(outcomes.values) & set(base.values))
    changes = [outcomes.values[k] - base.values[k] for k in shared]
    worsening = [sign * c for c in changes]  # > 0: moved in the tested direction
    worse = sum(d > 0 for d in worsening)
    better = sum(d < 0 for d in worsening)
    # per-item changes all -1/0/1 (any binary metric, and a difference metric such as
    # accuracy_drop on most runs) are a McNemar table: test them as one, as compare does
    paired_binary = gate.metric.kind == "binary" or (ternary(worsening) and margin < 1)
    if paired_binary and margin == 0:
        p, test = mcnemar_exact(worse, better), "exact McNemar, one-sided"
    elif paired_binary:
        p = paired_margin_p(worse, better, len(shared), margin)
        test = f"Tango score test of {word} <= {margin:g}, one-sided"
    else:
        p = bootstrap_p_above(worsening, margin)
        test = f"paired bootstrap of {word} <= {margin:g}, one-sided"
    moved = sum(worsening) / len(shared) if shared else 0.0
    common = _common(gate, outcomes)
    fields = {
        **common,
        "bound": f"{word} <= {margin:g} (alpha {alpha:g})",
        "baseline": str(gate.baseline_dir),
        "baseline_value": base.value,
        "baseline_n": base.n,
        "baseline_unreadable": len(base.unreadable),
        "baseline_imputed": len(base.imputed),
        "warning": _more_unreadable(outcomes, base),
        "difference": sum(changes) / len(shared) if shared else None,
        "n_pairs": len(shared),
        "worse": worse,
        "better": better,
        "test": test,
    }
    if not shared:
        return GateResult(
            **fields,
            passed=False,
            message="no items in common with the baseline: nothing to compare",
        )
    if changed:  # fails closed: these pairs compare different questions
        return GateResult(
            **fields,
            passed=False,
            message=f"{len(changed)} of {len(shared)} paired items are not the baseline's "
            f"(the same id, another question or answer; first: {changed[0]}): make the "
            "baseline from the same data",
        )
    significant = p < alpha and moved > margin
    verdict = "significant" if significant else "not significant"
    message = (
        f"{word} {moved:+.3f} over {len(shared)} paired items (margin {margin:g}): "
        f"{verdict} at alpha {alpha:g} (p={p:.3g})"
    )
    return GateResult(
        **fields,
        passed=not significant,
        p_value=p,
        message=message,
        flipped=_worst(outcomes, gate.metric, base, direction),
    )


def _unknown_items(outcomes: ItemOutcomes, high: bool) -> list[FlippedItem]:
    """Items whose answer (or baseline answer) is unreadable that the worst case (the
    ``high`` extreme, or the low one) counts against the gate: what to read (or audit)
    before trusting a gate that failed on it. An item that may belong and would count the
    better way there (held, under a ``max:`` gate) is left out of the worst case, so it is
    not listed."""
    better = 0.0 if high else 1.0
    unknown = sorted(
        key
        for key in {*outcomes.unreadable, *outcomes.imputed}
        if outcomes.kind != "binary" or outcomes.may_belong.get(key) != better
    )
    return [
        FlippedItem(
            item=key,
            change="unreadable at its baseline" if key in outcomes.may_belong else "unreadable",
            transcript=outcomes.transcripts[key],
        )
        for key in unknown[:WORST_ITEMS]
    ]


def _worst(
    outcomes: ItemOutcomes,
    metric: Metric,
    base: ItemOutcomes | None,
    direction: Literal["higher", "lower"] | None = None,
) -> list[FlippedItem]:
    """Items that count most against the gate: flips from the baseline, or bad outcomes."""
    sign = 1.0 if (direction or metric.worse) == "higher" else -1.0
    scored: list[tuple[float, str, str]] = []
    for key, value in outcomes.values.items():
        if base is not None:
            if key not in base.values:
                continue
            badness = sign * (value - base.values[key])
            change = f"{base.values[key]:g} -> {value:g}"
        else:
            badness = sign * value if metric.kind == "difference" or sign > 0 else 1 - value
            change = f"{value:g}"
        if badness > 0:
            scored.append((badness, key, change))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [
        FlippedItem(item=key, change=change, transcript=outcomes.transcripts[key])
        for _, key, change in scored[:WORST_ITEMS]
    ]
