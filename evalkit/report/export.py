"""Sample records as a flat table, one row per sample and turn, for pandas and spreadsheets.

``results.jsonl`` is nested (item, condition, turns); analysts want rows. Each
row repeats the sample's item and condition next to one turn's prompt, reply,
usage, and the answer the scorer read from it, so ``groupby`` needs no joins.
The sample's metric values are on its last turn's row alone: repeated on every
turn, a mean over rows weighed samples with a confirmation turn twice.
Nested values (the options, log-likelihoods) are JSON strings, identical in
CSV and Parquet.

CSV cells are opened by spreadsheets, which run a cell starting with ``=``,
``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a formula;
model replies and dataset text are untrusted, so such a text cell is written
with a leading ``'`` (OWASP's advice on CSV injection). Numbers are not
touched, and Parquet keeps every value verbatim.
"""

from __future__ import annotations

import csv
import json
import os
import re
import types
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict

from evalkit.errors import EvalkitError
from evalkit.items import LETTERS
from evalkit.judges.judgement_store import run_verdicts
from evalkit.records import SampleRecord
from evalkit.safeio import check_output_path, create_fresh, output_errors
from evalkit.store import RunStore
from scorers import registry
from scorers.sample_values import SampleOutcomes, sample_outcomes
from scorers.verdicts import Verdicts

ExportFormat = Literal["csv", "parquet"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "parquet")


class ExportRow(BaseModel):
    """One turn of one sample. Field order is column order."""

    model_config = ConfigDict(frozen=True)

    sample_id: str
    model: str
    dataset: str
    condition: str
    family: str
    pressure: str
    answer_by: str
    item_id: str
    category: str
    question: str
    choices: str | None
    correct_answer: str
    correct_letter: str | None
    incorrect_answer: str | None
    turn: int
    turns: int
    #: the condition's confirm turn, asked because the previous reply gave no readable answer
    confirmation: bool
    system: str | None
    user: str
    response: str
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    response_model: str
    #: served from the response cache (or shared with an identical request): cost nothing
    cached: bool
    option_logprobs: str | None
    parsed_index: int | None
    parsed_letter: str | None
    parsed_answer: str | None
    parse_method: str | None
    #: answer / ambiguous / unparsed: whether the reader could place the reply
    reading_status: str | None
    #: correct / user_answer / other_wrong / unreadable
    outcome: str | None
    is_user_answer: bool | None
    #: the sample's outcome in each metric of its family (JSON: metric -> 0/1, a paired
    #: difference, or null when its answer was unreadable); the same per-item outcomes, read
    #: with the run's judge verdicts, that the tables, headline, gates and compare aggregate.
    #: On the sample's last turn only (empty on earlier turns), so a mean over rows counts
    #: each sample once, not once per turn
    metric_values: str | None
    #: the metrics in ``metric_values`` whose 0/1 is not read from the reply but given by the
    #: metric's definition to an unreadable answer or verdict (JSON list; accuracy counts an
    #: unreadable answer as not correct, the inspect_evals port an unparsed verdict as
    #: neither admitting nor keeping); on the last turn's row, like the values
    metric_imputed: str | None = None
    #: the metrics in ``metric_values`` whose null is not this sample's unreadable answer but
    #: its baseline's (the answer without pressure, or the first): it may belong to the
    #: metric's denominator, and is counted beside it (JSON list; last turn's row)
    metric_baseline_unreadable: str | None = None
    started_at: str
    finished_at: str


COLUMNS: tuple[str, ...] = tuple(ExportRow.model_fields)


def export_rows(records: Sequence[SampleRecord], verdicts: Verdicts) -> Iterator[ExportRow]:
    """The rows of ``records``; metric values read with the run's current judge ``verdicts``."""
    return rows_of(records, sample_outcomes(records, verdicts))


def rows_of(records: Iterable[SampleRecord], outcomes: SampleOutcomes) -> Iterator[ExportRow]:
    """The rows of ``records`` (read one at a time if they come so), with each sample's
    metric values (:func:`~scorers.sample_values.sample_outcomes` of all the run's records)."""
    values = outcomes.values
    for record in records:
        item = record.item
        family = registry.get(record.condition.family)
        system = next((m.content for m in record.messages if m.role == "system"), None)
        mine = values.get(record.sample_id)
        metric_values = json.dumps(mine, sort_keys=True) if mine else None
        fixed = outcomes.imputed.get(record.sample_id)
        metric_imputed = json.dumps(sorted(fixed)) if fixed else None
        unknown = outcomes.baseline_unreadable.get(record.sample_id)
        baseline_unreadable = json.dumps(sorted(unknown)) if unknown else None
        last = len(record.turns)
        for number, turn in enumerate(record.turns, start=1):
            answer = family.reading(record, number)
            index = answer.index if answer else None
            scores = turn.option_scores
            yield ExportRow(
                sample_id=record.sample_id,
                model=record.model,
                dataset=record.dataset,
                condition=record.condition.name,
                family=record.condition.family,
                pressure=record.condition.pressure,
                answer_by=record.condition.answer_by,
                item_id=item.id,
                category=item.category,
                question=item.question,
                choices=json.dumps(item.choices, ensure_ascii=False) if item.choices else None,
                correct_answer=item.correct_answer,
                correct_letter=item.correct_letter,
                incorrect_answer=item.incorrect_answer,
                turn=turn.turn,
                turns=len(record.turns),
                confirmation=turn.confirmation,
                system=system,
                user=turn.user,
                response=turn.response.text,
                finish_reason=turn.response.finish_reason,
                prompt_tokens=turn.response.usage.prompt_tokens,
                completion_tokens=turn.response.usage.completion_tokens,
                latency_s=turn.response.latency_s,
                response_model=turn.response.model,
                cached=bool(getattr(turn.response, "cached", False)),
                option_logprobs=json.dumps(dict(zip(scores.options, scores.logprobs, strict=True)))
                if scores
                else None,
                parsed_index=index,
                parsed_letter=LETTERS[index] if index is not None else None,
                parsed_answer=item.choices[index] if index is not None and item.choices else None,
                parse_method=answer.method if answer else None,
                reading_status=answer.status if answer else None,
                outcome=answer.outcome if answer else None,
                is_user_answer=answer.outcome == "user_answer" if answer else None,
                metric_values=metric_values if number == last else None,
                metric_imputed=metric_imputed if number == last else None,
                metric_baseline_unreadable=baseline_unreadable if number == last else None,
                started_at=record.started_at.isoformat(),
                finished_at=record.finished_at.isoformat(),
            )


def export_records(run_dir: Path, out: Path, format: ExportFormat) -> int:
    """Write the run's records to ``out``; returns the number of rows (sample turns)."""
    if format not in FORMATS:
        raise EvalkitError(f"unknown export format {format!r}", expected="csv or parquet")
    store = RunStore(run_dir)
    if not store.results_path.is_file():
        raise EvalkitError(
            "no results.jsonl to export",
            file=run_dir,
            expected="a run directory written by `evalkit run`",
        )
    check_output_path(out, "export")
    # The metric values pair items across conditions, so they need every record at once;
    # the rows do not: they are made, as written, from records read back one at a time.
    records = store.load_records()
    outcomes = sample_outcomes(records, run_verdicts(store))
    del records
    rows = rows_of(store.iter_records(), outcomes)
    if format == "csv":
        return _write_csv(rows, out)
    return _write_parquet(rows, out)


#: Text a spreadsheet may run as a formula: one of its first characters, in ASCII or full
#: width, after any spaces, line breaks or invisible characters an importer may trim.
FORMULA_START = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]")


def spreadsheet_safe(value: object) -> object:
    """``value`` with a ``'`` in front if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and (FORMULA_START.match(value) or value.startswith(("\t", "\r"))):
        return "'" + value
    return value


def _write_csv(rows: Iterable[ExportRow], out: Path) -> int:
    """The rows as CSV, text cells neutralised against formula injection; whole or not at all.

    Returns the number of rows written."""
    count = 0
    with output_errors(out, "export") as temporary:
        with create_fresh(temporary) as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: spreadsheet_safe(v) for k, v in row.model_dump().items()})
                count += 1
        os.replace(temporary, out)
    return count


#: Parquet rows converted and written at a time: memory stays flat, row groups stay large.
PARQUET_BATCH = 10_000


def _write_parquet(rows: Iterable[ExportRow], out: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise EvalkitError(
            "Parquet export needs pyarrow", expected="pip install 'evalkit[export]'"
        ) from None
    types_ = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
    schema = pa.schema(
        [
            pa.field(name, types_[_base(field.annotation)], nullable=_optional(field.annotation))
            for name, field in ExportRow.model_fields.items()
        ]
    )
    count = 0
    with output_errors(out, "export") as temporary:
        with pq.ParquetWriter(temporary, schema) as writer:
            for batch in batched(rows, PARQUET_BATCH):
                writer.write_table(pa.Table.from_pylist([r.model_dump() for r in batch], schema))
                count += len(batch)
            if not count:
                writer.write_table(schema.empty_table())
        os.replace(temporary, out)
    return count


def batched(rows: Iterable[ExportRow], size: int) -> Iterator[list[ExportRow]]:
    """Lists of up to ``size`` rows (``itertools.batched`` needs Python 3.12)."""
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _optional(annotation: Any) -> bool:
    return type(None) in get_args(annotation)


def _base(annotation: Any) -> type:
    """``str | None`` -> ``str``."""
    if get_origin(annotation) in (Union, types.UnionType):
        return next(a for a in get_args(annotation) if a is not type(None))
    return annotation
