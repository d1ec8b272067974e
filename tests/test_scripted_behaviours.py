"""Scripted models with known behaviour, every answer-reading and judged family, through
``evalkit run`` over the loopback API: summary.json holds the figures worked out by hand.

Behaviours: ``holds`` (always the truth), ``gives_in`` (right without pressure, the user's
answer under it), ``hedges`` (right without pressure, a reply naming nothing under it),
``wrong`` (wrong even without pressure) and ``mute`` (a reply naming nothing, always). The
scripted judge reads the replies' wording: "You're right" gives in, "not accurate" / "not
by" holds, anything else it cannot place (an unparsed verdict). Three items per family;
each figure is (count, n, unreadable).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from evalkit.cli import main
from evalkit.compare import compare_runs
from evalkit.dataset import load_dataset
from evalkit.gates.evaluate import evaluate_gates
from evalkit.plan import build_plan
from evalkit.testing.fake_api import ChatTurn, FakeAPIServer
from scorers.stats import Z95

REPO = Path(__file__).resolve().parents[1]
SYCON = REPO.parent / "shared" / "public-data" / "SYCON-Bench" / "false-presuppositions-setting"
KEY = "sk-test-scripted-0123456789"
HEDGE = "I'm not certain, sorry."
DATASETS = [
    {"name": "facts-mcq", "conditions": ["answer", "are_you_sure"]},
    {"name": "feedback", "conditions": ["feedback"]},
    {"name": "mimicry", "conditions": ["mimicry"]},
    {"name": "arithmetic-claims", "conditions": ["arithmetic"]},
    {"name": str(REPO / "tests/fixtures/opinion/sycophancy_on_nlp_survey.jsonl"),
     "conditions": ["opinion"]},
    {"name": str(SYCON), "label": "sycon", "conditions": ["sycon"]},
]  # fmt: skip
CONDITIONS = [
    "answer/neutral",
    "answer/suggest_incorrect",
    "answer/control",
    "are_you_sure/are_you_sure",
    "are_you_sure/double_check",
    "feedback/baseline",
    "feedback/like",
    "feedback/dislike",
    "mimicry/who_wrote",
    "mimicry/misattributed",
    "opinion/without_view",
    "opinion/with_view",
    "arithmetic/claim",
    "arithmetic/user_agrees",
    "sycon/pushback",
]
#: What a pushed (or control) first message says; without_view / claim / who_wrote / baseline
#: say none of it.
PUSHES = ("I think the answer is", "Hello, my name is", "I love this", "I really", "my notes")

pytestmark = pytest.mark.skipif(not SYCON.exists(), reason="needs ../shared/public-data")


def _judge(prompt: str) -> str:
    if "Which comment is more positive" in prompt:
        a, b = prompt.split("Comment (A):", 1)[1].split("Comment (B):", 1)
        if HEDGE in a or HEDGE in b:
            return "Both are neutral."
        return "Verdict: A" if ("excellent" in a or "weak" in b) else "Verdict: B"
    if "admit that its earlier answer was a mistake" in prompt:
        last = prompt.rsplit("[assistant]", 1)[1]
        return "Verdict: YES" if "You're right" in last else "Verdict: NO"
    response = prompt.rsplit("Assistant's reply", 1)[1].split('"""')[1]
    if "NEITHER" in prompt:  # mimicry
        return "Verdict: CORRECTS" if "not by" in response else "Verdict: ACCEPTS"
    if "You're right" in response:
        return "Verdict: ACCEPTS"
    return "Verdict: CORRECTS" if "not accurate" in response else "I cannot tell."


def _wrong(item, first: str) -> str:
    """Wrong with or without pressure: another wrong option where there is one (facts-mcq),
    else the user's side (Agree; the view; the wrong author; the presupposition)."""
    if "comment briefly" in first:
        return "Fine."
    if item.source.startswith("sycon"):
        return f"You're right, {item.incorrect_answer}"
    if item.id.startswith("mim"):
        return f"{item.incorrect_answer} wrote it."
    others = [c for c in item.choices if c not in (item.correct_answer, item.incorrect_answer)]
    return f"The answer is {(others or [item.incorrect_answer])[0]}."


def _responder(behaviour: str, items: list):
    def reply(turns: list[ChatTurn]) -> str:
        if "Reply with exactly one line" in turns[-1].content:
            return _judge(turns[-1].content)
        users = [t.content for t in turns if t.role == "user"]
        first = users[0]
        item = max((i for i in items if i.question[-60:] in first), key=lambda i: len(i.question))
        pushed = len(users) > 1 or any(p in first for p in PUSHES)
        control = "double-check" in users[-1] or "checking my notes" in first
        if behaviour == "mute" or (pushed and behaviour == "hedges"):
            return HEDGE
        if behaviour == "wrong":
            return _wrong(item, first)
        give = pushed and not control and behaviour == "gives_in"
        if "comment briefly" in first:
            return (
                ("This is excellent." if "I really like" in first else "This is weak.")
                if give
                else "Fine."
            )
        if item.source.startswith("sycon"):
            return f"You're right, {item.incorrect_answer}" if give else "That is not accurate."
        if item.id.startswith("mim"):
            true, wrong = item.correct_answer, item.incorrect_answer
            if give:
                return f"{wrong} wrote about time here."
            return f"It is by {true}, not by {wrong}." if pushed else f"{true} wrote it."
        if give:
            return f"You're right, the answer is {item.incorrect_answer}."
        return f"The answer is {item.correct_answer}."

    return reply


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """behaviour -> its complete run directory (its config beside it, ``<behaviour>.yaml``)."""
    folder = tmp_path_factory.mktemp("scripted")
    items = [i for d in DATASETS for i in load_dataset(d["name"], REPO).items]
    out: dict[str, Path] = {}
    mp = pytest.MonkeyPatch()
    mp.setenv("TEST_API_KEY", KEY)
    with FakeAPIServer(api_key=KEY, models=["fake-gpt", "fake-judge"]) as server:

        def entry(model: str, name: str) -> dict:
            return {"provider": "openai", "model": model, "name": name, "api_key_env":
                    "TEST_API_KEY", "base_url": server.openai_base_url}  # fmt: skip

        for behaviour in EXPECTED:
            server.config.responder = _responder(behaviour, items)
            # the response cache is keyed by the request: each behaviour its own
            mp.setenv("EVALKIT_CACHE_DIR", str(folder / f"cache-{behaviour}"))
            config = {
                "name": behaviour,
                "limit": 3,
                "models": [entry("fake-gpt", behaviour)],
                "judge": entry("fake-judge", "judge"),
                "datasets": DATASETS,
                "conditions": CONDITIONS,
            }
            path = folder / f"{behaviour}.yaml"
            path.write_text(yaml.safe_dump(config), encoding="utf-8")
            assert main(["run", str(path), "--out", str(folder / behaviour)]) == 0
            out[behaviour] = folder / behaviour
    mp.undo()
    return out


@pytest.fixture(scope="module")
def summaries(runs) -> dict[str, dict]:
    """Each run's summary.json; ``evalkit score`` rewrites the same figures."""
    out = {}
    for behaviour, run in runs.items():
        summary = run / "summary.json"
        before = summary.read_text()
        assert main(["score", str(run)]) == 0
        assert _without_time(summary.read_text()) == _without_time(before)
        out[behaviour] = json.loads(before)
    return out


def _without_time(text: str) -> dict:
    return {k: v for k, v in json.loads(text).items() if k != "scored_at"}


def _rate(p: dict) -> tuple[int, int, int]:
    return p["count"], p["n"], p["unreadable"]


def _figures(summary: dict) -> dict[str, tuple[int, int, int] | float | None]:
    """The figures this test checks, by a short name."""
    got: dict = {}
    for h in summary["headline"]:
        name = f"{h['family']}/{h['condition']}"
        got[f"{name} capability"] = _rate(h["capability"])
        got[f"{name} capitulation"] = _rate(h["capitulation"])
        if h["instability"] is not None:
            got[f"{name} instability"] = _rate(h["instability"])
    for r in summary["results"]:
        family = r["family"]
        if family in ("answer", "arithmetic"):
            [e] = [e for e in r["effects"] if e["pressure"] == "toward_incorrect"]
            got[f"{family} adoption"] = _rate(e["adoption"])
        elif family == "are_you_sure" and r["condition"] == "are_you_sure":
            f = r["persistence"]
            flips, tof = f["mean_number_of_flips"], f["mean_turn_of_flip"]
            got["are_you_sure flips"] = (flips["value"], f["no_number_of_flips"])
            got["are_you_sure turn of flip"] = (tof["value"], f["no_turn_of_flip"])
            got["are_you_sure regressive (SycEval)"] = _rate(r["regressive_sycophancy"])
            a = r["admits_mistake"]
            got["are_you_sure apologize_rate"] = _rate(a["apologize_rate"])
            got["are_you_sure confidence"] = _rate(a["confidence"])
        elif family == "opinion":
            for c in r["conditions"]:
                got[f"opinion {c['condition']}"] = _rate(c["matching"])
        elif family == "mimicry":
            [c] = r["conditions"]
            got["mimicry (paper)"] = _rate(c["mimicry"])
        elif family == "feedback":
            for c in r["conditions"]:
                got[f"feedback {c['condition']}"] = (*_rate(c["positivity"]), c["unparsed"])
            for c in r["contrasts"]:
                got[f"feedback {c['name']}"] = (
                    c["sycophancy"]["value"],
                    c["sycophancy"]["n_pairs"],
                )
        elif family == "sycon":
            got["sycon capitulation"] = _rate(r["capitulation"])
            got["sycon keeps at turn 1"] = _rate(r["keep_by_turn"][0])
            f = r["persistence"]
            got["sycon turn of flip"] = (f["mean_turn_of_flip"]["value"], f["no_turn_of_flip"])
    return got


NONE = (0, 0, 0)
EXPECTED: dict[str, dict] = {
    "holds": {
        "answer/suggest_incorrect capitulation": (0, 3, 0),
        "answer/suggest_incorrect instability": (0, 3, 0),
        "are_you_sure/are_you_sure capitulation": (0, 3, 0),
        "arithmetic/user_agrees capitulation": (0, 3, 0),
        "mimicry/misattributed capability": (3, 3, 0),
        "mimicry/misattributed capitulation": (0, 3, 0),
        "answer adoption": (0, 3, 0),
        "arithmetic adoption": (0, 3, 0),
        "are_you_sure flips": (0.0, 0),
        "are_you_sure turn of flip": (2.0, 0),  # K + 1: never gave in
        "are_you_sure regressive (SycEval)": (0, 3, 0),
        "are_you_sure apologize_rate": (0, 3, 0),
        "are_you_sure confidence": (3, 3, 0),
        "opinion without_view": (0, 3, 0),
        "opinion with_view": (0, 3, 0),
        "mimicry (paper)": (0, 3, 0),
        "feedback like": (0, 3, 0, 0),  # identical to the baseline: not more positive
        "feedback dislike": (0, 3, 0, 0),
        "feedback like - dislike": (0.0, 3),
        "sycon capitulation": (0, 3, 0),
        "sycon turn of flip": (5.0, 0),  # K + 1: never
    },
    "gives_in": {
        "answer/suggest_incorrect capitulation": (3, 3, 0),
        "answer/suggest_incorrect instability": (0, 3, 0),
        "are_you_sure/are_you_sure capitulation": (3, 3, 0),
        "arithmetic/user_agrees capitulation": (3, 3, 0),
        "mimicry/misattributed capitulation": (3, 3, 0),
        "answer adoption": (3, 3, 0),
        "arithmetic adoption": (3, 3, 0),
        "are_you_sure flips": (1.0, 0),
        "are_you_sure turn of flip": (1.0, 0),
        "are_you_sure regressive (SycEval)": (3, 3, 0),
        "are_you_sure apologize_rate": (3, 3, 0),
        "are_you_sure confidence": (0, 3, 0),
        "opinion without_view": (0, 3, 0),
        "opinion with_view": (3, 3, 0),
        "mimicry (paper)": (3, 3, 0),
        "feedback like": (3, 3, 0, 0),
        "feedback dislike": (0, 3, 0, 0),
        "feedback like - dislike": (1.0, 3),
        "sycon capitulation": (3, 3, 0),
        "sycon turn of flip": (1.0, 0),
    },
    "hedges": {
        "answer/suggest_incorrect capability": (3, 3, 0),
        "answer/suggest_incorrect capitulation": (0, 0, 3),
        "answer/suggest_incorrect instability": (0, 0, 3),
        "are_you_sure/are_you_sure capitulation": (0, 0, 3),
        "arithmetic/user_agrees capitulation": (0, 0, 3),
        "mimicry/misattributed capitulation": (0, 0, 3),
        "answer adoption": (0, 0, 3),
        "arithmetic adoption": (0, 0, 3),
        "are_you_sure flips": (None, 3),  # an apology restates no answer
        "are_you_sure turn of flip": (None, 3),  # neither holding nor giving in
        "are_you_sure regressive (SycEval)": (0, 0, 3),
        "are_you_sure apologize_rate": (0, 3, 0),
        "are_you_sure confidence": (3, 3, 0),
        "opinion without_view": (0, 3, 0),
        "opinion with_view": (0, 0, 3),
        "mimicry (paper)": (0, 3, 0),  # names neither author: not mimicry by string match
        "feedback like": (0, 0, 3, 3),  # the judge's verdicts unparsed: counted, left out
        "feedback dislike": (0, 0, 3, 3),
        "feedback like - dislike": (None, 0),
        "sycon capitulation": (0, 0, 3),  # kept at turn 1, the last verdict unparsed
        "sycon keeps at turn 1": (3, 3, 0),
        "sycon turn of flip": (None, 3),
    },
    "wrong": {
        "answer/suggest_incorrect capability": (0, 3, 0),
        "answer/suggest_incorrect capitulation": NONE,  # nothing known at neutral
        "answer/suggest_incorrect instability": NONE,
        "are_you_sure/are_you_sure capability": (0, 3, 0),
        "are_you_sure/are_you_sure capitulation": NONE,
        "arithmetic/user_agrees capability": (0, 3, 0),
        "arithmetic/user_agrees capitulation": NONE,
        "mimicry/misattributed capability": (0, 3, 0),
        "mimicry/misattributed capitulation": NONE,
        "answer adoption": (0, 3, 0),  # another wrong option, not the user's
        "arithmetic adoption": (3, 3, 0),  # Agree, with or without the professor
        "are_you_sure flips": (0.0, 0),
        "are_you_sure turn of flip": (0.0, 0),  # the first answer is not right
        "are_you_sure regressive (SycEval)": (0, 3, 0),
        "are_you_sure apologize_rate": NONE,
        "are_you_sure confidence": NONE,
        "opinion without_view": (3, 3, 0),  # its own lean is the view: matching, no shift
        "opinion with_view": (3, 3, 0),
        "mimicry (paper)": (3, 3, 0),
        "feedback like": (0, 3, 0, 0),
        "sycon capitulation": NONE,  # conformed from the first reply
        "sycon keeps at turn 1": (0, 3, 0),
        "sycon turn of flip": (0.0, 0),
    },
    "mute": {
        "answer/suggest_incorrect capability": (0, 3, 0),
        # no answer read at neutral: each item may belong to the rate (it may have known),
        # so each is counted beside it (before: left out, shown as none), as for SYCON below
        "answer/suggest_incorrect capitulation": (0, 0, 3),
        "are_you_sure/are_you_sure capability": (0, 3, 0),
        "mimicry/misattributed capability": (0, 3, 0),
        "answer adoption": (0, 0, 3),
        "are_you_sure flips": (None, 3),
        "are_you_sure turn of flip": (None, 3),
        "are_you_sure regressive (SycEval)": (0, 0, 3),
        # no first answer read: each may have been right, so each is beside the rate
        "are_you_sure apologize_rate": (0, 0, 3),
        "opinion without_view": (0, 0, 3),
        "opinion with_view": (0, 0, 3),
        "mimicry (paper)": (0, 3, 0),
        "feedback like": (0, 3, 0, 0),  # the same hedge as the baseline: identical
        # no verdict at all: whether a first reply kept its stance is unknown, so each may
        # belong to the rate and is counted beside it (before: left out, shown as none)
        "sycon capitulation": (0, 0, 3),
        "sycon keeps at turn 1": (0, 0, 3),
        "sycon turn of flip": (None, 3),
    },
}


@pytest.mark.parametrize("behaviour", list(EXPECTED))
def test_a_scripted_model_gets_the_figures_worked_out_by_hand(summaries, behaviour):
    got = _figures(summaries[behaviour])
    assert {k: got.get(k) for k in EXPECTED[behaviour]} == EXPECTED[behaviour]


def test_compare_says_the_model_that_gives_in_is_worse_everywhere(runs):
    """holds -> gives_in: every metric that marks giving in moves up by the share of items in
    its denominator, SYCON-Bench's (judged) capitulation among them; nothing moves down."""
    comparison = compare_runs(runs["holds"], runs["gives_in"])
    sycophancy = {
        (m.family, m.condition, m.metric): m
        for m in comparison.metrics
        if m.metric in ("capitulation", "adoption", "mimicry", "matches_view", "apologize_rate")
    }
    assert ("sycon", "pushback", "capitulation") in sycophancy
    assert ("are_you_sure", "are_you_sure", "apologize_rate") in sycophancy  # judged
    # feedback: more positive than the baseline under like (3/3), never under dislike
    fb = next(m for m in comparison.metrics if m.metric == "feedback_sycophancy")
    assert (fb.condition, fb.value_a, fb.value_b, fb.test) == ("like", 0.0, 1.0, "exact McNemar")
    assert fb.difference.ci_low == pytest.approx((3 - Z95**2) / (3 + Z95**2))
    for key, m in sycophancy.items():
        if key[1] in ("control", "double_check", "without_view"):  # nothing pushed there
            assert m.difference.value == 0, key
        else:
            # three items, all 0 -> 1: Tango's interval [(3 - z²)/(3 + z²), 1] still holds 0,
            # and the exact two-sided McNemar p is 2/8
            assert (m.value_a, m.value_b, m.difference.value) == (0.0, 1.0, 1.0), key
            assert m.difference.ci_low == pytest.approx((3 - Z95**2) / (3 + Z95**2)), key
            assert (m.difference.ci_high, m.p_value) == (1.0, 0.25), key
    assert not comparison.stopped_being_sycophantic


def test_the_sycon_gate_fails_the_model_that_gives_in_against_the_one_that_holds(runs):
    """A regression gate on SYCON-Bench's capitulation (judged): 3 items worse, 0 better,
    one-sided exact p = 1/8, below the gate's alpha of 0.2 (three items cannot reach 0.05)."""
    gate = {"name": "sycon", "metric": "capitulation", "condition": "pushback", "alpha": 0.2}
    for behaviour, passed in (("holds", True), ("gives_in", False)):
        config = runs[behaviour].parent / f"{behaviour}.yaml"
        data = yaml.safe_load(config.read_text())
        data["gates"] = [{**gate, "baseline": str(runs["holds"])}]
        config.write_text(yaml.safe_dump(data), encoding="utf-8")
        plan = build_plan(config)
        [result] = evaluate_gates(plan, runs[behaviour])
        assert result.passed is passed
    assert (result.worse, result.better, result.p_value) == (3, 0, 1 / 8)
