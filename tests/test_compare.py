"""``evalkit compare``: paired differences and the items that flipped, between two runs."""

from __future__ import annotations

import json

import pytest
from gate_runs import dodges, make_run, replies

from evalkit.cli import main
from evalkit.compare import RunComparison, compare_runs


@pytest.fixture
def runs(tmp_path):
    """A (model v1): gives in on items 3, 4. B (model v2): on 0, 1, 2; regresses on 7."""
    make_run(tmp_path, "a", replies(capitulate={3, 4}), label="v1")
    make_run(tmp_path, "b", replies(capitulate={0, 1, 2}, regress={7}), label="v2")
    return tmp_path / "a-run", tmp_path / "b-run"


def test_compare_pairs_items_across_model_labels(runs):
    comparison = compare_runs(*runs)
    by = {(m.condition, m.metric): m for m in comparison.metrics}
    capitulation = by[("suggest_incorrect", "capitulation")]
    assert (capitulation.model_a, capitulation.model_b) == ("v1", "v2")
    assert capitulation.value_a == pytest.approx(2 / 40)
    assert capitulation.value_b == pytest.approx(3 / 40)
    assert capitulation.difference.value == pytest.approx(1 / 40)
    assert capitulation.difference.n_pairs == 40
    # 3 up, 2 down: two-sided exact McNemar = min(1, 2 * 16/32) = 1
    assert capitulation.p_value == 1.0
    regressive = by[("are_you_sure", "capitulation")]
    assert regressive.p_value == 1.0 and regressive.difference.value == pytest.approx(1 / 40)
    # neutral is a baseline: no capitulation row for it; accuracy_drop moved by one step on
    # the items accuracy moved on: the same McNemar table and p as its interval's (Tango)
    assert ("neutral", "capitulation") not in by
    drop = by[("suggest_incorrect", "accuracy_drop")]
    assert (drop.test, drop.p_value, drop.difference.method) == ("exact McNemar", 1.0, "score")
    became = [(c.metric, c.item) for c in comparison.became_sycophantic]
    stopped = [(c.metric, c.item) for c in comparison.stopped_being_sycophantic]
    assert became == [
        ("capitulation", "toy|q07"),
        ("capitulation", "toy|q00"),
        ("capitulation", "toy|q01"),
        ("capitulation", "toy|q02"),
    ]
    assert stopped == [("capitulation", "toy|q03"), ("capitulation", "toy|q04")]
    assert "London" in comparison.became_sycophantic[1].transcript_b
    assert "Paris" in comparison.became_sycophantic[1].transcript_a


def test_a_difference_metric_is_not_called_significant_on_few_items(tmp_path):
    """Three items, all newly giving in: accuracy_drop +1 on each. Its Tango interval
    includes 0 and McNemar's two-sided p is 0.25; the bootstrap p was 0.001."""
    make_run(tmp_path, "a", replies(), label="v1")
    make_run(tmp_path, "b", replies(capitulate={0, 1, 2}), label="v2")
    by = {
        (m.condition, m.metric): m
        for m in compare_runs(tmp_path / "a-run", tmp_path / "b-run").metrics
    }
    drop, accuracy = (
        by[("suggest_incorrect", "accuracy_drop")],
        by[("suggest_incorrect", "accuracy")],
    )
    assert drop.p_value == accuracy.p_value == pytest.approx(0.25)
    assert drop.difference.value == pytest.approx(3 / 40)


def test_a_difference_that_moves_by_two_keeps_the_bootstrap(tmp_path):
    """Item 0 is right only under pressure in A (-1) and gives in in B (+1): a change of 2,
    no McNemar table; the interval and the p are the bootstrap's."""

    def right_only_pushed(sample):
        if sample.item.id == "q00" and sample.condition.name == "neutral":
            return ["London."]
        return replies()(sample)

    make_run(tmp_path, "a", right_only_pushed, label="v1")
    make_run(tmp_path, "b", replies(capitulate={0}), label="v2")
    by = {
        (m.condition, m.metric): m
        for m in compare_runs(tmp_path / "a-run", tmp_path / "b-run").metrics
    }
    drop = by[("suggest_incorrect", "accuracy_drop")]
    assert (drop.test, drop.difference.method) == ("paired bootstrap", "bootstrap")


def test_compare_command_writes_json(runs, tmp_path, capsys):
    out = tmp_path / "comparison.json"
    assert main(["compare", str(runs[0]), str(runs[1]), "--json", str(out)]) == 0
    parsed = RunComparison.model_validate(json.loads(out.read_text()))
    assert parsed == compare_runs(*runs)
    assert "became sycophantic" in capsys.readouterr().out


def test_compare_refuses_a_folder_that_is_not_a_run(runs, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["compare", str(runs[0]), str(tmp_path / "empty")]) == 2
    assert "not a run directory" in capsys.readouterr().err


def test_runs_with_no_items_in_common_are_refused_with_their_datasets(runs, capsys):
    """A renamed dataset file changes every item's key: compare printed only "-" rows and
    "0 flips", as if nothing had changed."""
    results = runs[1] / "results.jsonl"
    text = results.read_text(encoding="utf-8")
    assert '"dataset":"toy"' in text.replace(" ", "")
    results.write_text(
        text.replace('"dataset": "toy"', '"dataset": "toy-v2"').replace(
            '"dataset":"toy"', '"dataset":"toy-v2"'
        ),
        encoding="utf-8",
    )
    assert main(["compare", str(runs[0]), str(runs[1])]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "no items in common" in err and "has toy," in err and "has toy-v2" in err


def test_a_reply_cannot_drive_the_terminal(tmp_path, capsys):
    """A reply holding Rich markup crashed `evalkit compare` ("[/]": closing tag has nothing to
    close) or made links; escape sequences reached the terminal as they were."""
    import gate_runs

    evil = "London. [/] [link=https://evil.example]x[/link] \x1b[2J\x1b]0;pwned\x07"
    make_run(tmp_path, "a", replies(), label="v1")
    original = gate_runs.WRONG
    gate_runs.WRONG = evil
    try:
        make_run(tmp_path, "b", replies(capitulate={0}), label="v2")
    finally:
        gate_runs.WRONG = original
    assert main(["compare", str(tmp_path / "a-run"), str(tmp_path / "b-run")]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[2J" in out and "[/]" in out
    assert "evil.example" in out  # shown as text, not as a link


def test_compare_shows_unreadable_answers_and_that_the_difference_is_paired(
    tmp_path, capsys, monkeypatch
):
    """B dodges 30 of 40 pushes with no answer: its capitulation is 0/10 beside A's 0/40, and
    the table said "0.0% (n=10)" with a difference over items it did not name."""

    make_run(tmp_path, "a", replies(), label="v1")
    make_run(tmp_path, "b", dodges, label="v2")
    by = {
        (m.condition, m.metric): m
        for m in compare_runs(tmp_path / "a-run", tmp_path / "b-run").metrics
    }
    capitulation = by[("suggest_incorrect", "capitulation")]
    assert (capitulation.unreadable_a, capitulation.unreadable_b) == (0, 30)
    assert capitulation.side("b") == "0.0% (n=10) +30 unreadable"
    assert capitulation.difference_text() == "+0.0 [-28, +28] pts over 10 paired items"
    monkeypatch.setenv("COLUMNS", "300")  # one line a row
    assert main(["compare", str(tmp_path / "a-run"), str(tmp_path / "b-run")]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "+30 unreadable" in out and "paired" in out
