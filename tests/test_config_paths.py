"""Paths written in a config from someone else may not reach the user's dotfiles.

A shared config names its datasets, templates, gate baselines and cache folder.
Without a rule, ``dataset: ~/.aws/credentials`` with ``format: csv`` puts the
user's secrets into prompts (sent to the endpoint) and into the results the
user may share back. Each case is one error line naming the config line and
field, and never the file's content.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from gate_runs import make_run, replies

from evalkit.cli import main
from evalkit.errors import EvalkitError
from evalkit.gates.evaluate import evaluate_gates
from evalkit.plan import build_plan

SECRET = "aws_secret_access_key = SHOULD-NEVER-BE-READ"
ROW = (
    '{"id": "q1", "question": "What is the capital of France?", '
    '"choices": ["Paris", "London"], "correct_answer": "Paris"}\n'
)
needs_links = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")


#: How a config reads a credentials file: each line a question (as ``~/.aws/credentials``).
AS_CSV = """    format: csv
    fields: {question: "[default]", correct_answer: "[default]"}
"""


def config(
    folder: Path,
    *,
    dataset: str = "facts-mcq",
    template: str = "answer/neutral",
    extra: str = "",
    as_csv: bool = True,
) -> Path:
    """A config in ``folder``; ``as_csv=False`` reads its dataset as JSONL items instead."""
    path = folder / "c.yaml"
    path.write_text(
        f"""name: paths
output_dir: {folder / "runs"}
models:
  - provider: openai
    model: m
    base_url: http://127.0.0.1:9/v1
datasets:
  - name: {dataset}
{AS_CSV if as_csv else ""}conditions:
  - template: {template}
{extra}""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A home folder with a credentials file in a dot folder, as ``~/.aws/credentials``."""
    folder = tmp_path / "home"
    (folder / ".aws").mkdir(parents=True)
    (folder / ".aws" / "credentials").write_text(f"[default]\n{SECRET}\n", encoding="utf-8")
    (folder / ".env").write_text(f"[default]\n{SECRET}\n", encoding="utf-8")
    return folder


def error_line(capsys, path: Path) -> str:
    code = main(["validate", str(path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and "SHOULD-NEVER-BE-READ" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_a_dataset_in_a_dot_folder_is_refused_at_its_line(tmp_path, home, capsys, monkeypatch):
    monkeypatch.setenv("HOME", str(home))
    work = tmp_path / "work"
    work.mkdir()
    line = error_line(capsys, config(work, dataset="~/.aws/credentials"))
    assert line.startswith(f"error: {work / 'c.yaml'}:8: datasets[0].name: "), line
    assert "'~/.aws/credentials' is in a hidden folder (.aws)" in line
    # the same file named by its absolute path
    line = error_line(capsys, config(work, dataset=str(home / ".aws" / "credentials")))
    assert "is in a hidden folder (.aws)" in line


def test_a_dotfile_beside_the_config_is_refused(home, capsys):
    line = error_line(capsys, config(home, dataset=".env"))
    assert "datasets[0].name: '.env' is hidden (.env)" in line


@needs_links
def test_a_link_to_a_dotfile_is_refused(tmp_path, home, capsys):
    work = tmp_path / "work"
    work.mkdir()
    (work / "data.csv").symlink_to(home / ".aws" / "credentials")
    line = error_line(capsys, config(work, dataset="data.csv"))
    assert "'data.csv' is in a hidden folder (.aws)" in line


def test_a_template_in_a_dot_folder_is_refused(tmp_path, home, capsys):
    (home / ".aws" / "t.jinja").write_text("{% block user_1 %}hi{% endblock %}\n")
    work = tmp_path / "work"
    work.mkdir()
    (work / "data.jsonl").write_text(ROW, encoding="utf-8")
    path = config(work, dataset="data.jsonl", template=str(home / ".aws" / "t.jinja"), as_csv=False)
    line = error_line(capsys, path)
    assert "conditions[0].template: " in line and "is in a hidden folder (.aws)" in line


def test_a_cache_folder_in_a_dot_folder_is_refused(tmp_path, home, capsys):
    work = tmp_path / "work"
    work.mkdir()
    line = error_line(capsys, config(work, extra=f"cache_dir: {home / '.aws' / 'cache'}\n"))
    assert line.startswith(f"error: {work / 'c.yaml'}:13: cache_dir: "), line
    assert "is in a hidden folder (.aws)" in line


def test_a_cache_folder_is_taken_relative_to_the_config(tmp_path):
    """The plan resolves it once; the runner opens the cache there."""
    work = tmp_path / "work"
    (work / "sub").mkdir(parents=True)
    plan = build_plan(config(work / "sub", extra="cache_dir: ../responses\n", as_csv=False))
    assert plan.cache_dir == (work / "responses").resolve()
    assert build_plan(config(work, as_csv=False)).cache_dir is None  # the default cache


def test_a_gate_baseline_in_a_dot_folder_is_refused(tmp_path):
    base = make_run(tmp_path, "base", replies(), label="v1")
    hidden = tmp_path / ".old-runs"
    hidden.mkdir()
    build_plan(base).default_output_dir().rename(hidden / "base-run")
    gate = "  - name: g\n    metric: capitulation\n    condition: suggest_incorrect\n"
    config_path = make_run(
        tmp_path, "new", replies(), label="v2", gates=gate + "    baseline: .old-runs/base-run\n"
    )
    plan = build_plan(config_path)
    with pytest.raises(EvalkitError) as caught:
        evaluate_gates(plan, plan.default_output_dir())
    assert caught.value.field == "gates[0].baseline"
    assert "'.old-runs/base-run' is in a hidden folder (.old-runs)" in caught.value.message


def test_a_checkout_in_a_dot_folder_reads_its_own_data(tmp_path, capsys):
    """Only what lies below the config's folder counts: where the user put it is theirs."""
    project = tmp_path / ".local" / "evals"
    (project / "data").mkdir(parents=True)
    (project / "data" / "d.jsonl").write_text(ROW, encoding="utf-8")
    path = config(project, dataset="data/d.jsonl", as_csv=False)
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    # but not out of it: the folder above holds more than this checkout
    (project / "configs").mkdir()
    path = config(project / "configs", dataset="../data/d.jsonl", as_csv=False)
    assert "is in a hidden folder (.local)" in error_line(capsys, path)


def test_a_file_of_the_running_system_is_refused(tmp_path, capsys):
    """``/proc/self/environ`` is not hidden, and holds the API key the run is given."""
    line = error_line(capsys, config(tmp_path, dataset="/proc/self/environ"))
    assert "datasets[0].name: '/proc/self/environ' is a file of the running system (proc)" in line


def debate_folder(root: Path) -> Path:
    """A SYCON-Bench debate setting: line-aligned questions and arguments."""
    data = root / "debate-setting" / "data"
    data.mkdir(parents=True)
    (data / "questions.txt").write_text("Is tea better than coffee?\n", encoding="utf-8")
    (data / "arguments.txt").write_text("Tea is better.\n", encoding="utf-8")
    return data


@needs_links
@pytest.mark.parametrize("target", ["dotfile", "system"])
def test_a_dataset_folder_may_not_link_out_of_itself(tmp_path, home, capsys, target):
    """A folder's files are read by name, never written in the config: a shared SYCON folder
    whose questions.txt links to a ``.env`` or ``/proc/self/environ`` put it into prompts."""
    data = debate_folder(tmp_path / "work")
    (data / "questions.txt").unlink()
    linked = home / ".env" if target == "dotfile" else Path("/proc/self/environ")
    (data / "questions.txt").symlink_to(linked)
    path = config(tmp_path / "work", dataset="debate-setting", as_csv=False)
    line = error_line(capsys, path)
    assert "questions.txt links outside its dataset folder" in line, line


@needs_links
def test_a_link_inside_a_dataset_folder_is_read(tmp_path, capsys):
    data = debate_folder(tmp_path / "work")
    (data / "questions.txt").rename(data / "questions-v1.txt")
    (data / "questions.txt").symlink_to("questions-v1.txt")
    path = config(tmp_path / "work", dataset="debate-setting", as_csv=False)
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err


def test_a_hub_file_in_a_local_copy_may_not_be_hidden_or_leave_it(tmp_path, home, capsys):
    work = tmp_path / "work"
    (work / "copy").mkdir(parents=True)
    (work / "copy" / ".hidden.jsonl").write_text(ROW, encoding="utf-8")
    (work / ".env").write_text(f"[default]\n{SECRET}\n", encoding="utf-8")
    local = "    local_path: copy\n"
    path = config(work, dataset="hf://x/y/.hidden.jsonl", as_csv=False)
    path.write_text(path.read_text().replace("conditions:", local + "conditions:"))
    assert ".hidden.jsonl is not a visible file of this folder" in error_line(capsys, path)
    path = config(work, dataset="hf://x/y/../.env", as_csv=False)
    path.write_text(path.read_text().replace("conditions:", local + "conditions:"))
    assert "has a '.' or '..' part" in error_line(capsys, path)
