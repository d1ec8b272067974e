"""A rich progress bar over samples or judge questions, shared by the runner and the judge pass."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

#: Redraws a second. Rich's default (10) redraws from a thread of its own, which takes the
#: interpreter from the event loop sending requests; a count of thousands of samples reads
#: as well at 4.
REFRESHES_PER_SECOND = 4


class ProgressBar:
    """A rich progress bar over samples; yields a callback that advances it."""

    def __init__(self, console: Console, total: int, label: str) -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
            refresh_per_second=REFRESHES_PER_SECOND,
        )
        self._task = self._progress.add_task(label, total=total)

    def __enter__(self) -> Callable[[], None]:
        self._progress.start()
        return lambda: self._progress.advance(self._task)

    def __exit__(self, *_: object) -> None:
        self._progress.stop()
