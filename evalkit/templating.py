"""The Jinja2 environment for prompt templates (conditions and judges), which are untrusted.

Templates come from other people, so what a template can do is bounded here, once:

* it sees plain read-only data (:func:`freeze`): mappings are read-only, lists are
  tuples; no model objects whose methods could read files or unpickle bytes;
* it runs in Jinja's ``ImmutableSandboxedEnvironment`` (no ``_`` attributes, no
  mutating methods of builtin containers);
* ``include`` / ``import`` / ``extends`` load only regular UTF-8 files under its
  roots (:class:`PromptLoader`): no absolute or ``..`` names, no dotfiles or dot
  folders, no symlink that resolves outside its root. Every file loaded is recorded
  with its hash, so a run can refuse to resume after an included file changed;
* work and size are bounded (:class:`PromptEnvironment`): loop iterations, calls
  and time per render, the size of any string or sequence built (``*``, ``**``,
  ``%``, ``+``, ``~``, filters, string methods) and of all text written;
* any failure while rendering is one :class:`EvalkitError` naming the file, line
  and block (:func:`render_block`).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import string
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any

from jinja2 import (
    BaseLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    nodes,
    utils,
)
from jinja2.meta import find_referenced_templates
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace, pass_context

from evalkit.errors import EvalkitError, RenderError

#: Characters (or elements) of any one string or sequence a template builds, and of a
#: rendered block. Prompts are a few kilobytes; this only stops runaway templates.
MAX_TEXT = 1_000_000
#: Characters written by one render, counting text captured by ``set`` blocks and macros.
MAX_WRITTEN = 4 * MAX_TEXT
#: Characters (or elements) of all values one render builds: 1,000 ``set`` of a million
#: characters each were each under the size bound and held a gigabyte.
MAX_BUILT = 16 * MAX_TEXT
#: Bits of an integer built with ``*`` or ``**``.
MAX_INT_BITS = 64_000
#: Loop iterations plus calls plus operators in one render.
MAX_STEPS = 2_000_000
#: Wall-clock seconds of one render.
MAX_SECONDS = 5.0
#: Bytes of a file loaded by include/import/extends.
MAX_INCLUDE_BYTES = 1_000_000
#: Characters of an error message taken from an exception (messages may quote values).
_MAX_MESSAGE = 200
_WIDE = re.compile(r"\d{7,}")  # a width or precision of a million or more in a format string
_NESTED_FIELD = re.compile(r"\{[^{}]*\{")  # a replacement field inside another's format spec
_NUMBER = re.compile(r"\d+")
_PERCENT_FIELD = re.compile(r"%[#0\- +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[a-zA-Z%]")


class TemplateLimit(TemplateError):
    """A template exceeded a bound of this module, or loaded a file it may not."""


#: Types :func:`freeze` hands back as they are, checked first: most values of an item are.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def freeze(value: Any) -> Any:
    """``value`` as plain read-only data: mappings read-only, lists and sets as tuples."""
    kind = type(value)
    if kind in _SCALARS:  # before the ABC checks, each slower than the rest of a render
        return value
    if kind is dict or isinstance(value, Mapping):
        return MappingProxyType(
            {k: v if type(v) in _SCALARS else freeze(v) for k, v in value.items()}
        )
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple([v if type(v) in _SCALARS else freeze(v) for v in value])
    return value


def _plain(value: Any) -> Any:
    """``tojson`` of frozen data."""
    if isinstance(value, MappingProxyType):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _size(value: Any, limit: int = MAX_TEXT) -> int:
    """Approximate length of ``value`` as text; stops counting once past ``limit``."""
    if isinstance(value, (str, bytes, bytearray)):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() // 3 + 1
    if isinstance(value, Mapping):
        value = [*value.keys(), *value.values()]
    if isinstance(value, (list, tuple, set, frozenset)):
        total = 2
        for item in value:
            total += _size(item, limit) + 2
            if total > limit:
                break
        return total
    return 1


def _check_size(value: Any, what: str = "a value") -> Any:
    size = _size(value)
    if size > MAX_TEXT:
        raise TemplateLimit(f"{what} is longer than {MAX_TEXT:,} characters")
    budget = _BUDGET.get()
    if budget is not None:  # what one render builds in all: values kept in variables count
        budget.built += size
        if budget.built > MAX_BUILT:
            raise TemplateLimit(f"the template built more than {MAX_BUILT:,} characters")
    return value


# --- per-render budget ---------------------------------------------------------------


@dataclass
class _Budget:
    started: float = field(default_factory=time.monotonic)
    steps: int = 0
    written: int = 0
    built: int = 0

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > MAX_STEPS:
            raise TemplateLimit(f"more than {MAX_STEPS:,} loop steps and calls")
        if time.monotonic() - self.started > MAX_SECONDS:  # every step: one can be slow
            raise TemplateLimit(f"rendering took longer than {MAX_SECONDS:g} s")


_BUDGET: ContextVar[_Budget | None] = ContextVar("evalkit_template_budget", default=None)


@contextmanager
def render_budget() -> Iterator[None]:
    """One render's budget: steps, time, written and built text count from here."""
    token = _BUDGET.set(_Budget())
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _step(count: int = 1) -> None:
    budget = _BUDGET.get()
    if budget is not None:  # None while Jinja folds constants at compile time
        budget.step(count)


# --- hooks the environment inserts into every template -------------------------------


@pass_context
def _loop_filter(_context: Any, iterable: Any) -> Iterator[Any]:
    """Wraps every ``for`` loop's iterable: each iteration is a step."""
    for item in iterable:
        _step()
        yield item


@pass_context
def _written_filter(_context: Any, value: Any) -> Any:
    """Wraps everything a template writes, including into ``set`` blocks and macros."""
    size = _size(value)
    _check_size(value, "written text")
    budget = _BUDGET.get()
    if budget is not None:
        budget.written += size
        if budget.written > MAX_WRITTEN:
            raise TemplateLimit(f"the template wrote more than {MAX_WRITTEN:,} characters")
    return value


@pass_context
def _sized_filter(_context: Any, value: Any) -> Any:
    """Wraps every ``~`` concatenation."""
    _step()
    return _check_size(value, "a joined string or a literal tuple, list or dict")


#: The hooks' filter names, unguessable (``'evalkit_loop' is filter`` told a template it ran
#: under evalkit, so a model's chat template could change its prompt for evalkit alone).
_TAG = secrets.token_hex(8)
_LOOP, _WRITTEN, _SIZED = f"f{_TAG}l", f"f{_TAG}w", f"f{_TAG}s"


def _wrapped(node: nodes.Expr, name: str) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


def _bound_template(tree: nodes.Template) -> nodes.Template:
    """Route loops, written text, ``~``, literal containers and filter / call blocks
    through the budget filters."""
    for loop in list(tree.find_all(nodes.For)):
        loop.iter = _wrapped(loop.iter, _LOOP)
    for output in list(tree.find_all(nodes.Output)):
        output.nodes = [_wrapped(child, _WRITTEN) for child in output.nodes]
    for parent in [tree, *tree.find_all(nodes.Node)]:
        for name, child in parent.iter_fields():
            if _sized_node(child):
                setattr(parent, name, _wrapped(child, _SIZED))
            elif isinstance(child, list) and any(_sized_node(c) or _is_block(c) for c in child):
                setattr(parent, name, [_bounded_node(c) for c in child])
    return tree


def _bounded_node(node: nodes.Node) -> nodes.Node:
    if _sized_node(node):
        return _wrapped(node, _SIZED)
    return _captured_block(node) if _is_block(node) else node


def _sized_node(node: object) -> bool:
    """``~`` and literal containers: ``(a, a)`` nested 60 deep shares its parts, so it is
    small in memory but 2**60 leaves long, and comparing or writing it never ends inside one
    C call, where no step is counted. Its written size is checked when it is built."""
    if isinstance(node, nodes.Tuple):
        return node.ctx == "load"
    return isinstance(node, (nodes.Concat, nodes.List, nodes.Dict))


def _is_block(node: object) -> bool:
    """A ``{% filter %}`` or ``{% call %}`` block: it writes its result straight out, past
    the written-text count (``{% filter center(499990) %}`` in a loop wrote 1.5 billion
    characters), so it is captured and written as an output (:func:`_captured_block`)."""
    return isinstance(node, (nodes.FilterBlock, nodes.CallBlock))


def _captured_block(block: nodes.Node) -> nodes.Node:
    """``block`` as ``{% set x %}block{% endset %}{{ x }}``, the capture sized on output."""
    name = f"v{_TAG}{id(block)}"
    capture = nodes.AssignBlock(
        nodes.Name(name, "store", lineno=block.lineno), None, [block], lineno=block.lineno
    )
    shown = nodes.Output([_wrapped(nodes.Name(name, "load", lineno=block.lineno), _WRITTEN)])
    shown.set_lineno(block.lineno)
    return nodes.Scope([capture, shown], lineno=block.lineno)


def _sized_namespace(base: type[Namespace]) -> type[Namespace]:
    """``namespace()`` whose attributes are size-checked (``ns.s = ns.s ~ ns.s`` doubles)."""

    class SizedNamespace(base):  # type: ignore[misc,valid-type]
        def __setitem__(self, name: str, value: Any) -> None:
            _step()
            super().__setitem__(name, _check_size(value))

    # named as the base is: `'%s' % namespace` must not tell a template where it runs
    SizedNamespace.__name__, SizedNamespace.__qualname__ = base.__name__, base.__qualname__
    SizedNamespace.__module__ = base.__module__
    return SizedNamespace


def safe_range(*args: int) -> range:  # Jinja's name for its sandbox's range
    _step()
    result = range(*args)
    if len(result) > MAX_TEXT // 10:
        raise TemplateLimit(f"range of {len(result):,} numbers is longer than {MAX_TEXT // 10:,}")
    return result


def generate_lorem_ipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
    """Jinja's ``lipsum``, bounded: ``lipsum(10**6)`` writes a million paragraphs before any
    size check sees them. Named as Jinja's, for environments that must keep it (a chat
    template may test ``lipsum is defined``)."""
    if n > 100 or max > 1_000:
        raise TemplateLimit("lipsum of more than 100 paragraphs or 1,000 words a paragraph")
    return utils.generate_lorem_ipsum(n=n, html=html, min=min, max=max)


#: Elements of a list, tuple, set or mapping handed to a call or a filter. Hashing is
#: quadratic when keys collide (multiples of 2**61 - 1 all hash to 0): `dict.fromkeys` of
#: 30,000 such numbers took 12 s inside one call, where no step is counted.
MAX_ITEMS = 10_000


def _check_items(values: Iterable[Any], what: str) -> None:
    for value in values:
        if isinstance(value, (list, tuple, set, frozenset, Mapping, range)) and (
            len(value) > MAX_ITEMS
        ):
            raise TemplateLimit(f"{what} of more than {MAX_ITEMS:,} elements")


def _declared_widths(pattern: str) -> int:
    """The widths and precisions a format pattern writes, added up: ``'{0:>999999}' * 1500``
    names no value wider than 1, but writes 1.5 billion characters."""
    total = 0
    try:
        for _, field, spec, _ in string.Formatter().parse(pattern):
            if field is not None and spec:
                total += sum(int(n) for n in _NUMBER.findall(spec))
    except ValueError:  # not a str.format pattern
        pass
    for conversion in _PERCENT_FIELD.finditer(pattern):
        total += sum(int(n) for n in _NUMBER.findall(conversion.group(0)))
    return total


def _estimate_format(pattern: str, values: Iterable[Any]) -> None:
    """``pattern % values`` / ``pattern.format(values)`` cannot exceed the size bound."""
    if _WIDE.search(pattern):
        raise TemplateLimit("a format width or precision of a million or more")
    largest = max((_size(v) for v in values), default=0)
    fields = pattern.count("%") + pattern.count("{")
    # a width taken from the values: '%*d' % (w, 1), '{0:{1}}'.format('x', w)
    width_from_values = "*" in pattern or _NESTED_FIELD.search(pattern)
    if width_from_values and any(
        isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_TEXT for v in values
    ):
        raise TemplateLimit("a format width of a million or more")
    if len(pattern) + fields * largest + _declared_widths(pattern) > MAX_TEXT:
        raise TemplateLimit(f"formatted text would be longer than {MAX_TEXT:,} characters")


def _estimate_amplified(value: Any, args: Iterable[Any]) -> None:
    """A filter or string method whose arguments may multiply its input (``center(10**9)``,
    ``replace("", s)``, ``join(s)``, ``indent(n)``) stays under the size bound."""
    factor = 1
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool):
            factor += abs(arg)
        elif arg is not None and not isinstance(arg, (bool, float)):
            factor += _size(arg)
    if (_size(value) + 1) * factor > MAX_TEXT and factor > 1:
        raise TemplateLimit(
            f"the result could be longer than {MAX_TEXT:,} characters "
            f"({_size(value):,} characters, arguments of size {factor - 1:,})"
        )


_SAFE_STR_METHODS = frozenset(
    {
        *("capitalize", "casefold", "count", "endswith", "find", "index", "lower", "lstrip"),
        *("partition", "removeprefix", "removesuffix", "rfind", "rindex", "rpartition"),
        *("rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase"),
        *("title", "upper", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit"),
        *("isidentifier", "islower", "isnumeric", "isprintable", "isspace", "istitle"),
        "isupper",
    }
)


#: Filters that take time out of proportion to their input (quadratic in it, measured:
#: striptags 7 s on a million characters, wordwrap(1) 6 s on 450,000): their input is capped,
#: since the render's time limit is checked between calls, not inside one.
_SLOW_FILTERS = frozenset({"striptags", "urlize", "wordwrap"})
MAX_SLOW_INPUT = 100_000

#: Filters whose arguments can multiply the size of their input; the others are linear.
_AMPLIFYING_FILTERS = frozenset(
    {"batch", "center", "indent", "join", "replace", "slice", "tojson", "wordwrap"}
)


def _joinable(iterable: Any) -> tuple[Any, ...]:
    """An iterable as a size-checked tuple, each element a step."""
    return _check_size(tuple(_loop_filter(None, iterable)))


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    pass_arg = getattr(function, "jinja_pass_arg", None)
    leading = 1 if pass_arg is not None else 0  # context / eval context / environment

    @wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _step()
        value, rest = args[leading], [*args[leading + 1 :], *kwargs.values()]
        if isinstance(value, Iterator):
            value = _joinable(value)  # a generator (map, select, …): its size is known once run
            args = (*args[:leading], value, *args[leading + 1 :])
        _check_items([value, *rest], f"filter {name!r} given a container")
        if name in _SLOW_FILTERS and _size(value) > MAX_SLOW_INPUT:
            raise TemplateLimit(f"filter {name!r} on more than {MAX_SLOW_INPUT:,} characters")
        if name == "format":
            _estimate_format(str(value), rest)
        elif name in _AMPLIFYING_FILTERS:
            _estimate_amplified(value, rest)
        return _check_size(function(*args, **kwargs), f"the result of filter {name!r}")

    return bounded


class PromptLoader(BaseLoader):
    """Loads ``include`` / ``import`` / ``extends`` targets from ``roots``, safely.

    ``loaded`` maps every name loaded to the SHA-256 of its bytes, in load order.
    """

    def __init__(self, roots: Iterable[Path]) -> None:
        self.roots = [Path(root) for root in roots]
        self.loaded: dict[str, str] = {}
        self.sources: dict[str, str] = {}

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        parts = _safe_parts(template)
        for root in self.roots:
            candidate = root.joinpath(*parts)
            if not candidate.exists():
                continue
            real_root, real = root.resolve(), candidate.resolve()
            if not real.is_relative_to(real_root):
                raise TemplateLimit(f"{template!r} is a link to a file outside {root}")
            if any(part.startswith(".") for part in real.relative_to(real_root).parts):
                raise TemplateLimit(f"{template!r} is a link to a hidden file")
            if not real.is_file():
                raise TemplateLimit(f"{template!r} is not a file")
            if real.stat().st_size > MAX_INCLUDE_BYTES:
                raise TemplateLimit(f"{template!r} is larger than {MAX_INCLUDE_BYTES:,} bytes")
            data = real.read_bytes()
            try:
                source = data.decode("utf-8")
            except UnicodeDecodeError:
                raise TemplateLimit(f"{template!r} is not UTF-8 text") from None
            self.loaded[template] = hashlib.sha256(data).hexdigest()
            self.sources[template] = source
            # Never reloaded: what is hashed for the plan is what is rendered.
            return source, str(candidate), lambda: True
        raise TemplateNotFound(template)


def read_template(path: Path) -> bytes:
    """A template file's bytes, bounded like the files it may include: a 1.5 GB "template"
    took 24 GB of memory to compile. Any failure is one :class:`EvalkitError`."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(MAX_INCLUDE_BYTES + 1) if size <= MAX_INCLUDE_BYTES else b""
    except OSError as exc:
        raise EvalkitError(f"cannot read template: {exc.strerror}", file=path) from None
    if size > MAX_INCLUDE_BYTES or len(data) > MAX_INCLUDE_BYTES:
        raise EvalkitError(
            f"template is larger than {MAX_INCLUDE_BYTES:,} bytes",
            file=path,
            expected="a prompt template of a few kilobytes",
        )
    return data


def _safe_parts(name: str) -> list[str]:
    """Path parts of a template name; refuses what could leave the roots or show dotfiles."""
    parts = name.split("/")
    if (
        "\\" in name
        or "\0" in name
        or name.startswith("/")
        or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
    ):
        raise TemplateLimit(
            f"cannot load {name!r}: names are relative paths under the template's folder "
            "or the built-in prompts, without '..', '/' at the start or hidden (dot) parts"
        )
    return parts


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with this module's bounds on work and sizes: every
    template it compiles routes loops, output and ``~`` through the budget, and every
    filter, call and operator is checked. Renders are bounded under :func:`render_budget`."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options: Any) -> None:
        # Jinja computes constant expressions while compiling, when no budget is counting:
        # 1,000 `'x'|center(499998)` took 2.3 GB to compile.
        super().__init__(**options, optimized=False)

    def bound_names(self, namespace: type[Namespace] = Namespace) -> None:
        """Wrap the filters and globals now set; ``namespace`` is the class to size-check."""
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters.update({_LOOP: _loop_filter, _WRITTEN: _written_filter, _SIZED: _sized_filter})
        self.globals.pop("lipsum", None)  # lipsum(n) writes n paragraphs
        self.globals.update(range=safe_range, namespace=_sized_namespace(namespace))

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _bound_template(super()._parse(source, name, filename))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _step()
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_product(left, right)
        elif operator == "%" and isinstance(left, str):
            _estimate_format(left, right if isinstance(right, tuple) else (right,))
        elif operator == "+" and _size(left) + _size(right) > MAX_TEXT:
            raise TemplateLimit(f"a sum longer than {MAX_TEXT:,} characters")
        result = super().call_binop(context, operator, left, right)
        return _check_size(result, f"the result of {operator!r}")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _step()
        _check_items([*args, *kwargs.values()], "a call given a container")
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        method = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if method in ("format", "format_map"):
                values = [*args, *kwargs.values()]
                if method == "format_map" and args and isinstance(args[0], Mapping):
                    values = list(args[0].values())
                _estimate_format(owner, values)
            elif method == "join" and args:
                joined = _joinable(args[0])
                if len(owner) * len(joined) > MAX_TEXT:
                    raise TemplateLimit(f"a join longer than {MAX_TEXT:,} characters")
                args = (joined, *args[1:])
            elif method not in _SAFE_STR_METHODS:
                _estimate_amplified(owner, [*args, *kwargs.values()])
        result = super().call(__context, __obj, *args, **kwargs)
        return _check_size(result, f"the result of {method or 'a call'}()")


class PromptEnvironment(BoundedSandbox):
    """The environment of prompt and judge templates; see the module docstring."""

    def __init__(self, roots: Iterable[Path]) -> None:
        self.prompt_loader = PromptLoader(roots)
        super().__init__(
            loader=self.prompt_loader,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
            auto_reload=False,
        )
        self.bound_names()
        self.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": _plain}


def _check_power(left: Any, right: Any) -> None:
    ints = isinstance(left, int) and isinstance(right, int)
    if ints and right > 0 and abs(left) > 1 and right * left.bit_length() > MAX_INT_BITS:
        raise TemplateLimit(f"a power with more than {MAX_INT_BITS:,} bits")


def _check_product(left: Any, right: Any) -> None:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(count, int) and isinstance(sequence, (str, bytes, bytearray, list, tuple)):
            if max(count, 0) * _size(sequence) > MAX_TEXT:
                raise TemplateLimit(f"a repetition longer than {MAX_TEXT:,} characters")
            return
    ints = isinstance(left, int) and isinstance(right, int)
    if ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise TemplateLimit(f"a product with more than {MAX_INT_BITS:,} bits")


# --- loading and rendering ------------------------------------------------------------


def compile_template(environment: PromptEnvironment, source: str, path: Path) -> Template:
    """Compile the template at ``path`` and load every file it names literally.

    Loading them now reports a missing, hidden or binary include before any
    model runs, and puts them in :attr:`PromptLoader.loaded` (hashed by the plan).
    """
    try:
        code = environment.compile(source, filename=str(path))
        template = environment.template_class.from_code(
            environment, code, environment.make_globals(None)
        )
        pending = [source]
        while pending:
            tree = environment.parse(pending.pop())
            for name in find_referenced_templates(tree):
                if name is None or name in environment.prompt_loader.loaded:
                    continue
                try:
                    environment.get_template(name)
                except TemplateNotFound:
                    continue  # maybe `ignore missing`, or a branch never taken: render decides
                pending.append(environment.prompt_loader.sources[name])
    except TemplateError as exc:
        raise EvalkitError(
            f"invalid template: {_one_line(exc)}",
            file=getattr(exc, "filename", None) or path,
            line=getattr(exc, "lineno", None),
        ) from None
    return template


def render_block(
    template: Template, block: str, variables: dict[str, Any], path: Path, *, what: str = "block"
) -> str:
    """Render ``block`` with ``variables`` (frozen here) under a fresh budget, stripped."""
    try:
        with render_budget():
            context = template.new_context({k: freeze(v) for k, v in variables.items()})
            written, chunks = 0, []
            for chunk in template.blocks[block](context):
                written += len(chunk)
                if written > MAX_TEXT:
                    raise TemplateLimit(f"rendered text is longer than {MAX_TEXT:,} characters")
                chunks.append(chunk)
    except Exception as exc:  # anything a template does wrong is the template's error
        file, line = _template_location(exc.__traceback__)
        raise RenderError(
            f"cannot render {what} {block!r}: {_one_line(exc)}",
            file=file or path,
            line=line,
            expected="variables " + ", ".join(sorted(variables)),
        ) from None
    return "".join(chunks).strip()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(getattr(exc, "message", None) or exc).split())
    if isinstance(exc, TemplateNotFound):
        text = f"{exc.name!r} not found in the template's folder or the built-in prompts"
    if isinstance(exc, TemplateError):
        text = text or type(exc).__name__
    else:
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def _template_location(tb: TracebackType | None) -> tuple[str | None, int | None]:
    """File and line of the innermost template frame of a traceback, as Jinja reports them."""
    file, line = None, None
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None:
            file = template.filename
            line = template.get_corresponding_lineno(tb.tb_lineno)
        tb = tb.tb_next
    return file, line


def sources_digest(loaded: Mapping[str, str], main: str) -> str:
    """One hash of a template's own bytes' hash ``main`` and the files it loaded."""
    if not loaded:
        return main
    parts = [main, *(f"{name}={digest}" for name, digest in sorted(loaded.items()))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


__all__ = [
    "MAX_TEXT",
    "PromptEnvironment",
    "PromptLoader",
    "TemplateLimit",
    "compile_template",
    "freeze",
    "render_block",
    "sources_digest",
]
