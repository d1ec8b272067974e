"""Release gates as written in the run YAML, and what evaluating one found.

A gate names a metric (family, condition, model, optionally category) and one
bound: absolute (``max:`` / ``min:``, checked on the value or an interval end)
or a regression against a baseline run directory (``baseline:``, a margin, an
alpha). Evaluation lives in :mod:`evalkit.gates.evaluate`; this module only has the
shapes, so the config can import it without pulling in the scorers.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

BoundOn = Literal["value", "upper_ci", "lower_ci", "worst_case"]


class GateConfig(BaseModel):
    """One gate. Field order matters: cross-field checks sit on the later field, so an
    error points at the line of the key that conflicts."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="Test id: `pytest -k name`.")
    metric: str = Field(min_length=1, description="A catalogue metric, e.g. capitulation.")
    family: str | None = Field(default=None, description="Default: the condition's family.")
    condition: str = Field(min_length=1, description="A condition name of this run.")
    model: str | None = Field(default=None, description="Model label; optional with one model.")
    category: str | None = Field(default=None, description="Only items of this category.")
    upper: float | None = Field(default=None, alias="max", ge=-1, le=1)
    lower: float | None = Field(default=None, alias="min", ge=-1, le=1)
    baseline: str | None = Field(
        default=None, min_length=1, description="Run directory, relative to this YAML."
    )
    on: BoundOn | None = Field(default=None, description="Absolute gates: value (default), …")
    baseline_model: str | None = Field(default=None, description="Model label in the baseline.")
    max_increase: float | None = Field(default=None, ge=0, lt=1)
    max_decrease: float | None = Field(default=None, ge=0, lt=1)
    alpha: float | None = Field(default=None, gt=0, lt=1, description="Default 0.05.")

    @model_validator(mode="before")
    @classmethod
    def _yaml_on(cls, data: Any) -> Any:
        """YAML 1.1 reads a bare ``on:`` key as the boolean True."""
        if isinstance(data, dict) and True in data and "on" not in data:
            data = {("on" if key is True else key): value for key, value in data.items()}
        return data

    @field_validator("lower")
    @classmethod
    def _one_absolute_bound(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is not None and info.data.get("upper") is not None:
            raise ValueError("give one bound per gate: max or min, not both")
        return value

    @field_validator("baseline")
    @classmethod
    def _not_both_kinds(cls, value: str | None, info: ValidationInfo) -> str | None:
        absolute = [k for k in ("upper", "lower") if info.data.get(k) is not None]
        if value is not None and absolute:
            given = "max" if absolute[0] == "upper" else "min"
            raise ValueError(
                f"a gate is absolute ({given}) or a regression (baseline), not both; "
                f"got {given} and baseline"
            )
        return value

    @field_validator("on")
    @classmethod
    def _on_is_absolute(cls, value: BoundOn | None, info: ValidationInfo) -> BoundOn | None:
        if value is not None and info.data.get("baseline") is not None:
            raise ValueError("`on` applies to absolute gates (max/min), not to baseline gates")
        return value

    @field_validator("baseline_model", "max_increase", "max_decrease", "alpha")
    @classmethod
    def _regression_only(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None and info.data.get("baseline") is None:
            raise ValueError(f"`{info.field_name}` applies to regression gates; set `baseline:`")
        both = info.field_name == "max_decrease" and info.data.get("max_increase") is not None
        if value is not None and both:
            raise ValueError("give max_increase or max_decrease, not both")
        return value

    @model_validator(mode="after")
    def _has_bound(self) -> GateConfig:
        if self.upper is None and self.lower is None and self.baseline is None:
            raise ValueError(
                f"gate {self.name!r} has no bound: give `max:` or `min:` (absolute) "
                "or `baseline:` (regression)"
            )
        return self

    @property
    def kind(self) -> Literal["absolute", "regression"]:
        return "regression" if self.baseline is not None else "absolute"


class FlippedItem(BaseModel):
    """An item that counts against the gate, with its transcript's first lines."""

    model_config = ConfigDict(frozen=True)

    item: str  # dataset|item id
    change: str  # e.g. "0 -> 1" (baseline -> candidate) or "1" for an absolute gate
    transcript: str


class GateResult(BaseModel):
    """What evaluating one gate found; the CLI table, the pytest report and JSON use it."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: Literal["absolute", "regression"]
    passed: bool
    metric: str
    family: str
    condition: str
    model: str
    category: str | None = None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    #: items in the metric's denominator whose answer was unreadable (left out of n)
    unreadable: int = 0
    #: items inside n whose answer or verdict was unreadable, at the value the metric's
    #: definition gives them (Sharma's "not correct", the inspect_evals port's NOANSWER)
    imputed: int = 0
    #: the value had every unreadable answer gone the worse way (a rate or a difference)
    worst_case: float | None = None
    bound: str
    baseline: str | None = None  # run directory
    baseline_value: float | None = None
    baseline_n: int | None = None
    baseline_unreadable: int | None = None
    baseline_imputed: int | None = None
    difference: float | None = None  # paired, candidate - baseline, over shared items
    n_pairs: int | None = None
    worse: int | None = None  # discordant pairs that got worse
    better: int | None = None
    p_value: float | None = None
    test: str | None = None
    message: str
    #: what a pass may hide: unreadable answers that could breach the bound, or more of
    #: them than in the baseline (a model that dodges the question is not measured)
    warning: str | None = None
    flipped: list[FlippedItem] = Field(default_factory=list)

    def value_text(self) -> str:
        """``0.000 [0.000, 0.161] n=20 +40 unreadable (worst case 0.667)``; ``n=4 incl. 4
        unreadable`` when the definition counts them inside n."""
        text = f"{_num(self.value)} [{_num(self.ci_low)}, {_num(self.ci_high)}] n={self.n}"
        text += _unreadable_text(self.imputed, self.unreadable)
        if self.worst_case is not None:  # set only when some answer was unreadable
            text += f" (worst case {_num(self.worst_case)})"
        return text

    def baseline_text(self) -> str:
        text = f"{_num(self.baseline_value)} n={self.baseline_n}"
        return text + _unreadable_text(self.baseline_imputed, self.baseline_unreadable)

    def report(self) -> str:
        """Multi-line text for a failing pytest item or a log."""
        lines = [
            f"gate {self.name}: {'PASSED' if self.passed else 'FAILED'} — {self.message}",
            f"  metric:   {self.family}/{self.metric} on {self.condition} (model {self.model}"
            + (f", category {self.category})" if self.category else ")"),
            f"  value:    {self.value_text()} (95% CI)",
            f"  bound:    {self.bound}",
        ]
        if self.warning:
            lines.append(f"  warning:  {self.warning}")
        if self.kind == "regression":
            lines += [
                f"  baseline: {self.baseline_text()}  ({self.baseline})",
                f"  paired:   difference {_num(self.difference, signed=True)} over "
                f"{self.n_pairs} items; {self.worse} worse, {self.better} better",
                f"  p-value:  {_p(self.p_value)} ({self.test})",
            ]
        if self.flipped:
            lines.append(f"  worst {len(self.flipped)} items:")
            lines += [f"    {f.item} [{f.change}] {f.transcript}" for f in self.flipped]
        return "\n".join(lines)


def _num(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.3f}" if signed else f"{value:.3f}"


def _p(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2g}" if value < 0.001 else f"{value:.3f}"


def _unreadable_text(imputed: int | None, unreadable: int | None) -> str:
    """`` incl. 4 unreadable`` (inside n, at the definition's value), `` +2 unreadable``
    (left out of n), both, or nothing."""
    text = f" incl. {imputed} unreadable" if imputed else ""
    return text + (f" +{unreadable} unreadable" if unreadable else "")
