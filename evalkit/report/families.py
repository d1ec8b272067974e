"""One renderer per family result type: its tables and plots, and points for shared plots.

A new family (feedback, mimicry, multi-turn SYCON, …) adds one function::

    @register(FeedbackResult)
    def _feedback(results: list[FeedbackResult]) -> RenderedFamily: ...

A result type nobody registered still shows, as a generic table of its fields.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel

from evalkit.report import svg
from evalkit.report.fmt import diff, metric, prop, verdicts
from evalkit.report.view import FamilySection, PlotView, RatePoint, RenderedFamily, TableView
from scorers.answer import AnswerResult
from scorers.are_you_sure import OUTCOMES, AreYouSureResult
from scorers.stats import Difference, Proportion

R = TypeVar("R", bound=BaseModel)
Renderer = Callable[[list[Any]], RenderedFamily]

RENDERERS: dict[type[BaseModel], Renderer] = {}


def register(result_type: type[R]) -> Callable[[Callable[[list[R]], RenderedFamily]], Renderer]:
    def decorate(function: Callable[[list[R]], RenderedFamily]) -> Renderer:
        RENDERERS[result_type] = function
        return function

    return decorate


def render_families(results: Sequence[BaseModel]) -> list[RenderedFamily]:
    """Group results by type (keeping the scorers' order) and hand each group to its renderer."""
    groups: dict[type[BaseModel], list[BaseModel]] = defaultdict(list)
    for result in results:
        groups[type(result)].append(result)
    return [RENDERERS.get(kind, render_generic)(group) for kind, group in groups.items()]


# -- answer -------------------------------------------------------------------------


@register(AnswerResult)
def render_answer(results: list[AnswerResult]) -> RenderedFamily:
    sections: list[FamilySection] = []
    accuracy: list[RatePoint] = []
    gave_in: list[RatePoint] = []
    for result in results:
        effects = {e.condition: e for e in result.effects}
        rows = []
        for row in result.conditions:
            effect = effects.get(row.condition)
            rows.append(
                [
                    row.condition,
                    row.pressure,
                    prop(row.accuracy),
                    f"{row.unparsed}/{row.n}",
                    diff(effect.accuracy_drop) if effect else "baseline",
                    prop(effect.capitulation) if effect else "-",
                    prop(effect.adoption) if effect and effect.adoption else "-",
                ]
            )
            accuracy.append(
                RatePoint(model=result.model, condition=row.condition, rate=row.accuracy)
            )
            if effect:
                gave_in.append(
                    RatePoint(model=result.model, condition=row.condition, rate=effect.capitulation)
                )
        table = TableView(
            caption="accuracy per condition, and the effect of pressure against the baseline",
            columns=[
                "condition",
                "pressure",
                "accuracy [95% CI]",
                "unparsed",
                "drop vs neutral (pts)",
                "capitulation",
                "adopts user's wrong answer",
            ],
            rows=rows,
            note=f"baseline: {result.baseline or 'none'}; answer sycophancy "
            f"{diff(result.answer_sycophancy)} pts",
        )
        categories = [
            svg.Bar(group=category, series=row.condition, rate=rate)
            for row in result.conditions
            for category, rate in row.by_category.items()
        ]
        categories.sort(key=lambda b: b.group)
        title = f"accuracy per category — {result.model}"
        sections.append(
            FamilySection(
                family="answer",
                title=f"answer — {result.model}",
                tables=[table],
                plots=[PlotView(title=title, svg=svg.bar_chart(categories, title))],
            )
        )
    return RenderedFamily(sections=sections, accuracy=accuracy, gave_in=gave_in)


# -- are you sure -------------------------------------------------------------------


@register(AreYouSureResult)
def render_are_you_sure(results: list[AreYouSureResult]) -> RenderedFamily:
    rows = [
        [
            r.model,
            r.condition,
            str(r.n),
            prop(r.initial_accuracy),
            prop(r.final_accuracy),
            str(r.correct_to_incorrect),
            str(r.incorrect_to_correct),
            str(r.unchanged),
            prop(r.regressive),
            prop(r.progressive),
            prop(r.answer_changed),
        ]
        for r in results
    ]
    table = TableView(
        caption="are-you-sure family (first answer -> final answer)",
        columns=[
            "model",
            "condition",
            "n",
            "initial acc.",
            "final acc.",
            "correct->incorrect",
            "incorrect->correct",
            "unchanged",
            "regressive rate [95% CI]",
            "progressive rate",
            "answer changed",
        ],
        rows=rows,
    )
    tables = [table]
    judged = [r for r in results if r.admits_mistake is not None]
    if judged:
        tables.append(_admits_mistake_table(judged))
    plots = []
    for r in results:
        title = f"flip matrix — {r.model} · {r.condition}"
        plots.append(
            PlotView(
                title=title,
                svg=svg.heatmap(
                    r.matrix, OUTCOMES, title, rows="first answer", cols="final answer"
                ),
            )
        )
    accuracy = [
        RatePoint(model=r.model, condition=f"{r.condition} ({when})", rate=rate)
        for r in results
        for when, rate in (("first", r.initial_accuracy), ("final", r.final_accuracy))
    ]
    gave_in = [RatePoint(model=r.model, condition=r.condition, rate=r.regressive) for r in results]
    section = FamilySection(
        family="are_you_sure", title="are you sure?", tables=tables, plots=plots
    )
    return RenderedFamily(sections=[section], accuracy=accuracy, gave_in=gave_in)


def _admits_mistake_table(results: list[AreYouSureResult]) -> TableView:
    rows = []
    for r in results:
        admits = r.admits_mistake
        assert admits is not None
        rows.append(
            [
                r.model,
                r.condition,
                prop(admits.admits),
                prop(admits.apologize_rate),
                prop(admits.confidence),
                prop(admits.truthfulness),
                verdicts(admits.judge),
            ]
        )
    return TableView(
        caption="admits a mistake after the challenge (judge), reported as the inspect_evals "
        "port does: apologize_rate = P(admits | first answer right), confidence = "
        "1 - apologize_rate, truthfulness = right and keeps it or not right and admits it",
        columns=[
            "model",
            "condition",
            "admits",
            "apologize_rate",
            "confidence",
            "truthfulness",
            "verdicts",
        ],
        rows=rows,
    )


# -- anything else -------------------------------------------------------------------


def render_generic(results: list[BaseModel]) -> RenderedFamily:
    """Tables for a result type without its own renderer, readable without knowing it.

    One table of each result's own metrics (one row per result), then one table
    per list-of-records field (e.g. per-condition rows), each row led by the
    result's model. Metrics show with their intervals, never as raw reprs.
    """
    family = str(getattr(results[0], "family", type(results[0]).__name__))
    fields = list(dict.fromkeys(name for r in results for name in type(r).model_fields))
    nested = [f for f in fields if any(_is_records(getattr(r, f, None)) for r in results)]
    flat = [f for f in fields if f not in nested and f != "family"]
    tables = [
        TableView(
            caption=f"{family} family",
            columns=flat,
            rows=[[cell(getattr(r, name, None)) for name in flat] for r in results],
        )
    ]
    for name in nested:
        rows: list[tuple[str, BaseModel]] = [
            (str(getattr(r, "model", "")), element)
            for r in results
            for element in getattr(r, name, None) or []
        ]
        columns = list(dict.fromkeys(f for _, e in rows for f in type(e).model_fields))
        tables.append(
            TableView(
                caption=f"{family}: {name.replace('_', ' ')}",
                columns=["model", *columns],
                rows=[[model, *(cell(getattr(e, c, None)) for c in columns)] for model, e in rows],
            )
        )
    return RenderedFamily(sections=[FamilySection(family=family, title=family, tables=tables)])


def _is_records(value: object) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], BaseModel)


def cell(value: object) -> str:
    """Any field value as table text: metrics with their intervals, mappings compactly."""
    if isinstance(value, Proportion | Difference):
        return metric(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, str | int) or value is None:
        return "-" if value is None else str(value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {cell(v)}" for k, v in value.items()) or "-"
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(cell(v) for v in value) or "-"
    if isinstance(value, BaseModel):
        return "; ".join(f"{k}: {cell(getattr(value, k))}" for k in type(value).model_fields)
    return json.dumps(value, ensure_ascii=False, default=str)
