"""What internal readouts add to the quickstart: the whole CLI, with and without them.

    python benchmarks/readouts_overhead.py [--limit 24] [--repeat 2] [--threads 1]

Runs ``evalkit run`` on the quickstart's model and conditions (``--limit`` items per
dataset, the same seeded subset each time) twice per round, readouts off and on
(``readouts: [option_loglik, probe]``, default layers), alternating so a busy
machine slows both alike, each in a fresh process and a fresh run directory
(the converted-weights cache is warmed first, so model loading is the same
cheap load for both). Prints wall and CPU seconds of each (best of ``--repeat``),
their ratio (the issue's target: at most 1.30), the bytes stored per answered
turn, and the time ``evalkit score`` takes to retrain the probe from the stored
arrays. A benchmark, not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
QUICKSTART = REPO / "examples" / "quickstart.yaml"


def config(folder: Path, readouts: bool, threads: int | None) -> Path:
    spec = yaml.safe_load(QUICKSTART.read_text())
    if threads is not None:
        spec["models"][0]["threads"] = threads
    if readouts:
        spec["models"][0]["readouts"] = ["option_loglik", "probe"]
    spec["name"] = "readouts-on" if readouts else "readouts-off"
    path = folder / f"{spec['name']}.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, children) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=24, help="items (x 7 conditions)")
    parser.add_argument("--repeat", type=int, default=2, help="rounds; best of each is shown")
    parser.add_argument(
        "--threads",
        type=int,
        help="torch threads (1: CPU seconds that other processes on a busy machine hardly move)",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="evalkit-readouts-bench-"))
    configs = {False: config(folder, False, args.threads), True: config(folder, True, args.threads)}
    evalkit = [sys.executable, "-m", "evalkit"]
    # warm the converted-weights cache (a first load converts the GGUF)
    timed([*evalkit, "run", str(configs[False]), "--limit", "1", "--out", str(folder / "warm")])
    best: dict[bool, tuple[float, float]] = {}
    for round_ in range(args.repeat):
        for readouts in (False, True):
            out = folder / f"{'on' if readouts else 'off'}-{round_}"
            wall, cpu = timed(
                [*evalkit, "run", str(configs[readouts]), "--limit", str(args.limit),
                 "--out", str(out)]
            )  # fmt: skip
            previous = best.get(readouts)
            best[readouts] = (
                (min(previous[0], wall), min(previous[1], cpu)) if previous else (wall, cpu)
            )
    run = folder / "on-0"
    records = [json.loads(line) for line in (run / "results.jsonl").read_text().splitlines()]
    turns = sum(len(r["turns"]) for r in records)
    stored = sum(f.stat().st_size for f in (run / "readouts").iterdir())
    score_wall, score_cpu = timed([*evalkit, "score", str(run)])
    (off_wall, off_cpu), (on_wall, on_cpu) = best[False], best[True]
    print(f"quickstart conditions, {len(records)} samples, {turns} answered turns")
    print(f"{'':22}{'wall s':>10}{'CPU s':>10}")
    print(f"{'readouts off':22}{off_wall:10.1f}{off_cpu:10.1f}")
    print(f"{'readouts on':22}{on_wall:10.1f}{on_cpu:10.1f}")
    ratio = f"{on_wall / off_wall:10.2f}{on_cpu / off_cpu:10.2f}"
    print(f"{'ratio on / off':22}{ratio}  (target <= 1.30)")
    print(f"stored per answered turn: {stored / turns / 1024:.1f} KiB ({stored / 2**20:.1f} MiB)")
    print(f"evalkit score (probe retrained from the arrays): {score_wall:.1f} s wall, "
          f"{score_cpu:.1f} s CPU")  # fmt: skip


if __name__ == "__main__":
    main()
