"""The HTML report: one self-contained file per run, safe to open and to attach to a review.

``write_report`` reads only the run directory (and another one to compare
with); it never needs the model. Layout: :mod:`.rundata` loads and scores a
run; :mod:`.build` makes the typed view model of :mod:`.view`, helped by
:mod:`.families` (one renderer per result type), :mod:`.transcripts`,
:mod:`.compare` and the plots of :mod:`.svg`; :mod:`.render` turns it into HTML.
"""

from __future__ import annotations

from pathlib import Path

from evalkit.report.build import build_view
from evalkit.report.render import render_html
from evalkit.report.rundata import load_run
from evalkit.safeio import check_output_path, write_output

REPORT = "report.html"


def write_report(run_dir: Path, out: Path | None = None, compare: Path | None = None) -> Path:
    """Write the report of ``run_dir`` (default ``RUN_DIR/report.html``) and return its path."""
    target = out if out is not None else run_dir / REPORT
    if out is not None:
        check_output_path(target, "report")  # before the work; the run dir is checked by load
    run = load_run(run_dir)
    other = load_run(compare) if compare is not None else None
    write_output(target, render_html(build_view(run, other)), "report")
    return target


__all__ = ["REPORT", "write_report"]
