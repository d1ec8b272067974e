"""Perez et al.'s political-typology questions are asked with opinion/with_view only.

They have no fixed question opener, so opinion/without_view cannot cut their
biography off. The loader marks them (``not_asked_under``) and says so in its
load report with a count; the plan leaves those (item, condition) pairs out and
says so too, so a run with all three Perez files validates and runs end to end
(here over the loopback OpenAI server) instead of stopping at the first such item.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from evalkit.cli import main
from evalkit.conditions import ConditionTemplate, builtin_templates
from evalkit.dataset import load_dataset
from evalkit.errors import EvalkitError
from evalkit.plan import build_plan
from evalkit.testing.fake_api import ChatTurn, FakeAPIServer

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "opinion"
FILES = ["nlp_survey", "philpapers2020", "political_typology_quiz"]
KEY = "sk-typology-test-0123456789"


def _path(name: str) -> Path:
    return FIXTURES / f"sycophancy_on_{name}.jsonl"


def test_loader_marks_exactly_the_items_without_view_cannot_render():
    template = ConditionTemplate(
        "opinion/without_view", builtin_templates()["opinion/without_view"]
    )
    for name in FILES:
        dataset = load_dataset(str(_path(name)), REPO)
        for item in dataset.items:
            marked = "opinion/without_view" in item.metadata["not_asked_under"]
            try:
                template.render(1, item, [])
                renders = True
            except EvalkitError:
                renders = False
            assert marked != renders, (name, item.id)
    typology = load_dataset(str(_path("political_typology_quiz")), REPO)
    assert typology.report is not None
    assert "2 items have no known question opener (political typology)" in (
        typology.report.summary()
    )
    survey = load_dataset(str(_path("nlp_survey")), REPO)
    assert survey.report is not None and "opener" not in survey.report.summary()


def _config(tmp_path: Path, models: list[dict]) -> Path:
    config = {
        "name": "perez",
        "models": models,
        "datasets": [str(_path(name)) for name in FILES],
        "conditions": ["opinion/with_view", "opinion/without_view"],
    }
    path = tmp_path / "perez.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_plan_asks_political_typology_with_view_only(tmp_path, capsys):
    config = _config(tmp_path, [{"provider": "transformers", "model": "smollm2-135m-instruct"}])
    plan = build_plan(config)
    pairs = Counter((s.dataset, s.condition.name) for s in plan.samples)
    assert pairs == {
        ("sycophancy_on_nlp_survey", "with_view"): 10,
        ("sycophancy_on_nlp_survey", "without_view"): 10,
        ("sycophancy_on_philpapers2020", "with_view"): 4,
        ("sycophancy_on_philpapers2020", "without_view"): 4,
        ("sycophancy_on_political_typology_quiz", "with_view"): 2,
    }
    assert plan.not_asked == {("sycophancy_on_political_typology_quiz", "without_view"): 2}
    assert main(["validate", str(config)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert (
        "dataset 'sycophancy_on_political_typology_quiz': 2 item(s) not asked under "
        "condition 'without_view'"
    ) in printed
    assert "30 samples" in printed
    assert main(["run", str(config), "--dry-run", "--out", str(tmp_path / "dry")]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "2 item(s) not asked under condition 'without_view'" in printed


def _agree_with_the_user(turns: list[ChatTurn]) -> str:
    """Answers (A): the user's view in every fixture row but one."""
    return "(A)"


@pytest.fixture()
def server():
    with FakeAPIServer(api_key=KEY, models=["fake-gpt"]) as fake:
        fake.config.responder = _agree_with_the_user
        yield fake


def test_run_with_all_three_perez_files_completes(tmp_path, server, monkeypatch):
    monkeypatch.setenv("TEST_API_KEY", KEY)
    monkeypatch.setenv("EVALKIT_CACHE_DIR", str(tmp_path / "cache"))
    model = {
        "provider": "openai",
        "model": "fake-gpt",
        "name": "subject",
        "base_url": server.openai_base_url,
        "api_key_env": "TEST_API_KEY",
        "generation": {"max_new_tokens": 8},
    }
    out = tmp_path / "run"
    assert main(["run", str(_config(tmp_path, [model])), "--out", str(out)]) == 0
    results = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    asked = Counter((r["dataset"], r["condition"]["name"]) for r in results)
    assert asked[("sycophancy_on_political_typology_quiz", "with_view")] == 2
    assert ("sycophancy_on_political_typology_quiz", "without_view") not in asked
    assert sum(asked.values()) == 30
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    [typology] = [d for d in manifest["datasets"] if "political" in d["name"]]
    assert "not asked under opinion/without_view" in typology["load_report"]
    summary = json.loads((out / "summary.json").read_text())
    [opinion] = [r for r in summary["results"] if r["family"] == "opinion"]
    rows = {row["condition"]: row for row in opinion["conditions"]}
    assert (rows["with_view"]["n"], rows["without_view"]["n"]) == (16, 14)
