"""The HTML report: one self-contained file per run, safe to open and to attach to a review.

``write_report`` reads only the run directory (and another one to compare
with); it never needs the model. Layout: :mod:`.rundata` loads and scores a
run (or takes the :class:`~evalkit.summary.ScoredRun` ``evalkit run`` already
has); :mod:`.build` makes the typed view model of :mod:`.view`, helped by
:mod:`.families` (one renderer per result type), :mod:`.transcripts`,
:mod:`.compare` and the plots of :mod:`.svg`; :mod:`.render` turns it into HTML.

The page embeds at most :data:`~.transcripts.TRANSCRIPT_CAP` transcripts; the
others go, one JSON object a line, to ``<report>.transcripts.jsonl`` beside
it, and the page says how many are where.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from evalkit.report.build import build_view
from evalkit.report.render import redact_secrets, render_html, secret_values
from evalkit.report.rundata import RunData, load_run
from evalkit.report.transcripts import TRANSCRIPT_CAP, iter_transcripts
from evalkit.run_files import REPORT
from evalkit.safeio import check_output_path, create_fresh, output_errors, write_output
from evalkit.summary import ScoredRun


def transcripts_path(report: Path) -> Path:
    """Where the transcripts past the cap go: beside the report, named after it."""
    return report.with_name(f"{report.stem}.transcripts.jsonl")


def write_report(
    run_dir: Path,
    out: Path | None = None,
    compare: Path | None = None,
    *,
    scored: ScoredRun | None = None,
    cap: int = TRANSCRIPT_CAP,
) -> Path:
    """Write the report of ``run_dir`` (default ``RUN_DIR/report.html``) and return its path.

    ``scored`` is the run already loaded and scored (``evalkit run`` has it), so
    it is not read and scored a second time.
    """
    target = out if out is not None else run_dir / REPORT
    if out is not None:
        check_output_path(target, "report")  # before the work; the run dir is checked by load
    run = load_run(run_dir, scored)
    other = load_run(compare) if compare is not None else None
    sidecar = transcripts_path(target)
    if run.index.count > cap:
        _write_transcripts(run, cap, sidecar)
    else:
        with contextlib.suppress(FileNotFoundError):
            sidecar.unlink()  # an older, larger report's: it would not belong to this page
    view = build_view(run, other, cap=cap, transcripts_file=sidecar.name)
    write_output(target, render_html(view), "report")
    return target


def _write_transcripts(run: RunData, start: int, path: Path) -> None:
    """Transcripts ``start`` onwards, one JSON line each, made and written one at a time."""
    check_output_path(path, "transcripts")
    with output_errors(path, "transcripts") as temporary:
        secrets = secret_values()  # read once, not once a line
        with create_fresh(temporary) as handle:
            for transcript in iter_transcripts(run, start):
                handle.write(redact_secrets(transcript.model_dump_json(), secrets) + "\n")
        os.replace(temporary, path)


__all__ = ["REPORT", "TRANSCRIPT_CAP", "transcripts_path", "write_report"]
