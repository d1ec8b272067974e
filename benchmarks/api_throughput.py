"""How close evalkit gets to the ideal throughput of a rate-limited API, and at what CPU cost.

Starts the loopback fake API (``evalkit.testing.fake_api``) in its own process
with a fixed latency, then runs N single-turn samples through the whole
harness (plan, runner, ``openai`` provider on the SDK's aiohttp transport,
response cache, results store, progress bar) at several concurrencies, each
in a fresh process so peak RSS and CPU belong to that run alone. Prints
samples/s, wall time, the ideal wall time (N x latency / concurrency),
ideal/actual, harness CPU per sample, and peak RSS. A second table runs the
bare SDK (no evalkit) for reference, and a third grows N to show memory stays
flat (results stream to disk). A fourth runs the whole command line,
``python -m evalkit run`` (run, summary, console, HTML report), at N = 2k, 8k
and 16k next to a bare ``aiohttp`` client on the same mock: wall, the share
after the last request (scoring and the report), CPU per sample and peak RSS.

    python benchmarks/api_throughput.py                 # N=2000 at C=32, 128, 256
    python benchmarks/api_throughput.py --n 500 --concurrency 64
    python benchmarks/api_throughput.py --concurrency --memory-n --cli-n 2000 8000 16000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KEY = "sk-benchmark-key"


def write_dataset(path: Path, n: int) -> None:
    with path.open("w") as handle:
        for i in range(n):
            row = {
                "id": f"q{i}",
                "question": f"What is {i} + 1?",
                "choices": [str(i + 1), str(i + 2)],
                "correct_answer": str(i + 1),
                "incorrect_answer": str(i + 2),
            }
            handle.write(json.dumps(row) + "\n")


def write_config(path: Path, dataset: Path, base_url: str, concurrency: int) -> None:
    path.write_text(
        json.dumps(
            {
                "name": "api-throughput",
                "models": [
                    {
                        "provider": "openai",
                        "model": "fake-model",
                        "base_url": base_url,
                        "api_key_env": "BENCH_API_KEY",
                        "max_in_flight": concurrency,
                        "generation": {"max_new_tokens": 16},
                    }
                ],
                "datasets": [str(dataset)],
                "conditions": ["answer/neutral"],
            }
        )
    )


def child_harness(config: Path, out: Path) -> dict[str, float]:
    """One whole ``evalkit run`` in this process; CPU and RSS of this process only.

    Imports are done before the clock starts, as in :func:`child_sdk`: they are
    a one-off cost, not a per-sample one.
    """
    import openai  # noqa: F401 - imported here so both children exclude it
    from rich.console import Console

    from evalkit.plan import build_plan
    from evalkit.runner import Runner

    plan = build_plan(config)
    with open(os.devnull, "w") as sink:
        runner = Runner(plan, out, console=Console(file=sink, force_terminal=True))
        cpu0, wall0 = time.process_time(), time.perf_counter()
        manifest = runner.run()
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    assert manifest.status == "complete", manifest.counts
    return {
        "samples": manifest.counts.completed,
        "wall_s": wall,
        "cpu_s": cpu,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child_sdk(base_url: str, n: int, concurrency: int) -> dict[str, float]:
    """The bare ``openai`` SDK on its aiohttp transport: the floor any harness builds on."""
    import openai

    async def main() -> None:
        client = openai.AsyncOpenAI(
            api_key=KEY,
            base_url=base_url,
            max_retries=0,
            http_client=openai.DefaultAioHttpClient(),
        )
        slots = asyncio.Semaphore(concurrency)

        async def one(i: int) -> None:
            async with slots:
                await client.chat.completions.create(
                    model="fake-model",
                    messages=[{"role": "user", "content": f"What is {i} + 1?"}],
                    max_tokens=16,
                    temperature=0,
                )

        await asyncio.gather(*(one(i) for i in range(n)))
        await client.close()

    cpu0, wall0 = time.process_time(), time.perf_counter()
    asyncio.run(main())
    return {
        "samples": n,
        "wall_s": time.perf_counter() - wall0,
        "cpu_s": time.process_time() - cpu0,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child_cli(config: Path, out: Path) -> dict[str, float]:
    """``evalkit run CONFIG --out OUT`` as the user runs it, in this process.

    ``Runner.run`` is wrapped only to note when the last sample is saved, so
    the post-run part (scoring, console summary, report) can be told apart.
    """
    import contextlib
    import io

    import openai  # noqa: F401 - as in the other children: an import is not per-sample

    from evalkit import cli
    from evalkit.runner import Runner

    marks: dict[str, float] = {}
    run = Runner.run

    def timed(self: Runner) -> object:
        try:
            return run(self)
        finally:
            marks["run_done"] = time.perf_counter()

    Runner.run = timed  # type: ignore[method-assign]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main(["run", str(config), "--out", str(out)])
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    assert code == 0, code
    return {
        "samples": sum(1 for _ in (out / "results.jsonl").open("rb")),
        "wall_s": wall,
        "post_s": wall0 + wall - marks["run_done"],
        "cpu_s": cpu,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "report_mb": (out / "report.html").stat().st_size / 1e6,
    }


def child_aiohttp(base_url: str, n: int, concurrency: int) -> dict[str, float]:
    """A bare ``aiohttp`` client posting the same requests: no SDK, no harness."""
    import aiohttp

    async def main() -> None:
        slots = asyncio.Semaphore(concurrency)
        headers = {"Authorization": f"Bearer {KEY}"}
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

            async def one(i: int) -> None:
                body = {
                    "model": "fake-model",
                    "messages": [{"role": "user", "content": f"What is {i} + 1?"}],
                    "max_tokens": 16,
                    "temperature": 0,
                }
                url = f"{base_url}/chat/completions"
                async with slots, session.post(url, json=body) as reply:
                    reply.raise_for_status()
                    await reply.json()

            await asyncio.gather(*(one(i) for i in range(n)))

    cpu0, wall0 = time.process_time(), time.perf_counter()
    asyncio.run(main())
    return {
        "samples": n,
        "wall_s": time.perf_counter() - wall0,
        "cpu_s": time.process_time() - cpu0,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_child(*args: str, env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def row(label: str, n: int, latency: float, concurrency: int, result: dict[str, float]) -> str:
    ideal = n * latency / concurrency
    return (
        f"{label:<9} {n:>6} {concurrency:>5} {result['samples'] / result['wall_s']:>10.1f} "
        f"{result['wall_s']:>8.2f} {ideal:>8.2f} {ideal / result['wall_s']:>11.2f} "
        f"{1000 * result['cpu_s'] / n:>12.3f} {result['rss_mb']:>9.1f}"
    )


def cli_row(label: str, n: int, result: dict[str, float]) -> str:
    post = result.get("post_s")
    share = f"{100 * post / result['wall_s']:.0f}%" if post is not None else "-"
    report = f"{result['report_mb']:.1f}" if "report_mb" in result else "-"
    return (
        f"{label:<13} {n:>6} {result['wall_s']:>8.2f} {share:>10} "
        f"{1000 * result['cpu_s'] / n:>13.3f} {result['rss_mb']:>11.1f} {report:>9}"
    )


CLI_HEADER = (
    f"{'what':<13} {'N':>6} {'wall s':>8} {'post-run':>10} {'CPU ms/sample':>13} "
    f"{'peak RSS MB':>11} {'report MB':>9}"
)

HEADER = (
    f"{'what':<9} {'N':>6} {'C':>5} {'samples/s':>10} {'wall s':>8} {'ideal s':>8} "
    f"{'ideal/actual':>11} {'CPU ms/sample':>12} {'peak RSS MB':>9}"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, nargs="*", default=[32, 128, 256])
    parser.add_argument("--memory-n", type=int, nargs="*", default=[500, 2000, 8000])
    parser.add_argument("--cli-n", type=int, nargs="*", default=[2000, 8000, 16000])
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        kind, *rest = args.child
        if kind == "harness":
            result = child_harness(Path(rest[0]), Path(rest[1]))
        elif kind == "cli":
            result = child_cli(Path(rest[0]), Path(rest[1]))
        elif kind == "aiohttp":
            result = child_aiohttp(rest[0], int(rest[1]), int(rest[2]))
        else:
            result = child_sdk(rest[0], int(rest[1]), int(rest[2]))
        print(json.dumps(result))
        return

    from evalkit.testing.fake_api import start_server_process

    with (
        tempfile.TemporaryDirectory() as tmp,
        start_server_process(latency_s=args.latency, record_bodies=False) as server,
    ):
        work = Path(tmp)
        base = {**os.environ, "BENCH_API_KEY": KEY}
        runs = iter(range(1_000_000))

        def harness(n: int, concurrency: int, kind: str = "harness") -> dict[str, float]:
            """A fresh run directory and cache each time: every request is a miss."""
            number = next(runs)
            dataset = work / f"items-{n}.jsonl"
            if not dataset.exists():
                write_dataset(dataset, n)
            config = work / f"run-{number}.yaml"
            write_config(config, dataset, server.openai_base_url, concurrency)
            cache = work / f"cache-{number}"
            out = work / f"out-{number}"
            env = {**base, "EVALKIT_CACHE_DIR": str(cache)}
            return run_child(kind, str(config), str(out), env=env)

        print(f"loopback fake API, {args.latency * 1000:.0f} ms latency; one process per row")
        print(HEADER)
        for concurrency in args.concurrency:
            print(row("evalkit", args.n, args.latency, concurrency, harness(args.n, concurrency)))
        for concurrency in args.concurrency:
            sdk = run_child("sdk", server.openai_base_url, str(args.n), str(concurrency), env=base)
            print(row("bare SDK", args.n, args.latency, concurrency, sdk))
        concurrency = max(args.concurrency, default=256)
        if args.memory_n:
            print(f"\nmemory as N grows (C={concurrency})")
            print(HEADER)
            for n in args.memory_n:
                print(row("evalkit", n, args.latency, concurrency, harness(n, concurrency)))
        if args.cli_n:
            print(f"\nthe whole `evalkit run` (report included) as N grows (C={concurrency})")
            print(CLI_HEADER)
            for n in args.cli_n:
                cli = harness(n, concurrency, "cli")
                bare = run_child(
                    "aiohttp", server.openai_base_url, str(n), str(concurrency), env=base
                )
                print(cli_row("evalkit run", n, cli))
                print(cli_row("bare aiohttp", n, bare))


if __name__ == "__main__":
    main()
