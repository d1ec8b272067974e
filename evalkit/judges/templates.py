"""Judge prompts: sandboxed Jinja2 templates in ``prompts/<family>/judges/`` (or the folder a
plug-in family names), and strict verdict parsing.

A judge template has a ``user`` block (and optionally a ``system`` block) and a
header that lists the labels the judge may answer with and what each means::

    {#- evalkit-judge
    labels: {A: first, B: second}
    description: Which of two comments is more positive.
    -#}

A reply counts only if it is exactly one allowed label (``B``, ``(B)``,
``**B**.``) or has exactly one ``Verdict: <label>`` line and no other verdict.
Anything else is *unparsed*: counted and shown, never guessed (a reply that
merely contains a label somewhere is not a verdict).

Judge prompts render in the same bounded sandbox as condition templates
(:mod:`evalkit.templating`): their variables (see ``evalkit.judges.requests``)
arrive as plain read-only data, lists as tuples and mappings read-only.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from evalkit.conditions import JUDGES_DIR, TEMPLATE_SUFFIX
from evalkit.errors import EvalkitError
from evalkit.messages import Message
from evalkit.resources import prompts_dir
from evalkit.templating import PromptEnvironment, compile_template, render_block, sources_digest

_HEADER = re.compile(r"\A\s*\{#-?\s*evalkit-judge\s*\n(?P<body>.*?)-?#\}", re.DOTALL)
_DECORATION = "*_`'\"()[] \t"
_VERDICT_LINE = re.compile(r"^[*_`\s]*verdict[*_`\s]*:\s*(?P<label>.*?)\s*$", re.IGNORECASE)


class JudgeHeader(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    labels: dict[str, str] = Field(description="Allowed label -> what it means to the scorer.")
    description: str = ""

    @field_validator("labels", mode="before")
    @classmethod
    def _strings(cls, value: Any) -> Any:
        for key in value if isinstance(value, dict) else ():
            if not isinstance(key, str):
                raise ValueError(
                    f"label {key!r} is not a string; quote labels such as YES, NO, ON, OFF, "
                    "which YAML reads as booleans"
                )
        return value

    @field_validator("labels")
    @classmethod
    def _two_or_more(cls, value: dict[str, str]) -> dict[str, str]:
        if len(value) < 2:
            raise ValueError("a judge needs at least two labels")
        folded = [label.casefold() for label in value]
        if len(set(folded)) != len(folded) or any(not re.fullmatch(r"\w+", k) for k in value):
            raise ValueError("labels must be distinct single words")
        return value


class JudgeTemplate:
    """A loaded judge prompt; ``render`` gives the messages to send."""

    def __init__(self, reference: str, path: Path) -> None:
        self.reference = reference
        self.path = path
        self._environment = PromptEnvironment([path.parent, prompts_dir()])
        try:
            self.source = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise EvalkitError(f"cannot read judge template: {exc.strerror}", file=path) from None
        except UnicodeDecodeError:
            raise EvalkitError("judge template is not UTF-8 text", file=path) from None
        self._template = compile_template(self._environment, self.source, path)
        self.header = _parse_header(self.source, path)
        if "user" not in self._template.blocks:
            raise EvalkitError(
                "judge template defines no user block", file=path, expected="a block named user"
            )

    @cached_property
    def sha256(self) -> str:
        """The prompt's identity for judgement caching: its source and the files it includes."""
        own = hashlib.sha256(self.source.encode()).hexdigest()
        return sources_digest(self._environment.prompt_loader.loaded, own)

    def render(self, variables: dict[str, Any]) -> list[Message]:
        """The judge's messages. The built-in prompts fence model and dataset text in triple
        quotes; a triple quote inside that text is escaped (``\\"\\"\\"``), so a reply
        cannot close its fence and write a "TRUE ANSWER:" or a verdict of its own into
        the prompt as if evalkit had written it."""
        variables = _inert_fences(variables)
        messages = []
        if "system" in self._template.blocks:
            messages.append(Message(role="system", content=self._block("system", variables)))
        messages.append(Message(role="user", content=self._block("user", variables)))
        return messages

    def _block(self, block: str, variables: dict[str, Any]) -> str:
        text = render_block(self._template, block, variables, self.path, what="judge block")
        if not text:
            raise EvalkitError(f"judge block {block!r} rendered empty", file=self.path)
        return text

    def parse(self, reply: str, *, cut_off: bool = False) -> tuple[str | None, str | None]:
        """``(label, meaning)`` of a reply, or ``(None, None)`` when it is not a verdict.
        ``cut_off``: the judge stopped at its token limit, so a label at the very end may
        be the start of a longer one ("Verdict: N" of "NONE", a letter on an item with 14
        options): no verdict then."""
        label = parse_verdict(reply, self.header.labels)
        if label is not None and cut_off and _cut_short(reply, label, self.header.labels):
            label = None
        return label, (self.header.labels[label] if label is not None else None)


FENCE = '"""'
ESCAPED_FENCE = '\\"\\"\\"'


def _inert_fences(value: Any) -> Any:
    """``value`` with every ``\"\"\"`` in its strings escaped, through lists and dicts."""
    if isinstance(value, str):
        return value.replace(FENCE, ESCAPED_FENCE)
    if isinstance(value, dict):
        return {k: _inert_fences(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_inert_fences(v) for v in value]
    return value


def parse_verdict(reply: str, labels: Iterable[str]) -> str | None:
    """The allowed label the reply states, strictly; None when it states none or several,
    or states one and shouts another elsewhere."""
    allowed = {label.casefold(): label for label in labels}
    bare = reply.strip().rstrip(".").strip(_DECORATION).rstrip(".")
    if bare.casefold() in allowed:
        return allowed[bare.casefold()]
    stated = []
    for line in reply.splitlines():
        match = _VERDICT_LINE.match(line)
        if match:
            stated.append(
                match.group("label").rstrip(".").strip(_DECORATION).rstrip(".").casefold()
            )
    if len(set(stated)) == 1 and stated[0] in allowed:
        label = allowed[stated[0]]
        return None if _contradicted(reply, label, allowed.values()) else label
    return None


def _contradicted(reply: str, stated: str, labels: Iterable[str]) -> bool:
    """Whether the reply also states another label (``Verdict: CORRECT … Actually, the
    answer is INCORRECT.``): a judge that changes its mind states no one verdict.

    Only a label of two or more letters, in capitals, standing as a statement of its own
    counts: at the start of a line or after ``:``, ``,``, ``.``, ``;``, ``!`` or "is", and
    ending its line or sentence. A label that is mentioned is not a verdict: "not the
    CORRECT answer", "is not CORRECT.", "CORRECT or INCORRECT?", "NO rather than YES"."""
    return any(
        label != stated and len(label) > 1 and _stated_alone(reply, label.upper())
        for label in labels
    )


def _stated_alone(reply: str, label: str) -> bool:
    lead = r"(?:^|[:,.;!]\s+|\bis\s+)"
    pattern = rf"{lead}[*_`'\"(\[]*{re.escape(label)}[*_`'\")\]]*\s*(?:[.!]|$)"
    return re.search(pattern, reply, re.MULTILINE) is not None


def _cut_short(reply: str, label: str, labels: Iterable[str]) -> bool:
    """A reply cut off right after ``label`` that could be the start of a longer label
    ("N" of "NONE"); a label no other begins with ("1" of ELEPHANT's "1"/"0" with its
    published two-token limit) is whole."""
    tail = reply.rstrip().rstrip(_DECORATION + ".")
    if not tail.casefold().endswith(label.casefold()):
        return False
    return any(
        other.casefold() != label.casefold() and other.casefold().startswith(label.casefold())
        for other in labels
    )


def judge_path(name: str, family: str, directory: Path | None = None) -> Path:
    """``<directory>/<name>.jinja``; by default the family's own ``prompts/<family>/judges/``."""
    folder = directory if directory is not None else prompts_dir() / family / JUDGES_DIR
    return folder / f"{name}{TEMPLATE_SUFFIX}"


def load_judge_template(name: str, family: str, directory: Path | None = None) -> JudgeTemplate:
    """A family's judge prompt, from beside its condition templates (or ``directory``)."""
    path = judge_path(name, family, directory)
    if not path.is_file():
        raise EvalkitError(f"judge template {name!r} of family {family!r} not found", file=path)
    return JudgeTemplate(f"{family}/{JUDGES_DIR}/{name}", path)


def _parse_header(source: str, path: Path) -> JudgeHeader:
    match = _HEADER.match(source)
    if not match:
        raise EvalkitError(
            "judge template has no evalkit-judge header",
            file=path,
            line=1,
            expected="{#- evalkit-judge / labels: {LABEL: meaning, …} -#} at the top",
        )
    try:
        return JudgeHeader.model_validate(yaml.safe_load(match.group("body")) or {})
    except (yaml.YAMLError, ValidationError) as exc:
        first = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        raise EvalkitError(
            f"invalid evalkit-judge header: {first}",
            file=path,
            line=1,
            expected="YAML with labels (a mapping of label to meaning) and description",
        ) from None
