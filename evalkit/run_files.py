"""The names of the files a run directory holds, shared by the store that writes them and
the output checks that must never write over them."""

from __future__ import annotations

from evalkit.run_lock import LOCK

RESULTS = "results.jsonl"
ERRORS = "errors.jsonl"
MANIFEST = "manifest.json"
SUMMARY = "summary.json"
REPORT = "report.html"
#: Made from the records: a new attempt at the run removes them until it writes its own.
OUTPUTS = (SUMMARY, REPORT, "report.transcripts.jsonl")
USAGE = "usage.jsonl"
JUDGEMENTS = "judgements.jsonl"  # written by evalkit.judges.judgement_store
JUDGE_ERRORS = "judge_errors.jsonl"
#: What no output (export, report, comparison) may be written over: the run itself.
RECORDS = frozenset({RESULTS, ERRORS, MANIFEST, USAGE, JUDGEMENTS, JUDGE_ERRORS, LOCK})
