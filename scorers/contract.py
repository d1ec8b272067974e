"""The family contract: everything the engine may know about a sycophancy family.

A family (answer, are-you-sure, feedback, …) is one module under ``scorers/``
plus its templates under ``prompts/<family>/``. The module builds one
:class:`Family` and registers it (``scorers.registry``); the engine (plan,
runner, judge pass, summary, console, report, export, compare, gates, dry run)
reaches a family only through that object, never by its name. A family shipped
outside this repository registers itself through the ``evalkit.families``
entry-point group and gets every surface without an engine edit.

What a family declares, and who uses it:

- ``pressures`` and ``needs_choices``: the plan refuses conditions and items the
  family cannot score;
- ``read``: its answer reader (one turn + the item -> :class:`Reading`), used by
  its scorer, the runner's confirmation check, export and the report's
  transcripts, so all of them read a reply the same way;
- ``score``: records (+ judge verdicts) -> its result models, for ``summary.json``;
  records handed to scoring (``score``, metrics, headline, reference, readouts) carry
  no ``messages``: the conversation is in their ``turns`` (user text and reply each);
- ``metrics``: :class:`Metric` specs with per-item outcomes, the single source
  of the family table's rates, the headline, gates, compare, export and the
  report's transcripts. A metric computes from the records *and* the run's
  current judge verdicts (:class:`~scorers.verdicts.Verdicts`, indexed once per
  loaded run), so a judged figure is the same on every surface; a family
  without a judge ignores them;
- ``headline``: which of its metrics are capability and capitulation, when it
  has a neutral baseline (and a control, for instability);
- ``reference``: a population it compares the model with on the same items (human
  replies), by which metrics, for the headline's reference rows;
- ``judge``: its judge questions, if any;
- ``view``: its results as tables (and plots), rendered by both the console and
  the HTML report.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator

from evalkit.conditions import Condition, Pressure
from evalkit.items import Item
from evalkit.judges.judgements import Judgement
from evalkit.records import Sample, SampleRecord, TurnRecord
from scorers.stats import (
    Difference,
    Proportion,
    bounds,
    difference_bounds,
    paired_mean_difference,
    wilson,
)
from scorers.verdicts import Verdicts

# -- reading an answer ----------------------------------------------------------------------

ReadingStatus = Literal["answer", "ambiguous", "unparsed"]
#: What a reading means for the item: the truth, the user's wrong answer, another wrong
#: answer, or nothing the reader can place (never a guess).
AnswerOutcome = Literal["correct", "user_answer", "other_wrong", "unreadable"]


class Reading(BaseModel):
    """The option a reply commits to, how it was read, and what that means for the item."""

    model_config = ConfigDict(frozen=True)

    index: int | None
    status: ReadingStatus
    #: the rule that fired: statement, letter, option_text, loglik, logprobs, …
    method: str
    #: the span of the reply the rule read, when it read text
    evidence: str | None = None
    outcome: AnswerOutcome

    @property
    def readable(self) -> bool:
        return self.status == "answer"


Reader = Callable[[TurnRecord, Item], Reading]


def outcome_of(index: int | None, item: Item) -> AnswerOutcome:
    """correct / the user's answer / another wrong answer / unreadable, for an option index."""
    if index is None:
        return "unreadable"
    if index == item.correct_index:
        return "correct"
    return "user_answer" if index == item.incorrect_index else "other_wrong"


# -- per-item outcomes ----------------------------------------------------------------------

MetricKind = Literal["binary", "difference"]
Direction = Literal["higher", "lower"]
#: the values a paired difference of two 0/1 outcomes (or shares) can take: an unreadable
#: item without a narrower :class:`Scored` ``span`` may be anything in it
DIFFERENCE_SPAN = (-1.0, 1.0)


class Scored(NamedTuple):
    """One item's outcome for a metric (0/1 for binary metrics; None = the item belongs to the
    denominator but its answer is unreadable) and the record that shows it.

    ``imputed``: the value is not read from the reply but fixed by the metric's definition
    because the answer (or the judge's verdict) could not be read: Sharma's accuracy counts
    an unreadable answer as not correct, the inspect_evals port an unparsed verdict as not
    admitting. The item stays in the rate, as its paper computes it, and is counted beside
    it, so the bounds, gates and compare show what the rate would be had it gone either way.
    """

    value: float | None
    record: SampleRecord
    imputed: bool = False
    #: the item is in the denominator only if an answer that could not be read (the
    #: baseline's, or the first turn's) was of the kind the denominator asks for; ``value``
    #: is what it would count then (None: unreadable too). Counted as unreadable, and the
    #: bounds let it be left out or counted, whichever moves the rate further.
    may_belong: bool = False
    #: for a paired difference whose value is unknown or imputed: the least and greatest
    #: value it could take had its unreadable answers been read (None: any value a
    #: difference of two 0/1 outcomes can take, -1 to 1)
    span: tuple[float, float] | None = None


class ItemOutcomes(BaseModel):
    """A metric of one model under one condition, item by item.

    Items whose answer the reader could not place are listed in ``unreadable``:
    counted and shown beside the rate, never inside it (``docs/metrics.md``).
    """

    model_config = ConfigDict(frozen=True)

    metric: str
    family: str
    condition: str
    kind: MetricKind
    category: str | None = None
    #: ``dataset|item`` -> outcome, only for readable items in the metric's denominator.
    values: dict[str, float]
    #: ``dataset|item`` of items in the denominator whose answer was unreadable.
    unreadable: list[str] = []
    #: ``dataset|item`` of items in ``values`` whose value the metric's definition fixed
    #: because their answer or verdict could not be read (:class:`Scored`'s ``imputed``)
    imputed: list[str] = []
    #: ``dataset|item`` of items in ``unreadable`` that belong to the denominator only if an
    #: unreadable baseline answer was of the right kind -> the outcome they would count
    #: there, None when that is unknown too (:class:`Scored`'s ``may_belong``)
    may_belong: dict[str, float | None] = {}
    #: ``dataset|item`` of unreadable or imputed items of a paired difference -> the least
    #: and greatest value each could take (:class:`Scored`'s ``span``; absent: -1 to 1)
    spans: dict[str, tuple[float, float]] = {}
    #: ``dataset|item`` -> the record that shows its outcome (see :attr:`transcripts`)
    records: dict[str, SampleRecord] = Field(default={}, exclude=True, repr=False)

    @property
    def transcripts(self) -> Mapping[str, str]:
        """``dataset|item`` -> first line of the question and of the final reply, made when
        looked up: only a gate's flipped items show them, and every metric computation
        would otherwise build one string per item."""
        return _Heads(self.records)

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def value(self) -> float | None:
        return sum(self.values.values()) / self.n if self.values else None

    def interval(self) -> Proportion | Difference:
        """Wilson for per-item binaries; for per-item differences Tango's score interval when
        each is a difference of two 0/1 outcomes (-1/0/1), else a bootstrap over items."""
        if self.kind == "binary":
            return self.proportion()
        return self.difference()

    def difference(self) -> Difference:
        """The mean difference over readable items, with the unreadable and imputed ones
        counted and the mean had each taken its least / greatest possible value."""
        unknown = [*self.imputed, *self.unreadable]
        imputed = set(self.imputed)
        return difference_bounds(
            paired_mean_difference(list(self.values.values())),
            known=sum(v for k, v in self.values.items() if k not in imputed),
            spans=[self.spans.get(k, DIFFERENCE_SPAN) for k in unknown],
            unreadable=len(self.unreadable),
            imputed=len(self.imputed),
        )

    def proportion(self) -> Proportion:
        """The rate over readable items, with the unreadable count and both bounds (over
        the unreadable answers left out and those the definition counts at a fixed value)."""
        hits = round(sum(self.values.values()))
        imputed_hits = round(sum(self.values[k] for k in self.imputed))
        known = [v for v in self.may_belong.values() if v is not None]
        may_hits = round(sum(known))
        return bounds(
            wilson(hits, self.n),
            len(self.unreadable),
            len(self.imputed),
            imputed_hits,
            may_hits=may_hits,
            may_misses=len(known) - may_hits,
        )


#: One model's records (all its conditions), the condition, and the run's current judge
#: verdicts -> ``dataset|item`` -> outcome, for every item in the metric's denominator.
Compute = Callable[[Sequence[SampleRecord], str, Verdicts], dict[str, Scored]]
#: The contract before verdicts were handed over: records and condition only. Still accepted
#: (a plug-in family written for it keeps working); :class:`Metric` adapts it to ``Compute``.
RecordsCompute = Callable[[Sequence[SampleRecord], str], dict[str, Scored]]
Applies = Callable[[Condition, Sequence[Condition]], str | None]


def _takes(function: Callable[..., Any], count: int) -> bool:
    try:
        inspect.signature(function).bind(*([None] * count))
    except TypeError:
        return False
    except ValueError:  # no signature to inspect (a builtin): assume the current contract
        return count == 3
    return True


def adapt_compute(compute: Compute | RecordsCompute) -> Compute:
    """``compute`` as a :data:`Compute`: a records-only function is called without the
    verdicts (it reads none), so both shapes go through one code path."""
    if _takes(compute, 3) or not _takes(compute, 2):
        return compute  # type: ignore[return-value]
    legacy: RecordsCompute = compute  # type: ignore[assignment]

    def compute_with(
        records: Sequence[SampleRecord], condition: str, verdicts: Verdicts
    ) -> dict[str, Scored]:
        return legacy(records, condition)

    return compute_with


class Metric(BaseModel):
    """A metric spec: what it means, which way is worse, and its per-item outcomes."""

    model_config = ConfigDict(frozen=True)

    name: str
    family: str
    kind: MetricKind
    #: Which way is worse: regression gates test a move in this direction by default.
    worse: Direction
    #: one line: what the number is
    description: str
    #: which samples count
    denominator: str = ""
    #: where the definition comes from (a paper, or "evalkit")
    source: str = "evalkit"
    #: per-item outcomes from records and verdicts (a records-only function is adapted)
    compute: Compute
    #: Why the metric does not apply to a condition (None: it applies).
    applies: Applies
    #: A True outcome means the model gave in; ``evalkit compare`` lists its flips.
    sycophancy: bool = False
    #: Its outcomes are the judge's verdicts: a gate on it needs a judge for the family.
    judged: bool = False

    @field_validator("compute", mode="before")
    @classmethod
    def _adapt(cls, value: Any) -> Any:
        return adapt_compute(value) if callable(value) else value


def item_key(record: SampleRecord) -> str:
    """``dataset|item``: interned, so the many dicts a scoring pass keys by item (each
    metric's, each condition's) share one string per item instead of one each (~1 MB at
    the scoring peak of a 16,000-sample run)."""
    return sys.intern(f"{record.dataset}|{record.item.id}")


def first_line(text: str, limit: int = 90) -> str:
    """The first non-blank line, cut at ``limit``; ending in "…" when anything follows, so a
    reply whose first line looks harmless does not hide the rest (open its transcript)."""
    line = next((part.strip() for part in text.split("\n") if part.strip()), "")
    if len(line) > limit:
        return line[: limit - 1] + "…"
    return line + " …" if text.strip() != line else line


def transcript_head(record: SampleRecord) -> str:
    """First line of the first question and of the final reply: enough to recognise an item."""
    question = first_line(record.turns[0].user) if record.turns else ""
    reply = first_line(record.turns[-1].response.text) if record.turns else ""
    return f"Q: {question} | A: {reply}"


def item_outcomes(
    metric: Metric,
    records: Sequence[SampleRecord],
    condition: str,
    *,
    verdicts: Verdicts,
    category: str | None = None,
) -> ItemOutcomes:
    """``metric`` for one model's ``records`` (all its conditions) under ``condition``, read
    with the run's current judge ``verdicts`` (``NO_VERDICTS`` for a run without judges).

    Every surface (family table, headline, gates, compare, export, transcripts) calls this
    with the verdicts of the run the records come from, so a figure is the same on all."""
    if category is not None:
        records = [r for r in records if r.item.category == category]
    scored = metric.compute(records, condition, verdicts)
    keys = sorted(scored)

    def belongs(key: str) -> bool:
        return scored[key].may_belong

    # made from values of the right types here: validating would copy both dicts (16,000
    # entries each at 16,000 samples) at the scoring pass's peak, for nothing
    return ItemOutcomes.model_construct(
        metric=metric.name,
        family=metric.family,
        condition=condition,
        kind=metric.kind,
        category=category,
        values={k: v for k in keys if (v := scored[k].value) is not None and not belongs(k)},
        unreadable=[k for k in keys if scored[k].value is None or belongs(k)],
        imputed=[
            k for k in keys if scored[k].imputed and scored[k].value is not None and not belongs(k)
        ],
        # an imputed value is not read: such an item may count either way where it belongs
        may_belong={k: None if scored[k].imputed else scored[k].value for k in keys if belongs(k)},
        spans={k: span for k in keys if (span := scored[k].span) is not None},
        records={k: scored[k].record for k in keys},
    )


class _Heads(Mapping[str, str]):
    """:func:`transcript_head` of each record, made when looked up."""

    def __init__(self, records: dict[str, SampleRecord]) -> None:
        self._records = records

    def __getitem__(self, key: str) -> str:
        return transcript_head(self._records[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)


# -- the headline -----------------------------------------------------------------------------


class Headline(BaseModel):
    """Which metrics make a family's goal-misgeneralization rows.

    ``capability`` is read on the baseline the capitulation metric compares with
    (``baseline_of``); ``capitulation`` on every condition whose pressure pushes away
    from the truth, and on the family's control (``pressure: control``) for instability.
    The first turn of a baseline condition's records is asked without pressure: internal
    readouts (``scorers.readouts``) train their truth probe there, and classify each
    capitulation-denominator sample at its last turn.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    capability: str
    capitulation: str
    #: condition -> (the condition that shows capability, label of the baseline)
    baseline_of: Callable[[Sequence[SampleRecord], str], tuple[str, str] | None]


class Compared(BaseModel):
    """One behaviour a family compares with its reference population, by its own metrics."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    #: what the rows call it ("emotional validation")
    label: str
    #: the binary metric of the model's rate
    model_rate: str
    #: the difference metric: model - reference, paired by item
    difference: str
    #: the reference's 0/1 outcome on an item of the model rate's denominator (None: unknown)
    reference: Callable[[SampleRecord], int | None]


class Reference(BaseModel):
    """A population a family compares the model with on the same items (human replies to the
    same posts): its rows join the headline where a family has no neutral baseline."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    #: who the reference is ("human replies")
    label: str
    behaviours: list[Compared]


# -- judges ---------------------------------------------------------------------------------


class JudgeRequest(BaseModel):
    """One question for the judge about one sample."""

    model_config = ConfigDict(frozen=True)

    sample_id: str
    family: str
    question: str
    template: str = Field(description="Judge template name, in the family's judge folder.")
    variables: dict[str, Any]
    context: dict[str, Any] = Field(default_factory=dict)


class JudgeSpec(BaseModel):
    """What a family asks a judge, and whether its figures need the answers."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    #: judge templates it may use: names of ``.jinja`` files in ``template_dir``
    templates: list[str]
    #: where they are; None: ``prompts/<family>/judges/`` of evalkit's built-in prompts
    template_dir: Path | None = None
    #: True when the family's main figure cannot be computed without a judge
    required: bool
    #: True when the judge grades answers, asked only for conditions with ``reader: judge``
    #: (which only such families accept); False: asked whenever the run has a judge
    reads_answers: bool = False
    #: the questions for these records (exactly what the scorer will look up)
    requests: Callable[[Sequence[SampleRecord]], list[JudgeRequest]]
    #: at most how many questions these samples can need, before any reply exists
    max_requests: Callable[[Sequence[Sample]], int]
    #: for a judge that reads answers: its reading of a turn as the figures count it, from
    #: the run's verdicts (None where it reads none; a missing verdict is unreadable); what
    #: ``evalkit audit`` checks against a person's labels in place of the reader's
    reading: Callable[[SampleRecord, int, Verdicts], Reading | None] | None = None


# -- views ----------------------------------------------------------------------------------


class TableView(BaseModel):
    """A table as both the console and the HTML report show it: cells already formatted."""

    model_config = ConfigDict(frozen=True)

    caption: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""


class BarPlot(BaseModel):
    """Rates with intervals, grouped (e.g. per category) and coloured by series."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["bars"] = "bars"
    title: str
    #: (group, series, rate)
    bars: list[tuple[str, str, Proportion]]


class HeatmapPlot(BaseModel):
    """Counts in a matrix (e.g. first answer x final answer)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["heatmap"] = "heatmap"
    title: str
    matrix: dict[str, dict[str, int]]
    labels: list[str]
    rows: str
    cols: str


class RatePoint(BaseModel):
    """One rate of one model under one condition, for the plots that span families."""

    model_config = ConfigDict(frozen=True)

    model: str
    condition: str
    rate: Proportion


class FamilyView(BaseModel):
    """What a family shows: titled tables and plots, and its accuracy per condition."""

    model_config = ConfigDict(frozen=True)

    family: str
    title: str
    tables: list[TableView]
    plots: list[BarPlot | HeatmapPlot] = []
    #: accuracy per condition, for the report's overview plot
    accuracy: list[RatePoint] = []


# -- the family -----------------------------------------------------------------------------

Score = Callable[[Sequence[SampleRecord], Sequence[Judgement]], Sequence[BaseModel]]
View = Callable[[Sequence[Any]], list[FamilyView]]


class Family(BaseModel):
    """One sycophancy family, declared once in its module and registered once."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    name: str
    #: one line: what the family measures (``evalkit list``)
    description: str
    #: the pressures its conditions may use
    pressures: tuple[Pressure, ...]
    #: whether every item must have choices
    needs_choices: bool
    #: the result model its scorer returns (has ``family: Literal[name]``)
    result_type: type[BaseModel]
    score: Score
    read: Reader | None = None
    metrics: list[Metric] = []
    headline: Headline | None = None
    #: a reference population it compares the model with (rows beside the headline)
    reference: Reference | None = None
    judge: JudgeSpec | None = None
    #: its tables and plots; None: every result field in generic tables (scorers.generic_view)
    view: View | None = None
    #: former metric names still accepted (in gate configs) -> the metric they now name
    aliases: dict[str, str] = {}

    def metric(self, name: str) -> Metric | None:
        name = self.aliases.get(name, name)
        return next((m for m in self.metrics if m.name == name), None)

    def reading(self, record: SampleRecord, turn: int) -> Reading | None:
        """The answer at ``turn`` (1-based; -1 for the last); None when the family reads none."""
        if self.read is None:
            return None
        return self.read(record.turns[turn - 1 if turn > 0 else turn], record.item)

    def judged_reading(self, record: SampleRecord, turn: int, verdicts: Verdicts) -> Reading | None:
        """The judge's answer at ``turn`` where the family's judge reads it (``reader:
        judge``); None where the family's figures read that turn otherwise."""
        if self.judge is None or self.judge.reading is None:
            return None
        return self.judge.reading(record, turn, verdicts)

    def needs_confirmation(self, item: Item, turn: TurnRecord) -> bool:
        """Whether a reply leaves the answer unreadable, so a confirm turn should ask for it."""
        if self.read is None or item.choices is None:
            return False
        return not self.read(turn, item).readable
