"""Which model judges which family, and whether it is (wrongly) a model under test."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from evalkit.errors import EvalkitError
from evalkit.providers.model_config import ModelConfig
from scorers import registry

if TYPE_CHECKING:
    from evalkit.conditions import Condition
    from evalkit.config import RunConfig


def judged_families() -> dict[str, bool]:
    """family -> True when its main figure cannot be computed without a judge."""
    return {
        name: family.judge.required
        for name, family in sorted(registry.families().items())
        if family.judge is not None
    }


def judges_condition(condition: Condition) -> bool:
    """Whether a judge reads this condition's replies: its family has one, and a judge that
    grades answers only does so where the condition asks for it (``reader: judge``)."""
    spec = registry.get(condition.family).judge
    return spec is not None and (not spec.reads_answers or condition.read_by_judge)


def families_to_judge(config: RunConfig, conditions: Iterable[Condition]) -> list[str]:
    """The families of ``conditions`` whose replies a configured judge reads: the run is not
    complete before their judging pass has finished."""
    judged = {c.family for c in conditions if judges_condition(c)}
    return sorted(f for f in judged if judge_for(config, f) is not None)


def judge_for(config: RunConfig, family: str) -> ModelConfig | None:
    """The family's own judge (``judges.<family>``), else the run's ``judge``, else None."""
    if family not in judged_families():
        return None
    return config.judges.get(family) or config.judge


def judge_label(judge: ModelConfig) -> str:
    """Key of the judge in usage and manifests; never collides with a model under test."""
    return f"judge/{judge.label}"


def same_model(a: ModelConfig, b: ModelConfig) -> bool:
    """Same provider, weights and endpoint: labels and generation settings do not matter."""
    return (
        a.provider == b.provider
        and a.model == b.model
        and getattr(a, "base_url", None) == getattr(b, "base_url", None)
        and getattr(a, "gguf_file", None) == getattr(b, "gguf_file", None)
    )


def models_judged_by_themselves(config: RunConfig, family: str) -> list[str]:
    """Labels of models under test that are also this family's judge."""
    judge = judge_for(config, family)
    if judge is None:
        return []
    return [m.label for m in config.models if same_model(m, judge)]


def fingerprint(judge: ModelConfig, template_sha256: str) -> str:
    """Verdicts of another judge or prompt are different verdicts: part of each key."""
    identity = {"judge": judge.identity(), "template": template_sha256}
    canonical = json.dumps(identity, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def missing_judge(config: RunConfig, condition: Condition) -> EvalkitError | None:
    """The error for a condition whose family cannot be scored without a judge, if any."""
    family = condition.family
    if condition.read_by_judge and judge_for(config, family) is None:
        return EvalkitError(
            f"condition {condition.name!r} is read by a judge (reader: {condition.reader}), "
            "but the config names none",
            field="reader",
            expected="a top-level `judge:` model entry (e.g. {provider: openai, model: "
            f"gpt-4o-mini}}) or `judges: {{{family}: …}}`, or `reader: deterministic`",
        )
    if not judged_families().get(family) or judge_for(config, family) is not None:
        return None
    return EvalkitError(
        f"family {family!r} (condition {condition.name!r}) is scored by a judge, "
        "but the config names none",
        field="template",
        expected="a top-level `judge:` model entry (e.g. {provider: openai, model: gpt-4o-mini}) "
        f"or `judges: {{{family}: …}}`",
    )
