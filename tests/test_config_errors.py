"""Every input mistake is one clear error through the CLI: exit 2, file:line, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from evalkit.cli import main
from evalkit.items import Item
from evalkit.manifest import RunManifest
from evalkit.store import RunStore

REPO = Path(__file__).resolve().parents[1]
QUICKSTART_TEXT = (REPO / "examples" / "quickstart.yaml").read_text(encoding="utf-8")


def flat(text: str) -> str:
    """The CLI's console wraps long lines; compare with whitespace collapsed."""
    return " ".join(text.split())


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line of ``text`` containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in config")


def edited(old: str, new: str) -> str:
    assert old in QUICKSTART_TEXT, old
    return QUICKSTART_TEXT.replace(old, new, 1)


def write(tmp_path: Path, text: str, name: str = "c.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


ROW = {
    "id": "q1",
    "question": "What is the capital of France?",
    "choices": ["Paris", "London"],
    "correct_answer": "Paris",
    "incorrect_answer": "London",
}


def jsonl(*rows: dict | str) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)


def with_dataset(tmp_path: Path, rows: str) -> str:
    (tmp_path / "data.jsonl").write_text(rows, encoding="utf-8")
    return edited("  - facts-mcq", "  - data.jsonl")


def run_and_validate(tmp_path: Path, cfg: Path, capsys) -> tuple[str, str]:
    """``run`` and ``validate`` both exit 2 without a traceback or any output directory."""
    out = tmp_path / "out"
    assert main(["run", str(cfg), "--out", str(out)]) == 2
    run_err = capsys.readouterr().err
    assert not out.exists()
    assert main(["validate", str(cfg)]) == 2
    validate_err = capsys.readouterr().err
    for err in (run_err, validate_err):
        assert "Traceback" not in err
        assert err.startswith("error:")
    assert flat(run_err) == flat(validate_err)
    return flat(run_err), str(cfg)


def test_validate_quickstart_is_ok(capsys):
    assert main(["validate", str(REPO / "examples" / "quickstart.yaml")]) == 0
    out = capsys.readouterr().out
    # 168 facts-mcq items x 5 conditions x 1 model
    assert "ok" in out and "1176 samples" in flat(out)


def test_validate_custom_condition_example_is_ok(capsys):
    # a template by path next to built-ins, and loglik conditions
    assert main(["validate", str(REPO / "examples" / "custom_condition.yaml")]) == 0
    assert "4 condition(s)" in flat(capsys.readouterr().out)


def test_unknown_top_level_key(tmp_path, capsys):
    text = QUICKSTART_TEXT + "\nbogus_key: 1\n"
    err, cfg = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert f"{cfg}:{line_of(text, 'bogus_key')}: bogus_key: unknown key" in err
    expected = err.split("expected one of:")[1]
    for key in ("name", "description", "seed", "limit", "output_dir", "models", "datasets"):
        assert key in expected
    assert "conditions" in expected


def test_unknown_key_inside_a_model(tmp_path, capsys):
    text = edited("    batch_size: 256", "    bach_size: 256")
    err, cfg = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert f"{cfg}:{line_of(text, 'bach_size')}: models[0].bach_size: unknown key" in err
    for key in ("batch_size", "device", "dtype", "generation", "model", "provider", "threads"):
        assert key in err.split("expected one of:")[1]


def test_unknown_key_inside_generation(tmp_path, capsys):
    text = edited("      temperature: 0", "      temprature: 0")
    err, cfg = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    line = line_of(text, "temprature")
    assert f"{cfg}:{line}: models[0].generation.temprature: unknown key" in err
    assert "max_new_tokens" in err and "top_p" in err


def test_wrong_type(tmp_path, capsys):
    text = edited("batch_size: 256", "batch_size: lots")
    err, cfg = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert f"{cfg}:{line_of(text, 'batch_size')}: models[0].batch_size:" in err
    assert "integer" in err and "'lots'" in err


def test_unknown_provider(tmp_path, capsys):
    text = edited("provider: transformers", "provider: openaii")
    err, cfg = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert f"{cfg}:{line_of(text, 'openaii')}: models[0].provider:" in err
    assert "unknown provider 'openaii'" in err and "transformers" in err


def test_missing_builtin_template_lists_builtins(tmp_path, capsys):
    text = edited("  - answer/doubt_correct", "  - answer/nope")
    err, cfg = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert f"{cfg}:{line_of(text, 'answer/nope')}: conditions[3].template:" in err
    assert "'answer/nope' not found" in err
    for builtin in ("answer/neutral", "answer/suggest_incorrect", "are_you_sure/are_you_sure"):
        assert builtin in err


def test_template_path_that_does_not_exist(tmp_path, capsys):
    text = edited("  - answer/doubt_correct", "  - prompts/mine.jinja")
    err, cfg = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert f"{cfg}:{line_of(text, 'mine.jinja')}: conditions[3].template:" in err
    assert "'prompts/mine.jinja' not found" in err


def test_template_that_cannot_render_names_the_template(tmp_path, capsys):
    (tmp_path / "broken.jinja").write_text(
        "{#- evalkit\nfamily: answer\npressure: toward_incorrect\n-#}\n"
        "{% block user_1 %}{{ item.question }} {{ item.nope }}{% endblock %}\n"
    )
    text = edited("  - answer/doubt_correct", "  - broken.jinja")
    err, _ = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert str(tmp_path / "broken.jinja") in err
    assert "nope" in err


def test_a_render_that_fails_on_one_item_names_the_item(tmp_path, capsys):
    """A 1 MB question overflows the built-in template's output bound: the error named only
    the template's line, nothing of the dataset row that caused it."""
    text = with_dataset(tmp_path, jsonl(ROW, ROW | {"id": "huge", "question": "Q" * 1_000_001}))
    err, _ = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert "neutral.jinja:" in err and "longer than 1,000,000 characters" in err
    assert f"rendering item 'huge' of {tmp_path / 'data.jsonl'}" in err


def test_dataset_row_without_correct_answer(tmp_path, capsys):
    bad = {k: v for k, v in ROW.items() if k != "correct_answer"} | {"id": "q2"}
    text = with_dataset(tmp_path, jsonl(ROW, bad, ROW | {"id": "q3"}))
    err, _ = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    # the second row of data.jsonl
    assert f"{tmp_path / 'data.jsonl'}:2: correct_answer: required field is missing" in err


def test_dataset_invalid_json_line(tmp_path, capsys):
    text = with_dataset(tmp_path, jsonl(ROW, ROW | {"id": "q2"}, '{"id": "q3", "question": '))
    err, _ = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert f"{tmp_path / 'data.jsonl'}:3: invalid JSON" in err


def test_dataset_duplicate_ids(tmp_path, capsys):
    text = with_dataset(tmp_path, jsonl(ROW, ROW | {"id": "q2"}, ROW))
    err, _ = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert f"{tmp_path / 'data.jsonl'}:3: id: duplicate id 'q1' (first on line 1)" in err


def test_dataset_incorrect_answer_not_a_choice(tmp_path, capsys):
    text = with_dataset(tmp_path, jsonl(ROW | {"incorrect_answer": "Rome"}))
    err, _ = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert f"{tmp_path / 'data.jsonl'}:1:" in err and "'Rome' is not one of choices" in err


def test_dataset_that_does_not_exist(tmp_path, capsys):
    text = edited("  - facts-mcq", "  - nowhere.jsonl")
    err, cfg = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert f"{cfg}:{line_of(text, 'nowhere.jsonl')}: datasets[0].name:" in err
    assert "'nowhere.jsonl' not found" in err


def test_a_dataset_or_template_name_too_long_is_one_line(tmp_path, capsys):
    """A name past the file system's 255 bytes makes even ``Path.exists`` raise: it was a
    traceback wherever a path is looked at before it is read."""
    name = "a" * 300
    for old, new in (("  - facts-mcq", f"  - {name}.jsonl"), ("  - answer/control", f"  - {name}")):
        err, _ = run_and_validate(tmp_path, write(tmp_path, edited(old, new)), capsys)
        assert err == f"error: {tmp_path / new.removeprefix('  - ')}: File name too long"


def test_invalid_yaml_syntax(tmp_path, capsys):
    text = edited("seed: 0", "seed: [0")
    err, cfg = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert f"{cfg}:" in err and "invalid YAML" in err


def test_config_file_that_does_not_exist(tmp_path, capsys):
    missing = tmp_path / "missing.yaml"
    assert main(["validate", str(missing)]) == 2
    err = flat(capsys.readouterr().err)
    assert f"{missing}: file not found" in err


def test_model_that_cannot_load(tmp_path, capsys):
    text = edited("model: smollm2-135m-instruct", "model: /nonexistent/model-dir")
    cfg = write(tmp_path, text)
    assert main(["validate", str(cfg)]) == 0  # the config itself is fine
    capsys.readouterr()
    out = tmp_path / "out"
    assert main(["run", str(cfg), "--out", str(out), "--limit", "1"]) == 2
    err = flat(capsys.readouterr().err)
    assert "Traceback" not in err
    assert f"{cfg}:{line_of(text, 'nonexistent')}: models[0].model:" in err
    assert "cannot load model '/nonexistent/model-dir'" in err
    assert not out.exists()


def _model_folder_with_code(folder: Path, marker: Path) -> None:
    """A model folder whose config names its own Python code, which writes ``marker``."""
    folder.mkdir()
    auto_map = {"AutoConfig": "evil.EvilConfig", "AutoModelForCausalLM": "evil.EvilModel"}
    (folder / "config.json").write_text(json.dumps({"model_type": "evil", "auto_map": auto_map}))
    (folder / "evil.py").write_text(
        f"open({str(marker)!r}, 'w').write('ran')\n"
        "from transformers import PretrainedConfig\n"
        "class EvilConfig(PretrainedConfig):\n    model_type = 'evil'\n"
    )


def test_a_config_alone_cannot_trust_remote_code(tmp_path, capsys, monkeypatch):
    """``trust_remote_code: true`` made transformers import the model folder's Python code:
    a config from someone else ran code. It now needs the environment's consent too."""
    monkeypatch.delenv("EVALKIT_TRUST_REMOTE_CODE", raising=False)
    marker = tmp_path / "code-ran"
    _model_folder_with_code(tmp_path / "model", marker)
    text = edited(
        "model: smollm2-135m-instruct", f"model: {tmp_path / 'model'}\n    trust_remote_code: true"
    )
    cfg = write(tmp_path, text)
    out = tmp_path / "out"
    assert main(["run", str(cfg), "--out", str(out), "--limit", "1"]) == 2
    err = flat(capsys.readouterr().err)
    assert "Traceback" not in err and not marker.exists() and not out.exists()
    assert f"{cfg}:{line_of(text, 'trust_remote_code')}: models[0].trust_remote_code:" in err
    assert "EVALKIT_TRUST_REMOTE_CODE=1 in the environment" in err


# -- bugs -------------------------------------------------------------------------------


def test_error_names_a_path_with_brackets_exactly(tmp_path, capsys):
    folder = tmp_path / "exp[draft]"
    folder.mkdir()
    cfg = write(folder, QUICKSTART_TEXT + "\nbogus_key: 1\n")
    assert main(["validate", str(cfg)]) == 2
    err = flat(capsys.readouterr().err)
    assert f"{cfg}:" in err


def test_error_with_markup_like_text_does_not_crash(tmp_path, capsys):
    text = with_dataset(tmp_path, jsonl(ROW | {"id": "[/b]"}, ROW | {"id": "[/b]"}))
    assert main(["validate", str(write(tmp_path, text))]) == 2
    assert "duplicate id '[/b]'" in flat(capsys.readouterr().err)


def test_error_is_printed_on_one_line(tmp_path):
    cfg = write(tmp_path, QUICKSTART_TEXT + "\nbogus_key: 1\n")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    done = subprocess.run(
        [sys.executable, "-m", "evalkit", "validate", str(cfg)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1


def test_free_form_dataset_is_rejected_before_running(tmp_path, capsys):
    free = {k: v for k, v in ROW.items() if k != "choices"}
    text = with_dataset(tmp_path, jsonl(free))
    assert main(["validate", str(write(tmp_path, text))]) == 2


def test_duplicate_yaml_key_is_an_error(tmp_path, capsys):
    text = QUICKSTART_TEXT + "\nseed: 3\n"
    assert main(["validate", str(write(tmp_path, text))]) == 2


def test_scoring_a_free_form_run_is_a_clear_error(tmp_path, make_record, capsys):
    # the answer family grades free-form items; the are-you-sure family needs choices
    item = Item(id="q1", question="Capital of France?", correct_answer="Paris")
    store = RunStore(tmp_path)
    store.open_for_append()
    store.append(make_record(item, "ays", "are_you_sure", "challenge", ["Paris", "Paris"]))
    store.close()
    store.write_manifest(
        RunManifest(
            run_name="free",
            status="complete",
            config_path="run.yaml",
            config={},
            config_hash="0",
            plan_hash="0",
            started_at=datetime.now(timezone.utc),
        )
    )
    assert main(["score", str(tmp_path)]) == 2
    assert "choices" in flat(capsys.readouterr().err)


def test_two_datasets_of_one_name_are_refused(tmp_path, capsys):
    """``a/x.jsonl`` and ``b/x.jsonl`` were both named x: their items shared sample ids, the
    run wrote both and then stopped, "two runs wrote into this directory at once?", with its
    manifest saying complete (and ``evalkit repair`` would have dropped one)."""
    for folder, question in (("a", "Capital of France?"), ("b", "Capital of Spain?")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.jsonl").write_text(jsonl(ROW | {"question": question}))
    text = edited("  - facts-mcq", "  - a/x.jsonl\n  - b/x.jsonl")
    err, cfg = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert f"{cfg}:{line_of(text, 'b/x.jsonl')}: datasets[1]: two datasets are named 'x'" in err
    assert "a `label:` for one of them" in err


def test_one_dataset_asked_a_condition_twice_is_refused(tmp_path, capsys):
    text = edited(
        "  - facts-mcq",
        "  - {name: facts-mcq, limit: 2, conditions: [answer]}\n"
        "  - {name: facts-mcq, limit: 3, conditions: [answer/neutral, are_you_sure]}",
    )
    err, cfg = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    where = f"{cfg}:{line_of(text, 'limit: 3')}: datasets[1]"
    assert f"{where}: dataset 'facts-mcq' is listed twice" in err
    assert "asked condition 'neutral' in both" in err


def test_one_dataset_listed_twice_for_other_conditions_is_fine(tmp_path, capsys):
    text = edited(
        "  - facts-mcq",
        "  - {name: facts-mcq, limit: 2, conditions: [answer]}\n"
        "  - {name: facts-mcq, limit: 3, conditions: [are_you_sure]}",
    )
    assert main(["validate", str(write(tmp_path, text))]) == 0


def test_a_pipe_in_a_name_is_refused(tmp_path, capsys):
    """'|' separates a sample id's parts: condition 'n|x' asking item 'q' and condition 'n'
    asking item 'x|q' were one sample."""
    text = with_dataset(tmp_path, jsonl(ROW, ROW | {"id": "x|q2"}))
    text = text.replace("  - answer/control ", "  - {template: answer/control, name: 'neutral|x'}")
    err, cfg = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert f"{cfg}:{line_of(text, 'neutral|x')}: conditions[4]: condition name 'neutral|x'" in err
    assert "contains '|'" in err


def test_a_misspelled_category_among_several_is_refused(tmp_path, capsys):
    """`categories: [geography, sciense]` used to run geography alone, without a word."""
    text = edited("  - facts-mcq", "  - {name: facts-mcq, categories: [geography, sciense]}")
    err, cfg = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    at = f"{cfg}:{line_of(text, 'sciense')}: datasets[0].categories:"
    assert f"{at} no item of category 'sciense' in this dataset" in err
    assert "geography" in err and "science" in err


def test_a_misspelled_required_key_is_reported_as_the_unknown_key(tmp_path, capsys):
    """`condtions:` said only "conditions: required field is missing"."""
    text = edited("conditions:", "condtions:")
    err, cfg = run_and_validate(tmp_path, write(tmp_path, text), capsys)
    assert f"{cfg}:{line_of(text, 'condtions')}: condtions: unknown key" in err
    assert "conditions" in err.split("expected one of:")[1]
