"""Every output of a saved run is what the code before streaming wrote (issue 14, item 5).

``tests/data/scoring_golden/run`` is a run of two models over four families (answer,
are-you-sure with several turns and its judge, arithmetic, feedback with its judge;
correct, user's-answer, other and unreadable readings; unparsed verdicts; replies cut at
max tokens). ``expected/`` is what ``summary.json``, the console tables, ``report.html``
with its transcripts sidecar, and the CSV and Parquet exports were from it at commit
f6f0c27, when every record of a run was held in memory (``make.py`` regenerates them),
plus the two warnings of judges that often gave no verdict, added later (the run's unparsed
verdicts are on purpose); nothing else in them changed then.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from golden_outputs import write_outputs

GOLDEN = Path(__file__).parent / "data" / "scoring_golden"
OUTPUTS = sorted(p.name for p in (GOLDEN / "expected").iterdir())

pytest.importorskip("pyarrow")


@pytest.fixture(scope="module", params=[False, True], ids=["score-report-export", "run"])
def written(request, tmp_path_factory) -> Path:
    """The outputs as ``evalkit score`` / ``report`` / ``export`` write them, or with the
    report made from the run scored once for the summary, as ``evalkit run`` does."""
    out = tmp_path_factory.mktemp("golden")
    write_outputs(GOLDEN / "run", out, reuse_scored=request.param)
    return out


@pytest.mark.parametrize("name", OUTPUTS)
def test_output_is_unchanged(written: Path, name: str):
    got = (written / name).read_text(encoding="utf-8")
    assert got == (GOLDEN / "expected" / name).read_text(encoding="utf-8")


def test_export_puts_a_samples_metric_values_on_one_row(written: Path):
    """Repeated on every turn row, a mean over rows counted a sample with a confirmation
    turn twice; now only its last turn's row carries them."""
    import csv

    with (written / "records.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert any(int(r["turns"]) > 1 for r in rows)
    for row in rows:
        last = row["turn"] == row["turns"]
        assert last or not row["metric_values"], row["sample_id"]
    carried = [r["sample_id"] for r in rows if r["metric_values"]]
    assert len(carried) == len(set(carried))
    # which of those values the definition gave an unreadable answer (not correct): a 0 an
    # analyst can tell from a read 0
    imputed = [r for r in rows if r["metric_imputed"]]
    assert imputed
    for row in imputed:
        values = json.loads(row["metric_values"])
        assert set(json.loads(row["metric_imputed"])) <= set(values)
        if row["family"] == "answer" and "accuracy" in json.loads(row["metric_imputed"]):
            assert row["reading_status"] != "answer" and values["accuracy"] == 0.0
