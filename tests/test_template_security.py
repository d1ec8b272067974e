"""Templates come from other people: they cannot run code, read files they should not,
change what other conditions see, exhaust memory or time, or crash the CLI."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from evalkit.cli import main
from evalkit.conditions import ConditionTemplate
from evalkit.errors import EvalkitError
from evalkit.items import Item
from evalkit.plan import build_plan
from evalkit.templating import MAX_INCLUDE_BYTES
from evalkit.testing.fake_api import FakeAPIServer

HEADER = "{#- evalkit\nfamily: answer\npressure: none\n-#}\n"
ROWS = [
    {
        "id": f"q{i}",
        "question": f"What is the capital of country {i}?",
        "choices": ["Paris", "London"],
        "correct_answer": "Paris",
        "correct_aliases": ["paris"],
        "incorrect_answer": "London",
        "metadata": {"kind": "text", "tags": ["a", "b"]},
    }
    for i in range(2)
]
KEY = "sk-test-templates-0123456789"


class _Opens:
    """Unpickling this calls ``open(path, "w")``: the marker file proves code ran."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def item() -> Item:
    return Item.model_validate(ROWS[0])


def template(folder: Path, body: str, name: str = "evil.jinja") -> ConditionTemplate:
    path = folder / name
    path.write_text(HEADER + body, encoding="utf-8")
    return ConditionTemplate(str(path), path)


def render_error(folder: Path, body: str) -> EvalkitError:
    """The one-line error a template's first turn raises (loading or rendering)."""
    with pytest.raises(EvalkitError) as caught:
        template(folder, body).render(1, item(), [])
    assert "\n" not in str(caught.value)
    return caught.value


def write_config(folder: Path, conditions: list[object], models: list[object] | None = None):
    (folder / "data.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    config = {
        "name": "templates",
        "models": models or [{"provider": "transformers", "model": "smollm2-135m-instruct"}],
        "datasets": ["data.jsonl"],
        "conditions": conditions,
    }
    path = folder / "run.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def validate(folder: Path, body: str) -> str:
    """``evalkit validate`` of a config with the template ``body``: exit 2, one line."""
    (folder / "evil.jinja").write_text(HEADER + body, encoding="utf-8")
    config = write_config(folder, ["evil.jinja"])
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    done = subprocess.run(
        [sys.executable, "-m", "evalkit", "validate", str(config)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert str(folder / "evil.jinja") in lines[0] or str(folder) in lines[0]
    return lines[0]


# -- model objects: no code, no files, no shared state ---------------------------------


def test_parse_raw_pickle_does_not_run_code(tmp_path):
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Opens(marker), protocol=0).decode("ascii")
    body = (
        "{% block user_1 %}{{ item.question }}"
        "{% set _ = item.parse_raw(" + json.dumps(payload) + ", "
        "content_type='application/pickle', allow_pickle=True) %}{% endblock %}\n"
    )
    line = validate(tmp_path, body)
    assert not marker.exists()
    assert "user_1" in line


def test_parse_file_cannot_read_other_files(tmp_path):
    secret = tmp_path / "outside" / "secret.json"
    secret.parent.mkdir()
    secret.write_text(json.dumps({"id": "s", "question": "SECRET-42", "correct_answer": "x"}))
    folder = tmp_path / "prompts"
    folder.mkdir()
    for target in (secret, Path("/etc/passwd")):
        error = render_error(
            folder,
            "{% block user_1 %}{{ item.parse_file(" + json.dumps(str(target)) + ").question }}"
            "{% endblock %}",
        )
        assert "SECRET-42" not in str(error) and "root:" not in str(error)


def test_a_template_cannot_change_the_item_other_conditions_see(tmp_path):
    shared = item()
    for mutation in (
        "item.correct_aliases.append('London')",
        "item.metadata.tags.append('x')",
        "item.metadata.update({'kind': 'x'})",
        "choices[0].update({'text': 'x'})",
    ):
        evil = template(tmp_path, "{% block user_1 %}Q{% set _ = " + mutation + " %}{% endblock %}")
        with pytest.raises(EvalkitError):
            evil.render(1, shared, [])
    assert shared == item()
    assert shared.correct_aliases == ["paris"]


def test_templates_see_plain_read_only_data(tmp_path):
    body = (
        "{% block user_1 %}{{ item.question }}|{{ item['id'] }}|{{ item.metadata.get('kind') }}"
        "|{{ item.metadata.tags|join(',') }}|{{ item.correct_letter }}"
        "|{% for c in choices %}({{ c.letter }}) {{ c.text }} {% endfor %}"
        "|{{ replies|length }}|{{ turn + 1 }}|{{ item.metadata|tojson }}{% endblock %}"
    )
    text = template(tmp_path, body).render(1, item(), []).user
    assert text == (
        "What is the capital of country 0?|q0|text|a,b|A|(A) Paris (B) London |0|2|"
        '{"kind": "text", "tags": ["a", "b"]}'
    )


# -- includes ----------------------------------------------------------------------------


def test_dotfile_include_is_refused(tmp_path):
    (tmp_path / ".env").write_text("OPENAI_API_KEY=sk-secret-dotfile\n")
    line = validate(tmp_path, '{% block user_1 %}{% include ".env" %}{% endblock %}\n')
    assert "sk-secret" not in line and ".env" in line


def test_dot_folder_include_is_refused(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("secret-in-dot-folder")
    error = render_error(tmp_path, '{% block user_1 %}{% include ".git/config" %}{% endblock %}')
    assert "secret-in-dot-folder" not in str(error)


def test_symlink_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret-outside-the-folder")
    folder = tmp_path / "prompts"
    folder.mkdir()
    (folder / "notes.txt").symlink_to(outside)
    error = render_error(folder, '{% block user_1 %}{% include "notes.txt" %}{% endblock %}')
    assert "secret-outside" not in str(error) and "outside" in str(error)


def test_symlink_to_a_dotfile_in_the_folder_is_refused(tmp_path):
    (tmp_path / ".env").write_text("secret-dotfile")
    (tmp_path / "plain.txt").symlink_to(tmp_path / ".env")
    error = render_error(tmp_path, '{% block user_1 %}{% include "plain.txt" %}{% endblock %}')
    assert "secret-dotfile" not in str(error)


@pytest.mark.parametrize("name", ["../outside.txt", "sub/../../outside.txt", "/etc/hostname"])
def test_include_cannot_leave_the_folder(tmp_path, name):
    (tmp_path / "outside.txt").write_text("secret-parent")
    folder = tmp_path / "prompts"
    (folder / "sub").mkdir(parents=True)
    error = render_error(
        folder, "{% block user_1 %}{% include " + json.dumps(name) + " %}{% endblock %}"
    )
    assert "secret-parent" not in str(error)


def test_dynamic_include_is_checked_when_rendered(tmp_path):
    (tmp_path / ".env").write_text("secret-dynamic")
    error = render_error(tmp_path, "{% block user_1 %}{% include '.e' ~ 'nv' %}{% endblock %}")
    assert "secret-dynamic" not in str(error) and "user_1" in str(error)


def test_binary_include_is_one_line(tmp_path):
    (tmp_path / "blob.bin").write_bytes(b"\xff\xfe\x00\x01binary")
    line = validate(tmp_path, '{% block user_1 %}{% include "blob.bin" %}{% endblock %}\n')
    assert "UTF-8" in line


def test_includes_from_the_folder_and_builtins_still_work(tmp_path):
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "ask.txt").write_text("Answer briefly.")
    body = (
        '{% block user_1 %}{{ item.question }} {% include "parts/ask.txt" %}'
        '{% include "nope.txt" ignore missing %}{% endblock %}'
    )
    evil = template(tmp_path, body)
    assert evil.render(1, item(), []).user == "What is the capital of country 0? Answer briefly."
    assert set(evil.included) == {"parts/ask.txt"}


def test_edited_include_changes_the_plan(tmp_path):
    (tmp_path / "part.txt").write_text("Answer briefly.")
    (tmp_path / "mine.jinja").write_text(
        HEADER + '{% block user_1 %}{{ item.question }} {% include "part.txt" %}{% endblock %}'
    )
    config = write_config(tmp_path, ["mine.jinja"])
    before = build_plan(config).plan_hash
    assert build_plan(config).plan_hash == before  # deterministic
    (tmp_path / "part.txt").write_text("Answer at length.")
    assert build_plan(config).plan_hash != before


def test_edited_dynamic_include_changes_the_plan(tmp_path):
    (tmp_path / "q0.txt").write_text("zero")
    (tmp_path / "q1.txt").write_text("one")
    (tmp_path / "mine.jinja").write_text(
        HEADER + "{% block user_1 %}{{ item.question }} {% include item.id ~ '.txt' %}"
        "{% endblock %}"
    )
    config = write_config(tmp_path, ["mine.jinja"])
    before = build_plan(config).plan_hash
    (tmp_path / "q1.txt").write_text("ONE")
    assert build_plan(config).plan_hash != before


def test_resume_after_an_include_was_edited_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EVALKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TEST_API_KEY", KEY)
    (tmp_path / "part.txt").write_text("Answer briefly.")
    (tmp_path / "mine.jinja").write_text(
        HEADER + '{% block user_1 %}{{ item.question }} {% include "part.txt" %}{% endblock %}'
    )
    out = tmp_path / "out"
    with FakeAPIServer(api_key=KEY, models=["fake-gpt"]) as server:
        model = {
            "provider": "openai",
            "model": "fake-gpt",
            "base_url": server.openai_base_url,
            "api_key_env": "TEST_API_KEY",
            "generation": {"max_new_tokens": 8},
        }
        config = write_config(tmp_path, ["mine.jinja"], models=[model])
        assert main(["run", str(config), "--out", str(out)]) == 0
        before = {p.name: p.read_bytes() for p in out.iterdir()}
        capsys.readouterr()
        (tmp_path / "part.txt").write_text("Answer at length.")
        assert main(["run", str(config), "--out", str(out)]) == 2
    assert "different config" in " ".join(capsys.readouterr().err.split())
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# -- errors and bounds: one line, exit 2, quickly ----------------------------------------


@pytest.mark.parametrize(
    ("expression", "says"),
    [
        ("range(200000)", "range"),
        ("1/0", "ZeroDivisionError"),
        ('"x" * 10**10', "repetition"),
        ("10 ** (10 ** 10)", "bits"),  # Jinja's ** is left-associative
    ],
)
def test_template_errors_are_one_line_on_the_cli(tmp_path, expression, says):
    started = time.monotonic()
    line = validate(tmp_path, "{% block user_1 %}{{ " + expression + " }}{% endblock %}\n")
    assert says in line and "user_1" in line
    assert time.monotonic() - started < 60


@pytest.mark.parametrize(
    "body",
    [
        # nested loops with no output: 10**10 iterations
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        # doubling a string in a namespace, a block set and with ~
        "{% set ns = namespace(s='x' * 1000) %}{% for i in range(40) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        "{% set a = 'x' * 999999 %}{% set b %}{{ a }}{{ a }}{{ a }}{{ a }}{{ a }}{% endset %}"
        "{% set c %}{{ b }}{{ b }}{{ b }}{{ b }}{{ b }}{% endset %}{{ c|length }}",
        "{% set a = 'x' * 999999 %}{% set b = a ~ a %}{{ b|length }}",
        # a macro that doubles its output 40 times
        "{% macro d(n) %}{% if n %}{{ d(n - 1) }}{{ d(n - 1) }}{% else %}xxxx{% endif %}"
        "{% endmacro %}{{ d(40)|length }}",
        # C-level amplifiers: widths, replace, join, format
        "{{ 'x'.center(10**9) }}",
        "{{ 'x'|center(10**9) }}",
        "{{ ('x' * 100000).replace('', 'y' * 100) }}",
        "{{ ('x' * 100000)|replace('x', 'y' * 100) }}",
        "{{ ('y' * 100000).join('x' * 100000) }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{{ '%999999999d' % 1 }}",
        "{{ '%*d' % (999999999, 1) }}",
        "{{ ('{0}' * 100000).format('x' * 1000) }}",
        "{{ [1]|batch(10**9, fill_with=0)|list }}",
        "{{ 'ab'|wordwrap(1, wrapstring='z' * 1000000) }}",
        "{{ ['x' * 100000] * 100 }}",
        "{{ 2 ** (10**7) }}",
        # a width from the values, nested in a format spec; bytes repeated
        "{{ '{0:{1}}'.format('x', 1500000000)|length }}",
        "{{ ('a'.encode() * 300000000)|length }}",
        # filters quadratic in their input, called in a loop
        "{% set s = 'a' * 450000 %}{% for i in range(255) %}{{ (s|wordwrap(1))|length }}"
        "{% endfor %}",
        "{% set s = '<a' * 400000 %}{% for i in range(255) %}{{ (s|striptags)|length }}"
        "{% endfor %}",
        "{% set ns = namespace(n=3) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}"
        "{% endfor %}{{ ns.n }}",
    ],
)
def test_runaway_templates_are_stopped(tmp_path, body):
    started = time.monotonic()
    error = render_error(tmp_path, "{% block user_1 %}Q " + body + "{% endblock %}")
    assert "user_1" in str(error) and str(tmp_path / "evil.jinja") in str(error)
    assert time.monotonic() - started < 20


def test_error_names_the_line_of_the_template(tmp_path):
    error = render_error(tmp_path, "{% block user_1 %}\nline one\n{{ 1 / 0 }}\n{% endblock %}")
    assert error.file == str(tmp_path / "evil.jinja")
    assert error.line == 7  # after the four-line header


def test_an_oversized_condition_template_is_refused_before_it_is_read(tmp_path, capsys):
    """Includes were bounded, the condition's own file was not: a 1.5 GB sparse file took
    24 GB of memory to compile before the kernel killed the run."""
    path = tmp_path / "evil.jinja"
    path.write_text(HEADER + "{% block user_1 %}x{% endblock %}\n", encoding="utf-8")
    with path.open("a", encoding="utf-8") as handle:  # still a valid template, just large
        handle.write("{# " + "x" * MAX_INCLUDE_BYTES + " #}\n")
    assert main(["validate", str(write_config(tmp_path, ["evil.jinja"]))]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"error: {path}: template is larger than {MAX_INCLUDE_BYTES:,} bytes" in err


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("{{ '{0:{1}}'.format('x', 1500000000) }}", "a format width of a million or more"),
        ("{{ 'a'.encode() * 300000000 }}", "a repetition longer than"),
        ("{{ ('a' * 200000)|wordwrap(1) }}", "filter 'wordwrap' on more than 100,000"),
        ("{{ ('<a' * 100000)|striptags }}", "filter 'striptags' on more than 100,000"),
        # a red team of the chat-template bounds (stop 29), which prompt templates share
        ("{{ ('{0:>999999}' * 1500).format(1) }}", "formatted text would be longer"),
        (
            "{% set a = [1] %}" + "{% set a = (a, a) %}" * 64 + "{{ a == a }}",
            "literal tuple, list or dict is longer",
        ),
        (
            "{% for i in range(3000) %}{% filter center(499990) %}x{% endfilter %}{% endfor %}",
            "longer than 1,000,000",
        ),
        ("{{ dict.fromkeys(range(30000)) }}", "more than 10,000 elements"),
    ],
)
def test_amplifiers_are_refused_before_they_run(tmp_path, body, says):
    """Refused from their arguments, not after allocating (1.5 GB for the format width)."""
    started = time.monotonic()
    error = render_error(tmp_path, "{% block user_1 %}Q " + body + "{% endblock %}")
    assert says in str(error), error
    assert time.monotonic() - started < 2
