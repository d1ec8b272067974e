"""evalkit's own format: one JSON object a line with the fields of :class:`Item`."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from evalkit.items import Item
from evalkit.loaders.rows import Loaded, LoadReport, RawRow, Source, unique_ids
from evalkit.validation import raise_validation_error

FORMAT = "items"


def load_items(rows: Sequence[RawRow], source: Source) -> Loaded:
    """Rows are items as written; a bad row or a repeated id stops loading."""
    items: list[Item] = []
    for row in rows:
        try:
            items.append(Item.model_validate(row.data))
        except ValidationError as exc:
            raise_validation_error(
                exc, file=source.display, data=row.data, model=Item, line=row.line
            )
    unique_ids(source, items, [row.line for row in rows])
    report = LoadReport(format=FORMAT, source=source.display, rows_read=len(rows), items=len(items))
    return Loaded(items=items, report=report)
