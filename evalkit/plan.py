"""Resolve a validated config into the exact samples a run will execute.

Everything that can be wrong with the input (templates, datasets, families,
renderability of every turn) is checked here, before any model is loaded or
anything is written. The samples themselves are not held: a plan makes them, in
planning order, when asked (:meth:`RunPlan.iter_samples`), so a run's memory is
bounded by the samples in flight, not by how many it plans.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from evalkit.conditions import Condition, ConditionTemplate, RenderedTurn, find_template
from evalkit.config import ConditionConfig, RunConfig, load_config_with_lines
from evalkit.config_paths import config_input
from evalkit.dataset import Dataset, load_dataset, select_items
from evalkit.errors import EvalkitError
from evalkit.items import Item
from evalkit.judges.assignment import missing_judge
from evalkit.providers import PROVIDERS
from evalkit.records import PushedAnswer, Sample, sample_id
from evalkit.validation import dotted
from evalkit.yamlio import PathKey, line_for
from scorers import registry

#: A first turn as rendered: its user message alone when it has no system message or
#: prefill (most), else (system, user, prefill); a fraction of the size of its model.
FirstTurn = str | tuple[str | None, str, str | None]
#: Characters of first turns a plan keeps for the run: past them (long prompts, huge runs)
#: the run renders the rest again, so a plan's memory stays bounded (~16,000 prompts of
#: 250 characters are kept).
FIRST_TURNS_MAX_CHARS = 4_000_000


@dataclass(frozen=True)
class RunPlan:
    config: RunConfig
    config_path: Path
    datasets: list[Dataset]
    conditions: list[Condition]
    templates: dict[str, ConditionTemplate]  # by condition name
    #: the conditions each dataset is asked under, in the order of ``datasets``
    asked: list[list[Condition]]
    plan_hash: str
    lines: dict[PathKey, int]
    #: (dataset, condition) -> items not asked under that condition (see ``not_asked_under``)
    not_asked: dict[tuple[str, str], int] = field(default_factory=dict)
    #: (dataset, condition) -> item id -> the item's first turn as the plan's check rendered
    #: it: what :meth:`render` hands out, so it is rendered once
    first_turns: dict[tuple[str, str], dict[str, FirstTurn]] = field(default_factory=dict)
    #: the config's ``cache_dir``, resolved and checked; None: the default cache
    cache_dir: Path | None = None

    def render(self, sample: Sample, turn: int, replies: list[str]) -> RenderedTurn:
        """User turn ``turn`` of ``sample`` after ``replies``: the first as the plan's check
        rendered it (no reply precedes it, so it is the same text), the others now."""
        if turn == 1:
            asked = self.first_turns.get((sample.dataset, sample.condition.name), {})
            first = asked.get(sample.item.id)
            # validated, not model_construct: pydantic's check of three strings is quicker
            if isinstance(first, str):
                return RenderedTurn(system=None, user=first)
            if first is not None:
                system, user, prefill = first
                return RenderedTurn(system=system, user=user, prefill=prefill)
        return self.templates[sample.condition.name].render(turn, sample.item, replies)

    def iter_samples(self, model: str | None = None) -> Iterator[Sample]:
        """Every planned sample (of ``model`` only, if given), made one at a time in planning
        order: models, datasets, items, conditions. Nothing holds them but the caller."""
        for label, dataset, item, condition in self._planned(model):
            yield Sample(
                model=label,
                dataset=dataset.name,
                item=item,
                condition=condition,
                pushed=pushed_answer(item, condition),
            )

    def sample_ids(self) -> Iterator[tuple[str, str]]:
        """(model, sample id) of every planned sample, in planning order, without making the
        samples: what counting, resuming and finishing a run need."""
        for label, dataset, item, condition in self._planned():
            yield label, sample_id(label, dataset.name, condition.name, item.id)

    @property
    def samples(self) -> list[Sample]:
        """Every planned sample as a list: for callers that need them all at once (a dry
        run's estimate, tests); a run iterates instead (:meth:`iter_samples`)."""
        return list(self.iter_samples())

    @property
    def sample_count(self) -> int:
        """How many samples the plan has, counted without making them."""
        return sum(1 for _ in self._planned())

    def _planned(self, model: str | None = None) -> Iterator[tuple[str, Dataset, Item, Condition]]:
        """(model, dataset, item, condition) of each planned sample, in planning order."""
        for config in self.config.models:
            if model is not None and config.label != model:
                continue
            for dataset, asked in zip(self.datasets, self.asked, strict=True):
                for item in dataset.items:
                    for condition in asked:
                        if asked_under(item, condition):
                            yield config.label, dataset, item, condition

    def not_asked_lines(self) -> list[str]:
        """One line per dataset and condition that leaves items out, with the count."""
        return [
            f"dataset {dataset!r}: {count} item(s) not asked under condition {condition!r} "
            "(the dataset marks them so; see its load report)"
            for (dataset, condition), count in sorted(self.not_asked.items())
        ]

    def invented_lines(self, dataset: str) -> list[str]:
        """Per condition that pushes an answer the dataset's loader chose (the data gave
        none), how many samples of one model push it: said beside the load report."""
        first = self.config.models[0].label
        counts: dict[str, int] = {}
        for _, asked, item, condition in self._planned(first):  # no sample made for this
            if asked.name == dataset and _pushes_invented(item, condition):
                counts[condition.name] = counts.get(condition.name, 0) + 1
        return [
            f"  condition {name!r} pushes a wrong answer the data does not give on {count} "
            "item(s): the loader's choice, recorded with each sample (pushed.invented)"
            for name, count in sorted(counts.items())
        ]

    def config_error(self, exc: EvalkitError, path: PathKey) -> EvalkitError:
        """Re-point an error at the config field ``path`` it came from."""
        return _at(exc, self.config_path, self.lines, path)

    def default_output_dir(self) -> Path:
        return Path(self.config.output_dir or Path("runs") / self.config.name)


def build_plan(config_path: Path, *, limit: int | None = None) -> RunPlan:
    """Load ``config_path`` and everything it references; ``limit`` overrides the config's."""
    config, lines = load_config_with_lines(config_path)
    base_dir = config_path.resolve().parent
    cache_dir = None
    if config.cache_dir:  # resolved and checked here, where the error can name its line
        try:
            cache_dir = config_input(config.cache_dir, base_dir, None)
        except EvalkitError as exc:
            raise _at(exc, config_path, lines, ("cache_dir",)) from None
    templates: dict[str, ConditionTemplate] = {}
    conditions: list[Condition] = []
    for index, entry in enumerate(config.conditions):
        try:
            condition, template = _resolve_condition(entry, base_dir)
        except EvalkitError as exc:
            raise _at(exc, config_path, lines, ("conditions", index)) from None
        if condition.name in templates:
            raise _at(
                EvalkitError(
                    f"two conditions are named {condition.name!r}",
                    field="name",
                    expected="unique condition names (set `name:`)",
                ),
                config_path,
                lines,
                ("conditions", index),
            )
        templates[condition.name] = template
        conditions.append(condition)

    _check_option_scoring(config, conditions, config_path, lines)
    for index, condition in enumerate(conditions):
        error = missing_judge(config, condition)
        if error is not None:
            raise _at(error, config_path, lines, ("conditions", index))

    datasets: list[Dataset] = []
    paired: list[list[Condition]] = []  # the conditions each dataset is asked under
    for index, entry in enumerate(config.datasets):
        try:
            paired.append(_paired_conditions(entry.conditions, conditions))
        except EvalkitError as exc:
            raise _at(exc, config_path, lines, ("datasets", index, "conditions")) from None
        try:
            dataset = load_dataset(entry, base_dir)
        except EvalkitError as exc:
            if exc.file is None:
                where = ("datasets", index) if exc.field else ("datasets", index, "name")
                exc = _at(exc, config_path, lines, where)
            raise exc from None
        present = sorted({item.category for item in dataset.items})
        absent = [c for c in entry.categories or [] if c not in present]
        if absent:  # one typo among several used to drop that category without a word
            raise _at(
                EvalkitError(
                    f"no item of category {absent[0]!r} in this dataset",
                    expected="categories of " + str(dataset.path) + ": " + ", ".join(present),
                ),
                config_path,
                lines,
                ("datasets", index, "categories"),
            )
        items = select_items(
            dataset.items,
            limit=limit or entry.limit or config.limit,
            seed=config.seed,
            categories=entry.categories,
        )
        if not items:
            raise _at(
                EvalkitError(
                    "no items left after the category filter",
                    expected="categories present in " + str(dataset.path),
                ),
                config_path,
                lines,
                ("datasets", index, "categories"),
            )
        datasets.append(dataset.model_copy(update={"items": items}))

    for index, condition in enumerate(conditions):
        if not any(condition in asked for asked in paired):
            raise _at(
                EvalkitError(
                    f"condition {condition.name!r} is asked of no dataset",
                    expected="its name or family in some dataset's `conditions:`",
                ),
                config_path,
                lines,
                ("conditions", index),
            )
    error = _sample_id_clash(config, conditions, datasets, paired)
    if error is not None:
        raise _at(error[0], config_path, lines, error[1])
    not_asked: dict[tuple[str, str], int] = {}
    first_turns: dict[tuple[str, str], dict[str, FirstTurn]] = {}
    budget = FIRST_TURNS_MAX_CHARS
    for dataset, asked in zip(datasets, paired, strict=True):
        for condition in asked:
            skipped = [i for i in dataset.items if not asked_under(i, condition)]
            if skipped:
                not_asked[(dataset.name, condition.name)] = len(skipped)
            kept = first_turns[(dataset.name, condition.name)] = {}
            for item_id, first in _check_renders(templates[condition.name], condition, dataset):
                budget -= _chars(first)
                if budget >= 0:
                    kept[item_id] = first

    return RunPlan(
        config=config,
        config_path=config_path,
        datasets=datasets,
        conditions=conditions,
        templates=templates,
        asked=paired,
        plan_hash=_plan_hash(config, conditions, templates, datasets),
        lines=lines,
        not_asked=not_asked,
        first_turns=first_turns,
        cache_dir=cache_dir,
    )


def pushed_answer(item: Item, condition: Condition) -> PushedAnswer | None:
    """The wrong answer ``condition`` puts forward for ``item``, as recorded with the sample."""
    if not condition.pushes or item.incorrect_answer is None:
        return None
    return PushedAnswer(text=item.incorrect_answer, invented=item.incorrect_answer_invented)


def _pushes_invented(item: Item, condition: Condition) -> bool:
    """Does ``condition`` push a wrong answer for ``item`` that its loader chose?
    (:func:`pushed_answer`'s ``invented``, without making it.)"""
    return condition.pushes and item.incorrect_answer is not None and item.incorrect_answer_invented


def asked_under(item: Item, condition: Condition) -> bool:
    """False when the item's data says it cannot be asked under this condition's template
    (``metadata.not_asked_under``: e.g. a Perez et al. political-typology question, whose
    biography ``opinion/without_view`` cannot remove)."""
    return condition.template not in item.metadata.get("not_asked_under", ())


def _sample_id_clash(
    config: RunConfig,
    conditions: list[Condition],
    datasets: list[Dataset],
    paired: list[list[Condition]],
) -> tuple[EvalkitError, PathKey] | None:
    """Why two planned samples would get one :func:`sample_id`, and where, if they would.

    A run keeps, resumes and pairs samples by their id, so a clash loses one of them:
    a ``|`` in a name shifts the id's parts; two datasets of one name (``a/x.jsonl``
    and ``b/x.jsonl``) give their items one identity, and mix in the plan's hash.
    """
    named: list[tuple[str, str, PathKey]] = [
        *(("model", m.label, ("models", i)) for i, m in enumerate(config.models)),
        *(("condition", c.name, ("conditions", i)) for i, c in enumerate(conditions)),
        *(("dataset", d.name, ("datasets", i)) for i, d in enumerate(datasets)),
    ]
    for what, name, where in named:
        if "|" in name:
            return EvalkitError(
                f"{what} name {name!r} contains '|', which separates the parts of a sample id",
                expected="a name without '|' (`label:` for a dataset, `name:` otherwise)",
            ), where
    seen: dict[str, int] = {}
    for index, dataset in enumerate(datasets):
        first = seen.setdefault(dataset.name, index)
        if first == index:
            continue
        other = datasets[first]
        if (other.path, other.sha256) != (dataset.path, dataset.sha256):
            return EvalkitError(
                f"two datasets are named {dataset.name!r} ({other.path} and {dataset.path}), "
                "so their items would share sample ids",
                expected="a `label:` for one of them",
            ), ("datasets", index)
        shared = [c.name for c in paired[index] if c in paired[first]]
        if shared:
            return EvalkitError(
                f"dataset {dataset.name!r} is listed twice and asked condition {shared[0]!r} "
                "in both, so those samples would share sample ids",
                expected="each condition once per dataset (`conditions:` on each entry)",
            ), ("datasets", index)
    return None


def _at(
    exc: EvalkitError, config_path: Path, lines: dict[PathKey, int], path: PathKey
) -> EvalkitError:
    """``exc`` located at config field ``path`` (plus the field the error named, if any).

    Errors that already name their own file (a template, a dataset) are kept.
    """
    if exc.file is not None:
        return exc
    full = (*path, exc.field) if exc.field else path
    return EvalkitError(
        exc.message,
        file=config_path,
        line=line_for(lines, full),
        field=dotted(full),
        expected=exc.expected,
    )


def _paired_conditions(names: list[str] | None, conditions: list[Condition]) -> list[Condition]:
    """The conditions a dataset entry asks for (by name, family or template); all by default."""
    if names is None:
        return list(conditions)
    known = {key for c in conditions for key in (c.name, c.family, c.template)}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise EvalkitError(
            f"no condition, family or template named {unknown[0]!r} in this run",
            expected="one of: " + ", ".join(sorted(known)),
        )
    return [c for c in conditions if {c.name, c.family, c.template} & set(names)]


def _resolve_condition(
    entry: ConditionConfig, base_dir: Path
) -> tuple[Condition, ConditionTemplate]:
    """Errors name the field of the condition entry; the caller locates the entry."""
    try:
        path, builtin_family = find_template(entry.template, base_dir)
    except EvalkitError as exc:
        raise EvalkitError(exc.message, field="template", expected=exc.expected) from None
    template = ConditionTemplate(entry.template, path)
    family = entry.family or template.header.family or builtin_family
    pressure = entry.pressure or template.header.pressure
    missing = [name for name, value in (("family", family), ("pressure", pressure)) if not value]
    if missing:
        raise EvalkitError(
            f"template {entry.template!r} does not declare {' or '.join(missing)}",
            field=missing[0],
            expected="set it here or in the template's `{#- evalkit … -#}` header",
        )
    known = registry.get(family)
    if pressure not in known.pressures:
        raise EvalkitError(
            f"family {family!r} does not score pressure {pressure!r} (template {entry.template!r})",
            field="pressure",
            expected="one of: " + ", ".join(known.pressures),
        )
    if entry.reader != "deterministic" and not (known.judge and known.judge.reads_answers):
        readers = [n for n, f in registry.families().items() if f.judge and f.judge.reads_answers]
        raise EvalkitError(
            f"family {family!r} has no judge that grades answers (template {entry.template!r})",
            field="reader",
            expected="reader: deterministic, or a condition of: " + ", ".join(sorted(readers)),
        )
    condition = Condition(
        name=entry.name or path.stem,
        family=family,
        pressure=pressure,
        answer_by=entry.answer_by,
        template=entry.template,
        turns=template.turn_count,
        confirm=entry.confirm and template.has_confirm,
        strength=template.header.strength,
        description=template.header.description,
        reader=entry.reader,
        pushes=pressure == "toward_incorrect" or template.names_incorrect,
    )
    return condition, template


def _check_option_scoring(
    config: RunConfig,
    conditions: list[Condition],
    config_path: Path,
    lines: dict[PathKey, int],
) -> None:
    """``answer_by: loglik`` needs a provider that can score options (a local model)."""
    for index, condition in enumerate(conditions):
        if condition.answer_by != "loglik":
            continue
        for model in config.models:
            if not PROVIDERS[model.provider].supports_option_scores:
                raise _at(
                    EvalkitError(
                        f"condition {condition.name!r} scores by loglik, which provider "
                        f"{model.provider!r} (model {model.label!r}) cannot do",
                        field="answer_by",
                        expected="answer_by: generation, or a transformers model",
                    ),
                    config_path,
                    lines,
                    ("conditions", index),
                )


def _chars(first: FirstTurn) -> int:
    if isinstance(first, str):
        return len(first)
    return sum(len(part) for part in first if part is not None)


def _check_renders(
    template: ConditionTemplate, condition: Condition, dataset: Dataset
) -> Iterator[tuple[str, FirstTurn]]:
    """Render every turn of the condition for every item asked under it, with placeholder
    replies; yields (item id, its first turn), which no reply precedes: the run sends it."""
    for item in dataset.items:
        if not asked_under(item, condition):
            continue
        if registry.get(condition.family).needs_choices and not item.is_multiple_choice:
            raise EvalkitError(
                f"family {condition.family!r} (condition {condition.name!r}) scores "
                f"multiple choice, but item {item.id!r} has no choices",
                file=dataset.path,
                field="choices",
                expected="a `choices` list on every item",
            )
        if condition.answer_by == "loglik" and not item.is_multiple_choice:
            raise EvalkitError(
                f"condition {condition.name!r} scores by loglik, "
                f"but item {item.id!r} has no choices",
                file=dataset.path,
                field="choices",
                expected="multiple-choice items, or answer_by: generation",
            )
        if condition.pushes and item.incorrect_answer is None:
            raise EvalkitError(
                f"condition {condition.name!r} pushes the incorrect answer but item "
                f"{item.id!r} has none",
                file=dataset.path,
                field="incorrect_answer",
                expected="every item to have an incorrect_answer",
            )
        if condition.confirm and not item.is_multiple_choice:
            raise EvalkitError(
                f"condition {condition.name!r} asks its confirmation turn when the answer "
                f"cannot be extracted, which needs choices, but item {item.id!r} has none",
                file=dataset.path,
                field="choices",
                expected="multiple-choice items, or `confirm: false` on the condition",
            )
        try:
            first = template.render(1, item, [])
            replies = ["(reply 1)"]
            for turn in range(2, condition.turns + condition.confirm + 1):
                template.render(turn, item, replies)
                replies.append(f"(reply {turn})")
        except EvalkitError as exc:  # the template may fail on one item's data alone
            raise EvalkitError(
                f"{exc.message.rstrip('.')}, rendering item {item.id!r} of {dataset.path}",
                file=exc.file,
                line=exc.line,
                field=exc.field,
                expected=exc.expected,
            ) from None
        plain = first.system is None and first.prefill is None
        yield item.id, first.user if plain else (first.system, first.user, first.prefill)


def _identity(condition: Condition) -> dict[str, object]:
    """A condition as the plan hash sees it; the default reader is left out, so runs from
    before ``reader`` existed keep their hash, and so is ``pushes``."""
    exclude = {"pushes"}  # follows from the pressure and the template, both hashed
    if condition.reader == "deterministic":
        exclude.add("reader")
    return condition.model_dump(mode="json", exclude=exclude)


def _plan_hash(
    config: RunConfig,
    conditions: list[Condition],
    templates: dict[str, ConditionTemplate],
    datasets: list[Dataset],
) -> str:
    """Identity of what the samples mean: models, conditions, template and data contents.

    Limits, names and the output folder are left out, so a larger ``--limit`` can
    extend an existing run, while an edited template or dataset cannot mix with it.
    Files a template includes count as the template: called after every turn was
    rendered for every item, so includes chosen dynamically are loaded (and hashed)
    the same way each time the same plan is built. Templates without includes hash
    as before, so existing runs keep their hash.
    """
    identity: dict[str, object] = {
        "seed": config.seed,
        "models": [m.identity() for m in config.models],
        "conditions": [_identity(c) for c in conditions],
        "templates": {name: t.sha256 for name, t in templates.items()},
        "datasets": {d.name: d.sha256 for d in datasets},
    }
    included = {name: t.included for name, t in templates.items() if t.included}
    if included:
        identity["template_includes"] = included
    canonical = json.dumps(identity, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
