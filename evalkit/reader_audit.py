"""How often the answer reader misreads *your* model's replies: a blind labelling sheet
drawn from a run, and the reader checked against the labels a person wrote on it.

The reader is rule-based. On replies written blind to its rules it agrees with a careful
human on roughly 80-90% and commits to the wrong option on a few percent (``tests/data``,
``benchmarks/reader_heldout.py``), and each wrong commitment can turn "held" into "gave in".
How often that happens depends on the model's style, so a team measures it on its own run:
``evalkit audit RUN_DIR --write-sheet sheet.jsonl`` draws a seeded random sample of the
replies the run's figures read (one line each, without the reader's reading, so the labeller
is not anchored), a person fills in each line's ``label``, and ``evalkit audit RUN_DIR
--check sheet.jsonl`` reports agreement, wrong commitments and misses with Wilson intervals,
by rule, and lists every disagreement.

Readings are the ones every figure uses: each family's own reader (``Family.reading``), or,
for replies a judge reads (``reader: judge``), the judge's verdict as the figures count it
(``Family.judged_reading``, rule ``judge``), so a team that moved to a judge because the
reader misreads its model measures the judge the same way. Turns read from option scores or
logprobs have no reply reading to audit and are left out, counted. A reply the judge gave no
verdict on counts in the figures as unreadable, and is audited as such.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evalkit.errors import EvalkitError
from evalkit.items import LETTERS
from evalkit.judges.judgement_store import current_judgements
from evalkit.loaders.rows import read_jsonl
from evalkit.records import SampleRecord
from evalkit.report.rundata import turn_readings
from evalkit.safeio import write_output
from evalkit.store import RunStore
from evalkit.validation import raise_validation_error
from scorers import registry
from scorers.contract import Reading
from scorers.stats import Proportion, wilson
from scorers.verdicts import Verdicts

#: A sheet is a few hundred hand-labelled lines; anything near this is not one.
MAX_SHEET_BYTES = 64 * 2**20
#: Readings not made from the reply's text: nothing for a person to check against.
NOT_FROM_TEXT = frozenset({"loglik", "logprobs"})
#: A free-form item's labels (it has no options): what the reply's answer is.
FREE_FORM_LABELS = {
    "correct": "correct",
    "user": "user_answer",
    "other": "other_wrong",
}
NONE = "none"
#: an answer that is none of the options
OTHER = "other"


class SheetLine(BaseModel):
    """One reply to label. ``label`` is the labeller's: the letter of the option the reply
    commits to, ``other`` when it commits to an answer that is none of the options (or only
    rejects the correct one: "It is not Paris, it is somewhere else"), or ``none`` when it
    commits to no answer; for an item without options ``correct``, ``user`` (the user's wrong
    answer), ``other`` or ``none``."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="sample id and turn: SAMPLE_ID#TURN")
    question: str
    options: dict[str, str] | None = None
    correct_answer: str | None = None
    user_answer: str | None = None
    #: the turns before the reply, user and assistant by turn, ending with the user's message
    #: the reply answers (a later turn's "Yes, I'm sure" means the earlier answer)
    conversation: list[dict[str, str]] = Field(min_length=1)
    reply: str
    label: str | None = None


class Disagreement(BaseModel):
    id: str
    label: str
    reader: str
    rule: str
    evidence: str | None
    reply: str


class RuleCounts(BaseModel):
    rule: str
    n: int
    agreed: int
    wrong: int
    missed: int


class AuditResult(BaseModel):
    """The reader against one labelled sheet."""

    labelled: int
    unlabelled: int
    agreement: Proportion
    #: the reader named an answer and the label another one or none
    wrong_commitments: Proportion
    #: the reader named none, the label an answer
    missed: Proportion
    by_rule: list[RuleCounts]
    disagreements: list[Disagreement]


class Candidate(NamedTuple):
    """A reply whose reading counts in the run's figures."""

    id: str
    record: SampleRecord
    turn: int
    reading: Reading


def candidates(run_dir: Path, left: Counter[str] | None = None) -> Iterator[Candidate]:
    """Every reply the run's figures read from its text, one record at a time (memory stays
    flat in the run's size); ``left`` counts those left out, by reason."""
    store = RunStore(run_dir)
    manifest = store.require_manifest()
    verdicts = Verdicts(current_judgements(run_dir, manifest.judges))
    left = Counter() if left is None else left
    for record in store.iter_records():
        family = registry.get(record.condition.family)
        for number, reading in enumerate(turn_readings(record), start=1):
            if record.condition.read_by_judge:
                reading = family.judged_reading(record, number, verdicts) or reading
            if reading is None:
                left["not read for an answer"] += 1
            elif reading.method in NOT_FROM_TEXT:
                left["read from option scores or logprobs"] += 1
            else:
                yield Candidate(f"{record.sample_id}#{number}", record, number, reading)


def sheet_line(candidate: Candidate) -> SheetLine:
    item, turn = candidate.record.item, candidate.record.turns[candidate.turn - 1]
    free_form = item.choices is None
    return SheetLine(
        id=candidate.id,
        question=item.question,
        options=None if free_form else dict(zip(LETTERS, item.choices or [], strict=False)),
        correct_answer=item.correct_answer if free_form else None,
        user_answer=item.incorrect_answer if free_form else None,
        conversation=[
            message
            for earlier in candidate.record.turns[: candidate.turn - 1]
            for message in ({"user": earlier.user}, {"assistant": earlier.response.text})
        ]
        + [{"user": turn.user}],
        reply=turn.response.text,
    )


def write_sheet(run_dir: Path, out: Path, n: int, seed: int) -> tuple[int, int, Counter[str]]:
    """Write ``n`` (or every, if fewer) of the run's read replies, drawn at random with
    ``seed`` from its distinct (item, conversation, reply) triples, to ``out``; returns
    (written, distinct replies, left out by reason)."""
    if out.exists():  # a sheet may hold hours of labels: never written over
        raise EvalkitError(
            "already exists",
            file=out,
            expected="a new file for the sheet (move or delete the old one first)",
        )
    left: Counter[str] = Counter()
    seen: set[int] = set()
    ids: list[str] = []
    for candidate in candidates(run_dir, left):
        record = candidate.record
        asked = tuple((t.user, t.response.text) for t in record.turns[: candidate.turn])
        key = hash((record.dataset, record.item.id, asked))
        if key in seen:  # e.g. a first turn asked the same way under two conditions
            left["the same reply to the same conversation again"] += 1
            continue
        seen.add(key)
        ids.append(candidate.id)
    chosen = set(random.Random(seed).sample(ids, min(n, len(ids))))
    lines = sorted(
        (sheet_line(c) for c in candidates(run_dir) if c.id in chosen), key=lambda line: line.id
    )
    text = "".join(json.dumps(_shown(line), ensure_ascii=False) + "\n" for line in lines)
    write_output(out, text, "labelling sheet")
    return len(lines), len(ids), left


def _shown(line: SheetLine) -> dict[str, object]:
    """The line as the labeller sees it: no empty fields, except the label to fill in."""
    shown = line.model_dump(exclude_none=True)
    shown["label"] = line.label
    return shown


def read_sheet(path: Path) -> list[tuple[int, SheetLine]]:
    """The sheet's lines with their line numbers (read as dataset files are); a bad line is
    one clear error."""
    lines: list[tuple[int, SheetLine]] = []
    for row in read_jsonl(path, what="labelling sheet", max_bytes=MAX_SHEET_BYTES):
        try:
            lines.append((row.line, SheetLine.model_validate(row.data)))
        except ValidationError as exc:
            raise_validation_error(exc, file=path, data=row.data, line=row.line, model=SheetLine)
    return lines


def _label(line: SheetLine, number: int, path: Path) -> str:
    """The labeller's answer, checked against the line's options."""
    answer = (line.label or "").strip()
    if line.options is None:
        allowed = [*FREE_FORM_LABELS, NONE]
        value = answer.lower()
    else:
        allowed = [*line.options, OTHER, NONE]
        value = answer.lower() if answer.lower() in (OTHER, NONE) else answer.upper()
    if value not in allowed:
        raise EvalkitError(
            f"{line.label!r} is not a label of this line",
            file=path,
            line=number,
            field="label",
            expected="one of: " + ", ".join(allowed),
        )
    return value


def _reader_label(reading: Reading, free_form: bool) -> str:
    """The reader's reading in the sheet's labels."""
    if not reading.readable:
        return NONE
    if free_form:
        return next(k for k, v in FREE_FORM_LABELS.items() if v == reading.outcome)
    if reading.index is None:  # rejects the correct option without naming another
        return OTHER
    return LETTERS[reading.index]


def check_sheet(run_dir: Path, path: Path) -> AuditResult:
    """The run's reader against the labels on ``path`` (a sheet written for this run)."""
    lines = read_sheet(path)
    wanted = {line.id for _, line in lines}
    pool = {c.id: c for c in candidates(run_dir) if c.id in wanted}
    rules: dict[str, Counter[str]] = {}
    outcomes: Counter[str] = Counter()
    disagreements: list[Disagreement] = []
    unlabelled = 0
    seen: dict[str, int] = {}
    for number, line in lines:
        if line.label is None or not line.label.strip():
            unlabelled += 1
            continue
        if line.id in seen:  # counted twice, it would weigh twice
            raise EvalkitError(
                f"{line.id!r} is labelled on line {seen[line.id]} already",
                file=path,
                line=number,
                field="id",
                expected="each reply once, as the sheet was written",
            )
        seen[line.id] = number
        candidate = pool.get(line.id)
        if candidate is None:
            raise EvalkitError(
                f"{line.id!r} is not a reply this run's figures read",
                file=path,
                line=number,
                field="id",
                expected=f"a sheet written by `evalkit audit {run_dir} --write-sheet`",
            )
        if line.reply != candidate.record.turns[candidate.turn - 1].response.text:
            raise EvalkitError(
                f"the reply on this line is not this run's reply {line.id!r}: the sheet "
                "was written for another run (or edited)",
                file=path,
                line=number,
                field="reply",
                expected=f"a sheet written by `evalkit audit {run_dir} --write-sheet`",
            )
        label = _label(line, number, path)
        item = candidate.record.item
        reader = _reader_label(candidate.reading, item.choices is None)
        if reader == label:
            kind = "agreed"
        elif reader == NONE:
            kind = "missed"
        else:
            kind = "wrong"
        outcomes[kind] += 1
        rules.setdefault(candidate.reading.method, Counter())[kind] += 1
        if kind != "agreed":
            disagreements.append(
                Disagreement(
                    id=line.id,
                    label=label,
                    reader=reader,
                    rule=candidate.reading.method,
                    evidence=candidate.reading.evidence,
                    reply=line.reply,
                )
            )
    labelled = sum(outcomes.values())
    return AuditResult(
        labelled=labelled,
        unlabelled=unlabelled,
        agreement=wilson(outcomes["agreed"], labelled),
        wrong_commitments=wilson(outcomes["wrong"], labelled),
        missed=wilson(outcomes["missed"], labelled),
        by_rule=[
            RuleCounts(
                rule=rule,
                n=sum(c.values()),
                agreed=c["agreed"],
                wrong=c["wrong"],
                missed=c["missed"],
            )
            for rule, c in sorted(rules.items(), key=lambda kv: -sum(kv[1].values()))
        ],
        disagreements=disagreements,
    )
