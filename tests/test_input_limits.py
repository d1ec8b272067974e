"""Hostile inputs and bad output paths: one error line and exit 2, quickly, within memory.

Configs and datasets come from other people (alias bombs, deep nesting, binary
data, FIFOs, device files, huge integers); output paths come from the command
line (a folder, an unwritable place). None may hang, blow up or leave a stray
temporary file behind.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gate_runs import RIGHT, make_run, replies

from evalkit.cli import main
from evalkit.loaders.rows import read_csv, read_jsonl

REPO = Path(__file__).resolve().parents[1]
QUICKSTART = (REPO / "examples" / "quickstart.yaml").read_text(encoding="utf-8")
ROW = {
    "id": "q1",
    "question": "What is the capital of France?",
    "choices": ["Paris", "London"],
    "correct_answer": "Paris",
    "incorrect_answer": "London",
}
#: A path the check cannot refuse but no write can create (procfs), even as root.
UNWRITABLE = Path("/proc/evalkit-no-such-dir-test") / "out"
PROC_FILE = Path("/proc/evalkit-test-output")
needs_proc = pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def one_error_line(code: int, err: str) -> str:
    assert code == 2, err
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def cli(capsys, *argv: str) -> str:
    """Run the CLI in-process; return its one error line."""
    code = main(list(argv))
    return one_error_line(code, capsys.readouterr().err)


def cli_subprocess(*argv: str, timeout: float = 60) -> str:
    """For inputs that would hang: a timeout fails the test instead of stalling the suite."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "1000"}
    done = subprocess.run(
        [sys.executable, "-m", "evalkit", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=REPO,
    )
    return one_error_line(done.returncode, done.stderr)


def config_with_dataset(tmp_path: Path, dataset: str | Path) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(QUICKSTART.replace("  - facts-mcq", f"  - {dataset}", 1), encoding="utf-8")
    return path


# -- configs -------------------------------------------------------------------------------


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """ "Billion laughs": each anchor is a list of ``width`` aliases of the previous one."""
    lines = ["a0: &a0 [" + ",".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_at_its_alias_quickly(tmp_path, capsys):
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb(), encoding="utf-8")
    assert path.stat().st_size < 500
    started = time.perf_counter()
    line = cli(capsys, "validate", str(path))
    assert time.perf_counter() - started < 5
    # 9 + 81 + 729 + 6561 + 59049 values by a4; the first alias of a5 crosses 100,000
    assert line.startswith(f"error: {path}:6: invalid YAML: more than 100,000 values"), line
    assert "alias *a4" in line


def test_alias_that_contains_itself_is_refused(tmp_path, capsys):
    path = tmp_path / "c.yaml"
    path.write_text("name: x\nmodels: &m [1, *m]\n", encoding="utf-8")
    assert "alias *m refers to a value that contains it" in cli(capsys, "validate", str(path))


def test_ordinary_aliases_still_work(tmp_path, capsys):
    text = QUICKSTART.replace("    generation:\n", "    generation: &gen\n", 1)
    text = text.replace(
        "datasets:",
        "  - provider: transformers\n    model: smollm2-135m-instruct\n    name: again\n"
        "    generation: *gen\n\ndatasets:",
        1,
    )
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    assert "2 model(s)" in " ".join(capsys.readouterr().out.split())


def test_deep_nesting_is_refused_at_its_line(tmp_path, capsys):
    path = tmp_path / "c.yaml"
    path.write_text("name: x\nmodels: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    line = cli(capsys, "validate", str(path))
    assert f"{path}:2:" in line and "nested more than 100 levels" in line


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"name: x\nseed: \xff\xfe\x00\x01\n", ":2: not UTF-8 text"),
        (b"name: x\ndescription: \x00\x01\x02\x03\n", ":2: not a text file"),
    ],
)
def test_binary_config_is_one_line_naming_the_line(tmp_path, capsys, content, needle):
    path = tmp_path / "c.yaml"
    path.write_bytes(content)
    assert needle in cli(capsys, "validate", str(path))


def test_config_integer_too_long_for_python(tmp_path, capsys):
    path = tmp_path / "c.yaml"
    path.write_text("name: x\nseed: " + "7" * 5000 + "\n", encoding="utf-8")
    line = cli(capsys, "validate", str(path))
    assert f"{path}:2: invalid YAML: cannot read 777" in line and "4300 digits" in line


@needs_fifo
def test_config_that_is_a_fifo_or_device_is_refused(tmp_path):
    fifo = tmp_path / "c.yaml"
    os.mkfifo(fifo)
    assert "not a regular file" in cli_subprocess("validate", str(fifo))
    if Path("/dev/zero").exists():
        assert "file of the running system" in cli_subprocess("validate", "/dev/zero")


def test_config_over_the_size_limit_is_refused_unread(tmp_path, capsys):
    path = tmp_path / "c.yaml"
    with path.open("wb") as handle:
        handle.truncate(5 * 2**20)  # sparse: 5 MiB of NUL bytes
    assert "over the 4.0 MiB limit for a config" in cli(capsys, "validate", str(path))


# -- datasets ------------------------------------------------------------------------------


def test_jsonl_strings_may_hold_unicode_line_separators(tmp_path):
    question = "What is\u2028the capital\u2029of\x85 France?\x0c\x1c"
    path = tmp_path / "d.jsonl"
    text = json.dumps(dict(ROW, question=question), ensure_ascii=False) + "\r\n"
    path.write_text(text + json.dumps(dict(ROW, id="q2")) + "\n", encoding="utf-8", newline="")
    rows = read_jsonl(path)
    assert [r.line for r in rows] == [1, 2]
    assert rows[0].data["question"] == question


def test_csv_quoted_fields_may_hold_line_breaks_of_every_kind(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        'question,correct_answer\r\n"a\u2028b\nc",x\r\nsecond\u0085row,y\r\n',
        encoding="utf-8",
        newline="",
    )
    header, rows = read_csv(path)
    assert header == ["question", "correct_answer"]
    got = [(r.line, r.data["question"]) for r in rows]
    assert got == [(2, "a\u2028b\nc"), (4, "second\x85row")]


def test_dataset_integer_too_long_names_file_line_and_field(tmp_path, capsys):
    data = tmp_path / "data.jsonl"
    huge = json.dumps(dict(ROW, id="q2", metadata={"n": "X"})).replace('"X"', "9" * 5000)
    data.write_text(json.dumps(ROW) + "\n" + huge + "\n", encoding="utf-8")
    line = cli(capsys, "validate", str(config_with_dataset(tmp_path, data)))
    assert f"{data}:2: metadata.n: integer too long" in line


def test_dataset_nested_too_deeply_is_a_bad_line(tmp_path, capsys):
    data = tmp_path / "data.jsonl"
    deep = '{"id": "q2", "metadata": ' + "[" * 100_000 + "]" * 100_000 + "}"
    data.write_text(json.dumps(ROW) + "\n" + deep + "\n", encoding="utf-8")
    line = cli(capsys, "validate", str(config_with_dataset(tmp_path, data)))
    assert f"{data}:2: invalid JSON: nested too deeply" in line


@needs_fifo
def test_dataset_that_is_a_fifo_or_device_is_refused(tmp_path):
    fifo = tmp_path / "data.jsonl"
    os.mkfifo(fifo)
    line = cli_subprocess("validate", str(config_with_dataset(tmp_path, fifo)))
    assert f"{fifo}: not a regular file" in line
    if Path("/dev/zero").exists():
        line = cli_subprocess("validate", str(config_with_dataset(tmp_path, "/dev/zero")))
        assert "'/dev/zero' is a file of the running system (dev)" in line


def test_dataset_over_the_size_limit_is_refused(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data.jsonl"
    data.write_text((json.dumps(ROW) + "\n") * 50, encoding="utf-8")
    monkeypatch.setenv("EVALKIT_MAX_DATASET_MB", "0.001")  # 1048 bytes
    line = cli(capsys, "validate", str(config_with_dataset(tmp_path, data)))
    assert f"{data}: file is" in line and "limit for a dataset" in line


# -- output paths --------------------------------------------------------------------------


@pytest.fixture
def runs(tmp_path):
    make_run(tmp_path, "a", replies(capitulate={3}), label="v1")
    make_run(tmp_path, "b", replies(capitulate={0, 1}), label="v2")
    return tmp_path / "a-run", tmp_path / "b-run"


def no_temporaries(folder: Path) -> None:
    assert not list(folder.rglob("*.tmp")), list(folder.rglob("*.tmp"))


def test_report_to_a_folder_is_refused_without_a_stray_temporary(runs, tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    assert "is a folder" in cli(capsys, "report", str(runs[0]), "-o", str(folder))
    no_temporaries(tmp_path)
    assert not (tmp_path / "out.tmp").exists()


@needs_proc
def test_outputs_to_unwritable_paths_are_one_line(runs, tmp_path, capsys):
    run = str(runs[0])
    for argv in (
        ("report", run, "-o", str(PROC_FILE)),
        ("export", run, "--format", "csv", "-o", str(PROC_FILE)),
        ("export", run, "--format", "parquet", "-o", str(PROC_FILE)),
        ("compare", run, str(runs[1]), "--json", str(PROC_FILE)),
        ("report", run, "-o", str(UNWRITABLE)),
        ("export", run, "--format", "csv", "-o", str(UNWRITABLE)),
        ("compare", run, str(runs[1]), "--json", str(UNWRITABLE)),
    ):
        line = cli(capsys, *argv)
        assert line.startswith("error: /proc/evalkit"), (argv, line)
    no_temporaries(tmp_path)


def test_export_and_compare_to_a_folder_are_refused(runs, tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    for argv in (
        ("export", str(runs[0]), "--format", "csv", "-o", str(folder)),
        ("compare", str(runs[0]), str(runs[1]), "--json", str(folder)),
    ):
        assert f"{folder}: is a folder" in cli(capsys, *argv)
    no_temporaries(tmp_path)


# -- CSV formula injection -----------------------------------------------------------------

FORMULAS = [
    *('=HYPERLINK("http://x.invalid","Paris")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"),
    # after what an importer may trim, or in full width
    *(" =5+5", "\n=3+3", "\u00a0=1", "\u200b=1", "\uff1d1+1"),
]


def test_csv_export_neutralises_formulas_and_parquet_keeps_them(tmp_path, capsys):
    def reply(sample):
        index = int(sample.item.id[1:])
        first = FORMULAS[index] if index < len(FORMULAS) else RIGHT
        return [first] + [RIGHT] * (sample.condition.turns - 1)

    make_run(tmp_path, "f", reply, label="v1")
    run = tmp_path / "f-run"
    out = tmp_path / "records.csv"
    assert main(["export", str(run), "--format", "csv", "-o", str(out)]) == 0
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    responses = {r["response"] for r in rows if r["turn"] == "1"}
    assert {"'" + formula for formula in FORMULAS} <= responses
    assert not any(r.startswith(("=", "+", "-", "@", "\t", "\r")) for r in responses)
    assert {r["prompt_tokens"] for r in rows} <= {str(n) for n in range(100_000)}  # untouched
    pandas = pytest.importorskip("pandas")
    assert main(["export", str(run), "--format", "parquet", "-o", str(tmp_path / "r.pq")]) == 0
    frame = pandas.read_parquet(tmp_path / "r.pq")
    assert set(FORMULAS) <= set(frame[frame["turn"] == 1]["response"])


def test_checking_a_wide_record_allocates_nothing_per_value():
    """A 20 MB line of ten million numbers took ~950 MB to check (an entry per value)."""
    import tracemalloc

    from evalkit.loaders.rows import _unreadable_value

    record = {"id": "x", "metadata": {"a": [0] * 1_000_000, "b": [[1, 2]] * 1000}}
    tracemalloc.start()
    try:
        assert _unreadable_value(record) is None
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, peak  # was ~100 MB: a tuple per number
