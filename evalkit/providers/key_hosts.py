"""Where a run config may send an API key.

A config shared by someone else names ``base_url`` and ``api_key_env``; without a check,
``base_url: https://their-host/v1`` would receive the key of whoever runs it. A key goes
only to the provider's own endpoint (or the one the user set in the SDK's ``*_BASE_URL``
variable), to this machine, or to a host the user lists in ``EVALKIT_ALLOWED_HOSTS``
(comma-separated, ``host`` or ``host:port``) — the environment, which a config cannot set.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from urllib.parse import ParseResult, urlparse

from evalkit.errors import EvalkitError

ALLOWED_HOSTS_ENV = "EVALKIT_ALLOWED_HOSTS"


def check_key_destination(
    config_base_url: str | None,
    endpoint: str,
    default_endpoint: Callable[[], str],
    key_env: str,
) -> None:
    """Refuse a config-chosen endpoint on another machine the user has not allowed.
    ``default_endpoint`` (the provider's, or the user's ``*_BASE_URL``) is asked for only
    when the config chose another machine."""
    if config_base_url is None:  # the SDK's default, or the user's own *_BASE_URL variable
        return
    url = urlparse(endpoint)
    host = (url.hostname or "").lower()
    default = urlparse(default_endpoint()) if host and not _local(host) else None
    if default is None or _same_origin(url, default):
        return
    allowed = {h.strip().lower() for h in os.environ.get(ALLOWED_HOSTS_ENV, "").split(",")}
    if host in allowed or (url.port is not None and f"{host}:{url.port}" in allowed):
        return
    if host == (default.hostname or "").lower():
        raise EvalkitError(
            f"this config sends the key in {key_env} to {host} by {url.scheme}, port "
            f"{_port(url)}, not the provider's own endpoint ({default.scheme}, port "
            f"{_port(default)})",
            field="base_url",
            expected=f"the provider's URL as it is ({default.scheme}://{default.hostname}/...)",
        )
    raise EvalkitError(
        f"this config sends the key in {key_env} to {host}, a host it chose",
        field="base_url",
        expected=f"{ALLOWED_HOSTS_ENV}={host} in the environment if you trust that host "
        "(a config from someone else must not decide where your keys go)",
    )


def _same_origin(url: ParseResult, default: ParseResult) -> bool:
    """The provider's own endpoint: its host, scheme and port (``http://api.openai.com``
    or another port of that host would carry the key in clear, or to another service)."""
    return (
        (url.hostname or "").lower() == (default.hostname or "").lower()
        and url.scheme.lower() == default.scheme.lower()
        and _port(url) == _port(default)
    )


def _port(url: ParseResult) -> int | None:
    return url.port or {"https": 443, "http": 80}.get(url.scheme.lower())


def _local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
