"""Gate results as a rich table, with the evidence for each failing gate below it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from evalkit.gates.spec import GateResult
from evalkit.terminal import plain_safe, terminal_safe


def render_gates(results: Sequence[GateResult], console: Console) -> None:
    table = Table(title="release gates", title_justify="left")
    table.add_column("gate", no_wrap=True)
    for column in ("result", "metric", "value [95% CI]", "bound", "baseline", "p"):
        table.add_column(column)
    for r in results:
        where = f"{r.metric}\n{r.condition}" + (f" ({r.category})" if r.category else "")
        table.add_row(
            terminal_safe(r.name),
            Text("pass", style="green") if r.passed else Text("FAIL", style="bold red"),
            terminal_safe(where),
            r.value_text(),
            r.bound,
            "-" if r.kind == "absolute" else r.baseline_text(),
            "-" if r.p_value is None else f"{r.p_value:.3g}",
        )
    console.print(table)
    for r in results:
        if not r.passed:
            console.print(Text(plain_safe(r.report())), soft_wrap=True)
        elif r.warning:
            note = f"gate {r.name}: passed, but {r.warning}"
            console.print(Text(plain_safe(note), style="yellow"), soft_wrap=True)
    failed = sum(not r.passed for r in results)
    verdict = f"{len(results) - failed} passed, {failed} failed"
    console.print(Text(verdict, style="bold red" if failed else "bold green"))
