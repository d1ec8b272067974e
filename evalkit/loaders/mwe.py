"""Perez et al. 2022 model-written evals, sycophancy sets (anthropics/evals, sycophancy/*.jsonl).

A row is ``{"question": "Hello, my name is … (A) … (B) …\\n\\nAnswer:",
"answer_matching_behavior": " (A)", "answer_not_matching_behavior": " (B)" or
[" (B)", " (C)"]}``. There is no true answer: the metric is the share of
answers that match the user's stated view. So the item's ``incorrect_answer``
is the user's view (what the user pushes) and ``correct_answer`` is the first
answer that does not match it; ``metadata`` names both sides exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from evalkit.items import LETTERS, Item
from evalkit.loaders.rows import (
    Loaded,
    LoadReport,
    RawRow,
    Source,
    drop_exact_duplicates,
    make_item,
    row_error,
)

FORMAT = "anthropic-mwe"

#: The question openers of the upstream files whose biography ``opinion/without_view`` can cut
#: off (kept equal to that template's list): nlp_survey and philpapers2020. Political-typology
#: questions have none, so they are asked with ``opinion/with_view`` only.
QUESTION_OPENERS = (
    "Do you agree or disagree with the following claim about the field of Natural Language "
    "Processing (NLP), as of 2022?",
    "What is your view on the following topic:",
)
WITHOUT_VIEW = "opinion/without_view"
_OPTION_LINE = re.compile(r"^\s*\(([A-Z])\)\s*(.*?)\s*$")
_LETTER = re.compile(r"^\s*\(?([A-Z])\)?\s*$")


class MweMetadata(BaseModel):
    """``Item.metadata`` of a model-written-evals item."""

    model_config = ConfigDict(frozen=True)

    prompt: str = Field(description="The upstream question verbatim, choices and 'Answer:'.")
    user_view_letter: str = Field(description="answer_matching_behavior as a letter, e.g. 'A'.")
    user_view_answer: str = Field(description="The option text matching the user's view.")
    not_matching_letters: list[str]
    not_matching_answers: list[str]
    extra: dict[str, str] = Field(
        default_factory=dict, description="Other row fields, e.g. user_affiliation."
    )
    not_asked_under: list[str] = Field(
        default_factory=list,
        description="Condition templates the plan does not ask this item under (and why not: "
        "the load report says), e.g. opinion/without_view for a question with no known opener.",
    )


def load_mwe(rows: Sequence[RawRow], source: Source) -> Loaded:
    kept, duplicate_lines = drop_exact_duplicates(rows)
    items: list[Item] = []
    category = source.stem.removeprefix("sycophancy_on_")
    for row in kept:
        items.append(_item(row, source, category))
    no_opener = sum(WITHOUT_VIEW in item.metadata["not_asked_under"] for item in items)
    notes = (
        [
            f"{no_opener} items have no known question opener (political typology), so their "
            f"biography cannot be removed: not asked under {WITHOUT_VIEW}, asked with "
            "opinion/with_view only"
        ]
        if no_opener
        else []
    )
    report = LoadReport(
        format=FORMAT,
        source=source.display,
        rows_read=len(rows),
        items=len(items),
        duplicates_removed=len(duplicate_lines),
        duplicate_lines=duplicate_lines,
        warnings=_copy_warning(source, items) + notes,
    )
    return Loaded(items=items, report=report)


def _item(row: RawRow, source: Source, category: str) -> Item:
    prompt = row.data.get("question")
    if not isinstance(prompt, str) or not prompt.strip():
        raise row_error(
            source,
            row.line,
            "question",
            "required field is missing" if prompt is None else f"got {prompt!r}",
            "the biography and question with lettered choices",
        )
    question, letters, options = _split(prompt, row, source)
    matching = _letters(row, source, "answer_matching_behavior", letters)
    if len(matching) != 1:
        raise row_error(
            source, row.line, "answer_matching_behavior", f"got {len(matching)} answers", "one"
        )
    not_matching = _letters(row, source, "answer_not_matching_behavior", letters)
    if matching[0] in not_matching:
        raise row_error(
            source,
            row.line,
            "answer_not_matching_behavior",
            f"({matching[0]}) is also the matching answer",
        )
    text = dict(zip(letters, options, strict=True))
    meta = MweMetadata(
        prompt=prompt,
        user_view_letter=matching[0],
        user_view_answer=text[matching[0]],
        not_matching_letters=not_matching,
        not_matching_answers=[text[letter] for letter in not_matching],
        extra={
            k: str(v)
            for k, v in row.data.items()
            if k not in ("question", "answer_matching_behavior", "answer_not_matching_behavior")
            and v is not None
        },
        not_asked_under=[] if any(o in prompt for o in QUESTION_OPENERS) else [WITHOUT_VIEW],
    )
    fields = {
        "id": f"{source.stem}-{row.line}",
        "question": question,
        "choices": options,
        "correct_answer": meta.not_matching_answers[0],
        "incorrect_answer": meta.user_view_answer,
        "category": category,
        "source": f"perez2022/{source.stem}",
        "metadata": meta.model_dump(mode="json"),
    }
    return make_item(source, row.line, fields, {"choices": "question"})


def _split(prompt: str, row: RawRow, source: Source) -> tuple[str, list[str], list[str]]:
    """Question text before the options, option letters, option texts."""
    lines = prompt.rstrip().splitlines()
    if lines and lines[-1].strip().casefold() == "answer:":
        lines.pop()
    first = next((i for i, line in enumerate(lines) if _OPTION_LINE.match(line)), None)
    if first is None:
        raise row_error(
            source, row.line, "question", "no lettered choices", "lines starting (A), (B), …"
        )
    letters: list[str] = []
    options: list[str] = []
    for line in lines[first:]:
        match = _OPTION_LINE.match(line)
        if match:
            letters.append(match.group(1))
            options.append(match.group(2))
        elif line.strip() and options:
            options[-1] = f"{options[-1]} {line.strip()}"
    if letters != list(LETTERS[: len(letters)]) or len(letters) < 2:
        raise row_error(
            source,
            row.line,
            "question",
            f"choices are lettered {''.join(letters)}",
            "consecutive letters from (A), at least two",
        )
    head = "\n".join(lines[:first]).rstrip()
    if head.endswith("Choices:"):
        head = head.removesuffix("Choices:").rstrip()
    return head, letters, options


def _letters(row: RawRow, source: Source, key: str, letters: list[str]) -> list[str]:
    """A " (A)" string or a list of them, as letters present among the choices."""
    value = row.data.get(key)
    values = value if isinstance(value, list) else [value]
    out: list[str] = []
    for entry in values:
        match = _LETTER.match(entry) if isinstance(entry, str) else None
        if match is None or match.group(1) not in letters:
            raise row_error(
                source,
                row.line,
                key,
                "required field is missing" if value is None else f"{entry!r} is not a choice",
                "' (A)' … ' (" + letters[-1] + ")' or a list of them",
            )
        out.append(match.group(1))
    return out


def _copy_warning(source: Source, items: list[Item]) -> list[str]:
    """An early upstream commit of the philpapers file held the NLP-survey questions."""
    if "philpapers" not in source.stem or not items:
        return []
    nlp = sum("Natural Language Processing" in item.question for item in items)
    if nlp * 2 > len(items):
        return [
            f"{nlp} of {len(items)} philpapers questions are about NLP: this looks like the "
            "NLP-survey file under the philpapers name (an early upstream commit did this)"
        ]
    return []
