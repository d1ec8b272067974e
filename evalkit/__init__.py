"""evalkit: measure how often a language model gives up the truth to please its user.

The public API, imported on first use (``import evalkit`` stays cheap for the CLI):

- types: :class:`Item`, :class:`SampleRecord`, :class:`RunManifest`, :class:`Reading`,
  :class:`Family`, :class:`Run`, :class:`RunSummary`;
- :func:`read_answer` (reply, item) -> the option it commits to;
- :func:`load_run` (run directory) and :func:`score_run` (re-score it);
- :func:`register_family` for a family defined in a notebook or another package.
"""

from __future__ import annotations

from typing import Any

from evalkit.version import __version__

_API = (
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
)
__all__ = [*_API, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _API:
        from evalkit import api

        return getattr(api, name)
    raise AttributeError(f"module 'evalkit' has no attribute {name!r}")
