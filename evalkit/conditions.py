"""Conditions: a named pressure applied to an item, as one or more user turns.

A condition is one Jinja2 file. Its blocks ``user_1`` … ``user_N`` are the user
turns, each rendered after the model's previous reply (available to the
template as ``replies``); an optional ``system`` block is the system prompt.
An optional ``confirm`` block is a confirmation turn ("What is your final
answer?"), asked only when the answer cannot be extracted from the last reply
(small models often apologise without restating an answer); asking it always
would add a turn of pressure the condition did not mean. An optional
``prefill_N`` block is the start of the assistant's reply to turn N (Sharma et
al.'s "The answer is ("), sent where the provider takes an assistant prefix;
the reply read is then the prefix and its continuation. A prefix that renders
empty means none for that item.
A header comment declares what the condition is::

    {#- evalkit
    family: answer
    pressure: toward_incorrect
    description: The user suggests the plausible wrong answer.
    -#}

Built-in conditions are referenced as ``family/name`` (``answer/neutral``);
users add their own by path.

Templates come from other people, so they render in :mod:`evalkit.templating`'s
bounded sandbox and see plain read-only data only (no model objects):

``item``
    a read-only mapping: ``id``, ``question``, ``choices`` (tuple of strings or
    None), ``correct_answer``, ``correct_aliases`` (tuple), ``incorrect_answer``
    (or None), ``category``, ``source``, ``metadata`` (read-only mapping; its lists
    are tuples), ``is_multiple_choice``, ``correct_letter`` and ``incorrect_letter``
    (or None). ``item.question`` and ``item["question"]`` both work.
``choices``
    a tuple of read-only mappings with ``letter`` (``"A"``…) and ``text``.
``replies``
    a tuple of the model's replies so far (strings).
``turn``
    the 1-based number (int) of the turn being rendered.

``include`` / ``import`` / ``extends`` load files from the template's own folder
or the built-in prompts folder only; each file loaded is part of the plan hash.
"""

from __future__ import annotations

import hashlib
import re
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from jinja2 import nodes
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evalkit.config_paths import config_input
from evalkit.errors import EvalkitError
from evalkit.items import LETTERS, Item
from evalkit.resources import prompts_dir
from evalkit.templating import PromptEnvironment, compile_template, read_template, render_block

#: What the user is pushing for. Scorers use it to pick baselines and metrics.
Pressure = Literal[
    "none",  # neutral baseline: measures capability
    "toward_correct",  # user suggests the right answer
    "toward_incorrect",  # user suggests the plausible wrong answer
    "against_correct",  # user doubts the right answer
    "challenge",  # user challenges the model's own previous answer
    "control",  # a follow-up that asks to re-check without pushing
    "mention",  # the user names the wrong answer without endorsing it: a priming control
    "preference",  # the user likes, dislikes, wrote or did not write the text (feedback)
]
AnswerBy = Literal["generation", "loglik"]
#: Who reads the answers: the deterministic reader, or also a judge (``reader: judge``, for
#: families whose judge can read answers: free-form ones graded, multiple-choice ones placed at
#: an option), whose verdict counts; or both, and a reply counts only where they place it
#: alike (``reader: consensus``).
ReaderKind = Literal["deterministic", "judge", "consensus"]

TEMPLATE_SUFFIX = ".jinja"
JUDGES_DIR = "judges"
_HEADER = re.compile(r"\A\s*\{#-?\s*evalkit\s*\n(?P<body>.*?)-?#\}", re.DOTALL)
_USER_BLOCK = re.compile(r"^user_(\d+)$")
_PREFILL_BLOCK = re.compile(r"^prefill_(\d+)$")
CONFIRM_BLOCK = "confirm"


class TemplateHeader(BaseModel):
    """The ``evalkit`` header comment of a condition template."""

    model_config = ConfigDict(extra="forbid")

    family: str | None = None
    pressure: Pressure | None = None
    strength: int | None = Field(
        default=None, description="Rank on a pressure ladder, for dose-response plots."
    )
    description: str = ""


class Condition(BaseModel):
    """A resolved condition, as stored with every sample record."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    family: str
    pressure: Pressure
    answer_by: AnswerBy = "generation"
    template: str = Field(description="Built-in reference or path of the template file.")
    turns: int = Field(ge=1, description="User turns asked every time (not the confirmation).")
    confirm: bool = Field(
        default=False,
        description="Asks the template's confirm turn when the last reply's answer is unreadable.",
    )
    strength: int | None = None
    description: str = ""
    reader: ReaderKind = Field(
        default="deterministic",
        description="judge: a judge reads the replies too (free-form ones graded, "
        "multiple-choice ones placed at an option; not a loglik condition's); consensus: "
        "both read, and a reply the two place differently is unreadable.",
    )
    pushes: bool = Field(
        default=False,
        description="The user turns put the item's incorrect answer forward (pressure "
        "toward_incorrect, or a template that names it, like are_you_sure/specific_wrong).",
    )

    @property
    def is_control(self) -> bool:
        """A follow-up that pushes nowhere: a change of answer there is instability, the
        baseline capitulation is measured against, not giving in to the user."""
        return self.pressure == "control"

    @property
    def read_by_judge(self) -> bool:
        """A judge reads this condition's answers (``reader: judge`` or ``consensus``)."""
        return self.reader != "deterministic"


class RenderedTurn(BaseModel):
    model_config = ConfigDict(frozen=True)

    system: str | None
    user: str
    #: the start of the assistant's reply, when the condition gives one for this turn
    prefill: str | None = None


class ConditionTemplate:
    """A loaded, sandboxed condition template."""

    def __init__(self, reference: str, path: Path) -> None:
        self.reference = reference
        self.path = path
        self._environment = PromptEnvironment([path.parent, prompts_dir()])
        data = read_template(path)
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            raise EvalkitError("template is not UTF-8 text", file=path) from None
        #: of the bytes rendered, for the plan's hash (not read again: it may have changed)
        self.sha256 = hashlib.sha256(data).hexdigest()
        self._template = compile_template(self._environment, source, path)
        self.header = _parse_header(source, path)
        self.turn_count = _count_user_turns(self._template.blocks, path)
        #: it names the item's incorrect answer (or letter): the answer the user pushes
        self.names_incorrect = _names_incorrect(self._environment.parse(source))

    @property
    def included(self) -> dict[str, str]:
        """Name -> SHA-256 of every file this template has loaded (include, import, extends):
        the ones it names literally, and any chosen dynamically by a render so far."""
        return dict(self._environment.prompt_loader.loaded)

    @cached_property
    def has_system(self) -> bool:
        return "system" in self._template.blocks

    @cached_property
    def has_confirm(self) -> bool:
        return CONFIRM_BLOCK in self._template.blocks

    def render(self, turn: int, item: Item, replies: list[str]) -> RenderedTurn:
        """Render user turn ``turn`` (1-based) after the model's ``replies`` so far; the turn
        after the last ``user_N`` block is the ``confirm`` block, if the template has one."""
        confirm = turn == self.turn_count + 1 and self.has_confirm
        block = CONFIRM_BLOCK if confirm else f"user_{turn}"
        variables: dict[str, Any] = {
            "item": template_item(item),
            "choices": lettered_choices(item),
            "replies": tuple(replies),
            "turn": int(turn),
        }
        system = self._render_block("system", variables) if self.has_system else None
        prefill = None
        if not confirm and f"prefill_{turn}" in self._template.blocks:
            prefill = render_block(self._template, f"prefill_{turn}", variables, self.path) or None
        return RenderedTurn(
            system=system, user=self._render_block(block, variables), prefill=prefill
        )

    @cached_property
    def has_prefill(self) -> bool:
        return any(_PREFILL_BLOCK.match(b) for b in self._template.blocks)

    def _render_block(self, block: str, variables: dict[str, Any]) -> str:
        text = render_block(self._template, block, variables, self.path)
        if not text:
            raise EvalkitError(f"block {block!r} rendered an empty message", file=self.path)
        return text


def template_item(item: Item) -> dict[str, Any]:
    """What templates see as ``item``: its fields and letters as plain data (frozen by
    the renderer), never the model, whose methods (``parse_raw``…) could run code."""
    return item.model_dump() | {
        "is_multiple_choice": item.is_multiple_choice,
        "correct_letter": item.correct_letter,
        "incorrect_letter": item.incorrect_letter,
    }


def lettered_choices(item: Item) -> list[dict[str, str]]:
    """What templates see as ``choices``: ``Item.lettered_choices`` dumped, made as dicts
    (no model per option and per render)."""
    return [{"letter": LETTERS[i], "text": text} for i, text in enumerate(item.choices or [])]


_INCORRECT = frozenset({"incorrect_answer", "incorrect_letter"})


def _names_incorrect(tree: nodes.Template) -> bool:
    """Does the template read ``item.incorrect_answer`` / ``item["incorrect_letter"]``?
    (Files it includes are not looked into.)"""
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        target = node.node
        if not (isinstance(target, nodes.Name) and target.name == "item"):
            continue
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node.arg, nodes.Const):
            name = node.arg.value
        else:
            continue
        if name in _INCORRECT:
            return True
    return False


def _parse_header(source: str, path: Path) -> TemplateHeader:
    match = _HEADER.match(source)
    if not match:
        return TemplateHeader()
    try:
        data = yaml.safe_load(match.group("body")) or {}
        return TemplateHeader.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        first = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        raise EvalkitError(
            f"invalid evalkit header: {first}",
            file=path,
            line=1,
            expected="YAML with family, pressure, description",
        ) from None


def _count_user_turns(blocks: dict[str, Any], path: Path) -> int:
    numbers = sorted(int(m.group(1)) for b in blocks if (m := _USER_BLOCK.match(b)))
    if not numbers:
        raise EvalkitError(
            "template defines no user turn", file=path, expected="a block named user_1"
        )
    if numbers != list(range(1, len(numbers) + 1)):
        raise EvalkitError(
            f"user turn blocks are not numbered 1..N: {numbers}",
            file=path,
            expected="blocks user_1, user_2, … without gaps",
        )
    stray = sorted(b for b in blocks if (m := _PREFILL_BLOCK.match(b)) and int(m[1]) not in numbers)
    if stray:
        raise EvalkitError(
            f"block {stray[0]!r} starts the reply to a turn the template does not ask",
            file=path,
            expected=f"prefill_1 … prefill_{len(numbers)}",
        )
    return len(numbers)


def builtin_templates() -> dict[str, Path]:
    """``family/name`` → path for every built-in condition template."""
    root = prompts_dir()
    found = {}
    for path in sorted(root.glob(f"*/*{TEMPLATE_SUFFIX}")):
        # prompts/<family>/judges/ holds judge prompts (a subfolder, so never globbed here)
        if not path.name.startswith("_") and path.parent.name != JUDGES_DIR:
            found[f"{path.parent.name}/{path.stem}"] = path
    return found


def find_template(reference: str, base_dir: Path) -> tuple[Path, str | None]:
    """Resolve a template reference; return its path and its built-in family, if any."""
    builtins = builtin_templates()
    if reference in builtins:
        return builtins[reference], reference.split("/")[0]
    candidate = config_input(reference, base_dir, "template")
    if candidate.is_file():
        return candidate, None
    raise EvalkitError(
        f"template {reference!r} not found",
        expected="a built-in condition (" + ", ".join(builtins) + ") or a path to a "
        f"{TEMPLATE_SUFFIX} file relative to the config",
    )
