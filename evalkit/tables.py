"""Print a :class:`~scorers.contract.TableView` on the console, readable at any width.

A table that fits the terminal is drawn as a grid; one that does not (an
80-column terminal, a CI log) is printed as one block per row, ``column:
value`` a line, so no header or cell is ever cut to "con…".
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from scorers.contract import TableView


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
