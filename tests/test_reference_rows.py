"""The headline's reference rows: a family without a neutral baseline (ELEPHANT) compares the
model with a reference population (the human replies to the same posts) through the family
contract (``Family.reference``), on the console, in ``summary.json`` and in the HTML report,
with the very figures of the family table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_elephant_judge import EV, aita_item, oeq_item, verdict
from test_judged_metrics import write_oeq_run
from test_report import cli

from evalkit.cli import main
from evalkit.report.build import build_view
from evalkit.report.rundata import load_run
from evalkit.summary import RunSummary
from evalkit.testing.fake_api import FakeAPIServer
from scorers import registry
from scorers.elephant import score_elephant
from scorers.reference import reference_view
from scorers.stats import tango_interval, wilson
from scorers.verdicts import Verdicts

KEY = "sk-test-reference-rows-0123456789"
CAPTION = "Compared with a reference (human replies)"


def test_reference_rows_hold_the_hand_computed_figures_and_the_family_tables(make_record):
    records = [
        make_record(
            oeq_item(k, {"emotional_validation": human}), "oeq", "elephant", "preference", ["R"]
        )
        for k, (human, _) in EV.items()
    ]
    aita = make_record(aita_item("a1"), "aita", "elephant", "preference", ["NTA."])
    judgements = [verdict(r.sample_id, "emotional_validation", EV[r.item.id][1]) for r in records]
    rows = reference_view([*records, aita], Verdicts(judgements))

    # one row per OEQ behaviour, none for the AITA condition (no OEQ post in it)
    assert [(r.condition, r.behaviour) for r in rows] == [
        ("oeq", "emotional validation"),
        ("oeq", "indirect language"),
        ("oeq", "indirect action"),
        ("oeq", "accepting framing"),
    ]
    ev = rows[0]
    assert (ev.model, ev.family, ev.reference) == ("model-a", "elephant", "human replies")
    # model: p1..p6 judged 1,1,1,0,0,1 = 4/6, p7 unparsed counted beside
    assert (ev.model_rate.count, ev.model_rate.n, ev.model_rate.unreadable) == (4, 6, 1)
    # human: labelled p1..p5 and p7 -> p3, p4, p7 = 3/6 (p6 has no label)
    assert ev.reference_rate == wilson(3, 6)
    # pairs p1..p5: +1, +1, 0, -1, 0 -> 1/5, Tango with b = 2, c = 1, n = 5
    assert ev.difference.n_pairs == 5 and ev.difference.value == pytest.approx(0.2)
    assert (ev.difference.ci_low, ev.difference.ci_high) == tango_interval(2, 1, 5)
    # never asked: every verdict missing, no human label
    il = rows[1]
    assert (il.model_rate.n, il.model_rate.unreadable, il.reference_rate.n) == (0, 7, 0)

    # the family table's figures, behaviour by behaviour (one implementation)
    (result,) = [r for r in score_elephant([*records, aita], judgements) if r.setting == "oeq"]
    for row, dimension in zip(rows, result.judge, strict=True):
        assert row.model_rate == result.model_rates[dimension]
        assert row.difference == result.vs_human[dimension]
        assert row.reference_rate == result.human_rates.get(dimension, wilson(0, 0))


def test_every_declared_reference_names_the_familys_metrics():
    declared = [f for f in registry.families().values() if f.reference is not None]
    assert [f.name for f in declared] == ["elephant"]
    for family in declared:
        assert family.reference is not None
        for compared in family.reference.behaviours:
            rate = family.metric(compared.model_rate)
            difference = family.metric(compared.difference)
            assert rate is not None and rate.kind == "binary"
            assert difference is not None and difference.kind == "difference"


def test_a_family_without_a_reference_adds_no_table(tmp_path: Path, make_record):
    from test_report import toy_records, write_run

    run_dir = write_run(tmp_path / "toy", toy_records(make_record))
    assert load_run(run_dir).reference == []
    assert build_view(load_run(run_dir)).reference is None
    code, out, _ = cli("score", str(run_dir))
    assert code == 0 and "Capable, but gives in?" in out and "Compared with a reference" not in out
    assert json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))["reference"] == []
    assert main(["report", str(run_dir)]) == 0
    assert "reference-table" not in (run_dir / "report.html").read_text(encoding="utf-8")


def test_a_summary_written_before_reference_rows_still_loads(tmp_path: Path, make_record):
    from test_report import toy_records, write_run

    run_dir = write_run(tmp_path / "toy", toy_records(make_record))
    assert cli("score", str(run_dir))[0] == 0
    stored = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    del stored["reference"]
    assert RunSummary.model_validate(stored).reference == []


def test_an_oeq_run_shows_its_reference_rows_on_every_surface(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("EVALKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TEST_API_KEY", KEY)
    monkeypatch.setenv("COLUMNS", "250")
    out = tmp_path / "run"
    with FakeAPIServer(api_key=KEY, models=["fake-gpt", "fake-judge"]) as server:
        path = write_oeq_run(tmp_path, server, "oeq-reference")
        assert main(["run", str(path), "--out", str(out)]) == 0

    # summary.json: judged 1, 1, 1, 0 and one unparsed -> 3/4 (+1); human 0, 0, 1, 1, 0 -> 2/5;
    # pairs 1..4: +1, +1, 0, -1 -> 0.25 -- the family table's figures
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    [result] = [r for r in summary["results"] if r["family"] == "elephant"]
    rows = {r["behaviour"]: r for r in summary["reference"]}
    assert len(rows) == 4
    ev = rows["emotional validation"]
    assert (ev["model_rate"]["count"], ev["model_rate"]["n"], ev["model_rate"]["unreadable"]) == (
        3,
        4,
        1,
    )
    assert (ev["reference_rate"]["count"], ev["reference_rate"]["n"]) == (2, 5)
    assert ev["difference"]["value"] == pytest.approx(0.25) and ev["difference"]["n_pairs"] == 4
    assert ev["model_rate"] == result["model_rates"]["emotional_validation"]
    assert ev["reference_rate"] == result["human_rates"]["emotional_validation"]
    assert ev["difference"] == result["vs_human"]["emotional_validation"]

    # the console (evalkit score prints the summary) and the HTML report show the same cells
    code, printed, _ = cli("score", str(out))
    assert code == 0 and CAPTION in printed
    assert "75.0% [30-95] 3/4 +1 unreadable" in printed and "40.0% [12-77] 2/5" in printed
    view = build_view(load_run(out))
    assert view.reference is not None and view.reference.caption == CAPTION
    cells = {r[2]: r for r in view.reference.rows}["emotional validation"]
    assert cells[3].startswith("75.0% [30-95] 3/4 +1 unreadable")
    assert cells[4] == "40.0% [12-77] 2/5"
    assert cells[5].startswith("+25.0 [") and cells[5].endswith(", 4 pairs")
    assert main(["report", str(out)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    headline, reference = html.index('id="headline-table"'), html.index('id="reference-table"')
    assert headline < reference < html.index('id="plots"')
    assert CAPTION in html
