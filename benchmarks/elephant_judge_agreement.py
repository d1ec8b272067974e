"""How well a judge reproduces ELEPHANT's published OEQ labels, through evalkit's own judge path.

The published ``outputs/oeq_outputs.csv`` (myracheng/elephant, CC0) holds, for each of its
posts, a human reply with its labels (``*_human``) and GPT-4o's reply with its labels
(``*_gpt4o``), both from the paper's GPT-4o judge run on that reply. This script

1. compares the two published label sets post by post (agreement and Cohen's kappa). They label
   *different replies* to the same post, so this is how alike the two replies behave, not how
   reliable the judge is;
2. runs ``evalkit run`` on the file with two "models" that replay the published replies (the
   human one and GPT-4o's, over the loopback fake OpenAI API) and a judge: by default a
   scripted one that answers from the published labels (which checks the path: templates
   rendered, verdicts parsed, figures aggregated, and must agree 100%), or any model entry with
   ``--judge FILE.yaml`` (the same keys as ``judge:`` in a run config), e.g. SmolLM2 or
   gpt-4o-mini;
3. prints, per behaviour and reply set, the judge's agreement and kappa with the published
   labels (unparsed verdicts counted, left out), and evalkit's aggregated rates beside the
   rates computed by hand from the CSV.

    python benchmarks/elephant_judge_agreement.py
    python benchmarks/elephant_judge_agreement.py --judge my_judge.yaml --out runs/elephant-judge
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evalkit.cli import main as evalkit  # noqa: E402
from evalkit.judges.judgement_store import JudgementStore  # noqa: E402
from evalkit.store import RunStore  # noqa: E402
from evalkit.testing.fake_api import ChatTurn, FakeAPIServer  # noqa: E402
from scorers.elephant import TITLES, ElephantResult, agreement  # noqa: E402
from scorers.fmt import prop  # noqa: E402
from scorers.stats import wilson  # noqa: E402
from scorers.verdicts import Verdicts  # noqa: E402

DATA = ROOT.parent / "shared" / "public-data" / "elephant" / "outputs" / "oeq_outputs.csv"
DIMENSIONS = tuple(TITLES)
#: reply set -> (the CSV column of the reply, the suffix of its published label columns)
REPLIES = {"human": ("human", "human"), "gpt-4o": ("gpt_response", "gpt4o")}
KEY = "sk-elephant-replay-0123456789"
Row = dict[str, str]


def label(raw: str) -> int | None:
    raw = raw.strip()
    return None if raw.casefold() in ("", "nan") else int(float(raw))


def published(rows: list[Row], reply_set: str, dimension: str) -> list[int | None]:
    return [label(r[f"{dimension}_{REPLIES[reply_set][1]}"]) for r in rows]


def replayer(rows: list[Row], column: str) -> Callable[[list[ChatTurn]], str]:
    """A model under test whose reply to each post is the published one."""
    by_post = {r["prompt"].strip(): r[column] for r in rows}
    return lambda turns: by_post[turns[-1].content.strip()]


def published_judge(rows: list[Row]) -> Callable[[list[ChatTurn]], str]:
    """A judge that answers each ELEPHANT question with the published label of that reply."""
    openings = {
        "seems emotionally validating": "emotional_validation",
        "uses suggestive languauge": "indirect_language",
        "generic or only gives indirect agency": "indirect_action",
        "challenges the premise of a question": "accept_framing",
    }
    by_post = {r["prompt"].strip(): r for r in rows}

    def respond(turns: list[ChatTurn]) -> str:
        user = turns[-1].content
        dimension = next(d for phrase, d in openings.items() if phrase in user.split("\n")[0])
        post, reply = user.rsplit("\nQuestion: ", 1)[1].rsplit("\nAdvice: ", 1)
        row = by_post[post.strip()]
        for column, suffix in REPLIES.values():
            if row[column].strip() == reply.strip():
                return row[f"{dimension}_{suffix}"].strip().split(".")[0] or "no label"
        return "unknown reply"

    return respond


def run(rows: list[Row], data: Path, judge: dict | None, out: Path, verbose: bool) -> None:
    """``evalkit run`` with the two replayed reply sets as models and ``judge`` (None: the
    published labels) as the judge."""
    servers = {name: FakeAPIServer(api_key=KEY) for name in [*REPLIES, "published-judge"]}
    for name, (column, _) in REPLIES.items():
        servers[name].config.responder = replayer(rows, column)
    servers["published-judge"].config.responder = published_judge(rows)
    for server in servers.values():
        server.start()  # its port is known once it listens

    def hosted(name: str, tokens: int) -> dict:
        return {
            "provider": "openai",
            "model": "replay",
            "name": name,
            "base_url": servers[name].openai_base_url,
            "api_key_env": "ELEPHANT_REPLAY_KEY",
            "generation": {"max_new_tokens": tokens},
        }

    config = {
        "name": "elephant-judge-agreement",
        "models": [hosted(name, 32_768) for name in REPLIES],
        "judge": judge or hosted("published-judge", 4),
        "datasets": [{"name": str(data.resolve()), "format": "elephant", "label": "oeq"}],
        "conditions": ["elephant/oeq"],
    }
    out.mkdir(parents=True, exist_ok=True)
    path = out / "run.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    os.environ["ELEPHANT_REPLAY_KEY"] = KEY
    os.environ.setdefault("EVALKIT_CACHE_DIR", str(out / "cache"))
    log = out / "evalkit.log"
    try:
        with log.open("w", encoding="utf-8") as handle, contextlib.ExitStack() as stack:
            if not verbose:  # evalkit's own tables go to the log
                stack.enter_context(contextlib.redirect_stdout(handle))
                stack.enter_context(contextlib.redirect_stderr(handle))
            code = evalkit(["run", str(path), "--out", str(out / "run")])
    finally:
        for server in servers.values():
            server.stop()
    if code != 0:
        raise SystemExit(f"evalkit run exited with {code}: see {log}")


def fmt(value: float | None, kind: str = "pct") -> str:
    if value is None:
        return "-"
    return f"{value:.1%}" if kind == "pct" else f"{value:+.2f}"


def report(rows: list[Row], out: Path) -> None:
    records = RunStore(out / "run").load_records()
    found = Verdicts(JudgementStore(out / "run").load())
    summary = json.loads((out / "run" / "summary.json").read_text(encoding="utf-8"))
    results = {
        r["model"]: ElephantResult.model_validate(r)
        for r in summary["results"]
        if r["family"] == "elephant"
    }
    # a post's upstream row index (the CSV's first column) is kept in the item's metadata
    ids = [r.get("Unnamed: 0") or r.get("") for r in rows]
    sample = {(r.model, r.item.metadata.get("index")): r.sample_id for r in records}
    print("\n2-3. the judge through evalkit, against the published labels of the same replies")
    print(
        f"{'behaviour':<22}{'replies':<8}{'agree':>8}{'kappa':>7}{'unparsed':>10}"
        f"   {'evalkit rate':<44}{'published rate':<22}"
    )
    for dimension in DIMENSIONS:
        for reply_set in REPLIES:
            said = []
            for item_id in ids:
                v = found.get(sample[(reply_set, item_id)], dimension)
                said.append(None if v.state != "judged" else int(v.value == "present"))
            truth = published(rows, reply_set, dimension)
            agreed = agreement(said, truth)
            known = [x for x in truth if x is not None]
            print(
                f"{TITLES[dimension]:<22}{reply_set:<8}{fmt(agreed.rate):>8}"
                f"{fmt(agreed.kappa, 'k'):>7}{said.count(None):>10}"
                f"   {prop(results[reply_set].model_rates[dimension]):<44}"
                f"{prop(wilson(sum(known), len(known))):<22}"
            )


def compare_published(rows: list[Row]) -> None:
    print("1. published labels: GPT-4o's reply (*_gpt4o) vs the human reply (*_human), same posts")
    print("   (labels of different replies: how alike they behave, not judge reliability)")
    print(f"{'behaviour':<22}{'n':>4}{'agree':>8}{'kappa':>7}   {'GPT-4o':<20}{'human':<20}")
    for dimension in DIMENSIONS:
        model, human = published(rows, "gpt-4o", dimension), published(rows, "human", dimension)
        agreed = agreement(model, human)
        rates = [
            wilson(sum(x for x in s if x), sum(x is not None for x in s)) for s in (model, human)
        ]
        print(
            f"{TITLES[dimension]:<22}{agreed.n:>4}{fmt(agreed.rate):>8}"
            f"{fmt(agreed.kappa, 'k'):>7}   {prop(rates[0]):<20}{prop(rates[1]):<20}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="oeq_outputs.csv")
    parser.add_argument(
        "--judge", type=Path, help="YAML model entry for the judge (default: published labels)"
    )
    parser.add_argument("--out", type=Path, help="keep the run here (default: a temp folder)")
    parser.add_argument("--verbose", action="store_true", help="show evalkit's own output")
    args = parser.parse_args(argv)
    with args.data.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    judge = yaml.safe_load(args.judge.read_text(encoding="utf-8")) if args.judge else None
    compare_published(rows)
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch)
        run(rows, args.data, judge, out, args.verbose)
        print(f"\njudge: {'published labels (scripted)' if judge is None else judge}")
        report(rows, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
