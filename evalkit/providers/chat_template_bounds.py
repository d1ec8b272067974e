"""A local model's chat template, rendered under evalkit's template bounds.

A model folder is named by a config, so its chat template (Jinja, in
``tokenizer_config.json`` or ``chat_template.jinja``) is other people's input, like a
prompt template. transformers renders it in Jinja's sandbox, which keeps it from running
code but bounds neither work nor size: ``{{ 'x' * 10**10 }}`` fills memory, and two
nested ``range(100000)`` loops never end.

So the templates of the models evalkit loads are compiled by transformers' own rendering
path into a :class:`~evalkit.templating.BoundedSandbox` that copies transformers'
environment (its globals, filters, extensions and whitespace rules, so a template renders
to the same text) and adds evalkit's bounds: steps, time and sizes, under a fresh budget
for each render. There is one render, the one transformers tokenizes, so a template cannot
behave one way when checked and another when used. Other templates in the process are
compiled by transformers as before.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterator
from typing import Any

from jinja2 import Template

from evalkit.templating import (
    MAX_INCLUDE_BYTES,
    MAX_WRITTEN,
    BoundedSandbox,
    TemplateLimit,
    generate_lorem_ipsum,
    render_budget,
)

#: Modules whose ``_compile_jinja_template`` transformers' rendering path calls: the
#: utilities module, and the tokenizer module that imported the name in transformers 4.
_COMPILERS = ("transformers.utils.chat_template_utils", "transformers.tokenization_utils_base")

#: A template of evalkit's, compiled by transformers only to copy its environment.
_OWN_TEMPLATE = "{{ messages }}"

_lock = threading.Lock()
_bounded: set[str] = set()  # the templates of the models evalkit loaded
_compiled: dict[str, Template] = {}
_originals: dict[str, Any] = {}  # module name -> transformers' own compile function


class _BoundedTemplate(Template):
    """A chat template that renders under a fresh budget each time, whole: ``generate`` and
    ``stream`` (transformers' assistant-mask path) render through ``render`` too."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        with render_budget():
            text = super().render(*args, **kwargs)
        if len(text) > MAX_WRITTEN:
            raise TemplateLimit(f"the chat is longer than {MAX_WRITTEN:,} characters")
        return text

    def generate(self, *args: Any, **kwargs: Any) -> Iterator[str]:
        yield self.render(*args, **kwargs)


def _compile_bounded(chat_template: str, original: Any) -> Template:
    """``chat_template`` compiled in a bounded copy of transformers' environment.

    The copy is taken from a template of evalkit's: compiling the model's own in
    transformers' environment could already fill memory, since Jinja computes constant
    expressions (``'x' * 10**10``) while compiling, unless the sandbox intercepts them."""
    if len(chat_template) > MAX_INCLUDE_BYTES:
        raise TemplateLimit(f"a chat template longer than {MAX_INCLUDE_BYTES:,} characters")
    theirs = original(_OWN_TEMPLATE).environment
    environment = BoundedSandbox(
        trim_blocks=theirs.trim_blocks,
        lstrip_blocks=theirs.lstrip_blocks,
        keep_trailing_newline=theirs.keep_trailing_newline,
        extensions=[type(extension) for extension in theirs.extensions.values()],
        undefined=theirs.undefined,
        autoescape=theirs.autoescape,
    )
    environment.filters.update(theirs.filters)
    environment.globals.update(theirs.globals)
    environment.policies.update(theirs.policies)
    environment.bound_names(theirs.globals.get("namespace", environment.globals["namespace"]))
    if "lipsum" in theirs.globals:  # kept, bounded: its absence would tell the template
        environment.globals["lipsum"] = generate_lorem_ipsum
    environment.template_class = _BoundedTemplate
    return environment.from_string(chat_template)


def _router(module: str) -> Any:
    original = _originals[module]

    def compile_jinja_template(chat_template: Any) -> Any:
        if not isinstance(chat_template, str) or chat_template not in _bounded:
            return original(chat_template)
        with _lock:
            if chat_template not in _compiled:
                _compiled[chat_template] = _compile_bounded(chat_template, original)
            return _compiled[chat_template]

    return compile_jinja_template


def templates_of(tokenizer: Any) -> list[str]:
    """The chat templates a tokenizer holds: one, or a named set."""
    templates = getattr(tokenizer, "chat_template", None)
    if isinstance(templates, str):
        return [templates]
    if isinstance(templates, dict):
        return [t for t in templates.values() if isinstance(t, str)]
    return []


def bound_chat_templates(tokenizer: Any) -> bool:
    """Have transformers render ``tokenizer``'s chat templates under evalkit's bounds.

    Returns whether transformers' rendering path now goes through them, tried by rendering
    a one-message chat (which, for a template that exceeds a bound on any chat, raises
    :class:`~evalkit.templating.TemplateLimit` here, at load)."""
    with _lock:
        for name in _COMPILERS:
            if name in _originals:
                continue
            try:
                module = importlib.import_module(name)
            except ImportError:
                continue
            original = getattr(module, "_compile_jinja_template", None)
            if original is not None:
                _originals[name] = original
                module._compile_jinja_template = _router(name)
        templates = templates_of(tokenizer)
        _bounded.update(templates)
    chat = [{"role": "user", "content": "Which is larger, 2 or 3?"}]
    try:
        tokenizer.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)
    except (TemplateLimit, MemoryError, RecursionError):
        raise
    except Exception:  # the template's own refusal: the run's prompts meet it, and say so
        pass
    with _lock:
        return bool(templates) and any(t in _compiled for t in templates)
