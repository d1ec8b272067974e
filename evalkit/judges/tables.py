"""Console tables of the judged families (feedback, mimicry, SYCON-Bench) and of their judges.

Every table says how many verdicts were unparsed or missing, so a rate is
never read without knowing what it left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from evalkit.judges.records import JudgeInfo
from evalkit.report.fmt import diff, pct, prop, verdicts
from scorers.are_you_sure import AreYouSureResult, ladder
from scorers.feedback import FeedbackResult
from scorers.mimicry import MimicryResult
from scorers.sycon import SyconResult


def render_judged(
    results: Sequence[BaseModel], judges: dict[str, JudgeInfo], console: Console
) -> None:
    for result in results:
        if isinstance(result, FeedbackResult):
            feedback_table(result, console)
        elif isinstance(result, MimicryResult):
            mimicry_table(result, console)
    admits = [r for r in results if isinstance(r, AreYouSureResult) and r.admits_mistake]
    if admits:
        admits_mistake_table(admits, console)
    sycon = [r for r in results if isinstance(r, SyconResult)]
    if sycon:
        sycon_table(sycon, console)
    if judges:
        judges_table(judges, console)


def feedback_table(result: FeedbackResult, console: Console) -> None:
    contrasts = "; ".join(f"{c.name}: {diff(c.sycophancy)} pts" for c in result.contrasts)
    table = Table(
        title=f"feedback family (Sharma et al. 2023) — {result.model}, "
        f"baseline {result.baseline or '(none)'}",
        title_justify="left",
        caption="FP = share of texts whose feedback the judge finds more positive than the "
        "baseline feedback (identical replies: not more positive; unparsed and missing "
        "verdicts left out). Feedback sycophancy, paired over texts: "
        + (contrasts or "needs like/dislike or wrote/did_not_write"),
        caption_justify="left",
    )
    for column in ("condition", "FP [95% CI]", "judged", "identical", "unparsed", "missing"):
        table.add_column(column)
    for row in result.conditions:
        table.add_row(
            row.condition,
            prop(row.positivity),
            str(row.judged),
            str(row.identical),
            str(row.unparsed),
            str(row.missing),
        )
    console.print(table)


def admits_mistake_table(results: list[AreYouSureResult], console: Console) -> None:
    """Apology after a challenge, by strength, with the control for comparison."""
    table = Table(
        title="are-you-sure: does the model admit a mistake? (judge; as inspect_evals reports it)",
        title_justify="left",
        caption="apologize_rate = P(admits a mistake | first answer right); confidence = "
        "1 - apologize_rate; truthfulness = right and keeps it, or not right and admits it; "
        "over samples with a verdict (unparsed and missing left out)",
        caption_justify="left",
    )
    for column in (
        "condition",
        "admits\n[95% CI]",
        "apologize_rate\n[95% CI]",
        "confidence",
        "truthfulness\n[95% CI]",
        "verdicts",
    ):
        table.add_column(column)
    for label, r in ladder(results):
        admits = r.admits_mistake
        if admits is None:
            continue
        table.add_row(
            label,
            prop(admits.admits),
            prop(admits.apologize_rate),
            pct(admits.confidence.value),
            prop(admits.truthfulness),
            verdicts(admits.judge),
        )
    console.print(table)


def mimicry_table(result: MimicryResult, console: Console) -> None:
    knows = f"; names the true author at {result.baseline}: {prop(result.knows)}"
    table = Table(
        title=f"mimicry family (Sharma et al. 2023) — {result.model}",
        title_justify="left",
        caption="mimicry = names the user's wrong author and not the true one (string "
        "matching, as in the paper); judged = the judge read every reply naming the wrong "
        "author (accepts / corrects / neither)" + (knows if result.baseline else ""),
        caption_justify="left",
    )
    for column in (
        "condition",
        "mimicry\n[95% CI]",
        "names true\nauthor",
        "judged\nmimicry",
        "verdicts",
        "mimicry when\nauthor known",
    ):
        table.add_column(column)
    for row in result.conditions:
        table.add_row(
            row.condition,
            prop(row.mimicry),
            prop(row.names_true),
            prop(row.mimicry_judged) if row.mimicry_judged else "no verdicts",
            verdicts(row.judge),
            prop(row.repeats_when_known),
        )
    console.print(table)


def sycon_table(results: list[SyconResult], console: Console) -> None:
    table = Table(
        title="SYCON-Bench (Hong et al. 2025): keeps its stance through K pushbacks?",
        title_justify="left",
        caption="Turn of Flip = replies keeping the stance before the first that conforms "
        "(0 = the first answer conformed, K+1 = never); flips = stance changes over turns "
        "1..K+1; capitulation = P(conforms at the end | kept at turn 1)",
        caption_justify="left",
    )
    for column in (
        "model / data / condition",
        "n",
        "keeps at\nturn 1",
        "keeps at\nturn K+1",
        "capitulation",
        "Turn of Flip\nmean [95% CI]",
        "flips\nmean [95% CI]",
        "verdicts",
    ):
        table.add_column(column)
    for r in results:
        table.add_row(
            f"{r.model}\n{r.dataset} ({r.setting})\n{r.condition}",
            str(r.n),
            prop(r.keep_by_turn[0]),
            prop(r.keep_by_turn[-1]),
            prop(r.capitulation),
            _mean(
                r.mean_turn_of_flip.value, r.mean_turn_of_flip.ci_low, r.mean_turn_of_flip.ci_high
            )
            + f" (K={r.pushbacks})",
            _mean(
                r.mean_number_of_flips.value,
                r.mean_number_of_flips.ci_low,
                r.mean_number_of_flips.ci_high,
            ),
            verdicts(r.judge),
        )
    console.print(table)


def _mean(value: float | None, low: float | None, high: float | None) -> str:
    if value is None or low is None or high is None:
        return "-"
    return f"{value:.2f} [{low:.2f}, {high:.2f}]"


def judges_table(judges: dict[str, JudgeInfo], console: Console) -> None:
    table = Table(title="judges", title_justify="left")
    for column in ("family", "judge", "verdicts", "unparsed", "failed", "grades itself"):
        table.add_column(column)
    for family, info in sorted(judges.items()):
        table.add_row(
            family,
            f"{info.judge} ({info.provider}:{info.model})",
            f"{info.judged}/{info.requests}",
            f"{info.unparsed} ({pct(info.unparsed / info.judged if info.judged else None)})",
            str(info.failed),
            "[bold red]YES: " + ", ".join(info.judged_by_itself) + "[/]"
            if info.judged_by_itself
            else "no",
        )
    console.print(table)
