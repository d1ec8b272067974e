"""How close evalkit gets to the ideal throughput of a rate-limited API, and at what CPU cost.

Starts the loopback fake API (``evalkit.testing.fake_api``) in its own process
with a fixed latency, then runs N single-turn samples through the whole
harness (plan, runner, ``openai`` provider on the SDK's aiohttp transport,
response cache, results store, progress bar) at several concurrencies, each
in a fresh process so peak RSS and CPU belong to that run alone. Prints
samples/s, wall time, the ideal wall time (N x latency / concurrency),
ideal/actual, harness CPU per sample, and peak RSS. A second table runs the
bare SDK (no evalkit) for reference, and a third grows N to show memory stays
flat (results stream to disk).

    python benchmarks/api_throughput.py                 # N=2000 at C=32, 128, 256
    python benchmarks/api_throughput.py --n 500 --concurrency 64
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


HEADER = (
    f"{'what':<9} {'N':>6} {'C':>5} {'samples/s':>10} {'wall s':>8} {'ideal s':>8} "
    f"{'ideal/actual':>11} {'CPU ms/sample':>12} {'peak RSS MB':>9}"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[32, 128, 256])
    parser.add_argument("--memory-n", type=int, nargs="*", default=[500, 2000, 8000])
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        kind, *rest = args.child
        if kind == "harness":
            result = child_harness(Path(rest[0]), Path(rest[1]))
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

        def harness(n: int, concurrency: int) -> dict[str, float]:
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
            return run_child("harness", str(config), str(out), env=env)

        print(f"loopback fake API, {args.latency * 1000:.0f} ms latency; one process per row")
        print(HEADER)
        for concurrency in args.concurrency:
            print(row("evalkit", args.n, args.latency, concurrency, harness(args.n, concurrency)))
        for concurrency in args.concurrency:
            sdk = run_child("sdk", server.openai_base_url, str(args.n), str(concurrency), env=base)
            print(row("bare SDK", args.n, args.latency, concurrency, sdk))
        if args.memory_n:
            concurrency = max(args.concurrency)
            print(f"\nmemory as N grows (C={concurrency})")
            print(HEADER)
            for n in args.memory_n:
                print(row("evalkit", n, args.latency, concurrency, harness(n, concurrency)))


if __name__ == "__main__":
    main()
