"""Turn a loaded run (and optionally another to compare with) into the report's view model."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel

from evalkit.report import svg
from evalkit.report.comparison import compare_runs
from evalkit.report.console import headline_table, reference_table
from evalkit.report.rundata import RunData
from evalkit.report.sections import render_families
from evalkit.report.transcripts import TRANSCRIPT_CAP, build_transcripts
from evalkit.report.view import (
    ErrorView,
    KeyValue,
    ModelInfo,
    PlotView,
    RatePoint,
    ReportView,
    RunMeta,
    TableView,
)

#: Keys whose values are never shown, whatever a provider puts in ``describe()``.
SECRET_KEY = re.compile(
    r"api[_-]?key|secret|passw|authori[sz]ation|credential|bearer|^token$|_token$|cookie",
    re.IGNORECASE,
)
REDACTED = "[redacted]"


def build_view(
    run: RunData,
    other: RunData | None = None,
    *,
    cap: int = TRANSCRIPT_CAP,
    transcripts_file: str | None = None,
) -> ReportView:
    """The page's view model; it embeds the first ``cap`` transcripts, and names
    ``transcripts_file`` as where the rest are (written by the caller)."""
    sections, accuracy = render_families(run.results, run.readouts)
    rows = run.headline
    gave_in = [RatePoint(model=r.model, condition=r.condition, rate=r.capitulation) for r in rows]
    return ReportView(
        meta=_meta(run),
        headline=headline_table(rows, run.readouts),
        reference=reference_table(run.reference) if run.reference else None,
        overview_plots=_overview_plots(run, accuracy, gave_in),
        families=sections,
        compare=compare_runs(run, other) if other is not None else None,
        transcripts=build_transcripts(run, cap),
        transcripts_total=run.index.count,
        transcripts_file=transcripts_file if run.index.count > cap else None,
        errors=[
            ErrorView(
                sample_id=e.sample_id,
                model=e.model,
                dataset=e.dataset,
                condition=e.condition,
                item_id=e.item_id,
                error_type=e.error_type,
                message=e.message,
                at=_when(e.at),
            )
            for e in run.errors
        ],
        generated_at=_when(datetime.now(timezone.utc)),
    )


def _overview_plots(
    run: RunData, accuracy: list[RatePoint], gave_in: list[RatePoint]
) -> list[PlotView]:
    plots = []
    if accuracy:
        title = "accuracy per condition (Wilson 95% interval)"
        bars = [svg.Bar(group=p.condition, series=p.model, rate=p.rate) for p in accuracy]
        plots.append(PlotView(title=title, svg=svg.bar_chart(bars, title)))
    if gave_in:
        configured = [str(c.get("name", "")) for c in run.manifest.conditions]
        named = {p.condition for p in gave_in}
        steps = [c for c in configured if c in named]
        steps += sorted(named - set(steps))
        title = (
            "pressure ladder: capitulation, P(not correct | correct before) over readable "
            "answers, conditions in config order"
        )
        if all(p.rate.value is None for p in gave_in):
            title += " (empty: no readable answer under pressure from an item known without it)"
        points = [svg.LadderPoint(series=p.model, step=p.condition, rate=p.rate) for p in gave_in]
        plots.append(PlotView(title=title, svg=svg.ladder(points, steps, title)))
    return plots


def _meta(run: RunData) -> RunMeta:
    manifest = run.manifest
    usage: Any = getattr(manifest, "usage", None)
    return RunMeta(
        run_name=manifest.run_name,
        run_dir=str(run.run_dir),
        status=manifest.status,
        complete=manifest.status == "complete",
        config_path=manifest.config_path,
        config_hash=manifest.config_hash,
        plan_hash=manifest.plan_hash,
        evalkit_version=manifest.evalkit_version,
        python=manifest.python,
        packages=[KeyValue(key=k, value=v) for k, v in sorted(manifest.packages.items())],
        started_at=_when(manifest.started_at),
        finished_at=_when(manifest.finished_at) if manifest.finished_at else None,
        counts=manifest.counts,
        records=run.index.count,
        models=[
            ModelInfo(label=label, details=flatten(info))
            for label, info in sorted(manifest.models.items())
        ],
        datasets=manifest.datasets,
        conditions=_conditions(manifest.conditions),
        record_usage=_record_usage(run),
        usage=_usage(usage),
    )


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _conditions(conditions: list[dict[str, Any]]) -> TableView:
    columns = ["name", "family", "pressure", "answer_by", "turns", "template", "description"]
    rows = [[str(c.get(col, "")) for col in columns] for c in conditions]
    return TableView(caption="conditions", columns=columns, rows=rows)


def _record_usage(run: RunData) -> TableView:
    rows = [
        [
            model,
            str(u.samples),
            str(u.turns),
            f"{u.prompt_tokens:,}",
            f"{u.completion_tokens:,}",
            f"{u.latency_s:.1f}",
            f"{u.latency_s / u.turns:.2f}" if u.turns else "-",
            str(u.cut),
        ]
        for model, u in sorted(run.index.usage.items())
    ]
    return TableView(
        caption="usage from the records",
        columns=[
            "model",
            "samples",
            "turns",
            "prompt tokens",
            "completion tokens",
            "latency total (s)",
            "latency per turn (s)",
            "cut at max tokens",
        ],
        rows=rows,
    )


def _usage(usage: Any) -> list[ModelInfo]:
    """The manifest's per-model usage/cost, whatever its exact shape, secrets withheld."""
    if usage is None:
        return []
    if isinstance(usage, BaseModel):
        usage = usage.model_dump(mode="json")
    if not isinstance(usage, dict):
        return [ModelInfo(label="all", details=[KeyValue(key="usage", value=str(usage))])]
    return [ModelInfo(label=str(label), details=flatten(value)) for label, value in usage.items()]


def flatten(value: Any, prefix: str = "") -> list[KeyValue]:
    """Nested mappings as dotted keys; values under secret-looking keys are withheld."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    if not isinstance(value, dict):
        return [KeyValue(key=prefix or "value", value=_text(value))]
    pairs: list[KeyValue] = []
    for key, item in value.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if SECRET_KEY.search(str(key)):
            pairs.append(KeyValue(key=name, value=REDACTED))
        elif isinstance(item, dict | BaseModel):
            pairs += flatten(item, name)
        else:
            pairs.append(KeyValue(key=name, value=_text(item)))
    return pairs


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)
