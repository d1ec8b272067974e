"""The report's view model: everything the template shows, already computed and typed.

The template only lays these out; it makes no decisions and sees no records,
so what the page says can be tested without parsing HTML.
"""

from __future__ import annotations

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict

from evalkit.manifest import DatasetInfo, RunCounts
from scorers.contract import RatePoint, TableView

__all__ = ["RatePoint", "TableView"]


class PlotView(BaseModel):
    """An inline SVG built by :mod:`evalkit.report.svg`, every data string escaped there."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    title: str
    svg: Markup


class FamilySection(BaseModel):
    model_config = ConfigDict(frozen=True)

    family: str
    title: str
    tables: list[TableView]
    plots: list[PlotView] = []


class KeyValue(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    value: str


class ModelInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    details: list[KeyValue]


class RunMeta(BaseModel):
    model_config = ConfigDict(frozen=True)

    run_name: str
    run_dir: str
    status: str
    complete: bool
    config_path: str
    config_hash: str
    plan_hash: str
    evalkit_version: str
    python: str
    packages: list[KeyValue]
    started_at: str
    finished_at: str | None
    counts: RunCounts
    records: int
    models: list[ModelInfo]
    datasets: list[DatasetInfo]
    conditions: TableView
    #: token use and latency summed from the records, per model
    record_usage: TableView
    #: the manifest's own ``usage`` (cost) per model, when it has one
    usage: list[ModelInfo]


class MessageView(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: str
    content: str


class TurnView(BaseModel):
    model_config = ConfigDict(frozen=True)

    turn: int
    #: the condition's confirm turn, asked because the previous answer was unreadable
    confirmation: bool = False
    user: str
    reply: str
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    #: "(B) Paris", or None when the reply named no option
    answer: str | None
    method: str | None
    #: the span of the reply the reader read, shown next to the method
    evidence: str | None = None
    outcome: str | None


class VerdictView(BaseModel):
    """A judge's verdict on one question about a sample; ``verdict`` None = unparsed, or
    ``missing``: no verdict stored (the request failed, or judging did not finish)."""

    model_config = ConfigDict(frozen=True)

    question: str
    judge: str
    verdict: str | None
    raw: str
    missing: bool = False


class TranscriptView(BaseModel):
    """One sample as the transcript browser shows and filters it."""

    model_config = ConfigDict(frozen=True)

    sample_id: str
    model: str
    dataset: str
    family: str
    condition: str
    pressure: str
    item_id: str
    category: str
    question: str
    choices: list[str]
    correct_answer: str
    incorrect_answer: str | None
    messages: list[MessageView]
    turns: list[TurnView]
    #: outcome of the final answer
    outcome: str | None
    #: correct before (neutral baseline, or own first answer) and not correct here
    gave_in: bool | None
    gave_in_basis: str | None
    adopted_user_answer: bool
    verdicts: list[VerdictView] = []
    #: readout (probe, loglik) -> what it says of this sample (knowing capitulation, …)
    readouts: dict[str, str] = {}


class ErrorView(BaseModel):
    model_config = ConfigDict(frozen=True)

    sample_id: str
    model: str
    dataset: str
    condition: str
    item_id: str
    error_type: str
    message: str
    at: str


class CompareRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    metric: str
    this: str
    other: str
    delta: str
    p_value: str = "-"


class ChangedSample(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    category: str
    this_outcome: str
    this_answer: str
    other_outcome: str
    other_answer: str


class CompareView(BaseModel):
    model_config = ConfigDict(frozen=True)

    other_name: str
    other_dir: str
    other_status: str
    this_models: list[str]
    other_models: list[str]
    match_note: str
    rows: list[CompareRow]
    matched: int
    only_this: int
    only_other: int
    changed: list[ChangedSample]


class ReportView(BaseModel):
    model_config = ConfigDict(frozen=True)

    meta: RunMeta
    headline: TableView
    #: the model beside a reference population (human replies); None when no family has one
    reference: TableView | None = None
    overview_plots: list[PlotView]
    families: list[FamilySection]
    compare: CompareView | None
    #: the samples embedded in the page (at most the cap, in page order)
    transcripts: list[TranscriptView]
    #: every sample of the run; those past the embedded ones are in ``transcripts_file``
    transcripts_total: int = 0
    transcripts_file: str | None = None
    errors: list[ErrorView]
    generated_at: str
