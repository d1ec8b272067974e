"""The whole ``evalkit run`` against a rate-limited API: throughput, CPU and memory as N grows.

Starts the loopback fake API (``evalkit.testing.fake_api``) in its own process with a
fixed latency (200 ms), then, for each N, runs in a fresh process and side by side:

* ``evalkit run``: the whole command line as a user runs it (``python -m evalkit run``:
  imports, plan, run through the ``openai`` SDK on its aiohttp transport, response
  cache, results, progress bar, scoring, summary, console and HTML report), N
  single-turn samples at C requests in flight;
* ``SDK post``: the bare ``openai`` SDK sending the same requests the way evalkit
  does (``client.request`` with options built once, the reply read from its JSON as
  bytes), no harness;
* ``bare aiohttp``: a bare ``aiohttp`` client posting the same requests: the floor.

Each process is measured from outside (``os.wait4``): wall time, CPU (user + system)
per sample, peak RSS, so imports and everything after the last request count. Columns:
ideal = N x latency / C; ideal/wall (the target is >= 0.70 at C=128); post-run =
the share of the wall after the last result was written (scoring, summary, report);
RSS/2k = peak RSS over that of the smallest N (target <= 1.3 at 16k). The machine's
other load shows in wall and CPU: ``--repeat`` runs each row again and keeps the median.

    python benchmarks/api_throughput.py                    # N = 2k, 8k, 16k at C=128
    python benchmarks/api_throughput.py --n 2000 --repeat 3

What remains in the SDK (py-spy, openai 3.57 on aiohttp, the ``SDK post`` row): evalkit
skips the typed ``create``'s per-call argument transform, the ``ChatCompletion`` models it
builds from each reply and the request options ``client.post`` constructs per call
(``HostedAdapter.post``: options built once per path, copied with each body into
``client.request``), about a third of the SDK's CPU per request. What the SDK still spends
per request, and evalkit cannot avoid while requests go through it: its transport chain
(its httpx-compatible client over the vendored aiohttp transport: request, response,
header and URL objects, the body read into a buffer), ~45% of its time with the socket
work; building the request (``_build_request``: default and auth headers merged again,
the base URL joined with the path, the body serialised to JSON), ~30%; copying the
options twice, an idempotency key (``uuid4``), response checks, ~8%. That is the gap
between the ``SDK post`` and ``bare aiohttp`` rows, ~0.5 ms a request on this machine;
importing the SDK (all of ``openai.types``, and trio and attrs through its transports)
costs ~0.6 s of CPU once, which is most of the CPU per sample at N=2k.

What evalkit spends beyond the SDK (the same run in-process with the SDK's request replaced
by a canned reply, N=16,000; CPU on a shared machine whose figures vary by +-30%, so versions
are compared alternately, the least of several runs kept): importing evalkit ~0.6 s (where
PYTHONDONTWRITEBYTECODE is set its sources are compiled on every start, ~0.3 s of that);
planning (16,000 items read, each first turn rendered once) ~1-1.5 s; per sample outside the
SDK ~0.2 ms, ~3 s (its turn handed out, its record made, serialised and appended, a
usage-journal line appended, a response-cache key and row, pacing); reading the records back
and scoring them ~5.6 s, most of it the answer reader reading each reply once (~0.2 ms a
reply; here every option is a number, and making an item's option names with their
spelled-out forms, once per item, is a quarter of that), the rest parsing and sharing the
records (~0.6 s) and the metrics' second read of each reply, from the reader's memo (~10 us a
re-read); the HTML report and its transcripts sidecar (every record read back again, each
reply read a third time, from the memo) ~1.6 s.

Stop 33 (median of 3 runs at N=16,000, same machine, same run of the benchmark for both):
stop 32's code 0.47 of ideal, 2.59 ms CPU a sample, 47% of the wall after the last request:
its restated-sum rule compiled a pattern for every item's question (~1 ms each, and every
item here is new); with one pattern for all questions, 0.72 of ideal, 1.43 ms a sample, 19%
after the last request (the reader ~0.23 ms a reply here, was ~0.48).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

KEY = "sk-benchmark-key"
MODEL = "fake-model"


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
                        "model": MODEL,
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


def request_body(i: int) -> dict[str, object]:
    return {
        "model": MODEL,
        "messages": [{"role": "user", "content": f"What is {i} + 1?"}],
        "max_tokens": 16,
        "temperature": 0,
    }


async def pool(n: int, concurrency: int, one: Callable[[int], Awaitable[None]]) -> None:
    """``concurrency`` workers draining requests 0..n-1, as evalkit's runner does."""
    numbers = iter(range(n))

    async def worker() -> None:
        for i in numbers:
            await one(i)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


def child_sdk(base_url: str, n: int, concurrency: int) -> None:
    """The ``openai`` SDK on its aiohttp transport, called as evalkit calls it."""
    import openai
    from openai._models import FinalRequestOptions

    async def main() -> None:
        client = openai.AsyncOpenAI(
            api_key=KEY,
            base_url=base_url,
            max_retries=0,
            http_client=openai.DefaultAioHttpClient(),
        )

        options = FinalRequestOptions.construct(method="post", url="/chat/completions")

        async def one(i: int) -> None:
            sent = options.model_copy(update={"json_data": request_body(i)})
            json.loads(await client.request(bytes, sent))["choices"][0]["message"]["content"]

        await pool(n, concurrency, one)
        await client.close()

    asyncio.run(main())


def child_aiohttp(base_url: str, n: int, concurrency: int) -> None:
    """A bare ``aiohttp`` client posting the same requests: no SDK, no harness."""
    import aiohttp

    async def main() -> None:
        headers = {"Authorization": f"Bearer {KEY}"}
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

            async def one(i: int) -> None:
                url = f"{base_url}/chat/completions"
                async with session.post(url, json=request_body(i)) as reply:
                    reply.raise_for_status()
                    await reply.json()

            await pool(n, concurrency, one)

    asyncio.run(main())


def measure(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall, CPU (user + system) and peak RSS of one process, from outside it."""
    started = time.time()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(process.pid, 0)
    ended = time.time()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command[:4]} failed:\n{process.stderr.read()[-3000:]}")  # type: ignore[union-attr]
    process.stderr.close()  # type: ignore[union-attr]
    return {
        "wall_s": ended - started,
        "end": ended,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
    }


def median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


HEADER = (
    f"{'what':<13} {'N':>6} {'wall s':>7} {'ideal s':>7} {'ideal/wall':>10} {'post-run':>8} "
    f"{'CPU ms/sample':>13} {'peak RSS MB':>11} {'RSS/2k':>6}"
)


def row(label: str, n: int, ideal: float, result: dict[str, float], base_rss: float) -> str:
    post = result.get("post_s")
    share = f"{100 * post / result['wall_s']:.0f}%" if post is not None else "-"
    return (
        f"{label:<13} {n:>6} {result['wall_s']:>7.2f} {ideal:>7.2f} "
        f"{ideal / result['wall_s']:>10.2f} {share:>8} {1000 * result['cpu_s'] / n:>13.3f} "
        f"{result['rss_mb']:>11.1f} {result['rss_mb'] / base_rss:>6.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[2000, 8000, 16000])
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=128)
    parser.add_argument("--repeat", type=int, default=1, help="runs per row; the median is shown")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        kind, base_url, n, concurrency = args.child
        child = child_sdk if kind == "sdk" else child_aiohttp
        child(base_url, int(n), int(concurrency))
        return

    from evalkit.testing.fake_api import start_server_process

    with (
        tempfile.TemporaryDirectory() as tmp,
        start_server_process(latency_s=args.latency, record_bodies=False) as server,
    ):
        work = Path(tmp)
        env = {**os.environ, "BENCH_API_KEY": KEY}
        runs = iter(range(1_000_000))

        def evalkit_run(n: int) -> dict[str, float]:
            """A fresh run directory and cache each time: every request is a miss."""
            number = next(runs)
            dataset = work / f"items-{n}.jsonl"
            if not dataset.exists():
                write_dataset(dataset, n)
            config = work / f"run-{number}.yaml"
            write_config(config, dataset, server.openai_base_url, args.concurrency)
            out = work / f"out-{number}"
            command = [sys.executable, "-m", "evalkit", "run", str(config), "--out", str(out)]
            result = measure(command, {**env, "EVALKIT_CACHE_DIR": str(work / f"cache-{number}")})
            lines = sum(1 for _ in (out / "results.jsonl").open("rb"))
            assert lines == n, f"{lines} of {n} samples"
            # results.jsonl was last written with the last sample: what follows is post-run
            result["post_s"] = result["end"] - (out / "results.jsonl").stat().st_mtime
            return result

        def bare(kind: str, n: int) -> dict[str, float]:
            command = [sys.executable, __file__, "--child", kind, server.openai_base_url]
            return measure([*command, str(n), str(args.concurrency)], env)

        print(
            f"loopback fake API, {args.latency * 1000:.0f} ms latency, C={args.concurrency}; "
            f"one process per row, measured whole (median of {args.repeat})"
        )
        print(HEADER)
        base: dict[str, float] = {}
        for n in args.n:
            ideal = n * args.latency / args.concurrency
            for label, measured in (
                ("evalkit run", evalkit_run),
                ("SDK post", lambda size: bare("sdk", size)),
                ("bare aiohttp", lambda size: bare("aiohttp", size)),
            ):
                result = median([measured(n) for _ in range(args.repeat)])
                base.setdefault(label, result["rss_mb"])
                print(row(label, n, ideal, result, base[label]), flush=True)


if __name__ == "__main__":
    main()
