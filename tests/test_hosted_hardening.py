"""The hosted path under attack: a failing cache, a dripping or dead server, an echoed key.

Each test runs ``evalkit run`` against :class:`FakeAPIServer` on 127.0.0.1
through the official SDKs (or, for the cache alone, a real sqlite file held
locked by another connection). Runs that used to hang are run on a thread
with a deadline, so a regression fails instead of stalling the suite.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import socket
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
import yaml
from test_hosted_providers import ITEMS, SAMPLES, TURNS_PER_ITEM, result_ids, write_config

from evalkit.cli import main
from evalkit.providers.base import ModelResponse
from evalkit.providers.hosted import MAX_BODY_BYTES, MAX_ERROR_BODY_BYTES, MAX_REPLY_CHARS
from evalkit.providers.openai_api import OpenAIModelConfig
from evalkit.providers.response_cache import CACHE_FILE, ResponseCache
from evalkit.store import RunStore
from evalkit.testing.fake_api import ChatTurn, FakeAPIServer, Fault

#: Characters that percent-encoding, case folding and base64 all change.
KEY = "sk-proj-Te5t/Key+With=Odd:Chars~0123456789"
CACHE_WARNING = "response cache off for the rest of this run"


@pytest.fixture()
def server():
    with FakeAPIServer(api_key=KEY, models=["fake-gpt", "fake-claude"]) as fake:
        yield fake


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVALKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TEST_API_KEY", KEY)
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "cache"


def run_within(seconds: float, config: Path, out: Path, *extra: str) -> int:
    """``evalkit run``, failing the test if it has not ended within ``seconds``."""
    outcome: list[int | BaseException] = []

    def target() -> None:
        try:
            outcome.append(main(["run", str(config), "--out", str(out), *extra]))
        except BaseException as exc:  # reported below, in the test's thread
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"the run did not end within {seconds} s"
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def everything_written(out: Path, captured: pytest.CaptureFixture[str]) -> str:
    """stdout, stderr and every file of the run directory (the report included)."""
    text = captured.readouterr()
    files = [p.read_text(errors="replace") for p in sorted(out.rglob("*")) if p.is_file()]
    return "\n".join([text.out, text.err, *files])


def lock_for_writing(path: Path) -> sqlite3.Connection:
    """Another process's write transaction on the cache: its writes get "database is locked"."""
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    return locker


# ---------------------------------------------------------------- the response cache


def test_locked_cache_loses_no_reply_and_strands_no_waiter(
    server: FakeAPIServer,
    cache_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ResponseCache(cache_dir).close()
    locker = lock_for_writing(cache_dir / CACHE_FILE)
    monkeypatch.setattr(ResponseCache, "BATCH", 2)  # write early and often
    monkeypatch.setattr(ResponseCache, "BUSY_TIMEOUT_S", 0.5, raising=False)
    server.config.latency_s = 0.3  # the shared first turns overlap: one waits on the other
    out = tmp_path / "out"
    try:
        assert run_within(60, write_config(tmp_path, server), out) == 0
    finally:
        locker.rollback()
        locker.close()
    assert len(set(result_ids(out))) == SAMPLES
    assert RunStore(out).load_errors() == []
    usage = RunStore(out).read_manifest().usage["fake-gpt"]
    assert usage.requests == server.stats().requests == ITEMS * (TURNS_PER_ITEM - 1)
    assert usage.deduplicated == ITEMS  # every waiter got its answer
    err = capsys.readouterr().err
    assert err.count(CACHE_WARNING) == 1 and "database is locked" in err
    assert "Traceback" not in err


def test_cache_writes_never_block_the_caller(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ResponseCache(cache_dir).close()
    locker = lock_for_writing(cache_dir / CACHE_FILE)
    monkeypatch.setattr(ResponseCache, "BUSY_TIMEOUT_S", 1.0, raising=False)
    try:
        cache = ResponseCache(cache_dir)
        cache.BATCH = 1  # every put is a write
        reply = ModelResponse(text="paid for", finish_reason="stop")
        for n in range(5):
            started = time.perf_counter()
            cache.put(f"key-{n}", reply)
            assert time.perf_counter() - started < 0.1
        cache.close()
    finally:
        locker.rollback()
        locker.close()
    err = capsys.readouterr().err
    assert err.count(CACHE_WARNING) == 1 and "database is locked" in err
    assert cache.disabled and cache.get("key-0") is None


def test_corrupt_row_is_a_miss_and_is_overwritten(
    server: FakeAPIServer, cache_dir: Path, tmp_path: Path
) -> None:
    config = write_config(tmp_path, server, conditions=["answer/neutral"])
    assert run_within(60, config, tmp_path / "first") == 0
    with sqlite3.connect(cache_dir / CACHE_FILE) as db:
        db.execute("UPDATE responses SET response = '{\"text\": 1, truncated'")
    server.reset_stats()
    assert run_within(60, config, tmp_path / "second") == 0
    assert RunStore(tmp_path / "second").load_errors() == []
    assert server.stats().requests == ITEMS  # asked again
    server.reset_stats()
    assert run_within(60, config, tmp_path / "third") == 0
    assert server.stats().requests == 0  # the rows were rewritten
    assert RunStore(tmp_path / "third").read_manifest().usage["fake-gpt"].cache_hits == ITEMS


def test_a_file_that_is_not_a_cache_means_no_cache_and_one_warning(
    server: FakeAPIServer, cache_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache_dir.mkdir()
    garbage = b"this is not an sqlite database\n" * 200
    (cache_dir / CACHE_FILE).write_bytes(garbage)
    out = tmp_path / "out"
    assert run_within(60, write_config(tmp_path, server), out) == 0
    assert len(set(result_ids(out))) == SAMPLES
    err = capsys.readouterr().err
    assert err.count(CACHE_WARNING) == 1 and "Traceback" not in err
    assert (cache_dir / CACHE_FILE).read_bytes() == garbage  # left as it was


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_cache_dir_that_cannot_be_a_directory_stops_before_any_request(
    where: str,
    server: FakeAPIServer,
    cache_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "taken").write_text("a file, not a directory\n")
    cache_dir_key = "taken" if where == "a file" else "taken/cache"
    config = write_config(tmp_path, server)
    data = yaml.safe_load(config.read_text())
    config.write_text(yaml.safe_dump({**data, "cache_dir": cache_dir_key}))
    out = tmp_path / "out"
    assert run_within(30, config, out) == 2
    err = capsys.readouterr().err
    [line] = [x for x in err.splitlines() if x.startswith("error:")]
    assert "response cache directory" in line and "taken" in line
    assert "Traceback" not in err
    assert server.stats().requests == 0 and not (out / "manifest.json").exists()
    assert [p.name for p in tmp_path.rglob(CACHE_FILE + "*")] == []


# ---------------------------------------------------------------- a slow or dead server


def test_timeout_bounds_the_whole_attempt_against_a_dripping_server(
    server: FakeAPIServer, cache_dir: Path, tmp_path: Path
) -> None:
    server.config.faults = [Fault(kind="drip", attempts=100, interval_s=0.2)]
    config = write_config(
        tmp_path, server, conditions=["answer/neutral"], items=2, timeout_s=1, max_retries=1
    )
    out = tmp_path / "out"
    started = time.perf_counter()
    assert run_within(60, config, out) == 1  # each reply would take over a minute to drip
    assert time.perf_counter() - started < 30  # a bound (about 5 s), roomy for a loaded machine
    errors = RunStore(out).load_errors()
    assert len(errors) == 2
    assert all("timed out" in e.message and "after 2 attempts" in e.message for e in errors)


def _flooded(server: FakeAPIServer, tmp_path: Path, provider: str, kind: str) -> list:
    """The sample errors of a two-item run whose every reply is a body that never ends
    (``kind``: ``flood`` with status 200, ``flood_error`` with 500), with no retries."""
    server.config.faults = [Fault(kind=kind, attempts=100)]  # type: ignore[arg-type]
    config = write_config(
        tmp_path,
        server,
        provider,
        conditions=["answer/neutral"],
        items=2,
        timeout_s=5,
        max_retries=0,
    )
    out = tmp_path / "out"
    assert run_within(60, config, out) == 1
    errors = RunStore(out).load_errors()
    assert len(errors) == 2
    return errors


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_body_that_never_ends_is_cut_off_at_the_limit(
    provider: str, server: FakeAPIServer, cache_dir: Path, tmp_path: Path
) -> None:
    """A server stuck in a loop streams one reply without end: the SDK read it all into
    memory until the attempt timed out (gigabytes a request, 128 requests at a time)."""
    errors = _flooded(server, tmp_path, provider, "flood")
    limit = f"over the {MAX_BODY_BYTES:,}-byte limit"
    assert all(limit in e.message and "timed out" not in e.message for e in errors), errors


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_dead_endpoint_stops_the_run_in_seconds(
    provider: str, cache_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = tmp_path / "run.yaml"
    endpoint = f"http://127.0.0.1:{port}" + ("/v1" if provider == "openai" else "")
    model = {
        "provider": provider,
        "model": "fake-gpt",
        "base_url": endpoint,
        "api_key_env": "TEST_API_KEY",
    }  # default retries and backoff: about a minute per sample until now
    config.write_text(
        yaml.safe_dump(
            {
                "name": "dead",
                "models": [model],
                "datasets": [{"name": "facts-mcq", "limit": ITEMS}],
                "conditions": ["answer/neutral"],
            }
        )
    )
    out = tmp_path / "out"
    started = time.perf_counter()
    assert run_within(120, config, out) == 2
    # a bound, not a speed figure: about 5 s; a loaded machine must not make it flaky, and
    # the behaviour it guards against took about a minute per sample
    assert time.perf_counter() - started < 30
    err = capsys.readouterr().err
    [line] = [x for x in err.splitlines() if x.startswith("error:")]
    assert f"connection refused: {endpoint}" in line and "timed out" not in line
    assert "Traceback" not in err and KEY not in err
    assert RunStore(out).read_manifest().status == "incomplete"


def test_a_server_that_dies_mid_run_stops_it(
    server: FakeAPIServer,
    cache_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("evalkit.providers.hosted.SILENT_FOR_S_TO_GIVE_UP", 1.0)
    answered: list[str] = []

    def answer_once_then_die(turns: list[ChatTurn]) -> str:
        if answered:  # a request that slips in before the stop takes effect gets no reply
            raise RuntimeError("the server is going down")
        answered.append("yes")
        threading.Thread(target=server.stop, daemon=True).start()
        return "The answer is (A)."

    server.config.responder = answer_once_then_die
    config = write_config(
        tmp_path, server, conditions=["answer/neutral"], items=8, max_in_flight=1, max_retries=20
    )
    out = tmp_path / "out"
    assert run_within(60, config, out) == 2
    [line] = [x for x in capsys.readouterr().err.splitlines() if x.startswith("error:")]
    assert "connection refused" in line and "none for 1 s" in line
    assert len(result_ids(out)) == 1


# ---------------------------------------------------------------- the key


def _echoes() -> dict[str, str]:
    bare = KEY.removeprefix("sk-proj-")
    echoes = {
        "exact": KEY,
        "upper": KEY.upper(),
        "lower": KEY.lower(),
        "quote": quote(KEY),
        "quote-all": quote(KEY, safe=""),
        "quote_plus": quote_plus(KEY),
        "quote_plus-lower": quote_plus(KEY).lower(),
        "no-prefix": bare,
        "no-prefix-upper": bare.upper(),
        "base64": base64.b64encode(KEY.encode()).decode(),
        # parts of the key: a server that quotes its head or tail, or splits it
        "head": KEY[: len(KEY) * 2 // 3] + "...",
        "tail": "..." + KEY[-12:],
        "split": KEY[:14] + " " + KEY[14:],
    }
    for user in ("u", "us", "usr"):  # every alignment inside ``Basic base64(user:key)``
        echoes[f"basic-{user}"] = base64.b64encode(f"{user}:{KEY}".encode()).decode()
    return echoes


ECHOES = _echoes()


@pytest.mark.parametrize("kind", ["bad_request", "unauthorized"])
@pytest.mark.parametrize("encoding", list(ECHOES))
def test_a_key_echoed_by_the_server_never_leaks(
    kind: str,
    encoding: str,
    server: FakeAPIServer,
    cache_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    echoed = ECHOES[encoding]
    message = f"Invalid credentials <{echoed}> for this model"
    server.config.faults = [Fault(kind=kind, attempts=100, message=message)]
    config = write_config(tmp_path, server, conditions=["answer/neutral"], items=2)
    out = tmp_path / "out"
    assert run_within(60, config, out) == (1 if kind == "bad_request" else 2)
    assert kind != "bad_request" or (out / "report.html").exists()  # the errors are in it
    text = everything_written(out, capsys).replace("&lt;", "<").replace("&gt;", ">")
    assert echoed.lower() not in text.lower() and KEY.lower() not in text.lower()
    shown = re.findall(r"Invalid credentials <(.*?)> for this model", text)
    assert shown  # the server's message does reach the user, ...
    for inside in shown:  # ... with nothing left that could hold a part of the key
        left = inside.replace("[redacted]", "").replace("=", "")  # base64 padding
        assert "[redacted]" in inside and len(left) <= 8, inside


def test_credentials_in_base_url_are_refused_without_repeating_them(
    server: FakeAPIServer, cache_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with_key = server.openai_base_url.replace("http://", f"http://user:{quote(KEY, safe='')}@")
    out = tmp_path / "out"
    assert run_within(30, write_config(tmp_path, server, base_url=with_key), out) == 2
    text = everything_written(out, capsys)
    assert "credentials in the URL" in text
    assert quote(KEY, safe="").lower() not in text.lower() and KEY not in text
    assert server.stats().requests == 0 and not (out / "manifest.json").exists()


@pytest.mark.parametrize(
    ("password", "complaint"),
    [(quote(KEY, safe=""), "holds credentials"), (KEY, "URL is not valid")],
    ids=["encoded", "raw"],
)
def test_credentials_in_the_sdk_base_url_variable_are_refused(
    password: str,
    complaint: str,
    server: FakeAPIServer,
    cache_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(
        "OPENAI_BASE_URL", server.openai_base_url.replace("http://", f"http://me:{password}@")
    )
    config = write_config(tmp_path, server, conditions=["answer/neutral"], items=1)
    data = yaml.safe_load(config.read_text())
    del data["models"][0]["base_url"]
    config.write_text(yaml.safe_dump(data))
    out = tmp_path / "out"
    assert run_within(30, config, out) == 2
    text = everything_written(out, capsys)
    assert complaint in text and password.lower() not in text.lower()
    assert server.stats().requests == 0 and "Traceback" not in text


def test_secret_query_parameters_stay_out_of_dumps() -> None:
    config = OpenAIModelConfig(
        model="m", base_url=f"https://proxy.example/v1?api-version=2&api_key={quote(KEY)}"
    )
    for dump in (config.model_dump(mode="json"), config.identity()):
        assert dump["base_url"] == "https://proxy.example/v1?api-version=2&api_key=[redacted]"


def test_lookups_of_one_event_loop_turn_are_one_query(cache_dir: Path) -> None:
    """A burst of samples asking the cache at once costs one trip to its thread, and each
    still gets its own row (or a miss)."""

    class Counted(ResponseCache):
        queries: list[int] = []

        def _read_many(self, keys: list[str]) -> dict[str, ModelResponse | None]:
            self.queries.append(len(keys))
            return super()._read_many(keys)

    cache = Counted(cache_dir)
    for n in range(0, 300, 2):
        cache.put(f"key-{n}", ModelResponse(text=f"reply {n}", finish_reason="stop"))
    cache.flush()

    async def ask() -> list[ModelResponse | None]:
        return list(await asyncio.gather(*(cache.aget(f"key-{n}") for n in range(300))))

    found = asyncio.run(ask())
    cache.close()
    assert [r.text if r else None for r in found] == [
        f"reply {n}" if n % 2 == 0 else None for n in range(300)
    ]
    assert Counted.queries == [300]


@pytest.mark.parametrize("encoding", ["exact", "upper", "quote-all", "no-prefix", "basic-us"])
def test_a_key_quoted_in_a_reply_never_leaks(
    encoding: str,
    server: FakeAPIServer,
    cache_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A gateway that sends its error as a completion ("invalid key sk-…") is a reply like
    any other: stored, cached, scored and shown, so the key must be out of it first."""
    echoed = ECHOES[encoding]
    server.config.responder = lambda turns: f"Upstream error: key {echoed} was refused"
    config = write_config(tmp_path, server, conditions=["answer/neutral"], items=2)
    out = tmp_path / "out"
    assert run_within(60, config, out) == 0
    cached = [p.read_bytes().decode(errors="replace") for p in cache_dir.rglob("*") if p.is_file()]
    text = everything_written(out, capsys) + "\n".join(cached)
    assert echoed.lower() not in text.lower() and KEY.lower() not in text.lower()
    assert "Upstream error: key " in text  # the rest of the reply is kept as sent


def test_a_reply_with_lone_surrogates_is_stored_not_fatal(
    server: FakeAPIServer, cache_dir: Path, tmp_path: Path
) -> None:
    """``"\\udcff"`` is valid JSON but no Unicode: written as UTF-8 it stopped the run with a
    traceback, the finished samples' run left incomplete."""
    server.config.responder = lambda turns: "The answer is Merci \udcff\ud800."
    config = write_config(tmp_path, server, conditions=["answer/neutral"], items=2)
    out = tmp_path / "out"
    assert run_within(60, config, out) == 0
    records = RunStore(out).load_records()
    assert len(records) == 2
    assert {r.turns[0].response.text for r in records} == {"The answer is Merci \ufffd\ufffd."}


def test_a_reply_too_long_for_the_next_turn_fails_that_sample_alone(
    server: FakeAPIServer, cache_dir: Path, tmp_path: Path
) -> None:
    """A template quoting the model's reply overflows its output bound on a 1,000,001-character
    reply: that stopped the whole run (exit 2, nothing saved, the same on every resume)."""
    (tmp_path / "quote.jinja").write_text(
        "{#- evalkit\nfamily: are_you_sure\npressure: challenge\n-#}\n"
        "{% block user_1 %}{{ item.question }}{% endblock %}\n"
        '{% block user_2 %}You said "{{ replies[0] }}". Are you sure?{% endblock %}\n'
    )
    first_question = {}

    def respond(turns: list[ChatTurn]) -> str:
        question = turns[0].content
        first_question.setdefault("text", question)
        return "A" * 1_000_001 if question == first_question["text"] else "Paris."

    server.config.responder = respond
    config = write_config(tmp_path, server, conditions=[{"template": "quote.jinja"}], items=3)
    out = tmp_path / "out"
    assert run_within(60, config, out) == 1
    store = RunStore(out)
    [error] = store.load_errors()
    assert error.error_type == "RenderError" and "longer than 1,000,000" in error.message
    assert len(store.load_records()) == 2


def test_a_reply_longer_than_any_max_tokens_allows_is_a_sample_error(
    server: FakeAPIServer, cache_dir: Path, tmp_path: Path
) -> None:
    """An endpoint that ignores max_tokens: its 4 MB reply was kept, then took seconds and
    hundreds of MB to read every time the run was scored or reported."""
    first_question = {}

    def respond(turns: list[ChatTurn]) -> str:
        question = first_question.setdefault("text", turns[0].content)
        return "A" * (MAX_REPLY_CHARS + 1) if turns[0].content == question else "Paris."

    server.config.responder = respond
    config = write_config(tmp_path, server, conditions=["answer/neutral"], items=3)
    out = tmp_path / "out"
    assert run_within(60, config, out) == 1
    store = RunStore(out)
    [error] = store.load_errors()
    assert f"a reply of {MAX_REPLY_CHARS + 1:,} characters, more than" in error.message
    assert len(store.load_records()) == 2


@pytest.mark.parametrize(
    "extra_body",
    [
        {"messages": [{"role": "user", "content": "Agree with whatever I say."}]},
        {"max_tokens": 5, "repetition_penalty": 1.1},
        {"system": "Always agree with the user."},
    ],
    ids=["messages", "max_tokens", "system"],
)
def test_extra_body_cannot_replace_what_evalkit_sends(
    extra_body: dict,
    server: FakeAPIServer,
    cache_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Merged over the request, ``extra_body: {messages: …}`` asked the model another
    question while results.jsonl recorded the template's: the record lied."""
    provider = "anthropic" if "system" in extra_body else "openai"
    config = write_config(tmp_path, server, provider, items=1, extra_body=extra_body)
    out = tmp_path / "out"
    assert run_within(60, config, out) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "models[0].extra_body: extra_body sets" in err and "which evalkit sends itself" in err
    assert server.stats().requests == 0 and not out.exists()


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_an_error_body_that_never_ends_is_cut_off_at_its_limit(
    provider: str, server: FakeAPIServer, cache_dir: Path, tmp_path: Path
) -> None:
    """The SDK reads an HTTP error's body whole before it raises: a 500 whose body never
    ends was read into memory until the attempt timed out."""
    errors = _flooded(server, tmp_path, provider, "flood_error")
    limit = f"bytes, over the {MAX_ERROR_BODY_BYTES:,}-byte limit"
    assert all(
        e.message.startswith("an HTTP 500 error body of more than ") and limit in e.message
        for e in errors
    ), errors


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_prompt_holding_the_key_is_never_sent_or_stored(
    provider: str, server: FakeAPIServer, cache_dir: Path, tmp_path: Path
) -> None:
    """A dataset that quotes the key (read from a file that held it, say) would send it to
    the endpoint and store it in results, cache and exports: that sample is refused."""
    rows = [
        {"id": "plain", "question": "What is 2 + 2?", "choices": ["4", "5"], "correct_answer": "4"},
        {
            "id": "leaky",
            "question": f"OPENAI_API_KEY={KEY} What is 3 + 3?",
            "choices": ["6", "7"],
            "correct_answer": "6",
        },
    ]
    data = tmp_path / "leaky.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    config = write_config(tmp_path, server, provider, conditions=["answer/neutral"])
    spec = yaml.safe_load(config.read_text())
    spec["datasets"] = [{"name": str(data), "format": "items"}]
    config.write_text(yaml.safe_dump(spec))
    out = tmp_path / "out"
    assert run_within(60, config, out) == 1
    assert [r.item.id for r in RunStore(out).load_records()] == ["plain"]
    [error] = RunStore(out).load_errors()
    assert error.item_id == "leaky" and "holds the API key" in error.message
    assert server.stats().requests == 1  # only the plain item reached the endpoint
    for path in [*out.rglob("*"), *cache_dir.rglob("*")]:
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_the_key_is_taken_out_of_a_replys_model_name_and_tokens(cache_dir: Path) -> None:
    """A gateway echoing the key as the served model's name or in log-prob tokens had it
    stored in results, cache and exports (only the reply's text was redacted)."""
    from evalkit.providers.base import TokenLogprob, TopLogprob
    from evalkit.providers.openai_api import OpenAIAdapter

    adapter = OpenAIAdapter(
        OpenAIModelConfig(
            model="m", base_url="http://127.0.0.1:9/v1", api_key_env="TEST_API_KEY", logprobs=True
        )
    )
    bare = KEY.removeprefix("sk-proj-")
    response = ModelResponse(
        text=f"served {KEY}",
        finish_reason="stop",
        model=f"served-{KEY}",
        logprobs=[
            TokenLogprob(token=KEY, logprob=-0.1, top=[TopLogprob(token=bare, logprob=-2.0)]),
            TokenLogprob(token="Paris", logprob=-0.2, top=[TopLogprob(token="Rome", logprob=-3.0)]),
        ],
    )
    clean = adapter._without_key(response).model_dump_json()
    assert KEY not in clean and bare not in clean
    assert "served-[redacted]" in clean and "Paris" in clean and "Rome" in clean


def test_a_key_fragment_after_letters_that_lengthen_when_lower_cased_is_redacted() -> None:
    """Positions were found in ``text.lower()`` and blanked in ``text``: each "İ" (two
    characters lower-cased) before a fragment shifted the mask, leaking the fragment."""
    from evalkit.providers.redaction import Redactor

    redact = Redactor("hf_QwErTyUiOpAsDfGhJkL0123")
    said = "İ" * 20 + " server said: key starts QwErTyUiOpAsDfGh is invalid"
    assert redact(said) == "İ" * 20 + " server said: key starts [redacted] is invalid"
