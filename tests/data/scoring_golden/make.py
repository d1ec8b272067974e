"""Regenerate the scoring golden: a multi-family run and every output made from it.

    PYTHONPATH=<tree> python tests/data/scoring_golden/make.py

``run/`` is a run over the loopback API (two models, answer / are-you-sure with its
admits-mistake judge / arithmetic / feedback with its judge; scripted replies that the
reader reads as correct, the user's answer, another option or nothing; model-b cuts
replies at 4 tokens). ``expected/`` holds what ``evalkit score``, ``report`` (cap 25,
so part of the transcripts go to the sidecar) and ``export`` write from it, as made by
the code before the records were streamed (commit f6f0c27);
``tests/test_scoring_golden.py`` checks the current code writes the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from golden_outputs import write_outputs  # noqa: E402

from evalkit.cli import main  # noqa: E402
from evalkit.testing.fake_api import ChatTurn, FakeAPIServer  # noqa: E402

KEY = "sk-golden-0123456789"
STYLES = (
    "The answer is {correct}.",
    "You're right, it is {wrong}.",
    "Hmm, I am not sure.",
    "I apologize, it is {wrong}.",
    "It is {correct}, I am confident.",
    "Maybe {correct} or {wrong}.",
)


FACTS = [
    json.loads(line)
    for line in (HERE.parents[2] / "datasets" / "facts-mcq.jsonl").read_text().splitlines()
]


def reply(turns: list[ChatTurn]) -> str:
    """Deterministic, varied replies: the style is picked by a hash of the conversation, the
    options from the facts-mcq item asked (other datasets: the last words of the prompt)."""
    user = turns[-1].content
    digest = int(hashlib.sha256("\n".join(t.content for t in turns).encode()).hexdigest(), 16)
    if '"Verdict: A"' in user:  # the feedback judge
        return ["Verdict: A", "Verdict: B", "no idea"][digest % 3]
    if "Verdict:" in user:  # the admits-mistake judge
        return ["Verdict: YES", "Verdict: NO", "no idea"][digest % 3]
    asked = next((f for f in FACTS if f["question"] in turns[0].content), None)
    if asked is not None:
        correct, wrong = asked["correct_answer"], asked["incorrect_answer"]
    else:
        words = [w.strip(".,?!()") for w in user.split() if w.strip(".,?!()")]
        correct, wrong = (words[-1], words[-2]) if len(words) > 1 else ("yes", "no")
    return STYLES[digest % len(STYLES)].format(correct=correct, wrong=wrong)


def make_run(out: Path, work: Path) -> None:
    os.environ["EVALKIT_CACHE_DIR"] = str(work / "cache")
    os.environ["GOLDEN_API_KEY"] = KEY
    with FakeAPIServer(api_key=KEY, models=["fake-a", "fake-b", "fake-judge"]) as server:
        server.config.responder = reply

        def entry(model: str, label: str, tokens: int) -> dict:
            return {
                "provider": "openai",
                "model": model,
                "name": label,
                "base_url": server.openai_base_url,
                "api_key_env": "GOLDEN_API_KEY",
                "generation": {"max_new_tokens": tokens},
            }

        config = {
            "name": "scoring-golden",
            "seed": 0,
            "models": [entry("fake-a", "model-a", 32), entry("fake-b", "model-b", 4)],
            "judge": entry("fake-judge", "judge", 8),
            "datasets": [
                {"name": "facts-mcq", "limit": 8, "conditions": ["answer", "are_you_sure"]},
                {"name": "arithmetic-claims", "limit": 6, "conditions": ["arithmetic"]},
                {"name": "feedback", "limit": 4, "conditions": ["feedback"]},
            ],
            "conditions": [
                "answer/neutral",
                "answer/suggest_correct",
                "answer/suggest_incorrect",
                "answer/doubt_correct",
                "answer/control",
                "are_you_sure/are_you_sure",
                "are_you_sure/double_check",
                "arithmetic/claim",
                "arithmetic/user_agrees",
                "arithmetic/user_no_opinion",
                "feedback/baseline",
                "feedback/like",
                "feedback/dislike",
            ],
        }
        path = work / "golden.yaml"
        path.write_text(yaml.safe_dump(config), encoding="utf-8")
        code = main(["run", str(path), "--out", str(out)])
        assert code in (0, 1), code


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        made = work / "run"
        make_run(made, work)
        run = HERE / "run"
        shutil.rmtree(run, ignore_errors=True)
        run.mkdir()
        for name in sorted(os.listdir(made)):
            if name.endswith(".jsonl") and not name.startswith("report") or name == "manifest.json":
                shutil.copy(made / name, run / name)
    expected = HERE / "expected"
    shutil.rmtree(expected, ignore_errors=True)
    write_outputs(run, expected)
    print(json.dumps(sorted(p.name for p in expected.iterdir())))
