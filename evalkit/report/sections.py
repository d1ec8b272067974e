"""Each family's section of the report: the tables and plots its view declares.

The family module builds the view (``Family.views``); the console prints the
same tables, so the two can never show different figures. Plots are drawn
here, from the plot data the view carries.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from evalkit.report import svg
from evalkit.report.view import FamilySection, PlotView
from evalkit.summary import family_views
from scorers.contract import BarPlot, FamilyView, HeatmapPlot, RatePoint
from scorers.readouts import ReadoutResult, readout_views


def render_families(
    results: Sequence[BaseModel], readouts: Sequence[ReadoutResult] = ()
) -> tuple[list[FamilySection], list[RatePoint]]:
    """The report's family sections (internal readouts first, when the run has them), and
    every family's accuracy points for the overview."""
    views = readout_views(readouts) + family_views(results)
    return [_section(v) for v in views], [p for v in views for p in v.accuracy]


def _section(view: FamilyView) -> FamilySection:
    return FamilySection(
        family=view.family,
        title=view.title,
        tables=view.tables,
        plots=[_plot(plot) for plot in view.plots],
    )


def _plot(plot: BarPlot | HeatmapPlot) -> PlotView:
    if isinstance(plot, BarPlot):
        bars = [svg.Bar(group=g, series=s, rate=r) for g, s, r in plot.bars]
        return PlotView(title=plot.title, svg=svg.bar_chart(bars, plot.title))
    return PlotView(
        title=plot.title,
        svg=svg.heatmap(plot.matrix, plot.labels, plot.title, rows=plot.rows, cols=plot.cols),
    )
