"""The openai and anthropic providers, over real sockets, through the official SDKs.

Every test runs ``evalkit run`` against :class:`FakeAPIServer` on 127.0.0.1,
which speaks both wire formats and injects the faults real endpoints produce.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from evalkit.cli import main
from evalkit.store import RunStore
from evalkit.testing.fake_api import ChatTurn, FakeAPIServer, Fault

KEY = "sk-test-DO-NOT-LEAK-0123456789abcdef"
ITEMS = 4
CONDITIONS = ["answer/neutral", "answer/suggest_incorrect", "are_you_sure/are_you_sure"]
SAMPLES = ITEMS * len(CONDITIONS)
#: Turn requests per item: 1 neutral + 1 suggest + 3 are-you-sure.
TURNS_PER_ITEM = 5


@pytest.fixture()
def server():
    with FakeAPIServer(api_key=KEY, models=["fake-gpt", "fake-claude"]) as fake:
        yield fake


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALKIT_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def write_config(
    tmp_path: Path,
    server: FakeAPIServer,
    provider: str = "openai",
    *,
    conditions: list[str] | None = None,
    items: int = ITEMS,
    **model_keys: object,
) -> Path:
    model = {
        "provider": provider,
        "model": "fake-gpt" if provider == "openai" else "fake-claude",
        "base_url": server.openai_base_url if provider == "openai" else server.anthropic_base_url,
        "api_key_env": "TEST_API_KEY",
        "backoff_s": 0.01,
        "max_backoff_s": 0.05,
        "timeout_s": 2,
        "generation": {"max_new_tokens": 32},
        **model_keys,
    }
    config = {
        "name": "hosted",
        "models": [model],
        "datasets": [{"name": "facts-mcq", "limit": items}],
        "conditions": conditions or CONDITIONS,
    }
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def run(config: Path, out: Path, *extra: str) -> int:
    return main(["run", str(config), "--out", str(out), *extra])


def assert_no_key(out: Path, captured: pytest.CaptureFixture[str]) -> None:
    text = captured.readouterr()
    assert KEY not in text.out + text.err
    for path in out.rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(errors="replace"), path


def result_ids(out: Path) -> list[str]:
    return [r.sample_id for r in RunStore(out).load_records()]


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_run_completes_every_sample_once(
    provider: str,
    server: FakeAPIServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TEST_API_KEY", KEY)
    out = tmp_path / "out"
    assert run(write_config(tmp_path, server, provider), out) == 0
    ids = result_ids(out)
    assert len(ids) == len(set(ids)) == SAMPLES
    manifest = RunStore(out).read_manifest()
    assert manifest is not None and manifest.status == "complete"
    usage = manifest.usage["fake-gpt" if provider == "openai" else "fake-claude"]
    # Are-you-sure's first turn is the neutral question: identical requests go out once.
    distinct = ITEMS * (TURNS_PER_ITEM - 1)
    assert usage.requests == server.stats().requests == distinct
    assert usage.cache_hits + usage.deduplicated == ITEMS
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    path = "/v1/chat/completions" if provider == "openai" else "/v1/messages"
    assert server.stats().by_path == {path: distinct}
    assert_no_key(out, capsys)


def test_turns_stay_in_order_and_see_earlier_replies(
    server: FakeAPIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_API_KEY", KEY)
    server.config.responder = lambda turns: f"reply to turn {sum(t.role == 'user' for t in turns)}"
    out = tmp_path / "out"
    assert run(write_config(tmp_path, server, conditions=["are_you_sure/are_you_sure"]), out) == 0
    for record in RunStore(out).load_records():
        assert [t.response.text for t in record.turns] == [
            "reply to turn 1",
            "reply to turn 2",
            "reply to turn 3",
        ]
    for body in server.stats().bodies("/v1/chat/completions"):
        users = [m for m in body["messages"] if m["role"] == "user"]
        replies = [m["content"] for m in body["messages"] if m["role"] == "assistant"]
        assert replies == [f"reply to turn {n}" for n in range(1, len(users))]


@pytest.mark.parametrize(
    ("provider", "fault"),
    [
        ("openai", Fault(kind="rate_limit", attempts=2, retry_after_s=0.05)),
        ("openai", Fault(kind="server_error", attempts=2)),
        ("openai", Fault(kind="timeout", attempts=1, delay_s=3)),
        ("anthropic", Fault(kind="overloaded", attempts=2)),
        ("anthropic", Fault(kind="rate_limit", attempts=1, retry_after_s=0.05)),
    ],
    ids=lambda v: getattr(v, "kind", v),
)
def test_transient_faults_are_retried_until_they_pass(
    provider: str, fault: Fault, server: FakeAPIServer, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("TEST_API_KEY", KEY)
    server.config.faults = [fault]
    out = tmp_path / "out"
    conditions = ["answer/neutral", "answer/suggest_incorrect"]
    assert run(write_config(tmp_path, server, provider, conditions=conditions), out) == 0
    assert len(result_ids(out)) == ITEMS * 2
    stats = server.stats()
    assert sorted(set(stats.attempts.values())) == [fault.attempts + 1]
    usage = RunStore(out).read_manifest().usage
    assert next(iter(usage.values())).retries == ITEMS * 2 * fault.attempts


def test_retries_are_bounded_and_errors_are_recorded_then_retried_on_rerun(
    server: FakeAPIServer, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("TEST_API_KEY", KEY)
    victim = _first_question()
    server.config.faults = [Fault(kind="rate_limit", attempts=100, match=victim)]
    config = write_config(tmp_path, server, conditions=["answer/neutral"], max_retries=2)
    out = tmp_path / "out"
    assert run(config, out) == 1  # incomplete
    store = RunStore(out)
    assert len(store.load_records()) == ITEMS - 1
    [error] = store.load_errors()
    assert "429" in error.message and "after 3 attempts" in error.message
    manifest = store.read_manifest()
    assert manifest.status == "incomplete" and manifest.counts.errored == 1
    assert max(server.stats().attempts.values()) == 3  # 1 try + 2 retries, no more

    server.config.faults = []
    server.reset_stats()
    assert run(config, out) == 0
    assert server.stats().requests == 1  # only the errored sample went out again
    assert len(set(result_ids(out))) == ITEMS
    assert store.load_errors() == []
    assert_no_key(out, capsys)


def test_malformed_response_is_an_error_with_the_raw_snippet(
    server: FakeAPIServer, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("TEST_API_KEY", KEY)
    server.config.faults = [Fault(kind="malformed", attempts=1, match=_first_question())]
    out = tmp_path / "out"
    assert run(write_config(tmp_path, server, conditions=["answer/neutral"]), out) == 1
    [error] = RunStore(out).load_errors()
    assert error.error_type == "MalformedResponse"
    assert "chatcmpl-malformed" in error.message  # the raw body, for the user to see


def test_in_flight_maximum_is_respected(server: FakeAPIServer, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TEST_API_KEY", KEY)
    server.config.latency_s = 0.1
    config = write_config(tmp_path, server, conditions=["answer/neutral"], items=24)
    assert run(config, tmp_path / "out", "--no-cache") == 0
    assert server.stats().max_in_flight == 24  # default allows 32: all at once
    config = write_config(
        tmp_path, server, conditions=["answer/neutral"], items=24, max_in_flight=5
    )
    server.reset_stats()
    assert run(config, tmp_path / "out2", "--no-cache") == 0
    assert server.stats().max_in_flight == 5


def test_requests_per_minute_paces_requests(
    server: FakeAPIServer, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("TEST_API_KEY", KEY)
    config = write_config(
        tmp_path, server, conditions=["answer/neutral"], items=12, requests_per_minute=300
    )
    started = time.perf_counter()
    assert run(config, tmp_path / "out") == 0
    # 5 a second, the first second's 5 at once: 12 requests need at least ~1.4 s.
    assert time.perf_counter() - started >= 1.2


def test_cache_prevents_a_second_request(
    server: FakeAPIServer, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("TEST_API_KEY", KEY)
    config = write_config(tmp_path, server)
    assert run(config, tmp_path / "first") == 0
    sent = server.stats().requests
    assert run(config, tmp_path / "second") == 0
    assert server.stats().requests == sent  # nothing new went out
    usage = RunStore(tmp_path / "second").read_manifest().usage["fake-gpt"]
    assert usage.requests == 0 and usage.cache_hits == ITEMS * TURNS_PER_ITEM
    records = RunStore(tmp_path / "second").load_records()
    assert all(t.response.cached for r in records for t in r.turns)
    first = {r.sample_id: r.messages for r in RunStore(tmp_path / "first").load_records()}
    assert all(first[r.sample_id] == r.messages for r in records)

    server.reset_stats()
    assert run(config, tmp_path / "third", "--no-cache") == 0
    assert server.stats().requests == ITEMS * TURNS_PER_ITEM


def test_sampled_requests_are_not_cached(
    server: FakeAPIServer, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("TEST_API_KEY", KEY)
    config = write_config(
        tmp_path,
        server,
        conditions=["answer/neutral"],
        generation={"max_new_tokens": 16, "temperature": 0.7},
    )
    assert run(config, tmp_path / "a") == 0
    assert run(config, tmp_path / "b") == 0
    assert server.stats().requests == 2 * ITEMS


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_wrong_key_fails_fast_with_the_providers_message(
    provider: str, server: FakeAPIServer, tmp_path: Path, monkeypatch, capsys
) -> None:
    wrong = "sk-wrong-key-also-secret-999999"
    monkeypatch.setenv("TEST_API_KEY", wrong)
    out = tmp_path / "out"
    started = time.perf_counter()
    assert run(write_config(tmp_path, server, provider, max_retries=5), out) == 2
    assert time.perf_counter() - started < 10
    err = capsys.readouterr().err
    assert "401" in err and "refused" in err
    assert wrong not in err
    assert max(server.stats().attempts.values()) == 1  # no retries
    manifest = RunStore(out).read_manifest()
    assert manifest.status == "incomplete"


def test_forbidden_fails_fast(server: FakeAPIServer, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("TEST_API_KEY", KEY)
    server.config.faults = [Fault(kind="forbidden", attempts=100)]
    assert run(write_config(tmp_path, server, "anthropic"), tmp_path / "out") == 2
    assert "403" in capsys.readouterr().err
    assert server.stats().requests <= 32  # the requests already in flight, no retries
    assert max(server.stats().attempts.values()) == 1


def test_unknown_model_fails_fast(server: FakeAPIServer, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("TEST_API_KEY", KEY)
    config = write_config(tmp_path, server, model="no-such-model")
    assert run(config, tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert "404" in err and "no-such-model" in err
    assert max(server.stats().attempts.values()) == 1


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_missing_key_is_named_before_any_request(
    provider: str, server: FakeAPIServer, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "out"
    assert run(write_config(tmp_path, server, provider), out) == 2
    err = capsys.readouterr().err
    assert "TEST_API_KEY" in err and "run.yaml" in err
    assert server.stats().requests == 0
    assert not (out / "manifest.json").exists()


def test_sdk_environment_variables_apply_without_base_url(
    server: FakeAPIServer, tmp_path: Path, monkeypatch, capsys
) -> None:
    """The shipped examples run unchanged against any compatible server."""
    examples = Path(__file__).resolve().parent.parent / "examples"
    monkeypatch.setenv("OPENAI_BASE_URL", server.openai_base_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", server.anthropic_base_url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    server.config.models = None  # accept the examples' model names
    for name in ("openai", "anthropic"):
        out = tmp_path / name
        assert main(["run", str(examples / f"{name}.yaml"), "--limit", "2", "--out", str(out)]) == 0
        assert len(result_ids(out)) == 2 * 5
        manifest = RunStore(out).read_manifest()
        assert next(iter(manifest.models.values()))["endpoint"].startswith("http://127.0.0.1:")
        assert_no_key(out, capsys)


def test_request_parameters_reach_the_endpoint(
    server: FakeAPIServer, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("TEST_API_KEY", KEY)
    config = write_config(
        tmp_path,
        server,
        conditions=["answer/neutral"],
        items=1,
        logprobs=True,
        top_logprobs=3,
        extra_body={"repetition_penalty": 1.1},
        generation={"max_new_tokens": 5, "seed": 7, "stop": ["\n\n"]},
    )
    assert run(config, tmp_path / "out") == 0
    [body] = server.stats().bodies("/v1/chat/completions")
    assert body["seed"] == 7 and body["stop"] == ["\n\n"] and body["max_tokens"] == 5
    assert body["repetition_penalty"] == 1.1 and body["top_logprobs"] == 3
    [record] = RunStore(tmp_path / "out").load_records()
    response = record.turns[0].response
    assert response.finish_reason == "length"  # the echo is longer than 5 words
    assert response.logprobs is not None and len(response.logprobs) == 5
    assert all(len(t.top) == 3 for t in response.logprobs)


def test_anthropic_system_prompt_goes_to_its_field(
    server: FakeAPIServer, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("TEST_API_KEY", KEY)
    template = tmp_path / "teacher.jinja"
    template.write_text(
        "{#- evalkit\nfamily: answer\npressure: none\n-#}\n"
        "{% block system %}You are a careful tutor.{% endblock %}\n"
        "{% block user_1 %}{{ item.question }}{% endblock %}\n"
    )
    server.config.responder = _reply_with_system
    config = write_config(tmp_path, server, "anthropic", conditions=[str(template)], items=1)
    assert run(config, tmp_path / "out") == 0
    [body] = server.stats().bodies("/v1/messages")
    assert body["system"] == "You are a careful tutor."
    assert [m["role"] for m in body["messages"]] == ["user"]
    [record] = RunStore(tmp_path / "out").load_records()
    assert record.turns[0].response.text == "system: You are a careful tutor."
    assert record.turns[0].response.finish_reason == "stop"


def test_dry_run_sends_nothing_and_counts_cached_first_turns(
    server: FakeAPIServer, tmp_path: Path, monkeypatch, capsys
) -> None:
    config = write_config(tmp_path, server, price={"input_per_mtok": 1, "output_per_mtok": 2})
    assert run(config, tmp_path / "out", "--dry-run") == 0  # no key needed
    text = capsys.readouterr().out
    assert f"{SAMPLES} of {SAMPLES} samples" in text and "nothing was sent" in text
    assert server.stats().requests == 0 and not (tmp_path / "out").exists()

    [before] = _estimate(config, tmp_path / "out").models
    assert before.requests == ITEMS * TURNS_PER_ITEM
    assert before.distinct_first_turns == ITEMS * 2  # neutral is shared with are-you-sure
    assert before.cached_first_turns == 0
    assert before.completion_tokens_max == ITEMS * TURNS_PER_ITEM * 32
    assert before.cost_usd_max == pytest.approx(
        (before.prompt_tokens * 1 + before.completion_tokens_max * 2) / 1e6
    )
    monkeypatch.setenv("TEST_API_KEY", KEY)
    assert run(config, tmp_path / "cached", "--limit", "2") == 0
    [after] = _estimate(config, tmp_path / "out").models
    assert after.cached_first_turns == 2 * 2


def _estimate(config: Path, out: Path):
    from evalkit.dry_run import estimate_run
    from evalkit.plan import build_plan
    from evalkit.runner import Runner

    plan = build_plan(config)
    runner = Runner(plan, out)
    return estimate_run(plan, runner.pending(), runner.open_cache(plan.config.models))


def _first_question() -> str:
    facts = Path(__file__).resolve().parent.parent / "datasets" / "facts-mcq.jsonl"
    rows = [json.loads(line) for line in facts.read_text().splitlines() if line.strip()]
    from evalkit.dataset import select_items
    from evalkit.items import Item

    chosen = select_items([Item(**r) for r in rows], limit=ITEMS, seed=0)
    return chosen[0].question


def _reply_with_system(turns: list[ChatTurn]) -> str:
    system = next((t.content for t in turns if t.role == "system"), "none")
    return f"system: {system}"


@pytest.mark.parametrize(
    ("name", "shown"),
    [("MY_EVAL_KEY", True), ("gsk_8fK2mQ9xLp4RtY7wZ3vN", False)],  # the second: a pasted key
)
def test_a_missing_key_is_named_unless_the_name_is_a_key(
    name: str, shown: bool, server: FakeAPIServer, tmp_path: Path, capsys
) -> None:
    config = write_config(tmp_path, server, api_key_env=name)
    out = tmp_path / "out"
    assert run(config, out) == 2 and not out.exists()
    err = capsys.readouterr().err
    assert "api_key_env" in err and "Traceback" not in err
    assert (name in err) == shown, err
    if not shown:
        assert "looks like a key itself" in err


def test_a_base_url_without_its_api_root_is_named_at_its_line(
    server: FakeAPIServer, tmp_path: Path, monkeypatch, capsys
):
    """`base_url: http://host:port` (no /v1) gave every request a 404, reported as a key
    problem and at no line of the config."""
    monkeypatch.setenv("TEST_API_KEY", KEY)
    config = write_config(tmp_path, server, base_url=server.openai_base_url.removesuffix("/v1"))
    assert run(config, tmp_path / "out") == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"{config}:" in err and "models[0].base_url:" in err and "404" in err
    assert "ends in /v1" in err and "valid API key" not in err


def test_a_setting_the_endpoint_refuses_stops_the_run(
    server: FakeAPIServer, tmp_path: Path, monkeypatch, capsys
):
    """`temperature: 5` passed validation; the endpoint refused every request (400), each
    sample errored, and the console advised running the same command again."""
    monkeypatch.setenv("TEST_API_KEY", KEY)
    config = write_config(
        tmp_path,
        server,
        conditions=["answer/neutral"],
        items=12,
        max_in_flight=2,
        generation={"max_new_tokens": 16, "temperature": 5},
    )
    assert run(config, tmp_path / "out") == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "models[0].generation:" in err and "refused the first 5 requests as invalid" in err
    assert "temperature" in err and "run the same command again" not in err
    assert server.stats().requests < 12


def test_a_new_attempt_removes_the_summary_and_report_it_will_replace(
    server: FakeAPIServer, tmp_path: Path, monkeypatch, capsys
):
    """A resumed run killed (or stopped) before its end left the earlier attempt's
    summary.json and report.html saying "complete" beside records that had changed."""
    monkeypatch.setenv("TEST_API_KEY", KEY)
    config = write_config(tmp_path, server, conditions=["answer/neutral"], items=4)
    out = tmp_path / "out"
    assert run(config, out) == 0
    assert (out / "summary.json").is_file() and (out / "report.html").is_file()
    results = out / "results.jsonl"
    lines = results.read_text(encoding="utf-8").splitlines(keepends=True)
    results.write_text("".join(lines[:2]), encoding="utf-8")  # as if killed part way
    server.config.faults = [Fault(kind="unauthorized", attempts=100)]  # this attempt stops
    assert run(config, out, "--no-cache") == 2
    assert not (out / "summary.json").exists() and not (out / "report.html").exists()


def test_samples_this_config_does_not_plan_are_refused_on_resume(
    server: FakeAPIServer, tmp_path: Path, monkeypatch, capsys
):
    """A model renamed since (its label is in every sample id) had every sample asked and
    paid again, and the old ones scored beside them in a "complete" run."""
    monkeypatch.setenv("TEST_API_KEY", KEY)
    out = tmp_path / "out"
    assert run(write_config(tmp_path, server, conditions=["answer/neutral"], items=4), out) == 0
    renamed = write_config(tmp_path, server, conditions=["answer/neutral"], items=4, name="v2")
    requests = server.stats().requests
    assert run(renamed, out) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "holds 4 samples this config does not plan" in err and "a model renamed" in err
    assert server.stats().requests == requests
