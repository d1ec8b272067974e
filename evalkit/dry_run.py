"""``evalkit run --dry-run``: what a run would send and roughly what it would cost.

Nothing is sent and no key is needed. Prompt sizes are estimated at about
four characters a token, with every earlier reply assumed to use its whole
``max_new_tokens``, so the figures are upper-bound-ish, not a quote. First
turns are fully known before the run, so the estimate can say how many are
already in the response cache and how many are shared by several samples.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, ConfigDict
from rich.console import Console
from rich.table import Table

from evalkit.judges.assignment import judge_for, judges_condition
from evalkit.judges.requests import max_requests
from evalkit.messages import Message
from evalkit.plan import RunPlan
from evalkit.providers import PROVIDERS, adapter_class
from evalkit.providers.hosted import HostedAdapter, cache_key, resolve_endpoint
from evalkit.providers.response_cache import ResponseCache
from evalkit.records import Sample
from evalkit.runner import reply_is_read

CHARS_PER_TOKEN = 4


class ModelEstimate(BaseModel):
    model_config = ConfigDict(frozen=True, protected_namespaces=())

    model: str
    provider: str
    samples: int
    requests: int
    #: of ``requests``, confirm turns that are asked only when an answer is unreadable
    confirmations_max: int = 0
    scoring_calls: int
    distinct_first_turns: int
    cached_first_turns: int | None
    prompt_tokens: int
    completion_tokens_max: int
    cost_usd_max: float | None


class JudgeEstimate(BaseModel):
    """A family's judge questions for the samples to do: a ceiling (replies decide)."""

    model_config = ConfigDict(frozen=True, protected_namespaces=())

    family: str
    judge: str
    model: str
    questions_max: int


class DryRun(BaseModel):
    model_config = ConfigDict(frozen=True)

    run_name: str
    samples_planned: int
    samples_to_do: int
    models: list[ModelEstimate]
    judges: list[JudgeEstimate] = []


def estimate_run(plan: RunPlan, pending: list[Sample], cache: ResponseCache | None) -> DryRun:
    by_model: dict[str, list[Sample]] = defaultdict(list)
    for sample in pending:
        by_model[sample.model].append(sample)
    estimates = []
    for model in plan.config.models:
        samples = by_model.get(model.label, [])
        params = model.generation
        placeholder = "x" * (params.max_new_tokens * CHARS_PER_TOKEN)
        hosted = PROVIDERS[model.provider].uses_response_cache
        loaded = adapter_class(model.provider) if hosted else None
        endpoint = (
            resolve_endpoint(loaded, getattr(model, "base_url", None))  # type: ignore[arg-type]
            if loaded is not None and issubclass(loaded, HostedAdapter)
            else ""
        )
        requests = confirmations = scoring = prompt_chars = 0
        first_turns: set[str] = set()
        for sample in samples:
            messages: list[Message] = []
            replies: list[str] = []
            last = sample.condition.turns + sample.condition.confirm
            loglik = sample.condition.answer_by == "loglik"
            for turn in range(1, last + 1):
                # a loglik turn is generated only where its text is read (as the runner does)
                generated = not loglik or reply_is_read(sample, turn)
                confirmations += generated and turn > sample.condition.turns  # only if needed
                rendered = plan.render(sample, turn, replies)
                if turn == 1 and rendered.system:
                    messages.append(Message(role="system", content=rendered.system))
                messages.append(Message(role="user", content=rendered.user))
                requests += generated
                scoring += loglik
                prompt_chars += sum(len(m.content) for m in messages)
                if turn == 1 and loaded is not None and issubclass(loaded, HostedAdapter):
                    request = loaded.request_body(model, messages, params)
                    first_turns.add(cache_key(loaded.provider, endpoint, request))
                replies.append(placeholder)
                messages.append(Message(role="assistant", content=placeholder))
        cached = None
        if cache is not None and hosted and params.greedy:
            cached = sum(cache.get(key) is not None for key in first_turns)
        prompt_tokens = prompt_chars // CHARS_PER_TOKEN
        completion_max = requests * params.max_new_tokens
        price = getattr(model, "price", None)
        estimates.append(
            ModelEstimate(
                model=model.label,
                provider=model.provider,
                samples=len(samples),
                requests=requests,
                confirmations_max=confirmations,
                scoring_calls=scoring,
                distinct_first_turns=len(first_turns) if hosted else 0,
                cached_first_turns=cached,
                prompt_tokens=prompt_tokens,
                completion_tokens_max=completion_max,
                cost_usd_max=price.cost(prompt_tokens, completion_max) if price else None,
            )
        )
    return DryRun(
        run_name=plan.config.name,
        samples_planned=plan.sample_count,
        samples_to_do=len(pending),
        models=estimates,
        judges=_judges(plan, pending),
    )


def _judges(plan: RunPlan, pending: list[Sample]) -> list[JudgeEstimate]:
    estimates = []
    for family in sorted({s.condition.family for s in pending if judges_condition(s.condition)}):
        judge = judge_for(plan.config, family)
        if judge is None:
            continue
        estimates.append(
            JudgeEstimate(
                family=family,
                judge=judge.label,
                model=f"{judge.provider}:{judge.model}",
                questions_max=max_requests(family, pending),
            )
        )
    return estimates


def render_dry_run(estimate: DryRun, console: Console) -> None:
    table = Table(
        title=f"dry run of {estimate.run_name}: {estimate.samples_to_do} of "
        f"{estimate.samples_planned} samples to do; nothing was sent",
        title_justify="left",
    )
    for column in (
        "model",
        "provider",
        "samples",
        "requests",
        "first turns\n(distinct / cached)",
        "prompt tokens\n(estimate)",
        "completion tokens\n(at most)",
        "cost USD\n(at most)",
    ):
        table.add_column(column)
    for m in estimate.models:
        requests = f"{m.requests:,}"
        if m.confirmations_max:
            requests += f"\n(incl. ≤{m.confirmations_max:,} confirmations)"
        if m.scoring_calls:
            requests += f" + {m.scoring_calls:,} scoring"
        first = "-"
        if m.distinct_first_turns:
            cached = "cache off" if m.cached_first_turns is None else f"{m.cached_first_turns:,}"
            first = f"{m.distinct_first_turns:,} / {cached}"
        table.add_row(
            m.model,
            m.provider,
            f"{m.samples:,}",
            requests,
            first,
            f"~{m.prompt_tokens:,}",
            f"{m.completion_tokens_max:,}",
            "-" if m.cost_usd_max is None else f"{m.cost_usd_max:,.2f}",
        )
    console.print(table)
    if estimate.judges:
        judges = Table(
            title="judge questions for the samples to do (at most: identical feedback and "
            "replies that need no verdict are never asked)",
            title_justify="left",
        )
        for column in ("family", "judge", "questions\n(at most)"):
            judges.add_column(column)
        for j in estimate.judges:
            judges.add_row(j.family, f"{j.judge} ({j.model})", f"{j.questions_max:,}")
        console.print(judges)
