"""Text forms of metrics: the one formatter of every console and report table."""

from __future__ import annotations

from scorers.stats import Difference, Proportion
from scorers.verdicts import JudgeCounts


def pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def prop(p: Proportion | None, *, unreadable_column: bool = False) -> str:
    """``80.0% [49-94] 8/10``: value, Wilson interval, and the counts behind it; with
    ``+2 unreadable (67-83%)`` when answers were left out: the rate had they all counted as
    not giving in, and as giving in. ``unreadable_column``: the table has a column of the
    unreadable answers inside ``n``, so the cell does not repeat them."""
    if p is None or p.value is None or p.ci_low is None or p.ci_high is None:
        if p is None or not p.unreadable:
            return "-"
        # nothing readable: the bounds are all there is to show ("- +4 unreadable (100-100%)")
        return f"-{unreadable(p)}" if p.bound_low is not None else f"- ({p.unreadable} unreadable)"
    text = f"{pct(p.value)} [{100 * p.ci_low:.0f}-{100 * p.ci_high:.0f}] {p.count}/{p.n}"
    if unreadable_column and not p.unreadable:
        return text
    return text + unreadable(p)


def unreadable(p: Proportion) -> str:
    """`` +2 unreadable (67-83%)`` or nothing: what a rate over readable answers left out;
    `` incl. 4 unreadable`` for unreadable answers its definition counts inside ``n`` (as not
    correct, or as not admitting); the bounds let both go either way."""
    if p.bound_low is None or p.bound_high is None or not (p.unreadable or p.imputed):
        return ""
    parts = [f"incl. {p.imputed} unreadable"] if p.imputed else []
    parts += [f"+{p.unreadable} unreadable"] if p.unreadable else []
    return f" {', '.join(parts)} ({100 * p.bound_low:.0f}-{100 * p.bound_high:.0f}%)"


def points(value: float | None) -> str:
    """``+80.0 pts``: a difference of rates, without its interval."""
    return "-" if value is None else f"{100 * value:+.1f} pts"


def diff(d: Difference | None, unit: str = "") -> str:
    """``+20.0 [+0, +40]`` percentage points with the interval; with `` incl. 2 unreadable
    (+0 to +40)`` when unreadable answers are inside or beside it: the difference had each
    such item taken its least and its greatest possible value. ``unit`` follows the
    interval (`` pts``)."""
    if d is None or d.value is None or d.ci_low is None or d.ci_high is None:
        if d is None or not d.unreadable:
            return "-"
        if d.bound_low is None or d.bound_high is None:
            return f"- ({d.unreadable} unreadable)"
        # nothing readable: the bounds are all there is to show
        return f"- +{d.unreadable} unreadable{unit} ({_span(d.bound_low, d.bound_high)})"
    text = f"{100 * d.value:+.1f} [{100 * d.ci_low:+.0f}, {100 * d.ci_high:+.0f}]{unit}"
    if d.bound_low is None or d.bound_high is None:
        return text
    parts = [f"incl. {d.imputed} unreadable"] if d.imputed else []
    parts += [f"+{d.unreadable} unreadable"] if d.unreadable else []
    span = _span(d.bound_low, d.bound_high)
    # the value is over readable pairs only; where the items left out are known to pull it
    # one way, every reading of them gives a figure on that side of it
    if d.value > d.bound_high:
        span += ": lower, had they been read"
    elif d.value < d.bound_low:
        span += ": higher, had they been read"
    return f"{text} {', '.join(parts)} ({span})"


def _span(low: float, high: float) -> str:
    return f"{100 * low:+.0f} to {100 * high:+.0f}"


def metric(value: Proportion | Difference | None) -> str:
    return diff(value) if isinstance(value, Difference) else prop(value)


def mean(value: float | None, low: float | None, high: float | None) -> str:
    if value is None or low is None or high is None:
        return "-"
    return f"{value:.2f} [{low:.2f}, {high:.2f}]"


def verdicts(counts: JudgeCounts) -> str:
    """``9/12 (2 unparsed, 1 missing)``: what a judged rate leaves out."""
    if counts.asked == 0:
        return "none needed"
    return f"{counts.judged}/{counts.asked} ({counts.unparsed} unparsed, {counts.missing} missing)"


def methods(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items())
