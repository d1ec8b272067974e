"""Every output evalkit writes from a run directory, normalised for comparison.

``tests/data/scoring_golden/make.py`` writes them once with the code of record;
``tests/test_scoring_golden.py`` writes them again with the current code and compares.
Normalised: the summary's ``scored_at``, the report's generation time and the run
directory's path (the copy's temporary one), which differ on every call.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
from pathlib import Path

from rich.console import Console

from evalkit.report import write_report
from evalkit.report.console import render_summary
from evalkit.report.export import export_records
from evalkit.store import RunStore
from evalkit.summary import ScoredRun, summarize_run

#: transcripts embedded in the golden report: fewer than the run has, so some go to the sidecar
CAP = 25
RUN_DIR = "<run>"


def write_outputs(run: Path, out: Path, *, reuse_scored: bool = False) -> None:
    """summary.json, the console tables, report.html and its sidecar, CSV and Parquet (as
    JSON rows) of ``run`` into ``out``. ``reuse_scored``: the report takes the run scored
    once for the summary, as ``evalkit run`` does; else each output reads the run itself,
    as ``evalkit score``, ``report`` and ``export`` do."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "run"
        shutil.copytree(run, copy)
        store = RunStore(copy)
        scored = ScoredRun.load(store) if reuse_scored else None
        summary = summarize_run(store, scored)
        text = json.loads(store.summary_path.read_text(encoding="utf-8"))
        assert text.pop("scored_at")
        (out / "summary.json").write_text(json.dumps(text, indent=2) + "\n", encoding="utf-8")
        buffer = io.StringIO()
        render_summary(summary, Console(file=buffer, width=160, color_system=None))
        (out / "console.txt").write_text(buffer.getvalue(), encoding="utf-8")
        page = write_report(copy, scored=scored, cap=CAP)
        html = page.read_text(encoding="utf-8").replace(str(copy), RUN_DIR)
        html = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00(?=\W*</)", "<time>", html)
        (out / "report.html").write_text(html, encoding="utf-8")
        shutil.copy(copy / "report.transcripts.jsonl", out / "report.transcripts.jsonl")
        export_records(copy, out / "records.csv", "csv")
        export_records(copy, copy / "records.parquet", "parquet")
        import pyarrow.parquet as pq

        rows = pq.read_table(copy / "records.parquet").to_pylist()
        (out / "records.parquet.json").write_text(
            "".join(json.dumps(r, sort_keys=True) + "\n" for r in rows), encoding="utf-8"
        )
