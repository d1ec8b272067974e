"""Execute a plan: every missing sample once, streamed to the run directory.

Each sample is one coroutine that walks its condition's turns in order
(rendering turn k after reply k-1); many samples are in flight at once, so a
local model batches them and a hosted one keeps its requests busy.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, NamedTuple

from rich.console import Console

from evalkit.config import RunConfig
from evalkit.errors import EvalkitError, RenderError
from evalkit.judges.assignment import families_to_judge, judges_condition
from evalkit.manifest import DatasetInfo, RunCounts, RunManifest, package_versions
from evalkit.messages import Message
from evalkit.plan import RunPlan
from evalkit.pool import run_pool
from evalkit.progress import ProgressBar
from evalkit.providers import PROVIDERS, load_adapter
from evalkit.providers.base import (
    GenerationParams,
    ModelAdapter,
    ModelResponse,
    OptionScores,
    TurnReadout,
)
from evalkit.providers.model_config import ModelConfig
from evalkit.providers.response_cache import ResponseCache, default_cache_dir
from evalkit.readouts.arrays import ReadoutStore
from evalkit.records import Sample, SampleError, SampleRecord, TurnRecord
from evalkit.run_files import OUTPUTS
from evalkit.store import RunStore
from evalkit.terminal import terminal_safe
from evalkit.usage import ModelUsage
from scorers import registry


def now() -> datetime:
    return datetime.now(timezone.utc)


async def run_sample(
    sample: Sample,
    plan: RunPlan,
    adapter: ModelAdapter,
    states: dict[int, Any] | None = None,
) -> SampleRecord:
    """Ask one item under one condition, turn by turn.

    With readouts on (a local model), every answered turn of an item with choices is also
    read out: the option log-likelihoods go into the turn's record, the probe's hidden
    states into ``states`` (turn -> array), which the runner stores beside the record.
    """
    params = next(m for m in plan.config.models if m.label == sample.model).generation
    started = now()
    messages: list[Message] = []
    replies: list[str] = []
    turns: list[TurnRecord] = []
    for turn in range(1, sample.condition.turns + 2):
        # the confirm turn, only if the answer is unreadable
        if turn > sample.condition.turns and not _confirm(sample, turns[-1]):
            break
        rendered = plan.render(sample, turn, replies)
        if turn == 1 and rendered.system:
            messages.append(Message(role="system", content=rendered.system))
        messages.append(Message(role="user", content=rendered.user))
        choices = list(sample.item.choices or [])
        prefill = rendered.prefill if adapter.supports_prefill else None
        # read out beside the answer, batched with other samples' (a local model's readouts)
        read_out = choices if adapter.readouts and choices else None
        answer = await _answer(sample, turn, messages, adapter, params, prefill, read_out)
        response, readout = answer.response, answer.readout
        if readout is not None and readout.states is not None and states is not None:
            states[turn] = readout.states
        adapter.usage.count_response(response)
        messages.append(Message(role="assistant", content=response.text))
        replies.append(response.text)
        turns.append(
            TurnRecord(
                turn=turn,
                user=rendered.user,
                response=response,
                option_scores=answer.scores,
                confirmation=turn > sample.condition.turns,
                generated=answer.generated,
                readout=readout.scores if readout is not None else None,
                prefill=rendered.prefill,
                prefill_sent=answer.prefill is not None,
            )
        )
    return SampleRecord(
        sample_id=sample.id,
        model=sample.model,
        dataset=sample.dataset,
        item=sample.item,
        condition=sample.condition,
        messages=messages,
        turns=turns,
        started_at=started,
        finished_at=now(),
        pushed=sample.pushed,
    )


class _Answer(NamedTuple):
    """One turn's answer: the reply, its option scores (loglik conditions), whether it was
    generated, the prefill it was generated after (None when none was sent), its readout."""

    response: ModelResponse
    scores: OptionScores | None
    generated: bool
    prefill: str | None
    readout: TurnReadout | None = None


async def _answer(
    sample: Sample,
    turn: int,
    messages: list[Message],
    adapter: ModelAdapter,
    params: GenerationParams,
    prefill: str | None,
    read_out: list[str] | None,
) -> _Answer:
    """The turn's answer; with ``read_out`` (options), the readouts of it too."""
    if read_out is not None and sample.condition.answer_by != "loglik" and prefill is None:
        # one batch: the readout runs on the cache of the reply's own prefill
        response, readout = await adapter.generate_and_read_out(list(messages), params, read_out)
        return _Answer(response, None, True, None, readout)
    reading = None
    if read_out is not None:
        reading = asyncio.ensure_future(adapter.read_out(list(messages), read_out))
    try:
        answer = await _answer_alone(sample, turn, messages, adapter, params, prefill)
    except BaseException:
        if reading is not None:
            reading.cancel()
        raise
    return answer._replace(readout=await reading) if reading is not None else answer


async def _answer_alone(
    sample: Sample,
    turn: int,
    messages: list[Message],
    adapter: ModelAdapter,
    params: GenerationParams,
    prefill: str | None,
) -> _Answer:
    choices = list(sample.item.choices or [])
    if sample.condition.answer_by != "loglik":
        return _Answer(await _generate(adapter, messages, params, prefill), None, True, prefill)
    if reply_is_read(sample, turn):
        scores, response = await asyncio.gather(
            adapter.score_options(list(messages), choices),
            _generate(adapter, messages, params, prefill),
        )
        return _Answer(response, scores, True, prefill)
    scores = await adapter.score_options(list(messages), choices)
    return _Answer(_chosen_option(scores), scores, False, None)


async def _generate(
    adapter: ModelAdapter,
    messages: list[Message],
    params: GenerationParams,
    prefill: str | None,
) -> ModelResponse:
    """The model's reply; with a prefill, sent as the start of the assistant's message, the
    reply is the prefill and its continuation (what the model said, read whole)."""
    if prefill is None:
        return await adapter.generate(list(messages), params)
    sent = [*messages, Message(role="assistant", content=prefill)]
    response = await adapter.generate(sent, params)
    return response.model_copy(update={"text": prefill + response.text})


def reply_is_read(sample: Sample, turn: int) -> bool:
    """Does anything read the generated text of this loglik turn?

    The next turn's conversation does, and a judge reads the replies of families
    that have one. A loglik answer is otherwise read from the option scores alone,
    so the last turn is not generated: that is most of a loglik sample's cost.
    """
    return turn < sample.condition.turns or judges_condition(sample.condition)


def _chosen_option(scores: OptionScores) -> ModelResponse:
    """The highest-scoring option as the turn's reply: nothing generated, nothing spent."""
    return ModelResponse(text=scores.options[scores.best_index], finish_reason="other")


def _confirm(sample: Sample, turn: TurnRecord) -> bool:
    """Ask the confirm turn? Only for conditions with one, read from text, when the family's
    reader cannot place the reply."""
    condition = sample.condition
    return (
        condition.confirm
        and condition.answer_by == "generation"
        and registry.get(condition.family).needs_confirmation(sample.item, turn)
    )


class Runner:
    def __init__(
        self,
        plan: RunPlan,
        run_dir: Path,
        console: Console | None = None,
        *,
        use_cache: bool | None = None,
    ) -> None:
        self.plan = plan
        self.store = RunStore(run_dir)
        self.console = console or Console(stderr=True)
        self.use_cache = plan.config.cache if use_cache is None else use_cache
        #: All attempts' usage so far, appended to ``usage.jsonl`` before each sample.
        self._spent: Callable[[], dict[str, ModelUsage]] = dict
        #: Samples this attempt has saved: with those saved before, what the manifest counts
        #: (so finishing a run need not read every record back for their ids).
        self._saved = 0

    def pending(self, *, repair: bool = True) -> list[Sample]:
        """The samples still to run, all at once (a dry run's estimate); ``repair`` (a
        writer's) cuts a torn last line off. A run streams them instead."""
        done = self.store.sample_ids(repair=repair)
        return [s for s in self.plan.iter_samples() if s.id not in done]

    def check_same_plan(self) -> RunManifest | None:
        """Refuse to mix samples of a different plan into an existing run directory."""
        manifest = self.store.read_manifest()
        if manifest is not None and manifest.plan_hash != self.plan.plan_hash:
            raise EvalkitError(
                "this run directory holds a run of a different config, templates or data "
                f"(plan {manifest.plan_hash}, now {self.plan.plan_hash})",
                file=self.store.run_dir,
                expected="the same config to resume, or a new --out directory",
            )
        if manifest is None and self.store.results_path.exists():
            raise EvalkitError(
                "results without a manifest",
                file=self.store.run_dir,
                expected="an evalkit run directory or an empty one",
            )
        return manifest

    def run(self) -> RunManifest:
        """Run what is missing, holding the run directory's lock throughout (one writer)."""
        self.store.check_output_dir()  # before anything is created or loaded
        with self.store.lock(create=True):
            return self._run_locked()

    def _run_locked(self) -> RunManifest:
        previous = self.check_same_plan()
        done = self.store.sample_ids(repair=True)
        planned = 0
        to_do: Counter[str] = Counter()  # model -> samples it still has to run
        for label, sample in self.plan.sample_ids():
            planned += 1
            to_do[label] += sample not in done
        unplanned = len(done) - (planned - to_do.total())
        if unplanned:  # a renamed model, a smaller --limit: the figures would count them too
            example = min(done - {sample for _, sample in self.plan.sample_ids()})
            raise EvalkitError(
                f"this run directory holds {unplanned} samples this config does not plan "
                f"(e.g. {example}): a model renamed, or a larger --limit, since they ran",
                file=self.store.run_dir,
                expected="the config (and --limit) they ran under to resume, or a new --out",
            )
        self.console.print(
            f"run [bold]{self.plan.config.name}[/]: {planned} samples "
            f"({to_do.total()} to do) -> {self.store.run_dir}"
        )
        models = [m for m in self.plan.config.models if to_do[m.label]]
        from evalkit.judges.run import check_judge_keys

        check_judge_keys(self.plan)  # before any model runs or anything is written
        cache = self.open_cache(models)
        adapters: dict[str, ModelAdapter] = {}
        for model in models:  # load before writing anything: a model that fails leaves no trace
            self.console.print(
                f"loading model [bold]{terminal_safe(model.label)}[/] ({model.provider})"
            )
            try:
                adapters[model.label] = load_adapter(model, cache)
            except EvalkitError as exc:
                index = self.plan.config.models.index(model)
                raise self.plan.config_error(exc, ("models", index)) from None
        self._warn_no_prefill(adapters)
        manifest = self._start_manifest(previous, adapters, planned)
        self.store.write_manifest(manifest)  # first: results never exist without a manifest
        for made in OUTPUTS:  # a previous attempt's summary and report no longer describe it
            (self.store.run_dir / made).unlink(missing_ok=True)
        self._spent = lambda: self._usage(previous, adapters, live=True)
        self._saved = 0
        try:
            self.store.open_for_append()
            asyncio.run(self._run_models(adapters, done, to_do))
        finally:
            self.store.close()
            if cache is not None:
                cache.close()
            saved = planned - to_do.total() + self._saved
            manifest = self._finish_manifest(manifest, previous, adapters, planned, saved)
            self._spent = dict  # its closure held self: a cycle keeping the plan alive
        adapters.clear()  # free the models under test before a local judge loads
        return self._judge(manifest, previous)

    def _warn_no_prefill(self, adapters: dict[str, ModelAdapter]) -> None:
        """Say once per model when its provider cannot send the prefill a condition gives."""
        asking = [c.name for c in self.plan.conditions if self.plan.templates[c.name].has_prefill]
        for label, adapter in adapters.items():
            if asking and not adapter.supports_prefill:
                self.console.print(
                    f"[yellow]model {label} takes no assistant prefix: {', '.join(asking)} "
                    "asked without the prefill (each turn records prefill_sent: false)[/]"
                )

    def _judge(self, manifest: RunManifest, previous: RunManifest | None) -> RunManifest:
        """The judging pass over every saved record; a no-op without judged families."""
        from evalkit.judges.run import judge_models, run_judging

        cache = self.open_cache(judge_models(self.plan))
        try:
            earlier = previous.judges if previous else {}
            return run_judging(self.plan, self.store, manifest, self.console, cache, earlier)
        finally:
            if cache is not None:
                cache.close()

    def open_cache(self, models: list[ModelConfig]) -> ResponseCache | None:
        """The response cache, if this run uses it and any of ``models`` is an HTTP model."""
        if not self.use_cache or not any(PROVIDERS[m.provider].uses_response_cache for m in models):
            return None
        return ResponseCache(self.plan.cache_dir or default_cache_dir())

    async def _run_models(
        self, adapters: dict[str, ModelAdapter], done: set[str], to_do: Counter[str]
    ) -> None:
        """One event loop for every model, so HTTP clients open and close in the same loop.

        Each model's samples not ``done`` are made as its workers take them, so only the
        samples in flight are held, however many the plan has."""
        try:
            for label, adapter in adapters.items():
                samples = self.plan.iter_samples(label)
                if done:  # resumed: skip what is saved (a fresh run needs no id per sample)
                    samples = (s for s in samples if s.id not in done)
                try:
                    await self._run_model(adapter, label, samples, to_do[label])
                except EvalkitError as exc:  # the endpoint refused: at the model's config
                    if exc.file is not None:
                        raise
                    labels = [m.label for m in self.plan.config.models]
                    raise self.plan.config_error(exc, ("models", labels.index(label))) from None
        finally:
            for adapter in adapters.values():
                await adapter.aclose()

    async def _run_model(
        self, adapter: ModelAdapter, label: str, samples: Iterable[Sample], count: int
    ) -> None:
        """Run ``samples`` (``count`` of them) on ``adapter``, each saved as it finishes."""
        readouts = ReadoutStore(self.store.run_dir)
        if adapter.readouts:  # files of samples killed before their record was saved
            readouts.prune(self.store.sample_ids())
        with ProgressBar(self.console, count, label) as advance:

            async def one(sample: Sample) -> None:
                states: dict[int, Any] = {}
                try:
                    record = await run_sample(sample, self.plan, adapter, states)
                except RenderError as exc:  # a later turn cannot hold this sample's replies
                    self.store.save_usage(self._spent())
                    self.store.append_error(_error_record(sample, exc))
                except EvalkitError:
                    raise  # the endpoint refuses every request: stop the run
                except Exception as exc:  # recorded, retried on the next run
                    self.store.save_usage(self._spent())
                    self.store.append_error(_error_record(sample, exc))
                else:
                    self.store.save_usage(self._spent())  # first: a saved sample is paid for
                    if states:  # before the record: a kill leaves an orphan file, not a gap
                        readouts.write(sample.id, adapter.probe_layers, states)
                    self.store.append(record)
                    self._saved += 1
                advance()

            await run_pool(samples, one, min(adapter.max_concurrency, count))

    def _start_manifest(
        self, previous: RunManifest | None, adapters: dict[str, ModelAdapter], planned: int
    ) -> RunManifest:
        config: RunConfig = self.plan.config
        models = dict(previous.models) if previous else {}
        models.update({label: a.describe() for label, a in adapters.items()})
        # a judge the config no longer names is dropped: its verdicts would stand for samples
        # it never read, in a run that may complete without judging
        awaiting = families_to_judge(config, self.plan.conditions)
        return RunManifest(
            run_name=config.name,
            status="running",
            config_path=str(self.plan.config_path),
            config=config.model_dump(mode="json"),
            config_hash=config.config_hash(),
            plan_hash=self.plan.plan_hash,
            packages=package_versions("pydantic", "jinja2", "pyyaml", "rich"),
            models=models,
            datasets=[
                DatasetInfo(
                    name=d.name,
                    path=str(d.path),
                    sha256=d.sha256,
                    items=len(d.items),
                    source=d.source,
                    load_report=d.report.summary() if d.report else "",
                )
                for d in self.plan.datasets
            ],
            conditions=[c.model_dump(mode="json") for c in self.plan.conditions],
            started_at=previous.started_at if previous else now(),
            counts=RunCounts(planned=planned),
            # killed before its judging pass concludes, the attempt must not look judged
            # (`evalkit repair` trusts these), and the verdicts stored so far stay readable
            judges={f: i for f, i in previous.judges.items() if f in awaiting} if previous else {},
            awaiting_judges=awaiting,
        )

    def _finish_manifest(
        self,
        manifest: RunManifest,
        previous: RunManifest | None,
        adapters: dict[str, ModelAdapter],
        planned: int,
        completed: int,
    ) -> RunManifest:
        """``completed``: the planned samples saved, by this attempt or earlier ones."""
        errored = len(self.store.load_errors())
        counts = RunCounts(planned=planned, completed=completed, errored=errored)
        # A run whose replies a judge still has to read is not complete until the judging
        # pass says so: killed while judging, it must not look finished.
        awaiting = families_to_judge(self.plan.config, self.plan.conditions)
        complete = counts.remaining == 0 and not awaiting
        final = manifest.model_copy(
            update={
                "counts": counts,
                "awaiting_judges": awaiting,
                "status": "complete" if complete else "incomplete",
                "finished_at": now() if complete else None,
                "usage": self._usage(previous, adapters),
            }
        )
        self.store.save_usage(final.usage)  # killed before the next line: nothing lost
        self.store.write_manifest(final)
        self.store.fold_usage()
        return final

    def _usage(
        self, previous: RunManifest | None, adapters: dict[str, ModelAdapter], *, live: bool = False
    ) -> dict[str, ModelUsage]:
        """This attempt's counters added to those of earlier attempts, priced if configured.

        ``live``: for a journal line, serialised at once: a model's own counters are handed
        as they are when nothing is added to them (not copied once a sample)."""
        usage = dict(previous.usage) if previous else {}
        for label, adapter in adapters.items():
            mine = adapter.usage if live else adapter.usage.model_copy()
            usage[label] = usage[label].plus(mine) if label in usage else mine
        for model in self.plan.config.models:
            price = getattr(model, "price", None)
            if price is not None and model.label in usage:
                spent = usage[model.label]
                if live:  # never priced on the model's own counters
                    spent = usage[model.label] = spent.model_copy()
                spent.cost_usd = price.cost(spent.prompt_tokens, spent.completion_tokens)
        return usage


def _error_record(sample: Sample, exc: Exception) -> SampleError:
    return SampleError(
        sample_id=sample.id,
        model=sample.model,
        dataset=sample.dataset,
        item_id=sample.item.id,
        condition=sample.condition.name,
        error_type=type(exc).__name__,
        message=str(exc)[:2000],
        at=now(),
    )
