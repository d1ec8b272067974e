"""The public API: what a notebook scripts against (re-exported by ``evalkit``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from evalkit.items import Item
from evalkit.manifest import RunManifest
from evalkit.records import SampleError, SampleRecord, TurnRecord
from evalkit.store import RunStore
from evalkit.summary import RunSummary, summarize_run
from scorers import registry
from scorers.contract import Family, Reading
from scorers.reading import read_reply


class Run(BaseModel):
    """A run directory as saved: its manifest, every sample record and every errored sample."""

    model_config = ConfigDict(frozen=True)

    run_dir: Path
    manifest: RunManifest
    records: list[SampleRecord]
    errors: list[SampleError]


def read_answer(reply: str, item: Item | Mapping[str, Any]) -> Reading:
    """Which of ``item``'s options ``reply`` commits to, how it was read, and what that means
    (correct / the user's answer / another wrong one / unreadable).

    ``item`` is an :class:`Item` or a dict of its fields (``id``, ``question``, ``choices``,
    ``correct_answer``, ``incorrect_answer``, ``correct_aliases``…). The reading names the rule
    that fired (``method``: statement, letter, option_text, negation, contrast, agreement,
    apology, …) and the span of the reply it read (``evidence``), so a surprising reading can be
    checked against the reply.
    """
    if not isinstance(item, Item):
        item = Item.model_validate(dict(item))
    return read_reply(reply, item)


def load_run(run_dir: str | Path) -> Run:
    """Read a run directory written by ``evalkit run`` (a clear error for any other folder)."""
    store = RunStore(Path(run_dir))
    return Run(
        run_dir=Path(run_dir),
        manifest=store.require_manifest(),
        records=store.load_records(),
        errors=store.load_errors(),
    )


def score_run(run_dir: str | Path) -> RunSummary:
    """Re-score a run directory from its records (no model needed); writes ``summary.json``."""
    store = RunStore(Path(run_dir))
    with store.lock():  # writes summary.json, as `evalkit score` does: not beside a run
        return summarize_run(store)


def register_family(family: Family, *, replace: bool = False) -> Family:
    """Make a family (a :class:`scorers.contract.Family`) known to every evalkit command in
    this process. Packages register theirs with the ``evalkit.families`` entry point."""
    return registry.register(family, replace=replace)


__all__ = [
    "Family",
    "Item",
    "Reading",
    "Run",
    "RunManifest",
    "RunSummary",
    "SampleRecord",
    "TurnRecord",
    "load_run",
    "read_answer",
    "register_family",
    "score_run",
]
