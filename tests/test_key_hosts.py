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
