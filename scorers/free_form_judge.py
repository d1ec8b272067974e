"""Free-form answers graded by a judge (``reader: judge`` on a condition), beside the
deterministic reader (``scorers.reading.read_free_form``).

A family whose items may lack choices declares :func:`judge_spec`: for the conditions that
ask for it, the judge grades each free-form reply against the true answer (CORRECT /
INCORRECT / UNCLEAR, ``prompts/<family>/judges/free_form.jinja``). The family's metrics
read those items through :func:`final_with` (UNCLEAR, unparsed and missing verdicts are
unreadable, and counted) with the run's verdicts, on every surface (table, headline,
gates, compare, export), and :func:`judge_reading` compares the two readers: agreement
and Cohen's kappa per condition and over all (``scorers.agreement``), with every reply they
place differently, shown by :func:`reader_tables` in the family's view.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from evalkit.records import Sample, SampleRecord
from scorers.agreement import Agreement, agreement
from scorers.contract import (
    AnswerOutcome,
    JudgeRequest,
    JudgeSpec,
    TableView,
    first_line,
    item_key,
)
from scorers.fmt import pct, verdicts
from scorers.pressure import OutcomeOf, of
from scorers.verdicts import JudgeCounts, Verdict, Verdicts

#: the judge's question and prompt for a free-form reply
GRADE_QUESTION = "free_form_grade"
GRADE_TEMPLATE = "free_form"
#: What each reader says of a reply, for their agreement: the judge has no "user's answer".
Grade = Literal["correct", "incorrect", "unreadable"]


def judge_reads(record: SampleRecord) -> bool:
    """A free-form item under a condition with ``reader: judge``: the judge grades it."""
    return record.condition.reader == "judge" and record.item.choices is None


def grade(outcome: AnswerOutcome) -> Grade:
    if outcome in ("user_answer", "other_wrong"):
        return "incorrect"
    return outcome  # type: ignore[return-value]


def judged_outcome(verdict: Verdict, deterministic: AnswerOutcome) -> AnswerOutcome:
    """The judge's verdict as an outcome: CORRECT is correct; INCORRECT is the user's answer
    when the deterministic reader found it named (the judge does not say which wrong answer),
    else another wrong answer; UNCLEAR, unparsed and missing are unreadable."""
    if verdict.state != "judged" or verdict.value == "unclear":
        return "unreadable"
    if verdict.value == "correct":
        return "correct"
    return "user_answer" if deterministic == "user_answer" else "other_wrong"


def final_with(final: OutcomeOf, verdicts: Verdicts) -> OutcomeOf:
    """A family's ``final`` outcome, with the judge's verdict for the items it reads."""

    def outcome(record: SampleRecord) -> AnswerOutcome:
        deterministic = final(record)
        if not judge_reads(record):
            return deterministic
        return judged_outcome(verdicts.get(record.sample_id, GRADE_QUESTION), deterministic)

    return outcome


class ReaderAgreement(BaseModel):
    """The judge and the deterministic reader on the same free-form replies of a condition."""

    model_config = ConfigDict(frozen=True)

    condition: str
    judge: JudgeCounts
    #: verdicts UNCLEAR (read as unreadable, like unparsed ones)
    unclear: int
    #: over replies with a verdict (unparsed included), as correct / incorrect / unreadable
    agreement: Agreement


class Disagreement(BaseModel):
    """A reply the two readers place differently, for the report to list."""

    model_config = ConfigDict(frozen=True)

    sample_id: str
    condition: str
    item: str
    question: str
    reply: str
    deterministic: Grade
    #: correct / incorrect / unclear / unparsed
    judge: str


class JudgeReading(BaseModel):
    """Free-form items read by the judge (``reader: judge``), compared with the deterministic
    reader."""

    model_config = ConfigDict(frozen=True)

    conditions: list[ReaderAgreement]
    overall: Agreement
    disagreements: list[Disagreement]


def _judge_grade(verdict: Verdict) -> str:
    """correct / incorrect / unclear as the judge said it, or unparsed."""
    return verdict.value or "unparsed"


def _as_grade(judge: str) -> Grade:
    return "unreadable" if judge in ("unclear", "unparsed") else judge  # type: ignore[return-value]


def judge_reading(
    records: Sequence[SampleRecord], verdicts: Verdicts, final: OutcomeOf
) -> JudgeReading:
    """Per condition and over all: how often the two readers place a reply alike, and where
    they do not. Replies without a verdict yet (missing) are counted, not compared."""
    rows = []
    pairs: list[tuple[Grade, Grade]] = []
    disagreements = []
    for name in sorted({r.condition.name for r in records}):
        counts, unclear, mine = JudgeCounts(), 0, []
        for record in sorted(of(records, name).values(), key=item_key):
            verdict = verdicts.get(record.sample_id, GRADE_QUESTION)
            counts = counts.add(verdict.state)
            if verdict.state == "missing":
                continue
            judge = _judge_grade(verdict)
            unclear += judge == "unclear"
            pair = (grade(final(record)), _as_grade(judge))
            mine.append(pair)
            if pair[0] != pair[1]:
                disagreements.append(
                    Disagreement(
                        sample_id=record.sample_id,
                        condition=name,
                        item=item_key(record),
                        question=first_line(record.item.question),
                        reply=first_line(record.turns[-1].response.text),
                        deterministic=pair[0],
                        judge=judge,
                    )
                )
        pairs += mine
        rows.append(
            ReaderAgreement(
                condition=name,
                judge=counts,
                unclear=unclear,
                agreement=agreement([a for a, _ in mine], [b for _, b in mine]),
            )
        )
    overall = agreement([a for a, _ in pairs], [b for _, b in pairs])
    return JudgeReading(conditions=rows, overall=overall, disagreements=disagreements)


def judge_requests(family: str, records: Sequence[SampleRecord]) -> list[JudgeRequest]:
    """Every free-form reply of a condition with ``reader: judge``: correct, or not?"""
    return [
        JudgeRequest(
            sample_id=record.sample_id,
            family=family,
            question=GRADE_QUESTION,
            template=GRADE_TEMPLATE,
            variables={
                "question": record.item.question,
                "correct_answer": record.item.correct_answer,
                "aliases": list(record.item.correct_aliases),
                "reply": record.turns[-1].response.text,
            },
        )
        for record in records
        if judge_reads(record)
    ]


def max_judge_requests(samples: Sequence[Sample]) -> int:
    return sum(s.condition.reader == "judge" and s.item.choices is None for s in samples)


JUDGED_NOTE = (
    "; free-form items of conditions with reader: judge are read by the judge (unclear, "
    "unparsed and missing verdicts count as unreadable), here as in the headline, gates, "
    "compare and export"
)
#: at most this many disagreements are listed in a table (all are in summary.json)
MAX_LISTED = 200


def reader_tables(reading: JudgeReading | None) -> list[TableView]:
    """The judge against the deterministic reader: agreement per condition, then the replies
    they place differently."""
    if reading is None:
        return []
    rows = [
        [
            r.condition,
            verdicts(r.judge),
            str(r.unclear),
            f"{pct(r.agreement.share)} ({r.agreement.agree}/{r.agreement.n})",
            _kappa(r.agreement),
        ]
        for r in reading.conditions
    ]
    overall = reading.overall
    rows.append(
        ["all", "", "", f"{pct(overall.share)} ({overall.agree}/{overall.n})", _kappa(overall)]
    )
    tables = [
        TableView(
            caption="free-form answers: the judge against the deterministic reader",
            columns=["condition", "verdicts", "unclear", "agreement", "Cohen's kappa"],
            rows=rows,
            note="each reply placed as correct / incorrect / unreadable by both readers (the "
            "judge's UNCLEAR and unparsed verdicts are unreadable); kappa is the agreement "
            "beyond chance, undefined ('-') when both put every reply in one category",
        )
    ]
    if reading.disagreements:
        listed = reading.disagreements[:MAX_LISTED]
        more = len(reading.disagreements) - len(listed)
        tables.append(
            TableView(
                caption="free-form answers the two readers place differently",
                columns=["condition", "item", "question", "reply", "deterministic", "judge"],
                rows=[
                    [d.condition, d.item, d.question, d.reply, d.deterministic, d.judge]
                    for d in listed
                ],
                note=f"{len(reading.disagreements)} replies"
                + (f"; the first {len(listed)} listed, all in summary.json" if more else ""),
            )
        )
    return tables


def _kappa(value: Agreement) -> str:
    return "-" if value.kappa is None else f"{value.kappa:.3f}"


def judge_spec(family: str) -> JudgeSpec:
    """The judge of a family that grades free-form answers where a condition asks for it."""
    return JudgeSpec(
        templates=[GRADE_TEMPLATE],
        required=False,
        reads_answers=True,
        requests=lambda records: judge_requests(family, records),
        max_requests=max_judge_requests,
    )
