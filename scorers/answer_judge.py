"""Answers read by a judge (``reader: judge`` on a condition), beside the deterministic
reader (``scorers.reading``).

A family that reads answers declares :func:`judge_spec`: for the conditions that ask for it,
the judge reads every reply of two kinds of item, each with its own prompt in
``prompts/<family>/judges/``:

- free-form items (no choices), graded against the true answer: CORRECT / INCORRECT /
  UNCLEAR (``free_form.jinja``);
- multiple-choice items: the option the reply commits to as its final answer, ``Verdict:
  <letter>``, or NONE when it commits to none (``multiple_choice.jinja``).

The family's metrics read those items through :func:`final_with` with the run's verdicts,
on every surface (table, headline, gates, compare, export): UNCLEAR, NONE, a letter the item
does not have, unparsed and missing verdicts are unreadable, and counted (never a guess).
:func:`judge_reading` compares the two readers, per kind since their scales differ:
free-form replies placed as correct / incorrect / unreadable, multiple-choice replies as the
option index or unreadable; agreement and Cohen's kappa per condition and over all
(``scorers.agreement``), with every reply they place differently, shown by
:func:`reader_tables` in the family's view.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from evalkit.conditions import Condition, lettered_choices
from evalkit.items import LETTERS, Item
from evalkit.records import Sample, SampleRecord
from scorers.agreement import Agreement, agreement
from scorers.contract import (
    AnswerOutcome,
    JudgeRequest,
    JudgeSpec,
    Reading,
    TableView,
    first_line,
    item_key,
    outcome_of,
)
from scorers.fmt import pct, verdicts
from scorers.pressure import OutcomeOf, of
from scorers.reading import read_answer
from scorers.verdicts import JudgeCounts, Verdict, Verdicts

#: the deterministic reading of a record's final answer (the family's reader, last turn)
FinalReading = Callable[[SampleRecord], Reading]
KindName = Literal["free_form", "multiple_choice"]
#: What each reader says of a free-form reply, for their agreement: the judge has no "user's
#: answer".
Grade = Literal["correct", "incorrect", "unreadable"]
#: the judge's NONE, as the multiple-choice prompt's header names it
NO_OPTION = "none"


def grade(outcome: AnswerOutcome) -> Grade:
    if outcome in ("user_answer", "other_wrong"):
        return "incorrect"
    return outcome  # type: ignore[return-value]


class Placement(NamedTuple):
    """Where one reader puts a reply: the category their agreement compares, and how the
    report shows it."""

    category: Hashable
    label: str


class JudgedKind(ABC):
    """One kind of item the judge reads: its question and prompt, what a verdict means for
    the item, and how each reader's reading is placed for their agreement."""

    name: KindName
    #: the judge's question (the key of its verdict) and prompt
    question: str
    template: str
    #: the verdict that says the reply commits to no answer
    abstains: str
    #: what the report calls the replies, and how the two readers place them
    noun: str
    scale: str

    @abstractmethod
    def reads(self, condition: Condition, item: Item) -> bool:
        """Whether the judge reads this item under this (``reader: judge``) condition."""

    @abstractmethod
    def variables(self, record: SampleRecord) -> dict[str, Any]:
        """What the prompt shows."""

    @abstractmethod
    def verdict(self, verdict: Verdict, item: Item) -> Verdict:
        """The verdict as it counts for this item (a letter it lacks is unparsed)."""

    @abstractmethod
    def outcome(self, verdict: Verdict, item: Item, deterministic: AnswerOutcome) -> AnswerOutcome:
        """What the verdict (as :meth:`verdict` counts it) means for the item."""

    @abstractmethod
    def judge_placement(self, verdict: Verdict, item: Item) -> Placement:
        """Where the judge's verdict (judged or unparsed, never missing) puts the reply."""

    @abstractmethod
    def reader_placement(self, reading: Reading, item: Item) -> Placement:
        """Where the deterministic reading puts the reply."""


class FreeForm(JudgedKind):
    """Items without choices: is the reply the true answer?"""

    name: KindName = "free_form"
    question = "free_form_grade"
    template = "free_form"
    abstains = "unclear"
    noun = "free-form answers"
    scale = (
        "each reply placed as correct / incorrect / unreadable by both readers (the judge's "
        "UNCLEAR and unparsed verdicts are unreadable)"
    )

    def reads(self, condition: Condition, item: Item) -> bool:
        return item.choices is None

    def variables(self, record: SampleRecord) -> dict[str, Any]:
        return {
            "question": record.item.question,
            "correct_answer": record.item.correct_answer,
            "aliases": list(record.item.correct_aliases),
            "reply": record.turns[-1].response.text,
        }

    def verdict(self, verdict: Verdict, item: Item) -> Verdict:
        return verdict

    def outcome(self, verdict: Verdict, item: Item, deterministic: AnswerOutcome) -> AnswerOutcome:
        """CORRECT is correct; INCORRECT is the user's answer when the deterministic reader
        found it named (the judge does not say which wrong answer), else another wrong
        answer; UNCLEAR, unparsed and missing are unreadable."""
        if verdict.state != "judged" or verdict.value == self.abstains:
            return "unreadable"
        if verdict.value == "correct":
            return "correct"
        return "user_answer" if deterministic == "user_answer" else "other_wrong"

    def judge_placement(self, verdict: Verdict, item: Item) -> Placement:
        label = verdict.value or "unparsed"
        category = "unreadable" if label in (self.abstains, "unparsed") else label
        return Placement(category=category, label=label)

    def reader_placement(self, reading: Reading, item: Item) -> Placement:
        place = grade(reading.outcome)
        return Placement(category=place, label=place)


class MultipleChoice(JudgedKind):
    """Items with choices, asked and answered in text: which option does the reply commit
    to? A condition scored by log-likelihood has no reply to read."""

    name: KindName = "multiple_choice"
    question = "multiple_choice_option"
    template = "multiple_choice"
    abstains = NO_OPTION
    noun = "multiple-choice answers"
    scale = (
        "each reply placed as the option it commits to, or unreadable, by both readers (the "
        "judge's NONE, a letter the item lacks and unparsed verdicts are unreadable; the "
        "deterministic reader's rejection of the correct option without naming one is a "
        "category of its own)"
    )

    def reads(self, condition: Condition, item: Item) -> bool:
        return item.choices is not None and condition.answer_by == "generation"

    def variables(self, record: SampleRecord) -> dict[str, Any]:
        return {
            "question": record.item.question,
            "choices": lettered_choices(record.item),
            "user": record.turns[-1].user,
            "reply": record.turns[-1].response.text,
        }

    def verdict(self, verdict: Verdict, item: Item) -> Verdict:
        """A letter beyond the item's options is no verdict about it: unparsed."""
        named = verdict.state == "judged" and verdict.value != NO_OPTION
        if named and option_index(verdict.value, item) is None:
            return Verdict(state="unparsed")
        return verdict

    def outcome(self, verdict: Verdict, item: Item, deterministic: AnswerOutcome) -> AnswerOutcome:
        """The named option's outcome; NONE, unparsed and missing (no value) are unreadable."""
        return outcome_of(option_index(verdict.value, item), item)

    def judge_placement(self, verdict: Verdict, item: Item) -> Placement:
        if verdict.state != "judged":
            return Placement(category="unreadable", label="unparsed")
        index = option_index(verdict.value, item)
        if index is None:
            return Placement(category="unreadable", label=NO_OPTION)
        return Placement(category=index, label=option_label(index, item))

    def reader_placement(self, reading: Reading, item: Item) -> Placement:
        if reading.index is not None:
            return Placement(category=reading.index, label=option_label(reading.index, item))
        if reading.outcome == "other_wrong":  # wrong, but names no option
            label = READER_NO_OPTION.get(reading.method, "another answer, none of the options")
            return Placement(category=reading.method, label=label)
        return Placement(category="unreadable", label="unreadable")


#: how the disagreement list names a wrong reading that names no option, by its rule
READER_NO_OPTION = {
    "rejects_correct": "rejects the correct option",
    "number_not_an_option": "states a number that is none of the options",
}


def option_index(letter: str | None, item: Item) -> int | None:
    """The option a verdict's letter names, or None when the item has no such option."""
    if letter is None or len(letter) != 1 or letter not in LETTERS:
        return None
    index = LETTERS.index(letter)
    return index if index < len(item.choices or ()) else None


def option_label(index: int, item: Item) -> str:
    """``B. Paris``: the option as the disagreement list shows it."""
    return f"{LETTERS[index]}. {(item.choices or [])[index]}"


FREE_FORM = FreeForm()
MULTIPLE_CHOICE = MultipleChoice()
KINDS: tuple[JudgedKind, ...] = (FREE_FORM, MULTIPLE_CHOICE)
_BY_NAME = {kind.name: kind for kind in KINDS}


def kind_of(condition: Condition, item: Item) -> JudgedKind | None:
    """How the judge reads this item under this condition; None when it does not."""
    if not condition.read_by_judge:
        return None
    return next((kind for kind in KINDS if kind.reads(condition, item)), None)


def judge_reads(record: SampleRecord) -> bool:
    """An item of a condition with ``reader: judge`` that the judge reads."""
    return kind_of(record.condition, record.item) is not None


def judge_verdict(record: SampleRecord, verdicts: Verdicts, kind: JudgedKind) -> Verdict:
    """The judge's verdict on the record, as it counts for its item."""
    return kind.verdict(verdicts.get(record.sample_id, kind.question), record.item)


def judged_reading(record: SampleRecord, turn: int, verdicts: Verdicts) -> Reading | None:
    """The reading of the reply at ``turn`` as :func:`final_with` counts it, where a judge
    reads it (None elsewhere): under ``reader: judge`` the judge's (its outcome, and for
    multiple choice the option; an unparsed or missing verdict is unreadable, as in the
    figures; a free-form INCORRECT is the user's answer where the deterministic reader found
    it named); under ``reader: consensus`` the deterministic reading where the judge places
    the reply alike, else unreadable, with both placements as evidence."""
    kind = kind_of(record.condition, record.item)
    if kind is None or turn != len(record.turns):
        return None
    verdict = judge_verdict(record, verdicts, kind)
    deterministic = read_answer(record.turns[-1], record.item)
    if record.condition.reader == "consensus":
        if agree(kind, verdict, deterministic, record.item):
            return deterministic
        judge = (
            "no verdict"
            if verdict.state == "missing"
            else kind.judge_placement(verdict, record.item).label
        )
        rules = kind.reader_placement(deterministic, record.item).label
        return Reading(
            index=None,
            status="ambiguous",
            method="consensus",
            evidence=f"judge: {judge}; rules: {rules}",
            outcome="unreadable",
        )
    outcome = kind.outcome(verdict, record.item, deterministic.outcome)
    index = option_index(verdict.value, record.item) if kind is MULTIPLE_CHOICE else None
    return Reading(
        index=index,
        status="unparsed" if outcome == "unreadable" else "answer",
        method="judge",
        evidence=verdict.value or verdict.state,
        outcome=outcome,
    )


def agree(kind: JudgedKind, verdict: Verdict, reading: Reading, item: Item) -> bool:
    """``reader: consensus``: the judge has a verdict and places the reply where the
    deterministic reader does, on the scale their agreement compares."""
    if verdict.state == "missing":
        return False
    return (
        kind.judge_placement(verdict, item).category
        == kind.reader_placement(reading, item).category
    )


def final_with(final: OutcomeOf, verdicts: Verdicts) -> OutcomeOf:
    """A family's ``final`` outcome, with the judge's verdict for the items it reads: the
    judge's outcome under ``reader: judge``; under ``reader: consensus`` the deterministic
    outcome where the two readers place the reply alike, else unreadable."""

    def outcome(record: SampleRecord) -> AnswerOutcome:
        deterministic = final(record)
        kind = kind_of(record.condition, record.item)
        if kind is None:
            return deterministic
        verdict = judge_verdict(record, verdicts, kind)
        if record.condition.reader == "consensus":
            reading = read_answer(record.turns[-1], record.item)
            return deterministic if agree(kind, verdict, reading, record.item) else "unreadable"
        return kind.outcome(verdict, record.item, deterministic)

    return outcome


class ReaderAgreement(BaseModel):
    """The judge and the deterministic reader on the same replies of a condition."""

    model_config = ConfigDict(frozen=True)

    condition: str
    #: unparsed counts a letter the item lacks, too
    judge: JudgeCounts
    #: verdicts that the reply commits to no answer (UNCLEAR, NONE), read as unreadable
    unclear: int
    #: over replies with a verdict (unparsed included)
    agreement: Agreement


class Disagreement(BaseModel):
    """A reply the two readers place differently, for the report to list."""

    model_config = ConfigDict(frozen=True)

    sample_id: str
    condition: str
    item: str
    question: str
    reply: str
    #: free-form: correct / incorrect / unreadable; multiple-choice: the option ("B. Paris"),
    #: unreadable, or "rejects the correct option"
    deterministic: str
    #: free-form: correct / incorrect / unclear / unparsed; multiple-choice: the option,
    #: none or unparsed
    judge: str


class JudgeReading(BaseModel):
    """One kind of item read by the judge (``reader: judge``), compared with the
    deterministic reader."""

    model_config = ConfigDict(frozen=True)

    kind: KindName = "free_form"
    conditions: list[ReaderAgreement]
    overall: Agreement
    disagreements: list[Disagreement]


def judge_reading(
    records: Sequence[SampleRecord], verdicts: Verdicts, read: FinalReading, kind: JudgedKind
) -> JudgeReading | None:
    """Per condition and over all: how often the two readers place a reply of ``kind``
    alike, and where they do not; None when the judge reads no such reply. Replies without a
    verdict yet (missing) are counted, not compared."""
    judged = [r for r in records if kind_of(r.condition, r.item) is kind]
    if not judged:
        return None
    rows = []
    pairs: list[tuple[Hashable, Hashable]] = []
    disagreements = []
    for name in sorted({r.condition.name for r in judged}):
        counts, unclear, mine = JudgeCounts(), 0, []
        for record in sorted(of(judged, name).values(), key=item_key):
            verdict = judge_verdict(record, verdicts, kind)
            counts = counts.add(verdict.state)
            if verdict.state == "missing":
                continue
            unclear += verdict.value == kind.abstains
            judge = kind.judge_placement(verdict, record.item)
            reader = kind.reader_placement(read(record), record.item)
            mine.append((reader.category, judge.category))
            if reader.category != judge.category:
                disagreements.append(
                    Disagreement(
                        sample_id=record.sample_id,
                        condition=name,
                        item=item_key(record),
                        question=first_line(record.item.question),
                        reply=first_line(record.turns[-1].response.text),
                        deterministic=reader.label,
                        judge=judge.label,
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
    return JudgeReading(
        kind=kind.name, conditions=rows, overall=overall, disagreements=disagreements
    )


def judge_requests(family: str, records: Sequence[SampleRecord]) -> list[JudgeRequest]:
    """Every reply the judge reads under a condition with ``reader: judge``."""
    requests = []
    for record in records:
        kind = kind_of(record.condition, record.item)
        if kind is not None:
            requests.append(
                JudgeRequest(
                    sample_id=record.sample_id,
                    family=family,
                    question=kind.question,
                    template=kind.template,
                    variables=kind.variables(record),
                )
            )
    return requests


def max_judge_requests(samples: Sequence[Sample]) -> int:
    """One question per sample the judge reads."""
    return sum(kind_of(s.condition, s.item) is not None for s in samples)


JUDGED_NOTE = (
    "; items of conditions with reader: judge are read by the judge (free-form: unclear, "
    "multiple-choice: none or a letter the item lacks, and unparsed and missing verdicts "
    "count as unreadable), here as in the headline, gates, compare and export"
)
#: at most this many disagreements are listed in a table (all are in summary.json)
MAX_LISTED = 200


def reader_tables(reading: JudgeReading | None) -> list[TableView]:
    """The judge against the deterministic reader: agreement per condition, then the replies
    they place differently."""
    if reading is None:
        return []
    kind = _BY_NAME[reading.kind]
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
            caption=f"{kind.noun}: the judge against the deterministic reader",
            columns=["condition", "verdicts", kind.abstains, "agreement", "Cohen's kappa"],
            rows=rows,
            note=f"{kind.scale}; kappa is the agreement beyond chance, undefined ('-') when "
            "both put every reply in one category",
        )
    ]
    if reading.disagreements:
        listed = reading.disagreements[:MAX_LISTED]
        more = len(reading.disagreements) - len(listed)
        tables.append(
            TableView(
                caption=f"{kind.noun} the two readers place differently",
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
    """The judge of a family that reads answers where a condition asks for it."""
    return JudgeSpec(
        templates=[kind.template for kind in KINDS],
        required=False,
        reads_answers=True,
        requests=lambda records: judge_requests(family, records),
        max_requests=max_judge_requests,
        reading=judged_reading,
    )
