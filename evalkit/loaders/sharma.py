"""Sharma et al. 2023 "SycophancyEval" JSONL (meg-tong/sycophancy-eval, datasets/*.jsonl).

Each row is ``{"prompt": [{"type": "human"|"ai", "content": …}], "base": {…},
"metadata": {…}}``. Upstream repeats one underlying item (``base``) once per
biasing prompt (four in answer.jsonl, five in feedback.jsonl); evalkit asks
its own conditions, so rows sharing a ``base`` become one item and their
upstream prompts are kept in ``metadata.prompts``. Exact duplicate rows are
removed and counted; bare ``NaN`` means "no value".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from evalkit.items import LETTERS, Item
from evalkit.loaders.rows import (
    Loaded,
    LoadReport,
    RawRow,
    Source,
    canonical,
    drop_exact_duplicates,
    make_item,
    row_error,
)

FORMAT = "sharma"
Task = Literal["answer", "are_you_sure", "feedback", "mimicry"]
TASKS: tuple[str, ...] = ("answer", "are_you_sure", "feedback", "mimicry")

#: ``correct_answer`` of feedback items, which have no reference answer: the
#: feedback family judges each reply against the no-preference baseline reply.
NO_REFERENCE = "(no reference answer: judged against the baseline feedback)"

#: The noun a feedback prompt uses for each upstream ``base.dataset``.
FEEDBACK_KINDS = {"arguments": "argument", "poems": "poem", "math": "solution"}

_OPTION = re.compile(r"^\s*\(([A-Z])\)\s?(.*)$")


class PromptMessage(BaseModel):
    """An upstream message; a final assistant message is a prefix for the model to continue."""

    model_config = ConfigDict(frozen=True)

    role: Literal["user", "assistant"]
    content: str


class PromptVariant(BaseModel):
    """One upstream row's prompt: how the paper asked this item under one condition."""

    model_config = ConfigDict(frozen=True)

    line: int
    template: str | None = Field(description="metadata.prompt_template, e.g. '{question}'.")
    template_type: str | None = Field(
        description="metadata.prompt_template_type (feedback), e.g. 'I really like the poem.'; "
        "'' is the no-preference baseline."
    )
    messages: list[PromptMessage]


class SharmaMetadata(BaseModel):
    """``Item.metadata`` of every SycophancyEval item."""

    model_config = ConfigDict(frozen=True)

    task: Task
    dataset: str | None = Field(description="base.dataset, e.g. trivia_qa, mmlu_mc_cot, poems.")
    lines: list[int] = Field(description="Source lines folded into this item.")
    prompts: list[PromptVariant]
    correct_letter: str | None = None
    incorrect_answer_origin: Literal["upstream", "evalkit_next_option"] | None = Field(
        default=None,
        description="evalkit_next_option: upstream gave none, so the option after the "
        "correct one (cyclically) is the one a pressure condition pushes.",
    )
    published_prompt: str | None = Field(
        default=None,
        description="are_you_sure: the paper's first user message for this item (its own "
        "wording, options and instruction); are_you_sure/published asks it as turn 1.",
    )
    published_prefill: str | None = Field(
        default=None,
        description="are_you_sure: the paper's assistant prefix ('The answer is ('); "
        "are_you_sure/published sends it where the provider takes a prefill.",
    )
    text: str | None = Field(default=None, description="feedback/mimicry: the text shown.")
    kind: str | None = Field(default=None, description="feedback: argument, poem or solution.")
    base_extra: dict[str, Any] = Field(
        default_factory=dict, description="Other base fields, verbatim."
    )


def load_sharma(rows: Sequence[RawRow], source: Source) -> Loaded:
    kept, duplicate_lines = drop_exact_duplicates(rows)
    task_from_file = source.stem if source.stem in TASKS else None
    items: list[Item] = []
    by_key: dict[str, int] = {}
    metas: list[SharmaMetadata] = []
    skipped: dict[str, list[int]] = {}
    merged = 0
    warnings: set[str] = set()
    for row in kept:
        prompt = _messages(row, source)
        base = _mapping(row, source, "base", required=True)
        upstream_meta = _mapping(row, source, "metadata", required=False)
        variant = PromptVariant(
            line=row.line,
            template=_opt_str(row, source, upstream_meta, "metadata", "prompt_template"),
            template_type=_opt_str(row, source, upstream_meta, "metadata", "prompt_template_type"),
            messages=prompt,
        )
        task = task_from_file or _infer_task(base, upstream_meta, prompt)
        key = canonical([base, upstream_meta.get("incorrect_attribution")])
        if key in by_key:
            index = by_key[key]
            meta = metas[index]
            metas[index] = meta.model_copy(
                update={"lines": [*meta.lines, row.line], "prompts": [*meta.prompts, variant]}
            )
            merged += 1
            continue
        built = _build(row, source, task, base, upstream_meta, variant, warnings)
        if isinstance(built, str):
            skipped.setdefault(built, []).append(row.line)
            continue
        fields, meta = built
        by_key[key] = len(metas)
        metas.append(meta)
        items.append(make_item(source, row.line, fields, _SOURCE_FIELDS))
    items = [
        item.model_copy(update={"metadata": meta.model_dump(mode="json")})
        for item, meta in zip(items, metas, strict=True)
    ]
    invented = sum(m.incorrect_answer_origin == "evalkit_next_option" for m in metas)
    if invented:
        warnings.add(
            f"{invented} items without a wrong answer upstream: "
            "the option after the correct one is the one pushed"
        )
    report = LoadReport(
        format=FORMAT,
        source=source.display,
        rows_read=len(rows),
        items=len(items),
        duplicates_removed=len(duplicate_lines),
        duplicate_lines=duplicate_lines,
        merged_rows=merged,
        skipped=skipped,
        warnings=sorted(warnings),
    )
    return Loaded(items=items, report=report)


#: Item field -> the upstream field it comes from, for error messages.
_SOURCE_FIELDS = {
    "question": "base.question",
    "correct_answer": "base.correct_answer",
    "incorrect_answer": "base.incorrect_answer",
    "correct_aliases": "base.answer",
    "choices": "base.answers",
}


def _build(
    row: RawRow,
    source: Source,
    task: Task,
    base: dict[str, Any],
    upstream_meta: dict[str, Any],
    variant: PromptVariant,
    warnings: set[str],
) -> tuple[dict[str, Any], SharmaMetadata] | str:
    """Item fields and metadata of a row, or the reason it cannot become an item."""
    common = {
        "task": task,
        "dataset": _opt_str(row, source, base, "base", "dataset"),
        "lines": [row.line],
        "prompts": [variant],
    }
    fields: dict[str, Any] = {
        "id": f"{source.stem}-{row.line}",
        "category": common["dataset"] or task,
        "source": f"sharma2023/{task}",
    }
    if task == "feedback":
        text = _first_str(row, source, base, ("text", "solution", "poem", "argument"), "the text")
        kind = FEEDBACK_KINDS.get(common["dataset"] or "", common["dataset"] or "text")
        reference = _opt_str(row, source, base, "base", "correct_answer")
        fields |= {"question": text, "correct_answer": reference or NO_REFERENCE}
        extra = _extra(base, {"dataset", "text", "correct_answer"})
        return fields, SharmaMetadata(**common, text=text, kind=kind, base_extra=extra)
    if task == "mimicry":
        keys = ("attribution", "correct_attribution", "author")
        author = _first_str(row, source, base, keys, "the true author")
        wrong = _opt_str(row, source, upstream_meta, "metadata", "incorrect_attribution")
        wrong = wrong or _opt_str(row, source, base, "base", "incorrect_attribution")
        if wrong is None:
            raise row_error(
                source, row.line, "metadata.incorrect_attribution", "required field is missing"
            )
        text = _opt_str(row, source, base, "base", "text") or _opt_str(
            row, source, base, "base", "poem"
        )
        if text is None:
            text = variant.messages[0].content
            warnings.add("mimicry rows without base.text: the question is the upstream prompt")
        surname = author.split()[-1]
        fields |= {
            "question": text,
            "correct_answer": author,
            "correct_aliases": [surname] if surname != author else [],
            "incorrect_answer": wrong,
        }
        used = {"dataset", "attribution", "correct_attribution", "author", "text", "poem"}
        return fields, SharmaMetadata(**common, text=text, base_extra=_extra(base, used))
    return _question_row(row, source, base, fields, common)


def _question_row(
    row: RawRow,
    source: Source,
    base: dict[str, Any],
    fields: dict[str, Any],
    common: dict[str, Any],
) -> tuple[dict[str, Any], SharmaMetadata] | str:
    """answer / are_you_sure rows: free-form, or multiple choice when ``answers`` is given."""
    question = _req_str(row, source, base, "base", "question")
    aliases = _aliases(row, source, base)
    correct = _opt_str(row, source, base, "base", "correct_answer")
    incorrect = _opt_str(row, source, base, "base", "incorrect_answer")
    answers = base.get("answers")
    if isinstance(answers, list) and all(isinstance(a, str) for a in answers):
        base = {**base, "answers": "\n".join(answers)}
    block = _opt_str(row, source, base, "base", "answers")
    letter = _opt_str(row, source, base, "base", "correct_letter")
    used = {"dataset", "question", "answer", "correct_answer", "incorrect_answer", "answers"}
    used |= {"correct_letter", "incorrect_letter"}
    meta: dict[str, Any] = {**common, "base_extra": _extra(base, used)}
    if common["task"] == "are_you_sure":
        meta |= _published(common["prompts"][0])
    if block is None:
        correct = correct or (aliases[0] if aliases else None)
        if correct is None:
            raise row_error(source, row.line, "base.correct_answer", "required field is missing")
        fields |= {
            "question": question,
            "correct_answer": correct,
            "correct_aliases": _without(aliases, correct),
            "incorrect_answer": incorrect,
        }
        if incorrect is not None:
            meta["incorrect_answer_origin"] = "upstream"
        return fields, SharmaMetadata(**meta)
    options = _parse_options(block, row, source)
    if len({o.strip().casefold() for o in options}) != len(options):
        return "multiple-choice options are not distinct"
    correct_index = _option_index(letter, correct, options, row, source, "correct")
    wrong_letter = _opt_str(row, source, base, "base", "incorrect_letter")
    if incorrect is None and wrong_letter is None:
        wrong_index = (correct_index + 1) % len(options)
        meta["incorrect_answer_origin"] = "evalkit_next_option"
    else:
        wrong_index = _option_index(wrong_letter, incorrect, options, row, source, "incorrect")
        meta["incorrect_answer_origin"] = "upstream"
    fields |= {
        "question": question,
        "choices": options,
        "correct_answer": options[correct_index],
        "correct_aliases": _without(aliases, options[correct_index]),
        "incorrect_answer": options[wrong_index],
    }
    meta["correct_letter"] = LETTERS[correct_index]
    return fields, SharmaMetadata(**meta)


def _published(variant: PromptVariant) -> dict[str, str]:
    """The paper's first user message and its assistant prefix, when the prompt is exactly
    that (one user message, optionally followed by the prefix)."""
    messages = variant.messages
    if not messages or messages[0].role != "user" or not messages[0].content.strip():
        return {}
    if len(messages) == 1:
        return {"published_prompt": messages[0].content}
    if len(messages) == 2 and messages[1].role == "assistant":
        return {"published_prompt": messages[0].content, "published_prefill": messages[1].content}
    return {}


def _parse_options(block: str, row: RawRow, source: Source) -> list[str]:
    """``(A) text`` lines; a line without a letter continues the option above it."""
    letters: list[str] = []
    texts: list[str] = []
    for raw in block.splitlines():
        match = _OPTION.match(raw)
        if match:
            letters.append(match.group(1))
            texts.append(match.group(2).strip())
        elif raw.strip() and texts:
            texts[-1] = f"{texts[-1]}\n{raw.strip()}"
        elif raw.strip():
            raise row_error(
                source, row.line, "base.answers", f"text before the first option: {raw.strip()!r}"
            )
    if len(texts) < 2 or letters != list(LETTERS[: len(letters)]):
        raise row_error(
            source,
            row.line,
            "base.answers",
            f"cannot read the options (letters {''.join(letters) or 'none'})",
            "one option a line, starting (A), (B), …",
        )
    return texts


def _option_index(
    letter: str | None,
    text: str | None,
    options: list[str],
    row: RawRow,
    source: Source,
    which: str,
) -> int:
    """The option named by ``<which>_letter`` (preferred) or by its text."""
    if letter is not None:
        index = LETTERS.find(letter.strip().strip("()").upper())
        if len(letter.strip().strip("()")) != 1 or not 0 <= index < len(options):
            raise row_error(
                source,
                row.line,
                f"base.{which}_letter",
                f"{letter!r} is not one of the options",
                f"a letter A-{LETTERS[len(options) - 1]}",
            )
        return index
    folded = [o.casefold() for o in options]
    if text is not None and text.strip().casefold() in folded:
        return folded.index(text.strip().casefold())
    raise row_error(
        source,
        row.line,
        f"base.{which}_letter",
        "required field is missing" if text is None else f"{text!r} is not one of the options",
        f"base.{which}_letter, or base.{which}_answer equal to an option",
    )


def _infer_task(base: dict[str, Any], meta: dict[str, Any], prompt: list[PromptMessage]) -> Task:
    if "incorrect_attribution" in meta or "attribution" in base:
        return "mimicry"
    if "prompt_template_type" in meta or ("text" in base and "question" not in base):
        return "feedback"
    return "are_you_sure" if prompt[-1].role == "assistant" else "answer"


def _messages(row: RawRow, source: Source) -> list[PromptMessage]:
    prompt = row.data.get("prompt")
    if not isinstance(prompt, list) or not prompt:
        raise row_error(
            source,
            row.line,
            "prompt",
            "required field is missing" if prompt is None else "must be a non-empty list",
            'a list of {"type": "human" | "ai", "content": text}',
        )
    messages = []
    for index, message in enumerate(prompt):
        kind = message.get("type") if isinstance(message, dict) else None
        content = message.get("content") if isinstance(message, dict) else None
        if kind not in ("human", "ai"):
            raise row_error(
                source, row.line, f"prompt[{index}].type", f"got {kind!r}", '"human" or "ai"'
            )
        if not isinstance(content, str):
            raise row_error(
                source, row.line, f"prompt[{index}].content", f"got {content!r}", "a string"
            )
        role = "user" if kind == "human" else "assistant"
        messages.append(PromptMessage(role=role, content=content))
    return messages


def _mapping(row: RawRow, source: Source, key: str, *, required: bool) -> dict[str, Any]:
    value = row.data.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        message = "required field is missing" if value is None else "must be a JSON object"
        raise row_error(source, row.line, key, message)
    return value


def _opt_str(
    row: RawRow, source: Source, data: dict[str, Any], prefix: str, key: str
) -> str | None:
    """A text field that may be absent or NaN/null; numbers are read as their text."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise row_error(source, row.line, f"{prefix}.{key}", f"got {value!r}", "a string")
    return str(value)


def _req_str(row: RawRow, source: Source, data: dict[str, Any], prefix: str, key: str) -> str:
    value = _opt_str(row, source, data, prefix, key)
    if value is None or not value.strip():
        raise row_error(source, row.line, f"{prefix}.{key}", "required field is missing")
    return value


def _first_str(
    row: RawRow, source: Source, base: dict[str, Any], keys: tuple[str, ...], what: str
) -> str:
    """The first of ``keys`` that is set: ports of the data name some fields differently."""
    for key in keys:
        value = _opt_str(row, source, base, "base", key)
        if value and value.strip():
            return value.strip()
    raise row_error(
        source,
        row.line,
        f"base.{keys[0]}",
        "required field is missing",
        what + " in base." + " or base.".join(keys),
    )


def _aliases(row: RawRow, source: Source, base: dict[str, Any]) -> list[str]:
    value = base.get("answer")
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise row_error(source, row.line, "base.answer", f"got {value!r}", "a list of strings")
    return [v for v in value if v.strip()]


def _without(aliases: list[str], answer: str) -> list[str]:
    """Aliases other than the answer itself, first spelling of each kept."""
    seen = {answer.strip().casefold()}
    out = []
    for alias in aliases:
        key = alias.strip().casefold()
        if key not in seen:
            seen.add(key)
            out.append(alias)
    return out


def _extra(base: dict[str, Any], used: set[str]) -> dict[str, Any]:
    return {k: v for k, v in base.items() if k not in used and v is not None}
