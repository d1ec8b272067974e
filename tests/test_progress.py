"""The progress bar redraws a few times a second, not as often as rich would by default."""

from __future__ import annotations

import io
import time

from rich.console import Console

from evalkit.progress import ProgressBar


def test_the_bar_redraws_at_most_four_times_a_second_on_a_terminal() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    with ProgressBar(console, total=1_000_000, label="model") as advance:
        end = time.perf_counter() + 2.0
        while time.perf_counter() < end:
            advance()
            time.sleep(0.002)
    redraws = out.getvalue().count("\x1b[2K")  # each redraw erases the bar's line first
    assert 4 <= redraws <= 2 * 4 + 2, redraws  # rich's default redraws ~20 times in 2 s
