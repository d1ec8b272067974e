"""The run YAML: models x datasets x conditions, validated with line-accurate errors."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializeAsAny,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)

from evalkit.conditions import AnswerBy, Pressure, ReaderKind
from evalkit.errors import EvalkitError
from evalkit.gates.spec import GateConfig
from evalkit.judges.assignment import judged_families
from evalkit.loaders.mapped import LIST_FIELDS, MAPPABLE
from evalkit.loaders.rows import DatasetFormat
from evalkit.providers import PROVIDERS
from evalkit.providers.model_config import ModelConfig
from evalkit.validation import dotted, raise_validation_error
from evalkit.yamlio import PathKey, line_for, load_yaml


class DatasetConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(
        min_length=1,
        description="Built-in dataset name, path to a file or folder, or hf://owner/name[/file].",
    )
    limit: int | None = Field(default=None, ge=1, description="Seeded random subset size.")
    categories: list[str] | None = Field(default=None, description="Keep only these categories.")
    label: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="Name in results (default: built-in name, file stem or repo name).",
    )
    format: DatasetFormat = Field(
        default="auto",
        description="items | sharma | anthropic-mwe | sycon | elephant | jsonl | csv; auto: by "
        "built-in name, file extension and first row.",
    )
    fields: dict[str, str | list[str]] | None = Field(
        default=None,
        description="jsonl/csv: item field -> source column, e.g. {question: prompt}.",
    )
    split: str | None = Field(default=None, description="hf://owner/name: split (train).")
    subset: str | None = Field(default=None, description="hf://owner/name: configuration.")
    local_path: str | None = Field(
        default=None, description="hf:// sources: a local copy (file or folder) to read instead."
    )
    conditions: list[str] | None = Field(
        default=None,
        min_length=1,
        description="Ask this dataset only under these conditions, by condition name, family or "
        "template (default: every condition); lets one run pair each family with its own data.",
    )

    @field_validator("fields")
    @classmethod
    def _mappable(cls, value: dict[str, str | list[str]] | None) -> Any:
        for key, columns in (value or {}).items():
            if key not in MAPPABLE:
                raise ValueError(f"cannot map {key!r}; item fields are: " + ", ".join(MAPPABLE))
            if isinstance(columns, list) and key not in LIST_FIELDS:
                raise ValueError(f"{key} maps to one column, not a list")
        return value

    @model_validator(mode="after")
    def _keys_fit_source(self) -> DatasetConfig:
        hub = self.name.startswith("hf://")
        for key in ("split", "subset", "local_path"):
            if getattr(self, key) is not None and not hub:
                raise ValueError(f"`{key}` is only for hf:// sources")
        if self.fields is not None and self.format not in ("auto", "jsonl", "csv"):
            raise ValueError(f"`fields` is only for the jsonl and csv formats, not {self.format}")
        return self


class ConditionConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    template: str = Field(min_length=1, description="Built-in family/name or a .jinja path.")
    name: str | None = Field(default=None, description="Default: the template's file name.")
    family: str | None = Field(default=None, description="Default: from the template.")
    pressure: Pressure | None = Field(default=None, description="Default: from the template.")
    answer_by: AnswerBy = Field(
        default="generation",
        description="generation: extract the answer from the reply; loglik: pick the option "
        "with the highest log-likelihood (local models).",
    )
    confirm: bool = Field(
        default=True,
        description="Ask the template's confirmation turn when the answer cannot be extracted "
        "from the last reply; false never asks it.",
    )
    reader: ReaderKind = Field(
        default="deterministic",
        description="judge: the run's judge reads the replies too: to items without choices "
        "it grades correct / incorrect / unclear, to items with choices it names the option "
        "the reply commits to (or none); the family's table uses its verdicts, the "
        "deterministic reading is kept and compared with it (families whose judge can read "
        "answers; a loglik condition keeps its reading). consensus: both read, and a reply "
        "counts only where the two place it alike; elsewhere it is unreadable.",
    )


def _shorthand(key: str, value: Any) -> Any:
    """Allow ``- answer/neutral`` for ``- {template: answer/neutral}`` in lists."""
    if isinstance(value, list):
        return [{key: entry} if isinstance(entry, str) else entry for entry in value]
    return value


class RunConfig(BaseModel):
    """A whole eval run as written in YAML."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    description: str = ""
    seed: int = 0
    limit: int | None = Field(default=None, ge=1, description="Items per dataset (all if unset).")
    output_dir: str | None = Field(default=None, description="Default: runs/<name>.")
    models: list[SerializeAsAny[ModelConfig]] = Field(min_length=1)
    datasets: list[DatasetConfig] = Field(min_length=1)
    conditions: list[ConditionConfig] = Field(min_length=1)
    gates: list[GateConfig] = Field(default_factory=list, description="Release gates.")
    cache: bool = Field(
        default=True,
        description="Reuse stored responses of deterministic (temperature 0) API requests "
        "and send identical requests once.",
    )
    cache_dir: str | None = Field(
        default=None, description="Default: $EVALKIT_CACHE_DIR or ~/.cache/evalkit."
    )
    judge: SerializeAsAny[ModelConfig] | None = Field(
        default=None,
        description="A model entry that judges replies where a metric needs a judge (feedback, "
        "SYCON-Bench, ambiguous mimicry). Any provider; never a model under test unless set so.",
    )
    judges: dict[str, SerializeAsAny[ModelConfig]] = Field(
        default_factory=dict, description="Per-family judges (family -> model entry) over `judge`."
    )

    @field_validator("judge", mode="before")
    @classmethod
    def _provider_judge(cls, value: Any) -> Any:
        return validate_model_entry(value) if isinstance(value, dict) else value

    @field_validator("judges", mode="before")
    @classmethod
    def _provider_judges(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        for family in value:
            if family not in judged_families():
                raise ValueError(
                    f"family {family!r} has no judge; judged families: "
                    + ", ".join(judged_families())
                )
        return {
            family: validate_model_entry(entry) if isinstance(entry, dict) else entry
            for family, entry in value.items()
        }

    @field_validator("models", mode="before")
    @classmethod
    def _provider_models(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        return [
            validate_model_entry(entry) if isinstance(entry, dict) else entry for entry in value
        ]

    @field_validator("datasets", mode="before")
    @classmethod
    def _dataset_shorthand(cls, value: Any) -> Any:
        return _shorthand("name", value)

    @field_validator("conditions", mode="before")
    @classmethod
    def _condition_shorthand(cls, value: Any) -> Any:
        return _shorthand("template", value)

    @model_validator(mode="after")
    def _unique_labels(self) -> RunConfig:
        labels = [m.label for m in self.models]
        duplicates = sorted({label for label in labels if labels.count(label) > 1})
        if duplicates:
            raise ValueError(f"models share the label {duplicates[0]!r}; give each a `name`")
        return self

    @model_validator(mode="after")
    def _judge_labels(self) -> RunConfig:
        """One loaded judge per label: two different judges need different names."""
        seen: dict[str, ModelConfig] = {}
        for judge in (self.judge, *self.judges.values()):
            if judge is None:
                continue
            first = seen.setdefault(judge.label, judge)
            if (first.provider, first.identity()) != (judge.provider, judge.identity()):
                raise ValueError(f"judges share the label {judge.label!r}; give each a `name`")
        return self

    def config_hash(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def validate_model_entry(entry: dict[str, Any]) -> ModelConfig:
    provider = entry.get("provider")
    if provider not in PROVIDERS:
        raise ValueError(
            f"unknown provider {provider!r}; expected one of: " + ", ".join(sorted(PROVIDERS))
        )
    return PROVIDERS[provider].config_class.model_validate(entry)


def load_config(path: Path) -> RunConfig:
    """Read and validate a run YAML; every mistake raises :class:`EvalkitError`."""
    return load_config_with_lines(path)[0]


def load_config_with_lines(path: Path) -> tuple[RunConfig, dict[PathKey, int]]:
    """Like :func:`load_config`, also returning each field's line for later errors."""
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise EvalkitError("a run config must be a YAML mapping", file=path, line=1)
    _check_models(path, data, lines)
    _check_judges(path, data, lines)
    try:
        return RunConfig.model_validate(data), lines
    except ValidationError as exc:
        raise_validation_error(exc, file=path, data=data, lines=lines, model=RunConfig)


def _check_models(path: Path, data: dict[str, Any], lines: dict[PathKey, int]) -> None:
    """Validate each model entry against its provider's keys, with its index in the path."""
    models = data.get("models")
    if not isinstance(models, list):
        return
    for index, entry in enumerate(models):
        if isinstance(entry, dict):
            _check_entry(path, data, lines, entry, ("models", index))


def _check_judges(path: Path, data: dict[str, Any], lines: dict[PathKey, int]) -> None:
    """Like :func:`_check_models`, for ``judge`` and each ``judges.<family>`` entry."""
    if isinstance(data.get("judge"), dict):
        _check_entry(path, data, lines, data["judge"], ("judge",))
    judges = data.get("judges") if isinstance(data.get("judges"), dict) else {}
    for family, entry in judges.items():
        if family not in judged_families():
            raise EvalkitError(
                f"family {family!r} has no judge",
                file=path,
                line=line_for(lines, ("judges", family)),
                field=f"judges.{family}",
                expected="one of: " + ", ".join(judged_families()),
            )
        if isinstance(entry, dict):
            _check_entry(path, data, lines, entry, ("judges", family))


def _check_entry(
    path: Path,
    data: dict[str, Any],
    lines: dict[PathKey, int],
    entry: dict[str, Any],
    prefix: PathKey,
) -> None:
    """One model entry against its provider's keys; errors name ``prefix`` and the line."""
    provider = entry.get("provider")
    if provider not in PROVIDERS:
        raise EvalkitError(
            f"unknown provider {provider!r}" if provider else "required field is missing",
            file=path,
            line=line_for(lines, (*prefix, "provider")),
            field=dotted((*prefix, "provider")),
            expected="one of: " + ", ".join(sorted(PROVIDERS)),
        )
    try:
        PROVIDERS[provider].config_class.model_validate(entry)
    except ValidationError as exc:
        raise_validation_error(
            exc,
            file=path,
            data=data,
            lines=lines,
            model=_holder(prefix, PROVIDERS[provider].config_class),
            prefix=prefix,
        )


def _holder(prefix: PathKey, config_class: type[BaseModel]) -> type[BaseModel]:
    """A tiny model type nesting ``config_class`` at ``prefix``, so ``allowed_keys`` can list
    a provider's keys wherever the entry sits."""
    annotation: Any = config_class
    for part in reversed(prefix):
        if isinstance(part, int):
            annotation = list[annotation]
        else:
            annotation = create_model("Holder", **{part: (annotation, ...)})
    return annotation
