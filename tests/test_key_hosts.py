"""A run config cannot send the user's API key to a host of its own choosing
(``evalkit.providers.key_hosts``): the provider's endpoint, this machine, or a host the user
allows in the environment."""

from __future__ import annotations

import pytest
import yaml

from evalkit.cli import main
from evalkit.errors import EvalkitError
from evalkit.providers.key_hosts import check_key_destination

OPENAI = "https://api.openai.com/v1/"


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.0.0.1:8000/v1/",
        "http://127.5.0.1/v1/",
        "http://[::1]:8000/v1/",
        "http://localhost:11434/v1/",
        "https://api.openai.com/v1/",  # the provider's own endpoint, named in the config
    ],
)
def test_this_machine_and_the_providers_endpoint_need_no_consent(endpoint, monkeypatch):
    monkeypatch.delenv("EVALKIT_ALLOWED_HOSTS", raising=False)
    check_key_destination(endpoint, endpoint, lambda: OPENAI, "OPENAI_API_KEY")


def test_the_users_own_base_url_variable_needs_no_consent(monkeypatch):
    monkeypatch.delenv("EVALKIT_ALLOWED_HOSTS", raising=False)
    # no base_url in the config: the SDK's OPENAI_BASE_URL, which only the user sets
    check_key_destination(None, "https://gateway.corp/v1/", lambda: "https://gateway.corp/v1/", "K")


def test_another_host_the_config_chose_is_refused_until_the_user_allows_it(monkeypatch):
    monkeypatch.delenv("EVALKIT_ALLOWED_HOSTS", raising=False)
    url = "https://collector.example:8443/v1/"
    with pytest.raises(EvalkitError) as refused:
        check_key_destination(url, url, lambda: OPENAI, "GITHUB_TOKEN")
    assert refused.value.field == "base_url"
    assert "sends the key in GITHUB_TOKEN to collector.example" in str(refused.value)
    assert "EVALKIT_ALLOWED_HOSTS=collector.example" in str(refused.value)
    for allowed in ("collector.example", " other, COLLECTOR.example ", "collector.example:8443"):
        monkeypatch.setenv("EVALKIT_ALLOWED_HOSTS", allowed)
        check_key_destination(url, url, lambda: OPENAI, "GITHUB_TOKEN")
    monkeypatch.setenv("EVALKIT_ALLOWED_HOSTS", "collector.example:9999")
    with pytest.raises(EvalkitError):
        check_key_destination(url, url, lambda: OPENAI, "GITHUB_TOKEN")


def test_the_cli_refuses_before_any_request(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("EVALKIT_ALLOWED_HOSTS", raising=False)
    monkeypatch.setenv("EVALKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SECRET_TOKEN", "ghp-secret-value-0123456789")
    config = {
        "name": "exfiltrate",
        "models": [
            {
                "provider": "openai",
                "model": "m",
                "base_url": "http://203.0.113.7:9/v1",  # TEST-NET-3: nothing would answer
                "api_key_env": "SECRET_TOKEN",
            }
        ],
        "datasets": [{"name": "facts-mcq", "limit": 2}],
        "conditions": ["answer/neutral"],
    }
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "sends the key in SECRET_TOKEN to 203.0.113.7" in err
    assert "ghp-secret-value" not in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("endpoint", "says"),
    [
        ("http://api.openai.com/v1/", "by http, port 80"),  # the key in clear text
        ("https://api.openai.com:8443/v1/", "by https, port 8443"),  # another service
    ],
)
def test_the_providers_host_by_another_scheme_or_port_is_refused(endpoint, says, monkeypatch):
    monkeypatch.delenv("EVALKIT_ALLOWED_HOSTS", raising=False)
    with pytest.raises(EvalkitError) as caught:
        check_key_destination(endpoint, endpoint, lambda: OPENAI, "OPENAI_API_KEY")
    assert (
        says in caught.value.message and "not the provider's own endpoint" in caught.value.message
    )
    check_key_destination(  # the same URL with the default port written out is the same
        "https://api.openai.com:443/v1/", "https://api.openai.com:443/v1/", lambda: OPENAI, "K"
    )


@pytest.mark.parametrize("role", ["model", "judge"])
def test_validate_refuses_what_run_refuses(role, tmp_path, monkeypatch, capsys):
    """`evalkit validate` said "ok" for a config whose key went to a host it chose, and the
    run then refused it; a judge's endpoint was checked only after every model had run."""
    monkeypatch.delenv("EVALKIT_ALLOWED_HOSTS", raising=False)
    monkeypatch.delenv("TEST_API_KEY", raising=False)  # validate needs no key
    local = {"provider": "openai", "model": "m", "base_url": "http://127.0.0.1:9/v1"}
    remote = {**local, "base_url": "http://gpu-box:8000/v1", "api_key_env": "TEST_API_KEY"}
    config = {
        "name": "remote",
        "models": [remote if role == "model" else local],
        "datasets": ["facts-mcq"],
        "conditions": ["answer/neutral" if role == "model" else "feedback/baseline"],
    }
    if role == "judge":
        config["judge"] = remote
    path = tmp_path / "remote.yaml"
    path.write_text(yaml.safe_dump(config))
    assert main(["validate", str(path)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    field = "models[0].base_url" if role == "model" else "judge.base_url"
    assert f"{field}: this config sends the key in TEST_API_KEY to gpu-box" in err
    monkeypatch.setenv("EVALKIT_ALLOWED_HOSTS", "gpu-box")
    assert main(["validate", str(path)]) == 0
