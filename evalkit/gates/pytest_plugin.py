"""pytest plugin: ``pytest --evalkit run.yaml`` collects one test item per release gate.

Registered through the ``pytest11`` entry point, so it is loaded in every pytest
session of anyone who installs evalkit: without ``--evalkit`` it only adds the
option and a fixture, collects nothing and imports nothing heavy.

With ``--evalkit``, the config's gates become items named after the gates
(``-k``, ``-x``, ``--junitxml`` work as usual). The eval runs once per session,
lazily on the first gate item, and resumes: against a complete run directory no
model is loaded. When ``--evalkit`` is the only thing asked for, the ini
``testpaths`` are not collected.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from evalkit.errors import EvalkitError

if TYPE_CHECKING:
    from evalkit.gates.spec import GateResult
    from evalkit.gates.suite import GateSuite

_CONFIGS = pytest.StashKey[set[Path]]()
_SUITES = pytest.StashKey[dict[Path, "GateSuite"]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("evalkit", "evalkit release gates")
    group.addoption(
        "--evalkit",
        action="append",
        default=[],
        metavar="RUN_YAML",
        help="collect one test per gate of this evalkit run config (repeatable)",
    )
    group.addoption(
        "--evalkit-out",
        default=None,
        metavar="RUN_DIR",
        help="run directory for --evalkit (default: the config's output_dir or runs/<name>)",
    )


def pytest_configure(config: pytest.Config) -> None:
    given: list[str] = config.getoption("evalkit") or []
    if not given:
        return
    base = config.invocation_params.dir
    paths = []
    for text in given:
        path = Path(text) if Path(text).is_absolute() else base / text
        if not path.is_file():
            raise pytest.UsageError(f"--evalkit {text}: file not found")
        paths.append(path.resolve())
    config.stash[_CONFIGS] = set(paths)
    # The configs are the things to collect; the ini testpaths only when asked for too.
    explicit = config.args_source == pytest.Config.ArgsSource.ARGS
    args = list(config.args) if explicit else []
    config.args = args + [str(p) for p in paths if str(p) not in args]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    configs = parent.config.stash.get(_CONFIGS, None)
    if configs and file_path.resolve() in configs:
        return GateFile.from_parent(parent, path=file_path)
    return None


def _suite(config: pytest.Config, path: Path, out: str | Path | None = None) -> GateSuite:
    """One suite per config file per session: the eval runs at most once."""
    from evalkit.gates.suite import GateSuite

    suites = config.stash.setdefault(_SUITES, {})
    key = path.resolve()
    if key not in suites:
        out = out if out is not None else config.getoption("evalkit_out")
        suites[key] = GateSuite(path, out=Path(out) if out else None)
    return suites[key]


class GateFile(pytest.File):
    """A run YAML: its gates are the items. The plan is checked here, the run waits."""

    def collect(self) -> list[pytest.Item]:
        suite = _suite(self.config, self.path)
        gates = suite.plan.config.gates
        if not gates:
            raise EvalkitError(
                "the config has no gates", file=self.path, expected="a `gates:` list"
            )
        return [GateItem.from_parent(self, name=gate.name, suite=suite) for gate in gates]

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> Any:
        if isinstance(excinfo.value, EvalkitError):
            return f"error: {excinfo.value}"
        return super().repr_failure(excinfo)


class GateFailed(Exception):
    """A gate did not hold; carries the result for the report."""

    def __init__(self, result: GateResult) -> None:
        super().__init__(result.message)
        self.result = result


class GateWarning(pytest.PytestWarning):
    """A gate passed, but unreadable answers could hide a breach."""


class GateItem(pytest.Item):
    def __init__(self, *, suite: GateSuite, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.suite = suite

    def runtest(self) -> None:
        result = self.suite.result(self.name)
        for key in (
            *("metric", "condition", "model", "value", "n"),
            *("unreadable", "imputed", "worst_case", "bound", "p_value"),
        ):
            self.user_properties.append((key, getattr(result, key)))
        if result.warning:
            warnings.warn(GateWarning(f"gate {self.name}: {result.warning}"), stacklevel=1)
        if not result.passed:
            raise GateFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> Any:
        if isinstance(excinfo.value, GateFailed):
            return excinfo.value.result.report()
        if isinstance(excinfo.value, EvalkitError):
            return f"error: {excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"evalkit gate {self.name}"


@pytest.fixture(scope="session")
def evalkit_gates(pytestconfig: pytest.Config) -> Callable[..., list[GateResult]]:
    """Gate results of a run config, for teams who prefer test code::

        def test_release(evalkit_gates):
            failed = [r for r in evalkit_gates("release.yaml") if not r.passed]
            assert not failed, "\\n".join(r.report() for r in failed)

    The path is relative to the directory pytest was started in; each config runs
    once per session (shared with ``--evalkit`` items of the same file).
    """

    def evaluate(config_path: str | Path, out: str | Path | None = None) -> list[GateResult]:
        path = Path(config_path)
        if not path.is_absolute():
            path = pytestconfig.invocation_params.dir / path
        return _suite(pytestconfig, path, out).evaluate_all()

    return evaluate
