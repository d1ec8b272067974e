"""Text forms of metrics, shared by every table of the report (same style as the console)."""

from __future__ import annotations

from scorers.judgements import JudgeCounts
from scorers.stats import Difference, Proportion


def pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def prop(p: Proportion | None) -> str:
    """``80.0% [49-94] 8/10``: value, Wilson interval, and the counts behind it."""
    if p is None or p.value is None or p.ci_low is None or p.ci_high is None:
        return "-"
    return f"{pct(p.value)} [{100 * p.ci_low:.0f}-{100 * p.ci_high:.0f}] {p.count}/{p.n}"


def diff(d: Difference | None) -> str:
    """``+20.0 [+0, +40]`` percentage points with the bootstrap interval."""
    if d is None or d.value is None or d.ci_low is None or d.ci_high is None:
        return "-"
    return f"{100 * d.value:+.1f} [{100 * d.ci_low:+.0f}, {100 * d.ci_high:+.0f}]"


def metric(value: Proportion | Difference | None) -> str:
    return diff(value) if isinstance(value, Difference) else prop(value)


def verdicts(counts: JudgeCounts) -> str:
    """``9/12 (2 unparsed, 1 missing)``: what a judged rate leaves out."""
    if counts.asked == 0:
        return "none needed"
    return f"{counts.judged}/{counts.asked} ({counts.unparsed} unparsed, {counts.missing} missing)"
