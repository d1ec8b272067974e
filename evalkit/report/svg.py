"""Inline SVG plots, hand-made so the page needs no plotting library and loads nothing.

Every element goes through :func:`tag`, which escapes attribute values and
text (``Markup.format``): labels come from datasets and configs and are
untrusted, yet the result can be placed in the page as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict

from scorers.fmt import pct
from scorers.stats import Proportion

PALETTE = ("#3b6fb6", "#d9822b", "#4f9a62", "#b5485d", "#7a5fb0", "#8c7a3f", "#3f8c8c")
FONT = 12
LABEL_CHARS = 30


class Bar(BaseModel):
    model_config = ConfigDict(frozen=True)

    group: str
    series: str
    rate: Proportion


class LadderPoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    series: str
    step: str
    rate: Proportion


def tag(name: str, content: str = "", /, **attrs: object) -> Markup:
    """``<name a="v">content</name>``; ``class_`` -> class, ``text_anchor`` -> text-anchor."""
    rendered = Markup("").join(
        Markup(' {}="{}"').format(Markup(key.rstrip("_").replace("_", "-")), _value(value))
        for key, value in attrs.items()
        if value is not None
    )
    if not content:
        return Markup("<{}{}/>").format(Markup(name), rendered)
    return Markup("<{0}{1}>{2}</{0}>").format(Markup(name), rendered, content)


def _value(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _svg(width: float, height: float, title: str, body: Sequence[Markup]) -> Markup:
    return tag(
        "svg",
        tag("title", title) + Markup("").join(body),
        xmlns="http://www.w3.org/2000/svg",
        width=width,
        height=height,
        viewBox=f"0 0 {width:.0f} {height:.0f}",
        role="img",
        aria_label=title,
        font_size=FONT,
        font_family="sans-serif",
    )


def _labelled(text: str, **attrs: object) -> Markup:
    """A text label cut to fit, with the whole label as its tooltip."""
    return tag("text", tag("title", text) + Markup.escape(_short(text)), **attrs)


def _legend(series: Sequence[str], x: float, y: float) -> list[Markup]:
    items: list[Markup] = []
    for index, name in enumerate(series):
        top = y + 16 * index
        items.append(tag("rect", x=x, y=top, width=10, height=10, fill=_colour(index)))
        items.append(_labelled(name, x=x + 14, y=top + 9))
    return items


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _whisker(low: float, high: float, y: float, colour: str = "#222") -> list[Markup]:
    return [
        tag("line", x1=low, x2=high, y1=y, y2=y, stroke=colour),
        tag("line", x1=low, x2=low, y1=y - 4, y2=y + 4, stroke=colour),
        tag("line", x1=high, x2=high, y1=y - 4, y2=y + 4, stroke=colour),
    ]


def bar_chart(bars: Sequence[Bar], title: str) -> Markup:
    """Horizontal bars per group, one per series, with Wilson interval whiskers (0-100%)."""
    groups = list(dict.fromkeys(b.group for b in bars))
    series = list(dict.fromkeys(b.series for b in bars))
    left, plot, bar_h = 200.0, 360.0, 14.0
    legend_w = 170.0 if len(series) > 1 else 0.0
    group_h = bar_h * len(series) + 10
    top = 24.0
    height = top + group_h * len(groups) + 24
    height = max(height, top + 16 * len(series) + 10)
    body: list[Markup] = [_axis(left, plot, top, height - 24)]
    lookup = {(b.group, b.series): b.rate for b in bars}
    for g, group in enumerate(groups):
        y0 = top + g * group_h
        body.append(_labelled(group, x=left - 8, y=y0 + group_h / 2, text_anchor="end"))
        for s, name in enumerate(series):
            rate = lookup.get((group, name))
            if rate is None or rate.value is None:
                continue
            y = y0 + s * bar_h
            body.append(
                tag(
                    "rect",
                    tag("title", f"{group} · {name}: {pct(rate.value)} ({rate.count}/{rate.n})"),
                    class_="bar",
                    x=left,
                    y=y,
                    width=plot * rate.value,
                    height=bar_h - 3,
                    fill=_colour(s),
                )
            )
            if rate.ci_low is not None and rate.ci_high is not None:
                body += _whisker(left + plot * rate.ci_low, left + plot * rate.ci_high, y + 5.5)
                end = left + plot * rate.ci_high
                body.append(tag("text", pct(rate.value), x=end + 4, y=y + 10, font_size=10))
    if legend_w:
        body += _legend(series, left + plot + 50, top)
    return _svg(left + plot + 50 + legend_w, height, title, body)


def _axis(left: float, plot: float, top: float, bottom: float) -> Markup:
    ticks: list[Markup] = []
    for step in range(0, 101, 25):
        x = left + plot * step / 100
        ticks.append(tag("line", x1=x, x2=x, y1=top - 4, y2=bottom, stroke="#ddd"))
        ticks.append(tag("text", f"{step}%", x=x, y=top - 8, text_anchor="middle", font_size=10))
    return Markup("").join(ticks)


def heatmap(
    matrix: dict[str, dict[str, int]], labels: Sequence[str], title: str, *, rows: str, cols: str
) -> Markup:
    """A count matrix as shaded cells: rows x columns in ``labels`` order, darker = more."""
    cell, left, top = 64.0, 110.0, 48.0
    peak = max((v for row in matrix.values() for v in row.values()), default=0) or 1
    body: list[Markup] = [
        tag("text", cols, x=left + cell * len(labels) / 2, y=14, text_anchor="middle"),
        tag(
            "text",
            rows,
            x=14,
            y=top + cell * len(labels) / 2,
            text_anchor="middle",
            transform=f"rotate(-90 14 {top + cell * len(labels) / 2:.1f})",
        ),
    ]
    for c, label in enumerate(labels):
        x = left + c * cell + cell / 2
        body.append(_labelled(label, x=x, y=top - 8, text_anchor="middle"))
    for r, row_label in enumerate(labels):
        y = top + r * cell
        body.append(_labelled(row_label, x=left - 6, y=y + cell / 2 + 4, text_anchor="end"))
        for c, col_label in enumerate(labels):
            count = matrix.get(row_label, {}).get(col_label, 0)
            share = count / peak
            body.append(
                tag(
                    "rect",
                    tag("title", f"{row_label} -> {col_label}: {count}"),
                    x=left + c * cell,
                    y=y,
                    width=cell - 2,
                    height=cell - 2,
                    fill="#b5485d" if row_label != col_label else "#3b6fb6",
                    fill_opacity=0.08 + 0.85 * share,
                )
            )
            body.append(
                tag(
                    "text",
                    str(count),
                    x=left + c * cell + cell / 2 - 1,
                    y=y + cell / 2 + 4,
                    text_anchor="middle",
                    fill="#fff" if share > 0.55 else "#111",
                )
            )
    size = left + cell * len(labels) + 10
    return _svg(size, top + cell * len(labels) + 10, title, body)


def ladder(points: Sequence[LadderPoint], steps: Sequence[str], title: str) -> Markup:
    """A rate per step, in the order given (weakest to strongest pressure), one line per series."""
    series = list(dict.fromkeys(p.series for p in points))
    longest = min(LABEL_CHARS, max((len(s) for s in steps), default=0))
    # Room for the first slanted label; series are nudged apart so whiskers do not overlap.
    left, top, plot_w, plot_h = max(56.0, 5.5 * longest), 20.0, max(120.0, 90.0 * len(steps)), 200.0
    nudge = {name: 6.0 * (i - (len(series) - 1) / 2) for i, name in enumerate(series)}
    bottom = top + plot_h
    body: list[Markup] = []
    for step in range(0, 101, 25):
        y = bottom - plot_h * step / 100
        body.append(tag("line", x1=left, x2=left + plot_w, y1=y, y2=y, stroke="#ddd"))
        body.append(tag("text", f"{step}%", x=left - 6, y=y + 4, text_anchor="end", font_size=10))
    xs = {s: left + plot_w * (i + 0.5) / len(steps) for i, s in enumerate(steps)}
    for step, x in xs.items():
        body.append(
            _labelled(
                step,
                x=x,
                y=bottom + 14,
                text_anchor="end",
                transform=f"rotate(-30 {x:.1f} {bottom + 14:.1f})",
            )
        )
    lookup = {(p.series, p.step): p.rate for p in points}
    for s, name in enumerate(series):
        colour = _colour(s)
        coords = []
        for step in steps:
            rate = lookup.get((name, step))
            if rate is None or rate.value is None:
                continue
            x, y = xs[step] + nudge[name], bottom - plot_h * rate.value
            coords.append(f"{x:.1f},{y:.1f}")
            if rate.ci_low is not None and rate.ci_high is not None:
                low, high = bottom - plot_h * rate.ci_low, bottom - plot_h * rate.ci_high
                body.append(tag("line", x1=x, x2=x, y1=low, y2=high, stroke=colour))
            body.append(
                tag(
                    "circle",
                    tag("title", f"{name} · {step}: {pct(rate.value)} ({rate.count}/{rate.n})"),
                    cx=x,
                    cy=y,
                    r=4,
                    fill=colour,
                )
            )
        if len(coords) > 1:
            body.append(
                tag("polyline", points=" ".join(coords), fill="none", stroke=colour, stroke_width=2)
            )
    body += _legend(series, left + plot_w + 16, top)
    return _svg(left + plot_w + 190, bottom + 14 + 7.0 * longest * 0.6 + 10, title, body)
