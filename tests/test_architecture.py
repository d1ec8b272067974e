"""The shape of the code: no import cycles, and an engine that knows families only through
the registry (``scorers.registry``), never by name."""

from __future__ import annotations

import ast
from pathlib import Path

from scorers import registry

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("evalkit", "scorers")
#: Dataset-format loaders and generators parse published files (Sharma's four tasks, SYCON's
#: settings), whose names are those of the papers' tasks; everything else is engine.
NOT_ENGINE = ("evalkit.loaders", "evalkit.generators", "evalkit.testing")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            name = ".".join(path.relative_to(REPO).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path) -> set[str]:
    """Every module of ours ``name`` imports, at the top or inside functions, except under
    ``if TYPE_CHECKING:`` (which never runs)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in MODULES else node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in MODULES and m != name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def test_the_import_graph_has_no_cycle():
    graph = {name: _imports(name, path) for name, path in MODULES.items()}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _engine() -> dict[str, Path]:
    return {
        name: path
        for name, path in MODULES.items()
        if name.startswith("evalkit") and not name.startswith(NOT_ENGINE)
    }


def _strings(tree: ast.AST) -> set[str]:
    """String constants that are not docstrings."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    }


def test_the_engine_names_no_family():
    families = set(registry.families())
    family_modules = {f"scorers.{name}" for name in families}
    offenders = {}
    for name, path in _engine().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named = sorted(families & _strings(tree))
        imported = sorted(family_modules & _imports(name, path))
        if named or imported:
            offenders[name] = named + imported
    assert offenders == {}


def test_every_builtin_family_keeps_the_contract():
    for name, family in registry.families().items():
        assert family.name == name
        assert family.result_type.model_fields["family"].default == name
        assert len({m.name for m in family.metrics}) == len(family.metrics)
        assert all(m.family == name and m.description for m in family.metrics)
        if family.headline is not None:
            assert family.metric(family.headline.capability) is not None
            assert family.metric(family.headline.capitulation) is not None
        if family.needs_choices:
            assert family.read is not None


def test_every_public_name_resolves():
    import evalkit

    for name in evalkit.__all__:
        assert getattr(evalkit, name) is not None, name
    assert evalkit.read_answer.__doc__ and evalkit.load_run.__doc__
