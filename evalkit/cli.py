"""The ``evalkit`` command line: run, validate, list, score."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from evalkit import __version__
from evalkit.errors import EvalkitError

console = Console()
errors = Console(stderr=True)


def _run(args: argparse.Namespace) -> int:
    from evalkit.plan import build_plan
    from evalkit.runner import Runner
    from evalkit.store import RunStore
    from evalkit.summary import render_summary, summarize_run

    plan = build_plan(Path(args.config), limit=args.limit)
    run_dir = Path(args.out) if args.out else plan.default_output_dir()
    runner = Runner(plan, run_dir, console=errors, use_cache=False if args.no_cache else None)
    if args.dry_run:
        from evalkit.dry_run import estimate_run, render_dry_run

        runner.check_same_plan()
        pending = runner.pending()
        cache = runner.open_cache(plan.config.models)
        render_dry_run(estimate_run(plan, pending, cache), console)
        return 0
    manifest = runner.run()
    summary = summarize_run(RunStore(run_dir))
    render_summary(summary, console)
    console.print(f"results: {run_dir}/results.jsonl  summary: {run_dir}/summary.json")
    console.print(f"report: {_write_report(run_dir)}", soft_wrap=True)
    if manifest.status != "complete":
        errors.print(
            f"[yellow]{manifest.counts.errored} samples errored (see {run_dir}/errors.jsonl); "
            "run the same command again to retry them[/]"
        )
        return 1
    return 0


def _validate(args: argparse.Namespace) -> int:
    from evalkit.plan import build_plan

    plan = build_plan(Path(args.config))
    console.print(
        f"[green]ok[/] {args.config}: {len(plan.config.models)} model(s), "
        f"{sum(len(d.items) for d in plan.datasets)} item(s), "
        f"{len(plan.conditions)} condition(s), {len(plan.samples)} samples"
    )
    return 0


def _list(_: argparse.Namespace) -> int:
    from evalkit.conditions import ConditionTemplate, builtin_templates
    from evalkit.dataset import builtin_datasets
    from evalkit.providers import PROVIDERS
    from scorers import SCORERS

    datasets = Table(title="datasets", title_justify="left")
    datasets.add_column("name")
    datasets.add_column("items")
    datasets.add_column("path")
    for name, path in builtin_datasets().items():
        rows = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        datasets.add_row(name, str(rows), str(path))
    conditions = Table(title="conditions", title_justify="left")
    for column in ("template", "pressure", "turns", "description"):
        conditions.add_column(column)
    for reference, path in builtin_templates().items():
        template = ConditionTemplate(reference, path)
        conditions.add_row(
            reference,
            template.header.pressure or "-",
            str(template.turn_count),
            template.header.description,
        )
    providers = Table(title="providers", title_justify="left")
    providers.add_column("provider")
    providers.add_column("what")
    for provider in PROVIDERS.values():
        providers.add_row(provider.name, provider.description)
    scorers = Table(title="scorers (by family)", title_justify="left")
    scorers.add_column("family")
    scorers.add_column("what")
    for family, scorer in SCORERS.items():
        doc = (sys.modules[scorer.__module__].__doc__ or "").strip().splitlines()[0]
        scorers.add_row(family, doc)
    for table in (datasets, conditions, providers, scorers):
        console.print(table)
    return 0


def _score(args: argparse.Namespace) -> int:
    from evalkit.store import RunStore
    from evalkit.summary import render_summary, summarize_run

    run_dir = Path(args.run_dir)
    summary = summarize_run(RunStore(run_dir))
    render_summary(summary, console)
    console.print(f"summary: {run_dir}/summary.json")
    return 0


def _write_report(run_dir: Path, out: Path | None = None, compare: Path | None = None) -> Path:
    from evalkit.report import write_report

    return write_report(run_dir, out=out, compare=compare)


def _report(args: argparse.Namespace) -> int:
    compare = Path(args.compare) if args.compare else None
    path = _write_report(Path(args.run_dir), Path(args.out) if args.out else None, compare)
    console.print(f"report: {path}", soft_wrap=True)
    return 0


def _export(args: argparse.Namespace) -> int:
    from evalkit.export import export_records

    run_dir = Path(args.run_dir)
    out = Path(args.out) if args.out else run_dir / f"records.{args.format}"
    rows = export_records(run_dir, out, args.format)
    console.print(f"{rows} rows (one per sample turn): {out}", soft_wrap=True)
    return 0


def _gate(args: argparse.Namespace) -> int:
    from evalkit.gate_suite import GateSuite
    from evalkit.gate_table import render_gates

    suite = GateSuite(Path(args.config), out=Path(args.out) if args.out else None, console=errors)
    results = suite.evaluate_all()
    render_gates(results, console)
    return 0 if all(r.passed for r in results) else 1


def _compare(args: argparse.Namespace) -> int:
    from evalkit.compare import compare_runs, render_comparison
    from evalkit.store import write_atomic

    comparison = compare_runs(Path(args.run_a), Path(args.run_b))
    render_comparison(comparison, console)
    if args.json:
        write_atomic(Path(args.json), comparison.model_dump_json(indent=2))
        console.print(f"comparison: {args.json}", soft_wrap=True)
    return 0


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
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except EvalkitError as exc:
        # Literal text on one line: paths and ids may contain "[", output may be piped.
        errors.print(Text.assemble(("error: ", "bold red"), str(exc)), soft_wrap=True)
        return exc.exit_code
    except KeyboardInterrupt:
        errors.print("interrupted: finished samples are saved; run the same command to resume")
        return 130


if __name__ == "__main__":
    sys.exit(main())
