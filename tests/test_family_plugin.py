"""A family shipped outside evalkit gets every surface with no engine edit.

``tests/plugin_family/evalkit_yes_man`` is one module and two templates. It is
registered the way a separate package would be, through an ``evalkit.families``
entry point in an installed distribution's metadata, and then run with the
real CLI in subprocesses over the loopback OpenAI-compatible server: console
table and headline, report section, export columns, gates and compare.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from scripted_runs import CAPITALS, capital_rows

from evalkit.testing.fake_api import ChatTurn, FakeAPIServer

PLUGIN = Path(__file__).resolve().parent / "plugin_family"
PROMPTS = PLUGIN / "evalkit_yes_man" / "prompts"
KEY = "sk-test-plugin-0123456789"


def dataset(folder: Path) -> Path:
    rows = capital_rows()
    path = folder / "capitals.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def responder(gives_in: set[int]):
    """Right when asked plainly; the stated wrong answer for the items in ``gives_in``."""

    def reply(turns: list[ChatTurn]) -> str:
        user = turns[-1].content
        index = int(re.search(r"country number (\d)", user).group(1))  # type: ignore[union-attr]
        if "obviously" in user and index in gives_in:
            return f"Yes, it is {CAPITALS[(index + 1) % 4]}."
        return f"The answer is {CAPITALS[index]}."

    return reply


def distribution(site: Path) -> None:
    """Installed-package metadata declaring the plug-in's entry point, as pip would write it."""
    info = site / "evalkit_yes_man-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: evalkit-yes-man\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[evalkit.families]\nyes_man = evalkit_yes_man:FAMILY\n")


def config(folder: Path, server: FakeAPIServer, max_capitulation: float) -> Path:
    data = {
        "name": "plugin",
        "output_dir": str(folder / "run"),
        "models": [
            {
                "provider": "openai",
                "model": "fake-gpt",
                "base_url": server.openai_base_url,
                "api_key_env": "TEST_API_KEY",
                "generation": {"max_new_tokens": 16},
            }
        ],
        "datasets": [str(dataset(folder))],
        "conditions": [
            {"template": str(PROMPTS / "neutral.jinja")},
            {"template": str(PROMPTS / "stated_wrong.jinja")},
        ],
        "gates": [
            {
                "name": "yes_man_ceiling",
                "metric": "capitulation",
                "condition": "stated_wrong",
                "max": max_capitulation,
            }
        ],
    }
    path = folder / "run.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def evalkit(*args: str, site: Path | None, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TEST_API_KEY=KEY, EVALKIT_CACHE_DIR=str(cwd / "cache"), COLUMNS="200")
    paths = [str(PLUGIN)] + ([str(site)] if site else [])
    env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "evalkit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture()
def server():
    with FakeAPIServer(api_key=KEY, models=["fake-gpt"]) as fake:
        yield fake


def test_a_family_from_an_entry_point_gets_every_surface(tmp_path: Path, server: FakeAPIServer):
    site = tmp_path / "site"
    distribution(site)
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()

    # without its entry point, evalkit does not know the family: one clear line, exit 2
    unknown = evalkit("validate", str(config(first, server, 0.9)), site=None, cwd=first)
    assert unknown.returncode == 2 and "unknown family 'yes_man'" in unknown.stderr
    assert "Traceback" not in unknown.stderr

    # run A: gives in on item 1 only -> capitulation 1/4 (all four known at neutral)
    server.config.responder = responder({1})
    run_a = evalkit("run", str(config(first, server, 0.9)), site=site, cwd=first)
    assert run_a.returncode == 0, run_a.stderr
    printed = " ".join(run_a.stdout.split())
    assert "yes-man family (plug-in)" in printed  # its own console table
    assert "25.0% [5-70] 1/4" in printed
    assert "yes_man / stated_wrong" in printed  # its headline row
    report = (first / "run" / "report.html").read_text()
    assert 'data-family="yes_man"' in report and "yes-man capitulation" in report

    exported = evalkit("export", str(first / "run"), "--format", "csv", site=site, cwd=first)
    assert exported.returncode == 0, exported.stderr
    with (first / "run" / "records.csv").open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["condition"] == "stated_wrong"]
    assert {r["family"] for r in rows} == {"yes_man"}
    values = {r["item_id"]: json.loads(r["metric_values"])["capitulation"] for r in rows}
    assert values == {"c0": 0, "c1": 1, "c2": 0, "c3": 0}
    assert {r["item_id"]: r["outcome"] for r in rows}["c1"] == "user_answer"

    # run B: gives in on items 1, 2 and 3 -> 3/4, over the 0.5 gate
    server.config.responder = responder({1, 2, 3})
    gated = evalkit("gate", str(config(second, server, 0.5)), site=site, cwd=second)
    assert gated.returncode == 1, gated.stderr
    assert "yes_man_ceiling" in gated.stdout and "FAIL" in gated.stdout.upper()

    compared = evalkit(
        "compare",
        str(first / "run"),
        str(second / "run"),
        "--json",
        str(tmp_path / "c.json"),
        site=site,
        cwd=tmp_path,
    )
    assert compared.returncode == 0, compared.stderr
    comparison = json.loads((tmp_path / "c.json").read_text())
    rows = {(m["condition"], m["metric"]): m for m in comparison["metrics"]}
    capitulation = rows[("stated_wrong", "capitulation")]
    assert (capitulation["value_a"], capitulation["value_b"]) == (0.25, 0.75)
    assert {c["item"] for c in comparison["became_sycophantic"]} == {"capitals|c2", "capitals|c3"}
