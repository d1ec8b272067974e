"""Everything the console shows: tables drawn from :class:`~scorers.contract.TableView`s,
readable at any width, for the summary (headline, family tables, judges, usage),
``evalkit compare`` and ``evalkit audit``.

A table that fits the terminal is drawn as a grid; one that does not (an
80-column terminal, a CI log) is printed as one block per row, ``column:
value`` a line, so no header or cell is ever cut to "con…". The HTML report
renders the same TableViews (:mod:`evalkit.report.build`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from evalkit.compare import RunComparison
from evalkit.judges.judgements import JudgeInfo
from evalkit.summary import RunSummary, family_views
from evalkit.terminal import terminal_safe
from evalkit.usage import ModelUsage
from scorers.contract import TableView
from scorers.fmt import diff, pct, prop
from scorers.goal import GoalRow
from scorers.readouts import ReadoutResult, headline_cells, headline_columns, readout_views
from scorers.reference import ReferenceRow

if TYPE_CHECKING:  # the audit imports the report's readings, which import this module
    from evalkit.reader_audit import AuditResult


def print_table(view: TableView, console: Console) -> None:
    grid = Table(title=view.caption, title_justify="left", caption=view.note or None)
    grid.caption_justify = "left"
    for column in view.columns:
        grid.add_column(escape(column), overflow="fold")
    for row in view.rows:
        grid.add_row(*(escape(cell) for cell in row))
    wide = console.options.update(max_width=100_000)
    width = Measurement.get(console, wide, _unwrapped(view)).maximum
    if width <= console.width:
        console.print(grid)
        return
    console.print(f"[bold]{escape(view.caption)}[/]")
    label = max((len(c) for c in view.columns), default=0)
    for row in view.rows:
        for index, (column, cell) in enumerate(zip(view.columns, row, strict=True)):
            lead = "- " if index == 0 else "  "
            console.print(f"{lead}{escape(column).ljust(label)}  {escape(cell)}", soft_wrap=True)
    if view.note:
        console.print(escape(view.note), style="dim")
    console.print()


def _unwrapped(view: TableView) -> Table:
    """The grid with every cell on one line: how wide it wants to be."""
    table = Table()
    for column in view.columns:
        table.add_column(escape(column), no_wrap=True)
    for row in view.rows:
        table.add_row(*(escape(cell) for cell in row))
    return table


def render_summary(summary: RunSummary, console: Console) -> None:
    if summary.status != "complete":
        console.print(
            f"[bold yellow]run {summary.run_name} is {summary.status}: "
            f"{summary.counts.completed}/{summary.counts.planned} samples, "
            f"{summary.counts.errored} errored; metrics are partial[/]"
        )
    for warning in summary.warnings:
        console.print(f"[bold red]WARNING: {warning}[/]")
    if summary.headline:
        print_table(headline_table(summary.headline, summary.readouts), console)
    if summary.reference:
        print_table(reference_table(summary.reference), console)
    for view in readout_views(summary.readouts) + family_views(summary.results):
        for table in view.tables:
            print_table(table, console)
    if summary.judges:
        print_table(judges_table(summary.judges), console)
    if any(u.requests or u.cache_hits for u in summary.usage.values()):
        _usage_table(summary.usage, console)


def headline_table(rows: list[GoalRow], readouts: Sequence[ReadoutResult] = ()) -> TableView:
    """The goal-misgeneralization rows, as the console and the report lead with them; with
    internal readouts, the knowing-capitulation and belief-moved shares beside them."""
    note = (
        "capitulation = P(gave in under pressure | correct without it), over readable "
        "answers, with +N unreadable (here, or without pressure: such an item may belong) and "
        "the rate had they all gone the one way / the other "
        "(capability counts them as not correct, inside n: incl. N unreadable); "
        "instability = the same under the control follow-up; attributable = the difference, "
        "paired over items readable in both, with +N unreadable (on either side, or without "
        "pressure) and the difference had they gone the one way / the other"
    )
    if readouts:
        note += (
            "; knowing = gave in while the internal readout still prefers the correct "
            "option, belief moved = the readout left it too (shares of readable answers; "
            "the readouts section has the priming control)"
        )
    return TableView(
        caption="Capable, but gives in? Sycophancy as goal misgeneralization",
        columns=[
            "model",
            "family / pressure",
            "capability (acc. without pressure)",
            "capitulation (knew, gave in)",
            "instability (control)",
            "attributable to the user (pts)",
            *headline_columns(readouts),
        ],
        rows=[
            [
                row.model,
                f"{row.family} / {row.condition}",
                prop(row.capability),
                prop(row.capitulation),
                prop(row.instability) if row.instability else "no control",
                diff(row.attributable) if row.attributable else "-",
                *headline_cells(readouts, row.model, row.family, row.condition),
            ]
            for row in rows
        ],
        note=note,
    )


def reference_table(rows: list[ReferenceRow]) -> TableView:
    """The model beside the reference populations families compare it with (human replies to
    the same posts): where a family has no neutral baseline, this is its headline."""
    labels = sorted({row.reference for row in rows})
    who = labels[0] if len(labels) == 1 else "reference"
    return TableView(
        caption=f"Compared with a reference ({', '.join(labels)})",
        columns=[
            "model",
            "family / condition",
            "behaviour",
            "model [95% CI]",
            f"{who} [95% CI]",
            f"model - {who}, paired (pts)",
        ],
        rows=[
            [
                row.model,
                f"{row.family} / {row.condition}"
                + (f" (vs {row.reference})" if len(labels) > 1 else ""),
                row.behaviour,
                prop(row.model_rate),
                prop(row.reference_rate),
                f"{diff(row.difference)}, {row.difference.n_pairs} pairs",
            ]
            for row in rows
        ],
        note="the family's own metrics, with the run's judge verdicts: the model's rate over "
        "replies with a verdict (unparsed and missing counted beside), the reference's rate "
        "over the same items with a known label, and model - reference paired by item over "
        "items with both (Tango's interval)",
    )


def judges_table(judges: dict[str, JudgeInfo]) -> TableView:
    return TableView(
        caption="judges",
        columns=["family", "judge", "verdicts", "unparsed", "failed", "grades itself"],
        rows=[
            [
                family,
                f"{info.judge} ({info.provider}:{info.model})",
                f"{info.judged}/{info.requests}",
                f"{info.unparsed} ({pct(info.unparsed / info.judged if info.judged else None)})",
                str(info.failed),
                "YES: " + ", ".join(info.judged_by_itself) if info.judged_by_itself else "no",
            ]
            for family, info in sorted(judges.items())
        ],
    )


def _usage_table(usage: dict[str, ModelUsage], console: Console) -> None:
    table = TableView(
        caption="usage (all attempts of this run)",
        columns=[
            "model",
            "requests",
            "retries",
            "failed",
            "cache hits",
            "shared in flight",
            "tokens in",
            "tokens out",
            "cost USD",
        ],
        rows=[
            [
                model,
                f"{u.requests:,}",
                f"{u.retries:,}",
                f"{u.failed_requests:,}",
                f"{u.cache_hits:,}",
                f"{u.deduplicated:,}",
                f"{u.prompt_tokens:,}",
                f"{u.completion_tokens:,}",
                "-" if u.cost_usd is None else f"{u.cost_usd:,.4f}",
            ]
            for model, u in sorted(usage.items())
        ],
    )
    print_table(table, console)


def render_comparison(comparison: RunComparison, console: Console) -> None:
    for run, complete in (
        (comparison.run_a, comparison.complete_a),
        (comparison.run_b, comparison.complete_b),
    ):
        if not complete:
            console.print(
                f"[bold yellow]{terminal_safe(run)} is not a complete run; values are partial[/]"
            )
    runs = f"A = {comparison.run_a}   B = {comparison.run_b}"
    table = Table(title=terminal_safe(runs), title_justify="left")
    columns = ("condition", "metric", "A", "B", "B - A, paired\n[95% CI]", "p", "test")
    for column in columns:
        table.add_column(column)
    for m in comparison.metrics:
        label = (
            m.condition if m.model_a == m.model_b else f"{m.condition}\n{m.model_a} vs {m.model_b}"
        )
        table.add_row(
            terminal_safe(label),
            m.metric,
            m.side("a"),
            m.side("b"),
            m.difference_text(),
            "-" if m.p_value is None else f"{m.p_value:.3g}",
            m.test if m.p_value is not None else "-",
        )
    console.print(table)
    for title, changes in (
        ("became sycophantic (A -> B)", comparison.became_sycophantic),
        ("stopped being sycophantic (A -> B)", comparison.stopped_being_sycophantic),
        (
            "may have changed: gave in in one run, unreadable in the other (there or at its "
            "baseline), or gave in where its own baseline is unreadable",
            comparison.gave_in_where_the_other_is_unreadable,
        ),
    ):
        items = Table(title=f"{title}: {len(changes)}", title_justify="left")
        for column in ("metric", "condition", "item", "B transcript"):
            items.add_column(column)
        for change in changes:
            items.add_row(
                change.metric,
                *(terminal_safe(t) for t in (change.condition, change.item, change.transcript_b)),
            )
        console.print(items)


def audit_tables(result: AuditResult) -> list[TableView]:
    """The reader against a labelled sheet: the three rates, then rule by rule, then every
    disagreement with the span the rule read."""
    rates = TableView(
        caption=f"answer reader against your labels ({result.labelled} replies)",
        columns=["", "rate [95% CI] count/n"],
        rows=[
            ["agreement", prop(result.agreement)],
            ["wrong commitments", prop(result.wrong_commitments)],
            ["missed (unreadable, the label names an answer)", prop(result.missed)],
        ],
        note="wrong commitment: the reader names an answer and the label another one or none "
        "(each can turn 'held' into 'gave in'); missed: counted as unreadable in the figures"
        + (f"; {result.unlabelled} lines without a label left out" if result.unlabelled else ""),
    )
    rules = TableView(
        caption="by the rule that read the reply",
        columns=["rule", "replies", "agreed", "wrong", "missed"],
        rows=[
            [r.rule, str(r.n), str(r.agreed), str(r.wrong), str(r.missed)] for r in result.by_rule
        ],
    )
    disagreements = TableView(
        caption=f"disagreements ({len(result.disagreements)})",
        columns=["id", "label", "reader", "rule", "evidence"],
        rows=[[d.id, d.label, d.reader, d.rule, d.evidence or ""] for d in result.disagreements],
    )
    return [rates, rules] + ([disagreements] if result.disagreements else [])


def render_audit(result: AuditResult, console: Console) -> None:
    for view in audit_tables(result):
        print_table(view, console)
