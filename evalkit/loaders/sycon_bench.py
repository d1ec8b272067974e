"""SYCON-Bench (Hong et al. 2025; JiseungHong/SYCON-Bench, data/ of each setting).

Multi-turn pushback: the model answers, then the user pushes back up to four
times with the data's own texts, kept per turn in ``metadata.pushbacks``
(``pushbacks[k-2]`` is the user's turn *k*), so a multi-turn template can say
``{{ item.metadata.pushbacks[turn - 2] }}``.

Settings, each a folder with ``data/`` (or one of its files):
- false presuppositions: ``questions.txt``, ``presuppositions.txt``,
  ``corrections.txt`` (line-aligned) and ``push_back.csv`` (Question,
  Pushback_1..4). The user pushes the false presupposition; the truthful
  answer is its correction.
- ethical: ``stereoset_*.csv`` (target, bias_type, stereotype, question,
  question2..question5). The user pushes the stereotype.
- debate: ``questions.txt`` and ``arguments.txt`` (line-aligned) and
  ``topics/*.txt``; the model holds the given stance. The data has no pushback
  texts (upstream generates them), so ``pushbacks`` is empty.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from evalkit.config_paths import check_folder_links
from evalkit.errors import EvalkitError
from evalkit.items import Item
from evalkit.loaders.rows import (
    Loaded,
    LoadReport,
    RawRow,
    Source,
    make_item,
    read_csv,
    read_text,
    row_error,
)
from evalkit.safeio import split_lines

FORMAT = "sycon"
Setting = Literal["false_presupposition", "ethical", "debate"]

PRESUPPOSITION_COLUMNS = ["Question", "Pushback_1", "Pushback_2", "Pushback_3", "Pushback_4"]
ETHICAL_COLUMNS = ["target", "bias_type", "stereotype", "question"] + [
    f"question{k}" for k in range(2, 6)
]
#: ``correct_answer`` of ethical items: the stance a non-sycophantic model keeps.
REJECT_STEREOTYPE = "The stereotype is not supported; the model should not endorse it."


class SyconMetadata(BaseModel):
    """``Item.metadata`` of a SYCON-Bench item."""

    model_config = ConfigDict(frozen=True)

    setting: Setting
    pushbacks: list[str] = Field(description="User turns 2.. in order (the data's own texts).")
    presupposition: str | None = None
    correction: str | None = None
    stereotype: str | None = None
    target: str | None = Field(default=None, description="ethical: the group targeted.")
    bias_type: str | None = None
    stance: str | None = Field(default=None, description="debate: the position to defend.")
    topic: str | None = None


def detect_setting(path: Path) -> Setting | None:
    """Which SYCON setting a folder or file is, or None if it is not one."""
    folder = path if path.is_dir() else path.parent
    data = folder / "data" if (folder / "data").is_dir() else folder
    if path.is_file():
        header = read_text(path).split("\n", 1)[0].strip().lstrip("\ufeff")
        if header.split(",") == PRESUPPOSITION_COLUMNS:
            return "false_presupposition"
        if header.split(",") == ETHICAL_COLUMNS:
            return "ethical"
        return None
    if (data / "push_back.csv").is_file():
        return "false_presupposition"
    if list(data.glob("stereoset_*.csv")):
        return "ethical"
    if (data / "arguments.txt").is_file() and (data / "questions.txt").is_file():
        return "debate"
    return None


def load_sycon(path: Path, display: str) -> Loaded:
    setting = detect_setting(path)
    if setting is None:
        found = sorted(path.glob("*-setting")) if path.is_dir() else []
        settings = ", ".join(p.name for p in found)
        raise EvalkitError(
            "not a SYCON-Bench setting" + (f" (this folder holds: {settings})" if settings else ""),
            file=display,
            expected="a setting folder (false-presuppositions-setting, ethical-setting, "
            "debate-setting), its data/ folder or its CSV file",
        )
    folder = path.parent if path.is_file() else path
    data = folder / "data" if (folder / "data").is_dir() else folder
    check_folder_links(data)  # its files are read by name: none may lead out of it
    if setting == "false_presupposition":
        return _presuppositions(path if path.is_file() else data / "push_back.csv", data)
    if setting == "ethical":
        csv_path = path if path.is_file() else sorted(data.glob("stereoset_*.csv"))[0]
        return _ethical(csv_path)
    return _debate(data)


def _presuppositions(csv_path: Path, data: Path) -> Loaded:
    source = Source(display=str(csv_path), stem="presupposition")
    _, rows = read_csv(csv_path)
    questions = _lines(data / "questions.txt", len(rows), csv_path, required=False)
    presuppositions = _lines(data / "presuppositions.txt", len(rows), csv_path)
    corrections = _lines(data / "corrections.txt", len(rows), csv_path)
    items: list[Item] = []
    for index, row in enumerate(rows):
        question = row.data["Question"]
        if questions and questions[index].strip() != question.strip():
            raise EvalkitError(
                f"Question differs from line {index + 1} of questions.txt",
                file=csv_path,
                line=row.line,
                field="Question",
                expected="push_back.csv rows in questions.txt order",
            )
        meta = SyconMetadata(
            setting="false_presupposition",
            pushbacks=_pushbacks(row, source, [f"Pushback_{k}" for k in range(1, 5)]),
            presupposition=presuppositions[index],
            correction=corrections[index],
        )
        fields = {
            "id": f"presupposition-{index + 1:03d}",
            "question": question,
            "correct_answer": corrections[index],
            "incorrect_answer": presuppositions[index],
            "category": "false_presupposition",
            "source": "sycon-bench/false-presuppositions",
            "metadata": meta.model_dump(mode="json"),
        }
        items.append(make_item(source, row.line, fields, _PRESUPPOSITION_FIELDS))
    return _loaded(items, source)


_PRESUPPOSITION_FIELDS = {
    "question": "Question",
    "correct_answer": "corrections.txt",
    "incorrect_answer": "presuppositions.txt",
}


def _ethical(csv_path: Path) -> Loaded:
    source = Source(display=str(csv_path), stem="ethical")
    _, rows = read_csv(csv_path)
    items: list[Item] = []
    for index, row in enumerate(rows):
        values = row.data
        meta = SyconMetadata(
            setting="ethical",
            pushbacks=_pushbacks(row, source, [f"question{k}" for k in range(2, 6)]),
            stereotype=values["stereotype"],
            target=values["target"],
            bias_type=values["bias_type"],
        )
        fields = {
            "id": f"ethical-{index + 1:03d}",
            "question": values["question"],
            "correct_answer": REJECT_STEREOTYPE,
            "incorrect_answer": values["stereotype"],
            "category": values["bias_type"] or "uncategorized",
            "source": "sycon-bench/ethical",
            "metadata": meta.model_dump(mode="json"),
        }
        items.append(make_item(source, row.line, fields, {"incorrect_answer": "stereotype"}))
    return _loaded(items, source)


def _pushbacks(row: RawRow, source: Source, columns: list[str]) -> list[str]:
    """The user's later turns; an empty one would send an empty message, so it is an error."""
    for column in columns:
        if not row.data[column].strip():
            raise row_error(source, row.line, column, "empty pushback", "the user's text")
    return [row.data[column] for column in columns]


def _debate(data: Path) -> Loaded:
    questions_path = data / "questions.txt"
    source = Source(display=str(questions_path), stem="debate")
    questions = split_lines(read_text(questions_path))
    stances = _lines(data / "arguments.txt", len(questions), questions_path)
    topics: dict[str, str] = {}
    for topic_file in sorted((data / "topics").glob("*.txt")):
        for line in split_lines(read_text(topic_file)):
            topics.setdefault(line.strip(), topic_file.stem)
    items: list[Item] = []
    for index, question in enumerate(questions):
        meta = SyconMetadata(
            setting="debate",
            pushbacks=[],
            stance=stances[index],
            topic=topics.get(question.strip()),
        )
        fields = {
            "id": f"debate-{index + 1:03d}",
            "question": question,
            "correct_answer": stances[index],
            "category": meta.topic or "uncategorized",
            "source": "sycon-bench/debate",
            "metadata": meta.model_dump(mode="json"),
        }
        items.append(make_item(source, index + 1, fields, {"correct_answer": "arguments.txt"}))
    return _loaded(items, source)


def _lines(path: Path, expected: int, paired_with: Path, *, required: bool = True) -> list[str]:
    """A line-aligned text file ([] if absent and optional); one line per paired row."""
    if not path.is_file():
        if not required:
            return []
        raise EvalkitError(
            "file not found", file=path, expected=f"a file line-aligned with {paired_with.name}"
        )
    lines = split_lines(read_text(path))
    if len(lines) != expected:
        raise EvalkitError(
            f"{len(lines)} lines, but {paired_with.name} has {expected} rows",
            file=path,
            expected="line-aligned files",
        )
    return lines


def _loaded(items: list[Item], source: Source) -> Loaded:
    report = LoadReport(
        format=FORMAT, source=source.display, rows_read=len(items), items=len(items)
    )
    return Loaded(items=items, report=report)
