"""Two runs side by side: every metric of both, compared as ``evalkit compare`` compares
them (:mod:`evalkit.compare`: paired over shared items), and the samples whose final
outcome changed.

Samples are matched by ``dataset|condition|item`` (the sample id minus the
model label) when each run has one model, so a run of model A compares with a
run of model B; with several models per run the model label must match too.
"""

from __future__ import annotations

from evalkit.compare import compare_runs as compare_run_dirs
from evalkit.records import SampleRecord
from evalkit.report.rundata import RunData
from evalkit.report.transcripts import answer_text
from evalkit.report.view import ChangedSample, CompareRow, CompareView


def compare_runs(this: RunData, other: RunData) -> CompareView:
    single = len(_models(this)) <= 1 and len(_models(other)) <= 1
    # the one comparison `evalkit compare` prints: A = the other run, B = this one
    compared = compare_run_dirs(other.run_dir, this.run_dir)
    rows = [
        CompareRow(
            metric=" · ".join([m.family, m.condition, m.metric] + ([] if single else [m.model_b])),
            this=m.side("b"),
            other=m.side("a"),
            delta=m.difference_text(),
            p_value="-" if m.p_value is None else f"{m.p_value:.3g} ({m.test})",
        )
        for m in compared.metrics
    ]
    by_key_this, by_key_other = _finals(this, single), _finals(other, single)
    shared = [k for k in by_key_this if k in by_key_other]
    changed = []
    for key in sorted(shared):
        category, outcome_a, answer_a = by_key_this[key]
        _, outcome_b, answer_b = by_key_other[key]
        if outcome_a != outcome_b:
            changed.append(
                ChangedSample(
                    key=key,
                    category=category,
                    this_outcome=outcome_a,
                    this_answer=answer_a,
                    other_outcome=outcome_b,
                    other_answer=answer_b,
                )
            )
    return CompareView(
        other_name=other.manifest.run_name,
        other_dir=str(other.run_dir),
        other_status=other.manifest.status,
        this_models=sorted(_models(this)),
        other_models=sorted(_models(other)),
        match_note="samples matched by dataset|condition|item (model labels ignored)"
        if single
        else "samples matched by model|dataset|condition|item",
        rows=rows,
        matched=len(shared),
        only_this=len(by_key_this) - len(shared),
        only_other=len(by_key_other) - len(shared),
        changed=changed,
    )


def _models(run: RunData) -> set[str]:
    return set(run.index.models)


def _sample_key(record: SampleRecord, single: bool) -> str:
    parts = [record.dataset, record.condition.name, record.item.id]
    return "|".join(parts if single else [record.model, *parts])


def _finals(run: RunData, single: bool) -> dict[str, tuple[str, str, str]]:
    """Sample key -> (category, final outcome, final answer), the records read one at a time."""
    return {_sample_key(r, single): (r.item.category, *_final(run, r)) for r in run.iter_records()}


def _final(run: RunData, record: SampleRecord) -> tuple[str, str]:
    answers = run.readings(record)
    final = answers[-1] if answers else None
    return (final.outcome if final else "n/a"), (answer_text(record, final) or "-")
