"""ELEPHANT (Cheng et al. 2025, social sycophancy): the OEQ and AITA CSV files as published.

myracheng/elephant ships two CSV layouts (pandas exports, first column the
row index, named ``""`` or ``"Unnamed: 0"``):

- OEQ (open-ended questions from advice subreddits): ``prompt`` (the post),
  ``human`` (a human reply to it), ``source`` and the published 0/1 labels of
  the human reply, ``emotional_validation_human``, ``indirect_language_human``,
  ``indirect_action_human``, ``accept_framing_human`` (written ``0``/``1`` or
  ``0.0``/``1.0``; empty = no label);
- AITA (r/AmITheAsshole): ``prompt``, ``top_comment`` (the top human reply),
  ``is_asshole`` (0/1) and ``ytanta`` (the community verdict, ``YTA``/``NTA``).

The files in ``outputs/`` add a model's reply (``gpt_response``) and GPT-4o
judge labels (``*_gpt4o``); those columns are kept in ``metadata.extra``.
There is no correct answer to advice, so OEQ items carry a fixed
``correct_answer`` placeholder; an AITA item's is the community verdict.
Each item is asked only under its own setting's template (``not_asked_under``).

Sources (always with ``format: elephant``; the setting is told by the header):

- the samples beside the repository: ``../shared/public-data/elephant/datasets/OEQ_sample.csv``
  and ``AITA_sample.csv`` (10 posts each), ``outputs/oeq_outputs.csv`` (with GPT-4o's replies
  and their labels);
- the full sets, ``datasets/OEQ.csv`` and ``datasets/AITA.csv`` of github.com/myracheng/elephant,
  as a local copy (``name: path/to/OEQ.csv``);
- a Hugging Face dataset repo holding them: one file, ``hf://<owner>/<name>/datasets/OEQ.csv``
  (downloaded once, then read from the hub cache, offline too; ``local_path:`` for a copy made
  elsewhere), or a repo of one CSV read whole through ``datasets``, ``hf://<owner>/<name>``
  (numbers and nulls in its rows are read as the CSV's text). The authors publish no hub copy
  that evalkit knows of, so no default repo is named.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from evalkit.items import Item
from evalkit.loaders.rows import (
    Loaded,
    LoadReport,
    RawRow,
    Source,
    make_item,
    row_error,
    unique_ids,
)

FORMAT = "elephant"
Setting = Literal["oeq", "aita"]
#: The published human-reply label columns of OEQ, by dimension.
OEQ_DIMENSIONS = (
    "emotional_validation",
    "indirect_language",
    "indirect_action",
    "accept_framing",
)
AITA_VERDICTS = ("YTA", "NTA")
#: ``correct_answer`` of an OEQ item: advice has no answer key.
NO_ANSWER = "(open-ended advice: no reference answer)"
TEMPLATES: dict[Setting, str] = {"oeq": "elephant/oeq", "aita": "elephant/aita"}
_INDEX_COLUMNS = ("", "Unnamed: 0")


class ElephantMetadata(BaseModel):
    """``Item.metadata`` of an ELEPHANT item."""

    model_config = ConfigDict(frozen=True)

    setting: Setting
    #: the human reply to the same post: OEQ ``human``, AITA ``top_comment``
    human_reply: str
    #: OEQ: dimension -> the published 0/1 label of the human reply (None: no label)
    human_labels: dict[str, int | None] = Field(default_factory=dict)
    #: AITA: the community verdict (YTA / NTA)
    community_verdict: str | None = None
    #: the upstream row index (first CSV column)
    index: str | None = None
    extra: dict[str, str] = Field(default_factory=dict)
    not_asked_under: list[str] = Field(default_factory=list)


def detect(header: Sequence[str]) -> Setting | None:
    """AITA by its verdict column, OEQ by its human-reply column; None for neither."""
    if "prompt" in header and "ytanta" in header:
        return "aita"
    if "prompt" in header and "human" in header:
        return "oeq"
    return None


def load_elephant(header: Sequence[str], rows: Sequence[RawRow], source: Source) -> Loaded:
    setting = detect(header)
    if setting is None:
        raise row_error(
            source,
            1,
            None,
            "not an ELEPHANT CSV header (" + ", ".join(h or '""' for h in header[:8]) + ")",
            "OEQ: prompt, human, *_human labels; AITA: prompt, top_comment, is_asshole, ytanta",
        )
    # hub rows hold numbers and nulls where the CSV holds text: read both as text
    rows = [
        RawRow(r.line, {k: "" if v is None else str(v) for k, v in r.data.items()}) for r in rows
    ]
    items = [_item(row, source, setting) for row in rows]
    unique_ids(source, items, [row.line for row in rows])
    report = LoadReport(
        format=f"{FORMAT} ({setting})",
        source=source.display,
        rows_read=len(rows),
        items=len(items),
        warnings=[f"{setting.upper()} posts: not asked under {_other(setting)}"],
    )
    return Loaded(items=items, report=report)


def _other(setting: Setting) -> str:
    """The other setting's template, which this setting's posts are not asked under."""
    return next(t for s, t in TEMPLATES.items() if s != setting)


def _text(row: RawRow, source: Source, column: str, expected: str) -> str:
    value = row.data.get(column)
    if value is None or not value.strip():
        message = "required column is missing" if value is None else "must not be empty"
        raise row_error(source, row.line, column, message, expected)
    return value


def _label(row: RawRow, source: Source, column: str) -> int | None:
    raw = (row.data.get(column) or "").strip()
    if raw.casefold() in ("", "nan"):
        return None
    try:
        number = float(raw)
    except ValueError:
        number = -1.0
    if number not in (0.0, 1.0):
        raise row_error(
            source, row.line, column, f"got {raw!r}", "0 or 1 (0.0 / 1.0; empty = no label)"
        )
    return int(number)


def _item(row: RawRow, source: Source, setting: Setting) -> Item:
    index = next((row.data[c] for c in _INDEX_COLUMNS if row.data.get(c, "").strip()), None)
    prompt = _text(row, source, "prompt", "the post")
    known = {"prompt", *_INDEX_COLUMNS}
    if setting == "aita":
        verdict = _text(row, source, "ytanta", "YTA or NTA").strip().upper()
        if verdict not in AITA_VERDICTS:
            raise row_error(source, row.line, "ytanta", f"got {verdict!r}", "YTA or NTA")
        flag = _label(row, source, "is_asshole") if "is_asshole" in row.data else None
        if flag is not None and flag != (verdict == "YTA"):
            raise row_error(
                source,
                row.line,
                "is_asshole",
                f"is_asshole {flag} disagrees with ytanta {verdict}",
                "1 for YTA, 0 for NTA",
            )
        meta = ElephantMetadata(
            setting="aita",
            human_reply=row.data.get("top_comment") or "",
            community_verdict=verdict,
            index=index,
        )
        known |= {"ytanta", "is_asshole", "top_comment"}
        category, correct = f"aita-{verdict.lower()}", verdict
    else:
        labels = {
            d: _label(row, source, f"{d}_human") for d in OEQ_DIMENSIONS if f"{d}_human" in row.data
        }
        meta = ElephantMetadata(
            setting="oeq",
            human_reply=_text(row, source, "human", "the human reply to the post"),
            human_labels=labels,
            index=index,
        )
        known |= {"human", "source", *(f"{d}_human" for d in OEQ_DIMENSIONS)}
        category = (row.data.get("source") or "").strip() or "oeq"
        correct = NO_ANSWER
    meta = meta.model_copy(
        update={
            "extra": {k: v for k, v in row.data.items() if k not in known},
            "not_asked_under": [_other(setting)],
        }
    )
    fields = {
        "id": f"{source.stem}-{index if index is not None else row.line}",
        "question": prompt,
        "correct_answer": correct,
        "category": category,
        "source": f"cheng2025-elephant/{setting}",
        "metadata": meta.model_dump(mode="json"),
    }
    return make_item(source, row.line, fields, {"question": "prompt", "correct_answer": "ytanta"})
