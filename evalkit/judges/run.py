"""The judging pass: after the samples, ask each family's judge what its scorer will look up.

Runs at the end of ``evalkit run`` (also when every sample was already done),
over all saved records. A question whose verdict is in ``judgements.jsonl``
under the current judge and prompt is not asked again, so a resumed run never
re-judges; a new judge or an edited judge prompt has a new fingerprint and
judges again (old verdicts stay in the file, unused). Hosted judges also go
through the response cache, like any other request.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timezone

from pydantic import BaseModel, ConfigDict
from rich.console import Console

from evalkit.errors import EvalkitError, RenderError
from evalkit.judges.assignment import (
    families_to_judge,
    fingerprint,
    judge_for,
    judge_label,
    models_judged_by_themselves,
)
from evalkit.judges.judgement_store import JudgementStore
from evalkit.judges.judgements import JudgeError, JudgeInfo, Judgement, judgement_key
from evalkit.judges.requests import JudgeRequest, requests_for, template_dir_for, templates_for
from evalkit.judges.templates import JudgeTemplate, load_judge_template
from evalkit.manifest import RunManifest
from evalkit.plan import RunPlan
from evalkit.progress import ProgressBar
from evalkit.providers import check_credentials, check_destination, load_adapter
from evalkit.providers.base import ModelAdapter
from evalkit.providers.model_config import ModelConfig
from evalkit.providers.response_cache import ResponseCache
from evalkit.records import SampleRecord
from evalkit.store import RunStore
from evalkit.usage import ModelUsage


class _Job(BaseModel):
    """One family's judge, prompts and questions."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    family: str
    judge: ModelConfig
    templates: dict[str, JudgeTemplate]
    fingerprints: dict[str, str]
    requests: list[JudgeRequest]
    judged_by_itself: list[str]

    def key(self, request: JudgeRequest) -> str:
        return judgement_key(
            request.sample_id, request.question, self.fingerprints[request.template]
        )


def judge_models(plan: RunPlan) -> list[ModelConfig]:
    """The judges the run's families use (for opening the response cache)."""
    judges = [judge_for(plan.config, f) for f in families_to_judge(plan.config, plan.conditions)]
    return [j for j in judges if j is not None]


def run_judging(
    plan: RunPlan,
    store: RunStore,
    manifest: RunManifest,
    console: Console,
    cache: ResponseCache | None = None,
    earlier: dict[str, JudgeInfo] | None = None,
) -> RunManifest:
    """Judge what is missing; return ``manifest`` with judges, usage and status updated."""
    families = families_to_judge(plan.config, plan.conditions)
    if not families:
        return manifest  # nothing to judge: do not read every record back
    records = store.load_records()
    jobs = _jobs(plan, families, records, console)
    judgements = JudgementStore(store.run_dir)
    done = {j.key: j for j in judgements.load(repair=True)}
    todo = [(job, r) for job in jobs for r in job.requests if job.key(r) not in done]
    failed: dict[str, int] = defaultdict(int)
    adapters: dict[str, ModelAdapter] = {}
    if todo:
        # killed while judging, the run must still name its judges: `evalkit score`,
        # the report and gates then read the verdicts already stored (the family stays in
        # ``awaiting_judges``, so the run stays incomplete)
        store.write_manifest(
            manifest.model_copy(
                update={
                    "judges": {
                        job.family: _info(job, done, 0, {}, (earlier or {}).get(job.family))
                        for job in jobs
                    }
                }
            )
        )
        console.print(f"judging: {len(todo)} questions ({len(done)} judged before)")
        for job in jobs:
            label = judge_label(job.judge)
            if label not in adapters and any(j is job for j, _ in todo):
                adapters[label] = _load(plan, job, cache)

        def journal() -> None:  # before each verdict is saved: a saved verdict is paid for
            store.save_usage(_usage(manifest.usage, jobs, adapters))

        judgements.open()
        try:
            asyncio.run(_ask_all(todo, adapters, judgements, failed, console, journal))
        finally:
            judgements.close()
        done = {j.key: j for j in judgements.load()}
        if failed:
            console.print(
                f"[yellow]{sum(failed.values())} judge requests failed (see "
                f"{judgements.errors_path}); run the same command again to retry them[/]"
            )
    infos = {
        job.family: _info(job, done, failed[job.family], adapters, (earlier or {}).get(job.family))
        for job in jobs
    }
    return _conclude(store, manifest, infos, _usage(manifest.usage, jobs, adapters))


def _conclude(
    store: RunStore,
    manifest: RunManifest,
    judges: dict[str, JudgeInfo],
    usage: dict[str, ModelUsage],
) -> RunManifest:
    """The manifest after judging: complete when every sample was answered and every
    question a judge had to answer was (the sampling pass never says so on its own)."""
    complete = manifest.counts.remaining == 0 and all(j.pending == 0 for j in judges.values())
    finished = manifest.finished_at or datetime.now(timezone.utc)
    final = manifest.model_copy(
        update={
            "judges": judges,
            "awaiting_judges": [],
            "usage": usage,
            "status": "complete" if complete else "incomplete",
            "finished_at": finished if complete else None,
        }
    )
    store.save_usage(final.usage)  # killed before the next line: nothing lost
    store.write_manifest(final)
    store.fold_usage()
    return final


def _jobs(
    plan: RunPlan, families: list[str], records: list[SampleRecord], console: Console
) -> list[_Job]:
    """One job for each of ``families`` (:func:`families_to_judge`: each has a judge)."""
    jobs = []
    for family in families:
        judge = judge_for(plan.config, family)
        assert judge is not None
        own = models_judged_by_themselves(plan.config, family)
        if own:
            console.print(
                f"[bold red]WARNING: the {family} judge {judge.label!r} ({judge.provider}:"
                f"{judge.model}) is also the model under test {', '.join(own)}: it grades its "
                "own replies, so its verdicts may favour them. Recorded in the manifest and "
                "summary.[/]"
            )
        folder = template_dir_for(family)
        templates = {
            name: load_judge_template(name, family, folder) for name in templates_for(family)
        }
        jobs.append(
            _Job(
                family=family,
                judge=judge,
                templates=templates,
                fingerprints={n: fingerprint(judge, t.sha256) for n, t in templates.items()},
                requests=requests_for(family, [r for r in records if r.condition.family == family]),
                judged_by_itself=own,
            )
        )
    return jobs


def _load(plan: RunPlan, job: _Job, cache: ResponseCache | None) -> ModelAdapter:
    try:
        return load_adapter(job.judge, cache)
    except EvalkitError as exc:
        raise plan.config_error(exc, _judge_field(plan, job.family)) from None


def _judge_field(plan: RunPlan, family: str) -> tuple[str, ...]:
    return ("judges", family) if family in plan.config.judges else ("judge",)


def check_judge_keys(plan: RunPlan, *, keys: bool = True) -> None:
    """Before the models run: a judge's missing key, or a key its config sends to a host the
    user has not allowed, stopped the run only after every model had answered, leaving it
    incomplete. ``keys=False``: only where they would go (``evalkit validate`` needs none)."""
    for family in families_to_judge(plan.config, plan.conditions):
        judge = judge_for(plan.config, family)
        if judge is None:
            continue
        try:
            check_destination(judge)
            if keys:
                check_credentials(judge)
        except EvalkitError as exc:
            raise plan.config_error(exc, _judge_field(plan, family)) from None


async def _ask_all(
    todo: list[tuple[_Job, JudgeRequest]],
    adapters: dict[str, ModelAdapter],
    store: JudgementStore,
    failed: dict[str, int],
    console: Console,
    journal: Callable[[], None],
) -> None:
    """One event loop for every judge, so HTTP clients open and close in the same loop."""
    try:
        for label, adapter in adapters.items():
            mine = [(job, r) for job, r in todo if judge_label(job.judge) == label]
            await _ask_with(adapter, mine, store, failed, console, label, journal)
    finally:
        for adapter in adapters.values():
            await adapter.aclose()


async def _ask_with(
    adapter: ModelAdapter,
    todo: list[tuple[_Job, JudgeRequest]],
    store: JudgementStore,
    failed: dict[str, int],
    console: Console,
    label: str,
    journal: Callable[[], None],
) -> None:
    from evalkit.pool import run_pool

    with ProgressBar(console, len(todo), label) as advance:

        async def one(pair: tuple[_Job, JudgeRequest]) -> None:
            job, request = pair
            try:
                judgement = await _ask(job, request, adapter)
                journal()
                store.append(judgement)
            except RenderError as exc:  # this question's data alone (a 10 MB reply) is
                failed[job.family] += 1  # past the prompt's bounds: the others go on
                journal()
                store.append_error(_error(job, request, exc))
            except EvalkitError:
                raise  # the endpoint refuses every request: stop
            except Exception as exc:  # recorded; asked again on the next run
                failed[job.family] += 1
                journal()
                store.append_error(_error(job, request, exc))
            advance()

        await run_pool(todo, one, min(adapter.max_concurrency, len(todo)))


async def _ask(job: _Job, request: JudgeRequest, adapter: ModelAdapter) -> Judgement:
    template = job.templates[request.template]
    messages = template.render(request.variables)
    response = await adapter.generate(messages, job.judge.generation)
    adapter.usage.count_response(response)
    label, value = template.parse(response.text, cut_off=response.finish_reason == "length")
    return Judgement(
        key=job.key(request),
        sample_id=request.sample_id,
        family=job.family,
        question=request.question,
        judge=job.judge.label,
        judge_model=f"{job.judge.provider}:{job.judge.model}",
        response_model=response.model,
        fingerprint=job.fingerprints[request.template],
        template=template.reference,
        prompt=messages,
        raw=response.text,
        label=label,
        value=value,
        context=request.context,
        cached=response.cached,
        judged_at=datetime.now(timezone.utc),
    )


def _error(job: _Job, request: JudgeRequest, exc: Exception) -> JudgeError:
    return JudgeError(
        key=job.key(request),
        sample_id=request.sample_id,
        question=request.question,
        judge=job.judge.label,
        error_type=type(exc).__name__,
        message=str(exc)[:2000],
        at=datetime.now(timezone.utc),
    )


def _info(
    job: _Job,
    done: dict[str, Judgement],
    failed: int,
    adapters: dict[str, ModelAdapter],
    previous: JudgeInfo | None,
) -> JudgeInfo:
    stored = [done[k] for k in (job.key(r) for r in job.requests) if k in done]
    adapter = adapters.get(judge_label(job.judge))
    describe = adapter.describe() if adapter is not None else None
    if describe is None and previous is not None and previous.fingerprints == job.fingerprints:
        describe = previous.describe
    return JudgeInfo(
        family=job.family,
        judge=job.judge.label,
        provider=job.judge.provider,
        model=job.judge.model,
        fingerprints=job.fingerprints,
        judged_by_itself=job.judged_by_itself,
        requests=len(job.requests),
        judged=len(stored),
        unparsed=sum(not j.parsed for j in stored),
        failed=failed,
        describe=describe or {},
    )


def _usage(
    previous: dict[str, ModelUsage], jobs: list[_Job], adapters: dict[str, ModelAdapter]
) -> dict[str, ModelUsage]:
    usage = dict(previous)
    judges = {judge_label(job.judge): job.judge for job in jobs}
    for label, adapter in adapters.items():
        usage[label] = usage[label].plus(adapter.usage) if label in usage else adapter.usage
        price = getattr(judges[label], "price", None)
        if price is not None:
            spent = usage[label]
            spent.cost_usd = price.cost(spent.prompt_tokens, spent.completion_tokens)
    return usage
