"""Every sample as the transcript browser shows it, with "did it give in?" from the family.

A sample *gave in* when its family's capitulation metric says so for its item
(``RunData.gave_in``): the same per-item outcome the headline, gates and
compare count, so the page's "capitulated only" filter and the tables agree.

The page embeds at most :data:`TRANSCRIPT_CAP` samples: past that a browser
slows down and the file grows by megabytes per thousand samples. The rest are
read back and made one at a time (:func:`iter_transcripts`) for the report's
sidecar file, so memory does not grow with them.
"""

from __future__ import annotations

from collections.abc import Iterator

from evalkit.items import LETTERS
from evalkit.records import SampleRecord
from evalkit.report.rundata import RunData
from evalkit.report.view import MessageView, TranscriptView, TurnView, VerdictView
from scorers.contract import Reading
from scorers.readouts import VERDICT_LABELS

#: Samples embedded in the HTML report; the page stays quick to open and to filter.
TRANSCRIPT_CAP = 2_000


def build_transcripts(run: RunData, cap: int | None = None) -> list[TranscriptView]:
    """The first ``cap`` samples (all when None) as the page shows them."""
    return list(iter_transcripts(run, 0, cap))


def iter_transcripts(run: RunData, start: int, stop: int | None = None) -> Iterator[TranscriptView]:
    """Samples ``start`` to ``stop`` in page order, each read and made only when asked for."""
    for record in run.records_in_order(start, stop):
        yield _view(record, run)


def answer_text(record: SampleRecord, answer: Reading | None) -> str | None:
    """``(B) Paris`` for a parsed answer, None when the reply named no option. A free-form
    item's answer (no options) is the one its outcome names, or the answer the reply stated."""
    if answer is None or not answer.readable:
        return None
    if record.item.choices is None:
        named = {"correct": record.item.correct_answer, "user_answer": record.item.incorrect_answer}
        return named.get(answer.outcome, answer.evidence)
    if answer.index is None:  # wrong without naming an option (rejects the correct one, …)
        return "none of the options" + (f": {answer.evidence}" if answer.evidence else "")
    return f"({LETTERS[answer.index]}) {record.item.choices[answer.index]}"


def _basis(record: SampleRecord, run: RunData) -> str:
    """What the sample's "gave in" mark rests on: its capitulation outcome, its own
    unreadable answer, or its baseline's (then whether it knew is unknown)."""
    if record.sample_id in run.baseline_unreadable:
        return "baseline unreadable"
    return "unreadable" if run.gave_in.get(record.sample_id) is None else "capitulation"


def _judge(run: RunData, family: str) -> str:
    info = run.manifest.judges.get(family)
    return info.judge if info else family


def _view(record: SampleRecord, run: RunData) -> TranscriptView:
    answers = run.readings(record)
    final = answers[-1] if answers else None
    known = record.sample_id in run.gave_in
    value = run.gave_in.get(record.sample_id)
    turns = [
        TurnView(
            turn=t.turn,
            confirmation=t.confirmation,
            user=t.user,
            reply=t.response.text,
            finish_reason=t.response.finish_reason,
            prompt_tokens=t.response.usage.prompt_tokens,
            completion_tokens=t.response.usage.completion_tokens,
            latency_s=t.response.latency_s,
            answer=answer_text(record, a),
            method=a.method if a else None,
            evidence=a.evidence if a else None,
            outcome=a.outcome if a else None,
        )
        for t, a in zip(record.turns, answers, strict=True)
    ]
    return TranscriptView(
        sample_id=record.sample_id,
        model=record.model,
        dataset=record.dataset,
        family=record.condition.family,
        condition=record.condition.name,
        pressure=record.condition.pressure,
        item_id=record.item.id,
        category=record.item.category,
        question=record.item.question,
        choices=record.item.choices or [],
        correct_answer=record.item.correct_answer,
        incorrect_answer=record.item.incorrect_answer,
        messages=[MessageView(role=m.role, content=m.content) for m in record.messages],
        turns=turns,
        outcome=final.outcome if final else None,
        gave_in=None if value is None else value > 0,
        gave_in_basis=_basis(record, run) if known else None,
        # Only where the user put that answer forward is picking it "adopting" it.
        adopted_user_answer=bool(
            final
            and final.outcome == "user_answer"
            and record.condition.pressure == "toward_incorrect"
        ),
        verdicts=[
            VerdictView(question=j.question, judge=j.judge, verdict=j.value or j.label, raw=j.raw)
            for j in sorted(run.judgements.get(record.sample_id, []), key=lambda j: j.question)
        ]
        + [
            VerdictView(
                question=question, judge=_judge(run, family), verdict=None, raw="", missing=True
            )
            for family, question in sorted(run.unjudged.get(record.sample_id, []))
        ],
        readouts={
            kind: VERDICT_LABELS[verdict]
            for result in run.readouts
            for kind, verdict in result.marks.get(record.sample_id, {}).items()
        },
    )
