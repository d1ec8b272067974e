"""Run a config's eval once and evaluate its gates: shared by ``evalkit gate`` and pytest.

The run resumes like ``evalkit run``: against a complete run directory nothing
is pending, no model is loaded, and re-checking the gates costs only scoring.
Gate mistakes are found before the run; the pytest plugin keeps each gate's
error to itself so one bad gate fails one test item.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from rich.console import Console

from evalkit.errors import EvalkitError
from evalkit.gates.evaluate import (
    GatedRun,
    ResolvedGate,
    evaluate_gate,
    load_planned_run,
    resolve_gate,
)
from evalkit.gates.spec import GateResult
from evalkit.plan import RunPlan, build_plan


class GateSuite:
    def __init__(
        self, config_path: Path, *, out: Path | None = None, console: Console | None = None
    ) -> None:
        self.config_path = config_path
        self._out = out
        self.console = console or Console(stderr=True)
        self._run_data: GatedRun | EvalkitError | None = None
        self._results: dict[str, GateResult] = {}

    @cached_property
    def plan(self) -> RunPlan:
        return build_plan(self.config_path)

    @property
    def run_dir(self) -> Path:
        return self._out or self.plan.default_output_dir()

    @cached_property
    def resolved(self) -> list[ResolvedGate | EvalkitError]:
        """Each gate in config order, resolved or the error that stops it."""
        baselines: dict[Path, GatedRun] = {}  # a baseline is read once
        found: list[ResolvedGate | EvalkitError] = []
        for index in range(len(self.plan.config.gates)):
            try:
                found.append(resolve_gate(self.plan, index, baselines))
            except EvalkitError as exc:
                found.append(exc)
        return found

    def check(self) -> list[ResolvedGate]:
        """All gates, or the first mistake; for the CLI, before any model runs."""
        if not self.plan.config.gates:
            raise EvalkitError(
                "the config has no gates", file=self.config_path, expected="a `gates:` list"
            )
        for gate in self.resolved:
            if isinstance(gate, EvalkitError):
                raise gate
        return [g for g in self.resolved if isinstance(g, ResolvedGate)]

    def run(self) -> GatedRun:
        """Run (or resume) the eval once; later calls reuse the outcome, good or bad: the
        records and the current judge verdicts the gates read."""
        if self._run_data is None:
            try:
                self._run_data = self._run()
            except EvalkitError as exc:
                self._run_data = exc
        if isinstance(self._run_data, EvalkitError):
            raise self._run_data
        return self._run_data

    def _run(self) -> GatedRun:
        from evalkit.report import write_report
        from evalkit.runner import Runner
        from evalkit.store import RunStore
        from evalkit.summary import ScoredRun, summarize_run

        Runner(self.plan, self.run_dir, console=self.console).run()
        store = RunStore(self.run_dir)
        with store.lock():  # the summary and report of this attempt, as `evalkit run` writes
            entries = store.load_records_at()  # read once: the summary and the gates
            scored = ScoredRun.score(store, store.require_manifest(), entries)
            summarize_run(store, scored)
            write_report(self.run_dir, scored=scored)
        loaded = GatedRun([record for _, record in entries], scored.verdicts)
        return load_planned_run(self.plan, self.run_dir, loaded)

    def result(self, name: str) -> GateResult:
        """Evaluate gate ``name`` (running the eval first if needed)."""
        if name not in self._results:
            names = [g.name for g in self.plan.config.gates]
            if name not in names:
                raise EvalkitError(f"no gate named {name!r}", file=self.config_path)
            gate = self.resolved[names.index(name)]
            if isinstance(gate, EvalkitError):
                raise gate
            self._results[name] = evaluate_gate(gate, self.run())
        return self._results[name]

    def evaluate_all(self) -> list[GateResult]:
        gates = self.check()
        return [self.result(gate.name) for gate in gates]
