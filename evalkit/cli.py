"""The ``evalkit`` command line: run, validate, list, score."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rich.console import Console
from rich.table import Table
from rich.text import Text

from evalkit.errors import EvalkitError
from evalkit.version import __version__

if TYPE_CHECKING:
    from pydantic import BaseModel

    from evalkit.plan import RunPlan
    from evalkit.summary import ScoredRun

#: a result a command prints, and writes as JSON when asked
R = TypeVar("R", bound="BaseModel")

console = Console()
errors = Console(stderr=True)


def _run(args: argparse.Namespace) -> int:
    from evalkit.collection import paused, run_heap

    # Importing and planning make much that lives on and little garbage: the collector would
    # scan the growing heap over and over; what garbage there is goes before samples run.
    with paused():
        from evalkit.plan import build_plan
        from evalkit.report.console import render_summary
        from evalkit.runner import Runner
        from evalkit.store import RunStore
        from evalkit.summary import ScoredRun, summarize_run

        plan = build_plan(Path(args.config), limit=args.limit)
    _print_load_reports(plan)
    run_dir = Path(args.out) if args.out else plan.default_output_dir()
    runner = Runner(plan, run_dir, console=errors, use_cache=False if args.no_cache else None)
    if args.dry_run:
        from evalkit.dry_run import estimate_run, render_dry_run

        runner.check_same_plan()
        for line in plan.not_asked_lines():
            console.print(line, soft_wrap=True)
        pending = runner.pending(repair=False)  # reads only: may look while a run goes on
        cache = runner.open_cache(plan.config.models)
        render_dry_run(estimate_run(plan, pending, cache), console)
        return 0
    store = RunStore(run_dir)
    store.check_output_dir()
    with store.lock(create=True):  # one writer, from the first sample to the report
        with run_heap():  # the collector tuned while samples run
            manifest = runner.run()
        # The plan's samples and items are not needed past the run: free them before the
        # records are read back, so peak memory holds one of the two, not both.
        del runner, plan
        scored = ScoredRun.load(store)  # read and scored once: summary, console and report
        summary = summarize_run(store, scored)
        render_summary(summary, console)
        console.print(f"results: {run_dir}/results.jsonl  summary: {run_dir}/summary.json")
        console.print(f"report: {_write_report(run_dir, scored=scored)}", soft_wrap=True)
    if manifest.status != "complete":
        if manifest.counts.errored or not manifest.judges:  # else: judge requests failed
            errors.print(
                f"[yellow]{manifest.counts.errored} samples errored (see {run_dir}/errors.jsonl); "
                "run the same command again to retry them[/]"
            )
        return 1
    return 0


def _print_load_reports(plan: RunPlan) -> None:
    """One line per dataset: rows read, merged, dropped, invented (also in the manifest)."""
    for dataset in plan.datasets:
        if dataset.report is not None:
            console.print(f"data {dataset.name}: {dataset.report.summary()}", soft_wrap=True)
        for line in plan.invented_lines(dataset.name):
            console.print(line, soft_wrap=True)


def _validate(args: argparse.Namespace) -> int:
    from evalkit.judges.assignment import models_judged_by_themselves
    from evalkit.plan import build_plan

    plan = build_plan(Path(args.config))
    _check_destinations(plan)
    _print_load_reports(plan)
    for family in sorted({c.family for c in plan.conditions}):
        if own := models_judged_by_themselves(plan.config, family):
            errors.print(
                f"[bold red]WARNING: the {family} judge is also the model under test "
                f"{', '.join(own)}: it would grade its own replies[/]"
            )
    for line in plan.not_asked_lines():
        console.print(line, soft_wrap=True)
    if plan.config.gates:  # their metrics, conditions, categories, models and baselines
        from evalkit.gates.evaluate import resolve_gates

        resolve_gates(plan)
        console.print(f"gates: {len(plan.config.gates)} checked against the plan")
    console.print(
        f"[green]ok[/] {args.config}: {len(plan.config.models)} model(s), "
        f"{sum(len(d.items) for d in plan.datasets)} item(s), "
        f"{len(plan.conditions)} condition(s), {plan.sample_count} samples"
    )
    return 0


def _check_destinations(plan: RunPlan) -> None:
    """Where each HTTP model and judge would send its key, as ``evalkit run`` checks it: a
    config that validates must not be refused by the run for it."""
    from evalkit.judges.run import check_judge_keys
    from evalkit.providers import check_destination

    for index, model in enumerate(plan.config.models):
        try:
            check_destination(model)
        except EvalkitError as exc:
            raise plan.config_error(exc, ("models", index)) from None
    check_judge_keys(plan, keys=False)


def _list(_: argparse.Namespace) -> int:
    from evalkit.conditions import ConditionTemplate, builtin_templates
    from evalkit.dataset import list_builtins
    from evalkit.providers import PROVIDERS
    from scorers import registry

    datasets = Table(title="datasets", title_justify="left")
    datasets.add_column("name")
    datasets.add_column("items")
    datasets.add_column("path")
    for builtin in list_builtins():
        where = f"generated by {builtin.path}" if builtin.generated else str(builtin.path)
        datasets.add_row(builtin.name, str(builtin.items), where)
    conditions = Table(title="conditions", title_justify="left")
    for column in ("template", "pressure", "turns", "description"):
        conditions.add_column(column)
    for reference, path in builtin_templates().items():
        template = ConditionTemplate(reference, path)
        conditions.add_row(
            reference,
            template.header.pressure or "-",
            f"{template.turn_count} (+1 if unreadable)"
            if template.has_confirm
            else str(template.turn_count),
            template.header.description,
        )
    providers = Table(title="providers", title_justify="left")
    providers.add_column("provider")
    providers.add_column("what")
    for provider in PROVIDERS.values():
        providers.add_row(provider.name, provider.description)
    scorers = Table(title="families", title_justify="left")
    for column in ("family", "what", "metrics"):
        scorers.add_column(column)
    for name, family in registry.families().items():
        scorers.add_row(name, family.description, ", ".join(m.name for m in family.metrics))
    for table in (datasets, conditions, providers, scorers):
        console.print(table)
    return 0


def _score(args: argparse.Namespace) -> int:
    from evalkit.report.console import render_summary
    from evalkit.store import RunStore
    from evalkit.summary import summarize_run

    run_dir = Path(args.run_dir)
    with RunStore(run_dir).lock():  # writes summary.json
        summary = summarize_run(RunStore(run_dir))
    render_summary(summary, console)
    console.print(f"summary: {run_dir}/summary.json")
    return 0


def _write_report(
    run_dir: Path,
    out: Path | None = None,
    compare: Path | None = None,
    scored: ScoredRun | None = None,
) -> Path:
    from evalkit.report import write_report

    return write_report(run_dir, out=out, compare=compare, scored=scored)


def _report(args: argparse.Namespace) -> int:
    from evalkit.store import RunStore

    compare = Path(args.compare) if args.compare else None
    run_dir, out = Path(args.run_dir), Path(args.out) if args.out else None
    inside = out is None or out.resolve().parent == run_dir.resolve()
    # Into the run directory: a writer, so it locks; elsewhere it only reads.
    with RunStore(run_dir).lock() if inside else contextlib.nullcontext():
        path = _write_report(run_dir, out, compare)
    console.print(f"report: {path}", soft_wrap=True)
    return 0


def _repair(args: argparse.Namespace) -> int:
    from evalkit.repair import repair_run

    console.print(repair_run(Path(args.run_dir)).describe(), soft_wrap=True)
    return 0


def _export(args: argparse.Namespace) -> int:
    from evalkit.report.export import export_records

    run_dir = Path(args.run_dir)
    out = Path(args.out) if args.out else run_dir / f"records.{args.format}"
    rows = export_records(run_dir, out, args.format)
    console.print(f"{rows} rows (one per sample turn): {out}", soft_wrap=True)
    _say_if_partial(run_dir)
    return 0


def _say_if_partial(run_dir: Path) -> None:
    """An export or audit sheet of a run that did not finish says so: it is not the run."""
    from evalkit.store import RunStore

    manifest = RunStore(run_dir).read_manifest()
    if manifest is not None and manifest.status != "complete":
        console.print(
            f"[bold yellow]the run is not complete ({manifest.status}): these are the samples "
            f"it saved, of {manifest.counts.planned} planned[/]"
        )


def _gate(args: argparse.Namespace) -> int:
    from evalkit.gates.suite import GateSuite
    from evalkit.gates.table import render_gates

    suite = GateSuite(Path(args.config), out=Path(args.out) if args.out else None, console=errors)
    results = suite.evaluate_all()
    render_gates(results, console)
    return 0 if all(r.passed for r in results) else 1


def _compare(args: argparse.Namespace) -> int:
    from evalkit.compare import compare_runs
    from evalkit.report.console import render_comparison

    return _print_with_json(
        lambda: compare_runs(Path(args.run_a), Path(args.run_b)),
        render_comparison,
        args.json,
        "comparison",
    )


def _print_with_json(
    make: Callable[[], R], render: Callable[[R, Console], None], json_out: str | None, what: str
) -> int:
    """Make a result and print it; with ``json_out``, also write it as JSON, checked before
    the work and written before the printing (a closed pipe, ``| head``, must not lose it)."""
    from evalkit.safeio import check_output_path, write_output

    if json_out:
        check_output_path(Path(json_out), what)
    result = make()
    if json_out:
        write_output(Path(json_out), result.model_dump_json(indent=2), what)
    render(result, console)
    if json_out:
        console.print(f"{what}: {json_out}", soft_wrap=True)
    return 0


def _audit(args: argparse.Namespace) -> int:
    from evalkit.reader_audit import check_sheet, write_sheet
    from evalkit.report.console import render_audit

    run_dir = Path(args.run_dir)
    if args.write_sheet and args.json:
        raise EvalkitError("--json goes with --check", expected="--check SHEET_JSONL --json F")
    if args.write_sheet:
        written, distinct, left = write_sheet(run_dir, Path(args.write_sheet), args.n, args.seed)
        console.print(
            f"{written} of {distinct} distinct replies the run's figures read (seed {args.seed}):"
            f" {args.write_sheet}",
            soft_wrap=True,
        )
        for reason, count in sorted(left.items()):
            console.print(f"  not drawn from: {count} turns {reason}", soft_wrap=True)
        console.print(
            "fill in each line's \"label\": the option's letter, other (an answer that is "
            "none of the options) or none (no answer); for items without options correct, "
            "user (the user's wrong answer), other or none. Then: "
            f"evalkit audit {run_dir} --check {args.write_sheet}",
            soft_wrap=True,
        )
        _say_if_partial(run_dir)
        return 0
    return _print_with_json(
        lambda: check_sheet(run_dir, Path(args.check)), render_audit, args.json, "audit"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evalkit", description="Measure sycophancy: capability vs. giving in to the user."
    )
    parser.add_argument("--version", action="version", version=f"evalkit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run an eval described in YAML (resumes if interrupted)")
    run.add_argument("config", help="run config YAML")
    run.add_argument("--limit", type=_positive_int, help="items per dataset (seeded subset)")
    run.add_argument("--out", help="run directory (default: output_dir or runs/<name>)")
    run.add_argument(
        "--dry-run",
        action="store_true",
        help="print how many requests and roughly how many tokens the run would use; send nothing",
    )
    run.add_argument(
        "--no-cache", action="store_true", help="send every request, even if a reply is cached"
    )
    run.set_defaults(handler=_run)

    validate = commands.add_parser("validate", help="check a config without running a model")
    validate.add_argument("config")
    validate.set_defaults(handler=_validate)

    listing = commands.add_parser("list", help="built-in datasets, conditions, providers, scorers")
    listing.set_defaults(handler=_list)

    score = commands.add_parser("score", help="re-score a run directory without the model")
    score.add_argument("run_dir")
    score.set_defaults(handler=_score)

    report = commands.add_parser("report", help="write a run's self-contained HTML report")
    report.add_argument("run_dir")
    report.add_argument("--compare", metavar="OTHER_RUN", help="a run directory to compare with")
    report.add_argument("-o", "--out", help="output file (default: RUN_DIR/report.html)")
    report.set_defaults(handler=_report)

    repair = commands.add_parser(
        "repair", help="keep each sample once and cut torn lines in a run directory's results"
    )
    repair.add_argument("run_dir")
    repair.set_defaults(handler=_repair)

    export = commands.add_parser("export", help="sample records as a flat table (CSV, Parquet)")
    export.add_argument("run_dir")
    export.add_argument("--format", required=True, choices=["csv", "parquet"])
    export.add_argument("-o", "--out", help="output file (default: RUN_DIR/records.FORMAT)")
    export.set_defaults(handler=_export)

    gate = commands.add_parser(
        "gate", help="run (or resume) a config, check its gates: exit 0 pass, 1 fail, 2 bad input"
    )
    gate.add_argument("config", help="run config YAML with a `gates:` list")
    gate.add_argument("--out", help="run directory (default: output_dir or runs/<name>)")
    gate.set_defaults(handler=_gate)

    compare = commands.add_parser("compare", help="paired comparison of two run directories")
    compare.add_argument("run_a", help="the reference run (e.g. the released model)")
    compare.add_argument("run_b", help="the run compared with it (e.g. the candidate)")
    compare.add_argument("--json", metavar="OUT_JSON", help="also write the comparison as JSON")
    compare.set_defaults(handler=_compare)

    audit = commands.add_parser(
        "audit",
        help="measure the answer reader on a run's own replies: write a blind labelling "
        "sheet, then check the reader against your labels",
    )
    audit.add_argument("run_dir")
    mode = audit.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write-sheet", metavar="SHEET_JSONL", help="draw replies to label")
    mode.add_argument("--check", metavar="SHEET_JSONL", help="the labelled sheet")
    audit.add_argument("--n", type=_positive_int, default=100, help="replies to draw (100)")
    audit.add_argument("--seed", type=int, default=0, help="seed of the draw (0)")
    audit.add_argument("--json", metavar="OUT_JSON", help="with --check: also write it as JSON")
    audit.set_defaults(handler=_audit)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _os_error(exc: OSError) -> EvalkitError:
    return EvalkitError(exc.strerror or type(exc).__name__, file=exc.filename)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # `kill`, `timeout` and CI runners send SIGTERM: stop as on Ctrl-C (finished samples
    # saved, the manifest incomplete, the lock released), not as on SIGKILL
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main else None
    try:
        return args.handler(args)
    except (EvalkitError, OSError) as caught:
        # A path the file system refuses where no check looked first (a name longer than it
        # takes makes even Path.exists raise) is bad input too: one line, not a traceback.
        exc = caught if isinstance(caught, EvalkitError) else _os_error(caught)
        # Literal text on one line: paths and ids may contain "[", output may be piped.
        errors.print(Text.assemble(("error: ", "bold red"), str(exc)), soft_wrap=True)
        return exc.exit_code
    except KeyboardInterrupt:
        errors.print("interrupted: finished samples are saved; run the same command to resume")
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
