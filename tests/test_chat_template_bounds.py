"""A local model folder's chat template is other people's input: transformers renders it
in Jinja's sandbox (no code), and evalkit adds its template bounds on work and size, with
the same text and tokens as transformers' own rendering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from test_config_errors import edited, flat, line_of, write
from transformers import LlamaConfig, LlamaForCausalLM

from evalkit.cli import main
from evalkit.providers import chat_template_bounds
from evalkit.providers.chat_template_bounds import _compile_bounded
from evalkit.templating import TemplateLimit

UTILITIES = "transformers.utils.chat_template_utils"

#: Chat templates in the styles of published models: namespaces, tojson, strftime_now,
#: raise_exception, loop controls, generation tags, slicing and filters.
TEMPLATES = {
    "llama3-like": (
        "{{- bos_token }}{%- set date_string = strftime_now('%d %b %Y') %}"
        "{%- if messages[0]['role'] == 'system' %}{%- set system = messages[0]['content']|trim %}"
        "{%- set messages = messages[1:] %}{%- else %}{%- set system = '' %}{%- endif %}"
        "{{- '<|start_header_id|>system<|end_header_id|>\\n\\nToday Date: ' + date_string }}"
        "{{- system + '<|eot_id|>' }}"
        "{%- for message in messages %}{{- '<|start_header_id|>' + message['role'] }}"
        "{{- '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{%- endfor %}"
        "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>' }}"
        "{%- endif %}"
    ),
    "qwen-like": (
        "{%- set ns = namespace(last_user=0) %}{%- for m in messages %}"
        "{%- if m.role == 'user' %}{%- set ns.last_user = loop.index0 %}{%- endif %}{%- endfor %}"
        "{%- for m in messages %}{%- if m.role not in ['system', 'user', 'assistant'] %}"
        "{{- raise_exception('bad role ' ~ m.role) }}{%- endif %}"
        "{{- '<|im_start|>' + m.role + '\\n' }}{%- if m.role == 'assistant' %}{% generation %}"
        "{{- m.content }}{% endgeneration %}{%- else %}{{- m.content }}{%- endif %}"
        "{%- if loop.index0 == ns.last_user %}{{- ' ' ~ ({'at': loop.index0} | tojson) }}"
        "{%- endif %}{{- '<|im_end|>\\n' }}{%- endfor %}"
        "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
    ),
    "mistral-like": (
        "{{ bos_token }}{% for message in messages %}{% if loop.index0 > 40 %}{% break %}"
        "{% endif %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        "{{ raise_exception('roles must alternate') }}{% endif %}"
        "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
        "{% else %}{{ message['content'] + eos_token }}{% endif %}{% endfor %}"
        "{{ (messages | map(attribute='role') | join(',')) | upper | replace('USER', '') }}"
    ),
}

CHAT = [
    {"role": "system", "content": "Answer briefly."},
    {"role": "user", "content": "What is the capital of France? <|im_end|> {{ 7*7 }}"},
    {"role": "assistant", "content": "Paris."},
    {"role": "user", "content": "I don't think that's right. Are you sure?"},
]


@pytest.fixture(scope="module")
def original():
    from transformers.utils import chat_template_utils

    unbounded = chat_template_utils._compile_jinja_template
    return chat_template_bounds._originals.get(UTILITIES, unbounded)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_bounded_template_renders_as_transformers_renders_it(original, name):
    chat = CHAT[1:] if name == "mistral-like" else CHAT
    values = dict(messages=chat, add_generation_prompt=True, bos_token="<s>", eos_token="</s>")
    theirs = original(TEMPLATES[name]).render(**values)
    ours = _compile_bounded(TEMPLATES[name], original).render(**values)
    assert ours == theirs and len(ours) > 50


def test_the_embedded_models_tokens_are_unchanged(smollm2_adapter):
    """The adapter's prompts (a generation prompt, and a statement continued) are the same
    tokens with the bounds as through transformers' own rendering, which renders the same
    template with a comment added (another string, so not one evalkit bounds)."""
    tokenizer = smollm2_adapter.tokenizer
    template = tokenizer.chat_template
    assert template in chat_template_bounds._compiled  # loading bound it
    unbounded = template + "{# not bounded #}"
    for options in ({"add_generation_prompt": True}, {"continue_final_message": True}):
        chat = CHAT if "add_generation_prompt" in options else CHAT[:3]
        ours = smollm2_adapter._chat_ids(chat, **options)
        theirs = tokenizer.apply_chat_template(chat, chat_template=unbounded, **options)
        assert unbounded not in chat_template_bounds._compiled
        assert ours == list(getattr(theirs, "input_ids", theirs)) and len(ours) > 20


BOMBS = {
    "a string of ten billion characters": "{{ 'x' * 10**10 }}",
    "ten million loop steps": (
        "{% for m in messages %}{% for i in range(100000) %}{% for j in range(100) %}"
        "{% endfor %}{% endfor %}{{ m.content }}{% endfor %}"
    ),
    "a namespace doubling its text": (
        "{% set ns = namespace(s='xx') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s }}"
    ),
}


def _model_folder(folder: Path, tokenizer, chat_template: str) -> Path:
    """A tiny random Llama with the embedded model's tokenizer and ``chat_template``."""
    torch.manual_seed(0)
    config = LlamaConfig(
        num_hidden_layers=1,
        hidden_size=16,
        intermediate_size=32,
        num_attention_heads=2,
        num_key_value_heads=1,
        vocab_size=len(tokenizer),
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    LlamaForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    (folder / "chat_template.jinja").unlink(missing_ok=True)
    settings = json.loads((folder / "tokenizer_config.json").read_text())
    settings["chat_template"] = chat_template
    (folder / "tokenizer_config.json").write_text(json.dumps(settings))
    return folder


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_a_model_folders_chat_template_cannot_fill_memory_or_hang_a_run(
    smollm2_adapter, tmp_path, capsys, bomb
):
    """Before, transformers rendered the template with no bound on its work or size: the
    first filled memory, the second ran ten million steps on every prompt."""
    folder = _model_folder(tmp_path / "model", smollm2_adapter.tokenizer, BOMBS[bomb])
    text = edited("model: smollm2-135m-instruct", f"model: {folder}")
    cfg = write(tmp_path, text)
    out = tmp_path / "out"
    assert main(["run", str(cfg), "--out", str(out), "--limit", "1"]) == 2
    err = flat(capsys.readouterr().err)
    assert "Traceback" not in err
    assert f"{cfg}:{line_of(text, str(folder))}: models[0].model:" in err
    assert "its chat template exceeds a bound" in err


def test_a_template_that_explodes_on_a_later_turn_stops_the_run_at_its_model(
    smollm2_adapter, tmp_path, capsys
):
    """A template can pass the one-message check at load and explode on a longer chat: the
    run stops there, with the same error, instead of rendering it."""
    normal = smollm2_adapter.tokenizer.chat_template
    late = "{% if messages | length > 1 %}{{ 'x' * 10**10 }}{% endif %}" + normal
    folder = _model_folder(tmp_path / "model", smollm2_adapter.tokenizer, late)
    text = edited("model: smollm2-135m-instruct", f"model: {folder}")
    cfg = write(tmp_path, text)
    out = tmp_path / "out"
    assert main(["run", str(cfg), "--out", str(out), "--limit", "1"]) == 2
    err = flat(capsys.readouterr().err)
    assert "Traceback" not in err and "its chat template exceeds a bound" in err
    assert f"{cfg}:{line_of(text, str(folder))}: models[0].model:" in err


#: A red team's templates (stop 29) that got past the first bounds, each refused now; the
#: first five ran in single C calls where no step is counted, or wrote past the text limit.
RED_TEAM = {
    "a shared tuple compared": (
        "{%- set a = [1] %}{%- set b = [1] %}"
        + "{%- set a = (a, a) %}{%- set b = (b, b) %}" * 64
        + "{% if a == b %}same{% endif %}",
        "literal tuple, list or dict is longer",
    ),
    "a shared tuple serialised": (
        "{%- set a = 'x' * 999990 %}"
        + "{%- set a = (a, a) %}" * 12
        + "{{ (a | tojson) | length }}",
        "literal tuple, list or dict is longer",
    ),
    "a filter block in a loop": (
        "{%- for i in range(3000) %}{% filter center(499990) %}x{% endfilter %}{% endfor %}",
        "wrote more than",
    ),
    "format widths times fields": (
        "{{ ('{0:>999999}' * 1500).format(1) | length }}",
        "formatted text would be longer",
    ),
    "percent widths times fields": (
        "{{ ('%999999d' * 1500) % ((1,) * 1500) }}",
        "formatted text would be longer",
    ),
    "colliding hash keys": (
        "{% set M = 2305843009213693951 %}{% set d = dict.fromkeys(range(0, 30000 * M, M)) %}",
        "more than 10,000 elements",
    ),
    "a gigabyte kept in variables": (
        "".join(f"{{% set a{i} = 'x' | center(499998) %}}" for i in range(100)),
        "built more than",
    ),
}


@pytest.mark.parametrize("name", sorted(RED_TEAM))
def test_templates_that_outran_the_first_bounds_are_refused(original, name):
    template, says = RED_TEAM[name]
    bounded = _compile_bounded(template, original)
    with pytest.raises(TemplateLimit, match=says):
        bounded.render(messages=CHAT, add_generation_prompt=True)


def test_a_template_cannot_tell_it_is_bounded(original):
    """Probes that told evalkit's environment from transformers' render alike in both."""
    probe = (
        "{{ lipsum is defined }} {{ range | string | truncate(21, True, '') }} "
        "{{ 'evalkit_loop' is filter }} {{ ('%s' % namespace)[:30] }} "
        "{{ 'x' | center(9) }}{% filter upper %}a{% endfilter %}"
    )
    values = dict(messages=CHAT, add_generation_prompt=True)
    theirs = original(probe).render(**values)
    assert _compile_bounded(probe, original).render(**values) == theirs
    assert "safe_range" in theirs
