"""Run directories from someone else (a gate's baseline, a run to compare or report on) may
hold records no run writes: each gives one error line or a sound page, never a traceback."""

from __future__ import annotations

import json

from gate_runs import make_run, replies

from evalkit.cli import main


def _first_record_edited(run_dir, edit) -> None:
    results = run_dir / "results.jsonl"
    lines = results.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    edit(record)
    lines[0] = json.dumps(record)
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_record_without_turns_is_one_error_line(tmp_path, capsys):
    """It crashed score, report, compare, export and gates with an IndexError."""
    make_run(tmp_path, "crafted", replies(), label="v1")
    run_dir = tmp_path / "crafted-run"
    _first_record_edited(run_dir, lambda r: r.update(turns=[]))
    for argv in (["score", str(run_dir)], ["export", str(run_dir), "--format", "csv"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and "results.jsonl:1" in err and "turns" in err, err


def test_a_nan_in_a_record_leaves_the_reports_data_readable(tmp_path):
    """`"latency_s": NaN` was written into the page's JSON, which no browser then parses."""
    make_run(tmp_path, "crafted", replies(), label="v1")
    run_dir = tmp_path / "crafted-run"
    _first_record_edited(run_dir, lambda r: r["turns"][0]["response"].update(latency_s="NaN"))
    text = (run_dir / "results.jsonl").read_text(encoding="utf-8")
    (run_dir / "results.jsonl").write_text(text.replace('"NaN"', "NaN", 1), encoding="utf-8")
    assert main(["report", str(run_dir)]) == 0
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    start = html.index('<script type="application/json"')
    data = html[html.index(">", start) + 1 : html.index("</script>", start)]
    assert "NaN" not in data
    json.loads(data)  # strict JSON, as a browser's JSON.parse
