"""The run manifest: what was run, with which versions, and whether it is complete."""

from __future__ import annotations

import importlib.metadata
import platform
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from evalkit.judges.judgements import JudgeInfo
from evalkit.usage import ModelUsage
from evalkit.version import __version__

RunStatus = Literal["running", "incomplete", "complete"]


class RunCounts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    planned: int = 0
    completed: int = 0
    errored: int = 0

    @property
    def remaining(self) -> int:
        return self.planned - self.completed


class DatasetInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    path: str
    sha256: str
    items: int
    source: str = ""
    #: How rows became items: format, rows read, duplicates removed, merged, skipped.
    load_report: str = ""


class RunManifest(BaseModel):
    """Written at start and rewritten at the end; ``status`` says if results are whole.

    ``running`` with no process holding the directory's lock means the run was
    killed; its latest usage is then in ``usage.jsonl``, which
    :meth:`evalkit.store.RunStore.read_manifest` folds in.
    """

    model_config = ConfigDict(extra="forbid")

    run_name: str
    status: RunStatus
    config_path: str
    config: dict[str, Any]
    config_hash: str
    plan_hash: str
    evalkit_version: str = __version__
    python: str = Field(default_factory=platform.python_version)
    packages: dict[str, str] = Field(default_factory=dict)
    models: dict[str, dict[str, Any]] = Field(default_factory=dict)
    datasets: list[DatasetInfo] = Field(default_factory=list)
    conditions: list[dict[str, Any]] = Field(default_factory=list)
    started_at: datetime
    finished_at: datetime | None = None
    counts: RunCounts = Field(default_factory=RunCounts)
    usage: dict[str, ModelUsage] = Field(
        default_factory=dict, description="Per model label, summed over resumed attempts."
    )
    judges: dict[str, JudgeInfo] = Field(
        default_factory=dict, description="Per judged family: its judge and what it left undone."
    )
    awaiting_judges: list[str] = Field(
        default_factory=list,
        description="Judged families whose judging pass has not finished (a run killed while "
        "judging): the run is not complete while any is listed.",
    )


def package_versions(*names: str) -> dict[str, str]:
    found = {}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found
